//! Response headers, the same-origin rule for browser form posts, and the
//! rendering of errors: problem+json on the API, HTML on page routes, for
//! the handlers' errors and for the bare ones axum makes itself (405s,
//! rejected paths, timeouts).

use crate::error::{AppError, Problem};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'self'";

pub async fn headers(request: Request, next: Next) -> Response {
    let private = crate::accounts::session::token(request.headers()).is_some();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // What a signed-in reader sees (their name, their account) and anything
    // that sets a cookie must never be kept by a shared cache or the browser's.
    if (private || headers.contains_key(header::SET_COOKIE)) && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    response
}

/// Refuses state-changing browser requests that come from another site
/// (`Sec-Fetch-Site: cross-site`, or an `Origin` that is not this host).
pub async fn same_origin_forms(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(&request) {
        return AppError::Forbidden {
            code: "cross_site_request",
            message: "This form can only be sent from this site.",
        }
        .into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "cross-site" || site == "same-site";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    origin == "null" || origin_host != host
}

/// An error response made below the handlers (axum's rejections and 405s,
/// the timeout): no problem document, and an empty or plain-text body, where
/// a handler's own error pages (a form shown again with its errors) are HTML.
fn is_bare_error(response: &Response) -> bool {
    let status = response.status();
    let plain =
        response.headers().get(header::CONTENT_TYPE).is_none_or(|kind| kind.as_bytes().starts_with(b"text/plain"));
    (status.is_client_error() || status.is_server_error()) && plain && response.extensions().get::<Problem>().is_none()
}

/// Gives the API's bare errors (a wrong method, a path that is not UTF-8,
/// a timeout) the problem+json body every other API error has.
pub async fn api_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !is_bare_error(&response) {
        return response;
    }
    AppError::from_bare(response.status()).into_response()
}

/// Turns problem responses from page routes, and bare errors, into an HTML error page.
pub async fn html_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if is_bare_error(&response) {
        response = AppError::from_bare(response.status()).into_response();
    }
    let Some(problem) = response.extensions().get::<Problem>().cloned() else {
        return response;
    };
    let status = response.status();
    let html = state.templates.render("error.html", context! { site_name => &state.config.site_name, problem });
    match html {
        Ok(html) => {
            let mut page = (status, Html(html)).into_response();
            if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
                page.headers_mut().insert(header::RETRY_AFTER, retry.clone());
            }
            page
        }
        Err(error) => {
            tracing::error!(%error, "cannot render the error page; answering with the problem document");
            response
        }
    }
}

pub async fn page_not_found() -> AppError {
    AppError::NotFound("page")
}

pub async fn api_not_found() -> AppError {
    AppError::NotFound("API endpoint")
}
