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
        .await?;
        // The daily checkpoint of the log's head is a once-a-day job like the digests.
        let long_ago = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
        m.exec_stmt(
            Query::insert()
                .into_table("job_runs")
                .columns(["name", "last_run"])
                .values_panic(["audit_checkpoint".into(), long_ago.into()])
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(
            Query::delete()
                .from_table("job_runs")
                .and_where(Expr::col("name").eq("audit_checkpoint"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("audit_log")
                .drop_column("seal")
                .to_owned(),
        )
        .await
    }
}
