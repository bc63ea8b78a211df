//! The live bus: how every instance hears what happened to a discussion, to
//! push it to readers and to drop stale cached pages. In-process for SQLite;
//! PostgreSQL's LISTEN/NOTIFY when several instances share one database.

use crate::DbError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tribune_domain::{ArticleId, CommentId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ArticleEvent {
    /// A comment became visible.
    CommentPublished {
        article_id: ArticleId,
        article_slug: String,
        comment_id: CommentId,
        parent_id: Option<CommentId>,
    },
    /// A comment changed without becoming newly visible (hidden, edited,
    /// featured): pages showing it are stale, live readers need not know.
    CommentChanged { article_id: ArticleId, article_slug: String, comment_id: CommentId },
    /// An article's discussion settings changed (opened, closed, guidelines).
    DiscussionChanged { article_id: ArticleId, article_slug: String },
    /// An article was published, unpublished or edited while published:
    /// its page and every list are stale on every instance.
    ArticleChanged { article_id: ArticleId, article_slug: String },
    /// A correction was appended to an article: its page, lists and feeds are stale.
    CorrectionAdded { article_id: ArticleId, article_slug: String },
    /// An article's bylines changed: its page and its authors' pages are stale.
    BylinesChanged { article_id: ArticleId, article_slug: String },
    /// An editor chose this article to lead the home page.
    LeadChanged { article_id: ArticleId, article_slug: String },
    /// Comments on many articles changed at once (an account was deleted):
    /// every cached page is suspect.
    ManyChanged,
    /// The site's moderation settings changed: every instance reloads them.
    ModerationSettingsChanged,
}

impl ArticleEvent {
    /// The one article concerned, if only one is.
    pub fn article_slug(&self) -> Option<&str> {
        match self {
            Self::CommentPublished { article_slug, .. }
            | Self::CommentChanged { article_slug, .. }
            | Self::DiscussionChanged { article_slug, .. }
            | Self::ArticleChanged { article_slug, .. }
            | Self::CorrectionAdded { article_slug, .. }
            | Self::BylinesChanged { article_slug, .. }
            | Self::LeadChanged { article_slug, .. } => Some(article_slug),
            Self::ManyChanged | Self::ModerationSettingsChanged => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusMessage {
    Event(ArticleEvent),
    /// Events may have been missed (a lost connection, a slow listener):
    /// whatever was derived from them must be rebuilt.
    Resync,
}

#[async_trait]
pub trait EventBus: Send + Sync {
    /// Tells every instance, this one included.
    async fn publish(&self, event: &ArticleEvent) -> Result<(), DbError>;

    fn subscribe(&self) -> broadcast::Receiver<BusMessage>;
}

/// One process, no network: for SQLite, and for tests.
pub struct LocalBus {
    sender: broadcast::Sender<BusMessage>,
}

impl LocalBus {
    pub fn new() -> Self {
        Self { sender: broadcast::channel(4096).0 }
    }
}

impl Default for LocalBus {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl EventBus for LocalBus {
    async fn publish(&self, event: &ArticleEvent) -> Result<(), DbError> {
        // No subscriber is not an error: nobody is listening yet.
        let _ = self.sender.send(BusMessage::Event(event.clone()));
        Ok(())
    }

    fn subscribe(&self) -> broadcast::Receiver<BusMessage> {
        self.sender.subscribe()
    }
}
