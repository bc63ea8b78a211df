//! Picks the storage backend and its live bus once, from the database URL.

use crate::config::Config;
use anyhow::{bail, Context};
use std::sync::Arc;
use tribune_store::{EventBus, LocalBus, Store};
use tribune_store_postgres::{PgBus, PgStore};
use tribune_store_sqlite::SqliteStore;

pub struct Backend {
    pub store: Arc<dyn Store>,
    pub bus: Arc<dyn EventBus>,
}

pub async fn open(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    Ok(open_backend(config, false).await?.store)
}

/// The store and, when `live` is set, the bus that carries its events
/// (in-process for SQLite, LISTEN/NOTIFY for PostgreSQL).
pub async fn open_backend(config: &Config, live: bool) -> anyhow::Result<Backend> {
    let url = config.database_url.expose();
    if let Some(path) = url.strip_prefix("sqlite://") {
        if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let store = SqliteStore::connect(url)
            .await
            .with_context(|| format!("cannot open the SQLite database {}", config.redacted_database_url()))?;
        Ok(Backend { store: Arc::new(store), bus: Arc::new(LocalBus::new()) })
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PgStore::connect(url, config.postgres.clone())
            .await
            .with_context(|| format!("cannot connect to PostgreSQL at {}", config.redacted_database_url()))?;
        let bus: Arc<dyn EventBus> = if live {
            Arc::new(PgBus::start(store.pool().clone()).await.context("cannot listen for live events")?)
        } else {
            Arc::new(LocalBus::new())
        };
        Ok(Backend { store: Arc::new(store), bus })
    } else {
        bail!("unsupported database URL {}: use sqlite://PATH or postgres://…", config.redacted_database_url())
    }
}
