//! Turns a comment into hashed features: word unigrams and bigrams and
//! character 2–5-grams inside words, all read from the normalized text
//! (`normalize(text).folded(2)`), plus a few indicators read from the raw
//! text (links, capitals, punctuation, length, repetition) that tell spam
//! and shouting apart. Hashing needs no vocabulary: each feature's name is
//! hashed into one of `2^bits` buckets, and collisions are tolerated.

use super::identity::{is_identity_term, PLACEHOLDER};
use super::raw_signals;
use crate::normalize::{normalize, Normalized};

/// Longest text scored; longer texts are scored on their beginning.
pub const MAX_TEXT_BYTES: usize = 20 * 1024;
/// Longest word, in characters, whose character n-grams are taken.
const MAX_WORD_CHARS: usize = 32;

/// The first [`MAX_TEXT_BYTES`] of `text`, cut at a character boundary.
pub fn truncate(text: &str) -> &str {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// How a model reads words that name groups of people: model files of
/// version 1 learnt them as written; from version 2 each is read as one
/// placeholder word (see `identity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityWords {
    AsWritten,
    AsOne,
}

impl IdentityWords {
    /// `word` (folded) as the features read it.
    pub(crate) fn read(self, word: &str) -> &str {
        match self {
            IdentityWords::AsOne if is_identity_term(word) => PLACEHOLDER,
            _ => word,
        }
    }
}

/// Features fall in groups; every feature of a group carries the same value
/// (`1/sqrt(n)` for the `n` word or character features, 1 for indicators),
/// so long and short comments weigh alike.
pub const GROUPS: usize = 3;

/// The hashed features of one text: bucket numbers, grouped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    pub buckets: Vec<u32>,
    /// End (exclusive) in `buckets` of each group.
    pub group_ends: [u32; GROUPS],
    pub group_values: [f32; GROUPS],
}

impl Features {
    /// Each group's buckets with the value they carry.
    pub fn groups(&self) -> impl Iterator<Item = (&[u32], f32)> {
        let mut start = 0usize;
        (0..GROUPS).map(move |g| {
            let end = self.group_ends[g] as usize;
            let slice = &self.buckets[start..end];
            start = end;
            (slice, self.group_values[g])
        })
    }

    fn close_group(&mut self, group: usize, value: impl Fn(usize) -> f32) {
        let start = if group == 0 { 0 } else { self.group_ends[group - 1] as usize };
        let count = self.buckets.len() - start;
        self.group_ends[group] = self.buckets.len() as u32;
        self.group_values[group] = if count == 0 { 0.0 } else { value(count) };
    }
}

fn norm_value(count: usize) -> f32 {
    1.0 / (count as f32).sqrt()
}

/// A stable hasher (FNV-1a with a final mix): the model file depends on it,
/// so it must never change with the Rust version.
#[derive(Clone, Copy)]
struct Hash(u64);

impl Hash {
    fn new(kind: u8) -> Hash {
        Hash(0xcbf2_9ce4_8422_2325).byte(kind)
    }

    fn byte(self, b: u8) -> Hash {
        Hash((self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
    }

    fn bytes(self, bytes: &[u8]) -> Hash {
        bytes.iter().fold(self, |h, b| h.byte(*b))
    }

    fn bucket(self, bits: u32) -> u32 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^= x >> 33;
        (x >> (64 - bits)) as u32
    }
}

const WORD: u8 = 1;
const BIGRAM: u8 = 2;
const CHARS: u8 = 3;
const RAW: u8 = 4;

/// The features of a whole comment.
pub fn extract(text: &str, bits: u32, identities: IdentityWords) -> Features {
    let text = truncate(text);
    let folded = normalize(text).folded(2);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).map(|w| identities.read(w)).collect();
    from_words(&words, text, bits)
}

/// The features of a comment whose words (as read) are `words` and whose
/// raw text (for the indicators) is `text`: what [`extract`] computes.
pub fn from_words(words: &[&str], text: &str, bits: u32) -> Features {
    let capacity = words.iter().map(|w| w.len() * 5 + 2).sum::<usize>() + 32;
    let mut features = Features { buckets: Vec::with_capacity(capacity), ..Features::default() };
    word_features(words, 0..words.len(), bits, &mut features.buckets);
    features.close_group(0, |n| group_value(0, n));
    for word in words {
        char_ngrams(word, bits, &mut features.buckets);
    }
    features.close_group(1, |n| group_value(1, n));
    raw_buckets(text, bits, &mut features.buckets);
    features.close_group(2, |_| 1.0);
    features
}

/// The buckets of `text`'s raw indicators.
pub(crate) fn raw_buckets(text: &str, bits: u32, out: &mut Vec<u32>) {
    raw_signals::for_each(text, |name| out.push(Hash::new(RAW).bytes(name.as_bytes()).bucket(bits)));
}

/// The features one word of a comment contributes on its own: itself, its
/// bigrams with both neighbours and its character n-grams; what a span's
/// score is read from. `words` are as read ([`IdentityWords::read`]).
pub fn word_alone(words: &[&str], index: usize, bits: u32) -> Features {
    let mut features = Features::default();
    word_features(words, index..index + 1, bits, &mut features.buckets);
    if index + 1 < words.len() {
        features.buckets.push(bigram(words[index], words[index + 1], bits));
    }
    features.close_group(0, norm_value);
    char_ngrams(words[index], bits, &mut features.buckets);
    features.close_group(1, norm_value);
    features.close_group(2, |_| 1.0);
    features
}

/// The value each feature of a group of `count` features carries (see [`GROUPS`]).
pub fn group_value(group: usize, count: usize) -> f32 {
    match (group, count) {
        (_, 0) => 0.0,
        (2, _) => 1.0,
        _ => norm_value(count),
    }
}

/// Unigrams of `range` and the bigrams that end in it.
fn word_features(words: &[&str], range: std::ops::Range<usize>, bits: u32, out: &mut Vec<u32>) {
    for i in range {
        out.push(unigram(words[i], bits));
        if i > 0 {
            out.push(bigram(words[i - 1], words[i], bits));
        }
    }
}

pub(crate) fn unigram(word: &str, bits: u32) -> u32 {
    Hash::new(WORD).bytes(word.as_bytes()).bucket(bits)
}

pub(crate) fn bigram(first: &str, second: &str, bits: u32) -> u32 {
    Hash::new(BIGRAM).bytes(first.as_bytes()).byte(b' ').bytes(second.as_bytes()).bucket(bits)
}

/// Character 2- to 5-grams of ` word ` (the spaces mark the word's ends).
pub(crate) fn char_ngrams(word: &str, bits: u32, out: &mut Vec<u32>) {
    let mut chars = [0u8; (MAX_WORD_CHARS + 2) * 4];
    let mut bounds = [0usize; MAX_WORD_CHARS + 3];
    chars[0] = b' ';
    bounds[1] = 1;
    let mut len = 1usize;
    let mut count = 1usize;
    for ch in word.chars().take(MAX_WORD_CHARS) {
        len += ch.encode_utf8(&mut chars[len..]).len();
        count += 1;
        bounds[count] = len;
    }
    chars[len] = b' ';
    len += 1;
    count += 1;
    bounds[count] = len;
    for start in 0..count {
        for n in 2..=5 {
            if start + n > count {
                break;
            }
            let gram = &chars[bounds[start]..bounds[start + n]];
            out.push(Hash::new(CHARS).byte(n as u8).bytes(gram).bucket(bits));
        }
    }
}

/// The words of a normalized text as [`extract`] reads them, each with the
/// byte range of the original text it came from.
pub fn words_with_offsets(text: &Normalized) -> Vec<(String, usize, usize)> {
    let mut words = Vec::new();
    let mut current: Option<(String, usize, usize)> = None;
    for unit in text.units() {
        if unit.ch == ' ' {
            words.extend(current.take());
            continue;
        }
        let entry = current.get_or_insert_with(|| (String::new(), unit.start, unit.end));
        for _ in 0..unit.run.min(2) {
            entry.0.push(unit.ch);
        }
        entry.2 = unit.end;
    }
    words.extend(current);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_always_gives_the_same_buckets() {
        let a = extract("You are a complete idiot!", 18, IdentityWords::AsOne);
        let b = extract("You are a complete idiot!", 18, IdentityWords::AsOne);
        assert_eq!(a, b);
        assert!(a.buckets.iter().all(|b| *b < 1 << 18));
        // Pinned: a changed hash would silently break every shipped model.
        assert_eq!(Hash::new(WORD).bytes(b"idiot").bucket(18), 221_933);
    }

    #[test]
    fn disguised_words_give_the_same_word_features() {
        let plain = extract("idiot", 18, IdentityWords::AsOne);
        let disguised = extract("1d10t", 18, IdentityWords::AsOne);
        assert_eq!(
            plain.buckets[..plain.group_ends[1] as usize],
            disguised.buckets[..disguised.group_ends[1] as usize]
        );
    }

    #[test]
    fn every_group_of_people_is_read_alike() {
        let one = extract("As a Muslim woman I disagree with the council.", 18, IdentityWords::AsOne);
        let other = extract("As a gay man I disagree with the council.", 18, IdentityWords::AsOne);
        assert_ne!(one.buckets, other.buckets, "man is no identity word here, woman is");
        assert_eq!(
            extract("Muslims run the bakery on our street.", 18, IdentityWords::AsOne).buckets,
            extract("Jews run the bakery on our street.", 18, IdentityWords::AsOne).buckets
        );
        assert_ne!(
            extract("Jews run the bakery.", 18, IdentityWords::AsWritten),
            extract("Muslims run the bakery.", 18, IdentityWords::AsWritten),
            "version 1 models read the words as written"
        );
        let read = |words: [&'static str; 3]| words.map(|w| IdentityWords::AsOne.read(w));
        assert_eq!(
            word_alone(&read(["i", "am", "bisexual"]), 2, 18),
            word_alone(&read(["i", "am", "catholic"]), 2, 18)
        );
    }

    #[test]
    fn groups_carry_normalized_values() {
        let features = extract("one two three", 18, IdentityWords::AsOne);
        let (words, value) = features.groups().next().unwrap();
        assert_eq!(words.len(), 5, "three unigrams and two bigrams");
        assert!((value - 1.0 / 5f32.sqrt()).abs() < 1e-6);
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let text = "é".repeat(MAX_TEXT_BYTES);
        let cut = truncate(&text);
        assert!(cut.len() <= MAX_TEXT_BYTES && cut.len() >= MAX_TEXT_BYTES - 1);
        assert_eq!(truncate("short"), "short");
    }

    #[test]
    fn word_offsets_point_into_the_original_text() {
        let original = "Go  1d10t!";
        let words = words_with_offsets(&normalize(original));
        assert_eq!(words.len(), 2);
        assert_eq!(words[1].0, "idiot");
        assert_eq!(&original[words[1].1..words[1].2], "1d10t");
    }
}
