//! Integration tests: the real server on a real database. Every test runs twice, on a fresh
//! SQLite file and on a fresh PostgreSQL database (`TEST_POSTGRES_URL`).

mod abuse;
mod actions;
mod admin;
mod api_claims;
mod api_documents;
mod api_status;
mod audit;
mod committee;
mod common;
mod consistency;
mod demo;
mod deploy;
mod exports;
mod hardening;
mod housekeeping;
mod letters;
mod intake;
mod mail;
mod notices;
mod offices;
mod rendering;
mod reports;
mod payments;
mod provincial;
mod rights;
mod schemathesis;
mod staff;
mod stats;
mod unit_keys;
mod uploads;
mod web_form;
