//! A correction note: what an editor appends to a published article to say
//! what an earlier version got wrong. Markdown, rendered like a comment (a
//! small safe subset), so the note can quote and link but never inject.

use crate::error::FieldError;

pub const MAX_CORRECTION_CHARS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionNote(String);

impl CorrectionNote {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::new("note", "empty", "Write what the correction says."));
        }
        if text.chars().count() > MAX_CORRECTION_CHARS {
            return Err(FieldError::new(
                "note",
                "too_long",
                format!("A correction may be at most {MAX_CORRECTION_CHARS} characters."),
            ));
        }
        // Line breaks are welcome; other control characters are not text.
        if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            return Err(FieldError::new("note", "invalid_characters", "The correction contains control characters."));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_kept_trimmed() {
        let note = CorrectionNote::parse("  Correction: the mayor's name is Ada.\n").unwrap();
        assert_eq!(note.as_str(), "Correction: the mayor's name is Ada.");
    }

    #[test]
    fn an_empty_or_blank_note_is_refused() {
        assert_eq!(CorrectionNote::parse(" \n ").unwrap_err().code, "empty");
    }

    #[test]
    fn a_note_longer_than_the_limit_is_refused() {
        let long = "a".repeat(MAX_CORRECTION_CHARS + 1);
        assert_eq!(CorrectionNote::parse(&long).unwrap_err().code, "too_long");
        assert!(CorrectionNote::parse(&"a".repeat(MAX_CORRECTION_CHARS)).is_ok());
    }

    #[test]
    fn control_characters_other_than_line_breaks_are_refused() {
        assert_eq!(CorrectionNote::parse("a\u{0}b").unwrap_err().code, "invalid_characters");
        assert!(CorrectionNote::parse("first line\nsecond line").is_ok());
    }
}
