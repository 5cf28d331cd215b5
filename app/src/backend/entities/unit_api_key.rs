use sea_orm::entity::prelude::*;

/// A service unit's API key: only its SHA-256 is kept.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_api_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_code: String,
    pub unit_name: String,
    pub province_code: String,
    #[sea_orm(unique)]
    pub key_hash: String,
    pub created_at: DateTimeUtc,
    pub created_by: String,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
