//! RSS 2.0 and Atom feeds: the site's articles, each section's, tag's and author's, and the
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
    let routes = Routes::new()
        .get("/feed.rss", |s: State<AppState>, h: HeaderMap| site(s, h, Format::Rss))
        .get("/feed.atom", |s: State<AppState>, h: HeaderMap| site(s, h, Format::Atom))
        .get("/comments/feed.rss", |s: State<AppState>, h: HeaderMap| site_comments(s, h, Format::Rss))
        .get("/comments/feed.atom", |s: State<AppState>, h: HeaderMap| site_comments(s, h, Format::Atom))
        .get("/articles/{slug}/comments/feed.rss", |s: State<AppState>, p: Path<String>, h: HeaderMap| {
            article_comments(s, p, h, Format::Rss)
        })
        .get("/articles/{slug}/comments/feed.atom", |s: State<AppState>, p: Path<String>, h: HeaderMap| {
            article_comments(s, p, h, Format::Atom)
        });
    let routes =
        listing_feeds(routes, Listing::Section, "/sections/{section}/feed.rss", "/sections/{section}/feed.atom");
    let routes = listing_feeds(routes, Listing::Tag, "/tags/{tag}/feed.rss", "/tags/{tag}/feed.atom");
    listing_feeds(routes, Listing::Author, "/authors/{slug}/feed.rss", "/authors/{slug}/feed.atom")
}

/// A listing's two feeds, one route per format.
fn listing_feeds(routes: Routes, kind: Listing, rss: &'static str, atom: &'static str) -> Routes {
    let handler = move |format: Format| {
        move |s: State<AppState>, Path(slug): Path<String>, h: HeaderMap| async move {
            listing(s.0, kind, &slug, h, format).await
        }
    };
    routes.get(rss, handler(Format::Rss)).get(atom, handler(Format::Atom))
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    Section,
    Tag,
    Author,
}

/// A section's, a tag's or an author's latest articles. A section or tag
/// exists while it has published articles, and its name is theirs; an
/// author exists with its profile.
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
        Listing::Author => ("authors", AppError::NotFound("author")),
    };
    let Ok(slug) = Slug::parse(raw_slug) else { return Err(not_found) };
    let author = match listing {
        Listing::Author => Some(crate::newsroom::authors::profile(&state, slug.as_str()).await?),
        Listing::Section | Listing::Tag => None,
    };
    let key = CacheKey::new("", "listing-feed", format!("{path}/{}:{}", slug.as_str(), format.extension()));
    respond(&state, &headers, key, format, || async {
        let base = public_base(&state);
        let latest = ArticleListQuery::latest(Timestamp::now(), ARTICLES_PER_FEED);
        let filter = Some(slug.as_str().to_owned());
        let articles = match (&author, listing) {
            (Some(author), _) => state.store.articles_by_author(author.id, latest.now, latest.limit, 0).await?,
            (None, Listing::Tag) => {
                state.store.list_published(&ArticleListQuery { tag_slug: filter, ..latest }).await?
            }
            (None, _) => state.store.list_published(&ArticleListQuery { section_slug: filter, ..latest }).await?,
        };
        let name = match (&author, articles.first()) {
            (Some(author), _) => author.name.clone(),
            (None, None) => return Err(not_found),
            (None, Some(first)) if listing == Listing::Section => first.section.clone(),
            (None, Some(first)) => {
                first.tags.iter().find(|t| Slug::from_headline(t) == slug).cloned().unwrap_or_default()
            }
        };
        let description = match listing {
            Listing::Author => format!("The latest by {name} from {}", state.config.site_name),
            Listing::Section | Listing::Tag => format!("The latest in {name} from {}", state.config.site_name),
        };
        Ok(Feed::new(
            format!("{name} · {}", state.config.site_name),
            description,
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
