//! Server functions for staff pages. Every one identifies the caller from the session
//! cookie and applies the role-and-region rule on the server; opening a case is audited.

use super::types::{AdminView, CaseView, MeetingsPage, QueuePage, StaffIdentity};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) async fn caller(
) -> Result<(crate::backend::AppState, StaffIdentity, String), ServerFnError> {
    use crate::backend::{client::ClientIp, identity::Staff};
    let st = super::state()?;
    let client = leptos_axum::extract_with_state::<ClientIp, _>(&st)
        .await?
        .to_string();
    let Staff(me) = leptos_axum::extract_with_state(&st).await?;
    let me = me.ok_or_else(|| ServerFnError::new("unauthorized"))?;
    Ok((st, me, client))
}

/// The signed-in staff member, or `None`.
#[server(prefix = "/sfn", endpoint = "staff_me")]
pub async fn staff_me() -> Result<Option<StaffIdentity>, ServerFnError> {
    match caller().await {
        Ok((_, me, _)) => Ok(Some(me)),
        Err(_) => Ok(None),
    }
}

/// A page of the claims the caller may see, newest first, optionally filtered.
#[server(prefix = "/sfn", endpoint = "staff_queue")]
pub async fn staff_queue(
    status: Option<String>,
    search: Option<String>,
    before: Option<String>,
    due: Option<String>,
    mine: Option<String>,
    region: Option<String>,
) -> Result<QueuePage, ServerFnError> {
    let (st, me, client) = caller().await?;
    // A search comes as a token sealed for this person (see `POST /staff/search`).
    let search = search.filter(|s| !s.is_empty()).map(|token| {
        crate::backend::queue::search_of(
            &st.settings.keys,
            &me.email,
            &token,
            chrono::Utc::now().timestamp(),
        )
    });
    if let Some(None) = search {
        return Ok(QueuePage {
            items: Vec::new(),
            next: None,
            search: None,
            search_expired: true,
        });
    }
    let q = search.flatten();
    let filter = crate::backend::queue::Filter {
        status: status.as_deref(),
        q: q.as_deref(),
        before: before.as_deref(),
        due: due.as_deref(),
        assigned_to: mine.is_some_and(|m| m == "1").then_some(me.email.as_str()),
        region: region.as_deref(),
    };
    let mut page = crate::backend::queue::page(&st.db, &me, filter)
        .await
        .map_err(super::hide)?;
    page.search = q.clone();
    // A search tells the searcher whether someone has claimed: it is audited like an opening.
    // A queue page lists names too: which claims it showed is audited (never the names).
    let listed = page
        .items
        .iter()
        .map(|i| i.reference.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let searched = q.as_deref().filter(|q| !q.trim().is_empty());
    if searched.is_some() || !page.items.is_empty() {
        let detail = match searched {
            Some(q) => format!(
                "{}; {} found: {listed}",
                crate::backend::queue::search_summary(q),
                page.items.len()
            ),
            None => format!("{} listed: {listed}", page.items.len()),
        };
        let entry = crate::backend::audit::Entry {
            actor: &format!("user:{}", me.email),
            action: if searched.is_some() { "search" } else { "queue_viewed" },
            claim_reference: None,
            detail: &detail,
            client: &client,
        };
        crate::backend::audit::append(&st.db, entry)
            .await
            .map_err(super::hide)?;
    }
    Ok(page)
}

/// A case's full petition data, for staff whose role and region allow it. Audited.
#[server(prefix = "/sfn", endpoint = "staff_case")]
pub async fn staff_case(reference: String, show_account: bool) -> Result<CaseView, ServerFnError> {
    let (st, me, client) = caller().await?;
    let mut case = crate::backend::queue::open_case(&st.db, &me, &reference, show_account, &client)
        .await
        .map_err(super::hide)?;
    case.rights_service = st.settings.rights.is_some();
    Ok(case)
}

/// Upcoming committee meetings of the caller's regions, with their agendas.
#[server(prefix = "/sfn", endpoint = "staff_meetings")]
pub async fn staff_meetings() -> Result<MeetingsPage, ServerFnError> {
    let (st, me, client) = caller().await?;
    let page = crate::backend::meetings::page(&st.db, &me)
        .await
        .map_err(super::hide)?;
    // Agendas list people's names: who saw which is in the audit log (never the names).
    let listed: Vec<String> = page
        .meetings
        .iter()
        .flat_map(|m| m.cases.iter().map(|c| c.reference.clone()))
        .collect();
    if !listed.is_empty() {
        let entry = crate::backend::audit::Entry {
            actor: &format!("user:{}", me.email),
            action: "agendas_viewed",
            claim_reference: None,
            detail: &listed.join(" "),
            client: &client,
        };
        crate::backend::audit::append(&st.db, entry)
            .await
            .map_err(super::hide)?;
    }
    Ok(page)
}

/// The admin page's data, for administrators only.
#[server(prefix = "/sfn", endpoint = "staff_admin")]
pub async fn staff_admin(key: Option<String>) -> Result<AdminView, ServerFnError> {
    let (st, me, _) = caller().await?;
    let mut view = crate::backend::admin::overview(&st.db, &me)
        .await
        .map_err(super::hide)?;
    // A key this administrator just issued, sealed for them, while it is fresh.
    view.new_key = key
        .and_then(|k| st.settings.keys.unseal_as("unit-key", &k, &me.email))
        .and_then(|plain| {
            let (until, key) = plain.split_once('\n')?;
            (until.parse::<i64>().ok()? >= chrono::Utc::now().timestamp()).then(|| key.to_string())
        });
    Ok(view)
}

/// The office's report for a region (or all the caller may see) and a fiscal year (BE) or
/// one month of it; the current fiscal year by default. Audited.
/// A regional officer's payments: what is ready for the bank, what waits for an account,
/// and the batches sent.
#[server(prefix = "/sfn", endpoint = "staff_payments")]
pub async fn staff_payments(region: Option<String>) -> Result<super::types::PaymentsPage, ServerFnError> {
    let (st, me, client) = caller().await?;
    crate::backend::payments::page(&st.db, &me, region.as_deref(), &client)
        .await
        .map_err(super::hide)
}

#[server(prefix = "/sfn", endpoint = "staff_report")]
pub async fn staff_report(
    region: Option<String>,
    year: Option<String>,
    month: Option<String>,
) -> Result<super::types::ReportView, ServerFnError> {
    let (st, me, client) = caller().await?;
    let period = crate::backend::reports::period_of(year.as_deref(), month.as_deref())
        .map_err(super::hide)?;
    crate::backend::reports::for_staff(&st.db, &me, region.as_deref(), period, &client)
        .await
        .map_err(super::hide)
}
