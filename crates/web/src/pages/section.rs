//! A section's page: its published articles, newest first, in pages of
//! `?page=N`. A section exists while it has published articles.

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

pub async fn show(
    State(state): State<AppState>,
    Path(section): Path<String>,
    ApiQuery(params): ApiQuery<PageParams>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let section = Slug::parse(&section).map_err(|_| AppError::NotFound("section"))?;
    let page = params.number()?;
    let key = CacheKey::new("", "section", format!("{}:{page}", section.as_str()));
    state
        .cache
        .get_or_render(key, cache::HTML, &headers, || async {
            let query = ArticleListQuery {
                section_slug: Some(section.as_str().to_owned()),
                offset: (page - 1) * ARTICLES_PER_PAGE,
                // One more than shown says whether there is a next page.
                ..ArticleListQuery::latest(Timestamp::now(), ARTICLES_PER_PAGE + 1)
            };
            let mut articles = state.store.list_published(&query).await?;
            let has_next = articles.len() > ARTICLES_PER_PAGE as usize;
            articles.truncate(ARTICLES_PER_PAGE as usize);
            let name = articles.first().map(|a| a.section.clone()).ok_or(AppError::NotFound("section"))?;
            let path = format!("/sections/{}", section.as_str());
            let page_url = |n: u32| if n == 1 { path.clone() } else { format!("{path}?page={n}") };
            let context = context! {
                site_name => &state.config.site_name,
                canonical_url => format!("{}{}", public_base(&state), page_url(page)),
                section => name,
                section_slug => section.as_str(),
                articles => articles.iter().map(ArticleSummaryView::from).collect::<Vec<_>>(),
                previous_page_url => (page > 1).then(|| page_url(page - 1)),
                next_page_url => has_next.then(|| page_url(page + 1)),
            };
            Ok::<_, AppError>(state.templates.render("section.html", context)?.into())
        })
        .await
}
