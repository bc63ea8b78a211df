//! What a discussion shows besides its thread: whether it is open (and why
//! not), the guidelines above the form, featured comments, the reader's own
//! comments awaiting moderation, a restriction on the reader, and the public
//! moderation note.

use crate::error::AppError;
use crate::moderation::settings_error;
use crate::state::AppState;
use serde::Serialize;
use tribune_app::posting::{refusal, PostError};
use tribune_app::settings::{closed_message, discussion_of};
use tribune_domain::moderation::AuthorKey;
use tribune_domain::Timestamp;
use tribune_store::{Article, Comment, User};

#[derive(Debug, Default, Serialize)]
pub struct DiscussionView {
    /// Shown instead of the form when comments are closed.
    pub closed_message: Option<String>,
    /// Paragraphs of the article's (or the site's) discussion guidelines.
    pub guidelines: Vec<String>,
    /// "3 comments removed for breaking our guidelines", when the site shows it.
    pub moderation_note: Option<String>,
    pub featured: Vec<ShortComment>,
    /// The reader's own comments here that wait for a moderator.
    pub own_pending: Vec<ShortComment>,
    /// Why the signed-in reader may not comment, instead of the form.
    pub refusal: Option<String>,
    /// A moderator's warning the reader must acknowledge in the form.
    pub warning: Option<String>,
    /// Readers of this page may report comments.
    pub can_report: bool,
}

/// A comment shown outside its thread (featured, or awaiting moderation).
#[derive(Debug, Serialize)]
pub struct ShortComment {
    pub id: i64,
    pub author_name: String,
    pub body_html: String,
    pub created_at: String,
    pub created_human: String,
}

impl From<&Comment> for ShortComment {
    fn from(c: &Comment) -> Self {
        Self {
            id: c.id.0,
            author_name: c.author_name.clone(),
            body_html: c.body_html.clone(),
            created_at: c.created_at.rfc3339(),
            created_human: c.created_at.human(),
        }
    }
}

/// The discussion's extras for `viewer` (or a guest whose browser token
/// hashes to `guest_token_hash`); `first_page` shows the featured comments.
pub async fn discussion_view(
    state: &AppState,
    article: &Article,
    viewer: Option<&User>,
    guest_token_hash: Option<&str>,
    first_page: bool,
) -> Result<DiscussionView, AppError> {
    let policy = state.moderation.policy();
    let settings = discussion_of(article).map_err(settings_error)?;
    let now = Timestamp::now();
    let guidelines_text =
        if settings.guidelines.trim().is_empty() { &policy.settings.guidelines } else { &settings.guidelines };
    let mut view = DiscussionView {
        closed_message: closed_message(article, &settings, &policy.settings, now),
        guidelines: guidelines_text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect(),
        can_report: viewer.is_some() || policy.settings.guests_may_report,
        ..DiscussionView::default()
    };
    if first_page {
        view.featured = state.store.featured_comments(article.id).await?.iter().map(ShortComment::from).collect();
    }
    if policy.settings.public_moderation_note {
        let removed = state.store.rejected_count(article.id).await?;
        view.moderation_note = match removed {
            0 => None,
            1 => Some("1 comment was removed for breaking our discussion guidelines.".to_owned()),
            n => Some(format!("{n} comments were removed for breaking our discussion guidelines.")),
        };
    }
    let user_id = viewer.map(|u| u.id);
    if user_id.is_some() || guest_token_hash.is_some() {
        let own = state.store.own_pending(article.id, user_id, guest_token_hash).await?;
        view.own_pending = own.iter().map(ShortComment::from).collect();
    }
    if let Some(user) = viewer {
        let restriction = state.store.author_restriction(&AuthorKey::Account(user.id)).await?;
        match refusal(&restriction, now) {
            Some(PostError::WarningPending(message)) => view.warning = Some(message),
            Some(refused) => view.refusal = Some(crate::posting::post_error(refused).problem().detail),
            None => {}
        }
    }
    Ok(view)
}
