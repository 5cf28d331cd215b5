//! What server functions hand to pages: plain, serialisable views (no entities, no IDs
//! beyond what the viewer may see). Below both `api` and `backend`: the backend builds
//! these, the server functions pass them on (`api::types` is this module), pages show them.

use crate::domain::{ClaimStatus, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Document))]
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
    /// Known service units (name, province code), offered as suggestions.
    pub service_units: Vec<(String, u8)>,
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
    /// Set when the claimant added a document (the status did not change): its file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

impl HistoryItem {
    /// What happened, in the reader's language: the status reached, or a document added.
    pub fn heading(&self, l: crate::i18n::Locale) -> &'static str {
        match (&self.document, l) {
            (Some(_), l) => crate::i18n::t(l, "เพิ่มเอกสาร", "Document added"),
            (None, crate::i18n::Locale::Th) => self.status.label_th(),
            (None, _) => self.status.label_en(),
        }
    }

    /// What is said under the heading: the note, or the document's name.
    pub fn detail(&self) -> Option<String> {
        self.document.clone().or_else(|| self.note.clone())
    }
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
    /// The committee's decision once made: (category, amount in baht).
    pub decision: Option<(u8, i64)>,
    /// The last day to appeal, once the claimant has received the decision.
    pub appeal_by: Option<NaiveDate>,
    /// When and how the claimant received the decision now open to appeal.
    pub notified: Option<(NaiveDate, crate::domain::notice::NoticeMethod)>,
    /// When the payment is expected, once one is decided.
    pub expected_payment_by: Option<NaiveDate>,
    /// Once paid: (date, amount in baht).
    pub paid: Option<(NaiveDate, i64)>,
    /// The official letters the claim has reached (PDF downloads).
    #[serde(default)]
    pub letters: Vec<LetterKind>,
    /// Once a payment is decided: the account it goes to, and where the transfer stands.
    #[serde(default)]
    pub payment: Option<PaymentView>,
}

/// A decided payment's account and transfer, as the claimant or staff see it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentView {
    /// The account given, masked (the full number only where `full_number` is set).
    pub account: Option<AccountShown>,
    /// The account may be given or changed now (not while the bank has the transfer).
    pub can_give: bool,
    /// The batch the transfer was sent to the bank in, while it waits for the bank's answer.
    pub in_batch: Option<String>,
    /// The last transfer failed: the bank's reason and day, until a new account is given.
    pub failed: Option<(String, Option<NaiveDate>)>,
}

/// A case on the payments page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payable {
    pub reference: String,
    pub patient_name: String,
    pub amount_baht: i64,
    pub status: ClaimStatus,
}

/// A batch as listed: its lines' states counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: String,
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    pub lines: i32,
    pub total_baht: i64,
    pub pending: usize,
    pub paid: usize,
    pub failed: usize,
}

/// What a regional officer's payments page shows for one region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentsPage {
    /// The regions this officer pays, and the one shown.
    pub regions: Vec<u8>,
    pub region: u8,
    /// Ordered payments with an account, in no open batch: the next batch.
    pub ready: Vec<Payable>,
    /// Decided payments still waiting for an account (or a new one after a failed transfer).
    pub without_account: Vec<Payable>,
    pub batches: Vec<BatchSummary>,
}

/// A bank account as shown: the bank, the number masked, the holder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountShown {
    pub bank_code: String,
    pub masked: String,
    pub holder: String,
    /// The whole number: only for a regional officer who asked to see it (audited).
    pub full_number: Option<String>,
    pub given_by_claimant: bool,
    pub given_at: chrono::DateTime<chrono::Utc>,
}

/// A signed-in staff member, as pages need them: who, what they may do, and the CSRF token
/// their forms must carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffIdentity {
    pub email: String,
    pub display_name: String,
    pub grants: Vec<crate::domain::access::Grant>,
    pub csrf_token: String,
    /// Today in Bangkok, by the server's clock (forms default to it; deadlines flag from it).
    pub today: NaiveDate,
}

/// One line of a staff queue: no health details, national ID masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub reference: String,
    pub status: ClaimStatus,
    pub region: u8,
    pub patient_name: String,
    pub patient_national_id_masked: String,
    pub service_unit_name: String,
    pub filed_on: NaiveDate,
    pub due_by: Option<NaiveDate>,
    /// A decision the claimant has not been shown to have received: proof was due by then.
    pub receipt_by: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    /// Pass back as `before` for the next page; `None` on the last page.
    pub next: Option<String>,
    /// The words searched for (from the search token), to show in the search box.
    #[serde(default)]
    pub search: Option<String>,
    /// The search link was someone else's, or has run out: nothing was searched.
    #[serde(default)]
    pub search_expired: bool,
}

/// Everything staff see on a case page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub reference: String,
    pub status: ClaimStatus,
    pub region: u8,
    pub province_code: String,
    pub relation: crate::domain::Relation,
    pub filer_name: Option<String>,
    pub filer_phone: Option<String>,
    pub patient_name: String,
    pub patient_national_id: String,
    pub patient_address: String,
    pub patient_phone: Option<String>,
    pub patient_email: Option<String>,
    pub service_unit_name: String,
    pub treatment_date: NaiveDate,
    pub damage_known_date: NaiveDate,
    pub filed_on: NaiveDate,
    pub filing_deadline: NaiveDate,
    pub damage_description: String,
    pub burden: String,
    pub channel: crate::domain::intake::Channel,
    pub history: Vec<HistoryItem>,
    pub documents: Vec<DocumentInfo>,
    /// The actions this viewer may take now (the server refuses any other anyway).
    pub allowed_events: Vec<crate::domain::Event>,
    /// The committee's decision, once made: (category, amount in baht).
    pub decision: Option<(u8, i64)>,
    /// Staff-only notes: (when, who, text).
    pub internal_notes: Vec<(chrono::DateTime<chrono::Utc>, String, String)>,
    /// Whether this viewer may move the case to another region.
    pub can_reroute: bool,
    /// Whether this viewer works on the case (and may declare a conflict of interest in
    /// it), rather than following it as a provincial health office does.
    pub works_on: bool,
    /// The day the petition was received (the postmark, for mail); the window counts to it.
    pub received_on: NaiveDate,
    /// Staff accepted it past the window, for this reason: the committee must see it.
    pub window_override_reason: Option<String>,
    /// The staff member who filed it on the claimant's behalf.
    pub filed_by: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub assigned_to: Option<String>,
    pub checklist: Option<crate::domain::screening::Checklist>,
    /// The viewer screens this case now: the checklist form is theirs to fill.
    pub can_screen: bool,
    /// The committee meeting whose agenda the case is on.
    pub meeting_on: Option<NaiveDate>,
    /// Meetings the viewer may put the case on (a regional officer, before the decision).
    pub agenda_options: Vec<(String, NaiveDate)>,
    /// The day the decision was made, and when and how the claimant received it.
    pub decided_on: Option<NaiveDate>,
    pub notified: Option<(NaiveDate, crate::domain::notice::NoticeMethod)>,
    /// The last day to appeal, once the claimant has received the decision.
    pub appeal_by: Option<NaiveDate>,
    /// While there is no proof of receipt: the day the office should have it by.
    pub receipt_by: Option<NaiveDate>,
    /// Whether this viewer may record a delivery of the decision notice.
    pub can_record_notice: bool,
    /// The kind of harm screening recorded (a `harm_types` key), and the list to choose from:
    /// (key, Thai, English).
    pub harm_type: Option<String>,
    pub harm_types: Vec<(String, String, String)>,
    /// For those who decide: decided cases of the same harm type, region beside country.
    pub consistency: Option<crate::domain::consistency::Panel>,
    /// Once a payment is decided: its account and transfer.
    #[serde(default)]
    pub payment: Option<PaymentView>,
    /// Whether this viewer may give the account (the region's intake and officers) and see
    /// its whole number (the region's officers).
    #[serde(default)]
    pub can_give_account: bool,
    #[serde(default)]
    pub can_show_account: bool,
    /// The official letters the claim has reached (PDF downloads).
    pub letters: Vec<LetterKind>,
    /// Whether a rights service is configured, and the checks made through it, newest first.
    pub rights_service: bool,
    pub rights_checks: Vec<RightsCheckView>,
}

/// A committee meeting and the cases on its agenda (those the viewer may see).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: String,
    pub region: u8,
    pub meets_on: NaiveDate,
    pub cases: Vec<QueueItem>,
}

/// The meetings page: upcoming meetings of the viewer's regions, and where they may add one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingsPage {
    pub meetings: Vec<MeetingView>,
    /// Regions whose meetings the viewer schedules (regional officers).
    pub can_schedule: Vec<u8>,
}

/// A staff account as the admin page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub email: String,
    pub display_name: String,
    pub active: bool,
    /// `role` or `role:region`.
    pub roles: Vec<String>,
    /// A privileged account awaiting a second administrator: who created it.
    #[serde(default)]
    pub awaiting: Option<String>,
}

/// The admin page: policy data with effective dates, coming holidays, office mailboxes, users.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminView {
    /// (category, min, max, effective from)
    pub amounts: Vec<(u8, i64, i64, NaiveDate)>,
    /// (clock key, days, effective from)
    pub targets: Vec<(String, i64, NaiveDate)>,
    pub holidays: Vec<(NaiveDate, String, String)>,
    pub offices: Vec<(u8, Option<String>)>,
    pub users: Vec<UserRow>,
    pub today: NaiveDate,
    /// Known service units: (name, province code).
    pub service_units: Vec<(String, u8)>,
    /// Harm types screening picks from: (key, Thai, English).
    pub harm_types: Vec<(String, String, String)>,
    /// Service units' API keys (never the keys themselves).
    pub unit_keys: Vec<UnitKeyRow>,
    /// A key just issued by this administrator, shown this once.
    pub new_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitKeyRow {
    pub id: i32,
    pub unit_code: String,
    pub unit_name: String,
    pub province_code: String,
    pub issued_on: NaiveDate,
    pub revoked: bool,
}

/// The answer to a successful filing; also the API's 201 body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Filed {
    /// The claim's reference: quote it with the access code to follow the claim.
    #[cfg_attr(feature = "ssr", schema(example = "S41-2569-7KQ4M2"))]
    pub reference: String,
    /// Shown once: with the reference it opens the claim. Only a hash is kept.
    #[cfg_attr(feature = "ssr", schema(example = "7KQ4-M2XD"))]
    pub access_code: String,
    /// The NHSO region (1–13) whose office decides the claim.
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 13))]
    pub region: u8,
    #[cfg_attr(feature = "ssr", schema(example = "submitted"))]
    pub status: String,
    /// The day received (Bangkok).
    pub filed_on: NaiveDate,
    /// The last day of the 2-year window the petition was measured against.
    pub filing_deadline: NaiveDate,
}

/// The public statistics page: every fiscal year's published figures, and the Bangkok day
/// they were worked out on (they are worked out again within the hour).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicStats {
    pub as_of: NaiveDate,
    pub years: Vec<crate::domain::stats::Year>,
}

/// The staff report page: the figures, which region they cover (`None`: all the viewer
/// may see), and the regions the viewer may choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub region: Option<u8>,
    /// The province the viewer's claims are limited to (a provincial health office).
    pub province: Option<u8>,
    pub regions: Vec<u8>,
    pub report: crate::domain::reports::Report,
    pub today: NaiveDate,
}

/// The official letters a claim can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LetterKind {
    Receipt,
    InfoRequest,
    Decision,
    AppealDecision,
    Payment,
}

impl LetterKind {
    pub const ALL: [LetterKind; 5] = [
        Self::Receipt,
        Self::InfoRequest,
        Self::Decision,
        Self::AppealDecision,
        Self::Payment,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::InfoRequest => "info-request",
            Self::Decision => "decision",
            Self::AppealDecision => "appeal-decision",
            Self::Payment => "payment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == s)
    }

    /// The letters a claim has reached, from the statuses it has been through and whether
    /// it has a decision and a payment; in the order they are sent.
    pub fn reached(history: &[ClaimStatus], decided: bool, paid: bool) -> Vec<Self> {
        let mut out = vec![Self::Receipt];
        if history.contains(&ClaimStatus::InfoRequested) {
            out.push(Self::InfoRequest);
        }
        if decided || history.iter().any(|s| matches!(s, ClaimStatus::Approved | ClaimStatus::Rejected)) {
            out.push(Self::Decision);
        }
        if history.contains(&ClaimStatus::AppealDecided) {
            out.push(Self::AppealDecision);
        }
        if paid {
            out.push(Self::Payment);
        }
        out
    }

    pub fn title(self, l: crate::i18n::Locale) -> &'static str {
        match self {
            Self::Receipt => crate::i18n::t(l, "ใบรับคำร้องขอรับเงินช่วยเหลือเบื้องต้น", "Receipt of a petition for preliminary assistance"),
            Self::InfoRequest => crate::i18n::t(l, "ขอข้อมูลหรือเอกสารเพิ่มเติม", "Request for further information"),
            Self::Decision => crate::i18n::t(l, "แจ้งผลการพิจารณาคำร้องขอรับเงินช่วยเหลือเบื้องต้น", "Decision on your petition for preliminary assistance"),
            Self::AppealDecision => crate::i18n::t(l, "แจ้งผลการพิจารณาอุทธรณ์", "Decision on your appeal"),
            Self::Payment => crate::i18n::t(l, "แจ้งการจ่ายเงินช่วยเหลือเบื้องต้น", "Payment of preliminary assistance"),
        }
    }
}


/// One right check through the insurer's rights service, as the case page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RightsCheckView {
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: String,
    /// `verified`, `not_right_holder`, `not_found` or `unavailable`.
    pub outcome: String,
    pub right: Option<String>,
    pub main_unit: Option<String>,
}
