//! Banned and suspect word lists, matched in one pass over a comment.
//!
//! Entries and comments are folded the same way (`normalize`), so case,
//! accents, leetspeak, spacing inside a word and repeated letters do not
//! hide a word. Entries match whole words unless they start or end with
//! `*` (`*spam*` matches inside "antispammer"). Matching runs an
//! Aho-Corasick automaton over the run-collapsed skeleton, then checks each
//! candidate's word boundaries and run lengths, so "as" never matches "ass"
//! while "asssss" does.

use crate::normalize::{normalize, Normalized, Unit};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use tribune_domain::moderation::WordMatch;
use tribune_domain::FieldError;

/// The longest entry, in characters.
pub const MAX_ENTRY_CHARS: usize = 100;
/// The most entries one list may hold.
pub const MAX_ENTRIES: usize = 20_000;

#[derive(Debug, Clone)]
struct Entry {
    /// As the site typed it (what moderators see).
    source: String,
    /// Each folded character's minimum run.
    runs: Vec<u32>,
    whole_start: bool,
    whole_end: bool,
}

/// A compiled list; cheap to share, built once per settings change.
#[derive(Debug, Clone, Default)]
pub struct WordList {
    entries: Vec<Entry>,
    automaton: Option<AhoCorasick>,
}

impl WordList {
    /// Compiles `lines` (one entry each; blank lines ignored). Every problem
    /// names its line, e.g. for a message next to the settings field `field`.
    pub fn compile(field: &'static str, lines: &[String]) -> Result<Self, FieldError> {
        let mut entries = Vec::new();
        let mut skeletons: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let count = lines.iter().filter(|l| !l.trim().is_empty()).count();
        if count > MAX_ENTRIES {
            return Err(FieldError::new(
                field,
                "too_many_entries",
                format!("A list may hold at most {MAX_ENTRIES} entries; this one has {count}."),
            ));
        }
        for (number, line) in lines.iter().enumerate() {
            let raw = line.trim();
            if raw.is_empty() {
                continue;
            }
            let problem = |code: &'static str, why: String| {
                Err(FieldError::new(field, code, format!("Line {}: {:?} {why}", number + 1, truncate(raw))))
            };
            if raw.chars().count() > MAX_ENTRY_CHARS {
                return problem("entry_too_long", format!("is longer than {MAX_ENTRY_CHARS} characters."));
            }
            if looks_like_a_pattern(raw) {
                return problem(
                    "entry_is_a_pattern",
                    "looks like a pattern; entries are plain words or phrases, with * at the start or end to \
                     match part of a word."
                        .to_owned(),
                );
            }
            let whole_start = !raw.starts_with('*');
            let whole_end = !raw.ends_with('*');
            let folded = normalize(raw.trim_matches('*'));
            if folded.is_empty() {
                return problem("entry_empty", "has no letters or digits.".to_owned());
            }
            if !seen.insert(raw) {
                continue;
            }
            entries.push(Entry {
                source: raw.to_owned(),
                runs: folded.units().iter().map(|u| u.run).collect(),
                whole_start,
                whole_end,
            });
            skeletons.push(folded.skeleton().to_owned());
        }
        if entries.is_empty() {
            return Ok(Self::default());
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&skeletons)
            .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::Standard).build(&skeletons))
            .map_err(|e| FieldError::new(field, "list_too_large", format!("The list cannot be compiled: {e}")))?;
        Ok(Self { entries, automaton: Some(automaton) })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry found in `text` (already folded), with where it stands in
    /// the original text, in order of appearance, each span once.
    pub fn find(&self, text: &Normalized) -> Vec<WordMatch> {
        let Some(automaton) = &self.automaton else { return Vec::new() };
        let skeleton = text.skeleton().as_bytes();
        let units = text.units();
        let mut found: Vec<WordMatch> = Vec::new();
        for hit in automaton.find_overlapping_iter(text.skeleton()) {
            let entry = &self.entries[hit.pattern().as_usize()];
            let Some(first) = text.unit_at_byte(hit.start()) else { continue };
            let last = first + entry.runs.len() - 1;
            // Inside a word spelt out letter by letter, any letter may start or end a word.
            let inside_spelt = |a: usize, b: usize| units[a].joined && units[b].joined;
            if entry.whole_start && first > 0 && skeleton[hit.start() - 1] != b' ' && !inside_spelt(first - 1, first) {
                continue;
            }
            if entry.whole_end && last + 1 < units.len() && skeleton[hit.end()] != b' ' && !inside_spelt(last, last + 1)
            {
                continue;
            }
            let long_enough = units[first..=last].iter().zip(&entry.runs).all(|(unit, min)| unit.run >= *min);
            if !long_enough {
                continue;
            }
            // A partial-word entry marks the whole word it was found in.
            let first = if entry.whole_start { first } else { word_start(units, first) };
            let last = if entry.whole_end { last } else { word_end(units, last) };
            let (start, end) = (units[first].start, units[last].end);
            if !found.iter().any(|m| m.start == start && m.end == end) {
                found.push(WordMatch { entry: entry.source.clone(), start, end });
            }
        }
        found.sort_by_key(|m| (m.start, m.end));
        found
    }
}

fn word_start(units: &[Unit], mut at: usize) -> usize {
    while at > 0 && units[at - 1].ch != ' ' {
        at -= 1;
    }
    at
}

fn word_end(units: &[Unit], mut at: usize) -> usize {
    while at + 1 < units.len() && units[at + 1].ch != ' ' {
        at += 1;
    }
    at
}

/// Regular-expression syntax an admin might paste, expecting it to work.
fn looks_like_a_pattern(entry: &str) -> bool {
    entry.contains(['\\', '[', ']', '(', ')', '{', '}', '^', '?', '+'])
        || entry.contains(".*")
        || entry.trim_matches('*').contains('*')
}

fn truncate(entry: &str) -> String {
    entry.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[&str]) -> WordList {
        WordList::compile("banned_words", &entries.iter().map(|e| (*e).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    fn found(list: &WordList, text: &str) -> Vec<String> {
        list.find(&normalize(text)).into_iter().map(|m| text[m.start..m.end].to_owned()).collect()
    }

    #[test]
    fn whole_words_match_and_parts_of_words_do_not() {
        let words = list(&["ass", "scam"]);
        assert_eq!(found(&words, "What an ass."), vec!["ass"]);
        assert!(found(&words, "A classic assessment, as ever.").is_empty());
        assert!(found(&words, "scammers").is_empty());
    }

    #[test]
    fn evasions_are_caught() {
        let words = list(&["idiot", "scam"]);
        for text in ["IDIOT", "Ïdïöt", "1d10t", "iiiidiooot", "i d i o t", "i.d.i.o.t", "id\u{200B}iot", "ＩＤＩＯＴ"]
        {
            assert_eq!(found(&words, text).len(), 1, "{text:?}");
        }
        assert_eq!(found(&words, "what a $c@m"), vec!["$c@m"]);
    }

    #[test]
    fn a_word_spelt_out_after_a_one_letter_word_is_still_found() {
        let words = list(&["crook"]);
        assert_eq!(found(&words, "He is a c r o o k."), vec!["c r o o k"]);
        assert!(found(&words, "a crookedly hung picture").is_empty());
    }

    #[test]
    fn double_letters_in_an_entry_must_be_there_in_the_text() {
        let words = list(&["ass"]);
        assert!(found(&words, "as").is_empty());
        assert_eq!(found(&words, "asssss"), vec!["asssss"]);
    }

    #[test]
    fn stars_match_inside_words() {
        let words = list(&["*spam*", "viagra*"]);
        assert_eq!(found(&words, "antispammers unite"), vec!["antispammers"]);
        assert_eq!(found(&words, "cheap viagrapills"), vec!["viagrapills"]);
        assert!(found(&words, "antiviagra").is_empty());
    }

    #[test]
    fn phrases_match_across_spacing_and_punctuation() {
        let words = list(&["kill yourself"]);
        assert_eq!(found(&words, "just KILL... yourself"), vec!["KILL... yourself"]);
        assert!(found(&words, "skill yourself").is_empty());
    }

    #[test]
    fn every_span_points_at_the_original_text_in_order() {
        let words = list(&["bad", "worse"]);
        let text = "Worse and BAD and bad";
        let matches = words.find(&normalize(text));
        assert_eq!(matches.iter().map(|m| &text[m.start..m.end]).collect::<Vec<_>>(), vec!["Worse", "BAD", "bad"]);
        assert_eq!(matches[1].entry, "bad");
    }

    #[test]
    fn entries_that_look_like_patterns_or_fold_to_nothing_are_refused_with_their_line() {
        let refuse = |entries: &[&str]| {
            WordList::compile("banned_words", &entries.iter().map(|e| (*e).to_owned()).collect::<Vec<_>>()).unwrap_err()
        };
        let error = refuse(&["fine", "", "[a-z]+"]);
        assert_eq!(error.code, "entry_is_a_pattern");
        assert!(error.message.starts_with("Line 3:"), "{}", error.message);
        assert_eq!(refuse(&["\\bword\\b"]).code, "entry_is_a_pattern");
        assert_eq!(refuse(&["a*b"]).code, "entry_is_a_pattern");
        assert_eq!(refuse(&["!!!"]).code, "entry_empty");
        assert_eq!(refuse(&[&"x".repeat(101)]).code, "entry_too_long");
        let too_many: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("w{i}")).collect();
        assert_eq!(WordList::compile("banned_words", &too_many).unwrap_err().code, "too_many_entries");
    }

    #[test]
    fn a_large_list_compiles_and_matches() {
        let mut entries: Vec<String> = (0..10_000).map(|i| format!("word{i}x")).collect();
        entries.push("needle".to_owned());
        let words = WordList::compile("banned_words", &entries).unwrap();
        assert_eq!(words.len(), 10_001);
        assert_eq!(found(&words, "a haystack with a NEEDLE and word9999x"), vec!["NEEDLE", "word9999x"]);
    }
}
