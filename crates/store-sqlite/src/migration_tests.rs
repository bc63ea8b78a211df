//! Migration 0009 on a database that already holds articles: each keeps
//! working, in the state its publication time implies, with its text as
//! revision 1.

use crate::{SqliteStore, MIGRATIONS};
use sqlx::migrate::Migrator;
use tribune_domain::{ArticleId, ArticleStatus, Timestamp};
use tribune_store::{ArticleStore, NewsroomStore, Store};

#[tokio::test]
async fn existing_articles_become_drafts_scheduled_or_published_by_their_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("tribune.db")).await.unwrap();
    let before = Migrator {
        migrations: MIGRATIONS.migrations.iter().filter(|m| m.version < 9).cloned().collect::<Vec<_>>().into(),
        ..Migrator::DEFAULT
    };
    before.run(&store.writer).await.unwrap();
    let now = Timestamp::now().0;
    for (slug, published_at) in
        [("old-draft", None), ("old-future", Some(now + 86_400_000)), ("old-past", Some(now - 1))]
    {
        sqlx::query(
            "INSERT INTO articles (slug, headline, standfirst, byline, section, section_slug, body_markdown, body_html, \
             published_at, created_at) VALUES ($1, $1, '', 'B', 'News', 'news', 'Text of ' || $1, '<p>x</p>', $2, 1)",
        )
        .bind(slug)
        .bind(published_at)
        .execute(&store.writer)
        .await
        .unwrap();
    }
    store.migrate().await.unwrap();
    let statuses: Vec<ArticleStatus> = {
        let mut found = Vec::new();
        for id in 1..=3 {
            let article = store.article(ArticleId(id)).await.unwrap();
            assert_eq!(article.revision, 1);
            let first = store.article_revision(ArticleId(id), 1).await.unwrap();
            assert_eq!(first.body_markdown, format!("Text of {}", article.slug));
            found.push(article.status);
        }
        found
    };
    assert_eq!(statuses, [ArticleStatus::Draft, ArticleStatus::Scheduled, ArticleStatus::Published]);
    let listed = store.published_articles(Timestamp::now(), 10).await.unwrap();
    assert_eq!(listed.iter().map(|a| a.slug.as_str()).collect::<Vec<_>>(), ["old-past"]);
}
