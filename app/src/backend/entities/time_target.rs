use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "time_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub clock: String,
    pub days: i32,
    pub effective_from: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
