//! How long an office may go without proof that the claimant received a decision (15 days by
//! default: a registered letter's return receipt is usually back by then). Past it, the case
//! is flagged in the queue and listed in the office's daily digest.

use chrono::NaiveDate;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let from = NaiveDate::from_ymd_opt(2012, 1, 1).expect("valid date");
        m.exec_stmt(
            Query::insert()
                .into_table("time_targets")
                .columns(["clock", "days", "effective_from"])
                .values_panic(["notice_receipt".into(), 15i32.into(), from.into()])
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(
            Query::delete()
                .from_table("time_targets")
                .and_where(Expr::col("clock").eq("notice_receipt"))
                .to_owned(),
        )
        .await
    }
}
