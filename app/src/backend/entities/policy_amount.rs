use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policy_amounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub category: i16,
    pub min_baht: i64,
    pub max_baht: i64,
    pub effective_from: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
