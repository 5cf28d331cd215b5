//! Staff accounts with roles (region-bound where the role is), database-held staff
//! sessions, sign-in throttling, and the hash-chained audit log with its single head row.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("users")
                .col(uuid("id").primary_key())
                .col(string_uniq("email"))
                .col(string("display_name"))
                .col(string("password_hash"))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("user_roles")
                .col(pk_auto("id"))
                .col(uuid("user_id"))
                .col(string("role"))
                .col(small_integer_null("region"))
                .foreign_key(
                    ForeignKey::create()
                        .from("user_roles", "user_id")
                        .to("users", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_user_roles_user")
                .table("user_roles")
                .col("user_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("staff_sessions")
                .col(string("token_hash").primary_key())
                .col(uuid("user_id"))
                .col(string("csrf_token"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("staff_sessions", "user_id")
                        .to("users", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("audit_log")
                .col(big_integer("id").primary_key())
                .col(timestamp_with_time_zone("at"))
                .col(string("actor"))
                .col(string("action"))
                .col(string_null("claim_reference"))
                .col(text("detail"))
                .col(string("client"))
                .col(string("prev_hash"))
                .col(string("hash"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_claim")
                .table("audit_log")
                .col("claim_reference")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("audit_head")
                .col(integer("id").primary_key())
                .col(big_integer("last_id"))
                .col(string("last_hash"))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table("audit_head")
                .columns(["id", "last_id", "last_hash"])
                .values_panic([1i32.into(), 0i64.into(), GENESIS.into()])
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_head",
            "audit_log",
            "staff_sessions",
            "user_roles",
            "users",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

/// The hash the first audit entry chains from.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
