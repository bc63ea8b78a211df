//! The vocabulary of moderation: why a comment was held or rejected, what a
//! reader reports, the moderators' queues, and who an author is.

use crate::error::FieldError;
use crate::ids::UserId;
use serde::{Deserialize, Serialize};

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal, $what:literal { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// What a person reads, e.g. in a select box or an e-mail.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            pub fn parse(raw: &str) -> Result<Self, FieldError> {
                match raw.trim() {
                    $($code => Ok($name::$variant),)+
                    _ => Err(FieldError::new(
                        $field,
                        concat!("invalid_", $field),
                        format!(concat!("Unknown ", $what, " {:?}; use one of: {}."), raw, Self::codes()),
                    )),
                }
            }

            fn codes() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

code_enum!(
    /// Why a moderator (or a rule) rejected a comment.
    RejectReason, "reason", "reason" {
        Offensive => "offensive", "Offensive";
        Abusive => "abusive", "Abusive";
        Spam => "spam", "Spam";
        BannedWord => "banned_word", "Banned word";
        Advertising => "advertising", "Advertising";
        Illegal => "illegal", "Illegal";
        Harassment => "harassment", "Harassment";
        Misinformation => "misinformation", "Misinformation";
        HateSpeech => "hate_speech", "Hate speech";
        OffTopic => "off_topic", "Off topic";
        Other => "other", "Other";
    }
);

code_enum!(
    /// Why a reader reported a comment.
    ReportReason, "reason", "report reason" {
        Abusive => "abusive", "Abusive or offensive";
        Spam => "spam", "Spam or advertising";
        OffTopic => "off_topic", "Off topic";
        Misinformation => "misinformation", "Misinformation";
        Other => "other", "Something else";
    }
);

code_enum!(
    /// The moderators' queues.
    Queue, "queue", "queue" {
        Pending => "pending", "Pending";
        Reported => "reported", "Reported";
        Unmoderated => "unmoderated", "Unmoderated";
        Rejected => "rejected", "Rejected";
        Approved => "approved", "Approved";
    }
);

/// What webhook receivers hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookEvent {
    #[serde(rename = "comment.created")]
    CommentCreated,
    #[serde(rename = "comment.held")]
    CommentHeld,
    #[serde(rename = "comment.published")]
    CommentPublished,
    #[serde(rename = "comment.rejected")]
    CommentRejected,
    #[serde(rename = "comment.reported")]
    CommentReported,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 5] =
        [Self::CommentCreated, Self::CommentHeld, Self::CommentPublished, Self::CommentRejected, Self::CommentReported];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommentCreated => "comment.created",
            Self::CommentHeld => "comment.held",
            Self::CommentPublished => "comment.published",
            Self::CommentRejected => "comment.rejected",
            Self::CommentReported => "comment.reported",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == raw.trim())
    }

    /// The event a comment entering `status` raises.
    pub fn for_status(status: crate::CommentStatus) -> Option<Self> {
        match status {
            crate::CommentStatus::Published => Some(Self::CommentPublished),
            crate::CommentStatus::Pending => Some(Self::CommentHeld),
            crate::CommentStatus::Rejected => Some(Self::CommentRejected),
            crate::CommentStatus::Deleted | crate::CommentStatus::Removed => None,
        }
    }
}

/// Which step of the pipeline (or who) decided; stored with each reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Premoderation,
    BannedWords,
    SuspectWords,
    Links,
    Repeats,
    History,
    Reports,
    Scorer,
    Webhook,
    Author,
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Self::Premoderation => "Pre-moderation",
            Self::BannedWords => "Banned words",
            Self::SuspectWords => "Suspect words",
            Self::Links => "Links",
            Self::Repeats => "Repeated text",
            Self::History => "Author's history",
            Self::Reports => "Reader reports",
            Self::Scorer => "Scorer",
            Self::Webhook => "Moderation webhook",
            Self::Author => "Author restriction",
        }
    }
}

/// One matched word or phrase: the list entry, and where it stands in the
/// comment's Markdown source (byte offsets, end exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordMatch {
    pub entry: String,
    pub start: usize,
    pub end: usize,
}

/// Why a comment was held or rejected, as moderators see it on its card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub step: Step,
    /// A stable code, e.g. `new_commenter`, `too_many_links`, `report_threshold`.
    pub code: String,
    /// One sentence for the moderator.
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordMatch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<u32>,
}

impl Reason {
    pub fn new(step: Step, code: &str, detail: impl Into<String>) -> Self {
        Self {
            step,
            code: code.to_owned(),
            detail: detail.into(),
            words: vec![],
            score: None,
            attribute: None,
            reports: None,
        }
    }
}

/// Who wrote a comment, for history, restrictions and repeats: an account,
/// or a guest known only by their (lower-cased) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthorKey {
    Account(UserId),
    Guest(String),
}

impl AuthorKey {
    pub fn guest(email: &str) -> Self {
        Self::Guest(email.trim().to_lowercase())
    }

    /// The stored form: `user:12` or `email:reader@example.org`.
    pub fn as_stored(&self) -> String {
        match self {
            Self::Account(id) => format!("user:{}", id.0),
            Self::Guest(email) => format!("email:{email}"),
        }
    }

    pub fn parse_stored(raw: &str) -> Option<Self> {
        if let Some(id) = raw.strip_prefix("user:") {
            return id.parse().ok().map(|id| Self::Account(UserId(id)));
        }
        raw.strip_prefix("email:").filter(|e| e.contains('@')).map(|e| Self::Guest(e.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_round_trip_and_unknown_ones_name_the_valid_codes() {
        for reason in RejectReason::ALL {
            assert_eq!(RejectReason::parse(reason.as_str()).unwrap(), *reason);
        }
        let error = RejectReason::parse("rude").unwrap_err();
        assert_eq!(error.code, "invalid_reason");
        assert!(error.message.contains("hate_speech"), "{}", error.message);
        assert_eq!(Queue::parse("reported").unwrap(), Queue::Reported);
        assert_eq!(ReportReason::parse("spam").unwrap(), ReportReason::Spam);
    }

    #[test]
    fn author_keys_round_trip_through_their_stored_form() {
        let account = AuthorKey::Account(UserId(12));
        assert_eq!(account.as_stored(), "user:12");
        assert_eq!(AuthorKey::parse_stored("user:12"), Some(account));
        let guest = AuthorKey::guest(" Reader@Example.org ");
        assert_eq!(guest.as_stored(), "email:reader@example.org");
        assert_eq!(AuthorKey::parse_stored(&guest.as_stored()), Some(guest));
        assert_eq!(AuthorKey::parse_stored("user:x"), None);
        assert_eq!(AuthorKey::parse_stored("email:nobody"), None);
    }

    #[test]
    fn reasons_serialize_without_empty_parts() {
        let reason = Reason::new(Step::Links, "too_many_links", "3 links; at most 2 are published at once.");
        let json = serde_json::to_string(&reason).unwrap();
        assert_eq!(
            json,
            r#"{"step":"links","code":"too_many_links","detail":"3 links; at most 2 are published at once."}"#
        );
        assert_eq!(serde_json::from_str::<Reason>(&json).unwrap(), reason);
    }
}
