//! Server functions the pages load their data with, and the view types they return. Each
//! checks on the server what the caller may see; pages never touch the database.

pub mod staff;
/// The view types, which live below both this module and the backend.
pub use crate::views as types;

use leptos::prelude::*;
use types::{ClaimStatusView, ConfirmationView, DraftView};

#[cfg(feature = "ssr")]
fn state() -> Result<crate::backend::AppState, ServerFnError> {
    use_context::<crate::backend::AppState>().ok_or_else(|| ServerFnError::new("no app state"))
}

#[cfg(feature = "ssr")]
fn hide(e: crate::backend::error::AppError) -> ServerFnError {
    use crate::backend::error::AppError;
    match e {
        AppError::NotFound => ServerFnError::new("not_found"),
        AppError::Internal(cause) => {
            tracing::error!(%cause, "server function failed");
            ServerFnError::new("internal")
        }
        other => ServerFnError::new(other.to_string()),
    }
}

/// A petition in progress, by its (unguessable) draft ID.
#[server(prefix = "/sfn", endpoint = "draft")]
pub async fn get_draft(id: String) -> Result<DraftView, ServerFnError> {
    use crate::backend::{calendar, documents, drafts};
    let st = state()?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ServerFnError::new("not_found"))?;
    let d = drafts::get(&st.db, id).await.map_err(hide)?;
    let today = calendar::today_in_bangkok();
    Ok(DraftView {
        id: d.id.to_string(),
        fields: drafts::fields_of(&d),
        errors: drafts::errors_of(&d),
        documents: documents::of_draft(&st.db, d.id).await.map_err(hide)?,
        reference: d.claim_reference.clone(),
        today,
        holidays: calendar::holidays_for_filing(&st.db, today)
            .await
            .map_err(hide)?,
        service_units: crate::backend::admin::service_units(&st.db)
            .await
            .map_err(hide)?,
    })
}

/// What the confirmation page shows after filing from the web form.
#[server(prefix = "/sfn", endpoint = "confirmation")]
pub async fn get_confirmation(id: String) -> Result<ConfirmationView, ServerFnError> {
    use crate::backend::{claims, drafts};
    let st = state()?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ServerFnError::new("not_found"))?;
    let d = drafts::get(&st.db, id).await.map_err(hide)?;
    let reference = d
        .claim_reference
        .clone()
        .ok_or_else(|| ServerFnError::new("not_found"))?;
    let c = claims::find_by_reference(&st.db, &reference)
        .await
        .map_err(hide)?
        .ok_or_else(|| ServerFnError::new("not_found"))?;

    let parts: http::request::Parts = leptos_axum::extract().await?;
    let access_code = crate::backend::cookies::Cookie::NewCode
        .read(&parts.headers, st.settings.secure_cookies)
        .and_then(|v| v.split_once(':'))
        .filter(|(draft, _)| *draft == d.id.to_string())
        .map(|(_, code)| code.to_string());
    // Only to the browser that filed (it holds the code cookie): a bare draft link does not
    // reveal where mail goes.
    let email_to = access_code
        .as_ref()
        .and(c.patient_email.clone().or(c.filer_email.clone()));
    Ok(ConfirmationView {
        reference,
        access_code,
        region: c.region.number(),
        filed_on: c.filed_on,
        filing_deadline: c.filing_deadline,
        email_to,
        expected_decision_by: c.due_on,
    })
}

/// A claim's status for the claimant holding a session for it (see `/check`).
#[server(prefix = "/sfn", endpoint = "claim_status")]
pub async fn get_claim_status(reference: String) -> Result<ClaimStatusView, ServerFnError> {
    use crate::backend::claims;
    let st = state()?;
    use crate::backend::{client::ClientIp, identity::Claimant};
    let session: Claimant = leptos_axum::extract_with_state(&st).await?;
    let c = session.claim(&st.db, &reference).await.map_err(hide)?;
    let client = leptos_axum::extract_with_state::<ClientIp, _>(&st)
        .await?
        .to_string();
    // The claimant now sees any decision waiting for them: that is the day they received it.
    let c = claims::note_seen(&st.db, c, &client).await.map_err(hide)?;
    claims::status_view(&st.db, &c).await.map_err(hide)
}

/// The public statistics as last worked out (no sign-in: only published figures).
#[server(prefix = "/sfn", endpoint = "public_stats")]
pub async fn public_stats() -> Result<Option<types::PublicStats>, ServerFnError> {
    let st = state()?;
    crate::backend::stats::published(&st.db).await.map_err(hide)
}
