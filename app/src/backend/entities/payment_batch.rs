use crate::domain::Region;
use sea_orm::entity::prelude::*;

/// One payment batch a regional office sent its bank.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_batches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub label: String,
    pub region: Region,
    pub created_at: DateTimeUtc,
    pub created_by: String,
    pub lines: i32,
    pub total_baht: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
