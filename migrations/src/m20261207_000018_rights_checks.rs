//! Each Gold Card right check made through the insurer's rights service for a claim: the
//! answer (right type, main service unit), when, by whom, and the raw response kept with the
//! case; failures too, so the case shows what was tried.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rights_checks")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(uuid("claim_id"))
                .col(timestamp_with_time_zone("checked_at"))
                .col(string("checked_by"))
                .col(string("outcome"))
                .col(string_null("right_type"))
                .col(string_null("main_unit"))
                .col(text_null("raw_response"))
                .foreign_key(
                    ForeignKey::create()
                        .from("rights_checks", "claim_id")
                        .to("claims", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rights_checks_claim")
                .table("rights_checks")
                .col("claim_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("rights_checks").to_owned()).await
    }
}
