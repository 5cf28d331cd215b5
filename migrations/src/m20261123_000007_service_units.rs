//! The service-unit list administrators keep: known hospitals and clinics by province, which
//! the petition form offers as suggestions (free text is still accepted).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("service_units")
                .col(pk_auto("id"))
                .col(string("name"))
                .col(small_integer("province_code"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_service_units_name_province")
                .table("service_units")
                .col("province_code")
                .col("name")
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("service_units").to_owned())
            .await
    }
}
