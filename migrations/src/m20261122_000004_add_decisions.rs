//! What staff actions record: the committee's decision and the payment on the claim, and on each status
//! event the reason code, an internal note (never shown to the claimant) and who acted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one ADD COLUMN per ALTER TABLE.
        for col in [
            small_integer_null("decision_category"),
            big_integer_null("decision_amount"),
            date_null("decided_on"),
            date_null("paid_on"),
            big_integer_null("paid_amount"),
            string_null("payment_reference"),
        ] {
            m.alter_table(Table::alter().table("claims").add_column(col).to_owned())
                .await?;
        }
        for col in [
            string_null("reason_code"),
            text_null("internal_note"),
            string_null("actor_email"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("claim_events")
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            "decision_category",
            "decision_amount",
            "decided_on",
            "paid_on",
            "paid_amount",
            "payment_reference",
        ] {
            m.alter_table(Table::alter().table("claims").drop_column(c).to_owned())
                .await?;
        }
        for c in ["reason_code", "internal_note", "actor_email"] {
            m.alter_table(
                Table::alter()
                    .table("claim_events")
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
