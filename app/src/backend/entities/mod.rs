//! Table mappings, written by hand to match `migrations/`. Behaviour lives in the
//! repositories beside this folder, not here.

pub mod audit_entry;
pub mod audit_head;
pub mod claim;
pub mod claim_conflict;
pub mod claim_event;
pub mod claimant_session;
pub mod document;
pub mod document_content;
pub mod draft;
pub mod harm_type;
pub mod holiday;
pub mod idempotency_key;
pub mod job_run;
pub mod meeting;
pub mod office_contact;
pub mod outbox;
pub mod password_link;
pub mod payment_account;
pub mod payment_batch;
pub mod payment_import;
pub mod payment_line;
pub mod policy_amount;
pub mod published_stats;
pub mod rights_check;
pub mod service_unit;
pub mod staff_session;
pub mod throttle;
pub mod unit_api_key;
pub mod time_target;
pub mod user;
pub mod user_role;
mod typed;
