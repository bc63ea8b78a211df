//! The newsroom's list of articles, newest first, one page at a time: the
//! `/newsroom` page (a tab per state) and the helpers the JSON list shares.

use super::pages::refuse_non_writers;
use crate::accounts::SignedIn;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tribune_domain::authoring::{self, ArticleStatus};
use tribune_domain::{ArticleId, Timestamp};
use tribune_store::{NewsroomFilter, NewsroomItem};

/// Articles on one page of `/newsroom`.
const PAGE_SIZE: u32 = 50;

/// The tabs: every state, in the order a desk works through them.
const TABS: [(ArticleStatus, &str); 5] = [
    (ArticleStatus::Submitted, "Submitted for review"),
    (ArticleStatus::Draft, "Drafts"),
    (ArticleStatus::Scheduled, "Scheduled"),
    (ArticleStatus::Published, "Published"),
    (ArticleStatus::Unpublished, "Unpublished"),
];

/// The list's status filter, as `?status=` names it.
pub fn list_status(raw: Option<&str>) -> Result<Option<ArticleStatus>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => Ok(Some(ArticleStatus::parse(raw).ok_or_else(|| AppError::BadRequest {
            code: "invalid_status",
            message: "status is one of draft, submitted, scheduled, published or unpublished.".to_owned(),
        })?)),
    }
}

/// One page of the newsroom's list (an author sees their own) and the next
/// page's `before`: one more than the page is read to know if there is one.
pub async fn list_page(
    state: &AppState,
    user: &tribune_store::User,
    status: Option<ArticleStatus>,
    before: Option<i64>,
    limit: u32,
) -> Result<(Vec<NewsroomItem>, Option<i64>), AppError> {
    let filter = NewsroomFilter {
        author: (!authoring::publishes(user.role)).then_some(user.id),
        status,
        before: before.filter(|b| *b > 0).map(ArticleId),
        limit: limit + 1,
    };
    let mut articles = state.store.newsroom_articles(&filter).await?;
    let next = (articles.len() > limit as usize).then(|| {
        articles.truncate(limit as usize);
        articles.last().map(|a| a.id.0)
    });
    Ok((articles, next.flatten()))
}

#[derive(Deserialize)]
pub struct ListPageParams {
    status: Option<String>,
    before: Option<i64>,
}

#[derive(Serialize)]
struct Tab {
    status: &'static str,
    title: &'static str,
    current: bool,
}

#[derive(Serialize)]
struct Item {
    id: i64,
    headline: String,
    byline: String,
    section: String,
    revision: i32,
    status: &'static str,
    status_title: &'static str,
    when: Option<String>,
}

impl From<NewsroomItem> for Item {
    fn from(item: NewsroomItem) -> Self {
        let title = TABS.iter().find(|(s, _)| *s == item.status).map_or("", |(_, t)| t);
        Self {
            id: item.id.0,
            when: item.updated_at.or(item.published_at).map(Timestamp::human),
            headline: item.headline,
            byline: item.byline,
            section: item.section,
            revision: item.revision,
            status: item.status.as_str(),
            status_title: title,
        }
    }
}

/// `/newsroom[?status=…][&before=…]`: editors see every article, an author their own.
pub async fn page(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListPageParams>,
) -> Result<Response, AppError> {
    refuse_non_writers(&user)?;
    let status = list_status(params.status.as_deref())?;
    let (items, next_before) = list_page(&state, &user, status, params.before, PAGE_SIZE).await?;
    let tabs: Vec<Tab> =
        TABS.iter().map(|(s, title)| Tab { status: s.as_str(), title, current: Some(*s) == status }).collect();
    let articles: Vec<Item> = items.into_iter().map(Item::from).collect();
    let html = state.templates.render(
        "newsroom_list.html",
        context! {
            site_name => &state.config.site_name,
            viewer => &user,
            tabs,
            status => status.map(ArticleStatus::as_str),
            articles,
            next_before,
            first_page => params.before.is_none(),
        },
    )?;
    Ok(Html(html).into_response())
}
