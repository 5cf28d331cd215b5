//! Bank account numbers are kept sealed under the server key
//! (`backend::payment_accounts::sealed`): about 120 characters where the plain number took
//! at most 20. PostgreSQL enforces the old `varchar(20)`, so the two columns become `text`;
//! SQLite does not enforce a declared length and keeps its columns as they are. The server
//! seals the numbers kept before this at start (`payment_accounts::seal_kept`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 2] = ["payment_accounts", "payment_lines"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for table in TABLES {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .modify_column(ColumnDef::new("account_number").text().not_null())
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        // Sealed numbers do not fit the old width; the columns stay wide.
        Ok(())
    }
}
