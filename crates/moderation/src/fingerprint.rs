//! A 64-bit similarity fingerprint (SimHash over character 4-grams of the
//! folded text): near-identical comments get fingerprints a few bits apart,
//! so repeats are found by comparing integers rather than re-reading texts.
//! Short texts ("Great article!") are too short for similarity to mean
//! anything: theirs is a plain hash, and only the same text repeats them.

use crate::normalize::Normalized;

/// Fingerprints at most this many bits apart count as the same text: a
/// one-word edit of a sentence moves about 9 bits, unrelated texts about 32
/// (the chance that two unrelated texts come this close is under 1 in 10^6).
pub const NEAR_IDENTICAL_BITS: u32 = 10;

/// Texts shorter than this (folded, in characters) repeat only exactly.
pub const SHORT_CHARS: usize = 40;

/// A new comment's fingerprint, and how close another must be to repeat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub value: i64,
    pub short: bool,
}

impl Fingerprint {
    /// Whether a comment stored with fingerprint `other` repeats this one.
    pub fn repeats(&self, other: i64) -> bool {
        if self.short {
            self.value == other
        } else {
            near_identical(self.value, other)
        }
    }
}

pub fn fingerprint(text: &Normalized) -> Fingerprint {
    let folded: Vec<char> = text.folded(1).chars().collect();
    if folded.len() < SHORT_CHARS {
        // Runs kept at two, so "comment 11" is not "comment 1".
        let exact: Vec<char> = text.folded(2).chars().collect();
        return Fingerprint { value: fnv1a(&exact) as i64, short: true };
    }
    let mut weights = [0i32; 64];
    let shingles: Vec<&[char]> = if folded.len() < 4 { vec![&folded[..]] } else { folded.windows(4).collect() };
    for shingle in shingles {
        let hash = fnv1a(shingle);
        for (bit, weight) in weights.iter_mut().enumerate() {
            *weight += if hash >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    let bits = weights.iter().enumerate().fold(0u64, |acc, (bit, w)| if *w > 0 { acc | 1 << bit } else { acc });
    Fingerprint { value: bits as i64, short: false }
}

pub fn near_identical(a: i64, b: i64) -> bool {
    (a ^ b).count_ones() <= NEAR_IDENTICAL_BITS
}

fn fnv1a(chars: &[char]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for c in chars {
        for byte in (*c as u32).to_le_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn print(text: &str) -> i64 {
        fingerprint(&normalize(text)).value
    }

    #[test]
    fn the_same_text_disguised_has_the_same_fingerprint() {
        let text = "Buy cheap watches at my shop, best prices in town, visit today";
        assert_eq!(print(text), print("BUY cheap  watches at my shop!! Best prices in town... visit today"));
    }

    #[test]
    fn short_texts_repeat_only_exactly() {
        let thanks = fingerprint(&normalize("Great article, thanks!"));
        assert!(thanks.short);
        assert!(thanks.repeats(print("great ARTICLE... thanks")));
        assert!(!fingerprint(&normalize("comment number 1")).repeats(print("comment number 2")));
        assert!(!fingerprint(&normalize("comment number 11")).repeats(print("comment number 1")));
    }

    #[test]
    fn a_small_edit_stays_near_and_another_text_is_far() {
        let text = "The council should publish the full harbour survey before the vote on Thursday evening.";
        let edited = "The council should publish the full harbour survey before the vote on Thursday night.";
        assert!(near_identical(print(text), print(edited)));
        assert!(!near_identical(print(text), print("I disagree with the editorial about the ferry timetable.")));
        let same_topic = "The council should not vote on the harbour survey until the ferry operators have seen it.";
        assert!(!near_identical(print(text), print(same_topic)), "another comment on the same subject");
    }
}
