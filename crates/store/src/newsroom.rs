//! What the newsroom adds around articles: correction notes and author
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
