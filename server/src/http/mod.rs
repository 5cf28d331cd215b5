//! The HTTP surface: Leptos pages and server functions, the plain-form handlers behind the
//! pages, the public JSON API under `/api/v1/`, health, and security headers on everything.

pub mod api;
pub mod assets;
pub mod forms;
pub mod letters;
pub mod metrics;
pub mod openapi;
pub mod payments;
pub mod staff;

use app::backend::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use std::sync::Arc;

/// The app's routes, listed once per process. Leptos suppresses resource loading for the
/// whole process while it lists them, and a page whose data was first asked for in that
/// window never finished (leptos-rs/leptos#4773); listing them again for each router (every
/// server a test or benchmark starts) froze pages other servers were rendering.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let assets = assets::Assets::load(std::path::Path::new(&*state.leptos_options.site_root));
    let urls = assets.urls();
    let shell_urls = urls.clone();
    let pages = Router::new()
        .route("/healthz", get(healthz))
        .route("/stats.csv", get(stats_csv))
        .route("/metrics", get(metrics::serve))
        .route("/lang/{code}", get(switch_language))
        .route("/sfn/{*fn_name}", get(server_fn).post(server_fn))
        .merge(forms::routes())
        .merge(letters::routes())
        .merge(staff::routes())
        .merge(payments::routes())
        .nest("/api/v1", api::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                provide_context(urls.clone());
            },
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            move || provide_context(shell_urls.clone()),
            shell,
        ))
        // gzip or brotli, as the browser accepts: pages are text. (Built files come
        // compressed already, from `assets`.)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(middleware::from_fn_with_state(state.work.clone(), cap_writes));
    Router::new()
        .merge(assets.routes())
        .merge(pages)
        // Per route (it sees the route matched), so counted by route, not by raw path.
        .layer(middleware::from_fn(metrics::track))
        .layer(middleware::from_fn_with_state(
            Arc::new(host_of(&state.settings.public_url)),
            same_origin_writes,
        ))
        // No request waits forever: a stuck one answers 503 and frees its worker.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            std::time::Duration::from_secs(30),
        ))
        .layer(middleware::from_fn(security_headers))
        // Every request gets an id (or keeps the proxy's `x-request-id`), logged with its
        // method, path (never its query, which may hold a search for a name or an ID),
        // status and time, and sent back in the response.
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            tower_http::request_id::MakeRequestUuid,
        ))
        .with_state(state)
}

/// Bounds the work in hand: at most `MAX_CONCURRENT_WRITES` posts (filings, uploads,
/// sign-ins, code checks: what costs hashing, disk and mail) run at once on this instance.
/// Beyond that the answer is 503 with `Retry-After` at once, instead of a queue that would
/// slow everyone down; reading pages is not held up by it.
async fn cap_writes(
    State(permits): State<Arc<tokio::sync::Semaphore>>,
    req: Request,
    next: Next,
) -> Response {
    // A staff sign-in takes its place itself, after its account's delay (`staff::sign_in`):
    // were the delay slept holding a place, wrong passwords from many addresses could fill
    // every place and turn away everyone's posts.
    if only_reads(req.method()) || req.uri().path() == staff::LOGIN_PATH {
        return next.run(req).await;
    }
    let Ok(_permit) = permits.try_acquire() else {
        return busy();
    };
    next.run(req).await
}

/// 503 with `Retry-After`: this instance has as many posts in hand as it takes.
pub(crate) fn busy() -> Response {
    ::metrics::counter!("writes_shed_total").increment(1);
    let mut resp = (
        StatusCode::SERVICE_UNAVAILABLE,
        "ระบบมีผู้ใช้งานมาก กรุณาลองใหม่ในอีกสักครู่ / The service is busy. Please try again in a few seconds.",
    )
        .into_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    resp
}

/// Whether a request of this method only reads (so changes nothing and costs little).
fn only_reads(method: &axum::http::Method) -> bool {
    use axum::http::Method;
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn request_span(req: &Request<Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}

async fn server_fn(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// The language the reader chose (the `lang` cookie), Thai by default: files made for them
/// (letters, exports) are written in it.
pub(crate) fn reader_language(headers: &axum::http::HeaderMap) -> app::i18n::Locale {
    app::backend::cookies::Cookie::Lang
        .read(headers, false)
        .and_then(app::i18n::Locale::parse)
        .unwrap_or_default()
}

/// A file to save: its type and name, never cached (letters and exports hold personal data).
pub(crate) fn download(
    bytes: Vec<u8>,
    content_type: &'static str,
    name: &str,
) -> app::backend::error::AppResult<Response> {
    use app::backend::error::AppError;
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).map_err(AppError::internal)?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// The public statistics as open data: every fiscal year and region, as published on
/// `/stats` (figures not published are empty cells).
async fn stats_csv(State(state): State<AppState>) -> Response {
    match app::backend::stats::published(&state.db).await {
        Ok(stats) => {
            let years = stats.map(|s| s.years).unwrap_or_default();
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"section41-stats.csv\"",
                    ),
                    // Public figures, worked out again hourly.
                    (header::CACHE_CONTROL, "public, max-age=600"),
                ],
                app::backend::stats::csv(&years),
            )
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// Sets the `lang` cookie and returns to the page the person was on.
async fn switch_language(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = app::i18n::Locale::parse(&code).unwrap_or_default();
    let next = q
        .get("next")
        .map(String::as_str)
        .filter(|n| is_local_path(n))
        .unwrap_or("/");
    let mut resp = Redirect::to(next).into_response();
    let cookie = app::backend::cookies::Cookie::Lang.set(
        lang.code(),
        365 * 24 * 3600,
        st.settings.secure_cookies,
    );
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).expect("ascii cookie"),
    );
    resp
}

/// Only a path on this site may be redirected to. Browsers drop tabs and newlines from a
/// `Location`, read `\\` as `/` and `//host` as another site, so anything but visible
/// ASCII, any backslash, and a second leading slash are refused, not cleaned up.
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

/// Refuses state-changing requests sent by another site's page (login CSRF on `/check`
/// and `/staff/login`, forged answers or appeals). Browsers say where a request comes from
/// in `Sec-Fetch-Site` and `Origin`; clients that send neither (the JSON API's callers,
/// curl) are not browsers riding on someone's cookies. `SameSite` cookies are the second line.
async fn same_origin_writes(
    axum::extract::State(public_host): axum::extract::State<Arc<Option<String>>>,
    req: Request,
    next: Next,
) -> Response {
    if !only_reads(req.method()) {
        let h = req.headers();
        let fetch_site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let origin_host = h
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .map(|o| host_of(o).unwrap_or_default());
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        // Browsers that send `Sec-Fetch-Site` are believed; older ones are judged by `Origin`,
        // which they send as this site's own on its forms (`Referrer-Policy: same-origin`).
        // "null" comes from sandboxed frames and `data:` pages, which any site can make.
        let cross = match fetch_site {
            // A sibling subdomain ("same-site") is another site for our purposes.
            Some(site) => !matches!(site, "same-origin" | "none"),
            // This site is the host the request names, or the one `PUBLIC_URL` names (a
            // proxy in front may pass on a host of its own).
            None => origin_host.is_some_and(|o| {
                Some(o.as_str()) != host && Some(o.as_str()) != public_host.as_deref()
            }),
        };
        if cross {
            tracing::warn!(uri = %req.uri(), "cross-site write refused");
            return (StatusCode::FORBIDDEN, "This form was sent from another website, so it was not accepted. Open the page on this site and try again.").into_response();
        }
    }
    next.run(req).await
}

/// The `host[:port]` of a URL (`https://claims.example/` → `claims.example`).
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty()).then(|| host.to_string())
}

/// Headers every response carries. Each request gets a fresh nonce: HTML pages are sent
/// with a CSP allowing only scripts that carry it (Leptos's own, see `app::shell`); any
/// other response (API, files, redirects) gets a CSP that allows nothing to run.
async fn security_headers(mut req: Request, next: Next) -> Response {
    let nonce = app::backend::secrets::new_token()[..32].to_string();
    req.extensions_mut().insert(app::CspNonce(nonce.clone()));
    let mut resp = next.run(req).await;
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = resp.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // Other sites learn nothing of where their visitors came from here; this site's own
    // posts carry their real `Origin` (under "no-referrer" browsers send "null").
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    // Pages and answers about a person are not kept by browsers or proxies (the back
    // button on a shared computer, a caching proxy): anything that did not say how it may
    // be cached (the static files do) is not stored.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    let csp = if is_html {
        HeaderValue::from_str(&format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
        ))
        .expect("hex nonce")
    } else {
        HeaderValue::from_static("default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; frame-ancestors 'none'")
    };
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_redirects() {
        assert!(super::is_local_path("/file?x=1"));
        assert!(!super::is_local_path("//evil.example"));
        assert!(!super::is_local_path("https://evil.example"));
        assert!(!super::is_local_path("/\\evil.example"));
        // Browsers drop tabs and newlines: `/\t/evil.example` would become `//evil.example`.
        for sneaky in ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil", " //evil", "/ /evil", "/x\\y", "/ก"] {
            assert!(!super::is_local_path(sneaky), "{sneaky:?}");
        }
        assert!(super::is_local_path("/claim/S41-2569-ABCD?lang=th#top"));
    }

    #[test]
    fn the_public_host() {
        assert_eq!(super::host_of("https://claims.example/").as_deref(), Some("claims.example"));
        assert_eq!(super::host_of("http://127.0.0.1:3000").as_deref(), Some("127.0.0.1:3000"));
        assert_eq!(super::host_of(""), None);
    }
}
