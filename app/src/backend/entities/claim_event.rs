use crate::domain::ClaimStatus;
use sea_orm::entity::prelude::*;

/// Append-only: rows are inserted, never updated or deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub claim_id: Uuid,
    pub status: ClaimStatus,
    pub event: Option<String>,
    pub actor: String,
    pub public_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub reason_code: Option<String>,
    /// Staff only; never shown to the claimant.
    pub internal_note: Option<String>,
    pub actor_email: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
