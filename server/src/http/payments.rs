//! Payment transfers over plain form posts: a claim's bank account (given by the claimant on
//! their status page, or by the region's staff on the case page), and a regional office's
//! batches (made, downloaded for the bank, and the bank's result file taken back in).

use super::staff::{csrf_holds, q, redirect_after, SignedIn, StaffPost};
use app::backend::client::ClientIp;
use app::backend::error::{AppError, AppResult};
use app::backend::identity::Claimant;
use app::backend::payments::{self, Imported};
use app::backend::{payment_accounts, AppState};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::collections::BTreeMap;

/// A bank's result file is a few hundred lines: 2 MB is far more than any needs.
const MAX_RESULT_FILE: usize = 2 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/claim/{reference}/bank-account", post(claimant_account))
        .route("/staff/claims/{reference}/bank-account", post(staff_account))
        .route("/staff/payments/batches", post(create_batch))
        .route("/staff/payments/batches/{id}/file", get(batch_file))
        .route(
            "/staff/payments/batches/{id}/results",
            post(import_results).layer(DefaultBodyLimit::max(MAX_RESULT_FILE + 64 * 1024)),
        )
}

fn typed(form: &BTreeMap<String, String>) -> (&str, &str, &str) {
    let get = |k: &str| form.get(k).map_or("", String::as_str);
    (get("bank_code"), get("account_number"), get("account_holder"))
}

/// The claimant gives the account on their status page. Errors come back by field, with
/// nothing but the bank kept in the address (never the number or the name).
async fn claimant_account(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    session: Claimant,
    Form(form): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let c = session.claim(&st.db, &reference).await?;
    let back = format!("/claim/{}", c.reference);
    let to = match payment_accounts::give(&st.db, &c, typed(&form), "claimant", &client.to_string()).await {
        Ok(()) => format!("{back}?account=saved#payment"),
        Err(AppError::Validation(errs)) => format!(
            "{back}?account_errors={}&bank={}#payment",
            q(&serde_json::to_string(&errs).map_err(AppError::internal)?),
            q(typed(&form).0)
        ),
        // The bank has the transfer now (or no payment is due): the section says which.
        Err(AppError::Refused(_)) => format!("{back}?account=held#payment"),
        Err(e) => return Err(e),
    };
    Ok(Redirect::to(&to).into_response())
}

/// The region's intake or officers give the account from the petition.
async fn staff_account(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form }: StaffPost<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form: BTreeMap<String, String> = form.into_iter().collect();
    let client = client.to_string();
    let reference = app::domain::reference::normalise_reference(&reference);
    let back = format!("/staff/claims/{reference}");
    let c = app::backend::actions::visible_case(&st.db, &me, &reference, "bank_account", &client).await?;
    let done = payment_accounts::give_by_staff(&st.db, &me, &c, typed(&form), &client)
        .await
        .map(|()| format!("{back}?account=saved#payment"));
    redirect_after(&back, "bank", done)
}

/// Makes the region's next batch; on to the payments page, the new batch first.
async fn create_batch(
    State(st): State<AppState>,
    client: ClientIp,
    StaffPost { me, form }: StaffPost<Vec<(String, String)>>,
) -> AppResult<Response> {
    let region = form.iter().find(|(k, _)| k == "region").map(|(_, v)| v.as_str());
    let back = format!("/staff/payments?region={}", q(region.unwrap_or("")));
    let to = match payments::create_batch(&st.db, &me, region, &client.to_string()).await {
        Ok(_) => format!("{back}&batch=made"),
        Err(AppError::Conflict(_)) => format!("{back}&e=empty"),
        Err(e) => return Err(e),
    };
    Ok(Redirect::to(&to).into_response())
}

/// The batch's CSV for the bank. Audited (it holds whole account numbers).
async fn batch_file(
    State(st): State<AppState>,
    client: ClientIp,
    Path(id): Path<String>,
    SignedIn(me): SignedIn,
) -> AppResult<Response> {
    let (label, bytes) = payments::batch_file(&st.db, &me, &id, &client.to_string()).await?;
    super::download(bytes, "text/csv; charset=utf-8", &format!("{label}.csv"))
}

/// The bank's result file: the CSRF token and the file, from one multipart form.
async fn import_results(
    State(st): State<AppState>,
    client: ClientIp,
    Path(id): Path<String>,
    SignedIn(me): SignedIn,
    mut m: Multipart,
) -> AppResult<Response> {
    let (mut csrf, mut file, mut region) = (String::new(), None, String::new());
    use super::api::multipart_error;
    while let Some(field) = m.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(multipart_error)?,
            Some("region") => region = field.text().await.map_err(multipart_error)?,
            Some("file") => file = Some(field.bytes().await.map_err(multipart_error)?),
            _ => {}
        }
    }
    if let Err(refused) = csrf_holds(&me, &csrf) {
        return Ok(refused);
    }
    let back = format!("/staff/payments?region={}", q(&region));
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return Ok(Redirect::to(&format!("{back}&e=nofile&for={}#batch-{id}", q(&id))).into_response());
    };
    let imported = match payments::import(&st.db, &me, &id, &bytes, &client.to_string(), &st.settings.public_url).await {
        Err(AppError::Conflict(_)) => {
            return Ok(Redirect::to(&format!("{back}&e=busy&for={}#batch-{id}", q(&id))).into_response())
        }
        other => other?,
    };
    let to = match imported {
        Imported::Done { paid, failed, unchanged } => {
            format!("{back}&imported={paid}.{failed}.{unchanged}&for={}#batch-{id}", q(&id))
        }
        Imported::Already { at } => format!("{back}&already={}&for={}#batch-{id}", at.timestamp(), q(&id)),
        Imported::Problems(mut problems) => {
            // The first few in the address; the page says how many more.
            let more = problems.len().saturating_sub(10);
            problems.truncate(10);
            format!(
                "{back}&problems={}&more={more}&for={}#batch-{id}",
                q(&serde_json::to_string(&problems).map_err(AppError::internal)?),
                q(&id)
            )
        }
    };
    Ok(Redirect::to(&to).into_response())
}
