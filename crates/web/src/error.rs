//! The one error type of the web layer. Each variant maps to one status; the
//! API answers with `application/problem+json` (RFC 9457) carrying a stable
//! `code` and per-field messages. Causes of 500s are logged, never sent.
//! Each code has an anchor on `/docs/api` (the problem's `type`). Codes are
//! written as literals, `code: "…"` at the call site or `=> "…"` in
//! [`AppError::code`], which tests/api_articles.rs collects to check that the
//! documentation names every one.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tribune_domain::{FieldError, ValidationErrors};
use tribune_store::DbError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid input: {0}")]
    Validation(ValidationErrors),
    #[error("bad request: {message}")]
    BadRequest { code: &'static str, message: String },
    #[error("authentication required")]
    Unauthorized,
    #[error("sign in required")]
    SignInRequired,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("forbidden: {message}")]
    Forbidden { code: &'static str, message: &'static str },
    /// Forbidden, with a message made for this case (a moderator's note to a banned reader).
    #[error("refused: {message}")]
    Refused { code: &'static str, message: String },
    #[error("conflict: {message}")]
    Conflict { code: &'static str, message: String },
    #[error("request body too large")]
    PayloadTooLarge,
    /// An upload refused with a status and code of its own (too large, not
    /// an image, too many pixels); the problem names the `file` field.
    #[error("upload refused: {message}")]
    Upload { status: StatusCode, code: &'static str, message: String },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The path exists, not with this method (axum adds the `Allow` header).
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request timeout")]
    RequestTimeout,
    #[error("service unavailable")]
    Unavailable,
    /// An outside service a sign-in depends on (an OpenID provider) cannot be reached.
    #[error("provider unavailable: {message}")]
    ProviderUnavailable { message: String },
    #[error("internal error: {0}")]
    Internal(String),
}

/// The problem document; also attached to the response so that page routes
/// can re-render it as HTML.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub code: &'static str,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl AppError {
    pub fn field(error: FieldError) -> Self {
        Self::Validation(error.into())
    }

    /// A suspended account tried to comment or to act in its role.
    pub fn suspended() -> Self {
        Self::Forbidden {
            code: "account_suspended",
            message: "Your account is suspended: you can still read, download your data or delete the account.",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::SignInRequired => StatusCode::UNAUTHORIZED,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Forbidden { .. } | Self::Refused { .. } => StatusCode::FORBIDDEN,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Upload { status, .. } => *status,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Unavailable | Self::ProviderUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients act on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Refused { code, .. }
            | Self::Conflict { code, .. }
            | Self::Upload { code, .. } => code,
            Self::NotFound(_) => "not_found",
            Self::Validation(_) => "validation_failed",
            Self::Unauthorized => "unauthorized",
            Self::SignInRequired => "sign_in_required",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::RequestTimeout => "request_timeout",
            Self::Unavailable => "unavailable",
            Self::ProviderUnavailable { .. } => "provider_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    pub fn problem(&self) -> Problem {
        let (title, detail, errors) = match self {
            Self::NotFound(what) => ("Not found", format!("The {what} does not exist."), vec![]),
            Self::Validation(errors) => ("Invalid input", "Some fields need correcting.".to_owned(), errors.0.clone()),
            Self::BadRequest { message, .. } => ("Bad request", message.clone(), vec![]),
            Self::Unauthorized => (
                "Authentication required",
                "Send a valid token in the Authorization header, or sign in with a role that may do this.".to_owned(),
                vec![],
            ),
            Self::SignInRequired => ("Sign in required", "Please sign in to do this.".to_owned(), vec![]),
            Self::TooManyRequests { retry_after_secs } => (
                "Too many requests",
                format!("Too many attempts; please wait {retry_after_secs} seconds and try again."),
                vec![],
            ),
            Self::Forbidden { message, .. } => ("Forbidden", (*message).to_owned(), vec![]),
            Self::Refused { message, .. } => ("Forbidden", message.clone(), vec![]),
            Self::Conflict { message, .. } => ("Conflict", message.clone(), vec![]),
            Self::PayloadTooLarge => ("Payload too large", "The request body is too large.".to_owned(), vec![]),
            Self::Upload { code, message, .. } => {
                ("Upload refused", message.clone(), vec![FieldError::new("file", code, message.clone())])
            }
            Self::UnsupportedMediaType => {
                ("Unsupported media type", "Send the body as application/json.".to_owned(), vec![])
            }
            Self::MethodNotAllowed => (
                "Method not allowed",
                "This address does not take that method; the Allow header lists those it takes.".to_owned(),
                vec![],
            ),
            Self::RequestTimeout => (
                "Request timeout",
                "The request took too long to arrive or to answer; please try again.".to_owned(),
                vec![],
            ),
            Self::Unavailable => {
                ("Service unavailable", "The service is briefly unavailable; please try again.".to_owned(), vec![])
            }
            Self::ProviderUnavailable { message } => ("Sign-in provider unavailable", message.clone(), vec![]),
            Self::Internal(_) => {
                ("Internal error", "Something went wrong on our side; it has been logged.".to_owned(), vec![])
            }
        };
        let code = self.code();
        Problem { kind: format!("/docs/api#{code}"), title, status: self.status().as_u16(), code, detail, errors }
    }

    /// The error for a response some layer below the handlers made with a
    /// bare status (axum's 405 and path rejections, the request timeout), so
    /// that clients get the same problem document as everywhere else.
    pub fn from_bare(status: StatusCode) -> Self {
        match status {
            StatusCode::BAD_REQUEST => Self::BadRequest {
                code: "invalid_path",
                message: "The address is not valid here: each part of it must be UTF-8 text of the expected kind."
                    .to_owned(),
            },
            StatusCode::NOT_FOUND => Self::NotFound("page"),
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => Self::RequestTimeout,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType,
            StatusCode::SERVICE_UNAVAILABLE => Self::Unavailable,
            other if other.is_client_error() => {
                Self::BadRequest { code: "bad_request", message: format!("The request cannot be answered ({other}).") }
            }
            other => Self::Internal(format!("a layer answered {other} without a problem document")),
        }
    }
}

impl From<crate::mail::MailError> for AppError {
    fn from(error: crate::mail::MailError) -> Self {
        use crate::mail::MailError;
        match error {
            MailError::QueueFull | MailError::Stopped => {
                tracing::error!(%error, "cannot queue an e-mail");
                Self::Unavailable
            }
            MailError::BadRecipient(_) | MailError::Settings(_) => Self::Internal(error.to_string()),
        }
    }
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => Self::NotFound("record"),
            // Callers that know which field clashed say so; the constraint's name stays in the log.
            DbError::Conflict { constraint } => {
                tracing::info!(%constraint, "unhandled unique conflict");
                Self::Conflict { code: "conflict", message: "That value is already taken.".to_owned() }
            }
            DbError::Unavailable(cause) => {
                tracing::error!(%cause, "database unavailable");
                Self::Unavailable
            }
            DbError::Other(cause) => Self::Internal(cause.to_string()),
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(errors: ValidationErrors) -> Self {
        Self::Validation(errors)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let problem = self.problem();
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        match self {
            Self::Unavailable | Self::ProviderUnavailable { .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            Self::TooManyRequests { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            _ => {}
        }
        response.extensions_mut().insert(problem);
        response
    }
}
