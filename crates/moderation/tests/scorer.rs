//! The scorer and its trainer as the rest of Tribune uses them: the shipped
//! model, explanations, odd inputs, and training on the small fixture
//! copies of the public sets (tests/fixtures/data, see its SOURCE.md).

use std::path::Path;
use tribune_moderation::datasets::PublicSets;
use tribune_moderation::evaluation::{metrics::roc_auc, shipped_examples};
use tribune_moderation::scorer::{Attribute, Model, ModelError, SpanScore};
use tribune_moderation::training::{train, Example, TrainOptions};

fn fixtures() -> PublicSets {
    PublicSets::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data")).expect("fixture sets load")
}

fn toxicity(text: &str) -> f32 {
    Model::default_model().score(text).get(Attribute::Toxicity)
}

#[test]
fn the_shipped_model_tells_abuse_from_discussion() {
    let abusive = ["you are a complete idiot and I hope you die", "shut up you stupid moron", "what a f*cking loser"];
    let civil = [
        "Thanks for the thoughtful article.",
        "I disagree with the council's decision on the bridge.",
        "The vote is on Tuesday.",
    ];
    for text in abusive {
        assert!(toxicity(text) > 0.7, "{text}: {}", toxicity(text));
    }
    for text in civil {
        assert!(toxicity(text) < 0.3, "{text}: {}", toxicity(text));
    }
}

#[test]
fn disguised_abuse_scores_like_plain_abuse() {
    let plain = toxicity("you are an idiot");
    for disguised in ["you are an 1d10t", "you are an i.d.i.o.t", "you are an idiooooot", "you are an id\u{200B}iot"] {
        assert!(
            toxicity(disguised) > 0.5 && (toxicity(disguised) - plain).abs() < 0.3,
            "{disguised}: {} vs {plain}",
            toxicity(disguised)
        );
    }
}

#[test]
fn spam_is_told_from_comments() {
    let model = Model::default_model();
    let spam =
        model.score("Check out my channel and subscribe!!! Earn $500 a day at www.easy-cash.biz").get(Attribute::Spam);
    let comment = model.score("The mayor should explain why the budget for schools went down.").get(Attribute::Spam);
    assert!(spam > 0.7 && comment < 0.3, "spam {spam}, comment {comment}");
}

#[test]
fn empty_emoji_and_invisible_texts_score_low_without_panicking() {
    let model = Model::default_model();
    for text in ["", "   ", "🙂🙂🙂", "\u{200B}\u{200D}\u{FEFF}", "!!!"] {
        let scores = model.score(text);
        for (attribute, score) in scores.iter() {
            assert!(score < 0.2, "{text:?} {attribute}: {score}");
        }
        assert!(model.spans(text, Attribute::Toxicity).is_empty());
    }
}

#[test]
fn huge_texts_are_scored_on_their_first_20_kilobytes() {
    let model = Model::default_model();
    let head = "The harbour wall is repaired and the ferry runs again. ".repeat(400);
    assert!(head.len() > 20 * 1024);
    let with_tail = format!("{head}{}", " you idiot".repeat(1000));
    assert_eq!(model.score(&head), model.score(&with_tail), "nothing after 20 KB counts");
    // A multi-byte character straddling the cut does not panic.
    let _ = model.score(&"é".repeat(30_000));
    let _ = model.spans(&"é".repeat(30_000), Attribute::Toxicity);
}

#[test]
fn every_score_is_a_probability() {
    let model = Model::default_model();
    for text in ["hello", "FUCK YOU", "buy now www.x.com", "ÅÅÅ ∑∑∑ 漢字 テスト", "a\nb\r\nc\t"] {
        for (attribute, score) in model.score(text).iter() {
            assert!((0.0..=1.0).contains(&score), "{text:?} {attribute}: {score}");
        }
    }
}

#[test]
fn spans_point_at_the_words_that_raised_the_score() {
    let text = "you are a complete idiot and I hope you die";
    let model = Model::default_model();
    let mut spans = model.spans(text, Attribute::Toxicity);
    spans.sort_by(|a, b| b.score.total_cmp(&a.score));
    let top: Vec<&str> = spans.iter().take(2).map(|s| &text[s.begin..s.end]).collect();
    assert!(top.contains(&"idiot") && top.contains(&"die"), "top spans {top:?} of {spans:?}");
    let threat = model.spans(text, Attribute::Threat);
    let best = threat.iter().max_by(|a, b| a.score.total_cmp(&b.score)).expect("a threat span");
    assert_eq!(&text[best.begin..best.end], "die");
}

#[test]
fn naming_a_group_scores_the_same_whichever_group_it_is() {
    let model = Model::default_model();
    let groups = ["Muslim", "Jewish", "gay", "Black", "Mexican", "Catholic", "deaf", "female", "lesbian", "Hindu"];
    let baseline = model.score("I am a Christian woman and I volunteer at the library.");
    for group in groups {
        let scores = model.score(&format!("I am a {group} woman and I volunteer at the library."));
        for attribute in Attribute::ALL {
            assert_eq!(scores.get(attribute), baseline.get(attribute), "{group}, {attribute:?}");
        }
    }
    // What is said still counts: an insult aimed at a group is scored on the insult.
    assert!(toxicity("Muslims are stupid idiots") > toxicity("Muslims are our neighbours") + 0.3);
}

#[test]
fn spans_mark_the_words_that_decided_the_score_not_their_neighbours() {
    let model = Model::default_model();
    for (text, decided) in [
        ("Muslims are stupid idiots", vec!["stupid", "idiots"]),
        ("gay people are disgusting", vec!["disgusting"]),
        ("The council is a bunch of corrupt idiots who should resign", vec!["idiots"]),
    ] {
        let marked: Vec<&str> = model.spans(text, Attribute::Toxicity).iter().map(|s| &text[s.begin..s.end]).collect();
        assert_eq!(marked, decided, "{text}");
    }
}

#[test]
fn spans_map_disguised_words_back_to_the_original_text() {
    let text = "Well, Y0U are an 1D10T!";
    let spans: Vec<SpanScore> = Model::default_model().spans(text, Attribute::Insult);
    let best = spans.iter().max_by(|a, b| a.score.total_cmp(&b.score)).expect("a span");
    assert_eq!(&text[best.begin..best.end], "1D10T");
    assert!(spans.iter().all(|s| text.is_char_boundary(s.begin) && text.is_char_boundary(s.end) && s.begin < s.end));
}

#[test]
fn the_shipped_model_round_trips_and_corruption_is_an_error() {
    let model = Model::default_model();
    let bytes = model.to_bytes();
    assert_eq!(&Model::from_bytes(&bytes).expect("reads back"), model);
    assert!(model.memory_bytes() < 50 * 1024 * 1024);
    let mut corrupt = bytes.clone();
    corrupt[bytes.len() / 3] ^= 0xff;
    assert_eq!(Model::from_bytes(&corrupt), Err(ModelError::ChecksumMismatch));
    assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
}

#[test]
fn a_model_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Model>();
}

fn fixture_options() -> TrainOptions {
    TrainOptions { hash_bits: 16, epochs: 10, ..TrainOptions::default() }
}

#[test]
fn training_on_the_same_examples_gives_the_same_file_byte_for_byte() {
    let examples = shipped_examples(&fixtures());
    assert!(examples.len() > 300, "{} examples", examples.len());
    let first = train(&examples, &fixture_options()).to_bytes();
    let second = train(&examples, &fixture_options()).to_bytes();
    assert!(first == second, "two trainings differ");
}

#[test]
fn training_on_the_fixtures_learns_toxicity_and_spam() {
    // Every fifth example is held out; the model never sees it.
    let examples = shipped_examples(&fixtures());
    let test: Vec<&Example> = examples.iter().step_by(5).collect();
    let fit: Vec<Example> = examples.iter().enumerate().filter(|(i, _)| i % 5 != 0).map(|(_, e)| e.clone()).collect();
    let model = train(&fit, &fixture_options());
    for (attribute, floor) in [(Attribute::Toxicity, 0.65), (Attribute::Spam, 0.75)] {
        let points: Vec<(f32, bool)> = test
            .iter()
            .filter_map(|e| e.labels.get(attribute).map(|label| (model.score(&e.text).get(attribute), label)))
            .collect();
        let auc = roc_auc(&points).expect("both classes held out");
        assert!(auc > floor, "{attribute}: held-out ROC-AUC {auc:.3} on {} examples", points.len());
    }
}

#[test]
fn site_decisions_outweigh_the_public_sets() {
    use tribune_moderation::training::recipe::{site_decisions, SITE_DECISION_WEIGHT};
    let sets = fixtures();
    let phrase = "go back to the kitchen";
    let before = train(&shipped_examples(&sets), &fixture_options()).score(phrase).get(Attribute::Toxicity);
    let decisions: Vec<(String, bool)> = (0..30).map(|i| (format!("{phrase} {i}"), true)).collect();
    let mut examples = shipped_examples(&sets);
    examples.extend(site_decisions(&decisions, &sets.profanity_words, SITE_DECISION_WEIGHT));
    let after = train(&examples, &fixture_options()).score(phrase).get(Attribute::Toxicity);
    assert!(after > before + 0.2 && after > 0.5, "before {before}, after {after}");
}
