//! Writes that fail, writes that race, and settings.

use crate::fixtures::{comment, new_comment, published_article, unique};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::Barrier;
use tribune_domain::comment::SortOrder;
use tribune_domain::{ArticleId, CommentId, CommentStatus, ThreadPath};
use tribune_store::{Comment, DbError, Store, ThreadQuery};

async fn total(store: &dyn Store, article: ArticleId) -> i64 {
    let query = ThreadQuery { sort: SortOrder::Oldest, after_root: None, roots: 1 };
    store.thread_page(article, query).await.expect("read a page").total_published
}

pub async fn a_reply_to_a_comment_elsewhere_or_nowhere_is_not_found_and_writes_nothing(store: Arc<dyn Store>) {
    let s = &*store;
    let here = published_article(s, "reply-here").await;
    let there = published_article(s, "reply-there").await;
    let theirs = comment(s, there.id, None).await;

    let across = new_comment(here.id, Some(theirs.id), CommentStatus::Published);
    match s.create_comment(&across).await {
        Err(DbError::NotFound) => {}
        other => panic!("a reply to another article's comment is NotFound, got {other:?}"),
    }
    let to_nothing = new_comment(here.id, Some(CommentId(i64::MAX - 5)), CommentStatus::Published);
    match s.create_comment(&to_nothing).await {
        Err(DbError::NotFound) => {}
        other => panic!("a reply to a missing comment is NotFound, got {other:?}"),
    }
    assert_eq!(total(s, here.id).await, 0, "nothing was written to the article replied on");
    assert_eq!(total(s, there.id).await, 1, "nothing was written to the other article");

    let fine = comment(s, here.id, None).await;
    assert_eq!(fine.depth, 1, "the article still takes comments");
    assert_eq!(total(s, here.id).await, 1);
}

pub async fn a_failed_comment_insert_leaves_nothing_behind(store: Arc<dyn Store>) {
    let s = &*store;
    // No article has this id, so the insert itself fails inside the
    // transaction, after the parent (none) was read.
    let nowhere = ArticleId(i64::MAX - 11);
    let orphan = new_comment(nowhere, None, CommentStatus::Published);
    let error = s.create_comment(&orphan).await;
    assert!(error.is_err(), "a comment on a missing article fails, got {error:?}");
    assert_eq!(total(s, nowhere).await, 0, "the failed comment left no row");

    let article = published_article(s, "after-failure").await;
    let root = comment(s, article.id, None).await;
    let misplaced = new_comment(nowhere, Some(root.id), CommentStatus::Published);
    assert!(matches!(s.create_comment(&misplaced).await, Err(DbError::NotFound)));
    let after = comment(s, article.id, Some(root.id)).await;
    assert_eq!(after.path, ThreadPath::child(&root.path, after.id).as_str());
    assert_eq!(total(s, article.id).await, 2, "only the two comments that succeeded are there");
    assert_eq!(total(s, nowhere).await, 0);
}

/// Fifty writers at once, each replying to one top-level comment and then to
/// its own reply: every comment lands, with a distinct id and the right place.
pub async fn concurrent_replies_into_one_thread_all_land_in_place(store: Arc<dyn Store>) {
    const WRITERS: usize = 50;
    let article = published_article(&*store, "crowded").await;
    let root = comment(&*store, article.id, None).await;
    let start = Arc::new(Barrier::new(WRITERS));
    let mut writers = tokio::task::JoinSet::new();
    for _ in 0..WRITERS {
        let (store, start) = (Arc::clone(&store), Arc::clone(&start));
        let (article, root) = (article.id, root.id);
        writers.spawn(async move {
            start.wait().await;
            let reply = store
                .create_comment(&new_comment(article, Some(root), CommentStatus::Published))
                .await
                .expect("a concurrent reply is stored");
            let nested = store
                .create_comment(&new_comment(article, Some(reply.id), CommentStatus::Published))
                .await
                .expect("a concurrent nested reply is stored");
            (reply, nested)
        });
    }
    let mut written: Vec<(Comment, Comment)> = Vec::with_capacity(WRITERS);
    while let Some(done) = writers.join_next().await {
        written.push(done.expect("a writer task finished"));
    }

    let mut seen = HashSet::from([root.id]);
    for (reply, nested) in &written {
        assert!(seen.insert(reply.id) && seen.insert(nested.id), "ids are distinct");
        assert_eq!((reply.root_id, reply.depth), (root.id, 2));
        assert_eq!(reply.path, ThreadPath::child(&root.path, reply.id).as_str());
        assert_eq!((nested.root_id, nested.depth), (root.id, 3));
        assert_eq!(nested.parent_id, Some(reply.id));
        assert_eq!(nested.path, ThreadPath::child(&reply.path, nested.id).as_str());
    }

    let query = ThreadQuery { sort: SortOrder::Oldest, after_root: None, roots: 10 };
    let page = store.thread_page(article.id, query).await.expect("read the thread");
    assert_eq!(page.total_published, 1 + 2 * WRITERS as i64);
    assert_eq!(page.comments.len(), 1 + 2 * WRITERS);
    assert_eq!(page.comments[0].id, root.id);
    let paths: Vec<&str> = page.comments.iter().map(|c| c.path.as_str()).collect();
    assert!(paths.windows(2).all(|w| w[0] < w[1]), "the thread reads in path order");
    let mut replies: Vec<_> = written.iter().map(|(r, n)| (r.id, n.id)).collect();
    replies.sort();
    let expected: Vec<CommentId> = std::iter::once(root.id).chain(replies.iter().flat_map(|&(r, n)| [r, n])).collect();
    let got: Vec<CommentId> = page.comments.iter().map(|c| c.id).collect();
    assert_eq!(got, expected, "each reply is followed by its own reply, replies oldest first");
}

pub async fn a_setting_is_stored_only_if_absent(store: Arc<dyn Store>) {
    let key = format!("story.setting.{:x}", unique());
    assert_eq!(store.setting(&key).await.expect("read"), None);
    assert!(store.insert_setting_if_absent(&key, "first").await.expect("insert"));
    assert_eq!(store.setting(&key).await.expect("read").as_deref(), Some("first"));
    assert!(!store.insert_setting_if_absent(&key, "second").await.expect("insert again"));
    assert_eq!(store.setting(&key).await.expect("read").as_deref(), Some("first"));

    // Several instances starting at once race to set the same key: one wins.
    let raced = format!("story.raced.{:x}", unique());
    let mut racers = tokio::task::JoinSet::new();
    for n in 0..10 {
        let (store, raced) = (Arc::clone(&store), raced.clone());
        racers.spawn(async move {
            let value = format!("racer {n}");
            let stored = store.insert_setting_if_absent(&raced, &value).await.expect("insert");
            stored.then_some(value)
        });
    }
    let mut winners = Vec::new();
    while let Some(done) = racers.join_next().await {
        winners.extend(done.expect("a racer finished"));
    }
    assert_eq!(winners.len(), 1, "exactly one racer stores the value: {winners:?}");
    assert_eq!(store.setting(&raced).await.expect("read"), winners.pop());
}

pub async fn the_store_answers_a_ping_and_migrates_again_harmlessly(store: Arc<dyn Store>) {
    store.ping().await.expect("ping");
    let before = store.count_articles().await.expect("count");
    store.migrate().await.expect("migrating an up-to-date database does nothing");
    let after = store.count_articles().await.expect("count");
    assert!(after >= before, "migrating again keeps the data");
    store.ping().await.expect("ping after migrating");
}

pub async fn a_setting_is_deleted_only_while_it_holds_the_expected_value(store: Arc<dyn Store>) {
    let key = format!("invite-{:x}", crate::fixtures::unique());
    assert!(store.insert_setting_if_absent(&key, "one").await.unwrap());
    assert!(!store.delete_setting_if(&key, "two").await.unwrap(), "another value stays");
    assert_eq!(store.setting(&key).await.unwrap().as_deref(), Some("one"));
    assert!(store.delete_setting_if(&key, "one").await.unwrap());
    assert!(!store.delete_setting_if(&key, "one").await.unwrap(), "only once");
    assert!(store.insert_setting_if_absent(&key, "three").await.unwrap());
    store.delete_setting(&key).await.unwrap();
    assert_eq!(store.setting(&key).await.unwrap(), None);
}
