use sea_orm::entity::prelude::*;

/// One bank result file taken in (by its hash: the same file is taken once).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub batch_id: Uuid,
    pub file_sha256: String,
    pub imported_at: DateTimeUtc,
    pub imported_by: String,
    pub paid: i32,
    pub failed: i32,
    pub unchanged: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
