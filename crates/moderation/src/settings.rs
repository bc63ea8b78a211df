//! The site's moderation settings as stored (JSON in the database, edited in
//! the admin and through the API), an article's overrides, and the compiled
//! policy the pipeline runs with.

use crate::links::DomainList;
use crate::words::WordList;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tribune_domain::{FieldError, ValidationErrors};

/// Which comments wait for a moderator before anyone else sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Premoderation {
    /// Only what another step holds.
    #[default]
    None,
    All,
    /// Until the author has `new_commenter_approvals` published comments.
    NewCommenters,
    Guests,
    /// Comments that contain a link.
    Links,
}

impl Premoderation {
    pub const ALL: [Premoderation; 5] = [Self::None, Self::All, Self::NewCommenters, Self::Guests, Self::Links];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::All => "all",
            Self::NewCommenters => "new_commenters",
            Self::Guests => "guests",
            Self::Links => "links",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|mode| mode.as_str() == raw.trim()).ok_or_else(|| {
            FieldError::new(
                "premoderation",
                "invalid_premoderation",
                "Pre-moderation must be one of: none, all, new_commenters, guests, links.",
            )
        })
    }
}

/// Per attribute of the scorer: at or above `hold` the comment waits, at or
/// above `reject` it is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreThresholds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject: Option<f32>,
}

/// Everything a site decides about moderation; each field has a default, so
/// a partial document is complete once read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModerationSettings {
    pub premoderation: Premoderation,
    /// Published comments a new commenter needs before skipping pre-moderation.
    pub new_commenter_approvals: u32,
    /// Published comments, and none rejected within `history_days`, that make
    /// a commenter trusted: they skip pre-moderation.
    pub trusted_after: u32,
    /// Found in a comment: rejected, and the author is told which word.
    pub banned_words: Vec<String>,
    /// Found in a comment: held for a moderator.
    pub suspect_words: Vec<String>,
    /// More links than this are held; `None` allows any number.
    pub max_links: Option<u32>,
    /// Links to these domains (and their subdomains) are rejected.
    pub blocked_domains: Vec<String>,
    /// Comments whose links all go to these domains skip the link checks.
    pub allowed_domains: Vec<String>,
    /// The same or nearly the same text by one author within this window is held.
    pub repeat_window_minutes: u32,
    /// An author must wait this long between two comments (0: no wait).
    pub cooldown_seconds: u32,
    /// How far back an author's record counts.
    pub history_days: u32,
    /// Decided comments needed before the history step judges an author.
    pub history_min_decided: u32,
    /// An author with more of their decided comments rejected than this is held.
    pub history_max_rejected_percent: u32,
    /// Reports from this many readers hold a published comment (0: never).
    pub report_threshold: u32,
    pub guests_may_report: bool,
    /// By scorer attribute (`TOXICITY`, `SPAM` …).
    pub scores: BTreeMap<String, ScoreThresholds>,
    /// "Think before you post": a comment scoring at least this on any
    /// attribute but SPAM is first sent back to its author with a notice;
    /// sent again unchanged, it is held for a moderator. `None`: off.
    pub think_before_posting: Option<f32>,
    /// Comments close this many days after publication (`None`: never).
    pub close_after_days: Option<u32>,
    /// Shown above every comment form (an article may have its own).
    pub guidelines: String,
    /// Each article shows "N comments removed for breaking our guidelines".
    pub public_moderation_note: bool,
    /// Moderators get an e-mail about new items this often (0: never).
    pub digest_minutes: u32,
}

/// TOXICITY at or above which a comment waits for a moderator, out of the box.
pub const DEFAULT_TOXICITY_HOLD: f32 = 0.9;
/// Any attribute but SPAM at or above which the author is asked to think again:
/// the lowest score at which a site with the defaults acts on a comment
/// (the quality report measures identity bias there).
pub const DEFAULT_THINK_BEFORE_POSTING: f32 = 0.85;

impl Default for ModerationSettings {
    fn default() -> Self {
        Self {
            premoderation: Premoderation::None,
            new_commenter_approvals: 1,
            trusted_after: 10,
            banned_words: Vec::new(),
            suspect_words: Vec::new(),
            max_links: Some(2),
            blocked_domains: Vec::new(),
            allowed_domains: Vec::new(),
            repeat_window_minutes: 60,
            cooldown_seconds: 0,
            history_days: 30,
            history_min_decided: 3,
            history_max_rejected_percent: 50,
            report_threshold: 3,
            guests_may_report: false,
            // Out of the box the on-device scorer holds what is almost
            // certainly toxic and asks the author to think again a little below.
            scores: BTreeMap::from([(
                "TOXICITY".to_owned(),
                ScoreThresholds { hold: Some(DEFAULT_TOXICITY_HOLD), reject: None },
            )]),
            think_before_posting: Some(DEFAULT_THINK_BEFORE_POSTING),
            close_after_days: None,
            guidelines: String::new(),
            public_moderation_note: false,
            digest_minutes: 0,
        }
    }
}

/// What one article changes of the site's settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscussionSettings {
    /// Shown instead of the form when comments are closed.
    pub closed_message: String,
    /// Overrides the site's `close_after_days`; `Some(0)` never closes.
    pub close_after_days: Option<u32>,
    pub premoderation: Option<Premoderation>,
    /// Replaces the site's guidelines above this article's form.
    pub guidelines: String,
    pub max_links: Option<u32>,
    pub report_threshold: Option<u32>,
    pub scores: BTreeMap<String, ScoreThresholds>,
}

/// The limits a settings document must keep.
const MAX_GUIDELINES_CHARS: usize = 5_000;
const MAX_DOMAINS: usize = 5_000;

/// Settings with their word lists compiled, ready for the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub settings: ModerationSettings,
    pub banned: WordList,
    pub suspect: WordList,
    /// `settings.blocked_domains` and `allowed_domains`, ready for lookups.
    pub blocked: DomainList,
    pub allowed: DomainList,
}

impl Policy {
    /// Whether any step of the site's policy reads the author's past
    /// comments (pre-moderation, through trust; repeats; the cool-down; the
    /// history step). When none does, posting skips reading them; an
    /// article's own pre-moderation needs them too (the caller checks that).
    /// Whether posting needs the scorer's scores: a threshold is set, here
    /// or (`article`) on the article.
    pub fn needs_scores(&self, article: &DiscussionSettings) -> bool {
        self.settings.think_before_posting.is_some() || !self.settings.scores.is_empty() || !article.scores.is_empty()
    }

    pub fn needs_history(&self) -> bool {
        let s = &self.settings;
        s.premoderation != Premoderation::None
            || s.repeat_window_minutes > 0
            || s.cooldown_seconds > 0
            || s.history_max_rejected_percent < 100
    }

    /// Checks every field and compiles the lists; all problems at once.
    pub fn compile(settings: ModerationSettings) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let banned = errors.check(WordList::compile("banned_words", &settings.banned_words));
        let suspect = errors.check(WordList::compile("suspect_words", &settings.suspect_words));
        for (field, domains) in
            [("blocked_domains", &settings.blocked_domains), ("allowed_domains", &settings.allowed_domains)]
        {
            errors.check(check_domains(field, domains));
        }
        errors.check(check_scores("scores", &settings.scores));
        if settings.think_before_posting.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
            errors.push(FieldError::new(
                "think_before_posting",
                "out_of_range",
                "The think-before-posting threshold must be between 0 and 1.",
            ));
        }
        if settings.guidelines.chars().count() > MAX_GUIDELINES_CHARS {
            errors.push(too_long("guidelines", MAX_GUIDELINES_CHARS));
        }
        if settings.history_max_rejected_percent > 100 {
            errors.push(FieldError::new(
                "history_max_rejected_percent",
                "out_of_range",
                "The rejected share is a percentage, 0 to 100.",
            ));
        }
        match (banned, suspect) {
            (Some(banned), Some(suspect)) if errors.0.is_empty() => {
                let blocked = DomainList::new(&settings.blocked_domains);
                let allowed = DomainList::new(&settings.allowed_domains);
                Ok(Self { settings, banned, suspect, blocked, allowed })
            }
            _ => Err(errors),
        }
    }
}

impl DiscussionSettings {
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        errors.check(check_scores("scores", &self.scores));
        if self.guidelines.chars().count() > MAX_GUIDELINES_CHARS {
            errors.push(too_long("guidelines", MAX_GUIDELINES_CHARS));
        }
        if self.closed_message.chars().count() > 1_000 {
            errors.push(too_long("closed_message", 1_000));
        }
        if errors.0.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn too_long(field: &'static str, max: usize) -> FieldError {
    FieldError::new(field, "too_long", format!("At most {max} characters."))
}

fn check_domains(field: &'static str, domains: &[String]) -> Result<(), FieldError> {
    if domains.len() > MAX_DOMAINS {
        return Err(FieldError::new(field, "too_many_entries", format!("At most {MAX_DOMAINS} domains.")));
    }
    for (number, domain) in domains.iter().enumerate() {
        let name = domain.trim().trim_start_matches("*.");
        let valid = name.contains('.')
            && name.len() <= 253
            && !name.starts_with('.')
            && !name.ends_with('.')
            && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !valid {
            return Err(FieldError::new(
                field,
                "invalid_domain",
                format!("Line {}: {:?} is not a domain name like example.org.", number + 1, domain.trim()),
            ));
        }
    }
    Ok(())
}

fn check_scores(field: &'static str, scores: &BTreeMap<String, ScoreThresholds>) -> Result<(), FieldError> {
    for (attribute, limits) in scores {
        let valid_name = !attribute.is_empty()
            && attribute.len() <= 40
            && attribute.chars().all(|c| c.is_ascii_uppercase() || c == '_');
        if !valid_name {
            return Err(FieldError::new(
                field,
                "invalid_attribute",
                format!("{attribute:?} is not an attribute name such as TOXICITY."),
            ));
        }
        for value in [limits.hold, limits.reject].into_iter().flatten() {
            if !(0.0..=1.0).contains(&value) {
                return Err(FieldError::new(
                    field,
                    "out_of_range",
                    format!("Thresholds for {attribute} must be between 0 and 1."),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_document_takes_defaults_and_unknown_keys_are_refused() {
        let settings: ModerationSettings = serde_json::from_str(r#"{"premoderation": "guests"}"#).unwrap();
        assert_eq!(settings.premoderation, Premoderation::Guests);
        assert_eq!(settings.report_threshold, ModerationSettings::default().report_threshold);
        assert!(serde_json::from_str::<ModerationSettings>(r#"{"premod": "all"}"#).is_err());
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_field() {
        let settings = ModerationSettings {
            banned_words: vec!["(bad|worse)".to_owned()],
            blocked_domains: vec!["not a domain".to_owned()],
            scores: BTreeMap::from([("TOXICITY".to_owned(), ScoreThresholds { hold: Some(1.5), reject: None })]),
            history_max_rejected_percent: 101,
            ..ModerationSettings::default()
        };
        let errors = Policy::compile(settings).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["banned_words", "blocked_domains", "scores", "history_max_rejected_percent"]);
    }

    #[test]
    fn the_history_is_read_only_when_a_step_uses_it() {
        let off = ModerationSettings {
            repeat_window_minutes: 0,
            history_max_rejected_percent: 100,
            ..ModerationSettings::default()
        };
        assert!(!Policy::compile(off.clone()).unwrap().needs_history());
        for on in [
            ModerationSettings { premoderation: Premoderation::Guests, ..off.clone() },
            ModerationSettings { repeat_window_minutes: 1, ..off.clone() },
            ModerationSettings { cooldown_seconds: 5, ..off.clone() },
            ModerationSettings { history_max_rejected_percent: 99, ..off.clone() },
        ] {
            assert!(Policy::compile(on).unwrap().needs_history());
        }
        assert!(Policy::compile(ModerationSettings::default()).unwrap().needs_history());
    }

    #[test]
    fn discussion_settings_are_checked() {
        let bad = DiscussionSettings { closed_message: "x".repeat(1_001), ..Default::default() };
        assert_eq!(bad.check().unwrap_err().0[0].field, "closed_message");
        assert!(DiscussionSettings::default().check().is_ok());
    }
}
