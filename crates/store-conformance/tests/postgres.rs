//! Every storage story against a fresh PostgreSQL database, and what only
//! PostgreSQL has: statement timeouts, concurrent migrations, and the test
//! databases themselves. Fails when PostgreSQL is unreachable, unless
//! TRIBUNE_TEST_SKIP_POSTGRES=1.

use std::sync::Arc;
use std::time::Duration;
use tribune_store::{ArticleStore, DbError, Store};
use tribune_store_conformance::{run_all, run_shared, PgTestDatabase};
use tribune_store_postgres::{PgOptions, PgStore};

async fn connect(db: &PgTestDatabase, options: PgOptions) -> PgStore {
    let store = PgStore::connect(&db.url, options).await.expect("connect to PostgreSQL");
    store.migrate().await.expect("migrate PostgreSQL");
    store
}

async fn database_exists(name: &str) -> bool {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&PgTestDatabase::admin_url()).await.expect("connect as admin");
    let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_optional(&mut admin)
        .await
        .expect("look in pg_database");
    found.is_some()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_story_passes_on_postgres() {
    let Some(db) = PgTestDatabase::create_unless_skipped("every_story_passes_on_postgres").await else {
        return;
    };
    let store = connect(&db, PgOptions::default()).await;
    run_all(Arc::new(store.clone())).await;
    store.pool().close().await;
    db.drop_database().await.expect("drop the test database");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stories_share_one_postgres_database_with_each_other() {
    let test = "stories_share_one_postgres_database_with_each_other";
    let Some(db) = PgTestDatabase::create_unless_skipped(test).await else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(connect(&db, PgOptions::default()).await);
    tokio::join!(run_shared(Arc::clone(&store)), run_shared(store));
    db.drop_database().await.expect("drop the test database");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statement_running_past_its_timeout_is_cancelled() {
    let test = "a_statement_running_past_its_timeout_is_cancelled";
    let Some(db) = PgTestDatabase::create_unless_skipped(test).await else {
        return;
    };
    let options =
        PgOptions { max_connections: 3, statement_timeout: Duration::from_millis(200), ..PgOptions::default() };
    let store = connect(&db, options).await;
    assert_eq!(store.pool().options().get_max_connections(), 3);
    let error = sqlx::query("SELECT pg_sleep(5)").execute(store.pool()).await.expect_err("the statement is cancelled");
    let code = error.as_database_error().and_then(|e| e.code()).map(|c| c.into_owned());
    assert_eq!(code.as_deref(), Some("57014"), "query_canceled, got {error}");
    store.ping().await.expect("the connection is still good");
    db.drop_database().await.expect("drop the test database");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_migrating_at_once_both_succeed() {
    let test = "instances_migrating_at_once_both_succeed";
    let Some(db) = PgTestDatabase::create_unless_skipped(test).await else {
        return;
    };
    let connect = || PgStore::connect(&db.url, PgOptions::default());
    let (first, second) = (connect().await.expect("connect"), connect().await.expect("connect"));
    let (a, b) = tokio::join!(first.migrate(), second.migrate());
    a.expect("the first instance migrates");
    b.expect("the second instance migrates");
    assert_eq!(first.count_articles().await.expect("count"), 0);
    // A statement timeout lifted for migrating is back afterwards.
    let timeout: String =
        sqlx::query_scalar("SHOW statement_timeout").fetch_one(first.pool()).await.expect("show the timeout");
    assert_eq!(timeout, "30s");
    db.drop_database().await.expect("drop the test database");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_databases_are_dropped_explicitly_or_when_dropped() {
    let test = "test_databases_are_dropped_explicitly_or_when_dropped";
    let Some(explicit) = PgTestDatabase::create_unless_skipped(test).await else {
        return;
    };
    assert!(explicit.name.starts_with("tribune_test_"));
    assert!(explicit.url.ends_with(&format!("/{}", explicit.name)));
    let store = connect(&explicit, PgOptions::default()).await;
    let name = explicit.name.clone();
    assert!(database_exists(&name).await);
    explicit.drop_database().await.expect("drop while a pool is still connected");
    assert!(!database_exists(&name).await, "{name} is gone");
    assert!(matches!(store.ping().await, Err(DbError::Unavailable(_) | DbError::Other(_))));

    let implicit = PgTestDatabase::create().await;
    let name = implicit.name.clone();
    assert!(database_exists(&name).await);
    drop(implicit);
    assert!(!database_exists(&name).await, "{name} is dropped with its value");
}
