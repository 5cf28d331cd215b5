//! The public JSON API for hospitals and integrations (`/api/v1`), described by
//! `/api/v1/openapi.json`.

use super::openapi;
use app::backend::calendar::{today_in_bangkok, validate_api_petition};
use app::backend::claims::{self, Channel, Filing, Idempotency};
use app::backend::documents;
use app::backend::error::{AppError, AppResult};
use app::backend::{secrets, AppState};
use app::domain::petition::RawPetition;
use app::i18n::Locale;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use app::backend::client::ClientIp;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

pub const MAX_JSON_BYTES: usize = 64 * 1024;
pub const MAX_UPLOAD_BYTES: usize = documents::MAX_BYTES + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route(
            "/claims",
            post(create_claim).layer(DefaultBodyLimit::max(MAX_JSON_BYTES)),
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
            let k = v
                .to_str()
                .map_err(|_| {
                    AppError::BadRequest("Idempotency-Key must be printable ASCII".into())
                })?
                .trim();
            if k.is_empty() || k.len() > 200 {
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
#[tracing::instrument(skip_all)]
async fn create_claim(
    State(st): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<Response> {
    let body = body.map_err(body_error)?;
    let key = idempotency_key(&headers)?;
    let request_hash = secrets::sha256_hex(&body);
    let idem = key.as_deref().map(|k| Idempotency {
        key: k,
        request_hash: &request_hash,
        replays_code: true,
    });
    let (filed, fresh) = claims::once(&st.db, &st.settings.keys, idem, || async {
        let raw: RawPetition = serde_json::from_slice(&body).map_err(|e| {
            AppError::BadRequest(format!("The body is not valid JSON for a petition: {e}"))
        })?;
        let today = today_in_bangkok();
        let petition = validate_api_petition(&st.db, &raw, today)
            .await?
            .map_err(AppError::Validation)?;
        // Counted once valid, before anything is written or mailed.
        app::backend::throttle::attempt(
            &st.db,
            &format!("file:{}", client.key()),
            app::backend::throttle::API_FILINGS_PER_CLIENT,
            &client.to_string(),
        )
        .await?;
        let filing = Filing {
            petition: &petition,
            channel: Channel::Api,
            lang: locale_from(&headers),
            filed_on: today,
            draft_id: None,
            idempotency: idem,
            assisted: None,
            client: "",
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
async fn get_claim(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let c = open(&st, client, &headers, &reference).await?;
    let v = claims::status_view(&st.db, &c).await?;
    Ok(Json(json!({
        "reference": v.reference,
        "status": v.status.as_str(),
        "status_label": { "th": v.status.label_th(), "en": v.status.label_en() },
        "next_step": { "th": v.status.next_step_th(), "en": v.status.next_step_en() },
        "region": v.region,
        "filed_on": v.filed_on,
        "filing_deadline": c.filing_deadline,
        "expected_decision_by": v.expected_decision_by,
        "expected_payment_by": v.expected_payment_by,
        // Set once the claimant received the decision (the API does not count as receiving it).
        "decision_received_on": v.notified.map(|(on, _)| on),
        "appeal_by": v.appeal_by,
        "history": v.history.iter().map(|h| json!({"status": h.status.as_str(), "at": h.at, "note": h.note, "document": h.document})).collect::<Vec<_>>(),
        "documents": v.documents,
    }))
    .into_response())
}

/// `POST /api/v1/claims/{reference}/documents` (multipart field `file`, `X-Access-Code`).
async fn add_document(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let c = open(&st, client, &headers, &reference).await?;
    let mut multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let (filename, bytes) = read_file_field(&mut multipart).await?;
    let doc = documents::check(&filename, &bytes)?;
    let doc =
        app::backend::actions::claimant_add_document(&st.db, &c, &doc, &client.to_string()).await?;
    Ok((StatusCode::CREATED, Json(doc)).into_response())
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

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(e.body_text())
    }
}
