//! Errors as Google's APIs answer them, which Perspective's clients read:
//! `{"error": {"code", "message", "status", "details": [...]}}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tribune_app::perspective::analyze::AnalyzeError;

/// One refusal of the Perspective-compatible endpoint.
#[derive(Debug)]
pub enum GoogleError {
    /// Missing, unknown or revoked key: Google answers 400, not 401.
    KeyInvalid,
    /// The body is neither JSON nor the lenient form.
    BadJson,
    Analyze(AnalyzeError),
    RateLimited {
        retry_after_secs: u64,
    },
    Internal,
}

impl From<AnalyzeError> for GoogleError {
    fn from(error: AnalyzeError) -> Self {
        Self::Analyze(error)
    }
}

impl IntoResponse for GoogleError {
    fn into_response(self) -> Response {
        let (status, message, detail) = match &self {
            GoogleError::KeyInvalid => (
                StatusCode::BAD_REQUEST,
                "API key not valid. Please pass a valid API key.".to_owned(),
                json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "tribune"}),
            ),
            GoogleError::BadJson => (
                StatusCode::BAD_REQUEST,
                "Invalid JSON payload received.".to_owned(),
                json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_JSON", "domain": "tribune"}),
            ),
            GoogleError::Analyze(error) => (
                StatusCode::BAD_REQUEST,
                error.to_string(),
                json!({"@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error", "errorType": error.error_type()}),
            ),
            GoogleError::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests with this API key; try again shortly.".to_owned(),
                json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED", "domain": "tribune"}),
            ),
            GoogleError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error; the server's log says more.".to_owned(),
                json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INTERNAL", "domain": "tribune"}),
            ),
        };
        let google_status = match status {
            StatusCode::BAD_REQUEST => "INVALID_ARGUMENT",
            StatusCode::TOO_MANY_REQUESTS => "RESOURCE_EXHAUSTED",
            _ => "INTERNAL",
        };
        let body = json!({"error": {
            "code": status.as_u16(),
            "message": message,
            "status": google_status,
            "details": [detail],
        }});
        let mut response = (status, axum::Json(body)).into_response();
        if let GoogleError::RateLimited { retry_after_secs } = self {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
