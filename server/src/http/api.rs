//! The public JSON API for hospitals and integrations (`/api/v1`), described by
//! `/api/v1/openapi.json`.

use super::openapi::{self, ApiClaim, ApiHistoryItem, DocumentUpload, Label};
use app::backend::calendar::{today_in_bangkok, validate_api_petition};
use app::backend::claims::{self, Channel, Filed, Filing, Idempotency};
use app::backend::client::ClientIp;
use app::backend::documents;
use app::backend::error::{ApiError, ValidationErrors};
use app::backend::error::{AppError, AppResult};
use app::backend::{secrets, AppState};
use app::domain::petition::RawPetition;
use app::i18n::Locale;
use app::views::DocumentInfo;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

pub const MAX_JSON_BYTES: usize = 64 * 1024;
pub const MAX_UPLOAD_BYTES: usize = documents::MAX_BYTES + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route(
            "/claims",
            post(create_claim)
                .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
                .get(list_claims),
        )
        .route("/claims/{reference}", get(get_claim))
        .route(
            "/claims/{reference}/documents",
            post(add_document).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
}

fn body_error(e: BytesRejection) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(e.body_text())
    }
}

fn locale_from(headers: &HeaderMap) -> Locale {
    let accept = headers
        .get("accept-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.trim_start().starts_with("en") {
        Locale::En
    } else {
        Locale::Th
    }
}

fn idempotency_key(headers: &HeaderMap) -> AppResult<Option<String>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => {
            let raw = v.to_str().map_err(|_| {
                AppError::BadRequest("Idempotency-Key must be printable ASCII".into())
            })?;
            let k = raw.trim();
            if k.is_empty() || raw.len() > 200 {
                return Err(AppError::BadRequest(
                    "Idempotency-Key must be 1 to 200 characters".into(),
                ));
            }
            Ok(Some(format!("api:{k}")))
        }
    }
}

fn replayed(filed: claims::Filed) -> Response {
    (
        StatusCode::CREATED,
        [("idempotent-replayed", "true")],
        Json(filed),
    )
        .into_response()
}

/// `POST /api/v1/claims`: validate and file a petition. 201 with the reference, or 422
/// naming every failing field; nothing is stored unless everything is valid.
#[utoipa::path(
    post,
    path = "/api/v1/claims",
    operation_id = "createClaim",
    tag = "claims",
    summary = "File a petition",
    params(("Idempotency-Key" = Option<String>, Header, nullable = false, max_length = 200, pattern = r"^[\t -~]*[!-~][\t -~]*$",
        description = "A retry with the same key and body returns the first answer (for 7 days) \
            and never files twice. A key counts only together with its body: the same key with \
            another body is another request, so nobody can take your key first. Use a random \
            UUID: the first answer's access code is kept sealed under the key.")),
    request_body(content = RawPetition, content_type = "application/json"),
    responses(
        (status = 201, description = "Filed", body = Filed, links(
            ("getClaim" = (operation_id = "getClaim", parameters(
                ("reference" = "$response.body#/reference"),
                ("header.X-Access-Code" = "$response.body#/access_code")))),
            ("addDocument" = (operation_id = "addDocument", parameters(
                ("reference" = "$response.body#/reference"),
                ("header.X-Access-Code" = "$response.body#/access_code")))),
        )),
        (status = 400, description = "Not JSON, not an object, or a field of the wrong type; nothing stored", body = ApiError),
        (status = 413, description = "Body over 64 KB", body = ApiError),
        (status = 422, description = "Invalid fields, every one named; nothing stored", body = ValidationErrors),
        (status = 429, description = "This client filed 20 petitions in 15 minutes (retries answered \
            from their Idempotency-Key are not counted)", body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "Busy: this instance has as many posts in hand as it takes \
            (MAX_CONCURRENT_WRITES)", body = String, content_type = "text/plain", headers(("Retry-After" = u32, description = "Seconds to wait"))),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn create_claim(
    State(st): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<Response> {
    let body = body.map_err(body_error)?;
    // A service unit's key makes the filing the unit's; no key is the public's filing.
    let unit = app::backend::unit_keys::from_header(
        &st.db,
        headers.get("authorization").and_then(|v| v.to_str().ok()),
    )
    .await?;
    let key = idempotency_key(&headers)?;
    let request_hash = secrets::sha256_hex(&body);
    let idem = key.as_deref().map(|k| Idempotency {
        key: k,
        request_hash: &request_hash,
        replays_code: true,
    });
    let client_key = client.key();
    let (filed, fresh) = claims::once(&st.db, &st.settings.keys, idem, || async {
        let raw: RawPetition = serde_json::from_slice(&body).map_err(|e| {
            AppError::BadRequest(format!("The body is not valid JSON for a petition: {e}"))
        })?;
        let today = today_in_bangkok();
        let petition = validate_api_petition(&st.db, &raw, today)
            .await?
            .map_err(AppError::Validation)?;
        if unit.is_some() && petition.relation != app::domain::Relation::ServiceUnit {
            return Err(AppError::Validation(vec![app::domain::FieldError::new(
                "filer.relation",
                app::domain::ErrorCode::InvalidChoice,
            )]));
        }
        let client = client.to_string();
        let filing = Filing {
            petition: &petition,
            channel: if unit.is_some() { Channel::ServiceUnit } else { Channel::Api },
            lang: locale_from(&headers),
            filed_on: today,
            draft_id: None,
            idempotency: idem,
            assisted: None,
            client: &client,
            // Counted once valid, in the transaction that writes the filing: nothing is
            // written or mailed past the limit, and the count costs no commit of its own.
            limit: Some(match &unit {
                Some(u) => (format!("file:unit:{}", u.id), app::backend::unit_keys::FILINGS_PER_KEY),
                None => (
                    format!("file:{client_key}"),
                    app::backend::throttle::API_FILINGS_PER_CLIENT,
                ),
            }),
            unit_key: unit.as_ref().map(|u| u.id),
        };
        st.filings.file(&st.settings, filing).await
    })
    .await?;
    Ok(if fresh {
        (StatusCode::CREATED, Json(filed)).into_response()
    } else {
        replayed(filed)
    })
}

/// Opens a claim with the `X-Access-Code` header (each try counted for the client).
async fn open(
    st: &AppState,
    client: ClientIp,
    headers: &HeaderMap,
    reference: &str,
) -> AppResult<app::backend::entities::claim::Model> {
    let code = headers
        .get("x-access-code")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    if code.is_empty() {
        // A request without a code is a mistake, not a guess: said so, and not counted.
        return Err(AppError::BadRequest(
            "Send the claim's access code in the X-Access-Code header.".into(),
        ));
    }
    claims::open_with_code(&st.db, &st.settings.keys, reference, code, client).await
}

/// `GET /api/v1/claims/{reference}` with `X-Access-Code`: status and history, or 404.
#[utoipa::path(
    get,
    path = "/api/v1/claims/{reference}",
    operation_id = "getClaim",
    tag = "claims",
    summary = "A claim's status and history",
    params(
        ("reference" = String, Path, description = "The claim's reference, e.g. S41-2569-7KQ4M2"),
        ("X-Access-Code" = String, Header, pattern = r"^[\t -~]*[!-~][\t -~]*$", description = "The access code given when the claim was filed"),
    ),
    responses(
        (status = 200, description = "The claim", body = ApiClaim),
        (status = 400, description = "No X-Access-Code header (not counted as a wrong try)", body = ApiError),
        (status = 404, description = "Unknown reference or wrong access code (indistinguishable)", body = ApiError),
        (status = 429, description = "Too many wrong codes from this client in 15 minutes (web and \
            API together)", body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn get_claim(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let c = open(&st, client, &headers, &reference).await?;
    let v = claims::status_view(&st.db, &c).await?;
    Ok(Json(ApiClaim {
        reference: v.reference,
        status: v.status.as_str(),
        status_label: Label::status(v.status),
        next_step: Label {
            th: v.status.next_step_th(),
            en: v.status.next_step_en(),
        },
        region: v.region,
        filed_on: v.filed_on,
        filing_deadline: c.filing_deadline,
        expected_decision_by: v.expected_decision_by,
        expected_payment_by: v.expected_payment_by,
        decision_received_on: v.notified.map(|(on, _)| on),
        appeal_by: v.appeal_by,
        history: v
            .history
            .into_iter()
            .map(|h| ApiHistoryItem {
                status: h.status.as_str(),
                at: h.at,
                note: h.note,
                document: h.document,
            })
            .collect(),
        documents: v.documents,
    })
    .into_response())
}

/// `POST /api/v1/claims/{reference}/documents` (multipart field `file`, `X-Access-Code`).
#[utoipa::path(
    post,
    path = "/api/v1/claims/{reference}/documents",
    operation_id = "addDocument",
    tag = "claims",
    summary = "Add a supporting document (PDF, JPEG or PNG, up to 10 MB; at most 10 per claim)",
    params(
        ("reference" = String, Path, description = "The claim's reference"),
        ("X-Access-Code" = String, Header, pattern = r"^[\t -~]*[!-~][\t -~]*$", description = "The access code given when the claim was filed"),
    ),
    request_body(content = DocumentUpload, content_type = "multipart/form-data",
        encoding(("file" = (content_type = "application/pdf, image/jpeg, image/png")))),
    responses(
        (status = 201, description = "Stored, and recorded in the claim's history", body = DocumentInfo),
        (status = 400, description = "No X-Access-Code header, not a multipart body, or parts other than one named file", body = ApiError),
        (status = 403, description = "The claim is paid, closed or withdrawn: it takes no more documents", body = ApiError),
        (status = 404, description = "Unknown reference or wrong access code", body = ApiError),
        (status = 413, description = "File over 10 MB", body = ApiError),
        (status = 409, description = "The claim has its 10 documents already (code too_many_files)", body = ValidationErrors),
        (status = 422, description = "No file, or a type other than PDF, JPEG or PNG", body = ValidationErrors),
        (status = 429, description = "Too many wrong codes from this client", body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "Busy (MAX_CONCURRENT_WRITES)", body = String, content_type = "text/plain", headers(("Retry-After" = u32, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn add_document(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let c = open(&st, client, &headers, &reference).await?;
    let mut multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let (filename, bytes) = read_the_file_part(&mut multipart).await?;
    let doc = documents::check(&filename, &bytes)?;
    let doc = app::backend::actions::claimant_add_document(&st.db, &c, &doc, &client.to_string())
        .await
        .map_err(|e| match e {
            // The file was fine; the claim is full. A conflict with its state, not bad data.
            AppError::Validation(errs)
                if errs
                    .iter()
                    .any(|e| matches!(e.code, app::domain::ErrorCode::TooManyFiles { .. })) =>
            {
                AppError::Full(errs)
            }
            e => e,
        })?;
    Ok((StatusCode::CREATED, Json(doc)).into_response())
}

/// The API's upload: exactly one part, named `file`, as its schema says; anything else in
/// the body is refused rather than ignored.
async fn read_the_file_part(multipart: &mut Multipart) -> AppResult<(String, Bytes)> {
    let mut found = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") || found.is_some() {
            return Err(AppError::BadRequest(
                "Send one part, named file, and nothing else.".into(),
            ));
        }
        let filename = field.file_name().unwrap_or("document").to_string();
        found = Some((filename, field.bytes().await.map_err(multipart_error)?));
    }
    found.ok_or_else(|| {
        AppError::Validation(vec![app::domain::FieldError::new(
            "documents",
            app::domain::ErrorCode::Required,
        )])
    })
}

/// The first part named `file` (or the first part with a file name) of a multipart body.
pub async fn read_file_field(multipart: &mut Multipart) -> AppResult<(String, Bytes)> {
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() == Some("file") || field.file_name().is_some() {
            let filename = field.file_name().unwrap_or("document").to_string();
            let bytes = field.bytes().await.map_err(multipart_error)?;
            return Ok((filename, bytes));
        }
    }
    Err(AppError::Validation(vec![app::domain::FieldError::new(
        "documents",
        app::domain::ErrorCode::Required,
    )]))
}

/// A multipart error as ours: too large is 413, anything else a bad request.
pub(crate) fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(e.body_text())
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// The `next` of the page before; omit for the newest page.
    #[param(max_length = 64)]
    before: Option<String>,
}

/// `GET /api/v1/claims`: the petitions a service unit filed with its key, newest first,
/// 50 a page, with their status.
#[utoipa::path(
    get,
    path = "/api/v1/claims",
    operation_id = "listClaims",
    tag = "claims",
    summary = "List the petitions your service unit filed",
    params(ListQuery),
    security(("unit_key" = [])),
    responses(
        (status = 200, description = "A page of the unit's filings", body = openapi::UnitFilings),
        (status = 404, description = "`before` is not one of the unit's filings", body = ApiError),
        (status = 401, description = "No key, or a key unknown or revoked", body = ApiError),
    )
)]
pub(crate) async fn list_claims(
    State(st): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> AppResult<Response> {
    let unit = app::backend::unit_keys::from_header(
        &st.db,
        headers.get("authorization").and_then(|v| v.to_str().ok()),
    )
    .await?
    .ok_or(AppError::Unauthorized)?;
    let (rows, next) = app::backend::unit_keys::filings(&st.db, &unit, q.before.as_deref()).await?;
    let claims = rows
        .iter()
        .map(|c| openapi::UnitFiling {
            reference: c.reference.clone(),
            status: c.status.as_str(),
            status_label: Label::status(c.status),
            filed_on: c.filed_on,
            patient_name: c.patient_name.clone(),
            decided_on: c.decided_on,
            paid_on: c.paid_on,
        })
        .collect();
    Ok(Json(openapi::UnitFilings { claims, next }).into_response())
}
