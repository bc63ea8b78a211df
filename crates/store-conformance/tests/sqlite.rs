//! Every storage story against a fresh SQLite database file.

use std::sync::Arc;
use tribune_store::Store;
use tribune_store_conformance::{run_all, run_shared};
use tribune_store_sqlite::SqliteStore;

async fn fresh_store(dir: &tempfile::TempDir) -> Arc<dyn Store> {
    let store = SqliteStore::open(&dir.path().join("tribune.db")).await.expect("open SQLite");
    store.migrate().await.expect("migrate SQLite");
    Arc::new(store)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_story_passes_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    run_all(fresh_store(&dir).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stories_share_one_sqlite_database_with_each_other() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = fresh_store(&dir).await;
    tokio::join!(run_shared(Arc::clone(&store)), run_shared(store));
}
