use sea_orm::entity::prelude::*;

/// Where a regional office takes its mail (re-routed cases, the daily overdue list).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "office_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub region: crate::domain::Region,
    pub email: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
