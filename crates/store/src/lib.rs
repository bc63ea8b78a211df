//! The storage traits every backend implements, the rows they return, and the
//! one storage error callers act on. No SQL dialect appears here.

mod accounts;
mod bus;
mod corrections_authors;
mod error;
mod media;
mod moderation;
mod newsroom;
mod perspective;
mod rows;
mod webhooks;

pub use accounts::{DeletedComments, NewSession, NewUser, SessionStore, User, UserQuery, UserStore};
pub use bus::{ArticleEvent, BusMessage, EventBus, LocalBus};
pub use corrections_authors::{
    AuthorProfile, AuthorProfileWrite, AuthorStore, Correction, CorrectionPage, CorrectionStore, ListedCorrection,
    NewCorrection,
};
pub use error::DbError;
pub use media::{FeaturedImage, ImageVariant, MediaStore, NewImage, StoredImage};
pub use moderation::{
    Actor, AuditEntry, AuditQuery, AuthorCounts, AuthorRestriction, AuthorStanding, BodyEdit, CommentChange,
    CommentEdit, ModerationStore, ModeratorNote, NewAuditEntry, NewReport, PastComment, QueueCounts, QueueFilter,
    QueueItem, QueueQuery, Report, QUEUE_COUNT_CAP,
};
pub use newsroom::{
    ArticleSave, ClaimedArticle, ExtrasWrite, FeaturedWrite, NewsroomFilter, NewsroomItem, NewsroomStore, Presence,
    Revision, RevisionSummary, StatusChange, STALE_REVISION,
};
pub use perspective::{ApiKey, ExampleSource, LabelledExample, NewApiKey, PerspectiveStore};
pub use rows::{
    Article, ArticleListQuery, ArticleSummary, AuthoredComment, Comment, SearchHit, SearchQuery, ThreadPage,
    ThreadQuery, SEARCH_WINDOW,
};
pub use webhooks::{Attempt, Delivery, Endpoint, NewEndpoint, WebhookStore};

use async_trait::async_trait;
use tribune_domain::{ArticleId, CommentId, NewArticle, NewComment, Slug, Timestamp, UserId};

#[async_trait]
pub trait ArticleStore: Send + Sync {
    /// Stores a new article; a taken slug is `Conflict { constraint: "articles_slug" }`.
    async fn create_article(&self, article: &NewArticle) -> Result<Article, DbError>;

    async fn article_by_slug(&self, slug: &Slug) -> Result<Article, DbError>;

    async fn article(&self, id: ArticleId) -> Result<Article, DbError>;

    /// Articles published at or before `now`, newest first, with their published comment counts.
    async fn published_articles(&self, now: Timestamp, limit: u32) -> Result<Vec<ArticleSummary>, DbError>;

    /// Published articles chosen by `query`, newest first, with their published comment counts.
    async fn list_published(&self, query: &ArticleListQuery) -> Result<Vec<ArticleSummary>, DbError>;

    /// Published articles with the most comments published since `since`,
    /// most first; `comment_count` counts only those comments.
    async fn most_discussed(
        &self,
        since: Timestamp,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, DbError>;

    /// Published articles containing every search word (stemmed, in the
    /// headline, standfirst or body), best match first: a headline match
    /// outranks a body match. SQLite FTS5 (ranking the newest 2,000
    /// matches, so a common word stays fast) or PostgreSQL full-text search.
    async fn search_articles(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, DbError>;

    async fn count_articles(&self) -> Result<i64, DbError>;
}

#[async_trait]
pub trait CommentStore: Send + Sync {
    /// Stores a comment in one transaction, placing it in its thread. A
    /// parent that does not exist in the same article is `NotFound`.
    async fn create_comment(&self, comment: &NewComment) -> Result<Comment, DbError>;

    async fn comment(&self, id: CommentId) -> Result<Comment, DbError>;

    /// Published comments of an article with ids above `after`, oldest
    /// first, at most `limit`: what a reconnecting live reader missed.
    async fn published_after(&self, article: ArticleId, after: CommentId, limit: u32) -> Result<Vec<Comment>, DbError>;

    /// The newest published comment's id: where a new live reader starts.
    async fn last_published_id(&self, article: ArticleId) -> Result<Option<CommentId>, DbError>;

    /// An account's comments that are not deleted, newest first, with ids
    /// below `before`, at most `limit`, each with its article's slug and headline.
    async fn comments_by_user(
        &self,
        user: UserId,
        before: Option<CommentId>,
        limit: u32,
    ) -> Result<Vec<AuthoredComment>, DbError>;

    /// The newest published comments on published articles (on `article`
    /// only, when given), newest first, each with its article's slug and headline.
    async fn recent_published_comments(
        &self,
        article: Option<ArticleId>,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<AuthoredComment>, DbError>;

    /// One page of an article's published discussion, in display order.
    async fn thread_page(&self, article: ArticleId, query: ThreadQuery) -> Result<ThreadPage, DbError>;
}

/// Small named values the site keeps, such as the admin token's hash.
#[async_trait]
pub trait SettingStore: Send + Sync {
    async fn setting(&self, key: &str) -> Result<Option<String>, DbError>;

    /// Stores the value only if the key is unset; returns whether it was stored.
    async fn insert_setting_if_absent(&self, key: &str, value: &str) -> Result<bool, DbError>;

    /// Removes the key only if it holds `value`; returns whether it did (of
    /// two racing callers, one wins).
    async fn delete_setting_if(&self, key: &str, value: &str) -> Result<bool, DbError>;

    async fn delete_setting(&self, key: &str) -> Result<(), DbError>;
}

/// Everything a Tribune instance needs from its database.
#[async_trait]
pub trait Store:
    ArticleStore
    + CommentStore
    + SettingStore
    + UserStore
    + SessionStore
    + ModerationStore
    + WebhookStore
    + PerspectiveStore
    + NewsroomStore
    + MediaStore
    + CorrectionStore
    + AuthorStore
{
    /// Brings the schema up to date.
    async fn migrate(&self) -> Result<(), DbError>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), DbError>;
}
