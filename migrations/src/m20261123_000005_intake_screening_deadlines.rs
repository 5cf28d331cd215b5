//! Assisted intake (who filed, how it came, the date it was received, a written reason for
//! accepting it outside the window), the screening checklist, who is working a case, and the
//! staff deadline each case carries (`due_on`, with the decision clock's start and pause);
//! the payment time target; office mailboxes and the once-a-day job ledger.

use chrono::NaiveDate;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one ADD COLUMN per ALTER TABLE.
        for col in [
            date_null("received_on"),
            text_null("window_override_reason"),
            string_null("filed_by"),
            string_null("assigned_to"),
            text_null("screening_checklist"),
            date_null("clock_start"),
            date_null("paused_on"),
            date_null("due_on"),
        ] {
            m.alter_table(Table::alter().table("claims").add_column(col).to_owned())
                .await?;
        }
        m.exec_stmt(
            Query::update()
                .table("claims")
                .value("received_on", Expr::col("filed_on"))
                .value("clock_start", Expr::col("filed_on"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_claims_region_due")
                .table("claims")
                .col("region")
                .col("due_on")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_claims_assigned")
                .table("claims")
                .col("assigned_to")
                .to_owned(),
        )
        .await?;
        let from = NaiveDate::from_ymd_opt(2012, 1, 1).expect("valid date");
        m.exec_stmt(
            Query::insert()
                .into_table("time_targets")
                .columns(["clock", "days", "effective_from"])
                .values_panic(["payment".into(), 30i32.into(), from.into()])
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("office_contacts")
                .col(small_integer("region").primary_key())
                .col(string("email"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("job_runs")
                .col(string("name").primary_key())
                .col(date("last_run"))
                .to_owned(),
        )
        .await?;
        let long_ago = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
        m.exec_stmt(
            Query::insert()
                .into_table("job_runs")
                .columns(["name", "last_run"])
                .values_panic(["overdue_digest".into(), long_ago.into()])
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["job_runs", "office_contacts"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.exec_stmt(
            Query::delete()
                .from_table("time_targets")
                .and_where(Expr::col("clock").eq("payment"))
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_claims_assigned")
                .table("claims")
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_claims_region_due")
                .table("claims")
                .to_owned(),
        )
        .await?;
        for c in [
            "received_on",
            "window_override_reason",
            "filed_by",
            "assigned_to",
            "screening_checklist",
            "clock_start",
            "paused_on",
            "due_on",
        ] {
            m.alter_table(Table::alter().table("claims").drop_column(c).to_owned())
                .await?;
        }
        Ok(())
    }
}
