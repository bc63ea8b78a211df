//! Retraining the scorer on the site's own labelled examples (moderators'
//! decisions and suggested scores) on top of the public data, weighted so
//! the site's norms win. A held-out slice of the site's examples judges the
//! new model against the one in use; the new one is kept only if it is not
//! worse there.

use sha2::{Digest, Sha256};
use tribune_moderation::datasets::PublicSets;
use tribune_moderation::evaluation::{metrics::roc_auc, shipped_examples};
use tribune_moderation::scorer::{Attribute, Model};
use tribune_moderation::training::recipe::SITE_DECISION_WEIGHT;
use tribune_moderation::training::{train, Example, Labels, TrainOptions};
use tribune_store::{DbError, LabelledExample, PerspectiveStore};

/// One in this many of the site's examples is held out to judge the models.
const HELD_OUT_ONE_IN: u8 = 5;
/// Fewer held-out examples than this (of each kind, for some attribute)
/// judge nothing.
const MIN_HELD_OUT_EACH: usize = 3;
/// Examples read per query.
const PAGE: u32 = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum RetrainError {
    #[error(
        "not enough of the site's own examples to judge a new model: {held_out} held out, and an attribute needs at \
         least {MIN_HELD_OUT_EACH} flagged and {MIN_HELD_OUT_EACH} not; keep moderating and try again"
    )]
    TooFewExamples { held_out: usize },
    #[error(transparent)]
    Store(#[from] DbError),
}

/// What a retrain found.
#[derive(Debug)]
pub struct Retrained {
    pub model: Model,
    pub site_examples: usize,
    pub held_out: usize,
    /// Mean ROC-AUC over the attributes the held-out slice can judge.
    pub current_auc: f64,
    pub new_auc: f64,
}

impl Retrained {
    /// Whether the new model may replace the current one.
    pub fn not_worse(&self) -> bool {
        self.new_auc >= self.current_auc
    }
}

/// Every kept example with text, as a training example.
pub async fn site_examples(store: &dyn PerspectiveStore) -> Result<Vec<Example>, DbError> {
    let mut examples = Vec::new();
    let mut after = 0;
    loop {
        let page = store.examples(after, PAGE).await?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        examples.extend(page.into_iter().filter_map(|(_, example)| as_training(example)));
    }
    Ok(examples)
}

fn as_training(example: LabelledExample) -> Option<Example> {
    let text = example.text.filter(|t| !t.trim().is_empty())?;
    let mut labels = Labels::unknown();
    for (name, value) in &example.labels {
        if let Some(attribute) = Attribute::parse(name) {
            labels.set(attribute, Some(*value >= 0.5));
        }
    }
    Some(Example::new(text, labels, SITE_DECISION_WEIGHT, "site"))
}

/// A stable pick by text, so a comment is always on the same side.
fn held_out(example: &Example) -> bool {
    Sha256::digest(example.text.as_bytes())[0] % HELD_OUT_ONE_IN == 0
}

/// Mean ROC-AUC of `model` on `examples`, over the attributes they judge.
fn mean_auc(model: &Model, examples: &[&Example], attributes: &[Attribute]) -> f64 {
    let scores: Vec<_> = examples.iter().map(|e| model.score(&e.text)).collect();
    let aucs: Vec<f64> = attributes
        .iter()
        .filter_map(|&attribute| {
            let points: Vec<(f32, bool)> = examples
                .iter()
                .zip(&scores)
                .filter_map(|(e, s)| e.labels.get(attribute).map(|y| (s.get(attribute), y)))
                .collect();
            roc_auc(&points)
        })
        .collect();
    aucs.iter().sum::<f64>() / aucs.len().max(1) as f64
}

/// Trains on the public sets and the site's examples but the held-out
/// slice, and judges the result and `current` on that slice.
pub fn retrain(sets: &PublicSets, site: &[Example], current: &Model) -> Result<Retrained, RetrainError> {
    let (held, fit): (Vec<&Example>, Vec<&Example>) = site.iter().partition(|e| held_out(e));
    let judged: Vec<Attribute> = Attribute::ALL
        .into_iter()
        .filter(|&attribute| {
            let count = |flag: bool| held.iter().filter(|e| e.labels.get(attribute) == Some(flag)).count();
            count(true) >= MIN_HELD_OUT_EACH && count(false) >= MIN_HELD_OUT_EACH
        })
        .collect();
    if judged.is_empty() {
        return Err(RetrainError::TooFewExamples { held_out: held.len() });
    }
    let mut examples = shipped_examples(sets);
    examples.extend(fit.iter().map(|e| (*e).clone()));
    let options = TrainOptions {
        description: format!("retrained by `tribune moderation retrain` with {} of the site's examples", fit.len()),
        ..TrainOptions::default()
    };
    let model = train(&examples, &options);
    Ok(Retrained {
        current_auc: mean_auc(current, &held, &judged),
        new_auc: mean_auc(&model, &held, &judged),
        model,
        site_examples: site.len(),
        held_out: held.len(),
    })
}
