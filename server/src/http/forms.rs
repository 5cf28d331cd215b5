//! The plain HTML form posts behind the pages (post/redirect/get). They work with or
//! without JavaScript; the pages render whatever these handlers stored.

use super::api::{read_file_field, MAX_UPLOAD_BYTES};
use app::backend::calendar::{holidays_for_petition, today_in_bangkok};
use app::domain::petition::raw_from_form;
use app::backend::claims::{self, Channel, Filing, Idempotency};
use app::backend::documents;
use app::backend::error::{AppError, AppResult};
use app::backend::{drafts, sessions, throttle, AppState};
use app::domain::petition::{errors_for_step, Step, DATE_FIELDS};
use app::domain::FieldError;
use app::i18n::Locale;
use app::backend::client::ClientIp;
use app::backend::cookies::Cookie;
use app::backend::identity::{Claimant, Staff};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use std::collections::BTreeMap;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/file/start", post(start))
        .route("/file/{draft}/submit", post(submit))
        .route(
            "/file/{draft}/documents",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/file/{draft}/documents/{doc}/delete",
            post(remove_document),
        )
        .route("/file/{draft}/{step}", post(save_step))
        .route("/check", post(check))
        .route(
            "/claim/{reference}/respond",
            post(respond).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/claim/{reference}/appeal",
            post(appeal).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
}

/// A text field named `text` and an optional file named `file`.
async fn text_and_file(
    mut m: Multipart,
) -> AppResult<(String, Option<(String, axum::body::Bytes)>)> {
    let (mut text, mut file) = (String::new(), None);
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        match field.name() {
            Some("text") => text = field.text().await.map_err(super::api::multipart_error)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("document").to_string();
                let bytes = field.bytes().await.map_err(super::api::multipart_error)?;
                if !bytes.is_empty() {
                    file = Some((name, bytes));
                }
            }
            _ => {}
        }
    }
    Ok((text, file))
}

/// Answers an information request, or appeals, from the status page, with an optional
/// document: both are kept, or (anything refused) neither.
async fn claimant_step(
    st: AppState,
    client: ClientIp,
    session: Claimant,
    reference: String,
    m: Multipart,
    event: app::domain::Event,
) -> AppResult<Response> {
    let c = session.claim(&st.db, &reference).await?;
    let back = format!("/claim/{}", c.reference);
    let (text, file) = text_and_file(m).await?;
    if text.trim().is_empty() {
        let f = if event == app::domain::Event::Appeal {
            "appeal_reason"
        } else {
            "answer"
        };
        return Ok(see_other(format!("{back}?e={f}")));
    }
    // Everything is checked before anything is stored: the attachment here, the step and
    // the attachment's place on the claim in one transaction.
    let document = match &file {
        Some((name, bytes)) => match documents::check(name, bytes) {
            Ok(doc) => Some(doc),
            Err(AppError::Validation(errs)) => return Ok(see_other(documents_error(&back, &errs))),
            Err(e) => return Err(e),
        },
        None => None,
    };
    match app::backend::actions::claimant_act(
        &st.db,
        &c,
        event,
        &text,
        document.as_ref(),
        &client.to_string(),
    )
    .await
    {
        Ok(status) => Ok(see_other(format!("{back}?done={}", status.as_str()))),
        Err(AppError::Refused(_)) | Err(AppError::Conflict(_)) => {
            Ok(see_other(format!("{back}?e=state")))
        }
        Err(AppError::Validation(errs)) if errs.iter().any(|e| e.field == "documents") => {
            Ok(see_other(documents_error(&back, &errs)))
        }
        Err(AppError::Validation(errs)) => Ok(see_other(invalid_step(&back, &errs))),
        Err(e) => Err(e),
    }
}

/// Back to the status page with what was wrong with the attachment.
fn documents_error(back: &str, errs: &[app::domain::FieldError]) -> String {
    step_problem(back, "documents", errs)
}

/// Back to the status page with the first problem, for its error summary.
fn invalid_step(back: &str, errs: &[app::domain::FieldError]) -> String {
    step_problem(back, "invalid", errs)
}

/// Back to the status page saying what kind of problem (`e`) and its first code (`c`).
fn step_problem(back: &str, kind: &str, errs: &[app::domain::FieldError]) -> String {
    let code = errs
        .first()
        .map(|e| serde_json::to_string(&e.code).unwrap_or_default())
        .unwrap_or_default();
    format!(
        "{back}?e={kind}&c={}",
        app::components::layout::urlencode(&code)
    )
}

async fn respond(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    session: Claimant,
    m: Multipart,
) -> AppResult<Response> {
    claimant_step(
        st,
        client,
        session,
        reference,
        m,
        app::domain::Event::ProvideInfo,
    )
    .await
}

async fn appeal(
    State(st): State<AppState>,
    client: ClientIp,
    Path(reference): Path<String>,
    session: Claimant,
    m: Multipart,
) -> AppResult<Response> {
    claimant_step(
        st,
        client,
        session,
        reference,
        m,
        app::domain::Event::Appeal,
    )
    .await
}

fn see_other(to: String) -> Response {
    Redirect::to(&to).into_response()
}

fn draft_id(s: &str) -> AppResult<Uuid> {
    Uuid::parse_str(s).map_err(|_| AppError::NotFound)
}

fn locale(headers: &HeaderMap) -> Locale {
    Cookie::Lang
        .read(headers, false)
        .and_then(Locale::parse)
        .unwrap_or_default()
}

async fn start(State(st): State<AppState>, client: ClientIp) -> AppResult<Response> {
    // Each draft holds up to 10 documents for days: one client may start only so many.
    let key = format!("draft:{}", client.key());
    if let Err(AppError::TooManyRequests) =
        throttle::attempt(&st.db, &key, drafts::PER_CLIENT, &client.to_string()).await
    {
        return Ok(see_other("/file?e=throttled".into()));
    }
    let id = drafts::create(&st.db, Some(client.key())).await?;
    Ok(see_other(format!("/file/{id}/{}", Step::Filer.slug())))
}

/// Saves one step's answers; back to the same step with its errors, or on to the next.
async fn save_step(
    State(st): State<AppState>,
    Path((draft, step)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let step = Step::parse(&step)
        .filter(|s| !s.fields().is_empty())
        .ok_or(AppError::NotFound)?;
    let d = drafts::get(&st.db, draft_id(&draft)?).await?;
    if d.claim_reference.is_some() {
        return Ok(see_other(format!("/file/{}/done", d.id)));
    }
    // A change made from check-your-answers goes back there once the step is right.
    let returning = form.iter().any(|(k, v)| k == "return_to" && v == "check");
    let mut answers: BTreeMap<String, String> = step
        .fields()
        .iter()
        .filter(|f| !DATE_FIELDS.contains(f))
        .map(|f| (f.to_string(), String::new()))
        .collect();
    answers.extend(
        form.into_iter()
            .filter(|(k, _)| step.owns(k))
            .map(|(k, v)| (k, v.chars().take(6000).collect())),
    );
    let mut all = drafts::fields_of(&d);
    all.extend(answers.clone());
    let today = today_in_bangkok();
    let holidays = holidays_for_petition(&st.db, &raw_from_form(&all)).await?;
    let errors = match app::domain::intake::validate_fields(&all, today, &holidays) {
        Ok(_) => Vec::new(),
        Err(e) => errors_for_step(&e, step),
    };
    let id = d.id;
    drafts::save_step(&st.db, d, answers, &errors).await?;
    Ok(see_other(
        match (errors.is_empty(), returning, step.next()) {
            (false, false, _) => format!("/file/{id}/{}", step.slug()),
            (false, true, _) => format!("/file/{id}/{}?return=check", step.slug()),
            (true, true, _) | (true, false, None) => format!("/file/{id}/check"),
            (true, false, Some(next)) => format!("/file/{id}/{}", next.slug()),
        },
    ))
}

async fn upload(
    State(st): State<AppState>,
    Path(draft): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let d = drafts::get(&st.db, draft_id(&draft)?).await?;
    if d.claim_reference.is_some() {
        return Ok(see_other(format!("/file/{}/done", d.id)));
    }
    let id = d.id;
    let stored = match multipart {
        Ok(mut m) => match read_file_field(&mut m).await {
            Ok((name, bytes)) if bytes.is_empty() => {
                Err(AppError::Validation(vec![FieldError::new(
                    "documents",
                    app::domain::ErrorCode::Required,
                )]))
                .map(|_: ()| (name, bytes))
            }
            other => other,
        },
        Err(e) => Err(AppError::BadRequest(e.body_text())),
    };
    let result = match stored {
        Ok((name, bytes)) => documents::store_in_draft(
            &st.db,
            id,
            &name,
            &bytes,
            st.settings.draft_bytes_per_client,
        )
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let errors = match result {
        Ok(()) => Vec::new(),
        Err(AppError::Validation(errs)) => errs,
        Err(AppError::PayloadTooLarge) => vec![FieldError::new(
            "documents",
            app::domain::ErrorCode::FileTooLarge { max_mb: 10 },
        )],
        Err(e) => return Err(e),
    };
    drafts::save_step(&st.db, d, BTreeMap::new(), &errors).await?;
    Ok(see_other(format!("/file/{id}/documents")))
}

async fn remove_document(
    State(st): State<AppState>,
    Path((draft, doc)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = draft_id(&draft)?;
    let doc = Uuid::parse_str(&doc).map_err(|_| AppError::NotFound)?;
    documents::remove_from_draft(&st.db, id, doc).await?;
    Ok(see_other(format!("/file/{id}/documents")))
}

/// Files the petition. A second press of the button (or a retried request) finds the
/// first filing through the draft's idempotency key and never makes a second claim.
async fn submit(
    State(st): State<AppState>,
    client: ClientIp,
    Path(draft): Path<String>,
    headers: HeaderMap,
    staff: Staff,
) -> AppResult<Response> {
    let d = drafts::get(&st.db, draft_id(&draft)?).await?;
    let id = d.id;
    if d.claim_reference.is_some() {
        return Ok(see_other(format!("/file/{id}/done")));
    }
    // A petition staff started is sent by the staff member who started it, signed in.
    let assisted = app::domain::intake::assisted_of(&drafts::fields_of(&d));
    let Staff(me) = staff;
    let mut grants = Vec::new();
    if let Some(a) = &assisted {
        match me {
            Some(me) if me.email == a.staff && app::domain::access::filing_scope(&me.grants).is_some() => {
                grants = me.grants
            }
            _ => return Ok(see_other("/staff/login".into())),
        }
    }
    let key = format!("draft:{id}");
    let idem = Idempotency {
        key: &key,
        request_hash: "web-form",
        replays_code: false,
    };
    // A repeated press finds the first filing; only the press that filed sets the cookie.
    let filed = claims::once(&st.db, &st.settings.keys, Some(idem), || async {
        let today = today_in_bangkok();
        let fields = drafts::fields_of(&d);
        let holidays = holidays_for_petition(&st.db, &raw_from_form(&fields)).await?;
        let petition = app::domain::intake::validate_fields(&fields, today, &holidays)
            .map_err(AppError::Validation)?;
        // Still allowed to file about this province (a grant may have changed since the
        // draft was started).
        if assisted.is_some() && !grants.iter().any(|g| g.can_file_for(petition.province)) {
            return Err(AppError::Validation(vec![]));
        }
        let filing = Filing {
            petition: &petition,
            channel: Channel::Web,
            lang: locale(&headers),
            filed_on: today,
            draft_id: Some(id),
            idempotency: Some(idem),
            assisted: assisted.clone(),
            client: &client.to_string(),
            limit: None,
            unit_key: None,
        };
        st.filings.file(&st.settings, filing).await
    })
    .await;
    let (filed, fresh) = match filed {
        Ok(answer) => answer,
        // Changed since the check page (or out of its window now): back to it.
        Err(AppError::Validation(_)) => return Ok(see_other(format!("/file/{id}/check"))),
        Err(e) => return Err(e),
    };
    drafts::mark_submitted(&st.db, d, &filed.reference).await?;
    let mut resp = see_other(format!("/file/{id}/done"));
    if fresh {
        let cookie = drafts::access_code_cookie(id, &filed.access_code, st.settings.secure_cookies);
        resp.headers_mut().insert(
            header::SET_COOKIE,
            HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
        );
    }
    Ok(resp)
}

#[derive(serde::Deserialize)]
struct CheckForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    access_code: String,
}

/// Reference + access code → a short claimant session and the status page (each try
/// counted for the client).
async fn check(
    State(st): State<AppState>,
    client: ClientIp,
    Form(f): Form<CheckForm>,
) -> AppResult<Response> {
    if f.reference.trim().is_empty() || f.access_code.trim().is_empty() {
        return Ok(see_other("/check?e=missing".into()));
    }
    match claims::open_with_code(
        &st.db,
        &st.settings.keys,
        &f.reference,
        &f.access_code,
        client,
    )
    .await
    {
        Ok(c) => {
            let token = sessions::start(&st.db, c.id).await?;
            let mut resp = see_other(format!("/claim/{}", c.reference));
            let cookie = Cookie::Claimant.set(
                &token,
                sessions::MINUTES * 60,
                st.settings.secure_cookies,
            );
            resp.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
            );
            Ok(resp)
        }
        Err(AppError::NotFound) => {
            let shown: String = f
                .reference
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(20)
                .collect();
            Ok(see_other(format!("/check?e=nomatch&ref={shown}")))
        }
        Err(AppError::TooManyRequests) => Ok(see_other("/check?e=throttled".into())),
        Err(e) => Err(e),
    }
}
