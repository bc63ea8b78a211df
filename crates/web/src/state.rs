use crate::cache::PageCache;
use crate::config::SiteConfig;
use crate::limits::RateLimits;
use crate::live::LiveHub;
use crate::mail::{MailError, Mailer};
use crate::templates::Templates;
use std::sync::Arc;
use std::time::Duration;
use tribune_store::{EventBus, Store};

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub templates: Arc<Templates>,
    pub config: Arc<SiteConfig>,
    pub cache: Arc<PageCache>,
    pub live: Arc<LiveHub>,
    pub limits: Arc<RateLimits>,
    pub mailer: Arc<Mailer>,
    /// The OpenID provider's metadata, discovered on first use (when `config.oidc` is set).
    pub oidc: Arc<crate::accounts::oidc::ProviderCache>,
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
}

impl AppState {
    /// Must be called inside a Tokio runtime: it starts the live hub's
    /// listener and the mail sender. Wrong settings are an error that says
    /// which, never a quiet fallback.
    pub fn new(
        store: Arc<dyn Store>,
        bus: Arc<dyn EventBus>,
        templates: Templates,
        config: SiteConfig,
    ) -> Result<Self, StartError> {
        crate::accounts::password::ready().map_err(StartError::PasswordHashing)?;
        let mailer = Arc::new(Mailer::start(config.smtp.as_ref(), config.mail_retry)?);
        let oidc = Arc::new(crate::accounts::oidc::ProviderCache::new().map_err(StartError::OidcClient)?);
        let cache = Arc::new(PageCache::new(Duration::from_secs(config.cache_ttl_secs)));
        let live = LiveHub::start(bus, cache.clone());
        let limits = Arc::new(RateLimits::new(&config));
        Ok(Self { store, templates: Arc::new(templates), config: Arc::new(config), cache, live, limits, mailer, oidc })
    }
}
