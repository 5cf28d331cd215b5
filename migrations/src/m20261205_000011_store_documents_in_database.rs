//! Documents' bytes move into the database, beside their records: every instance of the
//! service can open every document, and a database backup holds claims and their documents
//! together. A table of their own keeps listings of documents from reading the bytes.
//! Files already under `DOCUMENTS_DIR` are brought in by `section41 documents import`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("document_contents")
                .col(uuid("document_id").primary_key())
                .col(blob("content"))
                .foreign_key(
                    ForeignKey::create()
                        .from("document_contents", "document_id")
                        .to("documents", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("document_contents").to_owned())
            .await
    }
}
