//! `/search?q=`: published articles containing every word, best match
//! first, with highlighted snippets, 10 to a page. Anonymous readers share
//! cached pages (dropped on any article change, like the home page).

use crate::accounts::MaybeUser;
use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::feeds::public_base;
use crate::pages::section::PageParams;
use crate::pages::snippet::highlighted;
use crate::state::AppState;
use crate::views::ArticleSummaryView;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tribune_domain::search::MAX_SEARCH_QUERY_CHARS;
use tribune_domain::{SearchTerms, Timestamp};
use tribune_store::{SearchHit, SearchQuery, User};

const RESULTS_PER_PAGE: u32 = 10;

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

#[derive(Debug, Serialize)]
struct ResultView {
    article: ArticleSummaryView,
    /// Escaped text with `<mark>`ed matches (see `snippet`).
    snippet: String,
}

pub async fn show(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    ApiQuery(params): ApiQuery<SearchParams>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let typed: String = params.q.unwrap_or_default().chars().take(MAX_SEARCH_QUERY_CHARS).collect();
    let terms = SearchTerms::parse(&typed);
    let page = params.page.number()?;
    let render = || render(&state, &typed, terms.as_ref(), page, viewer.as_ref());
    if viewer.is_some() {
        return Ok(([(CONTENT_TYPE, cache::HTML)], render().await?).into_response());
    }
    // The typed text is shown back, so it is part of the key.
    let key = CacheKey::new("", "search", format!("{page}:{typed}"));
    state.cache.get_or_render(key, cache::HTML, &headers, || async { Ok::<_, AppError>(render().await?.into()) }).await
}

async fn render(
    state: &AppState,
    typed: &str,
    terms: Option<&SearchTerms>,
    page: u32,
    viewer: Option<&User>,
) -> Result<String, AppError> {
    let (results, has_next) = match terms {
        Some(terms) => {
            let query = SearchQuery {
                terms: terms.clone(),
                now: Timestamp::now(),
                // One more than shown says whether there is a next page.
                limit: RESULTS_PER_PAGE + 1,
                offset: (page - 1) * RESULTS_PER_PAGE,
            };
            let mut hits = state.store.search_articles(&query).await?;
            let has_next = hits.len() > RESULTS_PER_PAGE as usize;
            hits.truncate(RESULTS_PER_PAGE as usize);
            (hits.iter().map(|hit| result_view(hit, terms)).collect(), has_next)
        }
        None => (Vec::new(), false),
    };
    let page_url = |n: u32| {
        let q = terms.map(SearchTerms::joined).unwrap_or_default();
        let q = percent_encoding::utf8_percent_encode(&q, percent_encoding::NON_ALPHANUMERIC);
        if n == 1 {
            format!("/search?q={q}")
        } else {
            format!("/search?q={q}&page={n}")
        }
    };
    state.templates.render(
        "search.html",
        context! {
            site_name => &state.config.site_name,
            canonical_url => format!("{}{}", public_base(state), page_url(page)),
            query => typed,
            searched => terms.is_some(),
            results,
            page,
            previous_page_url => (page > 1 && terms.is_some()).then(|| page_url(page - 1)),
            next_page_url => has_next.then(|| page_url(page + 1)),
            viewer,
        },
    )
}

fn result_view(hit: &SearchHit, terms: &SearchTerms) -> ResultView {
    let text = format!("{}\n{}", hit.article.standfirst, hit.body_markdown);
    ResultView { article: ArticleSummaryView::from(&hit.article), snippet: highlighted(&text, terms) }
}
