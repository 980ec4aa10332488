//! `application/problem+json` (RFC 9457) errors with stable codes.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::VersionConflict;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as sent (`limit`, `tax_id`, `cnae_codes[1]`).
    pub field: String,
    /// A stable code the client can translate (`out_of_range`, `invalid_format`...).
    pub code: String,
    /// An English explanation for developers.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` or a tag URI per code).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// A stable machine-readable code: `not_found`, `validation_failed`, `version_conflict`...
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// On a version conflict: the version now stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// On a duplicate: the id of the record that already holds the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
}

/// Every error an API handler may return.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("version conflict")]
    Conflict(VersionConflict),
    #[error("duplicate: {0}")]
    Duplicate(String),
    /// A duplicate that names the record already holding the value.
    #[error("duplicate: {detail}")]
    DuplicateOf { detail: String, existing_id: String },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("service unavailable")]
    Unavailable,
    /// Too many requests of a kind from one client: try again after `retry_after` seconds
    /// (sent as `Retry-After`).
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str, Option<String>) {
        use ApiError::*;
        match self {
            BadRequest { code, detail } => (
                StatusCode::BAD_REQUEST,
                code,
                "Bad request",
                Some(detail.clone()),
            ),
            Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Validation failed",
                Some("One or more fields are invalid; see errors.".into()),
            ),
            Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Authentication required",
                None,
            ),
            Forbidden => (StatusCode::FORBIDDEN, "forbidden", "Forbidden", None),
            NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found", None),
            MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method not allowed",
                None,
            ),
            Conflict(_) => (
                StatusCode::CONFLICT,
                "version_conflict",
                "Version conflict",
                Some("The record was changed by someone else; read it again and retry.".into()),
            ),
            Duplicate(what) | DuplicateOf { detail: what, .. } => (
                StatusCode::CONFLICT,
                "duplicate",
                "Duplicate",
                Some(what.clone()),
            ),
            PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Payload too large",
                None,
            ),
            UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
                Some("Send a JSON body with Content-Type: application/json.".into()),
            ),
            TooManyRequests { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "Too many requests",
                Some(format!(
                    "Too many requests from this address; try again in {retry_after} seconds."
                )),
            ),
            Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
                None,
            ),
            Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "Internal error",
                Some(
                    "Something went wrong on our side; it has been logged with the request id."
                        .into(),
                ),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            // The full chain goes to the log, never to the client.
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let (status, code, title, detail) = self.parts();
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after } => Some(*retry_after),
            _ => None,
        };
        let (errors, current_version, existing_id) = match self {
            ApiError::Validation(errors) => (errors, None, None),
            ApiError::Conflict(c) => (Vec::new(), c.current, None),
            ApiError::DuplicateOf { existing_id, .. } => (Vec::new(), None, Some(existing_id)),
            _ => (Vec::new(), None, None),
        };
        let mut res = problem_response(Problem {
            kind: format!("tag:besaya,2026:problem:{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            code: code.to_owned(),
            detail,
            errors,
            current_version,
            existing_id,
        });
        if let Some(secs) = retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

pub fn problem_response(problem: Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (status, Json(problem)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            StatusCode::UNPROCESSABLE_ENTITY => ApiError::Validation(vec![FieldError::new(
                "body",
                "invalid_value",
                r.body_text(),
            )]),
            _ => ApiError::BadRequest {
                code: "malformed_json",
                detail: r.body_text(),
            },
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest {
            code: "invalid_query",
            detail: r.body_text(),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest {
            code: "invalid_path",
            detail: r.body_text(),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(anyhow::Error::new(e).context("database"))
    }
}

impl From<VersionConflict> for ApiError {
    fn from(c: VersionConflict) -> Self {
        match c.current {
            None => ApiError::NotFound,
            Some(_) => ApiError::Conflict(c),
        }
    }
}
