//! The two things every entry point shares: finding a published article,
//! and posting a comment to it through the moderation use case.

use crate::accounts::session::cookie_values;
use crate::error::AppError;
use crate::limits::Commenter as FloodKey;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue};
use serde::Deserialize;
use tribune_app::posting::{Commenter, PostError, Posted, Rules};
use tribune_domain::comment::SortOrder;
use tribune_domain::{CommentId, FieldError, Slug, Timestamp};
use tribune_store::{Article, DbError, ThreadQuery, User};

pub use tribune_app::posting::{optional_id, CommentInput};

/// The cookie that identifies a guest's browser, so they see their own
/// held comments; the database keeps its SHA-256.
pub const GUEST_COOKIE: &str = "tribune_guest";
/// Set, for one article's pages only, while a guest has a comment waiting
/// there: those pages are rendered for them rather than served from cache.
pub const HELD_COOKIE: &str = "tribune_held";

/// A published article, or 404 for anything else (unknown, draft, scheduled).
pub async fn published_article(state: &AppState, raw_slug: &str) -> Result<Article, AppError> {
    let slug = Slug::parse(raw_slug).map_err(|_| AppError::NotFound("article"))?;
    let article = state.store.article_by_slug(&slug).await.map_err(|e| match e {
        DbError::NotFound => AppError::NotFound("article"),
        other => other.into(),
    })?;
    if article.is_public(Timestamp::now()) {
        Ok(article)
    } else {
        Err(AppError::NotFound("article"))
    }
}

/// A guest's browser token: the one the request carries, or a new one with
/// the cookie that keeps it.
pub fn guest_token(headers: &HeaderMap, secure: bool) -> (String, Option<HeaderValue>) {
    if let Some(token) =
        cookie_values(headers, GUEST_COOKIE).find(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return (token.to_owned(), None);
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let token = hex::encode(bytes);
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{GUEST_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}");
    let value = HeaderValue::from_str(&cookie).ok();
    (token, value)
}

/// The cookie that makes `article`'s pages show a guest their held comment.
pub fn held_cookie(article: &Article, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{HELD_COOKIE}=1; Path=/articles/{}; HttpOnly; SameSite=Lax; Max-Age=604800{secure}",
        article.slug
    ))
    .ok()
}

/// Posts a comment through the pipeline; a signed-in `viewer` comments
/// under their account's name and e-mail, a guest under `guest_token`.
pub async fn post_comment(
    state: &AppState,
    article: &Article,
    input: &CommentInput,
    viewer: Option<&User>,
    ip: std::net::IpAddr,
    guest_token: Option<&str>,
) -> Result<Posted, AppError> {
    state.limits.check_comment(match viewer {
        Some(user) => FloodKey::Account(user.id),
        None => FloodKey::Guest(ip),
    })?;
    let token_hash = guest_token.map(crate::accounts::token_digest);
    let commenter = match viewer {
        Some(user) => Commenter::Account(user),
        None => Commenter::Guest { token_hash: token_hash.as_deref() },
    };
    let rules = Rules {
        max_chars: state.config.max_comment_chars,
        max_depth: state.config.max_depth,
        guests_may_comment: state.config.guests_may_comment,
    };
    state.moderation.post_comment(article, input, commenter, rules).await.map_err(post_error)
}

pub fn post_error(error: PostError) -> AppError {
    match error {
        PostError::Closed(message) => AppError::Refused { code: "comments_closed", message },
        PostError::SignInRequired => AppError::SignInRequired,
        PostError::AccountSuspended => AppError::suspended(),
        PostError::Banned(message) => {
            AppError::Refused { code: "banned", message: with_note("You can no longer comment here.", &message) }
        }
        PostError::Suspended { until, message } => AppError::Refused {
            code: "suspended_from_commenting",
            message: with_note(&format!("You cannot comment until {}.", until.human()), &message),
        },
        PostError::WarningPending(message) => AppError::Refused {
            code: "warning_pending",
            message: format!("A moderator has a message for you; please read and acknowledge it first: {message}"),
        },
        PostError::Cooldown(seconds) => AppError::TooManyRequests { retry_after_secs: seconds },
        PostError::Invalid(errors) => AppError::Validation(errors),
        PostError::Reconsider { attribute, .. } => AppError::field(FieldError::new(
            "send_anyway",
            "reconsider",
            format!(
                "Your comment may break our discussion guidelines: {}. You can edit it, or tick the box and send it \
                 as it is; a moderator will read it before it appears.",
                why_reconsider(&attribute)
            ),
        )),
        PostError::Rejected { message, .. } => AppError::field(FieldError::new("body", "rejected", message)),
        PostError::Settings(error) => crate::moderation::settings_error(error),
        PostError::Store(error) => error.into(),
    }
}

/// What a scorer attribute means, in the words the author is shown.
fn why_reconsider(attribute: &str) -> &'static str {
    match attribute {
        "INSULT" => "it reads as insulting",
        "PROFANITY" => "it uses strong language",
        "THREAT" => "it reads as a threat",
        "IDENTITY_ATTACK" => "it reads as an attack on a group of people",
        "SEVERE_TOXICITY" => "it reads as very hostile",
        _ => "it reads as hostile",
    }
}

fn with_note(sentence: &str, note: &str) -> String {
    if note.trim().is_empty() {
        sentence.to_owned()
    } else {
        format!("{sentence} The moderators say: {note}")
    }
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
