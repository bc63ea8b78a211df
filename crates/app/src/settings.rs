//! The site's moderation settings and an article's discussion settings:
//! read, checked, changed with an audit entry, and announced so that every
//! instance uses the new ones at once.

use crate::Moderation;
use tribune_domain::{Timestamp, ValidationErrors};
use tribune_moderation::settings::{DiscussionSettings, ModerationSettings, Policy};
use tribune_store::{Actor, Article, ArticleEvent, DbError, NewAuditEntry, Store};

/// Where the settings document is kept (the `settings` table).
pub const SETTINGS_KEY: &str = "moderation_settings";

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("the stored moderation settings are unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Store(#[from] DbError),
}

pub(crate) async fn load_policy(store: &dyn Store) -> Result<Policy, SettingsError> {
    let settings = match store.setting(SETTINGS_KEY).await? {
        Some(json) => serde_json::from_str(&json).map_err(|e| SettingsError::Corrupt(e.to_string()))?,
        None => ModerationSettings::default(),
    };
    Policy::compile(settings).map_err(|errors| SettingsError::Corrupt(errors.to_string()))
}

/// An article's discussion settings; a stored document that does not parse
/// is reported, not replaced by defaults.
pub fn discussion_of(article: &Article) -> Result<DiscussionSettings, SettingsError> {
    serde_json::from_str(&article.discussion)
        .map_err(|e| SettingsError::Corrupt(format!("article {}'s discussion settings: {e}", article.slug)))
}

/// Whether readers may comment on `article` now, and if not, what to tell them.
pub fn closed_message(
    article: &Article,
    discussion: &DiscussionSettings,
    site: &ModerationSettings,
    now: Timestamp,
) -> Option<String> {
    let default = || "Comments on this article are closed.".to_owned();
    let message = || Some(discussion.closed_message.clone()).filter(|m| !m.trim().is_empty()).unwrap_or_else(default);
    if !article.comments_open {
        return Some(message());
    }
    let days = discussion.close_after_days.or(site.close_after_days).filter(|d| *d > 0)?;
    let published = article.published_at?;
    let closes = published.0 + i64::from(days) * 24 * 60 * 60 * 1000;
    (now.0 >= closes).then(|| {
        Some(discussion.closed_message.clone())
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| format!("Comments close {days} days after publication; this discussion is closed."))
    })
}

impl Moderation {
    /// Checks and stores new site settings, with who changed what.
    pub async fn save_settings(&self, settings: ModerationSettings, actor: &Actor) -> Result<(), SettingsError> {
        let before = self.policy();
        let policy = Policy::compile(settings).map_err(SettingsError::Invalid)?;
        let json = |s: &ModerationSettings| serde_json::to_string(s).unwrap_or_default();
        let audit = NewAuditEntry {
            at: Timestamp::now(),
            actor: actor.clone(),
            action: "settings.update".to_owned(),
            target_kind: "settings",
            target_id: SETTINGS_KEY.to_owned(),
            article_id: None,
            reason: String::new(),
            before: Some(json(&before.settings)),
            after: Some(json(&policy.settings)),
        };
        self.store.save_setting_audited(SETTINGS_KEY, &json(&policy.settings), &audit).await?;
        *self.policy.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = std::sync::Arc::new(policy);
        self.announce.announce(&ArticleEvent::ModerationSettingsChanged).await;
        Ok(())
    }

    /// Opens or closes an article's discussion and changes its settings.
    pub async fn save_discussion(
        &self,
        article: &Article,
        comments_open: bool,
        discussion: DiscussionSettings,
        actor: &Actor,
    ) -> Result<(), SettingsError> {
        discussion.check().map_err(SettingsError::Invalid)?;
        let after = serde_json::to_string(&discussion).map_err(|e| SettingsError::Corrupt(e.to_string()))?;
        let state = |open: bool, json: &str| format!(r#"{{"comments_open":{open},"discussion":{json}}}"#);
        let audit = NewAuditEntry {
            at: Timestamp::now(),
            actor: actor.clone(),
            action: "article.discussion".to_owned(),
            target_kind: "article",
            target_id: article.slug.clone(),
            article_id: Some(article.id),
            reason: String::new(),
            before: Some(state(article.comments_open, &article.discussion)),
            after: Some(state(comments_open, &after)),
        };
        self.store.set_discussion(article.id, comments_open, &after, &audit).await?;
        let event = ArticleEvent::DiscussionChanged { article_id: article.id, article_slug: article.slug.clone() };
        self.announce.announce(&event).await;
        Ok(())
    }
}
