use crate::domain::intake::Channel;
use crate::domain::{ClaimStatus, Region, Relation as Filer};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub reference: String,
    pub access_code_hash: String,
    pub status: ClaimStatus,
    pub region: Region,
    pub province_code: String,
    pub service_unit_name: String,
    /// Who filed, relative to the harmed person.
    pub relation: Filer,
    pub filer_name: Option<String>,
    pub filer_national_id: Option<String>,
    pub filer_phone: Option<String>,
    pub filer_email: Option<String>,
    pub patient_name: String,
    pub patient_national_id: String,
    pub patient_address: String,
    pub patient_phone: Option<String>,
    pub patient_email: Option<String>,
    pub treatment_date: Date,
    pub damage_known_date: Date,
    pub damage_description: String,
    pub burden: String,
    pub filed_on: Date,
    pub filing_deadline: Date,
    pub channel: Channel,
    pub lang: String,
    pub created_at: DateTimeUtc,
    pub decision_category: Option<i16>,
    pub decision_amount: Option<i64>,
    pub decided_on: Option<Date>,
    pub paid_on: Option<Date>,
    pub paid_amount: Option<i64>,
    pub payment_reference: Option<String>,
    pub received_on: Option<Date>,
    pub window_override_reason: Option<String>,
    pub filed_by: Option<String>,
    pub assigned_to: Option<String>,
    pub screening_checklist: Option<String>,
    pub clock_start: Option<Date>,
    pub paused_on: Option<Date>,
    pub due_on: Option<Date>,
    pub meeting_id: Option<Uuid>,
    /// The day the claimant received the decision (the appeal window runs from it).
    pub notified_on: Option<Date>,
    /// How that is known: a `NoticeMethod` key.
    pub notified_how: Option<String>,
    /// When the claim was referred to its region's committee: only then does it see it.
    pub referred_at: Option<DateTimeUtc>,
    /// What kind of harm, from `harm_types`, as screening recorded it.
    pub harm_type: Option<String>,
    /// The service unit's API key it was filed with (`unit_api_keys`), if any.
    pub api_key_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
