//! Scoring a comment by its whole and by its most telling phrase.
//!
//! Every feature of a comment carries `1/sqrt(n)` (see `features`), so an
//! insult in a long, otherwise calm comment weighs little against the rest:
//! "I removed the template. That idiot whined and complained, like he does
//! about everything else. …" scored like a calm comment. A model of file
//! version 3 therefore also scores each phrase of the comment, windows of up
//! to [`PHRASE_WORDS`] words inside one sentence, with the same weights, and
//! takes the mean of the whole comment's log-odds and its highest phrase's.
//! A comment of one short sentence is its own only phrase, so its score is
//! the whole's. Measured in docs/moderation-quality.md ("Phrases").
//!
//! The phrases cost little: each word's weight sums are taken once, and the
//! whole comment's and each phrase's sums are added up from them.

use super::features::{self, GROUPS};
use super::identity::PLACEHOLDER;
use super::model::{Model, WordSums, SLOTS};
use super::Attribute;
use crate::normalize::normalize;
use std::borrow::Cow;
use std::ops::Range;

/// Longest phrase, in words.
pub const PHRASE_WORDS: usize = 6;
/// Words between the starts of two phrases of a long sentence.
pub const PHRASE_STEP: usize = 3;

/// How a model turns a comment's features into log-odds (fixed by the
/// model file's version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// The whole comment at once (model files of versions 1 and 2).
    Whole,
    /// The mean of the whole comment's and its highest phrase's log-odds, per attribute.
    WithPhrase,
}

/// Whether the text between two words ends a sentence.
fn ends_sentence(between: &str) -> bool {
    between.contains(['.', '!', '?', '\n'])
}

/// The phrases of a comment whose words (with their byte ranges in `text`)
/// are `words`: each sentence of up to [`PHRASE_WORDS`] words whole, longer
/// ones as windows of that many words every [`PHRASE_STEP`] words, the last
/// window ending on the sentence's last word.
pub fn phrases(words: &[(String, usize, usize)], text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..words.len() {
        let last = i + 1 == words.len() || ends_sentence(text.get(words[i].2..words[i + 1].1).unwrap_or(""));
        if !last {
            continue;
        }
        let end = i + 1;
        if end - start <= PHRASE_WORDS {
            out.push(start..end);
        } else {
            let mut at = start;
            while at + PHRASE_WORDS < end {
                out.push(at..at + PHRASE_WORDS);
                at += PHRASE_STEP;
            }
            out.push(end - PHRASE_WORDS..end);
        }
        start = end;
    }
    out
}

/// A phrase's text for its raw indicators (length, capitals, punctuation):
/// from its first word up to the next word (the first and last phrases reach
/// the comment's ends), with every group's name written as one neutral word,
/// so that neither its length nor its capitals move the phrase's score.
fn phrase_text<'t>(
    text: &'t str,
    words: &[(String, usize, usize)],
    read: &[&str],
    range: Range<usize>,
) -> Cow<'t, str> {
    let begin = if range.start == 0 { 0 } else { words[range.start].1 };
    let end = words.get(range.end).map_or(text.len(), |next| next.1);
    let slice = text.get(begin..end).unwrap_or("");
    if !read[range.clone()].contains(&PLACEHOLDER) {
        return Cow::Borrowed(slice);
    }
    let mut out = String::with_capacity(slice.len());
    let mut at = begin;
    for i in range.filter(|i| read[*i] == PLACEHOLDER) {
        out.push_str(text.get(at..words[i].1).unwrap_or(""));
        out.push_str(NEUTRAL_NAME);
        at = words[i].2;
    }
    out.push_str(text.get(at..end).unwrap_or(""));
    Cow::Owned(out)
}

/// What a group's name reads as in a phrase's raw text.
const NEUTRAL_NAME: &str = "group";

fn add(into: &mut [i32; SLOTS], from: &[i32; SLOTS]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += *b;
    }
}

impl Model {
    /// Raw log-odds of `text` read as [`Pooling::WithPhrase`]; `None` when
    /// no word is left after normalization.
    pub(crate) fn pooled_logits(&self, text: &str) -> Option<[f32; Attribute::COUNT]> {
        let text = features::truncate(text);
        let words = features::words_with_offsets(&normalize(text));
        if words.is_empty() {
            return None;
        }
        let read: Vec<&str> = words.iter().map(|w| self.identity_words.read(&w.0)).collect();
        let bits = self.hash_bits;
        let sums = self.word_sums(&read);
        // The same sums `logits` would take from the whole comment's features.
        let mut raw = Vec::with_capacity(16);
        features::raw_buckets(text, bits, &mut raw);
        let whole = self.span_logits(&sums, 0..read.len(), (self.sum_weights(&raw), raw.len()));
        let mut highest = [f32::NEG_INFINITY; Attribute::COUNT];
        for phrase in phrases(&words, text) {
            raw.clear();
            features::raw_buckets(&phrase_text(text, &words, &read, phrase.clone()), bits, &mut raw);
            let logits = self.span_logits(&sums, phrase, (self.sum_weights(&raw), raw.len()));
            for (high, logit) in highest.iter_mut().zip(logits) {
                *high = high.max(logit);
            }
        }
        let mut pooled = [0f32; Attribute::COUNT];
        for (i, out) in pooled.iter_mut().enumerate() {
            *out = (whole[i] + highest[i]) / 2.0;
        }
        Some(pooled)
    }

    /// Log-odds of words `range` (their unigrams, the bigrams inside the
    /// range and their character n-grams) with the raw indicators' weight
    /// sums and count.
    fn span_logits(
        &self,
        sums: &[WordSums],
        range: Range<usize>,
        raw: ([i32; SLOTS], usize),
    ) -> [f32; Attribute::COUNT] {
        let mut group_sums = [[0i32; SLOTS]; GROUPS];
        let mut counts = [0usize; GROUPS];
        for i in range.clone() {
            add(&mut group_sums[0], &sums[i].unigram);
            counts[0] += 1;
            if i > range.start {
                add(&mut group_sums[0], &sums[i].bigram);
                counts[0] += 1;
            }
            add(&mut group_sums[1], &sums[i].chars);
            counts[1] += sums[i].char_count;
        }
        (group_sums[2], counts[2]) = raw;
        let values = std::array::from_fn(|group| features::group_value(group, counts[group]));
        self.logits_from_sums(&group_sums, &values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase_words(text: &str) -> Vec<String> {
        let words = features::words_with_offsets(&normalize(text));
        phrases(&words, text)
            .into_iter()
            .map(|r| words[r].iter().map(|w| w.0.as_str()).collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn short_sentences_are_phrases_and_long_ones_are_cut_into_overlapping_windows() {
        assert_eq!(phrase_words("You are wrong. Read it again!"), ["you are wrong", "read it again"]);
        assert_eq!(
            phrase_words("one two three four five six seven eight nine ten"),
            ["one two three four five six", "four five six seven eight nine", "five six seven eight nine ten"]
        );
        assert_eq!(phrase_words("ab cd ef gh ij kl"), ["ab cd ef gh ij kl"], "six words are one phrase");
        assert_eq!(phrase_words("first line\nsecond line"), ["first line", "second line"]);
        assert!(phrase_words("   ").is_empty());
    }

    fn read_as(pooling: Pooling) -> Model {
        Model { pooling, ..Model::default_model().clone() }
    }

    #[test]
    fn a_comment_that_is_one_phrase_scores_as_its_whole() {
        // The word sums add up to exactly what the whole comment's features give.
        let (whole, pooled) = (read_as(Pooling::Whole), read_as(Pooling::WithPhrase));
        for text in ["You are a complete idiot!", "Thanks, that helps.", "1d10t", "Read it again"] {
            assert_eq!(whole.text_logits(text), pooled.text_logits(text), "{text}");
        }
        assert_eq!(pooled.text_logits(" \u{200b} 🙂"), None, "no words, nothing to read");
    }

    #[test]
    fn an_insult_inside_a_long_calm_comment_is_not_diluted_by_the_rest() {
        let text = "I went through the sources you added to the article last week and checked each of them \
                    against the library's copies. Most of them hold up well and I have kept them. You are an \
                    idiot. The two newspaper pieces from the spring say something else, so I moved them to the \
                    talk page for the other editors to weigh in on before anything changes.";
        let toxicity = |pooling| read_as(pooling).text_logits(text).unwrap()[Attribute::Toxicity.index()];
        assert!(toxicity(Pooling::WithPhrase) > toxicity(Pooling::Whole) + 1.0);
        let calm = text.replace("You are an idiot. ", "");
        let calm = read_as(Pooling::WithPhrase).score(&calm).get(Attribute::Toxicity);
        assert!(read_as(Pooling::WithPhrase).score(text).get(Attribute::Toxicity) > calm + 0.2);
    }
}
