//! The public statistics as last worked out: one row per published set (today only
//! `public`), so every instance serves the same figures and none recomputes them per
//! request (a scan of every claim would let anyone slow the service down).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("published_stats")
                .if_not_exists()
                .col(string("name").primary_key())
                .col(text("body"))
                .col(timestamp_with_time_zone("computed_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("published_stats").to_owned())
            .await
    }
}
