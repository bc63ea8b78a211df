//! An author, as moderators see them: their record (comments by status and
//! the latest ones), what moderators decided about them and their notes,
//! and the actions: ban, suspend, warn, always pre-moderate, note, reject all.

use crate::error::AppError;
use crate::extract::PageForm;
use crate::moderation::actions::desk_url;
use crate::moderation::actor::ModeratorActor;
use crate::moderation::author_error;
use crate::moderation::cards::excerpt;
use crate::state::AppState;
use crate::views::article_url;
use axum::extract::{Path, State};
use axum::http::header::CACHE_CONTROL;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tribune_app::authors::AuthorAction;
use tribune_domain::moderation::{AuthorKey, RejectReason};
use tribune_domain::{FieldError, Timestamp};

/// The author named in the address (`user:12`, `email:reader@example.org`).
pub fn author_key(raw: &str) -> Result<AuthorKey, AppError> {
    AuthorKey::parse_stored(raw.trim()).ok_or(AppError::NotFound("author"))
}

#[derive(Serialize)]
struct RecentComment {
    id: i64,
    status: &'static str,
    excerpt: String,
    created_human: String,
    url: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    moderator: ModeratorActor,
) -> Result<Response, AppError> {
    let author = author_key(&raw)?;
    let (counts, restriction, notes, comments) = tokio::try_join!(
        state.store.author_counts(&author),
        state.store.author_restriction(&author),
        state.store.moderator_notes(&author),
        state.store.author_comments(&author, 20),
    )?;
    let name = comments.first().map(|c| c.author_name.clone()).unwrap_or_default();
    let email = comments.first().map(|c| c.author_email.clone()).unwrap_or_default();
    let mut recent = Vec::with_capacity(comments.len());
    for comment in &comments {
        let url = match state.store.article(comment.article_id).await {
            Ok(article) => Some(format!("{}#comment-{}", article_url(&article.slug), comment.id)),
            Err(tribune_store::DbError::NotFound) => None,
            Err(other) => return Err(other.into()),
        };
        recent.push(RecentComment {
            id: comment.id.0,
            status: comment.status.as_str(),
            excerpt: excerpt(&comment.body_markdown, 200),
            created_human: comment.created_at.human(),
            url,
        });
    }
    let reject_reasons: Vec<(&str, &str)> = RejectReason::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
    let now = Timestamp::now();
    let html = state.templates.render(
        "moderation_author.html",
        context! {
            site_name => &state.config.site_name,
            viewer => &moderator.user,
            key => author.as_stored(),
            is_account => matches!(author, AuthorKey::Account(_)),
            name,
            email,
            counts,
            banned => restriction.banned,
            suspended_until => restriction.suspended_until.filter(|t| *t > now).map(|t| t.human()),
            message => restriction.message,
            warning => restriction.warning,
            always_premoderate => restriction.always_premoderate,
            notes => notes.iter().map(|n| context! { body => &n.body, by => &n.moderator_name, at => n.created_at.human() }).collect::<Vec<_>>(),
            recent,
            reject_reasons,
        },
    )?;
    Ok(([(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthorForm {
    pub action: String,
    pub message: String,
    pub days: String,
    pub body: String,
    pub reason: String,
    #[serde(deserialize_with = "tribune_app::posting::checkbox")]
    pub reject_all: bool,
}

/// Parses what the author page (or the API) asks for.
pub fn parse_author_action(form: &AuthorForm, now: Timestamp) -> Result<AuthorAction, AppError> {
    let reason = || {
        RejectReason::parse(if form.reason.trim().is_empty() { "other" } else { &form.reason }).map_err(AppError::field)
    };
    Ok(match form.action.as_str() {
        "ban" => AuthorAction::Ban {
            message: form.message.clone(),
            reject_all: if form.reject_all { Some(reason()?) } else { None },
        },
        "unban" => AuthorAction::Unban,
        "suspend" => {
            let days: u32 = form.days.trim().parse().ok().filter(|d| (1..=3650).contains(d)).ok_or_else(|| {
                AppError::field(FieldError::new("days", "invalid_days", "Suspend for 1 to 3,650 days."))
            })?;
            AuthorAction::Suspend {
                until: Timestamp(now.0 + i64::from(days) * 86_400_000),
                message: form.message.clone(),
            }
        }
        "unsuspend" => AuthorAction::Unsuspend,
        "warn" => AuthorAction::Warn { message: form.message.clone() },
        "premoderate" => AuthorAction::AlwaysPremoderate(true),
        "unpremoderate" => AuthorAction::AlwaysPremoderate(false),
        "note" => AuthorAction::Note { body: form.body.clone() },
        "reject_all" => AuthorAction::RejectAll { reason: reason()? },
        _ => return Err(AppError::field(FieldError::new(
            "action",
            "invalid_action",
            "The action must be ban, unban, suspend, unsuspend, warn, premoderate, unpremoderate, note or reject_all.",
        ))),
    })
}

pub async fn act(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    moderator: ModeratorActor,
    PageForm(form): PageForm<AuthorForm>,
) -> Result<Response, AppError> {
    let author = author_key(&raw)?;
    let back = desk_url(Some(&format!("/moderation/authors/{}", author.as_stored())));
    let action = match parse_author_action(&form, Timestamp::now()) {
        Ok(action) => action,
        Err(AppError::Validation(errors)) => {
            let message = errors.0.first().map(|e| e.message.clone()).unwrap_or_default();
            return Ok(Redirect::to(&format!(
                "{back}?{}",
                serde_urlencoded::to_string([("error", message)]).unwrap_or_default()
            ))
            .into_response());
        }
        Err(other) => return Err(other),
    };
    let outcome =
        state.moderation.act_on_author(&author, &action, &moderator.actor, state.config.max_comment_chars).await;
    let query = match outcome {
        Ok(outcome) => serde_urlencoded::to_string([
            ("done", action.name().to_owned()),
            ("rejected", outcome.rejected.to_string()),
        ]),
        Err(tribune_app::authors::AuthorError::Invalid(error)) => {
            serde_urlencoded::to_string([("error", error.message)])
        }
        Err(other) => return Err(author_error(other)),
    };
    Ok(Redirect::to(&format!("{back}?{}", query.unwrap_or_default())).into_response())
}
