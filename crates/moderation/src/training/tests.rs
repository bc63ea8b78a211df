use super::*;

fn toy_examples() -> Vec<Example> {
    let toxic = ["you are an idiot", "shut up you moron", "what a stupid idiot", "idiot troll go away", "moron"];
    let clean =
        ["thanks for the article", "I agree with the mayor", "the bridge opens in May", "good point", "see you"];
    let mut examples = Vec::new();
    for round in 0..20 {
        for t in toxic {
            examples.push(Example::new(
                format!("{t} {round}"),
                Labels::unknown().with(Attribute::Toxicity, true),
                1.0,
                "toy",
            ));
        }
        for t in clean {
            examples.push(Example::new(
                format!("{t} {round}"),
                Labels::unknown().with(Attribute::Toxicity, false),
                1.0,
                "toy",
            ));
        }
    }
    examples
}

fn small_options() -> TrainOptions {
    TrainOptions { hash_bits: 12, epochs: 4, ..TrainOptions::default() }
}

#[test]
fn the_same_examples_give_the_same_model_file() {
    let examples = toy_examples();
    let first = train(&examples, &small_options()).to_bytes();
    let second = train(&examples, &small_options()).to_bytes();
    assert_eq!(first, second);
    let other_seed = train(&examples, &TrainOptions { seed: 7, ..small_options() }).to_bytes();
    assert_ne!(first, other_seed, "the seed is used");
}

#[test]
fn a_model_learns_what_its_examples_teach() {
    let model = train(&toy_examples(), &small_options());
    let toxic = model.score("such an idiot").get(Attribute::Toxicity);
    let clean = model.score("thanks, good article").get(Attribute::Toxicity);
    assert!(toxic > clean + 0.3, "toxic {toxic} clean {clean}");
}

#[test]
fn heavier_examples_win() {
    // The same text labelled both ways: the heavier label wins.
    let mut examples = toy_examples();
    for _ in 0..10 {
        examples.push(Example::new("send the bill", Labels::unknown().with(Attribute::Toxicity, true), 8.0, "site"));
        examples.push(Example::new("send the bill", Labels::unknown().with(Attribute::Toxicity, false), 1.0, "public"));
    }
    // No calibration slice, so every copy of the disputed text trains.
    let model = train(&examples, &TrainOptions { calibration_share: 0.0, ..small_options() });
    assert!(model.score("send the bill").get(Attribute::Toxicity) > 0.5);
}
