//! The harm type screening records on each claim, from a short list administrators can
//! extend, so the committee can compare a case with decided ones of the same kind.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const DEFAULTS: [(&str, &str, &str); 7] = [
    ("surgery", "การผ่าตัด", "Surgery"),
    ("medication", "การใช้ยา", "Medication"),
    ("childbirth", "การคลอด", "Childbirth"),
    ("infection", "การติดเชื้อ", "Infection"),
    ("diagnosis", "การวินิจฉัยผิดพลาดหรือล่าช้า", "Diagnosis missed or delayed"),
    ("anaesthesia", "การระงับความรู้สึก", "Anaesthesia"),
    ("other", "อื่น ๆ", "Other"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("harm_types")
                .if_not_exists()
                .col(string("key").primary_key())
                .col(string("label_th"))
                .col(string("label_en"))
                .col(integer("position"))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert()
            .into_table("harm_types")
            .columns(["key", "label_th", "label_en", "position"])
            .to_owned();
        for (i, (key, th, en)) in DEFAULTS.iter().enumerate() {
            insert.values_panic([(*key).into(), (*th).into(), (*en).into(), (i as i32 * 10).into()]);
        }
        m.exec_stmt(insert).await?;
        m.alter_table(
            Table::alter()
                .table("claims")
                .add_column(string_null("harm_type"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_claims_harm_type_decided")
                .table("claims")
                .col("harm_type")
                .col("decided_on")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_claims_harm_type_decided").table("claims").to_owned())
            .await?;
        m.alter_table(Table::alter().table("claims").drop_column("harm_type").to_owned())
            .await?;
        m.drop_table(Table::drop().table("harm_types").to_owned()).await
    }
}
