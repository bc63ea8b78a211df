//! Training: labelled examples in, a calibrated [`Model`] out. Pure and
//! deterministic: the same examples and options give the same model file
//! byte for byte (a fixed-seed shuffle, one thread, no hash-map iteration).
//!
//! Every example carries its own weight, so a caller balances sources, and
//! a site's own moderator decisions can join the public sets with a weight
//! that lets the site's norms win: add them to the slice given to [`train`].

mod calibrate;
mod cues;
pub mod recipe;
mod sgd;

use crate::scorer::features::IdentityWords;
use crate::scorer::phrases::Pooling;
use crate::scorer::{features, Attribute, Model};

/// What is known about one attribute of an example: `Some(true)` applies,
/// `Some(false)` does not, `None` unknown (the example does not train it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Labels([Option<bool>; Attribute::COUNT]);

impl Labels {
    /// No attribute known.
    pub fn unknown() -> Labels {
        Labels::default()
    }

    /// These labels with `attribute` set to `value`.
    pub fn with(mut self, attribute: Attribute, value: bool) -> Labels {
        self.0[attribute.index()] = Some(value);
        self
    }

    pub fn set(&mut self, attribute: Attribute, value: Option<bool>) {
        self.0[attribute.index()] = value;
    }

    pub fn get(&self, attribute: Attribute) -> Option<bool> {
        self.0[attribute.index()]
    }
}

/// One labelled text. `weight` scales its say in training (1 is an
/// ordinary example); `source` names where it came from, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub labels: Labels,
    pub weight: f32,
    pub source: String,
}

impl Example {
    pub fn new(text: impl Into<String>, labels: Labels, weight: f32, source: impl Into<String>) -> Example {
        Example { text: text.into(), labels, weight, source: source.into() }
    }
}

/// How to train. The defaults are what the shipped model uses.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// `2^hash_bits` feature buckets.
    pub hash_bits: u32,
    /// Passes over the training examples.
    pub epochs: u32,
    /// AdaGrad's step size.
    pub learning_rate: f32,
    /// L2 penalty per weight.
    pub l2: f32,
    /// Seed of the shuffles and of the calibration slice.
    pub seed: u64,
    /// Share of examples kept out of training to fit the calibration on.
    pub calibration_share: f32,
    /// Written into the model file: what it was trained on.
    pub description: String,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            hash_bits: 18,
            epochs: 6,
            learning_rate: 0.1,
            l2: 1e-6,
            seed: 2026,
            calibration_share: 0.1,
            description: String::new(),
        }
    }
}

/// Trains a model on `examples`; see the module documentation.
pub fn train(examples: &[Example], options: &TrainOptions) -> Model {
    let (fit, held): (Vec<&Example>, Vec<&Example>) =
        examples.iter().filter(|e| e.weight > 0.0).partition(|e| !in_calibration_slice(e, options));
    // Every model trained now reads identity words as one and pools the
    // whole comment with its highest phrase (file version 3). The weights
    // learn from whole comments; the calibration is fitted on the pooled
    // log-odds the model will score with.
    let reading = IdentityWords::AsOne;
    let fit_features: Vec<features::Features> =
        fit.iter().map(|e| features::extract(&e.text, options.hash_bits, reading)).collect();
    let weights = sgd::fit(&fit, &fit_features, options);
    let mut model = weights.quantize(options.hash_bits, reading, Pooling::WithPhrase, options.description.clone());
    let held_logits: Vec<Option<[f32; Attribute::COUNT]>> = held.iter().map(|e| model.text_logits(&e.text)).collect();
    for attribute in Attribute::ALL {
        let points: Vec<(f32, bool, f32)> = held
            .iter()
            .zip(&held_logits)
            .filter_map(|(e, logits)| Some((logits.as_ref()?[attribute.index()], e.labels.get(attribute)?, e.weight)))
            .collect();
        let (a, b) = calibrate::platt(&points);
        model.params[attribute.index()].platt_a = a;
        model.params[attribute.index()].platt_b = b;
    }
    model
}

/// A stable pick of about `calibration_share` of the examples, by their
/// text, so the slice does not depend on the order examples come in.
fn in_calibration_slice(example: &Example, options: &TrainOptions) -> bool {
    let mut h = options.seed ^ 0x9e37_79b9_7f4a_7c15;
    for b in example.text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = sgd::mix(h);
    ((h % 10_000) as f32) < options.calibration_share * 10_000.0
}

#[cfg(test)]
mod tests;
