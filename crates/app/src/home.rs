//! The home page's lead story: the newest published article, unless an
//! editor chose one. The choice is a site setting, saved with an audit
//! entry and announced so every instance drops its cached home page.

use crate::Announce;
use tribune_domain::{FieldError, Timestamp};
use tribune_store::{Actor, Article, ArticleEvent, DbError, NewAuditEntry, Store};

/// Where the chosen lead's slug is kept (the `settings` table); blank: none.
pub const LEAD_KEY: &str = "home_lead_article";

#[derive(Debug, thiserror::Error)]
pub enum LeadError {
    #[error("{0}")]
    Invalid(FieldError),
    #[error(transparent)]
    Store(#[from] DbError),
}

/// The slug an editor chose as the lead, if any (it may since have been unpublished).
pub async fn chosen_lead(store: &dyn Store) -> Result<Option<String>, DbError> {
    Ok(store.setting(LEAD_KEY).await?.filter(|slug| !slug.is_empty()))
}

/// Makes `article` the lead (it must be published by `now`), or goes back
/// to the newest article when `None`.
pub async fn set_lead(
    store: &dyn Store,
    announce: &dyn Announce,
    article: Option<&Article>,
    actor: &Actor,
    now: Timestamp,
) -> Result<(), LeadError> {
    if let Some(article) = article {
        if !article.is_public(now) {
            let message = "Only a published article can lead the home page.";
            return Err(LeadError::Invalid(FieldError::new("slug", "not_published", message)));
        }
    }
    let before = chosen_lead(store).await?.unwrap_or_default();
    let after = article.map(|a| a.slug.clone()).unwrap_or_default();
    let audit = NewAuditEntry {
        at: now,
        actor: actor.clone(),
        action: "home.lead".to_owned(),
        target_kind: "settings",
        target_id: LEAD_KEY.to_owned(),
        article_id: article.map(|a| a.id),
        reason: String::new(),
        before: Some(serde_json::json!({ "lead": before }).to_string()),
        after: Some(serde_json::json!({ "lead": after }).to_string()),
    };
    store.save_setting_audited(LEAD_KEY, &after, &audit).await?;
    // The home page is a list: any article's event drops it; none names the default lead.
    let event = match article {
        Some(article) => ArticleEvent::LeadChanged { article_id: article.id, article_slug: article.slug.clone() },
        None => ArticleEvent::ManyChanged,
    };
    announce.announce(&event).await;
    Ok(())
}
