use crate::cache::PageCache;
use crate::config::SiteConfig;
use crate::limits::RateLimits;
use crate::live::LiveHub;
use crate::mail::Mailer;
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

impl AppState {
    /// Must be called inside a Tokio runtime: it starts the live hub's
    /// listener. Panics on an SMTP configuration the binary did not check
    /// (it checks with [`Mailer::new`] first).
    pub fn new(store: Arc<dyn Store>, bus: Arc<dyn EventBus>, templates: Templates, config: SiteConfig) -> Self {
        let mailer = Arc::new(Mailer::new(config.smtp.as_ref()).unwrap_or(Mailer::Console));
        let cache = Arc::new(PageCache::new(Duration::from_secs(config.cache_ttl_secs)));
        let live = LiveHub::start(bus, cache.clone());
        let limits = Arc::new(RateLimits::new(&config));
        let oidc = Arc::new(crate::accounts::oidc::ProviderCache::new());
        Self { store, templates: Arc::new(templates), config: Arc::new(config), cache, live, limits, mailer, oidc }
    }
}
