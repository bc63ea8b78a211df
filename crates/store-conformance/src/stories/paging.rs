//! Pages of a discussion: a number of top-level comments per page with all
//! their replies, cursors, and numbering that runs across pages.

use crate::fixtures::{comment, comment_with, ids, published_article};
use std::sync::Arc;
use tribune_domain::comment::SortOrder;
use tribune_domain::{ArticleId, CommentId, CommentStatus};
use tribune_store::{Store, ThreadPage, ThreadQuery};

/// Five published top-level comments, each with replies, and an unpublished
/// one (with an unpublished reply, so no placeholder shows it) between the
/// second and third. Returns each thread's ids, oldest first.
async fn five_threads(store: &dyn Store, article: ArticleId) -> Vec<Vec<CommentId>> {
    let mut threads = Vec::new();
    for n in 0..5 {
        if n == 2 {
            let hidden = comment_with(store, article, None, CommentStatus::Pending).await;
            comment_with(store, article, Some(hidden.id), CommentStatus::Rejected).await;
        }
        let root = comment(store, article, None).await;
        let mut thread = vec![root.id];
        if n % 2 == 0 {
            let reply = comment(store, article, Some(root.id)).await;
            let nested = comment(store, article, Some(reply.id)).await;
            thread.extend([reply.id, nested.id]);
        }
        threads.push(thread);
    }
    // A late reply to the first thread still reads under it.
    let late = comment(store, article, Some(threads[0][0])).await;
    threads[0].push(late.id);
    threads
}

async fn page(
    store: &dyn Store,
    article: ArticleId,
    sort: SortOrder,
    after_root: Option<CommentId>,
    roots: u32,
) -> ThreadPage {
    store.thread_page(article, ThreadQuery { sort, after_root, roots }).await.expect("read a page")
}

fn concat(threads: &[&Vec<CommentId>]) -> Vec<CommentId> {
    threads.iter().flat_map(|t| t.iter().copied()).collect()
}

/// Published comments on the article made by [`five_threads`]: 5 + 3 * 2 + 1 late reply.
const TOTAL: i64 = 12;

pub async fn pages_follow_their_cursors_oldest_first(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "paged-oldest").await.id;
    let t = five_threads(s, article).await;
    let root = |n: usize| t[n][0];

    let first = page(s, article, SortOrder::Oldest, None, 2).await;
    assert_eq!(ids(&first.comments), concat(&[&t[0], &t[1]]));
    assert_eq!(first.first_number, 1);
    assert_eq!(first.total_published, TOTAL);
    assert_eq!(first.next_cursor, Some(root(1)), "the cursor is the page's last top-level comment");

    let second = page(s, article, SortOrder::Oldest, first.next_cursor, 2).await;
    assert_eq!(ids(&second.comments), concat(&[&t[2], &t[3]]));
    assert_eq!(second.first_number, 3, "numbering skips unpublished top-level comments");
    assert_eq!(second.total_published, TOTAL);
    assert_eq!(second.next_cursor, Some(root(3)));

    let last = page(s, article, SortOrder::Oldest, second.next_cursor, 2).await;
    assert_eq!(ids(&last.comments), concat(&[&t[4]]));
    assert_eq!(last.first_number, 5);
    assert_eq!(last.next_cursor, None, "no page after the last");

    let exact = page(s, article, SortOrder::Oldest, None, 5).await;
    assert_eq!(exact.comments.len(), 12);
    assert_eq!(exact.next_cursor, None, "a page that exactly fits has no next page");
    let four = page(s, article, SortOrder::Oldest, None, 4).await;
    assert_eq!(four.next_cursor, Some(root(3)));
    let rest = page(s, article, SortOrder::Oldest, four.next_cursor, 4).await;
    assert_eq!((ids(&rest.comments), rest.first_number), (t[4].clone(), 5));
    assert_eq!(rest.next_cursor, None);

    let past_the_end = page(s, article, SortOrder::Oldest, Some(root(4)), 2).await;
    assert!(past_the_end.comments.is_empty());
    assert_eq!(past_the_end.next_cursor, None);
    assert_eq!(past_the_end.total_published, TOTAL);

    let zero = page(s, article, SortOrder::Oldest, None, 0).await;
    assert_eq!(ids(&zero.comments), t[0], "a page of zero top-level comments is read as one");
    assert_eq!(zero.next_cursor, Some(root(0)));
}

pub async fn pages_follow_their_cursors_newest_first(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "paged-newest").await.id;
    let t = five_threads(s, article).await;
    let root = |n: usize| t[n][0];

    let first = page(s, article, SortOrder::Newest, None, 2).await;
    assert_eq!(ids(&first.comments), concat(&[&t[4], &t[3]]));
    assert_eq!(first.first_number, 5, "the newest of five is number 5");
    assert_eq!(first.total_published, TOTAL);
    assert_eq!(first.next_cursor, Some(root(3)));

    let second = page(s, article, SortOrder::Newest, first.next_cursor, 2).await;
    assert_eq!(ids(&second.comments), concat(&[&t[2], &t[1]]));
    assert_eq!(second.first_number, 3);
    assert_eq!(second.next_cursor, Some(root(1)));

    let last = page(s, article, SortOrder::Newest, second.next_cursor, 2).await;
    assert_eq!(ids(&last.comments), concat(&[&t[0]]));
    assert_eq!(last.first_number, 1);
    assert_eq!(last.total_published, TOTAL);
    assert_eq!(last.next_cursor, None);

    let exact = page(s, article, SortOrder::Newest, None, 5).await;
    assert_eq!(exact.first_number, 5);
    assert_eq!(exact.next_cursor, None);
    assert_eq!(ids(&exact.comments), concat(&[&t[4], &t[3], &t[2], &t[1], &t[0]]));
}

pub async fn an_article_without_comments_has_one_empty_page(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "silent").await.id;
    comment_with(s, article, None, CommentStatus::Pending).await;
    for sort in [SortOrder::Oldest, SortOrder::Newest] {
        let empty = page(s, article, sort, None, 10).await;
        assert!(empty.comments.is_empty());
        assert_eq!(empty.first_number, 1);
        assert_eq!(empty.total_published, 0);
        assert_eq!(empty.next_cursor, None);
    }
    let unknown = page(s, ArticleId(i64::MAX - 3), SortOrder::Oldest, None, 10).await;
    assert!(unknown.comments.is_empty(), "an unknown article reads as an empty discussion");
    assert_eq!(unknown.total_published, 0);
}
