use sea_orm::entity::prelude::*;

/// One right check through the insurer's rights service (see `backend::rights`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rights_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub claim_id: Uuid,
    pub checked_at: DateTimeUtc,
    pub checked_by: String,
    /// `verified`, `not_right_holder`, `not_found` or `unavailable`.
    pub outcome: String,
    pub right_type: Option<String>,
    pub main_unit: Option<String>,
    pub raw_response: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
