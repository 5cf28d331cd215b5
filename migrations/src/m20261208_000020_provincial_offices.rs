//! Provincial health offices: a staff grant can name a province (`provincial_office:PP`),
//! and an office's queue (its province's claims, newest first) is read through an index.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("user_roles")
                .add_column(small_integer_null("province"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_claims_province_created")
                .table("claims")
                .col("province_code")
                .col("created_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_claims_province_created").table("claims").to_owned())
            .await?;
        m.alter_table(Table::alter().table("user_roles").drop_column("province").to_owned())
            .await
    }
}
