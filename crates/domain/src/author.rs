//! Author profiles: who writes, as readers see it on bylines and author pages.

use crate::comment::Website;
use crate::error::{FieldError, ValidationErrors};
use crate::local_path::LocalPath;
use crate::slug::Slug;

pub const MAX_AUTHOR_NAME_CHARS: usize = 120;
pub const MAX_BIO_CHARS: usize = 4_000;
pub const MAX_PHOTO_URL_CHARS: usize = 1_000;

/// A checked profile, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorProfileFields {
    pub name: String,
    pub slug: Slug,
    /// Markdown, rendered like a comment (a small safe subset).
    pub bio: String,
    /// Empty, an http(s) address, or a path on this site.
    pub photo_url: String,
}

/// What an editor typed; `slug` may be blank (made from the name).
#[derive(Debug, Clone, Default)]
pub struct AuthorProfileInput {
    pub name: String,
    pub slug: String,
    pub bio: String,
    pub photo_url: String,
}

impl AuthorProfileInput {
    pub fn parse(&self) -> Result<AuthorProfileFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.check(author_name(&self.name));
        let slug = match self.slug.trim() {
            "" => name.as_deref().map(Slug::from_headline).filter(|s| !s.as_str().is_empty()),
            raw => errors.check(Slug::parse(raw)),
        };
        if slug.is_none() && name.is_some() {
            errors.push(FieldError::new(
                "slug",
                "invalid_slug",
                "Give the profile an address made of letters or digits.",
            ));
        }
        let bio = errors.check(bio(&self.bio));
        let photo_url = errors.check(photo_url(&self.photo_url));
        match (name, slug, bio, photo_url) {
            (Some(name), Some(slug), Some(bio), Some(photo_url)) if errors.is_empty() => {
                Ok(AuthorProfileFields { name, slug, bio, photo_url })
            }
            _ => Err(errors),
        }
    }
}

pub fn author_name(raw: &str) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new("name", "empty", "The name must not be empty."));
    }
    if text.chars().count() > MAX_AUTHOR_NAME_CHARS {
        let message = format!("The name may be at most {MAX_AUTHOR_NAME_CHARS} characters.");
        return Err(FieldError::new("name", "too_long", message));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new("name", "invalid_characters", "The name must be one line of text."));
    }
    Ok(text.to_owned())
}

/// A biography: may be empty; line breaks welcome, other control characters not.
pub fn bio(raw: &str) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.chars().count() > MAX_BIO_CHARS {
        return Err(FieldError::new("bio", "too_long", format!("The bio may be at most {MAX_BIO_CHARS} characters.")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new("bio", "invalid_characters", "The bio contains control characters."));
    }
    Ok(text.to_owned())
}

/// A photo's address: blank, an http(s) address, or a path on this site
/// (`/media/ada.jpg`); never `javascript:`, `data:` or another site's `//host`.
pub fn photo_url(raw: &str) -> Result<String, FieldError> {
    let text = raw.trim();
    let invalid =
        || FieldError::new("photo_url", "invalid_url", "The photo must be an http(s) address or a path on this site.");
    if text.is_empty() {
        return Ok(String::new());
    }
    if text.chars().count() > MAX_PHOTO_URL_CHARS {
        let message = format!("The photo's address may be at most {MAX_PHOTO_URL_CHARS} characters.");
        return Err(FieldError::new("photo_url", "too_long", message));
    }
    if text.starts_with('/') {
        return LocalPath::parse(text).map(|p| p.as_str().to_owned()).map_err(|_| invalid());
    }
    match Website::parse_optional(text) {
        Ok(Some(url)) => Ok(url.as_str().to_owned()),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, slug: &str, photo: &str) -> AuthorProfileInput {
        AuthorProfileInput { name: name.into(), slug: slug.into(), bio: String::new(), photo_url: photo.into() }
    }

    #[test]
    fn a_blank_slug_is_made_from_the_name() {
        let fields = input("Ada Lovelace", "", "").parse().unwrap();
        assert_eq!((fields.name.as_str(), fields.slug.as_str()), ("Ada Lovelace", "ada-lovelace"));
    }

    #[test]
    fn a_photo_is_an_http_address_or_a_path_on_this_site() {
        assert!(photo_url("https://img.example.org/ada.jpg").is_ok());
        assert_eq!(photo_url("/media/ada.jpg").unwrap(), "/media/ada.jpg");
        for bad in ["javascript:alert(1)", "//evil.example/x.jpg", "data:image/png;base64,AA", "ftp://x/y", "/a b"] {
            assert_eq!(photo_url(bad).unwrap_err().code, "invalid_url", "{bad}");
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = input("", "Not a slug!", "javascript:x").parse().unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "slug", "photo_url"]);
    }
}
