//! What search engines read: `/robots.txt`, `/sitemap.xml` (every published
//! article) and `/sitemap-news.xml` (the last two days' articles, in Google's
//! news sitemap vocabulary), with absolute addresses from `public_url`.

mod sitemap;
pub mod structured;

use crate::cache::CacheKey;
use crate::error::AppError;
use crate::feeds::public_base;
use crate::routes::Routes;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use tribune_domain::Timestamp;
use tribune_store::ArticleListQuery;

/// The most addresses one sitemap may list (the sitemaps.org limit).
const SITEMAP_LIMIT: u32 = 50_000;
/// A news sitemap lists at most this many articles, from this far back.
const NEWS_LIMIT: u32 = 1_000;
const NEWS_WINDOW_MILLIS: i64 = 2 * 24 * 3_600_000;
const XML: &str = "application/xml; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

pub fn routes() -> Routes {
    Routes::new().get("/robots.txt", robots).get("/sitemap.xml", site_map).get("/sitemap-news.xml", news_map)
}

/// Crawlers may read the public site, not the desks or the API, and are
/// pointed at both sitemaps.
async fn robots(State(state): State<AppState>) -> Response {
    let base = public_base(&state);
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin/\nDisallow: /moderation\nDisallow: /account\nDisallow: /api/\n\n\
         Sitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n"
    );
    ([(CONTENT_TYPE, TEXT)], body).into_response()
}

async fn site_map(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let key = CacheKey::new("", "sitemap", String::new());
    state
        .cache
        .get_or_render(key, XML, &headers, || async {
            let now = Timestamp::now();
            let articles = state.store.list_published(&ArticleListQuery::latest(now, SITEMAP_LIMIT)).await?;
            let authors: Vec<String> = state.store.authors().await?.into_iter().map(|a| a.slug).collect();
            let written = sitemap::urls(public_base(&state), &articles, &authors);
            Ok(written.map_err(|e| AppError::Internal(format!("writing the sitemap: {e}")))?.into())
        })
        .await
}

async fn news_map(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let key = CacheKey::new("", "news-sitemap", String::new());
    state
        .cache
        .get_or_render(key, XML, &headers, || async {
            let now = Timestamp::now();
            let query = ArticleListQuery {
                since: Some(Timestamp(now.0 - NEWS_WINDOW_MILLIS)),
                ..ArticleListQuery::latest(now, NEWS_LIMIT)
            };
            let articles = state.store.list_published(&query).await?;
            let written = sitemap::news(public_base(&state), &state.config.site_name, &articles);
            Ok(written.map_err(|e| AppError::Internal(format!("writing the news sitemap: {e}")))?.into())
        })
        .await
}
