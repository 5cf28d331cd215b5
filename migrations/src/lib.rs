//! Schema migrations, applied by `section41 migrate` and at the start of `section41 serve`.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_claims;
mod m20261122_000002_seed_policy_and_holidays;
mod m20261122_000003_create_staff_and_audit;
mod m20261122_000004_add_decisions;
mod m20261123_000005_intake_screening_deadlines;
mod m20261123_000006_committee;
mod m20261123_000007_service_units;
mod m20261124_000008_decision_notices;
mod m20261124_000009_search_at_scale;
mod m20261125_000010_notice_receipt_target;
mod m20261205_000011_store_documents_in_database;
mod m20261206_000012_referred_at;
mod m20261206_000013_draft_client;
mod m20261206_000014_audit_seal;
mod m20261206_000015_four_eyes;
mod m20261207_000016_published_stats;
mod m20261207_000017_harm_types;
mod m20261207_000018_rights_checks;
mod m20261207_000019_unit_api_keys;
mod m20261208_000020_provincial_offices;
mod m20261208_000021_payment_transfers;
mod m20261209_000022_stats_index;
mod m20261210_000023_sealed_accounts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_claims::Migration),
            Box::new(m20261122_000002_seed_policy_and_holidays::Migration),
            Box::new(m20261122_000003_create_staff_and_audit::Migration),
            Box::new(m20261122_000004_add_decisions::Migration),
            Box::new(m20261123_000005_intake_screening_deadlines::Migration),
            Box::new(m20261123_000006_committee::Migration),
            Box::new(m20261123_000007_service_units::Migration),
            Box::new(m20261124_000008_decision_notices::Migration),
            Box::new(m20261124_000009_search_at_scale::Migration),
            Box::new(m20261125_000010_notice_receipt_target::Migration),
            Box::new(m20261205_000011_store_documents_in_database::Migration),
            Box::new(m20261206_000012_referred_at::Migration),
            Box::new(m20261206_000013_draft_client::Migration),
            Box::new(m20261206_000014_audit_seal::Migration),
            Box::new(m20261206_000015_four_eyes::Migration),
            Box::new(m20261207_000016_published_stats::Migration),
            Box::new(m20261207_000017_harm_types::Migration),
            Box::new(m20261207_000018_rights_checks::Migration),
            Box::new(m20261207_000019_unit_api_keys::Migration),
            Box::new(m20261208_000020_provincial_offices::Migration),
            Box::new(m20261208_000021_payment_transfers::Migration),
            Box::new(m20261209_000022_stats_index::Migration),
            Box::new(m20261210_000023_sealed_accounts::Migration),
        ]
    }
}
