//! API keys of the Perspective-compatible endpoint and the labelled examples
//! kept for retraining the scorer.

use crate::moderation::NewAuditEntry;
use crate::DbError;
use async_trait::async_trait;
use serde::Serialize;
use tribune_domain::{CommentId, Timestamp};

#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub name: String,
    /// Hex SHA-256 of the key; the key itself is never stored.
    pub key_hash: String,
    /// Who made it: an account's name, or `cli`.
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// Where a labelled example came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExampleSource {
    SuggestScore,
    Moderator,
}

impl ExampleSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ExampleSource::SuggestScore => "suggestscore",
            ExampleSource::Moderator => "moderator",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "suggestscore" => Some(ExampleSource::SuggestScore),
            "moderator" => Some(ExampleSource::Moderator),
            _ => None,
        }
    }
}

/// A comment and what someone said it is, per attribute (0 to 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledExample {
    /// `None` when the client asked that nothing of the text be kept, or
    /// the comment it names was deleted.
    pub text: Option<String>,
    /// A moderator's decision names the comment; its text is read from it.
    pub comment_id: Option<CommentId>,
    pub labels: Vec<(String, f32)>,
    pub source: ExampleSource,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait PerspectiveStore: Send + Sync {
    async fn create_api_key(&self, key: &NewApiKey, audit: &NewAuditEntry) -> Result<ApiKey, DbError>;

    /// Every key, revoked ones too, oldest first.
    async fn api_keys(&self) -> Result<Vec<ApiKey>, DbError>;

    /// The key with this hash if it is not revoked.
    async fn active_api_key(&self, key_hash: &str) -> Result<Option<ApiKey>, DbError>;

    /// Revokes a key (again is harmless); an unknown id is `NotFound`.
    async fn revoke_api_key(&self, id: i64, at: Timestamp, audit: &NewAuditEntry) -> Result<(), DbError>;

    async fn add_example(&self, example: &LabelledExample) -> Result<i64, DbError>;

    /// Examples with ids above `after`, oldest first, at most `limit`; those
    /// naming a comment carry its text as it is now.
    async fn examples(&self, after: i64, limit: u32) -> Result<Vec<(i64, LabelledExample)>, DbError>;
}
