//! Newsroom storage: saving articles as revisions (refusing a save over
//! someone else's newer revision), moving them between states, former slugs,
//! who has the editor open, and the scheduler's claim of due articles.

use crate::rows::Article;
use crate::DbError;
use async_trait::async_trait;
use serde::Serialize;
use tribune_domain::authoring::{ArticleStatus, Writer};
use tribune_domain::{ArticleId, Byline, Headline, NewArticle, Section, Slug, Standfirst, Tag, Timestamp, UserId};

/// The constraint a stale save violates (`DbError::Conflict`).
pub const STALE_REVISION: &str = "article_revision";

/// A save of an article's text, as a new revision.
#[derive(Debug, Clone)]
pub struct ArticleSave {
    pub article: ArticleId,
    /// The revision the writer started from. When a revision after it was
    /// written by someone else, the save is `Conflict { STALE_REVISION }`.
    pub base_revision: i32,
    pub writer: Writer,
    pub at: Timestamp,
    pub slug: Slug,
    pub headline: Headline,
    pub standfirst: Standfirst,
    pub byline: Byline,
    pub section: Section,
    pub tags: Vec<Tag>,
    pub body_markdown: String,
    pub body_html: String,
    /// Written in the same transaction as the text.
    pub extras: ExtrasWrite,
}

/// What the editor saves beside an article's text. `None` leaves that part
/// as it is; the ids are of rows the caller looked up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtrasWrite {
    /// Author profile ids, in byline order.
    pub bylines: Option<Vec<i64>>,
    /// `Some(None)` removes the featured image.
    pub featured: Option<Option<FeaturedWrite>>,
}

/// A featured image and its words for one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeaturedWrite {
    pub image: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// A move between states, applied only if the article is still in `from`
/// (else `Conflict { "article_status" }`).
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub article: ArticleId,
    pub from: ArticleStatus,
    pub to: ArticleStatus,
    /// The publication time to store (kept as it is when `None`).
    pub published_at: Option<Timestamp>,
}

/// One revision in an article's history, without its text.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionSummary {
    pub number: i32,
    pub author_id: Option<UserId>,
    pub author_name: String,
    pub created_at: Timestamp,
    pub headline: String,
}

/// One revision with everything it saved.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    pub number: i32,
    pub author_id: Option<UserId>,
    pub author_name: String,
    pub created_at: Timestamp,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub tags: Vec<String>,
    pub body_markdown: String,
}

/// An article as the newsroom lists it.
#[derive(Debug, Clone, Serialize)]
pub struct NewsroomItem {
    pub id: ArticleId,
    pub slug: String,
    pub headline: String,
    pub byline: String,
    pub section: String,
    pub status: ArticleStatus,
    pub revision: i32,
    pub author_id: Option<UserId>,
    pub published_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

/// Which of the newsroom's articles to list: newest first, one page at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NewsroomFilter {
    /// Only this writer's articles.
    pub author: Option<UserId>,
    pub status: Option<ArticleStatus>,
    /// Keyset paging: only articles older (by id) than this one.
    pub before: Option<ArticleId>,
    pub limit: u32,
}

/// An article the scheduler published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedArticle {
    pub id: ArticleId,
    pub slug: String,
}

/// Someone with the editor open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Presence {
    pub user_id: UserId,
    pub user_name: String,
    pub seen_at: Timestamp,
}

#[async_trait]
pub trait NewsroomStore: Send + Sync {
    /// Creates an article with its extras in one transaction (as
    /// `create_article`, which has none).
    async fn create_article_with(&self, article: &NewArticle, extras: &ExtrasWrite) -> Result<Article, DbError>;

    /// Saves a new revision in one transaction. A published article's
    /// changed text sets `updated_at`; a changed slug of a published article
    /// keeps the old one as a redirect. A taken slug is `Conflict { "articles_slug" }`.
    async fn save_article(&self, save: &ArticleSave) -> Result<Article, DbError>;

    async fn change_status(&self, change: &StatusChange) -> Result<Article, DbError>;

    /// The newsroom's articles, newest first: all, or one author's; in one
    /// state or all; those before a given one.
    async fn newsroom_articles(&self, filter: &NewsroomFilter) -> Result<Vec<NewsroomItem>, DbError>;

    /// Newest first.
    async fn article_revisions(&self, article: ArticleId) -> Result<Vec<RevisionSummary>, DbError>;

    async fn article_revision(&self, article: ArticleId, number: i32) -> Result<Revision, DbError>;

    /// The article a former slug now belongs to, if it was ever renamed from it.
    async fn slug_redirect(&self, old_slug: &Slug) -> Result<Option<String>, DbError>;

    /// Notes that `user` has the editor open at `at`, and returns the others
    /// seen since `since`.
    async fn note_editor_presence(
        &self,
        article: ArticleId,
        user: &Writer,
        at: Timestamp,
        since: Timestamp,
    ) -> Result<Vec<Presence>, DbError>;

    /// Publishes every scheduled article due at `now`, each claimed by one
    /// atomic update (of several instances, one wins each), and records each
    /// publication once in the same transaction.
    async fn claim_due_articles(&self, now: Timestamp) -> Result<Vec<ClaimedArticle>, DbError>;

    /// When the scheduler published the article (one entry per publication).
    async fn scheduled_publications(&self, article: ArticleId) -> Result<Vec<Timestamp>, DbError>;
}
