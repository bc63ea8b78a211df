//! A reader's own data: their latest comments on the account page, and
//! everything the site keeps about them as one JSON download.

use super::session::SignedIn;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::article_url;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tribune_domain::Timestamp;
use tribune_store::{AuthoredComment, User};

/// Comments shown on the account page.
const RECENT: u32 = 20;
/// Comments read from the database at a time for the download.
const BATCH: u32 = 500;

/// One of the reader's comments, with where it was posted.
#[derive(Debug, Serialize)]
pub struct MyComment {
    pub id: i64,
    pub url: String,
    pub article_slug: String,
    pub article_headline: String,
    pub parent_id: Option<i64>,
    pub status: &'static str,
    pub body_markdown: String,
    /// Sanitized when it was stored.
    pub body_html: String,
    pub created_at: String,
}

/// A comment as the account page lists it.
#[derive(Debug, Serialize)]
pub struct RecentComment {
    #[serde(flatten)]
    pub comment: MyComment,
    pub created_human: String,
}

impl From<AuthoredComment> for MyComment {
    fn from(authored: AuthoredComment) -> Self {
        let c = authored.comment;
        Self {
            id: c.id.0,
            url: format!("{}#comment-{}", article_url(&authored.article_slug), c.id.0),
            article_slug: authored.article_slug,
            article_headline: authored.article_headline,
            parent_id: c.parent_id.map(|p| p.0),
            status: c.status.as_str(),
            body_markdown: c.body_markdown,
            body_html: c.body_html,
            created_at: c.created_at.rfc3339(),
        }
    }
}

pub async fn recent_comments(state: &AppState, user: &User) -> Result<Vec<RecentComment>, AppError> {
    let recent = state.store.comments_by_user(user.id, None, RECENT).await?;
    Ok(recent
        .into_iter()
        .map(|authored| RecentComment {
            created_human: authored.comment.created_at.human(),
            comment: MyComment::from(authored),
        })
        .collect())
}

#[derive(Serialize)]
struct Export<'a> {
    exported_at: String,
    site: &'a str,
    account: &'a User,
    comments: Vec<MyComment>,
}

/// `GET /account/data.json`: the account and every comment it wrote, as a file.
pub async fn download(State(state): State<AppState>, SignedIn(user): SignedIn) -> Result<Response, AppError> {
    let mut comments = Vec::new();
    let mut before = None;
    loop {
        let batch = state.store.comments_by_user(user.id, before, BATCH).await?;
        before = batch.last().map(|c| c.comment.id);
        let full = batch.len() == BATCH as usize;
        comments.extend(batch.into_iter().map(MyComment::from));
        if !full {
            break;
        }
    }
    let export =
        Export { exported_at: Timestamp::now().rfc3339(), site: &state.config.public_url, account: &user, comments };
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.to_string()))?;
    let headers = [
        (CONTENT_TYPE, "application/json".to_owned()),
        (CONTENT_DISPOSITION, format!("attachment; filename=\"tribune-account-{}.json\"", user.id.0)),
        (CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, body).into_response())
}
