//! API keys for service units (hospitals filing through the API): which unit a key belongs
//! to, its hash (never the key), who issued it, and when it was revoked. Claims filed with a
//! key carry it, so the unit can list its own filings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("unit_api_keys")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string("unit_code"))
                .col(string("unit_name"))
                .col(string("province_code"))
                .col(string_uniq("key_hash"))
                .col(timestamp_with_time_zone("created_at"))
                .col(string("created_by"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("claims")
                .add_column(integer_null("api_key_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_claims_api_key")
                .table("claims")
                .col("api_key_id")
                .col("created_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_claims_api_key").table("claims").to_owned())
            .await?;
        m.alter_table(Table::alter().table("claims").drop_column("api_key_id").to_owned())
            .await?;
        m.drop_table(Table::drop().table("unit_api_keys").to_owned()).await
    }
}
