//! The home page: a lead story shown large (the one an editor chose, else
//! the newest), then the latest articles of each section, and "most
//! discussed". Anonymous readers get it from the page cache, which any
//! article's change drops.

use crate::accounts::MaybeUser;
use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::feeds::public_base;
use crate::state::AppState;
use crate::views::ArticleSummaryView;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Serialize;
use tribune_domain::SortOrder;
use tribune_domain::{Slug, Timestamp};
use tribune_store::{ArticleSummary, DbError, ThreadQuery};

/// "Most discussed" counts comments published in the last 48 hours.
const MOST_DISCUSSED_WINDOW_MILLIS: i64 = 48 * 3_600_000;
/// The newest articles the page draws its sections from.
const LATEST: u32 = 60;
/// Articles shown per section.
const PER_SECTION: usize = 4;

#[derive(Debug, Serialize)]
struct SectionBlock {
    name: String,
    slug: String,
    articles: Vec<ArticleSummaryView>,
}

/// The newest articles grouped by section, sections in the order of their newest article.
fn by_section(articles: &[ArticleSummary]) -> Vec<SectionBlock> {
    let mut blocks: Vec<SectionBlock> = Vec::new();
    for article in articles {
        let index = match blocks.iter().position(|b| b.slug == article.section_slug) {
            Some(index) => index,
            None => {
                let name = article.section.clone();
                blocks.push(SectionBlock { name, slug: article.section_slug.clone(), articles: Vec::new() });
                blocks.len() - 1
            }
        };
        if blocks[index].articles.len() < PER_SECTION {
            blocks[index].articles.push(ArticleSummaryView::from(article));
        }
    }
    blocks
}

/// The lead: the editor's choice while it is published, else the newest.
async fn lead(state: &AppState, latest: &[ArticleSummary], now: Timestamp) -> Result<Option<ArticleSummary>, AppError> {
    if let Some(chosen) = tribune_app::home::chosen_lead(state.store.as_ref()).await? {
        if let Some(found) = latest.iter().find(|a| a.slug == chosen) {
            return Ok(Some(found.clone()));
        }
        // Older than the latest ones: read it, and its comment count, on its own.
        if let Ok(slug) = Slug::parse(&chosen) {
            match state.store.article_by_slug(&slug).await {
                Ok(article) if article.is_public(now) => {
                    let counted = state
                        .store
                        .thread_page(article.id, ThreadQuery { sort: SortOrder::Oldest, after_root: None, roots: 1 })
                        .await?;
                    return Ok(Some(ArticleSummary {
                        id: article.id,
                        slug: article.slug,
                        headline: article.headline,
                        standfirst: article.standfirst,
                        byline: article.byline,
                        section: article.section,
                        section_slug: article.section_slug,
                        tags: article.tags,
                        published_at: article.published_at,
                        updated_at: article.updated_at,
                        comment_count: counted.total_published,
                    }));
                }
                Ok(_) | Err(DbError::NotFound) => {}
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(latest.first().cloned())
}

pub async fn show(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    request: HeaderMap,
) -> Result<Response, AppError> {
    let render = || async {
        let now = Timestamp::now();
        let latest = state.store.published_articles(now, LATEST).await?;
        let lead = lead(&state, &latest, now).await?;
        let rest: Vec<ArticleSummary> =
            latest.iter().filter(|a| lead.as_ref().is_none_or(|l| l.id != a.id)).cloned().collect();
        let sections = by_section(&rest);
        let lead = lead.as_ref().map(ArticleSummaryView::from);
        let most_discussed =
            state.store.most_discussed(Timestamp(now.0 - MOST_DISCUSSED_WINDOW_MILLIS), now, 5).await?;
        let most_discussed: Vec<ArticleSummaryView> = most_discussed.iter().map(ArticleSummaryView::from).collect();
        let canonical_url = format!("{}/", public_base(&state));
        let context = context! {
            site_name => &state.config.site_name, canonical_url, lead, sections, most_discussed, viewer => &viewer,
        };
        Ok::<_, AppError>(state.templates.render("home.html", context)?.into())
    };
    if viewer.is_some() {
        return Ok(([(axum::http::header::CONTENT_TYPE, cache::HTML)], render().await?).into_response());
    }
    state.cache.get_or_render(CacheKey::new("", "home", String::new()), cache::HTML, &request, render).await
}
