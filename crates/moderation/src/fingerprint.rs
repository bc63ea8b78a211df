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
    // The skeleton is the folded text with every run cut to one.
    let folded = text.skeleton();
    if text.units().len() < SHORT_CHARS {
        // Runs kept at two, so "comment 11" is not "comment 1".
        let exact: Vec<char> = text.folded(2).chars().collect();
        return Fingerprint { value: fnv1a(&exact) as i64, short: true };
    }
    let mut votes = BitVotes::new();
    let mut shingle = ['\0'; 4];
    for (i, c) in folded.chars().enumerate() {
        shingle = [shingle[1], shingle[2], shingle[3], c];
        if i >= 3 {
            votes.add(fnv1a(&shingle));
        }
    }
    Fingerprint { value: votes.majority() as i64, short: false }
}

/// Per bit of the shingles' hashes, how many had it set. Eight counters
/// of one byte share a `u64` lane (one lane per byte of the hash), so a
/// hash is counted with eight additions; lanes are emptied into the totals
/// before a byte could overflow.
struct BitVotes {
    lanes: [u64; 8],
    in_lanes: u32,
    totals: [u32; 64],
    hashes: u32,
}

/// Each byte value with its bit `i` moved to the lowest bit of byte `i`.
const SPREAD: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut value = 0;
    while value < 256 {
        let mut bit = 0;
        while bit < 8 {
            table[value] |= ((value as u64 >> bit) & 1) << (8 * bit);
            bit += 1;
        }
        value += 1;
    }
    table
};

impl BitVotes {
    fn new() -> Self {
        Self { lanes: [0; 8], in_lanes: 0, totals: [0; 64], hashes: 0 }
    }

    fn add(&mut self, hash: u64) {
        for (byte, lane) in hash.to_le_bytes().iter().zip(&mut self.lanes) {
            *lane += SPREAD[usize::from(*byte)];
        }
        self.in_lanes += 1;
        self.hashes += 1;
        if self.in_lanes == 255 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (byte, lane) in self.lanes.iter_mut().enumerate() {
            for (bit, count) in lane.to_le_bytes().iter().enumerate() {
                self.totals[8 * byte + bit] += u32::from(*count);
            }
            *lane = 0;
        }
        self.in_lanes = 0;
    }

    /// The bits set in more than half of the hashes.
    fn majority(mut self) -> u64 {
        self.flush();
        let hashes = self.hashes;
        self.totals
            .iter()
            .enumerate()
            .fold(0u64, |acc, (bit, ones)| if 2 * ones > hashes { acc | 1 << bit } else { acc })
    }
}

pub fn near_identical(a: i64, b: i64) -> bool {
    (a ^ b).count_ones() <= NEAR_IDENTICAL_BITS
}

const FNV_PRIME: u64 = 0x0100_0000_01b3;
/// Four steps of FNV-1a over zero bytes multiply by the prime four times.
const FNV_PRIME_4: u64 = FNV_PRIME.wrapping_mul(FNV_PRIME).wrapping_mul(FNV_PRIME).wrapping_mul(FNV_PRIME);

/// FNV-1a over each character's four little-endian bytes. XOR with a zero
/// byte changes nothing, so a character below U+0100 (one non-zero byte,
/// then three zeros) takes one multiplication by the prime's fourth power.
fn fnv1a(chars: &[char]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for c in chars {
        let code = *c as u32;
        if code <= 0xFF {
            hash = (hash ^ u64::from(code)).wrapping_mul(FNV_PRIME_4);
            continue;
        }
        for byte in code.to_le_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(FNV_PRIME);
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

    /// SimHash as first written: one signed weight per bit.
    fn plain_simhash(text: &str) -> i64 {
        let folded: Vec<char> = normalize(text).folded(1).chars().collect();
        let mut weights = [0i32; 64];
        let bytewise = |shingle: &[char]| {
            let mut hash = 0xcbf2_9ce4_8422_2325u64;
            for byte in shingle.iter().flat_map(|c| (*c as u32).to_le_bytes()) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
            }
            hash
        };
        for shingle in folded.windows(4) {
            let hash = bytewise(shingle);
            for (bit, weight) in weights.iter_mut().enumerate() {
                *weight += if hash >> bit & 1 == 1 { 1 } else { -1 };
            }
        }
        weights.iter().enumerate().fold(0u64, |acc, (bit, w)| if *w > 0 { acc | 1 << bit } else { acc }) as i64
    }

    #[test]
    fn the_counted_votes_give_the_plain_simhash_so_stored_fingerprints_still_compare() {
        let long = "The council should publish the full harbour survey before the vote. ".repeat(12);
        let accented = "Ça coûte cher, ce pont: ÿ, ā, Ω and 漢字 in one comment about the harbour";
        for text in ["Buy cheap watches at my shop, best prices in town, visit today", long.as_str(), accented] {
            assert_eq!(print(text), plain_simhash(text), "{text:?}");
        }
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
