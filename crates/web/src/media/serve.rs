//! Serving stored variants. A variant's address never changes content (a
//! new upload gets a new key), so browsers and proxies may keep it for a year.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

pub async fn file(
    State(state): State<AppState>,
    Path((key, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let path = format!("{key}/{file}");
    if tribune_media::blobs::check_path(&path).is_err() {
        return Err(AppError::NotFound("image"));
    }
    let blob = match state.media.blobs.get(&path).await {
        Ok(Some(blob)) => blob,
        Ok(None) => return Err(AppError::NotFound("image")),
        Err(error) => return Err(AppError::Internal(error.to_string())),
    };
    let content_type = HeaderValue::from_str(&blob.content_type).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut response = blob.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}
