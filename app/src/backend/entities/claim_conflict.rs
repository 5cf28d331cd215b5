use sea_orm::entity::prelude::*;

/// A staff member's declared conflict of interest in a case: they are kept off it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_conflicts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub claim_id: Uuid,
    pub user_email: String,
    pub reason: String,
    pub declared_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
