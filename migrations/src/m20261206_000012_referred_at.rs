//! When a claim was referred to its region's committee. A committee sees only what was
//! referred to it: a claim turned down at screening, and its appeal, never reach it.
//! Claims referred before this migration take the time of their `refer` event.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("claims")
                .add_column(timestamp_with_time_zone_null("referred_at"))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE claims SET referred_at = (SELECT MIN(e.created_at) FROM claim_events e \
                 WHERE e.claim_id = claims.id AND e.event = 'refer') \
                 WHERE EXISTS (SELECT 1 FROM claim_events e \
                 WHERE e.claim_id = claims.id AND e.event = 'refer')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("claims")
                .drop_column("referred_at")
                .to_owned(),
        )
        .await
    }
}
