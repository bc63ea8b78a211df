//! The Perspective-compatible endpoint's use cases: API keys (only their
//! hashes are stored, the key is shown once), scoring a comment as Google's
//! `comments:analyze` did, and keeping suggested scores and moderators'
//! decisions as labelled examples for retraining.

pub mod analyze;
pub mod retrain;

use crate::model_slot::ModelSlot;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;
use tribune_domain::Timestamp;
use tribune_moderation::scorer::Model;
use tribune_store::{Actor, ApiKey, DbError, ExampleSource, LabelledExample, NewApiKey, NewAuditEntry, Store};

/// Longest key name accepted.
pub const MAX_KEY_NAME_CHARS: usize = 100;

/// A new key, readable once. `Debug` never shows it.
pub struct IssuedKey {
    pub key: ApiKey,
    secret: String,
}

impl IssuedKey {
    /// The key itself, for the one answer that shows it.
    pub fn expose(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for IssuedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedKey").field("key", &self.key).field("secret", &"[redacted]").finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("a key needs a name of 1 to {MAX_KEY_NAME_CHARS} characters")]
    BadName,
    #[error(transparent)]
    Store(#[from] DbError),
}

/// What is stored of a key: hex SHA-256. Keys are 32 random bytes, so a
/// plain hash cannot be reversed by guessing.
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("trb_{}", hex::encode(bytes))
}

fn audit(actor: &Actor, at: Timestamp, action: &str, target: String, after: Option<String>) -> NewAuditEntry {
    NewAuditEntry {
        at,
        actor: actor.clone(),
        action: action.to_owned(),
        target_kind: "api_key",
        target_id: target,
        article_id: None,
        reason: String::new(),
        before: None,
        after,
    }
}

/// The scorer the endpoint answers with and the store its keys live in.
pub struct Perspective {
    pub store: Arc<dyn Store>,
    /// Shared with the posting pipeline, so both score with the model in use.
    pub model: Arc<ModelSlot>,
}

impl Perspective {
    pub fn new(store: Arc<dyn Store>, model: Arc<Model>) -> Self {
        Self::with_slot(store, Arc::new(ModelSlot::new(model)))
    }

    pub fn with_slot(store: Arc<dyn Store>, model: Arc<ModelSlot>) -> Self {
        Self { store, model }
    }

    pub async fn create_key(&self, name: &str, actor: &Actor) -> Result<IssuedKey, KeyError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_KEY_NAME_CHARS {
            return Err(KeyError::BadName);
        }
        let secret = new_secret();
        let now = Timestamp::now();
        let after = serde_json::json!({ "name": name }).to_string();
        let new = NewApiKey {
            name: name.to_owned(),
            key_hash: hash_key(&secret),
            created_by: actor.name.clone(),
            created_at: now,
        };
        let key =
            self.store.create_api_key(&new, &audit(actor, now, "api_key.create", String::new(), Some(after))).await?;
        tracing::info!(key = key.id, actor = %actor.name, "API key created");
        Ok(IssuedKey { key, secret })
    }

    pub async fn revoke_key(&self, id: i64, actor: &Actor) -> Result<(), DbError> {
        let now = Timestamp::now();
        self.store.revoke_api_key(id, now, &audit(actor, now, "api_key.revoke", id.to_string(), None)).await?;
        tracing::info!(key = id, actor = %actor.name, "API key revoked");
        Ok(())
    }

    /// The active key this is, if any.
    pub async fn verify_key(&self, key: &str) -> Result<Option<ApiKey>, DbError> {
        if key.is_empty() {
            return Ok(None);
        }
        self.store.active_api_key(&hash_key(key)).await
    }

    /// Keeps what a client suggested a comment's scores are; with
    /// `do_not_store` only the labels are kept.
    pub async fn suggest(&self, text: &str, labels: Vec<(String, f32)>, do_not_store: bool) -> Result<(), DbError> {
        let example = LabelledExample {
            text: (!do_not_store).then(|| text.to_owned()),
            comment_id: None,
            labels,
            source: ExampleSource::SuggestScore,
            created_at: Timestamp::now(),
        };
        self.store.add_example(&example).await.map(|_| ())
    }
}
