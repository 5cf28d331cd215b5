//! Payment transfers: the bank account a claimant (or staff, from the petition) gives after
//! an approval; the batches a regional office sends its bank, each line a case's payment
//! (a case is in one open batch at most: `open_claim_id` is unique and cleared once the bank
//! answers); and the result files imported back (their hashes, so one file is taken once).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("payment_accounts")
                .if_not_exists()
                .col(uuid("claim_id").primary_key())
                .col(string_len("bank_code", 3))
                .col(string_len("account_number", 20))
                .col(string("account_holder"))
                .col(string("given_by"))
                .col(timestamp_with_time_zone("given_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("payment_batches")
                .if_not_exists()
                .col(uuid("id").primary_key())
                .col(string_uniq("label"))
                .col(small_integer("region"))
                .col(timestamp_with_time_zone("created_at"))
                .col(string("created_by"))
                .col(integer("lines"))
                .col(big_integer("total_baht"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_payment_batches_region")
                .table("payment_batches")
                .col("region")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("payment_lines")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(uuid("batch_id"))
                .col(integer("line"))
                .col(uuid("claim_id"))
                .col(string("reference"))
                .col(big_integer("amount_baht"))
                .col(string_len("bank_code", 3))
                .col(string_len("account_number", 20))
                .col(string("account_holder"))
                // `pending`, `paid` or `failed`.
                .col(string("state"))
                .col(uuid_null("open_claim_id").unique_key())
                .col(date_null("paid_on"))
                .col(string_null("transfer_ref"))
                .col(string_null("failure_reason"))
                .col(timestamp_with_time_zone_null("resolved_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_payment_lines_batch")
                .table("payment_lines")
                .col("batch_id")
                .col("line")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_payment_lines_claim")
                .table("payment_lines")
                .col("claim_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("payment_imports")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(uuid("batch_id"))
                .col(string("file_sha256"))
                .col(timestamp_with_time_zone("imported_at"))
                .col(string("imported_by"))
                .col(integer("paid"))
                .col(integer("failed"))
                .col(integer("unchanged"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_payment_imports_file")
                .table("payment_imports")
                .col("batch_id")
                .col("file_sha256")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["payment_imports", "payment_lines", "payment_batches", "payment_accounts"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
