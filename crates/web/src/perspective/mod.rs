//! The Perspective-compatible endpoint: `comments:analyze`,
//! `comments:suggestscore` and the discovery document, answering as
//! Google's Perspective API did so that a client changes only its base URL;
//! and the admin's API key screen. Keys come in the `key` query parameter
//! (or `X-Goog-Api-Key`); errors take Google's shape.

mod discovery;
mod google_error;
pub mod keys_admin;
pub mod lenient;

use crate::limits::{ClientIp, Door};
use crate::routes::Routes;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Json;
use google_error::GoogleError;
use serde::de::DeserializeOwned;
use tribune_app::perspective::analyze::{self, AnalyzeRequest, SuggestRequest};
use tribune_store::ApiKey;

/// Bodies up to this size are read, so that a comment over the 20 KB limit
/// (JSON escapes can make it six times longer) is told COMMENT_TOO_LONG
/// in Google's shape rather than cut off by the server's usual limit.
const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn routes() -> Routes {
    let limit = || DefaultBodyLimit::max(MAX_BODY_BYTES);
    Routes::new()
        .route("/v1alpha1/comments:analyze", Method::POST, post(analyze_comment).layer(limit()))
        .route("/v1alpha1/comments:suggestscore", Method::POST, post(suggest_score).layer(limit()))
        .get("/$discovery/rest", discovery::document)
}

async fn analyze_comment(
    State(state): State<AppState>,
    ip: ClientIp,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GoogleError> {
    authorize(&state, ip, query.as_deref(), &headers).await?;
    let request: AnalyzeRequest = read_body(&body)?;
    let answer = analyze::analyze(&state.perspective.model.current(), &request)?;
    Ok(Json(answer).into_response())
}

async fn suggest_score(
    State(state): State<AppState>,
    ip: ClientIp,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GoogleError> {
    authorize(&state, ip, query.as_deref(), &headers).await?;
    let request: SuggestRequest = read_body(&body)?;
    let (text, labels) = analyze::check_suggestion(&request)?;
    state.perspective.suggest(text, labels, request.do_not_store).await.map_err(|error| {
        tracing::error!(%error, "could not keep a suggested score");
        GoogleError::Internal
    })?;
    Ok(Json(serde_json::json!({ "clientToken": request.client_token.unwrap_or_default() })).into_response())
}

/// The active key the request names, within its rate limit.
/// Wrong keys count against the sender's address, as wrong passwords do.
async fn authorize(
    state: &AppState,
    ClientIp(ip): ClientIp,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<ApiKey, GoogleError> {
    let from_query = query
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(name, _)| name == "key").map(|(_, value)| value));
    let from_header = || headers.get("x-goog-api-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let key = from_query.or_else(from_header).unwrap_or_default();
    let found = state.perspective.verify_key(&key).await.map_err(|error| {
        tracing::error!(%error, "could not look an API key up");
        GoogleError::Internal
    })?;
    let Some(key) = found else {
        state.limits.check(Door::WrongApiKey, ip).map_err(rate_limited)?;
        return Err(GoogleError::KeyInvalid);
    };
    state.limits.check_api_key(key.id).map_err(rate_limited)?;
    Ok(key)
}

fn rate_limited(error: crate::AppError) -> GoogleError {
    match error {
        crate::AppError::TooManyRequests { retry_after_secs } => GoogleError::RateLimited { retry_after_secs },
        _ => GoogleError::Internal,
    }
}

/// JSON, or else the lenient form Commento++ sends.
fn read_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, GoogleError> {
    if let Ok(request) = serde_json::from_slice(body) {
        return Ok(request);
    }
    let text = std::str::from_utf8(body).map_err(|_| GoogleError::BadJson)?;
    let value = lenient::parse(text).ok_or(GoogleError::BadJson)?;
    serde_json::from_value(value).map_err(|_| GoogleError::BadJson)
}
