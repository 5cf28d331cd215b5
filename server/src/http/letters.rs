//! Official letters as PDF downloads: the receipt from the confirmation page (to the browser
//! that filed), every letter a claim has reached from the claimant's status page (to their
//! session) and from the staff case page (to staff who may see the case). All audited.

use app::backend::client::ClientIp;
use app::backend::cookies::Cookie;
use app::backend::error::{AppError, AppResult};
use app::backend::identity::Claimant;
use app::backend::letters::{self, Kind};
use app::backend::{claims, drafts, AppState};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/file/{draft}/receipt", get(receipt))
        .route("/claim/{reference}/letters/{kind}", get(claimant))
        .route("/staff/claims/{reference}/letters/{kind}", get(staff))
}


fn pdf((name, bytes): (String, Vec<u8>)) -> AppResult<Response> {
    super::download(bytes, "application/pdf", &name)
}

/// The receipt, right after filing: only to the browser holding the new claim's code cookie
/// (a bare draft link does not open a letter naming the person harmed).
async fn receipt(
    State(st): State<AppState>,
    client: ClientIp,
    Path(draft): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let id = uuid::Uuid::parse_str(&draft).map_err(|_| AppError::NotFound)?;
    let filer = Cookie::NewCode
        .read(&headers, st.settings.secure_cookies)
        .and_then(|v| v.split_once(':').map(|(d, _)| d == id.to_string()))
        .unwrap_or(false);
    if !filer {
        return Err(AppError::NotFound);
    }
    let d = drafts::get(&st.db, id).await?;
    let reference = d.claim_reference.ok_or(AppError::NotFound)?;
    let c = claims::find_by_reference(&st.db, &reference)
        .await?
        .ok_or(AppError::NotFound)?;
    pdf(letters::for_claimant(
        &st.db,
        &c,
        Kind::Receipt,
        super::reader_language(&headers),
        &st.settings.public_url,
        &client.to_string(),
    )
    .await?)
}

async fn claimant(
    State(st): State<AppState>,
    client: ClientIp,
    Path((reference, kind)): Path<(String, String)>,
    headers: HeaderMap,
    session: Claimant,
) -> AppResult<Response> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let c = session.claim(&st.db, &reference).await?;
    pdf(letters::for_claimant(
        &st.db,
        &c,
        kind,
        super::reader_language(&headers),
        &st.settings.public_url,
        &client.to_string(),
    )
    .await?)
}

async fn staff(
    State(st): State<AppState>,
    client: ClientIp,
    Path((reference, kind)): Path<(String, String)>,
    headers: HeaderMap,
    super::staff::SignedIn(me): super::staff::SignedIn,
) -> AppResult<Response> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    pdf(letters::for_staff(
        &st.db,
        &me,
        &reference,
        kind,
        super::reader_language(&headers),
        &st.settings.public_url,
        &client.to_string(),
    )
    .await?)
}
