//! `/authors/{slug}`: an author's profile and published articles, newest
//! first, in pages; and the bylines an article page links to profiles.

use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::feeds::public_base;
use crate::pages::section::{PageParams, ARTICLES_PER_PAGE};
use crate::state::AppState;
use crate::views::ArticleSummaryView;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use minijinja::context;
use serde::Serialize;
use tribune_domain::markdown::render_comment;
use tribune_domain::{Slug, Timestamp};
use tribune_store::{Article, AuthorProfile, DbError};

pub fn author_url(slug: &str) -> String {
    format!("/authors/{slug}")
}

/// A profile as pages show it.
#[derive(Debug, Serialize)]
pub struct AuthorView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub bio_html: String,
    pub photo_url: String,
}

impl From<&AuthorProfile> for AuthorView {
    fn from(a: &AuthorProfile) -> Self {
        Self {
            name: a.name.clone(),
            slug: a.slug.clone(),
            url: author_url(&a.slug),
            bio_html: render_comment(&a.bio),
            photo_url: a.photo_url.clone(),
        }
    }
}

/// An article's bylined profiles, in order (none: the free-text byline shows).
pub async fn bylines_view(state: &AppState, article: &Article) -> Result<Vec<AuthorProfile>, AppError> {
    Ok(state.store.bylines_of(article.id).await?)
}

/// The profile at `raw`, or 404.
pub async fn profile(state: &AppState, raw: &str) -> Result<AuthorProfile, AppError> {
    let slug = Slug::parse(raw.trim()).map_err(|_| AppError::NotFound("author"))?;
    state.store.author_by_slug(slug.as_str()).await.map_err(|e| match e {
        DbError::NotFound => AppError::NotFound("author"),
        other => other.into(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let page = params.number()?;
    let author = profile(&state, &slug).await?;
    // Listed with the lists: dropped when any article or profile changes.
    let key = CacheKey::new("", "author", format!("{}:{page}", author.slug));
    state
        .cache
        .get_or_render(key, cache::HTML, &headers, || async {
            let offset = (page - 1) * ARTICLES_PER_PAGE;
            let mut articles =
                state.store.articles_by_author(author.id, Timestamp::now(), ARTICLES_PER_PAGE + 1, offset).await?;
            let has_next = articles.len() > ARTICLES_PER_PAGE as usize;
            articles.truncate(ARTICLES_PER_PAGE as usize);
            if articles.is_empty() && page > 1 {
                return Err(AppError::NotFound("page"));
            }
            let path = author_url(&author.slug);
            let page_url = |n: u32| if n == 1 { path.clone() } else { format!("{path}?page={n}") };
            let context = context! {
                site_name => &state.config.site_name,
                canonical_url => format!("{}{}", public_base(&state), page_url(page)),
                author => AuthorView::from(&author),
                articles => articles.iter().map(ArticleSummaryView::from).collect::<Vec<_>>(),
                previous_page_url => (page > 1).then(|| page_url(page - 1)),
                next_page_url => has_next.then(|| page_url(page + 1)),
            };
            Ok::<_, AppError>(state.templates.render("author.html", context)?.into())
        })
        .await
}
