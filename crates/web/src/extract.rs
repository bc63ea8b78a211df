//! Extractors whose failures become precise `AppError`s instead of axum's
//! plain-text rejections.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;

/// A JSON request body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
        JsonRejection::JsonDataError(e) => {
            AppError::BadRequest { code: "invalid_body", message: format!("The JSON does not fit: {}", e.body_text()) }
        }
        JsonRejection::JsonSyntaxError(_) => {
            AppError::BadRequest { code: "malformed_json", message: "The request body is not valid JSON.".to_owned() }
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        other => AppError::BadRequest { code: "unreadable_body", message: other.body_text() },
    }
}

/// Query parameters.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(AppError::BadRequest { code: "invalid_query", message: e.body_text() })
            }
            Err(other) => Err(AppError::BadRequest { code: "invalid_query", message: other.body_text() }),
        }
    }
}

/// An `application/x-www-form-urlencoded` body whose every value must be
/// valid UTF-8 (browsers' lossy decoding would silently change what was typed).
pub struct PageForm<T>(pub T);

impl<S, T> FromRequest<S> for PageForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::BadRequest {
                code: "not_a_form",
                message: "Send the form as application/x-www-form-urlencoded.".to_owned(),
            });
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest { code: "unreadable_body", message: rejection.body_text() }
            }
        })?;
        let invalid_utf8 = || AppError::BadRequest {
            code: "invalid_utf8",
            message: "The form contains text that is not valid UTF-8.".to_owned(),
        };
        for part in bytes.split(|b| *b == b'&') {
            let decoded: Vec<u8> = percent_encoding::percent_decode(part).collect();
            std::str::from_utf8(&decoded).map_err(|_| invalid_utf8())?;
        }
        serde_urlencoded::from_bytes(&bytes).map(Self).map_err(|e| AppError::BadRequest {
            code: "malformed_form",
            message: format!("The form is malformed: {e}"),
        })
    }
}
