//! The model: quantized weights per hashed bucket and attribute, a bias and
//! a Platt calibration per attribute.

use super::features::{self, Features, IdentityWords, GROUPS};
use super::phrases::Pooling;
use super::Attribute;
use crate::normalize::normalize;
use std::sync::OnceLock;

/// Weights per bucket: one per attribute, padded to eight so that a
/// bucket's weights are one aligned load.
pub(crate) const SLOTS: usize = 8;
/// A word is a span when leaving it out lowers the comment's log-odds by at
/// least this share of what the most telling word's absence does.
pub(crate) const SPAN_SHARE: f32 = 0.15;
/// And by at least this much (log-odds): in a comment no word pushes up
/// much, no word is singled out.
pub(crate) const SPAN_MIN_DROP: f32 = 0.5;

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

/// One word's weight sums, per slot: its unigram, the bigram that ends on it
/// (zero for the first word) and its character n-grams, with their count.
pub(crate) struct WordSums {
    pub unigram: [i32; SLOTS],
    pub bigram: [i32; SLOTS],
    pub chars: [i32; SLOTS],
    pub char_count: usize,
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
    pub(crate) pooling: Pooling,
    /// `SLOTS` weights per bucket.
    pub(crate) weights: Vec<i8>,
    pub(crate) params: [AttributeParams; Attribute::COUNT],
    /// What the model was trained on, for people reading `tribune moderation`'s output.
    pub(crate) description: String,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("hash_bits", &self.hash_bits)
            .field("pooling", &self.pooling)
            .field("description", &self.description)
            .finish()
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
        let Some(logits) = self.text_logits(text) else {
            return Scores([0.0; Attribute::COUNT]);
        };
        let mut scores = [0.0; Attribute::COUNT];
        for attribute in Attribute::ALL {
            scores[attribute.index()] = self.calibrate(attribute, logits[attribute.index()]);
        }
        Scores(scores)
    }

    /// Raw (uncalibrated) log-odds of `text` as this model reads it (see
    /// [`Pooling`]); `None` when no word is left after normalization.
    pub(crate) fn text_logits(&self, text: &str) -> Option<[f32; Attribute::COUNT]> {
        match self.pooling {
            Pooling::WithPhrase => self.pooled_logits(text),
            Pooling::Whole => {
                let features = features::extract(text, self.hash_bits, self.identity_words);
                (features.group_ends[1] > 0).then(|| self.logits(&features))
            }
        }
    }

    /// The words of `text` that raise `attribute`'s score, in text order.
    /// A word counts when the comment without it scores lower by at least
    /// `SPAN_MIN_DROP`, and by at least `SPAN_SHARE` of what the word that
    /// matters most takes away, measured in log-odds so that a comment
    /// scored 1.0 still tells its words apart. Each is reported with its score on its own (with its
    /// neighbouring word pairs), as Perspective scores a span. The drops are
    /// read from the whole comment's weights, not its phrases (see `phrases`):
    /// the phrase that decides a score holds the words that matter most in it.
    pub fn spans(&self, text: &str, attribute: Attribute) -> Vec<SpanScore> {
        let text = features::truncate(text);
        let words = features::words_with_offsets(&normalize(text));
        let read: Vec<&str> = words.iter().map(|w| self.identity_words.read(&w.0)).collect();
        let slot = attribute.index();
        let sums = self.word_sums(&read);
        let mut raw = Vec::with_capacity(16);
        features::raw_buckets(text, self.hash_bits, &mut raw);
        // The comment's weight sum and feature count per group, for this attribute.
        let mut total = [0i32, 0, self.sum_weights(&raw)[slot]];
        let mut counts = [0usize, 0, raw.len()];
        for (index, word) in sums.iter().enumerate() {
            total[0] += word.unigram[slot] + word.bigram[slot];
            counts[0] += if index > 0 { 2 } else { 1 };
            total[1] += word.chars[slot];
            counts[1] += word.char_count;
        }
        let with_all = self.logit_of(&total, &counts, slot);
        let last = read.len().saturating_sub(1);
        let drops: Vec<f32> = (0..read.len())
            .map(|index| {
                // Without the word: its unigram, the bigrams on both sides and its
                // character n-grams go; its neighbours make a bigram of their own.
                let (mut total, mut counts) = (total, counts);
                let word = &sums[index];
                total[0] -= word.unigram[slot] + word.bigram[slot];
                counts[0] -= if index > 0 { 2 } else { 1 };
                total[1] -= word.chars[slot];
                counts[1] -= word.char_count;
                if index < last {
                    total[0] -= sums[index + 1].bigram[slot];
                    counts[0] -= 1;
                }
                if index > 0 && index < last {
                    let bridge = features::bigram(read[index - 1], read[index + 1], self.hash_bits);
                    total[0] += self.sum_weights(&[bridge])[slot];
                    counts[0] += 1;
                }
                self.params[slot].platt_a * (with_all - self.logit_of(&total, &counts, slot))
            })
            .collect();
        let most = drops.iter().copied().fold(0.0f32, f32::max);
        let mut spans = Vec::new();
        for (index, (_, begin, end)) in words.iter().enumerate() {
            if drops[index] >= SPAN_MIN_DROP && drops[index] >= SPAN_SHARE * most {
                let alone = features::word_alone(&read, index, self.hash_bits);
                let score = self.calibrate(attribute, self.logits(&alone)[slot]);
                spans.push(SpanScore { begin: *begin, end: *end, score });
            }
        }
        spans
    }

    /// Each word's weight sums (`words` as read), taken once for both the
    /// phrases and the span explanations.
    pub(crate) fn word_sums(&self, words: &[&str]) -> Vec<WordSums> {
        let bits = self.hash_bits;
        let mut chars = Vec::with_capacity(64);
        (0..words.len())
            .map(|i| {
                chars.clear();
                features::char_ngrams(words[i], bits, &mut chars);
                let bigram = if i > 0 {
                    self.sum_weights(&[features::bigram(words[i - 1], words[i], bits)])
                } else {
                    [0; SLOTS]
                };
                WordSums {
                    unigram: self.sum_weights(&[features::unigram(words[i], bits)]),
                    bigram,
                    chars: self.sum_weights(&chars),
                    char_count: chars.len(),
                }
            })
            .collect()
    }

    /// The buckets' weights summed, per slot. Integer sums are exact and
    /// fast; a group's value multiplies once, after.
    pub(crate) fn sum_weights(&self, buckets: &[u32]) -> [i32; SLOTS] {
        let mut sums = [0i32; SLOTS];
        for bucket in buckets {
            let at = *bucket as usize * SLOTS;
            for (sum, weight) in sums.iter_mut().zip(&self.weights[at..at + SLOTS]) {
                *sum += i32::from(*weight);
            }
        }
        sums
    }

    /// Attribute `slot`'s raw logit from its per-group weight sums and feature counts.
    fn logit_of(&self, sums: &[i32; GROUPS], counts: &[usize; GROUPS], slot: usize) -> f32 {
        let total: f32 = (0..GROUPS).map(|g| features::group_value(g, counts[g]) * sums[g] as f32).sum();
        self.params[slot].bias + self.params[slot].scale * total
    }

    /// Raw (uncalibrated) logits: `bias + scale * Σ value·weight`.
    pub(crate) fn logits(&self, features: &Features) -> [f32; Attribute::COUNT] {
        let mut sums = [[0i32; SLOTS]; GROUPS];
        for (group, (buckets, _)) in features.groups().enumerate() {
            sums[group] = self.sum_weights(buckets);
        }
        self.logits_from_sums(&sums, &features.group_values)
    }

    /// Raw logits from each group's weight sums and the value its features carry.
    pub(crate) fn logits_from_sums(
        &self,
        sums: &[[i32; SLOTS]; GROUPS],
        values: &[f32; GROUPS],
    ) -> [f32; Attribute::COUNT] {
        let mut total = [0f32; SLOTS];
        for (group_sums, value) in sums.iter().zip(values) {
            for slot in 0..SLOTS {
                total[slot] += value * group_sums[slot] as f32;
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
