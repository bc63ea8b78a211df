//! Articles: storing, reading, conflicts, and the published list.

use crate::fixtures::{comment, comment_with, new_article, unique, unique_slug};
use std::sync::Arc;
use tribune_domain::{CommentStatus, Slug, Timestamp};
use tribune_store::{DbError, Store};

pub async fn an_article_is_stored_and_read_back_by_slug(store: Arc<dyn Store>) {
    let before = store.count_articles().await.expect("count articles");
    let slug = unique_slug("stored");
    let mut draft = new_article(&slug, None);
    draft.comments_open = false;
    let created = store.create_article(&draft).await.expect("create");
    assert!(created.id.0 > 0, "ids are positive");
    assert_eq!(created.slug, slug.as_str());
    assert_eq!(created.headline, draft.headline.as_str());
    assert_eq!(created.standfirst, "What happened, in one line");
    assert_eq!(created.byline, "Sam Reporter");
    assert_eq!(created.section, "Science & Nature");
    assert_eq!(created.section_slug, "science-nature");
    assert_eq!(created.body_markdown, draft.body_markdown);
    assert_eq!(created.body_html, draft.body_html);
    assert_eq!(created.published_at, None, "a draft has no publication time");
    assert!(!created.comments_open);
    assert_eq!(created.created_at, draft.created_at);

    let read = store.article_by_slug(&slug).await.expect("read by slug");
    assert_eq!(read.id, created.id);
    assert_eq!(read.headline, created.headline);
    assert_eq!(read.published_at, created.published_at);
    assert_eq!(read.comments_open, created.comments_open);

    let at = Timestamp(1_800_000_000_123);
    let other = store.create_article(&new_article(&unique_slug("stored"), Some(at))).await.expect("create a second");
    assert!(other.id > created.id, "ids grow");
    assert_eq!(other.published_at, Some(at));
    assert!(other.comments_open);
    let after = store.count_articles().await.expect("count articles");
    assert!(after >= before + 2, "two more articles: {before} then {after}");
}

pub async fn a_taken_slug_is_a_conflict_and_keeps_the_first_article(store: Arc<dyn Store>) {
    let slug = unique_slug("taken");
    let first = store.create_article(&new_article(&slug, Some(Timestamp(1)))).await.expect("create the first");
    let mut second = new_article(&slug, None);
    second.headline = tribune_domain::Headline::parse("Another headline").expect("headline");
    match store.create_article(&second).await {
        Err(DbError::Conflict { constraint }) => assert_eq!(constraint, "articles_slug"),
        other => panic!("a taken slug should conflict on articles_slug, got {other:?}"),
    }
    let kept = store.article_by_slug(&slug).await.expect("read");
    assert_eq!(kept.id, first.id);
    assert_eq!(kept.headline, first.headline);
    assert_eq!(kept.published_at, Some(Timestamp(1)));
}

pub async fn unknown_slugs_and_comments_are_not_found(store: Arc<dyn Store>) {
    let missing = unique_slug("never-stored");
    assert!(matches!(store.article_by_slug(&missing).await, Err(DbError::NotFound)), "an unknown slug is NotFound");
    let missing = tribune_domain::CommentId(i64::MAX - 1);
    assert!(matches!(store.comment(missing).await, Err(DbError::NotFound)), "an unknown comment is NotFound");
}

pub async fn published_articles_are_newest_first_without_drafts_or_the_future(store: Arc<dyn Store>) {
    // A stretch of time far ahead that no other story (or other run of this
    // one) publishes in, so the newest articles up to `now` are ours.
    let now = Timestamp(5_000_000_000_000 + (unique() % 1_000_000_000) as i64 * 1_000);
    let publish = |offset: i64, prefix: &str| {
        let store = Arc::clone(&store);
        let article = new_article(&unique_slug(prefix), Some(Timestamp(now.0 + offset)));
        async move { store.create_article(&article).await.expect("create") }
    };
    let oldest = publish(-300, "oldest").await;
    let middle = publish(-200, "middle").await;
    let tied_first = publish(-100, "tied").await;
    let tied_second = publish(-100, "tied").await;
    let at_now = publish(0, "at-now").await;
    let future = publish(1, "future").await;
    let draft = store.create_article(&new_article(&unique_slug("draft"), None)).await.expect("create a draft");

    let listed = store.published_articles(now, 5).await.expect("list");
    let ids: Vec<_> = listed.iter().map(|a| a.id).collect();
    assert_eq!(
        ids,
        [at_now.id, tied_second.id, tied_first.id, middle.id, oldest.id],
        "newest first, ties by id, up to and including now, without the future"
    );
    assert_eq!(listed[0].slug, at_now.slug);
    assert_eq!(listed[0].section_slug, "science-nature");
    assert_eq!(listed[0].published_at, at_now.published_at);

    let limited = store.published_articles(now, 2).await.expect("list two");
    assert_eq!(limited.iter().map(|a| a.id).collect::<Vec<_>>(), [at_now.id, tied_second.id]);

    let later = store.published_articles(Timestamp(now.0 + 1), 1).await.expect("list later");
    assert_eq!(later[0].id, future.id, "a scheduled article appears once its time comes");

    let everything = store.published_articles(Timestamp(i64::MAX), 100_000).await.expect("list everything");
    assert!(everything.iter().all(|a| a.id != draft.id), "drafts are never listed");
    assert!(everything.iter().any(|a| a.id == future.id));
    assert!(store.published_articles(now, 0).await.expect("list none").is_empty());
}

pub async fn article_counts_include_only_published_comments(store: Arc<dyn Store>) {
    let now = Timestamp(6_000_000_000_000 + (unique() % 1_000_000_000) as i64 * 1_000);
    let article = store.create_article(&new_article(&unique_slug("counted"), Some(now))).await.expect("create");
    let quiet =
        store.create_article(&new_article(&unique_slug("quiet"), Some(Timestamp(now.0 - 1)))).await.expect("create");
    let top = comment(&*store, article.id, None).await;
    comment(&*store, article.id, Some(top.id)).await;
    let pending = comment_with(&*store, article.id, None, CommentStatus::Pending).await;
    comment(&*store, article.id, Some(pending.id)).await;
    for status in [CommentStatus::Pending, CommentStatus::Rejected, CommentStatus::Deleted] {
        comment_with(&*store, article.id, Some(top.id), status).await;
    }

    let listed = store.published_articles(now, 2).await.expect("list");
    let counts: Vec<_> = listed.iter().map(|a| (a.id, a.comment_count)).collect();
    assert_eq!(counts, [(article.id, 3), (quiet.id, 0)], "only published comments count");
    let slug = Slug::parse(&article.slug).expect("slug");
    assert_eq!(store.article_by_slug(&slug).await.expect("read").id, article.id);
}
