//! RSS 2.0 and Atom feeds: the site's articles, each section's and tag's, and the
//! published comments of the site and of each article. Kept in the page
//! cache like the pages they follow, and dropped with them on a change.

mod model;
pub mod xml;

use crate::cache::CacheKey;
use crate::error::AppError;
use crate::posting::published_article;
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::article_url;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use model::{article_entry, comment_entry, Feed};
use tribune_domain::{Slug, Timestamp};
use tribune_store::ArticleListQuery;

const ARTICLES_PER_FEED: u32 = 30;
const COMMENTS_PER_FEED: u32 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .get("/feed.rss", |s: State<AppState>, h: HeaderMap| site(s, h, Format::Rss))
        .get("/feed.atom", |s: State<AppState>, h: HeaderMap| site(s, h, Format::Atom))
        .get("/sections/{section}/feed.rss", |s: State<AppState>, p: Path<String>, h: HeaderMap| {
            section(s, p, h, Format::Rss)
        })
        .get("/sections/{section}/feed.atom", |s: State<AppState>, p: Path<String>, h: HeaderMap| {
            section(s, p, h, Format::Atom)
        })
        .get("/tags/{tag}/feed.rss", |s: State<AppState>, p: Path<String>, h: HeaderMap| tag(s, p, h, Format::Rss))
        .get("/tags/{tag}/feed.atom", |s: State<AppState>, p: Path<String>, h: HeaderMap| tag(s, p, h, Format::Atom))
        .get("/comments/feed.rss", |s: State<AppState>, h: HeaderMap| site_comments(s, h, Format::Rss))
        .get("/comments/feed.atom", |s: State<AppState>, h: HeaderMap| site_comments(s, h, Format::Atom))
        .get("/articles/{slug}/comments/feed.rss", |s: State<AppState>, p: Path<String>, h: HeaderMap| {
            article_comments(s, p, h, Format::Rss)
        })
        .get("/articles/{slug}/comments/feed.atom", |s: State<AppState>, p: Path<String>, h: HeaderMap| {
            article_comments(s, p, h, Format::Atom)
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Self::Rss => "rss",
            Self::Atom => "atom",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Rss => "application/rss+xml; charset=utf-8",
            Self::Atom => "application/atom+xml; charset=utf-8",
        }
    }

    fn write(self, feed: &Feed) -> Result<Vec<u8>, AppError> {
        let written = match self {
            Self::Rss => xml::rss(feed),
            Self::Atom => xml::atom(feed),
        };
        written.map_err(|e| AppError::Internal(format!("writing a feed: {e}")))
    }
}

/// The public address without a trailing slash: feeds carry absolute URLs.
pub fn public_base(state: &AppState) -> &str {
    state.config.public_url.trim_end_matches('/')
}

/// Serves the feed `build` makes, from the cache when it holds it.
async fn respond<F, Fut>(
    state: &AppState,
    headers: &HeaderMap,
    key: CacheKey,
    format: Format,
    build: F,
) -> Result<Response, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Feed, AppError>>,
{
    state
        .cache
        .get_or_render(key, format.content_type(), headers, || async move { Ok(format.write(&build().await?)?.into()) })
        .await
}

async fn site(State(state): State<AppState>, headers: HeaderMap, format: Format) -> Result<Response, AppError> {
    let key = CacheKey::new("", "feed", format.extension().to_owned());
    respond(&state, &headers, key, format, || async {
        let base = public_base(&state);
        let articles =
            state.store.list_published(&ArticleListQuery::latest(Timestamp::now(), ARTICLES_PER_FEED)).await?;
        Ok(Feed::new(
            state.config.site_name.clone(),
            format!("The latest from {}", state.config.site_name),
            format!("{base}/"),
            format!("{base}/feed.{}", format.extension()),
            articles.iter().map(|a| article_entry(base, a)).collect(),
        ))
    })
    .await
}

async fn section(
    State(state): State<AppState>,
    Path(section): Path<String>,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, AppError> {
    listing(state, Listing::Section, &section, headers, format).await
}

async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, AppError> {
    listing(state, Listing::Tag, &tag, headers, format).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    Section,
    Tag,
}

/// A section's or a tag's latest articles. Either exists while it has
/// published articles, and its name is theirs.
async fn listing(
    state: AppState,
    listing: Listing,
    raw_slug: &str,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, AppError> {
    let (path, not_found) = match listing {
        Listing::Section => ("sections", AppError::NotFound("section")),
        Listing::Tag => ("tags", AppError::NotFound("tag")),
    };
    let Ok(slug) = Slug::parse(raw_slug) else { return Err(not_found) };
    let key = CacheKey::new("", "listing-feed", format!("{path}/{}:{}", slug.as_str(), format.extension()));
    respond(&state, &headers, key, format, || async {
        let base = public_base(&state);
        let filter = Some(slug.as_str().to_owned());
        let query = match listing {
            Listing::Section => ArticleListQuery {
                section_slug: filter,
                ..ArticleListQuery::latest(Timestamp::now(), ARTICLES_PER_FEED)
            },
            Listing::Tag => {
                ArticleListQuery { tag_slug: filter, ..ArticleListQuery::latest(Timestamp::now(), ARTICLES_PER_FEED) }
            }
        };
        let articles = state.store.list_published(&query).await?;
        let first = articles.first().ok_or(not_found)?;
        let name = match listing {
            Listing::Section => first.section.clone(),
            Listing::Tag => first.tags.iter().find(|t| Slug::from_headline(t) == slug).cloned().unwrap_or_default(),
        };
        Ok(Feed::new(
            format!("{name} · {}", state.config.site_name),
            format!("The latest in {name} from {}", state.config.site_name),
            format!("{base}/{path}/{}", slug.as_str()),
            format!("{base}/{path}/{}/feed.{}", slug.as_str(), format.extension()),
            articles.iter().map(|a| article_entry(base, a)).collect(),
        ))
    })
    .await
}

async fn site_comments(
    State(state): State<AppState>,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, AppError> {
    let key = CacheKey::new("", "comments-feed", format.extension().to_owned());
    respond(&state, &headers, key, format, || async {
        let base = public_base(&state);
        let comments = state.store.recent_published_comments(None, Timestamp::now(), COMMENTS_PER_FEED).await?;
        Ok(Feed::new(
            format!("Comments · {}", state.config.site_name),
            format!("The latest comments on {}", state.config.site_name),
            format!("{base}/"),
            format!("{base}/comments/feed.{}", format.extension()),
            comments.iter().map(|c| comment_entry(base, c)).collect(),
        ))
    })
    .await
}

async fn article_comments(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, AppError> {
    let article = published_article(&state, &slug).await?;
    let key = CacheKey::new(&article.slug, "comments-feed", format.extension().to_owned());
    respond(&state, &headers, key, format, || async {
        let base = public_base(&state);
        let page = format!("{base}{}", article_url(&article.slug));
        let comments =
            state.store.recent_published_comments(Some(article.id), Timestamp::now(), COMMENTS_PER_FEED).await?;
        Ok(Feed::new(
            format!("Comments on “{}”", article.headline),
            format!("The latest comments on “{}” from {}", article.headline, state.config.site_name),
            format!("{page}#comments"),
            format!("{page}/comments/feed.{}", format.extension()),
            comments.iter().map(|c| comment_entry(base, c)).collect(),
        ))
    })
    .await
}
