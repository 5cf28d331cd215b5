//! `/metrics` in the Prometheus text format, for the operator only: it answers just a
//! request carrying `Authorization: Bearer $METRICS_TOKEN`, and nothing when no token is
//! set. The `metrics` crate records; `metrics-exporter-prometheus` writes the format.
//!
//! Counted as they happen: requests and their latency by route and status, claims filed,
//! mail that failed to send, each background job's last run. Read from the database when
//! scraped (so every instance reports the shared state): the outbox's depth and the age
//! of its oldest unsent message. And this instance's database pool in use.

use app::backend::entities::outbox;
use app::backend::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::sync::OnceLock;
use std::time::Instant;

/// The process's recorder, installed on first use (one per process: every server a test
/// starts shares it).
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                &[
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ],
            )
            .expect("bucket list is not empty")
            .install_recorder()
            .expect("no other metrics recorder in this process")
    })
}

/// Counts every request and times it, by the route it matched (never its raw path, which
/// may carry a reference or a draft id) and by status.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "other".to_string());
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route, "method" => method)
        .record(start.elapsed().as_secs_f64());
    resp
}

pub async fn serve(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = st.settings.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let offered = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !app::backend::secrets::same_secret(offered, token) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Err(e) = shared_state(&st).await {
        tracing::error!(error = %e, "metrics: reading the outbox");
    }
    pool_use(&st);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        recorder().render(),
    )
        .into_response()
}

async fn shared_state(st: &AppState) -> Result<(), sea_orm::DbErr> {
    let unsent = outbox::Entity::find().filter(outbox::Column::SentAt.is_null());
    let depth = unsent.clone().count(&st.db).await?;
    let oldest = unsent
        .order_by_asc(outbox::Column::CreatedAt)
        .one(&st.db)
        .await?
        .map(|m| (chrono::Utc::now() - m.created_at).num_seconds().max(0))
        .unwrap_or(0);
    metrics::gauge!("outbox_unsent_messages").set(depth as f64);
    metrics::gauge!("outbox_oldest_unsent_age_seconds").set(oldest as f64);
    Ok(())
}

fn pool_use(st: &AppState) {
    let (size, idle) = match st.db.get_database_backend() {
        DbBackend::Postgres => {
            let p = st.db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => {
            let p = st.db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
    };
    metrics::gauge!("db_pool_connections", "state" => "open").set(size as f64);
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    metrics::gauge!("db_pool_connections", "state" => "in_use")
        .set(size.saturating_sub(idle as u32) as f64);
}
