//! The model: quantized weights per hashed bucket and attribute, a bias and
//! a Platt calibration per attribute.

use super::features::{self, Features, IdentityWords};
use super::Attribute;
use crate::normalize::normalize;
use std::sync::OnceLock;

/// Weights per bucket: one per attribute, padded to eight so that a
/// bucket's weights are one aligned load.
pub(crate) const SLOTS: usize = 8;

/// A comment's probability for each attribute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores([f32; Attribute::COUNT]);

impl Scores {
    /// The probability, in `0..=1`, that raters would say `attribute` applies.
    pub fn get(&self, attribute: Attribute) -> f32 {
        self.0[attribute.index()]
    }

    /// Every attribute with its score, in [`Attribute::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Attribute, f32)> + '_ {
        Attribute::ALL.into_iter().map(|a| (a, self.get(a)))
    }
}

/// A part of a comment that raised an attribute's score: bytes
/// `begin..end` of the original text, and the score the part has alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpanScore {
    pub begin: usize,
    pub end: usize,
    pub score: f32,
}

/// How one attribute's weights become a probability: `logit = bias +
/// scale * Σ value·weight`, then `p = sigmoid(platt_a * logit + platt_b)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AttributeParams {
    pub scale: f32,
    pub bias: f32,
    pub platt_a: f32,
    pub platt_b: f32,
}

/// A loaded scorer. Cheap to share: it is `Send + Sync` and scoring takes
/// `&self`.
#[derive(Clone, PartialEq)]
pub struct Model {
    pub(crate) hash_bits: u32,
    pub(crate) identity_words: IdentityWords,
    /// `SLOTS` weights per bucket.
    pub(crate) weights: Vec<i8>,
    pub(crate) params: [AttributeParams; Attribute::COUNT],
    /// What the model was trained on, for people reading `tribune moderation`'s output.
    pub(crate) description: String,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("hash_bits", &self.hash_bits).field("description", &self.description).finish()
    }
}

static DEFAULT_MODEL: &[u8] = include_bytes!("../../model/default.model");

impl Model {
    /// The model shipped with Tribune, parsed once. A test checks that the
    /// embedded file parses, so a failure here is a broken build.
    pub fn default_model() -> &'static Model {
        static PARSED: OnceLock<Model> = OnceLock::new();
        PARSED.get_or_init(|| match Model::from_bytes(DEFAULT_MODEL) {
            Ok(model) => model,
            Err(error) => panic!("the embedded default model is broken: {error}"),
        })
    }

    /// What the model was trained on.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Bytes the loaded model occupies in memory.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Model>() + self.weights.capacity() + self.description.capacity()
    }

    /// Rates `text` (its first 20 KB) for every attribute. A text with no
    /// words left after normalization (empty, emoji, invisible characters)
    /// carries nothing to rate and scores 0.
    pub fn score(&self, text: &str) -> Scores {
        let features = features::extract(text, self.hash_bits, self.identity_words);
        if features.group_ends[1] == 0 {
            return Scores([0.0; Attribute::COUNT]);
        }
        let logits = self.logits(&features);
        let mut scores = [0.0; Attribute::COUNT];
        for attribute in Attribute::ALL {
            scores[attribute.index()] = self.calibrate(attribute, logits[attribute.index()]);
        }
        Scores(scores)
    }

    /// The words of `text` that raise `attribute`'s score, in text order,
    /// each scored on its own (with its neighbouring word pairs). A word
    /// counts when it alone scores above a text without words.
    pub fn spans(&self, text: &str, attribute: Attribute) -> Vec<SpanScore> {
        let text = features::truncate(text);
        let words = features::words_with_offsets(&normalize(text));
        let folded: Vec<&str> = words.iter().map(|w| self.identity_words.read(&w.0)).collect();
        let baseline = self.calibrate(attribute, self.params[attribute.index()].bias);
        let mut spans = Vec::new();
        for (index, (_, begin, end)) in words.iter().enumerate() {
            let alone = features::word_alone(&folded, index, self.hash_bits);
            let score = self.calibrate(attribute, self.logits(&alone)[attribute.index()]);
            if score > baseline {
                spans.push(SpanScore { begin: *begin, end: *end, score });
            }
        }
        spans
    }

    /// Raw (uncalibrated) logits: `bias + scale * Σ value·weight`.
    pub(crate) fn logits(&self, features: &Features) -> [f32; Attribute::COUNT] {
        let mut total = [0f32; SLOTS];
        for (buckets, value) in features.groups() {
            // Integer sums within a group are exact and fast; the group's
            // value multiplies once.
            let mut sums = [0i32; SLOTS];
            for bucket in buckets {
                let at = *bucket as usize * SLOTS;
                let row = &self.weights[at..at + SLOTS];
                for slot in 0..SLOTS {
                    sums[slot] += i32::from(row[slot]);
                }
            }
            for slot in 0..SLOTS {
                total[slot] += value * sums[slot] as f32;
            }
        }
        let mut logits = [0f32; Attribute::COUNT];
        for (i, params) in self.params.iter().enumerate() {
            logits[i] = params.bias + params.scale * total[i];
        }
        logits
    }

    pub(crate) fn calibrate(&self, attribute: Attribute, logit: f32) -> f32 {
        let params = &self.params[attribute.index()];
        sigmoid(params.platt_a * logit + params.platt_b)
    }
}

pub(crate) fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
