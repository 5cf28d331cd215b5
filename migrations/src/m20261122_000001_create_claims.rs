//! Claims, their append-only status history, documents, drafts of the web form, the mail
//! outbox, idempotency records, throttling counters, claimant sessions and policy tables.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("holidays")
                .col(date("date").primary_key())
                .col(string("name_th"))
                .col(string("name_en"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("policy_amounts")
                .col(pk_auto("id"))
                .col(small_integer("category"))
                .col(big_integer("min_baht"))
                .col(big_integer("max_baht"))
                .col(date("effective_from"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("time_targets")
                .col(pk_auto("id"))
                .col(string("clock"))
                .col(integer("days"))
                .col(date("effective_from"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("claims")
                .col(uuid("id").primary_key())
                .col(string_uniq("reference"))
                .col(string("access_code_hash"))
                .col(string("status"))
                .col(small_integer("region"))
                .col(string_len("province_code", 2))
                .col(string("service_unit_name"))
                .col(string("relation"))
                .col(string_null("filer_name"))
                .col(string_null("filer_national_id"))
                .col(string_null("filer_phone"))
                .col(string_null("filer_email"))
                .col(string("patient_name"))
                .col(string_len("patient_national_id", 13))
                .col(text("patient_address"))
                .col(string_null("patient_phone"))
                .col(string_null("patient_email"))
                .col(date("treatment_date"))
                .col(date("damage_known_date"))
                .col(text("damage_description"))
                .col(text("burden"))
                .col(date("filed_on"))
                .col(date("filing_deadline"))
                .col(string("channel"))
                .col(string_len("lang", 2))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_claims_region_status").table("claims").col("region").col("status").to_owned()).await?;
        m.create_index(Index::create().name("ix_claims_patient_national_id").table("claims").col("patient_national_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("claim_events")
                .col(pk_auto("id"))
                .col(uuid("claim_id"))
                .col(string("status"))
                .col(string_null("event"))
                .col(string("actor"))
                .col(text_null("public_note"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().from("claim_events", "claim_id").to("claims", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_claim_events_claim").table("claim_events").col("claim_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("drafts")
                .col(uuid("id").primary_key())
                .col(text("fields"))
                .col(text("errors"))
                .col(string_null("claim_reference"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("documents")
                .col(uuid("id").primary_key())
                .col(uuid_null("claim_id"))
                .col(uuid_null("draft_id"))
                .col(string("filename"))
                .col(string("content_type"))
                .col(big_integer("size_bytes"))
                .col(string("sha256"))
                .col(string("uploaded_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().from("documents", "claim_id").to("claims", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_documents_claim").table("documents").col("claim_id").to_owned()).await?;
        m.create_index(Index::create().name("ix_documents_draft").table("documents").col("draft_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("outbox")
                .col(uuid("id").primary_key())
                .col(string("to_address"))
                .col(string("subject"))
                .col(text("body"))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_outbox_due").table("outbox").col("sent_at").col("next_attempt_at").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("idempotency_keys")
                .col(string("key").primary_key())
                .col(string("request_hash"))
                .col(integer("status_code"))
                .col(text("response_body"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("throttle")
                .col(string("key").primary_key())
                .col(integer("failures"))
                .col(timestamp_with_time_zone("window_start"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("claimant_sessions")
                .col(string("token_hash").primary_key())
                .col(uuid("claim_id"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(ForeignKey::create().from("claimant_sessions", "claim_id").to("claims", "id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "claimant_sessions", "throttle", "idempotency_keys", "outbox", "documents", "drafts", "claim_events", "claims",
            "time_targets", "policy_amounts", "holidays",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
