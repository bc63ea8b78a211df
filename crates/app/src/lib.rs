//! Tribune's use cases, callable without HTTP: the page handlers, the JSON
//! API and the command line share them. Each takes parsed input and the
//! services it needs, decides with the rules in `domain` and `moderation`,
//! stores through the `Store` traits and announces what changed.

pub mod article_extras;
pub mod authoring;
pub mod authors;
pub mod corrections;
pub mod decisions;
pub mod external;
pub mod home;
pub mod media;
pub mod model_slot;
pub mod notify;
pub mod perspective;
pub mod posting;
pub mod profiles;
pub mod reports;
pub mod settings;
pub mod webhooks;

use async_trait::async_trait;
use std::sync::{Arc, RwLock};
use tribune_moderation::settings::Policy;
use tribune_store::{ArticleEvent, Store};

/// Where use cases announce changes: the live bus (pages dropped from every
/// instance's cache, readers told of new comments).
#[async_trait]
pub trait Announce: Send + Sync {
    async fn announce(&self, event: &ArticleEvent);

    /// Webhook deliveries were queued by a change no reader is told of (a
    /// held comment, a report): send them now rather than at the next poll.
    async fn deliveries_queued(&self) {}
}

/// Scores a comment's text per attribute (`TOXICITY`, `SPAM` …), 0 to 1.
pub trait TextScorer: Send + Sync {
    fn score(&self, text: &str) -> Vec<(String, f32)>;

    /// The parts of `text` (byte ranges) that raised `attribute`'s score
    /// most, in text order, each with the score it has alone; shown to
    /// moderators as the reason's marked words.
    fn spans(&self, _text: &str, _attribute: &str) -> Vec<(usize, usize, f32)> {
        Vec::new()
    }
}

/// How many of the words that raised a score are marked on a card.
const MARKED_SPANS: usize = 5;

/// The on-device model scores every attribute it knows.
impl TextScorer for tribune_moderation::scorer::Model {
    fn score(&self, text: &str) -> Vec<(String, f32)> {
        self.score(text).iter().map(|(attribute, score)| (attribute.as_str().to_owned(), score)).collect()
    }

    fn spans(&self, text: &str, attribute: &str) -> Vec<(usize, usize, f32)> {
        let Some(attribute) = tribune_moderation::scorer::Attribute::parse(attribute) else { return Vec::new() };
        let mut spans = self.spans(text, attribute);
        spans.sort_by(|a, b| b.score.total_cmp(&a.score));
        spans.truncate(MARKED_SPANS);
        spans.sort_by_key(|s| s.begin);
        spans.into_iter().map(|s| (s.begin, s.end, s.score)).collect()
    }
}

/// What the moderation use cases share: the store, the site's compiled
/// policy (reloaded when any instance changes it), the optional scorer and
/// external moderation webhook, and where to announce and notify.
pub struct Moderation {
    pub store: Arc<dyn Store>,
    policy: RwLock<Arc<Policy>>,
    pub scorer: Option<Arc<dyn TextScorer>>,
    pub external: Option<external::ExternalWebhook>,
    pub announce: Arc<dyn Announce>,
    pub notify: Arc<dyn notify::Notify>,
    pub site: notify::Site,
}

impl Moderation {
    /// Reads the site's settings; a stored document that no longer parses
    /// is an error naming the problem, never a silent default.
    pub async fn load(
        store: Arc<dyn Store>,
        announce: Arc<dyn Announce>,
        notify: Arc<dyn notify::Notify>,
        site: notify::Site,
    ) -> Result<Self, settings::SettingsError> {
        let policy = settings::load_policy(store.as_ref()).await?;
        Ok(Self { store, policy: RwLock::new(Arc::new(policy)), scorer: None, external: None, announce, notify, site })
    }

    /// The policy in force now.
    pub fn policy(&self) -> Arc<Policy> {
        self.policy.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Reads the settings again (another instance changed them).
    pub async fn reload(&self) -> Result<(), settings::SettingsError> {
        let policy = settings::load_policy(self.store.as_ref()).await?;
        *self.policy.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(policy);
        Ok(())
    }
}
