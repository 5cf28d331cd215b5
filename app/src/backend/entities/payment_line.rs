use sea_orm::entity::prelude::*;

/// One case's payment in a batch, and what the bank said of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub batch_id: Uuid,
    pub line: i32,
    pub claim_id: Uuid,
    pub reference: String,
    pub amount_baht: i64,
    pub bank_code: String,
    pub account_number: String,
    pub account_holder: String,
    /// `pending`, `paid` or `failed`.
    pub state: String,
    /// The claim while the line waits for the bank (unique: one open batch per case).
    pub open_claim_id: Option<Uuid>,
    pub paid_on: Option<Date>,
    pub transfer_ref: Option<String>,
    pub failure_reason: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
