use crate::cache::PageCache;
use crate::config::SiteConfig;
use crate::limits::RateLimits;
use crate::live::LiveHub;
use crate::mail::{MailError, Mailer};
use crate::templates::Templates;
use std::sync::Arc;
use std::time::Duration;
use tribune_app::perspective::Perspective;
use tribune_app::webhooks::Deliveries;
use tribune_app::Moderation;
use tribune_store::{BusMessage, EventBus, Store};

/// What every handler can reach. One `Arc`: cloned for every middleware
/// and extractor of every request, so a clone is one counter, not fourteen
/// (a profile of the cached home page had 7 % of the server's CPU dropping
/// the clones' fields).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The application's parts, shared by every request.
pub struct Shared {
    pub store: Arc<dyn Store>,
    pub templates: Arc<Templates>,
    pub config: Arc<SiteConfig>,
    pub cache: Arc<PageCache>,
    pub live: Arc<LiveHub>,
    pub limits: Arc<RateLimits>,
    pub mailer: Arc<Mailer>,
    /// The OpenID provider's metadata, discovered on first use (when `config.oidc` is set).
    pub oidc: Arc<crate::accounts::oidc::ProviderCache>,
    /// The moderation use cases, with the site's policy.
    pub moderation: Arc<Moderation>,
    /// The webhook outbox's worker on this instance.
    pub deliveries: Arc<Deliveries>,
    /// Whether the on-device scorer is loaded, for the admin.
    pub scorer: Arc<crate::scorer::SiteScorer>,
    /// The Perspective-compatible endpoint's keys and scorer.
    pub perspective: Arc<Perspective>,
    /// Image uploads: the blob store and the limits.
    pub media: Arc<tribune_app::media::Media>,
}

/// Why the application cannot start with these settings.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error("password hashing does not work: {0}")]
    PasswordHashing(String),
    #[error("no HTTP client for OpenID Connect: {0}")]
    OidcClient(String),
    #[error("the moderation settings: {0}")]
    Moderation(#[from] tribune_app::settings::SettingsError),
    #[error("the moderation webhook: {0}")]
    ModerationWebhook(String),
    #[error("webhook deliveries: {0}")]
    Webhooks(String),
    #[error("the media store: {0}")]
    Media(String),
}

impl AppState {
    /// Must be called inside a Tokio runtime: it starts the live hub's
    /// listener, the mail sender, the webhook worker and the moderators'
    /// digest. Wrong settings (or stored moderation settings that no longer
    /// read) are an error that says which, never a quiet fallback.
    pub async fn new(
        store: Arc<dyn Store>,
        bus: Arc<dyn EventBus>,
        templates: Templates,
        config: SiteConfig,
    ) -> Result<Self, StartError> {
        crate::accounts::password::ready().map_err(StartError::PasswordHashing)?;
        let mailer = Arc::new(Mailer::start(config.smtp.as_ref(), config.mail_retry)?);
        let oidc = Arc::new(crate::accounts::oidc::ProviderCache::new().map_err(StartError::OidcClient)?);
        let cache = Arc::new(PageCache::new(Duration::from_secs(config.cache_ttl_secs)));
        let live = LiveHub::start(bus.clone(), cache.clone());
        let deliveries =
            Arc::new(Deliveries::start(store.clone(), config.moderation.delivery).map_err(StartError::Webhooks)?);
        let announce = Arc::new(crate::moderation::Announcer { live: live.clone(), deliveries: deliveries.clone() });
        let notify = Arc::new(crate::moderation::MailNotifier { mailer: mailer.clone() });
        let site = tribune_app::notify::Site { name: config.site_name.clone(), public_url: config.public_url.clone() };
        let mut moderation = Moderation::load(store.clone(), announce, notify, site).await?;
        if let Some(webhook) = &config.moderation.webhook {
            let timeout = Duration::from_millis(webhook.timeout_ms);
            let external = tribune_app::external::ExternalWebhook::new(&webhook.url, webhook.secret.expose(), timeout)
                .map_err(StartError::ModerationWebhook)?;
            moderation.external = Some(external);
        }
        let scorer = Arc::new(crate::scorer::SiteScorer::load(
            config.moderation.model_file.as_deref(),
            config.moderation.scoring,
        ));
        scorer.watch(Duration::from_secs(config.moderation.model_check_secs.max(1)));
        if config.moderation.scoring {
            moderation.scorer = Some(scorer.model.clone() as Arc<dyn tribune_app::TextScorer>);
        }
        let moderation = Arc::new(moderation);
        moderation.start_digest(Duration::from_secs(config.moderation.digest_check_secs.max(1)));
        reload_on_change(bus.as_ref(), &moderation);
        crate::newsroom::scheduler::start(store.clone(), &live, config.schedule_poll);
        let limits = Arc::new(RateLimits::new(&config));
        let perspective = Arc::new(Perspective::with_slot(store.clone(), scorer.model.clone()));
        let blobs = config.media.blob_store().map_err(StartError::Media)?;
        let media = Arc::new(tribune_app::media::Media::new(blobs, config.media.limits));
        Ok(Self(Arc::new(Shared {
            store,
            templates: Arc::new(templates),
            config: Arc::new(config),
            cache,
            live,
            limits,
            mailer,
            oidc,
            moderation,
            deliveries,
            scorer,
            perspective,
            media,
        })))
    }
}

/// Reloads the moderation settings when any instance changes them (or the
/// bus lost events and anything may have changed).
fn reload_on_change(bus: &dyn EventBus, moderation: &Arc<Moderation>) {
    let mut events = bus.subscribe();
    let weak = Arc::downgrade(moderation);
    tokio::spawn(async move {
        loop {
            let reload = match events.recv().await {
                Ok(BusMessage::Event(tribune_store::ArticleEvent::ModerationSettingsChanged) | BusMessage::Resync) => {
                    true
                }
                Ok(BusMessage::Event(_)) => false,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => true,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            };
            let Some(moderation) = weak.upgrade() else { break };
            if reload {
                if let Err(error) = moderation.reload().await {
                    tracing::error!(%error, "could not reload the moderation settings; the previous ones stay in force");
                }
            }
        }
    });
}
