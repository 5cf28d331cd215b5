//! The one error type of the server side. Each variant maps once to an HTTP status and a
//! message; internal causes are logged in full and never shown.

use crate::domain::FieldError;
use crate::i18n::{error_message, Locale};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// One or more fields failed validation; nothing was stored.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("too many attempts")]
    TooManyRequests,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// A staff action this person may not take now (role, region or state).
    #[error("refused: {0:?}")]
    Refused(crate::domain::actions::Refusal),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Refused(_) => StatusCode::FORBIDDEN,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    /// The JSON body the public API answers with.
    pub fn body(&self) -> serde_json::Value {
        match self {
            Self::Validation(errors) => json!({
                "errors": errors.iter().map(|e| json!({
                    "field": e.field,
                    "code": e.code.as_str(),
                    "message": error_message(Locale::En, e),
                    "message_th": error_message(Locale::Th, e),
                })).collect::<Vec<_>>()
            }),
            Self::NotFound => {
                json!({"error": "not_found", "message": "No claim matches that reference and access code."})
            }
            Self::TooManyRequests => {
                json!({"error": "too_many_requests", "message": "Too many attempts. Wait 15 minutes and try again."})
            }
            Self::PayloadTooLarge => {
                json!({"error": "payload_too_large", "message": "The request is too large."})
            }
            Self::BadRequest(m) => json!({"error": "bad_request", "message": m}),
            Self::Conflict(m) => json!({"error": "conflict", "message": m}),
            Self::Refused(crate::domain::actions::Refusal::Role) => {
                json!({"error": "refused", "message": "Your role or region does not allow this action."})
            }
            Self::Refused(crate::domain::actions::Refusal::State(s)) => {
                json!({"error": "refused", "message": format!("This action is not possible while the claim is {}.", s.label_en())})
            }
            Self::Internal(_) => {
                json!({"error": "internal", "message": "Something went wrong on our side. Nothing was lost; please try again."})
            }
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(format!("database: {e}"))
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        Self::Internal(format!("io: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(%cause, "request failed");
        }
        let mut resp = (self.status_code(), axum::Json(self.body())).into_response();
        if let Self::PayloadTooLarge = self {
            // The rest of the body is not read, so this connection cannot carry another
            // request: say so, or a client may send its next one down it and lose it.
            resp.headers_mut().insert(
                axum::http::header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
        }
        if let Self::TooManyRequests = self {
            // The count is per window: by then this client may try again.
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(super::throttle::WINDOW_MINUTES as u64 * 60),
            );
        }
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;
