//! Each audit entry's seal: an HMAC of its hash under the server's secret key, written by
//! the server shortly after the entry. The hash chains every entry before it, so someone who
//! can write to the database but does not hold the key cannot re-hash the chain unseen.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("audit_log")
                .add_column(string_null("seal"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("audit_log")
                .drop_column("seal")
                .to_owned(),
        )
        .await
    }
}
