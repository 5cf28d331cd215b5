//! When and how the claimant received the decision: the appeal window runs from that day.
//! Decisions made before this migration have no receipt recorded, so their window starts
//! when the claimant next opens their status page (later than before, never earlier).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        m.alter_table(
            Table::alter()
                .table("claims")
                .add_column(date_null("notified_on"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("claims")
                .add_column(string_null("notified_how"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("claims")
                .drop_column("notified_how")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("claims")
                .drop_column("notified_on")
                .to_owned(),
        )
        .await
    }
}
