//! A reader's comment, as parsed from what they typed.

use crate::error::FieldError;
use crate::ids::{ArticleId, CommentId, UserId};
use crate::moderation::{AuthorKey, Reason, RejectReason, WebhookEvent};
use crate::timestamp::Timestamp;
use serde::Serialize;

pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_WEBSITE_CHARS: usize = 200;
pub const MAX_BODY_CHARS_DEFAULT: usize = 10_000;

/// The Markdown source of a comment: not blank, within the site's length limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(raw: &str, max_chars: usize) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::new("body", "empty", "Please write a comment."));
        }
        let chars = text.chars().count();
        if chars > max_chars {
            return Err(FieldError::new(
                "body",
                "too_long",
                format!("A comment may be at most {max_chars} characters; this one has {chars}."),
            ));
        }
        if has_disallowed_controls(text) {
            return Err(FieldError::new("body", "invalid_characters", "The comment contains control characters."));
        }
        Ok(Self(text.replace("\r\n", "\n")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name a commenter shows: one line, 1 to 80 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorName(String);

impl AuthorName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(FieldError::new("name", "empty", "Please give a name."));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(FieldError::new(
                "name",
                "too_long",
                format!("A name may be at most {MAX_NAME_CHARS} characters."),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new("name", "invalid_characters", "A name must be a single line of text."));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, kept private: checked for shape, never shown publicly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim();
        let invalid =
            || FieldError::new("email", "invalid_email", "Please give a valid e-mail address, like name@example.org.");
        if email.is_empty() {
            return Err(FieldError::new("email", "empty", "Please give your e-mail address; it is never shown."));
        }
        if email.chars().count() > MAX_EMAIL_CHARS {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty() && !local.contains('@');
        let no_space = !email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"(),;:[]\\".contains(c));
        if !(domain_ok && local_ok && no_space) {
            return Err(invalid());
        }
        Ok(Self(email.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An optional home page link for the commenter: http or https only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website(String);

impl Website {
    /// Blank input means "no website".
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, FieldError> {
        let url = raw.trim();
        if url.is_empty() {
            return Ok(None);
        }
        let invalid = || FieldError::new("website", "invalid_url", "A website must be an http:// or https:// address.");
        if url.len() > MAX_WEBSITE_CHARS {
            return Err(FieldError::new(
                "website",
                "too_long",
                format!("A website address may be at most {MAX_WEBSITE_CHARS} characters."),
            ));
        }
        let lower = url.to_ascii_lowercase();
        let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).ok_or_else(invalid)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"'`".contains(c)) {
            return Err(invalid());
        }
        Ok(Some(Self(url.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn has_disallowed_controls(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// Where a comment stands; only published comments are shown and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    Published,
    /// Held for review, with its reasons.
    Pending,
    /// Rejected by a moderator or a rule, with a reason code.
    Rejected,
    /// Deleted by its author.
    Deleted,
    /// Taken down for another reason, e.g. its account was erased.
    Removed,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Pending => "pending",
            Self::Rejected => "rejected",
            Self::Deleted => "deleted",
            Self::Removed => "removed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "published" => Self::Published,
            "pending" => Self::Pending,
            "rejected" => Self::Rejected,
            "deleted" => Self::Deleted,
            "removed" => Self::Removed,
            _ => return None,
        })
    }
}

/// Order of top-level comments; replies always follow their parent oldest-first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    #[default]
    Oldest,
    Newest,
}

impl SortOrder {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "oldest" => Ok(Self::Oldest),
            "newest" => Ok(Self::Newest),
            _ => Err(FieldError::new("sort", "invalid_sort", "Sort must be \"oldest\" or \"newest\".")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oldest => "oldest",
            Self::Newest => "newest",
        }
    }
}

/// A comment ready to be stored: every field parsed, the body already
/// rendered, and the pipeline's verdict decided.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub article_id: ArticleId,
    /// The comment this one replies to, after depth capping.
    pub parent_id: Option<CommentId>,
    pub author_name: AuthorName,
    pub author_email: Email,
    pub author_website: Option<Website>,
    pub body: CommentBody,
    pub body_html: String,
    pub status: CommentStatus,
    pub created_at: Timestamp,
    /// The account that wrote it; `None` for a guest.
    pub user_id: Option<UserId>,
    pub author_key: AuthorKey,
    /// For finding the author's repeats later.
    pub fingerprint: Option<i64>,
    /// Why it was held or rejected (or flagged).
    pub reasons: Vec<Reason>,
    /// Set when the pipeline rejected it.
    pub reject_reason: Option<RejectReason>,
    /// Flagged for a moderator although published: starts with one open report.
    pub flagged: bool,
    /// SHA-256 of a guest's browser token, so they see their own held comments.
    pub author_token: Option<String>,
    /// The author asked to hear by e-mail when a held comment is reviewed.
    pub notify_author: bool,
    /// Webhook events the new comment raises, queued with it.
    pub events: Vec<WebhookEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_trimmed_and_kept() {
        assert_eq!(CommentBody::parse("  Hello *world*\r\n ", 100).unwrap().as_str(), "Hello *world*");
    }

    #[test]
    fn a_blank_body_is_rejected_as_empty() {
        assert_eq!(CommentBody::parse(" \n\t ", 100).unwrap_err().code, "empty");
    }

    #[test]
    fn a_body_over_the_limit_is_rejected_counting_characters_not_bytes() {
        assert!(CommentBody::parse(&"é".repeat(10), 10).is_ok());
        assert_eq!(CommentBody::parse(&"é".repeat(11), 10).unwrap_err().code, "too_long");
    }

    #[test]
    fn a_body_with_control_characters_is_rejected() {
        assert_eq!(CommentBody::parse("a\u{0}b", 100).unwrap_err().code, "invalid_characters");
    }

    #[test]
    fn names_must_be_one_line_of_at_most_80_characters() {
        assert!(AuthorName::parse("Ada Lovelace").is_ok());
        assert_eq!(AuthorName::parse(&"x".repeat(81)).unwrap_err().code, "too_long");
        assert_eq!(AuthorName::parse("  ").unwrap_err().code, "empty");
        assert_eq!(AuthorName::parse("a\nb").unwrap_err().code, "invalid_characters");
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(Email::parse("reader@example.org").is_ok());
        for bad in ["reader", "reader@", "@example.org", "reader@localhost", "a b@example.org", "a@b..org", "<a>@x.org"]
        {
            assert_eq!(Email::parse(bad).unwrap_err().code, "invalid_email", "{bad}");
        }
    }

    #[test]
    fn websites_must_be_http_or_https() {
        assert_eq!(Website::parse_optional("").unwrap(), None);
        assert!(Website::parse_optional("https://example.org/me").unwrap().is_some());
        for bad in ["javascript:alert(1)", "ftp://x.org", "https://", "https://a.org/\"onmouseover=x"] {
            assert!(Website::parse_optional(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_known_sort_orders_parse() {
        assert_eq!(SortOrder::parse("newest").unwrap(), SortOrder::Newest);
        assert_eq!(SortOrder::parse("best").unwrap_err().code, "invalid_sort");
    }
}
