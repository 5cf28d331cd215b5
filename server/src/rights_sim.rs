//! A stand-in for the insurer's rights service, serving the same contract as the real one
//! (`app::backend::rights`), for the tests and the demo: `section41 rights-sim`.
//!
//! Who holds which right is decided by the 12th digit of the national ID (the one before
//! the check digit), so a test can pick its answer: 0–6 the Gold Card right (UCS) with a
//! main service unit, 7 social security (SSS), 8 civil servants' benefits (OFC), 9 not
//! registered (404). A wrong or missing token is 401.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

/// The default token (`RIGHTS_API_TOKEN` overrides it).
pub const DEFAULT_TOKEN: &str = "simulator";

pub fn router(token: String) -> Router {
    Router::new()
        .route("/v1/rights/check", post(check))
        .with_state(Arc::new(token))
}

async fn check(State(token): State<Arc<String>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(token.as_str()) {
        return (StatusCode::UNAUTHORIZED, Json(json!({"error": "unauthorized"}))).into_response();
    }
    let id = body["national_id"].as_str().unwrap_or_default();
    let date = body["service_date"].as_str().unwrap_or_default();
    if id.len() != 13 || !id.bytes().all(|b| b.is_ascii_digit()) || date.len() != 10 {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "bad_request"}))).into_response();
    }
    let (code, name) = match id.as_bytes()[11] {
        b'0'..=b'6' => ("UCS", "สิทธิหลักประกันสุขภาพแห่งชาติ (บัตรทอง)"),
        b'7' => ("SSS", "สิทธิประกันสังคม"),
        b'8' => ("OFC", "สิทธิสวัสดิการรักษาพยาบาลข้าราชการ"),
        _ => return (StatusCode::NOT_FOUND, Json(json!({"error": "not_found"}))).into_response(),
    };
    Json(json!({
        "national_id": id,
        "service_date": date,
        "right": {"code": code, "name": name},
        "main_unit": {"code": "10670", "name": "โรงพยาบาลนครพิงค์"},
    }))
    .into_response()
}

/// Serves the simulator at `addr` until stopped, printing its address.
pub async fn run(addr: &str, token: String) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("rights-sim: {addr}: {e}"))?;
    let at = listener.local_addr().map_err(|e| e.to_string())?;
    println!("rights service simulator at http://{at} (token {token:?}); set RIGHTS_API_URL=http://{at} RIGHTS_API_TOKEN={token}");
    axum::serve(listener, router(token)).await.map_err(|e| e.to_string())
}
