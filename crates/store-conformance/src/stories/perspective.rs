//! API keys (kept as hashes, revoked for good) and the labelled examples
//! kept for retraining. Stories share a database, so each uses unique hashes.

use crate::fixtures::{new_comment, published_article};
use crate::stories::moderation::audit;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tribune_domain::{CommentStatus, Timestamp};
use tribune_store::{DbError, ExampleSource, LabelledExample, NewApiKey, Store};

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}-{nanos:x}")
}

pub async fn an_api_key_is_found_by_its_hash_until_revoked(store: Arc<dyn Store>) {
    let s = &*store;
    let hash = unique("hash");
    let new = NewApiKey {
        name: "Coral <prod>".to_owned(),
        key_hash: hash.clone(),
        created_by: "admin".to_owned(),
        created_at: Timestamp(1_000),
    };
    let key = s.create_api_key(&new, &audit("api_key.create", None, String::new())).await.unwrap();
    assert_eq!((key.name.as_str(), key.created_by.as_str(), key.revoked_at), ("Coral <prod>", "admin", None));
    assert_eq!(s.active_api_key(&hash).await.unwrap().map(|k| k.id), Some(key.id));
    assert!(s.active_api_key(&unique("other")).await.unwrap().is_none());
    assert!(s.api_keys().await.unwrap().iter().any(|k| k.id == key.id));

    let taken = s.create_api_key(&new, &audit("api_key.create", None, String::new())).await;
    assert!(matches!(taken, Err(DbError::Conflict { .. })), "a hash is unique: {taken:?}");

    s.revoke_api_key(key.id, Timestamp(2_000), &audit("api_key.revoke", None, key.id.to_string())).await.unwrap();
    s.revoke_api_key(key.id, Timestamp(3_000), &audit("api_key.revoke", None, key.id.to_string())).await.unwrap();
    assert!(s.active_api_key(&hash).await.unwrap().is_none(), "a revoked key no longer answers");
    let listed = s.api_keys().await.unwrap().into_iter().find(|k| k.id == key.id).unwrap();
    assert_eq!(listed.revoked_at, Some(Timestamp(2_000)), "the first revocation is kept");
    let missing = s.revoke_api_key(i64::MAX, Timestamp(1), &audit("api_key.revoke", None, String::new())).await;
    assert!(matches!(missing, Err(DbError::NotFound)));
}

pub async fn labelled_examples_keep_their_labels_source_and_optional_text(store: Arc<dyn Store>) {
    let s = &*store;
    let text = unique("you are ✨ wonderful");
    let kept = LabelledExample {
        text: Some(text.clone()),
        comment_id: None,
        labels: vec![("TOXICITY".to_owned(), 0.0), ("INSULT".to_owned(), 0.25)],
        source: ExampleSource::SuggestScore,
        created_at: Timestamp(5),
    };
    let first = s.add_example(&kept).await.unwrap();
    let private = LabelledExample { text: None, source: ExampleSource::Moderator, ..kept.clone() };
    let second = s.add_example(&private).await.unwrap();
    assert!(second > first);

    let read = s.examples(first - 1, 1_000).await.unwrap();
    let mine: Vec<_> = read.into_iter().filter(|(id, _)| *id == first || *id == second).collect();
    assert_eq!(mine.len(), 2);
    let mut labels = mine[0].1.labels.clone();
    labels.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(labels, vec![("INSULT".to_owned(), 0.25), ("TOXICITY".to_owned(), 0.0)]);
    assert_eq!((mine[0].1.text.as_deref(), mine[0].1.source), (Some(text.as_str()), ExampleSource::SuggestScore));
    assert_eq!((mine[1].1.text.as_deref(), mine[1].1.source), (None, ExampleSource::Moderator));
    assert!(s.examples(second, 1_000).await.unwrap().iter().all(|(id, _)| *id > second));

    // A moderator's decision names its comment, whose text is read as it is now.
    let article = published_article(s, "examples").await;
    let comment = s.create_comment(&new_comment(article.id, None, CommentStatus::Pending)).await.unwrap();
    let decision = LabelledExample { text: None, comment_id: Some(comment.id), ..private };
    let third = s.add_example(&decision).await.unwrap();
    let read = s.examples(third - 1, 1).await.unwrap();
    assert_eq!(read[0].0, third);
    assert_eq!(read[0].1.text.as_deref(), Some(comment.body_markdown.as_str()));
    assert_eq!(read[0].1.comment_id, Some(comment.id));
}
