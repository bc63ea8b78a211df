//! Section and tag pages: their published articles, newest first, in pages
//! of `?page=N`. A section or tag exists while it has published articles.

use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::feeds::public_base;
use crate::state::AppState;
use crate::views::ArticleSummaryView;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use tribune_domain::{Slug, Timestamp};
use tribune_store::ArticleListQuery;

pub const ARTICLES_PER_PAGE: u32 = 20;
/// Deeper pages than this are not served (a crawler walking forever).
const MAX_PAGE: u32 = 500;

#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    page: Option<String>,
}

impl PageParams {
    /// The page number, from 1; anything else is no page at all.
    pub fn number(&self) -> Result<u32, AppError> {
        match self.page.as_deref().map(str::trim) {
            None | Some("") => Ok(1),
            Some(raw) => raw.parse().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or(AppError::NotFound("page")),
        }
    }
}

/// What a listing page lists: a section's articles or a tag's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    Section,
    Tag,
}

impl Listing {
    fn path(self) -> &'static str {
        match self {
            Self::Section => "/sections",
            Self::Tag => "/tags",
        }
    }
}

pub async fn show(
    state: State<AppState>,
    Path(section): Path<String>,
    params: ApiQuery<PageParams>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    listing(state, Listing::Section, &section, params, headers).await
}

pub async fn show_tag(
    state: State<AppState>,
    Path(tag): Path<String>,
    params: ApiQuery<PageParams>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    listing(state, Listing::Tag, &tag, params, headers).await
}

async fn listing(
    State(state): State<AppState>,
    listing: Listing,
    raw_slug: &str,
    ApiQuery(params): ApiQuery<PageParams>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let not_found = || AppError::NotFound(if listing == Listing::Section { "section" } else { "tag" });
    let slug = Slug::parse(raw_slug).map_err(|_| not_found())?;
    let page = params.number()?;
    let key = CacheKey::new("", "listing", format!("{}/{}:{page}", listing.path(), slug.as_str()));
    state
        .cache
        .get_or_render(key, cache::HTML, &headers, || async {
            let filter = Some(slug.as_str().to_owned());
            let (section_slug, tag_slug) = match listing {
                Listing::Section => (filter, None),
                Listing::Tag => (None, filter),
            };
            let query = ArticleListQuery {
                section_slug,
                tag_slug,
                offset: (page - 1) * ARTICLES_PER_PAGE,
                // One more than shown says whether there is a next page.
                ..ArticleListQuery::latest(Timestamp::now(), ARTICLES_PER_PAGE + 1)
            };
            let mut articles = state.store.list_published(&query).await?;
            let has_next = articles.len() > ARTICLES_PER_PAGE as usize;
            articles.truncate(ARTICLES_PER_PAGE as usize);
            // A section or tag exists while it has published articles; its name is theirs.
            let first = articles.first().ok_or_else(not_found)?;
            let name = match listing {
                Listing::Section => first.section.clone(),
                Listing::Tag => first
                    .tags
                    .iter()
                    .find(|tag| Slug::from_headline(tag) == slug)
                    .cloned()
                    .unwrap_or_else(|| slug.as_str().to_owned()),
            };
            let path = format!("{}/{}", listing.path(), slug.as_str());
            let page_url = |n: u32| if n == 1 { path.clone() } else { format!("{path}?page={n}") };
            let context = context! {
                site_name => &state.config.site_name,
                canonical_url => format!("{}{}", public_base(&state), page_url(page)),
                title => name,
                kind => if listing == Listing::Section { "section" } else { "tag" },
                feed_path => listing.path(),
                feed_slug => slug.as_str(),
                articles => articles.iter().map(ArticleSummaryView::from).collect::<Vec<_>>(),
                previous_page_url => (page > 1).then(|| page_url(page - 1)),
                next_page_url => has_next.then(|| page_url(page + 1)),
            };
            Ok::<_, AppError>(state.templates.render("section.html", context)?.into())
        })
        .await
}
