use crate::config::SiteConfig;
use crate::templates::Templates;
use std::sync::Arc;
use tribune_store::Store;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub templates: Arc<Templates>,
    pub config: Arc<SiteConfig>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, templates: Templates, config: SiteConfig) -> Self {
        Self { store, templates: Arc::new(templates), config: Arc::new(config) }
    }
}
