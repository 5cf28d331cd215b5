//! The committee's side: declared conflicts of interest (the declarer is kept off the case)
//! and meetings, with each case on at most one meeting's agenda; and the indexes queues page by.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("claim_conflicts")
                .col(pk_auto("id"))
                .col(uuid("claim_id"))
                .col(string("user_email"))
                .col(text("reason"))
                .col(timestamp_with_time_zone("declared_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("claim_conflicts", "claim_id")
                        .to("claims", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_conflicts_claim_user")
                .table("claim_conflicts")
                .col("claim_id")
                .col("user_email")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_conflicts_user")
                .table("claim_conflicts")
                .col("user_email")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("meetings")
                .col(uuid("id").primary_key())
                .col(small_integer("region"))
                .col(date("meets_on"))
                .col(string("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_meetings_region_date")
                .table("meetings")
                .col("region")
                .col("meets_on")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("claims")
                .add_column(uuid_null("meeting_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_claims_meeting")
                .table("claims")
                .col("meeting_id")
                .to_owned(),
        )
        .await?;
        // Queues page newest-first by (created_at, id), within a region or across all.
        m.create_index(
            Index::create()
                .name("ix_claims_created")
                .table("claims")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_claims_region_created")
                .table("claims")
                .col("region")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for ix in [
            "ix_claims_region_created",
            "ix_claims_created",
            "ix_claims_meeting",
        ] {
            m.drop_index(Index::drop().name(ix).table("claims").to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table("claims")
                .drop_column("meeting_id")
                .to_owned(),
        )
        .await?;
        for t in ["meetings", "claim_conflicts"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
