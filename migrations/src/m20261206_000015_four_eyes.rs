//! Four eyes on privileged accounts, and first passwords set by their owners.
//! `users.requested_by`: the admin who created an account with national access to personal
//! data (or another admin); it stays inactive until a second admin (`approved_by`) approves.
//! `password_links`: one-time links (their hash) for an account's owner to set a password.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["requested_by", "approved_by"] {
            m.alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string_null(column))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table("password_links")
                .if_not_exists()
                .col(string("token_hash").primary_key())
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("password_links").to_owned())
            .await?;
        for column in ["approved_by", "requested_by"] {
            m.alter_table(
                Table::alter()
                    .table("users")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
