//! How long the shipped model takes to score a comment of average length
//! (news comments in Civil Comments average about 300 characters), a short
//! one, a long one, and to explain one. `cargo bench -p tribune-moderation --bench scorer`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tribune_moderation::scorer::{Attribute, Model};

const AVERAGE: &str = "I've read the article twice and I still don't see how the council expects to pay for the new \
bridge without raising property taxes again. Last year they promised the ferry would be enough, and now this? \
Somebody should ask the mayor why the budget numbers changed between March and June. Honestly, what a joke.";

fn scoring(c: &mut Criterion) {
    let model = Model::default_model();
    assert!((280..=340).contains(&AVERAGE.len()));
    c.bench_function("score average comment (300 chars)", |b| b.iter(|| model.score(black_box(AVERAGE))));
    c.bench_function("score short comment (40 chars)", |b| {
        b.iter(|| model.score(black_box("You are a complete idiot, go away!!")))
    });
    let long = AVERAGE.repeat(7);
    c.bench_function("score long comment (2,100 chars)", |b| b.iter(|| model.score(black_box(&long))));
    c.bench_function("spans of average comment", |b| b.iter(|| model.spans(black_box(AVERAGE), Attribute::Toxicity)));
}

criterion_group!(benches, scoring);
criterion_main!(benches);
