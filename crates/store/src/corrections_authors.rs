//! What the newsroom adds around articles: correction notes, and author
//! profiles with the bylines that link articles to them. Kept apart from
//! `ArticleStore` so that article editing and presenting grow separately.

use crate::DbError;
use async_trait::async_trait;
use serde::Serialize;
use tribune_domain::{ArticleId, Timestamp, UserId};

/// A correction as an editor wrote it, checked (see `tribune_domain::CorrectionNote`).
#[derive(Debug, Clone)]
pub struct NewCorrection {
    pub article_id: ArticleId,
    pub note: String,
    pub created_at: Timestamp,
    pub created_by: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub id: i64,
    pub article_id: ArticleId,
    pub note: String,
    pub created_at: Timestamp,
}

/// A correction with the article it corrects, for the site-wide list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedCorrection {
    pub correction: Correction,
    pub article_slug: String,
    pub article_headline: String,
}

/// One page of the site-wide list, newest first: corrections published at
/// or before `now` on articles published by then, with ids below `before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorrectionPage {
    pub now: Timestamp,
    pub before: Option<i64>,
    pub limit: u32,
}

#[async_trait]
pub trait CorrectionStore: Send + Sync {
    /// Appends a correction; an unknown article is `NotFound`.
    async fn add_correction(&self, correction: &NewCorrection) -> Result<Correction, DbError>;

    /// An article's corrections, oldest first.
    async fn corrections_of(&self, article: ArticleId) -> Result<Vec<Correction>, DbError>;

    /// Corrections to published articles, newest first.
    async fn list_corrections(&self, page: &CorrectionPage) -> Result<Vec<ListedCorrection>, DbError>;
}

/// A profile as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorProfile {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub photo_url: String,
    /// The account that may edit this profile's bio, if any.
    pub user_id: Option<UserId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A new profile, or all of an edited one, checked (see `tribune_domain::author`).
#[derive(Debug, Clone)]
pub struct AuthorProfileWrite {
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub photo_url: String,
    pub user_id: Option<UserId>,
    pub at: Timestamp,
}

#[async_trait]
pub trait AuthorStore: Send + Sync {
    /// A taken slug is `Conflict { constraint: "author_profiles_slug" }`; an
    /// account that already has a profile, `"author_profiles_user"`.
    async fn create_author(&self, author: &AuthorProfileWrite) -> Result<AuthorProfile, DbError>;

    /// Replaces every field but the creation time; an unknown id is `NotFound`.
    async fn update_author(&self, id: i64, author: &AuthorProfileWrite) -> Result<AuthorProfile, DbError>;

    async fn author_by_slug(&self, slug: &str) -> Result<AuthorProfile, DbError>;

    /// The profile tied to an account, if there is one.
    async fn author_of_user(&self, user: UserId) -> Result<Option<AuthorProfile>, DbError>;

    /// Every profile, by name.
    async fn authors(&self) -> Result<Vec<AuthorProfile>, DbError>;

    /// Replaces an article's bylines with `authors`, in that order, in one
    /// transaction; an unknown article or author is `NotFound` and changes nothing.
    async fn set_bylines(&self, article: ArticleId, authors: &[i64]) -> Result<(), DbError>;

    /// An article's bylined authors, in byline order.
    async fn bylines_of(&self, article: ArticleId) -> Result<Vec<AuthorProfile>, DbError>;

    /// An author's articles published by `now`, newest first.
    async fn articles_by_author(
        &self,
        author: i64,
        now: Timestamp,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<crate::ArticleSummary>, DbError>;
}
