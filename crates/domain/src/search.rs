//! What a reader searches for: the words of a query, cleaned so that no
//! backend's query syntax can be reached through them.

/// At most this many words count; the rest are ignored.
pub const MAX_SEARCH_WORDS: usize = 8;
/// Longer words are no word anyone searches for.
pub const MAX_SEARCH_WORD_CHARS: usize = 40;
/// Queries longer than this are cut before they are read.
pub const MAX_SEARCH_QUERY_CHARS: usize = 200;

/// Lower-case words of letters and digits only, at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms(Vec<String>);

impl SearchTerms {
    /// The words of `raw`; `None` when it has none worth searching for.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw: String = raw.chars().take(MAX_SEARCH_QUERY_CHARS).collect();
        let mut words: Vec<String> = Vec::new();
        for word in raw.split(|c: char| !c.is_alphanumeric()) {
            let word = word.to_lowercase();
            if word.is_empty() || word.chars().count() > MAX_SEARCH_WORD_CHARS || words.contains(&word) {
                continue;
            }
            words.push(word);
            if words.len() == MAX_SEARCH_WORDS {
                break;
            }
        }
        (!words.is_empty()).then_some(Self(words))
    }

    pub fn words(&self) -> &[String] {
        &self.0
    }

    /// The words separated by spaces: what the query box shows again.
    pub fn joined(&self) -> String {
        self.0.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_letters_and_digits_are_kept_lower_cased_and_once() {
        let terms = SearchTerms::parse(r#"Bridge "OR" bridge* NEAR(x) -- 'élan' 2026"#).unwrap();
        assert_eq!(terms.words(), ["bridge", "or", "near", "x", "élan", "2026"]);
    }

    #[test]
    fn a_query_without_words_is_no_query() {
        assert_eq!(SearchTerms::parse("  \"*\" -- () "), None);
        assert_eq!(SearchTerms::parse(""), None);
    }

    #[test]
    fn at_most_eight_words_count() {
        let terms = SearchTerms::parse("a b c d e f g h i j").unwrap();
        assert_eq!(terms.words().len(), MAX_SEARCH_WORDS);
    }
}
