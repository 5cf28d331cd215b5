//! Queues and name search that stay fast with a million claims (measured by
//! `cargo run -p server --example scale`):
//! - status-filtered queues page newest-first on (status, created_at, id);
//! - searching a name for text anywhere in it (Thai has no spaces between words) uses a
//!   trigram index: PostgreSQL's pg_trgm GIN index serves `LIKE '%…%'` directly; SQLite
//!   keeps an FTS5 trigram index of patient names beside `claims`, kept by triggers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: [&str; 5] = [
    "CREATE VIRTUAL TABLE claims_name_fts USING fts5(patient_name, content='claims', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER claims_name_fts_insert AFTER INSERT ON claims BEGIN INSERT INTO claims_name_fts(rowid, patient_name) VALUES (new.rowid, new.patient_name); END",
    "CREATE TRIGGER claims_name_fts_delete AFTER DELETE ON claims BEGIN INSERT INTO claims_name_fts(claims_name_fts, rowid, patient_name) VALUES ('delete', old.rowid, old.patient_name); END",
    "CREATE TRIGGER claims_name_fts_update AFTER UPDATE OF patient_name ON claims BEGIN INSERT INTO claims_name_fts(claims_name_fts, rowid, patient_name) VALUES ('delete', old.rowid, old.patient_name); INSERT INTO claims_name_fts(rowid, patient_name) VALUES (new.rowid, new.patient_name); END",
    "INSERT INTO claims_name_fts(claims_name_fts) VALUES ('rebuild')",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_claims_status_created")
                .table("claims")
                .col("status")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for sql in SQLITE_UP {
                    db.execute_unprepared(sql).await?;
                }
            }
            DbBackend::Postgres => {
                // pg_trgm ships with PostgreSQL and is a trusted extension (13+), so the
                // database's owner may create it. Where it is missing or not allowed,
                // search still works, by scanning.
                let can = db
                    .query_one_raw(Statement::from_string(
                        DbBackend::Postgres,
                        "SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'pg_trgm' \
                         AND (installed_version IS NOT NULL OR has_database_privilege(current_database(), 'CREATE'))",
                    ))
                    .await?
                    .is_some();
                if can {
                    db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                        .await?;
                    db.execute_unprepared("CREATE INDEX ix_claims_patient_name_trgm ON claims USING gin (patient_name gin_trgm_ops)").await?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for t in [
                    "claims_name_fts_insert",
                    "claims_name_fts_delete",
                    "claims_name_fts_update",
                ] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {t}"))
                        .await?;
                }
                db.execute_unprepared("DROP TABLE IF EXISTS claims_name_fts")
                    .await?;
            }
            DbBackend::Postgres => {
                db.execute_unprepared("DROP INDEX IF EXISTS ix_claims_patient_name_trgm")
                    .await?;
            }
            _ => {}
        }
        m.drop_index(
            Index::drop()
                .name("ix_claims_status_created")
                .table("claims")
                .to_owned(),
        )
        .await
    }
}
