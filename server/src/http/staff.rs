//! Staff sign-in and sign-out (plain form posts). Sign-out checks the session's CSRF token;
//! SameSite=Strict cookies keep other sites' forms from riding on a session.

use app::backend::audit::{self, Entry};
use app::backend::error::{AppError, AppResult};
use app::backend::cookies::Cookie;
use app::backend::identity::Staff;
use axum::extract::FromRequestParts;
use app::backend::staff::{self, SignIn};
use app::backend::AppState;
use app::backend::client::ClientIp;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};

/// Where staff sign in. Its post takes a place in the work cap itself (see `cap_writes`).
pub(crate) const LOGIN_PATH: &str = "/staff/login";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(LOGIN_PATH, post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/search", post(search))
        .route("/staff/password", post(set_password))
        .route("/staff/claims/{reference}/act", post(act))
        .route("/staff/claims/{reference}/note", post(note))
        .route("/staff/claims/{reference}/reroute", post(reroute))
        .route("/staff/file", post(start_intake))
        .route("/staff/claims/{reference}/checklist", post(checklist))
        .route("/staff/claims/{reference}/conflict", post(conflict))
        .route("/staff/claims/{reference}/notice", post(notice))
        .route("/staff/claims/{reference}/agenda", post(agenda))
        .route("/staff/meetings", post(schedule_meeting))
        .route("/staff/admin/{what}", post(admin_change))
        .route(
            "/staff/claims/{reference}/documents/{doc}",
            axum::routing::get(document),
        )
        .route("/staff/export/{format}", axum::routing::get(export))
        .route("/staff/claims/{reference}/rights-check", post(rights_check))
        .route("/staff/reports/export/{format}", axum::routing::get(export_report))
}

#[derive(serde::Deserialize, Default)]
struct ReportQuery {
    region: Option<String>,
    year: Option<String>,
    month: Option<String>,
}

/// The report page's figures as a CSV or XLSX download. Audited.
async fn export_report(
    State(st): State<AppState>,
    client: ClientIp,
    Path(format): Path<String>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<ReportQuery>,
    SignedIn(me): SignedIn,
) -> AppResult<Response> {
    let format = app::backend::export::Format::parse(&format).ok_or(AppError::NotFound)?;
    let period = app::backend::reports::period_of(query.year.as_deref(), query.month.as_deref())?;
    let lang = super::reader_language(&headers);
    let bytes = app::backend::reports::export(
        &st.db,
        &me,
        query.region.as_deref(),
        period,
        format,
        lang,
        &client.to_string(),
    )
    .await?;
    let name = format!(
        "section41-report-{}{}.{}",
        period.fiscal_year,
        period.month.map_or(String::new(), |m| format!("-{m:02}")),
        format.extension()
    );
    super::download(bytes, format.content_type(), &name)
}

/// Asks the insurer's rights service for the injured person's right (screening staff), and
/// returns to the case page saying what it answered.
async fn rights_check(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form: _ }: StaffPost<Vec<(String, String)>>,
) -> AppResult<Response> {
    let back = format!("/staff/claims/{}", q(&reference));
    let outcome = app::backend::rights::check_for_case(
        &st.db,
        st.settings.rights.as_ref(),
        &me,
        &reference,
        &client.to_string(),
    )
    .await?;
    Ok(Redirect::to(&format!("{back}?rights={}#checklist", outcome.key())).into_response())
}

#[derive(serde::Deserialize, Default)]
struct QueueQuery {
    status: Option<String>,
    s: Option<String>,
    due: Option<String>,
    mine: Option<String>,
    region: Option<String>,
}

/// The queue, with the filters in the address (as the queue page has them), as a CSV or XLSX
/// download. Audited; a search link that has run out exports nothing.
async fn export(
    State(st): State<AppState>,
    client: ClientIp,
    Path(format): Path<String>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<QueueQuery>,
    SignedIn(me): SignedIn,
) -> AppResult<Response> {
    let format = app::backend::export::Format::parse(&format).ok_or(AppError::NotFound)?;
    let search = match query.s.as_deref().filter(|s| !s.is_empty()) {
        Some(token) => Some(
            app::backend::queue::search_of(
                &st.settings.keys,
                &me.email,
                token,
                chrono::Utc::now().timestamp(),
            )
            .ok_or_else(|| AppError::BadRequest("this search link has run out: search again".into()))?,
        ),
        None => None,
    };
    let filter = app::backend::queue::Filter {
        status: query.status.as_deref(),
        q: search.as_deref(),
        before: None,
        due: query.due.as_deref(),
        assigned_to: query.mine.as_deref().filter(|m| *m == "1").map(|_| me.email.as_str()),
        region: query.region.as_deref(),
    };
    let lang = super::reader_language(&headers);
    let file = app::backend::export::queue(&st.db, &me, &filter, format, lang, &client.to_string())
        .await?;
    let today = app::backend::calendar::today_in_bangkok();
    let name = format!("section41-claims-{today}.{}", format.extension());
    let mut resp = super::download(file.bytes, format.content_type(), &name)?;
    let h = resp.headers_mut();
    h.insert("x-rows", HeaderValue::from(file.rows));
    if file.truncated {
        h.insert("x-rows-truncated", HeaderValue::from_static("true"));
    }
    Ok(resp)
}

/// A signed-in staff member, for the staff pages' downloads (documents, letters, exports):
/// without a live session the answer is 401 before the handler runs.
pub(crate) struct SignedIn(pub app::api::types::StaffIdentity);

impl axum::extract::FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        st: &AppState,
    ) -> Result<Self, Response> {
        match Staff::from_request_parts(parts, st)
            .await
            .map_err(IntoResponse::into_response)?
        {
            Staff(Some(me)) => Ok(Self(me)),
            Staff(None) => Err((StatusCode::UNAUTHORIZED, "Sign in first.").into_response()),
        }
    }
}

/// A form posted by a signed-in staff member, its CSRF token checked before the handler
/// runs: the one way into every staff change. Without a live session the answer is 401;
/// with a missing or stale token, 403.
pub(crate) struct StaffPost<T> {
    pub(crate) me: app::api::types::StaffIdentity,
    pub(crate) form: T,
}

/// A staff form's CSRF token (the `csrf` field of every form a staff page renders).
pub(crate) trait Csrf {
    fn csrf(&self) -> &str;
}

impl Csrf for Vec<(String, String)> {
    fn csrf(&self) -> &str {
        self.iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str())
    }
}

impl Csrf for ActForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl Csrf for ConflictForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl Csrf for MeetingForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl Csrf for NoteForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl Csrf for NoticeForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl Csrf for SearchForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl<T> axum::extract::FromRequest<AppState> for StaffPost<T>
where
    T: serde::de::DeserializeOwned + Csrf + Send,
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, st: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let SignedIn(me) = SignedIn::from_request_parts(&mut parts, st).await?;
        let req = axum::extract::Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(req, st)
            .await
            .map_err(IntoResponse::into_response)?;
        csrf_holds(&me, form.csrf())?;
        Ok(Self { me, form })
    }
}

/// Whether a staff form carries its signer's CSRF token; if not, the answer to give.
pub(crate) fn csrf_holds(me: &app::api::types::StaffIdentity, token: &str) -> Result<(), Response> {
    if app::backend::secrets::same_secret(&me.csrf_token, token) {
        Ok(())
    } else {
        Err((
            StatusCode::FORBIDDEN,
            "The form was out of date. Go back, reload the page and try again.",
        )
            .into_response())
    }
}

/// Where a staff form goes once its change is made (`done`), or, when it was refused, back to
/// `back` saying why. A field error names the form (`on`) and the field, so the page can put
/// the message beside that field and link to it.
pub(crate) fn redirect_after(back: &str, form: &str, done: AppResult<String>) -> AppResult<Response> {
    let to = match done {
        Ok(to) => to,
        Err(e) => refused_to(back, form, e)?,
    };
    Ok(Redirect::to(&to).into_response())
}

/// Where a refused or invalid post sends the person back to, with the reason.
fn refused_to(back: &str, form: &str, e: AppError) -> AppResult<String> {
    Ok(match e {
        AppError::Refused(app::domain::actions::Refusal::Role) => format!("{back}?e=role"),
        AppError::Refused(app::domain::actions::Refusal::State(s)) => {
            format!("{back}?e=state&s={}", s.as_str())
        }
        AppError::Validation(errs) => {
            let e = errs.into_iter().next().expect("at least one error");
            format!(
                "{back}?e=invalid&f={}&c={}&on={}",
                q(&e.field),
                q(&serde_json::to_string(&e.code).unwrap_or_default()),
                q(form)
            )
        }
        AppError::Conflict(_) => format!("{back}?e=stale"),
        other => return Err(other),
    })
}

/// One change from the admin page; back to it with the outcome.
async fn admin_change(
    State(st): State<AppState>,
    client: ClientIp,
    Path(what): Path<String>,
    StaffPost { me, form }: StaffPost<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form: std::collections::BTreeMap<String, String> = form.into_iter().collect();
    let done = app::backend::admin::change(
        &st.db,
        &me,
        &what,
        &form,
        &st.settings.public_url,
        &client.to_string(),
    )
        .await
        .map(|shown_once| {
            // A new key goes to the page once, sealed for this administrator (10 minutes).
            let key = shown_once.map(|k| {
                let until = chrono::Utc::now().timestamp() + 600;
                format!("&key={}", q(&st.settings.keys.seal_as("unit-key", &format!("{until}\n{k}"), &me.email)))
            });
            format!("/staff/admin?saved={}{}#{}", q(&what), key.unwrap_or_default(), q(&what))
        });
    redirect_after("/staff/admin", &what, done)
}

#[derive(serde::Deserialize)]
struct DocumentQuery {
    #[serde(default)]
    download: Option<String>,
}

/// A claim's document, shown in the browser (`?download=1` saves it instead). Only PDF, JPEG
/// and PNG are ever stored (checked by content), and nothing here is cached.
async fn document(
    State(st): State<AppState>,
    client: ClientIp,
    Path((reference, doc)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<DocumentQuery>,
    SignedIn(me): SignedIn,
) -> AppResult<Response> {
    let (d, bytes) = app::backend::documents::open_for_staff(
        &st.db,
        &st.settings.documents_dir,
        &me,
        &reference,
        &doc,
        &client.to_string(),
    )
    .await?;
    let disposition = if query.download.is_some() {
        "attachment"
    } else {
        "inline"
    };
    let name = q(&d.filename);
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&d.content_type).map_err(AppError::internal)?,
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("{disposition}; filename*=UTF-8''{name}"))
            .map_err(AppError::internal)?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

#[derive(serde::Deserialize)]
struct MeetingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    meets_on: String,
    #[serde(default)]
    meeting: String,
}

async fn schedule_meeting(
    State(st): State<AppState>,
    client: ClientIp,
    StaffPost { me, form: f }: StaffPost<MeetingForm>,
) -> AppResult<Response> {
    let done = app::backend::meetings::schedule(
        &st.db,
        &me,
        &f.region,
        &f.meets_on,
        &client.to_string(),
    )
    .await
    .map(|()| "/staff/meetings?scheduled=1".to_string());
    redirect_after("/staff/meetings", "meeting", done)
}

async fn agenda(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form: f }: StaffPost<MeetingForm>,
) -> AppResult<Response> {
    let back = format!("/staff/claims/{}", q(&reference));
    let done = app::backend::meetings::put_on_agenda(
        &st.db,
        &me,
        &reference,
        &f.meeting,
        &client.to_string(),
    )
    .await
    .map(|on| format!("{back}?agenda={on}"));
    redirect_after(&back, "agenda", done)
}

#[derive(serde::Deserialize)]
struct ConflictForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    conflict_reason: String,
}

/// Declares a conflict of interest; the declarer goes back to their queue, the case gone from it.
async fn conflict(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form: f }: StaffPost<ConflictForm>,
) -> AppResult<Response> {
    let back = format!("/staff/claims/{}", q(&reference));
    let done = app::backend::actions::declare_conflict(
        &st.db,
        &me,
        &reference,
        &f.conflict_reason,
        &client.to_string(),
    )
    .await
    .map(|()| "/staff?conflict=1".to_string());
    redirect_after(&back, "conflict", done)
}

#[derive(serde::Deserialize)]
struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    input: app::backend::actions::NoticeInput,
}

/// Records the day the claimant received the decision, with the evidence.
async fn notice(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form: f }: StaffPost<NoticeForm>,
) -> AppResult<Response> {
    let back = format!("/staff/claims/{}", q(&reference));
    let done = app::backend::actions::record_notice(
        &st.db,
        &me,
        &reference,
        &f.input,
        &client.to_string(),
    )
    .await
    .map(|()| format!("{back}?notice=1"));
    redirect_after(&back, "notice", done)
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

async fn note(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form: f }: StaffPost<NoteForm>,
) -> AppResult<Response> {
    let back = format!("/staff/claims/{}", q(&reference));
    let done = app::backend::actions::add_note(
        &st.db,
        &me,
        &reference,
        &f.internal_note,
        &client.to_string(),
    )
    .await
    .map(|()| format!("{back}?noted=1"));
    redirect_after(&back, "note", done)
}

#[derive(serde::Deserialize)]
struct PasswordForm {
    #[serde(default)]
    t: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// The owner of an account sets its password from the one-time link mailed to them.
async fn set_password(
    State(st): State<AppState>,
    client: ClientIp,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let back = |e: &str| format!("/staff/password?t={}&e={e}", q(&f.t));
    let to = match staff::set_password(&st.db, &f.t, &f.password, &f.password_again, &client.to_string()).await {
        Ok(_) => "/staff/login?password=set".to_string(),
        Err(AppError::NotFound) => back("expired"),
        Err(AppError::Validation(errs)) if errs.iter().any(|e| e.field == "password_again") => back("differ"),
        Err(AppError::Validation(_)) => back("short"),
        Err(e) => return Err(e),
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(serde::Deserialize)]
struct SearchForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    mine: String,
}

/// The queue's search and filters, posted: back to the queue with the filters in its address
/// and the words searched for sealed in a token (`s`) only this person can use, for
/// `queue::SEARCH_MINUTES`.
async fn search(
    State(st): State<AppState>,
    StaffPost { me, form: f }: StaffPost<SearchForm>,
) -> AppResult<Response> {
    let words = f.q.trim();
    let token = (!words.is_empty()).then(|| {
        app::backend::queue::search_token(
            &st.settings.keys,
            &me.email,
            words,
            chrono::Utc::now().timestamp(),
        )
    });
    let mut to = String::from("/staff");
    let params = [
        ("status", f.status.as_str()),
        ("region", f.region.as_str()),
        ("due", f.due.as_str()),
        ("mine", f.mine.as_str()),
        ("s", token.as_deref().unwrap_or("")),
    ];
    for (k, v) in params.into_iter().filter(|(_, v)| !v.is_empty()) {
        to.push(if to.contains('?') { '&' } else { '?' });
        to.push_str(&format!("{k}={}", q(v)));
    }
    Ok(Redirect::to(&to).into_response())
}

async fn reroute(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form: f }: StaffPost<NoteForm>,
) -> AppResult<Response> {
    let back = format!("/staff/claims/{}", q(&reference));
    // The case has left this person's region: back to their queue.
    let done = app::backend::actions::reroute(
        &st.db,
        &me,
        &reference,
        &f.region,
        &f.internal_note,
        &client.to_string(),
        &st.settings.public_url,
    )
    .await
    .map(|r| format!("/staff?moved={}", r.number()));
    redirect_after(&back, "reroute", done)
}

/// Saves the screening checklist (ticked items repeat the `items` field).
async fn checklist(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form }: StaffPost<Vec<(String, String)>>,
) -> AppResult<Response> {
    let one = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = app::backend::actions::ChecklistInput {
        items: form
            .iter()
            .filter(|(k, _)| k == "items")
            .map(|(_, v)| v.clone())
            .collect(),
        uc_right: one("uc_right"),
        uc_method: one("uc_method"),
        harm_type: one("harm_type"),
    };
    let back = format!("/staff/claims/{}", q(&reference));
    let done = app::backend::actions::save_checklist(
        &st.db,
        &me,
        &reference,
        &input,
        &client.to_string(),
    )
    .await
    .map(|()| format!("{back}?checked=1"));
    redirect_after(&back, "checklist", done)
}

/// Starts a petition on someone's behalf: the channel and received date go into a new draft,
/// and the staff member continues through the claimant's steps.
async fn start_intake(
    State(st): State<AppState>,
    StaffPost { me, form }: StaffPost<Vec<(String, String)>>,
) -> AppResult<Response> {
    use app::domain::intake::{intake_fields, validate_intake, CHANNEL_FIELD};
    let form: std::collections::BTreeMap<String, String> = form.into_iter().collect();
    use app::domain::access::{filing_scope, FilingScope};
    let Some(scope) = filing_scope(&me.grants) else {
        return Ok((
            StatusCode::FORBIDDEN,
            "Only intake staff and provincial health offices can file for someone.",
        )
            .into_response());
    };
    let province = match scope {
        FilingScope::Anywhere => None,
        FilingScope::Province(p) => Some(p),
    };
    match validate_intake(&form, app::backend::calendar::today_in_bangkok()) {
        Ok((channel, received_on)) => {
            let id = app::backend::drafts::create(&st.db, None).await?;
            let d = app::backend::drafts::get(&st.db, id).await?;
            app::backend::drafts::save_step(
                &st.db,
                d,
                intake_fields(channel, received_on, &me.email, province),
                &[],
            )
            .await?;
            Ok(Redirect::to(&format!("/file/{id}/filer")).into_response())
        }
        Err(errors) => {
            let mut back = format!(
                "/staff/file?e={}",
                q(&serde_json::to_string(&errors).map_err(AppError::internal)?)
            );
            for k in [
                CHANNEL_FIELD,
                "intake.received_on.day",
                "intake.received_on.month",
                "intake.received_on.year",
            ] {
                let key = if k == CHANNEL_FIELD { "channel" } else { k };
                back.push_str(&format!(
                    "&{}={}",
                    q(key),
                    q(form.get(k).map(String::as_str).unwrap_or(""))
                ));
            }
            Ok(Redirect::to(&back).into_response())
        }
    }
}

/// Percent-encodes a query value.
pub(crate) fn q(s: &str) -> String {
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
    client: ClientIp,
    Path(reference): Path<String>,
    StaffPost { me, form: f }: StaffPost<ActForm>,
) -> AppResult<Response> {
    let back = format!("/staff/claims/{}", q(&reference));
    let ip = client.to_string();
    let done = app::backend::actions::act(&st.db, &me, &reference, &f.input, &ip, &st.settings.public_url)
        .await
        .map(|status| format!("{back}?done={}", status.as_str()));
    redirect_after(&back, &f.input.event, done)
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn with_cookie(mut resp: Response, cookie: &str) -> AppResult<Response> {
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(cookie).map_err(AppError::internal)?,
    );
    Ok(resp)
}

async fn login(
    State(st): State<AppState>,
    client: ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let ip = client.to_string();
    let email = f.email.trim().to_lowercase();
    let outcome = staff::sign_in(
        &st.db,
        &st.settings.keys,
        staff::Attempt {
            email: &email,
            password: &f.password,
            client,
            device: Cookie::Device.read(&headers, st.settings.secure_cookies),
            work: &st.work,
        },
    )
    .await?;
    // A refused try is not written to the audit log one by one (the first refusal in a
    // window is): a flood of them would otherwise queue every audited action behind it.
    let action = match outcome {
        SignIn::Ok { .. } => Some("sign_in"),
        SignIn::Wrong => Some("sign_in_failed"),
        SignIn::Throttled | SignIn::Busy => None,
    };
    if let Some(action) = action {
        audit::append(
            &st.db,
            Entry {
                actor: &format!("user:{email}"),
                action,
                claim_reference: None,
                detail: "",
                client: &ip,
            },
        )
        .await?;
    }
    match outcome {
        SignIn::Ok { session, device } => {
            let mut resp = with_cookie(
                Redirect::to("/staff").into_response(),
                &Cookie::Staff.set(
                    &session,
                    staff::SESSION_HOURS * 3600,
                    st.settings.secure_cookies,
                ),
            )?;
            resp.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_str(&Cookie::Device.set(
                    &device,
                    staff::DEVICE_SECONDS,
                    st.settings.secure_cookies,
                ))
                    .map_err(AppError::internal)?,
            );
            Ok(resp)
        }
        SignIn::Wrong => Ok(Redirect::to("/staff/login?e=wrong").into_response()),
        SignIn::Throttled => Ok(Redirect::to("/staff/login?e=throttled").into_response()),
        SignIn::Busy => Ok(super::busy()),
    }
}

#[derive(serde::Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// Signing out is the one staff post open to someone whose session has ended (an old tab):
/// they are sent to the sign-in page, the stale cookie cleared, rather than refused.
async fn logout(
    State(st): State<AppState>,
    client: ClientIp,
    Staff(me): Staff,
    headers: HeaderMap,
    Form(f): Form<LogoutForm>,
) -> AppResult<Response> {
    let token = Cookie::Staff.read(&headers, st.settings.secure_cookies);
    let (Some(me), Some(token)) = (me, token) else {
        return with_cookie(
            Redirect::to("/staff/login").into_response(),
            &Cookie::Staff.clear(st.settings.secure_cookies),
        );
    };
    if let Err(refused) = csrf_holds(&me, &f.csrf) {
        return Ok(refused);
    }
    staff::sign_out(&st.db, token).await?;
    let ip = client.to_string();
    audit::append(
        &st.db,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "sign_out",
            claim_reference: None,
            detail: "",
            client: &ip,
        },
    )
    .await?;
    with_cookie(
        Redirect::to("/staff/login").into_response(),
        &Cookie::Staff.clear(st.settings.secure_cookies),
    )
}
