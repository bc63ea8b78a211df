//! Corrections: appended to an article, read back in order, listed site-wide.

use crate::fixtures::{new_article, published_article, unique_slug};
use std::sync::Arc;
use tribune_domain::{ArticleId, Timestamp};
use tribune_store::{CorrectionPage, DbError, NewCorrection, Store};

fn correction(article: ArticleId, note: &str, at: i64) -> NewCorrection {
    NewCorrection { article_id: article, note: note.to_owned(), created_at: Timestamp(at), created_by: None }
}

pub async fn corrections_are_appended_to_their_article_and_read_back_oldest_first(store: Arc<dyn Store>) {
    let article = published_article(store.as_ref(), "corrected").await;
    let other = published_article(store.as_ref(), "untouched").await;
    let first = store.add_correction(&correction(article.id, "First *note*.", 1_700_000_100_000)).await.expect("add");
    let second = store.add_correction(&correction(article.id, "Second note.", 1_700_000_200_000)).await.expect("add");
    assert_eq!(
        (first.article_id, first.note.as_str(), first.created_at.0),
        (article.id, "First *note*.", 1_700_000_100_000)
    );
    assert!(second.id > first.id);

    let kept = store.corrections_of(article.id).await.expect("read");
    assert_eq!(kept, vec![first, second], "oldest first, as written");
    assert!(store.corrections_of(other.id).await.expect("read").is_empty());

    let unknown = store.add_correction(&correction(ArticleId(i64::MAX - 7), "Nowhere.", 1)).await;
    assert!(matches!(unknown, Err(DbError::NotFound)), "{unknown:?}");
}

pub async fn the_correction_list_is_newest_first_in_pages_without_unpublished_articles(store: Arc<dyn Store>) {
    let now = Timestamp(1_900_000_000_000);
    let published = published_article(store.as_ref(), "listed-correction").await;
    let draft = store.create_article(&new_article(&unique_slug("draft-correction"), None)).await.expect("draft");
    let mut ids = Vec::new();
    for n in 0..5 {
        let added = store.add_correction(&correction(published.id, &format!("Note {n}"), now.0 - 1_000 + n)).await;
        ids.push(added.expect("add").id);
    }
    // Stored directly (the use case refuses it): a draft's notes are not listed.
    store.add_correction(&correction(draft.id, "On a draft", now.0 - 10)).await.expect("add");
    // Nor are notes dated after `now`.
    store.add_correction(&correction(published.id, "Later", now.0 + 1)).await.expect("add");

    let page = CorrectionPage { now, before: None, limit: 3 };
    let first = store.list_corrections(&page).await.expect("first page");
    let notes: Vec<&str> = first.iter().map(|c| c.correction.note.as_str()).collect();
    assert_eq!(notes, ["Note 4", "Note 3", "Note 2"]);
    assert_eq!(
        (first[0].article_slug.as_str(), first[0].article_headline.as_str()),
        (published.slug.as_str(), published.headline.as_str())
    );
    let next = CorrectionPage { before: Some(first[2].correction.id), ..page };
    let second: Vec<i64> =
        store.list_corrections(&next).await.expect("second page").iter().map(|c| c.correction.id).collect();
    assert_eq!(second[..2], [ids[1], ids[0]]);
}
