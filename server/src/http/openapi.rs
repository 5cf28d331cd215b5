//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`: derived from
//! the handlers' `#[utoipa::path]` annotations and the types they read and answer with, so
//! the document cannot drift from the code. The petition's schema states the validator's
//! rules (`app::backend::petition_schema`).

use app::backend::claims::Filed;
use app::backend::error::{ApiError, ApiFieldError, ValidationErrors};
use app::domain::{ClaimStatus, RawPetition};
use app::views::DocumentInfo;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Section 41 claims API",
        version = "1.0.0",
        description = "File and track Section 41 preliminary-assistance petitions. Dates are \
            YYYY-MM-DD (Gregorian). Refusals name what is wrong: 422 lists every failing field."
    ),
    paths(
        super::api::create_claim,
        super::api::get_claim,
        super::api::add_document,
        super::api::list_claims
    ),
    components(schemas(
        RawPetition,
        Filed,
        ApiClaim,
        ApiHistoryItem,
        Label,
        DocumentInfo,
        DocumentUpload,
        ApiError,
        ValidationErrors,
        ApiFieldError,
        UnitFilings,
        UnitFiling
    )),
    modifiers(&UnitKey)
)]
pub struct ApiDoc;

/// The service units' key: `Authorization: Bearer s41u_…`, issued by an administrator. On
/// `POST /api/v1/claims` it is optional (with it the filing is the unit's and must say the
/// unit is filing); `GET /api/v1/claims` needs it.
struct UnitKey;

impl utoipa::Modify for UnitKey {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "unit_key",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// A page of a service unit's filings.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitFilings {
    pub claims: Vec<UnitFiling>,
    /// Pass as `before` for the next page; null on the last.
    pub next: Option<String>,
}

/// One filing of the unit's, with its status.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitFiling {
    #[schema(example = "S41-2569-7KQ4M2")]
    pub reference: String,
    #[schema(schema_with = status_schema)]
    pub status: &'static str,
    pub status_label: Label,
    pub filed_on: NaiveDate,
    pub patient_name: String,
    pub decided_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A claim as the API shows it to the holder of its access code.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ClaimStatus)]
pub struct ApiClaim {
    #[schema(example = "S41-2569-7KQ4M2")]
    pub reference: String,
    #[schema(schema_with = status_schema)]
    pub status: &'static str,
    pub status_label: Label,
    /// What happens next, in plain words.
    pub next_step: Label,
    #[schema(minimum = 1, maximum = 13)]
    pub region: u8,
    pub filed_on: NaiveDate,
    pub filing_deadline: NaiveDate,
    pub expected_decision_by: Option<NaiveDate>,
    pub expected_payment_by: Option<NaiveDate>,
    /// The day the claimant received the decision now open to appeal (opening the status
    /// page, or a delivery staff recorded); the API does not count as receiving it.
    pub decision_received_on: Option<NaiveDate>,
    /// The last day to appeal, counted from decision_received_on.
    pub appeal_by: Option<NaiveDate>,
    pub history: Vec<ApiHistoryItem>,
    pub documents: Vec<DocumentInfo>,
}

/// The same words in Thai and English.
#[derive(Debug, Serialize, ToSchema)]
pub struct Label {
    pub th: &'static str,
    pub en: &'static str,
}

impl Label {
    /// A status in plain words.
    pub fn status(s: ClaimStatus) -> Self {
        Self {
            th: s.label_th(),
            en: s.label_en(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HistoryItem)]
pub struct ApiHistoryItem {
    #[schema(schema_with = status_schema)]
    pub status: &'static str,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
    /// Set when the claimant added a document (the status did not change): its file name.
    pub document: Option<String>,
}

/// A supporting document: one part, named file.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DocumentUpload {
    /// A PDF, JPEG or PNG file of up to 10 MB. Its type is read from its content (a PDF
    /// starts with %PDF-), not from its name.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

fn status_schema() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(ClaimStatus::ALL.iter().map(|s| s.as_str())))
        .description(Some(
            "Where the claim stands; status_label says it in words",
        ))
}
