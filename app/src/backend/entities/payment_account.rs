use sea_orm::entity::prelude::*;

/// The bank account a claim's payment goes to (see `backend::payments`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub claim_id: Uuid,
    pub bank_code: String,
    pub account_number: String,
    pub account_holder: String,
    /// `claimant` or `user:EMAIL`.
    pub given_by: String,
    pub given_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
