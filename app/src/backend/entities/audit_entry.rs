use sea_orm::entity::prelude::*;

/// Append-only and hash-chained: `hash = SHA-256(prev_hash ‖ the entry's fields)`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor: String,
    pub action: String,
    pub claim_reference: Option<String>,
    pub detail: String,
    pub client: String,
    pub prev_hash: String,
    pub hash: String,
    /// `KEYID$HEX`: HMAC-SHA256 of `hash` under the server key (`audit::seal_pending`).
    pub seal: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
