//! The search query's plan: the full-text match drives the join and runs
//! once. Left to itself (no statistics, as on a site's database), SQLite
//! walked every published article by its status index and ran the match
//! for each one: 30 seconds per search at 100,000 articles.

use crate::articles::SEARCH_ARTICLES;
use crate::SqliteStore;
use tribune_store::Store;

async fn store_with_articles(dir: &tempfile::TempDir) -> SqliteStore {
    let store = SqliteStore::open(&dir.path().join("tribune.db")).await.unwrap();
    store.migrate().await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) \
         INSERT INTO articles (slug, headline, standfirst, byline, section, section_slug, body_markdown, body_html, \
         published_at, created_at, status) \
         SELECT 'a-' || i, 'Harbour ' || i, '', 'B', 'News', 'news', 'The harbour wall, part ' || i, '<p>x</p>', i, i, \
         'published' FROM n",
    )
    .execute(&store.writer)
    .await
    .unwrap();
    store
}

/// `sql` run with the search's five parameters: "harbour", now, 11 rows, no offset, a window of 2,000.
async fn run(store: &SqliteStore, sql: &str) -> Vec<sqlx::sqlite::SqliteRow> {
    sqlx::query(sql)
        .bind("\"harbour\"")
        .bind(i64::MAX)
        .bind(11_i64)
        .bind(0_i64)
        .bind(2_000_i64)
        .fetch_all(&store.reader)
        .await
        .unwrap()
}

async fn plan(store: &SqliteStore, sql: &str) -> Vec<String> {
    use sqlx::Row;
    let rows = run(store, &format!("EXPLAIN QUERY PLAN {sql}")).await;
    rows.iter().map(|row| row.get::<String, _>("detail")).collect()
}

/// Why a plan is slow, if it is: the match inside a loop, or a walk over articles.
fn slow(plan: &[String]) -> Option<&'static str> {
    let first_scan = plan.iter().position(|row| row.starts_with("SCAN ") || row.starts_with("SEARCH "));
    let match_at = plan.iter().position(|row| row.contains("article_search"));
    if plan.iter().filter(|row| row.contains("article_search")).count() != 1 {
        return Some("the match runs more than once");
    }
    if first_scan != match_at {
        return Some("something else drives the join, the match runs inside its loop");
    }
    None
}

#[tokio::test]
async fn the_search_reads_the_full_text_index_first_and_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_articles(&dir).await;
    let found = plan(&store, SEARCH_ARTICLES).await;
    assert_eq!(slow(&found), None, "{found:#?}");
    assert!(
        found.iter().any(|row| row.contains("COVERING INDEX articles_visibility")),
        "the window is checked in the small index, not in the articles' pages: {found:#?}"
    );
    assert_eq!(run(&store, SEARCH_ARTICLES).await.len(), 11);
}

/// The check above catches the plain join the search used before.
#[tokio::test]
async fn the_plain_join_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_articles(&dir).await;
    let before = "SELECT a.id FROM article_search JOIN articles a ON a.id = article_search.rowid \
         WHERE article_search MATCH ?1 AND a.status = 'published' AND a.published_at <= ?2 \
         ORDER BY bm25(article_search, 10.0, 4.0, 1.0), a.published_at DESC, a.id DESC LIMIT ?3 OFFSET ?4 -- ?5";
    let found = plan(&store, before).await;
    assert!(slow(&found).is_some(), "{found:#?}");
}
