//! Picks the storage backend once, from the database URL.

use crate::config::Config;
use anyhow::{bail, Context};
use std::sync::Arc;
use tribune_store::Store;
use tribune_store_postgres::{PgOptions, PgStore};
use tribune_store_sqlite::SqliteStore;

pub async fn open(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = config.database_url.as_str();
    if let Some(path) = url.strip_prefix("sqlite://") {
        if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let store = SqliteStore::connect(url)
            .await
            .with_context(|| format!("cannot open the SQLite database {}", config.redacted_database_url()))?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = PgStore::connect(url, PgOptions::default())
            .await
            .with_context(|| format!("cannot connect to PostgreSQL at {}", config.redacted_database_url()))?;
        Ok(Arc::new(store))
    } else {
        bail!("unsupported database URL {}: use sqlite://PATH or postgres://…", config.redacted_database_url())
    }
}
