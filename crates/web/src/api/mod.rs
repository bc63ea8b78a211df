//! The versioned JSON API under `/api/v1`. Documented in docs/api.md.

mod articles;
mod comments;
mod live;

use crate::routes::Routes;
use crate::SiteConfig;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::post;

pub fn routes(config: &SiteConfig) -> Routes {
    Routes::new()
        .get("/api/v1/articles", articles::list)
        .route(
            "/api/v1/articles",
            Method::POST,
            post(articles::create).layer(DefaultBodyLimit::max(config.max_article_bytes)),
        )
        .get("/api/v1/articles/{slug}", articles::show)
        .get("/api/v1/articles/{slug}/comments", comments::list)
        .post("/api/v1/articles/{slug}/comments", comments::create)
        .get("/api/v1/articles/{slug}/comments/live", live::stream)
}
