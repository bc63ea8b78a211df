//! The moderation JSON API (docs/api.md): queues, actions on comments and
//! authors, settings, an article's discussion, the audit log, and readers'
//! reports. Moderator sessions and the admin token may call it; settings
//! change only for admins.

use crate::accounts::MaybeUser;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::moderation::actions::parse_action;
use crate::moderation::actor::{AdminActor, ModeratorActor};
use crate::moderation::admin::AuditParams;
use crate::moderation::authors::{author_key, parse_author_action, AuthorForm};
use crate::moderation::cards::Card;
use crate::moderation::desk::{cards, QueueParams};
use crate::moderation::{action_error, any_article, author_error, report_error, settings_error};
use crate::posting::published_article;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tribune_app::decisions::Action;
use tribune_app::settings::discussion_of;
use tribune_domain::moderation::ReportReason;
use tribune_domain::{CommentId, Timestamp};
use tribune_moderation::settings::{DiscussionSettings, ModerationSettings};
use tribune_store::{AuditEntry, Comment, QueueCounts};

#[derive(Serialize)]
pub struct QueuePage {
    queue: &'static str,
    counts: QueueCounts,
    comments: Vec<Card>,
    /// Pass as `after` for the next page.
    next_after: Option<String>,
}

pub async fn queue(
    State(state): State<AppState>,
    _moderator: ModeratorActor,
    Path(queue): Path<String>,
    ApiQuery(params): ApiQuery<QueueParams>,
) -> Result<Json<QueuePage>, AppError> {
    let params = QueueParams { queue: Some(queue), ..params };
    let query = params.query(state.store.as_ref()).await?;
    let (counts, items) = tokio::try_join!(state.store.queue_counts(&query.filter), state.store.queue(&query))?;
    let next_after =
        (items.len() == query.limit as usize).then(|| items.last().map(|i| i.comment.id.0.to_string())).flatten();
    let comments = cards(state.store.as_ref(), items).await?;
    Ok(Json(QueuePage { queue: query.queue.as_str(), counts, comments, next_after }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    action: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    note: Option<String>,
    /// For `edit`: the new Markdown body.
    #[serde(default)]
    body: Option<String>,
    /// The version the moderator saw; omitted, the action applies to the comment as it is.
    #[serde(default)]
    version: Option<i32>,
}

/// A comment as moderators get it back after an action.
#[derive(Serialize)]
pub struct ModeratedComment {
    id: i64,
    status: &'static str,
    version: i32,
    featured: bool,
    reject_reason: Option<&'static str>,
    reject_note: String,
    moderator_name: String,
    moderated_at: Option<String>,
    body_html: String,
    open_reports: i32,
}

impl From<Comment> for ModeratedComment {
    fn from(c: Comment) -> Self {
        Self {
            id: c.id.0,
            status: c.status.as_str(),
            version: c.version,
            featured: c.featured,
            reject_reason: c.reject_reason.map(|r| r.as_str()),
            reject_note: c.reject_note,
            moderator_name: c.moderator_name,
            moderated_at: c.moderated_at.map(Timestamp::rfc3339),
            body_html: c.body_html,
            open_reports: c.open_reports,
        }
    }
}

pub async fn act(
    State(state): State<AppState>,
    moderator: ModeratorActor,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ActionRequest>,
) -> Result<Json<ModeratedComment>, AppError> {
    let id = CommentId(id.parse().map_err(|_| AppError::NotFound("comment"))?);
    let action = match request.action.as_str() {
        "edit" => Action::Edit {
            body: request.body.clone().unwrap_or_default(),
            reason: request.reason.clone().unwrap_or_default(),
        },
        other => parse_action(other, request.reason.as_deref(), request.note.as_deref())?,
    };
    let comment = state
        .moderation
        .act(id, &action, request.version, &moderator.actor, state.config.max_comment_chars)
        .await
        .map_err(action_error)?;
    Ok(Json(comment.into()))
}

pub async fn act_on_author(
    State(state): State<AppState>,
    moderator: ModeratorActor,
    Path(raw): Path<String>,
    ApiJson(form): ApiJson<AuthorRequest>,
) -> Result<Json<serde_json::Value>, AppError> {
    let author = author_key(&raw)?;
    let form = AuthorForm {
        action: form.action,
        message: form.message,
        days: form.days.map(|d| d.to_string()).unwrap_or_default(),
        body: form.body,
        reason: form.reason,
        reject_all: form.reject_all,
    };
    let action = parse_author_action(&form, Timestamp::now())?;
    let outcome = state
        .moderation
        .act_on_author(&author, &action, &moderator.actor, state.config.max_comment_chars)
        .await
        .map_err(author_error)?;
    let restriction = state.store.author_restriction(&author).await?;
    Ok(Json(
        serde_json::json!({ "author": author.as_stored(), "rejected": outcome.rejected, "restriction": restriction }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorRequest {
    action: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    days: Option<u32>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    reject_all: bool,
}

pub async fn settings(State(state): State<AppState>, _moderator: ModeratorActor) -> Json<ModerationSettings> {
    Json(state.moderation.policy().settings.clone())
}

pub async fn put_settings(
    State(state): State<AppState>,
    admin: AdminActor,
    ApiJson(settings): ApiJson<ModerationSettings>,
) -> Result<Json<ModerationSettings>, AppError> {
    state.moderation.save_settings(settings, &admin.actor).await.map_err(settings_error)?;
    Ok(Json(state.moderation.policy().settings.clone()))
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discussion {
    comments_open: bool,
    #[serde(default)]
    settings: DiscussionSettings,
}

pub async fn discussion(
    State(state): State<AppState>,
    _moderator: ModeratorActor,
    Path(slug): Path<String>,
) -> Result<Json<Discussion>, AppError> {
    let article = any_article(state.store.as_ref(), &slug).await?;
    let settings = discussion_of(&article).map_err(settings_error)?;
    Ok(Json(Discussion { comments_open: article.comments_open, settings }))
}

pub async fn put_discussion(
    State(state): State<AppState>,
    moderator: ModeratorActor,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<Discussion>,
) -> Result<Json<Discussion>, AppError> {
    let article = any_article(state.store.as_ref(), &slug).await?;
    state
        .moderation
        .save_discussion(&article, request.comments_open, request.settings, &moderator.actor)
        .await
        .map_err(settings_error)?;
    let article = any_article(state.store.as_ref(), &slug).await?;
    let settings = discussion_of(&article).map_err(settings_error)?;
    Ok(Json(Discussion { comments_open: article.comments_open, settings }))
}

#[derive(Serialize)]
pub struct AuditPage {
    entries: Vec<AuditEntry>,
    next_before: Option<String>,
}

pub async fn audit(
    State(state): State<AppState>,
    _moderator: ModeratorActor,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<AuditPage>, AppError> {
    let query = params.query(&state, 100).await?;
    let entries = state.store.audit_log(&query).await?;
    let next_before =
        (entries.len() == query.limit as usize).then(|| entries.last().map(|e| e.id.to_string())).flatten();
    Ok(Json(AuditPage { entries, next_before }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    reason: String,
    #[serde(default)]
    note: String,
}

/// A reader reports a comment of this article.
pub async fn report(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    MaybeUser(viewer): MaybeUser,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ReportRequest>,
) -> Result<Response, AppError> {
    let article = published_article(&state, &slug).await?;
    if viewer.as_ref().is_some_and(|u| u.suspended) {
        return Err(AppError::suspended());
    }
    let id = CommentId(id.parse().map_err(|_| AppError::NotFound("comment"))?);
    let reason = ReportReason::parse(&request.reason).map_err(AppError::field)?;
    let (reporter, cookie) = crate::pages::report::reporter(&state, viewer.as_ref(), &headers);
    state.moderation.report(&article, id, &reporter, reason, &request.note).await.map_err(report_error)?;
    let mut response = (StatusCode::CREATED, Json(serde_json::json!({ "received": true }))).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    Ok(response)
}
