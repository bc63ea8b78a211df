//! Full-text search over published articles, the same on every backend.

use crate::fixtures::{new_article, unique, unique_slug};
use std::sync::Arc;
use tribune_domain::{Headline, SearchTerms, Timestamp};
use tribune_store::{SearchQuery, Store};

/// A word of letters only that no other story writes.
fn marker() -> String {
    format!("{:x}", unique()).chars().map(|c| char::from(b'a' + c.to_digit(16).unwrap_or(0) as u8)).collect()
}

async fn article(store: &dyn Store, headline: &str, body: &str, at: Option<Timestamp>) -> String {
    let mut article = new_article(&unique_slug("found"), at);
    article.headline = Headline::parse(headline).expect("headline");
    article.body_markdown = body.to_owned();
    store.create_article(&article).await.expect("create").slug
}

async fn search(store: &dyn Store, words: &str, limit: u32, offset: u32) -> Vec<String> {
    let query = SearchQuery { terms: SearchTerms::parse(words).expect("words"), now: Timestamp::now(), limit, offset };
    store.search_articles(&query).await.expect("search").into_iter().map(|hit| hit.article.slug).collect()
}

pub async fn search_finds_published_articles_with_every_word_headlines_first(store: Arc<dyn Store>) {
    let m = marker();
    let store = store.as_ref();
    let past = Some(Timestamp(1_700_000_000_000));
    let in_body = article(store, "Council meets", &format!("The {m} bridge was closed for repairs."), past).await;
    let in_headline = article(store, &format!("{m} bridge reopens"), "Traffic is back.", past).await;
    article(store, &format!("{m} alone"), "Nothing else here.", past).await;
    article(store, &format!("{m} bridge draft"), "Not out yet.", None).await;
    article(store, &format!("{m} bridge tomorrow"), "Scheduled.", Some(Timestamp(i64::MAX / 2))).await;

    let expected = vec![in_headline.clone(), in_body.clone()];
    assert_eq!(search(store, &format!("{m} bridge"), 10, 0).await, expected, "every word, headline first");
    assert_eq!(search(store, &format!("{} BRIDGES", m.to_uppercase()), 10, 0).await, expected, "stemmed, any case");
    assert_eq!(search(store, &format!("\"{m}\" -bridge*"), 10, 0).await, expected, "punctuation is no syntax");
    assert_eq!(search(store, &format!("{m} bridge"), 1, 1).await, vec![in_body.clone()], "paged");
    assert!(search(store, &format!("{m} tunnel"), 10, 0).await.is_empty());

    let query = SearchQuery { terms: SearchTerms::parse(&m).unwrap(), now: Timestamp::now(), limit: 10, offset: 0 };
    let hits = store.search_articles(&query).await.expect("search");
    let hit = hits.iter().find(|h| h.article.slug == in_body).expect("the body match");
    assert!(hit.body_markdown.contains("was closed for repairs"), "the text comes along for snippets");
}
