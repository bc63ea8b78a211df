//! Tuning without touching evaluation rows: trains on 90 % of the shipped
//! recipe's examples (the Wikipedia context files gc/gn left out entirely,
//! as they are the Perspective comparison) and prints ROC-AUC per source
//! on the other 10 %.
//!
//! `cargo run --release -p tribune-moderation --example validate -- DATA [epochs] [learning_rate] [l2] [hash_bits]`

use std::collections::BTreeMap;
use tribune_moderation::datasets::PublicSets;
use tribune_moderation::evaluation::{eval_only_texts, metrics::roc_auc};
use tribune_moderation::scorer::Attribute;
use tribune_moderation::training::recipe::{public_examples, Recipe, Source};
use tribune_moderation::training::{train, TrainOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let data = args.get(1).ok_or("usage: validate DATA [epochs] [learning_rate] [l2] [hash_bits]")?;
    let mut options = TrainOptions::default();
    if let Some(epochs) = args.get(2) {
        options.epochs = epochs.parse()?;
    }
    if let Some(rate) = args.get(3) {
        options.learning_rate = rate.parse()?;
    }
    if let Some(l2) = args.get(4) {
        options.l2 = l2.parse()?;
    }
    if let Some(bits) = args.get(5) {
        options.hash_bits = bits.parse()?;
    }
    let sets = PublicSets::load(std::path::Path::new(data))?;
    let recipe =
        Recipe { without: [Source::WikiGc, Source::WikiGn].into(), never: eval_only_texts(&sets), ..Recipe::default() };
    let examples = public_examples(&sets, &recipe);
    // Every tenth example by position (the recipe's order is fixed) validates.
    let (validation, fit): (Vec<_>, Vec<_>) = examples.into_iter().enumerate().partition(|(i, _)| i % 10 == 3);
    let fit: Vec<_> = fit.into_iter().map(|(_, e)| e).collect();
    let model = train(&fit, &options);
    let mut by_source: BTreeMap<(String, Attribute), Vec<(f32, bool)>> = BTreeMap::new();
    for (_, example) in &validation {
        let scores = model.score(&example.text);
        for attribute in Attribute::ALL {
            if let Some(label) = example.labels.get(attribute) {
                by_source.entry((example.source.clone(), attribute)).or_default().push((scores.get(attribute), label));
            }
        }
    }
    println!("{options:?}");
    for ((source, attribute), points) in by_source {
        if let Some(auc) = roc_auc(&points) {
            println!("{source:45} {attribute:16} {:6} {auc:.4}", points.len());
        }
    }
    Ok(())
}
