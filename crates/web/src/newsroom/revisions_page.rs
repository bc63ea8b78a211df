//! The revisions page: an article's history, the line difference between
//! two revisions, and restoring one (as a new revision).

use super::{authoring_error, LiveAnnounce};
use crate::accounts::SignedIn;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use tribune_app::authoring::Newsroom;
use tribune_domain::authoring::{self, Action, Target};
use tribune_domain::{ArticleId, Timestamp};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompareParams {
    from: Option<i32>,
    to: Option<i32>,
}

pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<CompareParams>,
) -> Result<Response, AppError> {
    let announce = LiveAnnounce(&state.live);
    let newsroom = Newsroom { store: state.store.as_ref(), announce: &announce };
    let article = newsroom.open(&user, ArticleId(id)).await.map_err(|e| authoring_error(e, Some(id)))?;
    let revisions = newsroom.revisions(&user, ArticleId(id)).await.map_err(|e| authoring_error(e, Some(id)))?;
    let diff = match (params.from, params.to) {
        (Some(from), Some(to)) => {
            Some(newsroom.compare(&user, ArticleId(id), from, to).await.map_err(|e| authoring_error(e, Some(id)))?)
        }
        _ => None,
    };
    let target = Target { status: article.status, own: article.author_id == Some(user.id) };
    let may_restore = authoring::check(user.role, Action::RestoreRevision, Some(target)).is_ok();
    let rows: Vec<serde_json::Value> = revisions
        .iter()
        .map(|r| {
            serde_json::json!({ "number": r.number, "author_name": r.author_name,
                "when": r.created_at.human(), "headline": r.headline })
        })
        .collect();
    let html = state.templates.render(
        "newsroom_revisions.html",
        context! {
            site_name => &state.config.site_name,
            viewer => &user,
            id,
            headline => &article.headline,
            revisions => rows,
            diff,
            from => params.from,
            to => params.to,
            may_restore,
        },
    )?;
    Ok(Html(html).into_response())
}

pub async fn restore(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path((id, number)): Path<(i64, i32)>,
) -> Result<Response, AppError> {
    let announce = LiveAnnounce(&state.live);
    let newsroom = Newsroom { store: state.store.as_ref(), announce: &announce };
    newsroom.restore(&user, ArticleId(id), number, Timestamp::now()).await.map_err(|e| authoring_error(e, Some(id)))?;
    Ok(Redirect::to(&format!("/newsroom/articles/{id}/edit?saved=1")).into_response())
}
