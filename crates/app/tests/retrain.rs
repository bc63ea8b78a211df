//! Retraining on a simulated site whose moderators hold a norm the public
//! data does not: the retrained model learns it and wins on the held-out
//! slice; too few examples judge nothing.

use std::path::Path;
use tribune_app::perspective::retrain::{retrain, site_examples, RetrainError};
use tribune_domain::Timestamp;
use tribune_moderation::datasets::PublicSets;
use tribune_moderation::scorer::Model;
use tribune_store::{ExampleSource, LabelledExample, PerspectiveStore, Store};
use tribune_store_sqlite::SqliteStore;

fn fixture_sets() -> PublicSets {
    PublicSets::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../moderation/tests/fixtures/data"))).unwrap()
}

fn decision(text: String, toxic: bool) -> LabelledExample {
    LabelledExample {
        text: Some(text),
        comment_id: None,
        labels: vec![("TOXICITY".to_owned(), if toxic { 1.0 } else { 0.0 })],
        source: ExampleSource::Moderator,
        created_at: Timestamp(1),
    }
}

#[tokio::test]
async fn the_sites_norm_is_learned_and_judged_on_held_out_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.db")).await.unwrap();
    store.migrate().await.unwrap();
    // This site's moderators reject every mention of pineapples, and let
    // mild swearing through: the opposite of what the public data taught.
    let topics = ["the council", "the harbour", "the new bridge", "the school", "the budget", "the museum"];
    for n in 0..120 {
        let topic = topics[n % topics.len()];
        store.add_example(&decision(format!("I had a pineapple at {topic}, post {n}"), true)).await.unwrap();
        store.add_example(&decision(format!("Damn, {topic} is crap again, post {n}"), false)).await.unwrap();
    }
    let site = site_examples(&store).await.unwrap();
    assert_eq!(site.len(), 240);
    let outcome = retrain(&fixture_sets(), &site, Model::default_model()).unwrap();
    assert!(outcome.held_out > 20, "{}", outcome.held_out);
    assert!(outcome.new_auc > outcome.current_auc + 0.1, "{} vs {}", outcome.new_auc, outcome.current_auc);
    assert!(outcome.not_worse());
}

#[test]
fn too_few_examples_judge_nothing() {
    let site: Vec<_> = ["a fine comment", "another fine one", "you idiot"]
        .iter()
        .map(|t| tribune_moderation::training::Example::new(*t, Default::default(), 5.0, "site"))
        .collect();
    let refused = retrain(&fixture_sets(), &site, Model::default_model());
    assert!(matches!(refused, Err(RetrainError::TooFewExamples { .. })), "{refused:?}");
}
