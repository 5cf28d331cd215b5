//! Which client (address, IPv6 /64) started a web-form draft, so the documents waiting in
//! one client's unsent drafts can be capped. Staff-started drafts have none (staff are
//! signed in and answerable). Drafts from before this migration have none either; they are
//! deleted within days anyway.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("drafts")
                .add_column(string_null("client_key"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_drafts_client_key")
                .table("drafts")
                .col("client_key")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_drafts_client_key").table("drafts").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table("drafts")
                .drop_column("client_key")
                .to_owned(),
        )
        .await
    }
}
