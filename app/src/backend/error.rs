//! The one error type of the server side. Each variant maps once to an HTTP status and a
//! message; internal causes are logged in full and never shown.

use crate::domain::FieldError;
use crate::i18n::{error_message, Locale};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// One or more fields failed validation; nothing was stored.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A well-formed request the claim cannot take as it stands (its 10 documents are
    /// there already): 409, with the body of a validation error naming why.
    #[error("full")]
    Full(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    /// An API key that is unknown or revoked.
    #[error("unauthorized")]
    Unauthorized,
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
            Self::Full(_) => StatusCode::CONFLICT,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
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
        let problem = |error: &'static str, message: String| {
            serde_json::to_value(ApiError { error, message }).expect("plain data")
        };
        match self {
            Self::Validation(errors) | Self::Full(errors) => {
                serde_json::to_value(ValidationErrors {
                    errors: errors
                        .iter()
                        .map(|e| ApiFieldError {
                            field: e.field.clone(),
                            code: e.code.as_str(),
                            message: error_message(Locale::En, e),
                            message_th: error_message(Locale::Th, e),
                        })
                        .collect(),
                })
                .expect("plain data")
            }
            Self::NotFound => problem(
                "not_found",
                "No claim matches that reference and access code.".into(),
            ),
            Self::Unauthorized => problem(
                "unauthorized",
                "That API key is unknown or has been revoked.".into(),
            ),
            Self::TooManyRequests => problem(
                "too_many_requests",
                "Too many attempts. Wait 15 minutes and try again.".into(),
            ),
            Self::PayloadTooLarge => {
                problem("payload_too_large", "The request is too large.".into())
            }
            Self::BadRequest(m) => problem("bad_request", m.clone()),
            Self::Conflict(m) => problem("conflict", m.clone()),
            Self::Refused(crate::domain::actions::Refusal::Role) => problem(
                "refused",
                "Your role or region does not allow this action.".into(),
            ),
            Self::Refused(crate::domain::actions::Refusal::State(s)) => problem(
                "refused",
                format!(
                    "This action is not possible while the claim is {}.",
                    s.label_en()
                ),
            ),
            Self::Internal(_) => problem(
                "internal",
                "Something went wrong on our side. Nothing was lost; please try again.".into(),
            ),
        }
    }
}

/// A refusal: a machine-readable kind and a sentence for people.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ApiError {
    /// not_found, too_many_requests, payload_too_large, bad_request, conflict, refused or
    /// internal
    #[schema(example = "not_found")]
    pub error: &'static str,
    pub message: String,
}

/// Every failing field at once; nothing was stored.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ValidationErrors {
    pub errors: Vec<ApiFieldError>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ApiFieldError {
    /// The field's dotted path in the petition.
    #[schema(example = "patient.national_id")]
    pub field: String,
    /// Why, e.g. required, too_long, national_id_checksum, out_of_window.
    #[schema(example = "national_id_checksum")]
    pub code: &'static str,
    pub message: String,
    pub message_th: String,
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
                axum::http::HeaderValue::from(crate::domain::policy::TRY_WINDOW_MINUTES as u64 * 60),
            );
        }
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;
