//! URL slugs: lower-case ASCII letters, digits and single hyphens.

use crate::error::FieldError;
use serde::Serialize;

pub const MAX_SLUG_LEN: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = |msg: &str| FieldError::new("slug", "invalid_slug", msg);
        if raw.is_empty() {
            return Err(invalid("The slug must not be empty."));
        }
        if raw.len() > MAX_SLUG_LEN {
            return Err(invalid(&format!("The slug must be at most {MAX_SLUG_LEN} characters.")));
        }
        let allowed = raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !allowed || raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(invalid("Use lower-case letters, digits and single hyphens, not at the start or end."));
        }
        Ok(Self(raw.to_owned()))
    }

    /// Derives a slug from a headline; characters outside a-z and 0-9 become hyphens.
    pub fn from_headline(headline: &str) -> Self {
        let mut slug = String::with_capacity(headline.len());
        for c in headline.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            if slug.len() >= MAX_SLUG_LEN {
                break;
            }
        }
        let trimmed = slug.trim_end_matches('-');
        if trimmed.is_empty() {
            Self("article".to_owned())
        } else {
            Self(trimmed.to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_slug_parses() {
        assert_eq!(Slug::parse("city-council-votes-2026").unwrap().as_str(), "city-council-votes-2026");
    }

    #[test]
    fn upper_case_spaces_and_double_hyphens_are_rejected() {
        for bad in ["", "Hello", "a b", "a--b", "-a", "a-", "a/b", "é"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn an_overlong_slug_is_rejected() {
        assert!(Slug::parse(&"a".repeat(MAX_SLUG_LEN + 1)).is_err());
    }

    #[test]
    fn a_headline_becomes_a_readable_slug() {
        let slug = Slug::from_headline("  Flood Defences: What Went Wrong?  ");
        assert_eq!(slug.as_str(), "flood-defences-what-went-wrong");
    }

    #[test]
    fn a_headline_without_ascii_letters_still_gets_a_slug() {
        assert_eq!(Slug::from_headline("«»").as_str(), "article");
    }
}
