//! Staff sign-in and sign-out (plain form posts). Sign-out checks the session's CSRF token;
//! SameSite=Strict cookies keep other sites' forms from riding on a session.

use app::backend::audit::{self, Entry};
use app::backend::error::{AppError, AppResult};
use app::backend::sessions::cookie_value;
use app::backend::staff::{self, SignIn};
use app::backend::AppState;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/login", post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/claims/{reference}/act", post(act))
        .route("/staff/claims/{reference}/note", post(note))
        .route("/staff/claims/{reference}/reroute", post(reroute))
}

/// The signed-in staff member behind a state-changing post, if the session is live and the
/// form carries its CSRF token; otherwise the response to send instead.
async fn poster(st: &AppState, headers: &HeaderMap, csrf: &str) -> AppResult<Result<app::api::types::StaffIdentity, Response>> {
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let me = match cookie_value(cookies, staff::COOKIE) {
        Some(token) => staff::identify(&st.db, token).await?,
        None => None,
    };
    Ok(match me {
        None => Err((StatusCode::UNAUTHORIZED, "Sign in first.").into_response()),
        Some((_, me)) if !app::backend::secrets::same_secret(&me.csrf_token, csrf) => Err((StatusCode::FORBIDDEN, "The form was out of date. Go back, reload the page and try again.").into_response()),
        Some((_, me)) => Ok(me),
    })
}

/// Where a refused or invalid post sends the person back to, with the reason.
fn refused_to(back: &str, e: AppError) -> AppResult<String> {
    Ok(match e {
        AppError::Refused(app::domain::actions::Refusal::Role) => format!("{back}?e=role"),
        AppError::Refused(app::domain::actions::Refusal::State(s)) => format!("{back}?e=state&s={}", s.as_str()),
        AppError::Validation(errs) => {
            let e = errs.into_iter().next().expect("at least one error");
            format!("{back}?e=invalid&f={}&c={}", q(&e.field), q(&serde_json::to_string(&e.code).unwrap_or_default()))
        }
        AppError::Conflict(_) => format!("{back}?e=stale"),
        other => return Err(other),
    })
}

#[derive(serde::Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    internal_note: String,
    #[serde(default)]
    region: String,
}

async fn note(State(st): State<AppState>, ConnectInfo(client): ConnectInfo<SocketAddr>, Path(reference): Path<String>, headers: HeaderMap, Form(f): Form<NoteForm>) -> AppResult<Response> {
    let me = match poster(&st, &headers, &f.csrf).await? {
        Ok(me) => me,
        Err(resp) => return Ok(resp),
    };
    let back = format!("/staff/claims/{}", q(&reference));
    let to = match app::backend::actions::add_note(&st.db, &me, &reference, &f.internal_note, &client.ip().to_string()).await {
        Ok(()) => format!("{back}?noted=1"),
        Err(e) => refused_to(&back, e)?,
    };
    Ok(Redirect::to(&to).into_response())
}

async fn reroute(State(st): State<AppState>, ConnectInfo(client): ConnectInfo<SocketAddr>, Path(reference): Path<String>, headers: HeaderMap, Form(f): Form<NoteForm>) -> AppResult<Response> {
    let me = match poster(&st, &headers, &f.csrf).await? {
        Ok(me) => me,
        Err(resp) => return Ok(resp),
    };
    let back = format!("/staff/claims/{}", q(&reference));
    let to = match app::backend::actions::reroute(&st.db, &me, &reference, &f.region, &f.internal_note, &client.ip().to_string()).await {
        // The case has left this person's region: back to their queue.
        Ok(r) => format!("/staff?moved={}", r.number()),
        Err(e) => refused_to(&back, e)?,
    };
    Ok(Redirect::to(&to).into_response())
}

/// Percent-encodes a query value.
fn q(s: &str) -> String {
    app::components::layout::urlencode(s)
}

#[derive(serde::Deserialize)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    input: app::backend::actions::ActionInput,
}

/// Takes a staff action from the case page and returns to it with the outcome.
async fn act(
    State(st): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    Form(f): Form<ActForm>,
) -> AppResult<Response> {
    let me = match poster(&st, &headers, &f.csrf).await? {
        Ok(me) => me,
        Err(resp) => return Ok(resp),
    };
    let back = format!("/staff/claims/{}", q(&reference));
    let ip = client.ip().to_string();
    let to = match app::backend::actions::act(&st.db, &me, &reference, &f.input, &ip).await {
        Ok(status) => format!("{back}?done={}", status.as_str()),
        Err(e) => refused_to(&back, e)?,
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn with_cookie(mut resp: Response, cookie: &str) -> AppResult<Response> {
    resp.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(cookie).map_err(AppError::internal)?);
    Ok(resp)
}

async fn login(State(st): State<AppState>, ConnectInfo(client): ConnectInfo<SocketAddr>, Form(f): Form<LoginForm>) -> AppResult<Response> {
    let ip = client.ip().to_string();
    let email = f.email.trim().to_lowercase();
    let outcome = staff::sign_in(&st.db, &email, &f.password, &ip).await?;
    let action = match outcome {
        SignIn::Ok(_) => "sign_in",
        SignIn::Wrong => "sign_in_failed",
        SignIn::Throttled => "sign_in_throttled",
    };
    // A throttled try is not written to the audit log: a flood of them would otherwise
    // queue every audited action behind the log's single head row.
    if matches!(outcome, SignIn::Throttled) {
        tracing::warn!(%email, client = %ip, "sign-in throttled");
    } else {
        audit::append(&st.db, Entry { actor: &format!("user:{email}"), action, claim_reference: None, detail: "", client: &ip }).await?;
    }
    match outcome {
        SignIn::Ok(token) => with_cookie(Redirect::to("/staff").into_response(), &staff::session_cookie(&token, st.settings.secure_cookies)),
        SignIn::Wrong => Ok(Redirect::to("/staff/login?e=wrong").into_response()),
        SignIn::Throttled => Ok(Redirect::to("/staff/login?e=throttled").into_response()),
    }
}

#[derive(serde::Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(State(st): State<AppState>, ConnectInfo(client): ConnectInfo<SocketAddr>, headers: HeaderMap, Form(f): Form<LogoutForm>) -> AppResult<Response> {
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some(token) = cookie_value(cookies, staff::COOKIE) else {
        return Ok(Redirect::to("/staff/login").into_response());
    };
    let Some((_, me)) = staff::identify(&st.db, token).await? else {
        return with_cookie(Redirect::to("/staff/login").into_response(), &staff::clear_cookie());
    };
    if !app::backend::secrets::same_secret(&f.csrf, &me.csrf_token) {
        return Ok((StatusCode::FORBIDDEN, "The form was out of date. Go back, reload the page and try again.").into_response());
    }
    staff::sign_out(&st.db, token).await?;
    let ip = client.ip().to_string();
    audit::append(&st.db, Entry { actor: &format!("user:{}", me.email), action: "sign_out", claim_reference: None, detail: "", client: &ip }).await?;
    with_cookie(Redirect::to("/staff/login").into_response(), &staff::clear_cookie())
}
