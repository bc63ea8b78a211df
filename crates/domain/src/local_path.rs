//! Where to send a reader after signing in: a path on this site, never
//! another origin. A `LocalPath` is built only from text that every browser
//! resolves to this site's origin, so it is safe in a `Location` header as is.
//!
//! Browsers forgive a lot when they resolve a URL: they drop tabs and line
//! breaks anywhere, turn `\` into `/`, and read `//host` as another site. So
//! rather than list what is dangerous, the parser accepts a narrow form: a
//! `/`, then printable ASCII only (non-ASCII arrives percent-encoded), with no
//! backslash, no second slash right after the first, no dot segments, and no
//! percent-escape that hides a slash, a backslash, a control character, a
//! space or a dot segment.

use std::fmt;

/// Longest path accepted (it travels in a cookie during OpenID Connect sign-in).
pub const MAX_LOCAL_PATH_BYTES: usize = 1000;

/// An absolute path on this site, with optional query and fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

/// Why a text is not a local path; the messages are for the people who see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotLocal {
    #[error("the address does not start with a single /")]
    NotAbsolutePath,
    #[error("the address could lead to another site")]
    OtherOrigin,
    #[error("the address contains characters that are not allowed in it")]
    ForbiddenCharacter,
    #[error("the address contains a malformed or forbidden percent-escape")]
    ForbiddenEscape,
    #[error("the address is longer than {MAX_LOCAL_PATH_BYTES} bytes")]
    TooLong,
}

impl LocalPath {
    /// The front page.
    pub fn root() -> Self {
        Self("/".to_owned())
    }

    pub fn parse(raw: &str) -> Result<Self, NotLocal> {
        if raw.len() > MAX_LOCAL_PATH_BYTES {
            return Err(NotLocal::TooLong);
        }
        let bytes = raw.as_bytes();
        if bytes.first() != Some(&b'/') {
            return Err(NotLocal::NotAbsolutePath);
        }
        // Visible ASCII only: no controls, no spaces of any kind, nothing a browser strips or reinterprets.
        if !bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\') {
            return Err(NotLocal::ForbiddenCharacter);
        }
        if bytes.get(1) == Some(&b'/') {
            return Err(NotLocal::OtherOrigin);
        }
        let decoded = decode_escapes(bytes)?;
        let path_end = raw.find(['?', '#']).unwrap_or(raw.len());
        // Dot segments could climb to `//host` once resolved; a path of ours never has them.
        if has_dot_segment(&raw[..path_end]) || has_dot_segment(&decoded[..decoded_path_end(&decoded)]) {
            return Err(NotLocal::OtherOrigin);
        }
        Ok(Self(raw.to_owned()))
    }

    /// `None` and the empty text (a form's blank field) mean the front page.
    pub fn parse_optional(raw: Option<&str>) -> Result<Self, NotLocal> {
        match raw {
            None | Some("") => Ok(Self::root()),
            Some(raw) => Self::parse(raw),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl serde::Serialize for LocalPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Read back only through [`LocalPath::parse`], wherever the text comes from.
impl<'de> serde::Deserialize<'de> for LocalPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for LocalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The text with its percent-escapes decoded, refusing escapes that are
/// malformed or that stand for a slash, a backslash, a percent sign or a
/// control character (something a second decoding, by a proxy or a careless reader, would turn
/// into a way off the site).
fn decode_escapes(bytes: &[u8]) -> Result<String, NotLocal> {
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            decoded.push(bytes[i]);
            i += 1;
            continue;
        }
        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
        let (Some(high), Some(low)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) else {
            return Err(NotLocal::ForbiddenEscape);
        };
        let byte = (high * 16 + low) as u8;
        // An escaped space is only a space inside a path; anything else below it is a control.
        if byte < 0x20 || byte == 0x7f || byte == b'/' || byte == b'\\' || byte == b'%' {
            return Err(NotLocal::ForbiddenEscape);
        }
        decoded.push(byte);
        i += 3;
    }
    // Escaped non-ASCII is fine (that is how such paths travel); it only has to be text.
    String::from_utf8(decoded).map_err(|_| NotLocal::ForbiddenEscape)
}

fn decoded_path_end(decoded: &str) -> usize {
    decoded.find(['?', '#']).unwrap_or(decoded.len())
}

fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|segment| segment == "." || segment == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_this_site_are_accepted_as_they_are() {
        for good in [
            "/",
            "/account",
            "/articles/harbour-wall-repaired",
            "/articles/harbour-wall-repaired?sort=newest&cursor=12#comment-7",
            "/articles/a#comments",
            "/admin/users?q=Zo%C3%AB",
            "/search?q=a%20b",
            "/a/b/c/",
            "/a.b/c..d/...",
            "/x?next=//not-a-redirect-here",
        ] {
            assert_eq!(LocalPath::parse(good).map(|p| p.to_string()), Ok(good.to_owned()), "{good:?}");
        }
    }

    #[test]
    fn nothing_and_a_blank_field_mean_the_front_page() {
        assert_eq!(LocalPath::parse_optional(None), Ok(LocalPath::root()));
        assert_eq!(LocalPath::parse_optional(Some("")), Ok(LocalPath::root()));
        assert_eq!(LocalPath::parse_optional(Some("/account")).unwrap().as_str(), "/account");
        assert!(LocalPath::parse_optional(Some("//evil.example")).is_err());
    }

    /// Forms known to lead browsers (or servers that decode twice) to another origin.
    const BYPASSES: &[&str] = &[
        // Other origins, plainly.
        "//evil.example",
        "//evil.example/path",
        "///evil.example",
        "////evil.example",
        "https://evil.example",
        "http:evil.example",
        "https:evil.example",
        "https:/evil.example",
        "//127.0.0.1:18199/x",
        "//[::1]/x",
        "evil.example",
        "evil.example/",
        "@evil.example",
        ".evil.example",
        "",
        " ",
        // Scripts and data.
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        // Backslashes, which browsers read as slashes.
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/\\/evil.example",
        "/a\\b",
        // Characters browsers strip before resolving: tab, line feed, carriage return.
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/\r\n/evil.example",
        "/\n",
        "/\t",
        "\t//evil.example",
        "\n//evil.example",
        " //evil.example",
        "/ /evil.example",
        "/\u{0b}/evil.example",
        "/\u{0c}/evil.example",
        "/\u{00}/evil.example",
        "/\u{1b}/evil.example",
        "/\u{7f}/evil.example",
        "/account\u{0}",
        // Unicode spaces, controls and look-alikes.
        "/\u{a0}/evil.example",
        "/\u{85}/evil.example",
        "/\u{2028}/evil.example",
        "/\u{2029}/evil.example",
        "/\u{3000}/evil.example",
        "/\u{feff}/evil.example",
        "/\u{200b}/evil.example",
        "/\u{202e}/evil.example",
        "/\u{ff0f}evil.example",
        "/\u{2215}evil.example",
        "/\u{2044}evil.example",
        "\u{ff0f}\u{ff0f}evil.example",
        "/caf\u{e9}",
        // Escapes that decode to something off the site.
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0A/evil.example",
        "/%0d%0a/evil.example",
        "/%0D%0A/evil.example",
        "/%00/evil.example",
        "/%7f/evil.example",
        "/%2f/evil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%5c/evil.example",
        "/%5C/evil.example",
        "/%5c%5cevil.example",
        "/%252f/evil.example",
        "/%25%32%66/evil.example",
        "/%",
        "/%2",
        "/%zz",
        "/%ff",
        "/%c0%af",
        // Dot segments that climb to `//host` once resolved.
        "/..//evil.example",
        "/.//evil.example",
        "/./",
        "/a/../..//evil.example",
        "/%2e%2e//evil.example",
        "/%2e/%2fevil.example",
        "/.%2e//evil.example",
    ];

    #[test]
    fn every_known_way_to_another_origin_is_refused() {
        for bypass in BYPASSES {
            assert!(LocalPath::parse(bypass).is_err(), "{bypass:?} must not be a local path");
        }
    }

    #[test]
    fn a_path_past_the_length_limit_is_refused() {
        let long = format!("/{}", "a".repeat(MAX_LOCAL_PATH_BYTES));
        assert_eq!(LocalPath::parse(&long), Err(NotLocal::TooLong));
        assert!(LocalPath::parse(&long[..MAX_LOCAL_PATH_BYTES]).is_ok());
    }

    #[test]
    fn the_reasons_are_told_apart() {
        assert_eq!(LocalPath::parse("https://x"), Err(NotLocal::NotAbsolutePath));
        assert_eq!(LocalPath::parse("//x"), Err(NotLocal::OtherOrigin));
        assert_eq!(LocalPath::parse("/\t/x"), Err(NotLocal::ForbiddenCharacter));
        assert_eq!(LocalPath::parse("/%2f/x"), Err(NotLocal::ForbiddenEscape));
        assert_eq!(LocalPath::parse("/../x"), Err(NotLocal::OtherOrigin));
    }
}
