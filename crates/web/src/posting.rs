//! The two use cases every entry point shares: finding a published article,
//! and posting a comment to it.

use crate::error::AppError;
use crate::limits::Commenter;
use crate::state::AppState;
use serde::Deserialize;
use tribune_domain::comment::SortOrder;
use tribune_domain::markdown::render_comment;
use tribune_domain::thread::{reply_parent, ReplyTarget};
use tribune_domain::{
    AuthorName, CommentBody, CommentId, CommentStatus, Email, FieldError, NewComment, Slug, Timestamp,
    ValidationErrors, Website,
};
use tribune_store::{Article, ArticleEvent, Comment, DbError, ThreadQuery, User};

/// A published article, or 404 for anything else (unknown, draft, scheduled).
pub async fn published_article(state: &AppState, raw_slug: &str) -> Result<Article, AppError> {
    let slug = Slug::parse(raw_slug).map_err(|_| AppError::NotFound("article"))?;
    let article = state.store.article_by_slug(&slug).await.map_err(|e| match e {
        DbError::NotFound => AppError::NotFound("article"),
        other => other.into(),
    })?;
    match article.published_at {
        Some(at) if at <= Timestamp::now() => Ok(article),
        _ => Err(AppError::NotFound("article")),
    }
}

/// What a commenter sent, from the form or the API, before parsing.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct CommentInput {
    pub name: String,
    pub email: String,
    pub website: String,
    pub body: String,
    /// The comment replied to; blank for a top-level comment.
    #[serde(deserialize_with = "crate::posting::optional_id")]
    pub parent_id: Option<String>,
}

/// Accepts a number or a string for ids, since forms send strings and JSON clients numbers.
pub fn optional_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(i64),
        Text(String),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        None => None,
        Some(Raw::Number(n)) => Some(n.to_string()),
        Some(Raw::Text(s)) if s.trim().is_empty() => None,
        Some(Raw::Text(s)) => Some(s),
    })
}

fn parent_not_found() -> FieldError {
    FieldError::new("parent_id", "parent_not_found", "The comment you are replying to does not exist on this article.")
}

/// Parses, places and stores a comment; nothing is written when any field is wrong.
/// A signed-in `viewer` comments under their account's name and e-mail.
pub async fn post_comment(
    state: &AppState,
    article: &Article,
    input: &CommentInput,
    viewer: Option<&User>,
    ip: std::net::IpAddr,
) -> Result<Comment, AppError> {
    if !article.comments_open {
        return Err(AppError::Forbidden { code: "comments_closed", message: "Comments on this article are closed." });
    }
    match viewer {
        None if !state.config.guests_may_comment => return Err(AppError::SignInRequired),
        Some(user) if user.suspended => return Err(AppError::suspended()),
        _ => {}
    }
    state.limits.check_comment(match viewer {
        Some(user) => Commenter::Account(user.id),
        None => Commenter::Guest(ip),
    })?;
    let mut errors = ValidationErrors::default();
    let (name, email) = match viewer {
        Some(user) => (errors.check(AuthorName::parse(&user.display_name)), errors.check(Email::parse(&user.email))),
        None => (errors.check(AuthorName::parse(&input.name)), errors.check(Email::parse(&input.email))),
    };
    let website = errors.check(Website::parse_optional(&input.website));
    let body = errors.check(CommentBody::parse(&input.body, state.config.max_comment_chars));
    let parent_id = match input.parent_id.as_deref() {
        None => Some(None),
        Some(raw) => match raw.trim().parse::<i64>() {
            Ok(id) => errors.check(reply_target(state, article, CommentId(id)).await?),
            Err(_) => {
                errors.push(FieldError::new("parent_id", "invalid_parent", "The reply target must be a comment id."));
                None
            }
        },
    };
    let (Some(name), Some(email), Some(website), Some(body), Some(parent_id)) = (name, email, website, body, parent_id)
    else {
        return Err(errors.into());
    };
    let comment = NewComment {
        article_id: article.id,
        parent_id,
        author_name: name,
        author_email: email,
        author_website: website,
        body_html: render_comment(body.as_str()),
        body,
        status: CommentStatus::Published,
        created_at: Timestamp::now(),
        user_id: viewer.map(|user| user.id),
    };
    let stored = state.store.create_comment(&comment).await.map_err(|e| match e {
        DbError::NotFound => AppError::field(parent_not_found()),
        other => other.into(),
    })?;
    if stored.status == CommentStatus::Published {
        let event = ArticleEvent::CommentPublished {
            article_id: article.id,
            article_slug: article.slug.clone(),
            comment_id: stored.id,
            parent_id: stored.parent_id,
        };
        state.live.publish(&event).await;
    }
    Ok(stored)
}

/// Where a reply to `id` attaches, after capping the depth.
async fn reply_target(
    state: &AppState,
    article: &Article,
    id: CommentId,
) -> Result<Result<Option<CommentId>, FieldError>, AppError> {
    let target = match state.store.comment(id).await {
        Ok(target) if target.article_id == article.id && target.status == CommentStatus::Published => target,
        Ok(_) | Err(DbError::NotFound) => return Ok(Err(parent_not_found())),
        Err(other) => return Err(other.into()),
    };
    let depth = u32::try_from(target.depth).unwrap_or(1);
    Ok(Ok(reply_parent(ReplyTarget { id: target.id, parent_id: target.parent_id, depth }, state.config.max_depth)))
}

/// The `sort` and `cursor` query parameters of a discussion.
#[derive(Debug, Default, Deserialize)]
pub struct ThreadParams {
    pub sort: Option<String>,
    pub cursor: Option<String>,
}

impl ThreadParams {
    pub fn parse(&self, per_page: u32) -> Result<ThreadQuery, AppError> {
        let sort = match self.sort.as_deref() {
            None | Some("") => SortOrder::Oldest,
            Some(raw) => {
                SortOrder::parse(raw).map_err(|e| AppError::BadRequest { code: e.code, message: e.message })?
            }
        };
        let after_root = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(raw) => {
                Some(CommentId(raw.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| AppError::BadRequest {
                    code: "invalid_cursor",
                    message: "The cursor is not one this server gave out.".to_owned(),
                })?))
            }
        };
        Ok(ThreadQuery { sort, after_root, roots: per_page })
    }
}
