//! The whole application as one axum `Router`, and `serve`, which the binary
//! and the tests both call.

use crate::routes::Routes;
use crate::state::AppState;
use crate::{accounts, admin, api, assets, pages, security};
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every route of the application, with the list of them.
pub fn routes(state: &AppState) -> Routes {
    let pages = pages::routes().merge(accounts::routes()).merge(admin::routes()).map_router(|pages| {
        pages
            .fallback(security::page_not_found)
            .layer(from_fn_with_state(state.clone(), security::html_errors))
            .layer(from_fn(security::same_origin_forms))
    });
    Routes::new()
        .merge(api::routes(&state.config))
        .map_router(|api| api.route("/api/{*rest}", axum::routing::any(security::api_not_found)))
        .get("/assets/{file}", assets::serve)
        .get("/healthz", health)
        .merge(pages)
}

pub fn router(state: AppState) -> Router {
    let app = routes(&state).into_router();
    let request_layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(from_fn(security::headers))
        // Responses that are not kept in memory (signed-in readers' pages, the
        // API) are compressed as they go; kept ones arrive already encoded and
        // pass through. Event streams are never compressed (the default
        // predicate skips `text/event-stream`, and `live` tests it). Level 4
        // keeps a 200 KB page at a few milliseconds of CPU.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(state.config.request_timeout_secs),
        ))
        .layer(DefaultBodyLimit::max(state.config.max_request_bytes));
    app.layer(request_layers).with_state(state)
}

async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> StatusCode {
    match state.store.ping().await {
        Ok(()) => StatusCode::OK,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Serves the app on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
