//! Threads: where a comment sits, and the order a discussion reads in.

use crate::fixtures::{comment, comment_with, ids, new_comment, published_article, website};
use std::sync::Arc;
use tribune_domain::comment::SortOrder;
use tribune_domain::{CommentStatus, ThreadPath};
use tribune_store::{Store, ThreadQuery};

fn all(sort: SortOrder) -> ThreadQuery {
    ThreadQuery { sort, after_root: None, roots: 1_000 }
}

pub async fn a_comment_knows_its_parent_root_depth_and_path(store: Arc<dyn Store>) {
    let article = published_article(&*store, "depths").await;
    let mut first = new_comment(article.id, None, CommentStatus::Pending);
    first.author_website = Some(website());
    let root = store.create_comment(&first).await.expect("create a top-level comment");
    assert_eq!(root.article_id, article.id);
    assert_eq!(root.parent_id, None);
    assert_eq!(root.root_id, root.id, "a top-level comment is its own root");
    assert_eq!(root.depth, 1);
    assert_eq!(root.path, ThreadPath::root(root.id).as_str());
    assert_eq!(root.author_name, "Ada Reader");
    assert_eq!(root.author_email, "ada@example.org");
    assert_eq!(root.author_website.as_deref(), Some("https://example.org/ada"));
    assert_eq!(root.body_markdown, "I *agree*.");
    assert_eq!(root.body_html, first.body_html);
    assert_eq!(root.status, CommentStatus::Pending);
    assert_eq!(root.created_at, first.created_at);

    let reply = comment(&*store, article.id, Some(root.id)).await;
    let nested = comment(&*store, article.id, Some(reply.id)).await;
    let deeper = comment(&*store, article.id, Some(nested.id)).await;
    for (depth, (child, parent)) in [(&reply, &root), (&nested, &reply), (&deeper, &nested)].into_iter().enumerate() {
        assert_eq!(child.parent_id, Some(parent.id));
        assert_eq!(child.root_id, root.id, "every reply shares its thread's root");
        assert_eq!(child.depth, depth as i32 + 2);
        assert_eq!(child.path, ThreadPath::child(&parent.path, child.id).as_str());
        assert_eq!(child.author_website, None);
        assert_eq!(child.status, CommentStatus::Published);
    }

    let read = store.comment(nested.id).await.expect("read a comment back");
    assert_eq!(read.id, nested.id);
    assert_eq!(read.parent_id, nested.parent_id);
    assert_eq!(read.root_id, nested.root_id);
    assert_eq!((read.depth, read.path.as_str()), (3, nested.path.as_str()));
    assert_eq!(read.author_email, nested.author_email);
    assert_eq!(read.status, nested.status);
    let read_root = store.comment(root.id).await.expect("read the root back");
    assert_eq!(read_root.author_website.as_deref(), Some("https://example.org/ada"));
    assert_eq!(read_root.status, CommentStatus::Pending);
}

pub async fn a_thread_lists_parents_before_replies_and_siblings_oldest_first(store: Arc<dyn Store>) {
    let article = published_article(&*store, "ordered").await;
    let elsewhere = published_article(&*store, "elsewhere").await;
    let s = &*store;
    let a = comment(s, article.id, None).await;
    let hidden_root = comment_with(s, article.id, None, CommentStatus::Pending).await;
    let b = comment(s, article.id, None).await;
    let a1 = comment(s, article.id, Some(a.id)).await;
    comment(s, elsewhere.id, None).await;
    let b1 = comment(s, article.id, Some(b.id)).await;
    let a2 = comment(s, article.id, Some(a.id)).await;
    let a1x = comment(s, article.id, Some(a1.id)).await;
    let under_hidden = comment(s, article.id, Some(hidden_root.id)).await;
    let a3 = comment_with(s, article.id, Some(a.id), CommentStatus::Rejected).await;
    let a3x = comment(s, article.id, Some(a3.id)).await;
    let a1y = comment(s, article.id, Some(a1.id)).await;
    let b2 = comment(s, article.id, Some(b.id)).await;

    let page = store.thread_page(article.id, all(SortOrder::Oldest)).await.expect("read");
    assert_eq!(
        ids(&page.comments),
        [a.id, a1.id, a1x.id, a1y.id, a2.id, a3.id, a3x.id, hidden_root.id, under_hidden.id, b.id, b1.id, b2.id],
        "parents before replies, siblings oldest first; unpublished comments left out unless a \
         published reply stands under them"
    );
    let placeholders: Vec<_> = page.comments.iter().filter(|c| c.status != CommentStatus::Published).collect();
    assert_eq!(placeholders.iter().map(|c| c.id).collect::<Vec<_>>(), [a3.id, hidden_root.id]);
    assert!(
        placeholders.iter().all(|c| c.body_html.is_empty() && c.author_name.is_empty()),
        "placeholders say nothing"
    );
    assert_eq!(page.first_number, 1);
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.total_published, 10, "every published comment on the article counts");
    assert!(page.comments.iter().all(|c| c.article_id == article.id));
}

pub async fn newest_first_reverses_only_the_top_level(store: Arc<dyn Store>) {
    let article = published_article(&*store, "newest").await;
    let s = &*store;
    let a = comment(s, article.id, None).await;
    let b = comment(s, article.id, None).await;
    let a1 = comment(s, article.id, Some(a.id)).await;
    let c = comment(s, article.id, None).await;
    let a2 = comment(s, article.id, Some(a.id)).await;
    let a1x = comment(s, article.id, Some(a1.id)).await;
    let b1 = comment(s, article.id, Some(b.id)).await;
    comment_with(s, article.id, None, CommentStatus::Pending).await;

    let page = store.thread_page(article.id, all(SortOrder::Newest)).await.expect("read");
    assert_eq!(
        ids(&page.comments),
        [c.id, b.id, b1.id, a.id, a1.id, a1x.id, a2.id],
        "top-level comments newest first, each followed by its replies oldest first"
    );
    assert_eq!(page.first_number, 3, "numbered oldest-first: the newest of three is 3");
    assert_eq!(page.total_published, 7);
    assert_eq!(page.next_cursor, None);

    let oldest = store.thread_page(article.id, all(SortOrder::Oldest)).await.expect("read");
    assert_eq!(ids(&oldest.comments), [a.id, a1.id, a1x.id, a2.id, b.id, b1.id, c.id]);
}

pub async fn the_last_published_comment_is_where_live_readers_start(store: Arc<dyn Store>) {
    let article = published_article(&*store, "live-start").await;
    assert_eq!(store.last_published_id(article.id).await.expect("empty"), None);
    let first = comment(&*store, article.id, None).await;
    let reply = comment(&*store, article.id, Some(first.id)).await;
    store.create_comment(&new_comment(article.id, None, CommentStatus::Pending)).await.expect("pending");
    assert_eq!(store.last_published_id(article.id).await.expect("last"), Some(reply.id), "pending ones do not count");
}
