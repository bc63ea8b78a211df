//! The versioned JSON API under `/api/v1`. Documented in docs/api.md.

mod articles;
mod comments;
mod live;

use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/articles",
            get(articles::list).post(articles::create).layer(DefaultBodyLimit::max(state.config.max_article_bytes)),
        )
        .route("/api/v1/articles/{slug}", get(articles::show))
        .route("/api/v1/articles/{slug}/comments", get(comments::list).post(comments::create))
        .route("/api/v1/articles/{slug}/comments/live", get(live::stream))
}
