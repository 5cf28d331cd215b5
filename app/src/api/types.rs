//! What server functions hand to pages: plain, serialisable views (no entities, no IDs
//! beyond what the viewer may see).

use crate::domain::{ClaimStatus, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// A web-form petition in progress, as the step pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: String,
    pub fields: BTreeMap<String, String>,
    pub errors: Vec<FieldError>,
    pub documents: Vec<DocumentInfo>,
    /// Set once the petition is filed; the form then shows the confirmation instead.
    pub reference: Option<String>,
    /// Today in Bangkok and the holidays that matter, so the browser can check the window.
    pub today: NaiveDate,
    pub holidays: crate::domain::Holidays,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfirmationView {
    pub reference: String,
    /// Shown to the browser that filed, for an hour; `None` anywhere else.
    pub access_code: Option<String>,
    pub region: u8,
    pub filed_on: NaiveDate,
    pub filing_deadline: NaiveDate,
    pub email_to: Option<String>,
    pub expected_decision_by: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub status: ClaimStatus,
    pub at: chrono::DateTime<chrono::Utc>,
    pub note: Option<String>,
}

/// What a claimant sees about their own claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimStatusView {
    pub reference: String,
    pub status: ClaimStatus,
    pub region: u8,
    pub service_unit_name: String,
    pub filed_on: NaiveDate,
    pub expected_decision_by: Option<NaiveDate>,
    pub history: Vec<HistoryItem>,
    pub documents: Vec<DocumentInfo>,
}
