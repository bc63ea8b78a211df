//! The whole application as one axum `Router`, and `serve`, which the binary
//! and the tests both call.

use crate::connection::{self, Timeouts};
use crate::routes::Routes;
use crate::state::AppState;
use crate::{
    accounts, admin, api, assets, docs, feeds, media, moderation, newsroom, pages, perspective, security, seo,
};
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every route of the application, with the list of them.
pub fn routes(state: &AppState) -> Routes {
    let pages = pages::routes()
        .merge(accounts::routes())
        .merge(admin::routes())
        .merge(docs::routes())
        .merge(feeds::routes())
        .merge(seo::routes())
        .merge(moderation::page_routes())
        .merge(moderation::webhooks_admin::routes())
        .merge(perspective::keys_admin::routes())
        .merge(newsroom::page_routes(&state.config))
        .merge(media::page_routes(&state.config))
        .merge(newsroom::published_page_routes())
        .map_router(|pages| {
            pages
                .fallback(security::page_not_found)
                .layer(from_fn_with_state(state.clone(), security::html_errors))
                .layer(from_fn(security::same_origin_forms))
        });
    Routes::new()
        .merge(api::routes(&state.config))
        .merge(moderation::api_routes())
        .merge(newsroom::api_routes(&state.config))
        .merge(media::api_routes(&state.config))
        .merge(newsroom::published_api_routes())
        .map_router(|api| {
            api.route("/api/{*rest}", axum::routing::any(security::api_not_found)).layer(from_fn(security::api_errors))
        })
        .get("/assets/{file}", assets::serve)
        .get("/healthz", health)
        .merge(media::file_routes())
        .merge(perspective::routes())
        .merge(pages)
}

pub fn router(state: AppState) -> Router {
    let app = routes(&state).into_router();
    let request_layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, crate::request_id::CountedRequestIds))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), uri = %LoggableUri(request.uri()), request_id = %id)
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

/// Paths whose last segment is a single-use credential (a sign-in link's token).
const TOKEN_PATHS: [&str; 3] = ["/signin/link/", "/password/reset/", "/verify/"];
/// Query parameters that carry credentials: SSO tokens, OpenID codes and states, invitations, API keys.
const SECRET_PARAMETERS: [&str; 5] = ["token", "code", "state", "invite", "key"];

/// The request's address as the log shows it: credentials in it masked, so
/// that reading the logs never lets anyone sign in as a reader. Written
/// straight into the log line, without building a string per request.
struct LoggableUri<'a>(&'a axum::http::Uri);

impl std::fmt::Display for LoggableUri<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.0.path();
        match TOKEN_PATHS.iter().find(|prefix| path.starts_with(*prefix) && path.len() > prefix.len()) {
            Some(prefix) => write!(f, "{prefix}***")?,
            None => f.write_str(path)?,
        }
        let Some(query) = self.0.query() else { return Ok(()) };
        for (n, pair) in query.split('&').enumerate() {
            f.write_str(if n == 0 { "?" } else { "&" })?;
            match pair.split_once('=') {
                Some((name, _)) if SECRET_PARAMETERS.contains(&name) => write!(f, "{name}=***")?,
                _ => f.write_str(pair)?,
            }
        }
        Ok(())
    }
}

async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> StatusCode {
    match state.store.ping().await {
        Ok(()) => StatusCode::OK,
        Err(error) => {
            tracing::error!(%error, "health check: the database does not answer");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

/// Serves the app on `listener` until `shutdown` completes (see `connection`
/// for the timeouts and how open connections end).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let timeouts = Timeouts {
        header_read: state.config.header_read_timeout,
        keep_alive: state.config.keep_alive_timeout,
        shutdown_grace: state.config.shutdown_grace,
    };
    connection::serve(listener, router(state), timeouts, shutdown).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_addresses_are_masked_for_the_log() {
        let shown = |uri: &str| LoggableUri(&uri.parse().unwrap()).to_string();
        assert_eq!(shown("/sso/jwt?token=abc.def.ghi&next=/account"), "/sso/jwt?token=***&next=/account");
        assert_eq!(shown("/signin/oidc/callback?code=c0de&state=s7a7e"), "/signin/oidc/callback?code=***&state=***");
        assert_eq!(shown("/signin/link/0123abcd"), "/signin/link/***");
        assert_eq!(shown("/verify/0123abcd"), "/verify/***");
        assert_eq!(shown("/signup?invite=secret"), "/signup?invite=***");
        assert_eq!(shown("/articles/a?sort=newest&cursor=3"), "/articles/a?sort=newest&cursor=3");
        assert_eq!(shown("/password/reset"), "/password/reset");
    }
}
