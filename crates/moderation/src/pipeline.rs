//! The policy pipeline: a comment, its article's settings, the site's policy
//! and its author's record go in; a verdict (publish, hold or reject) with
//! every reason comes out. Pure: the caller gathers the facts.
//!
//! The steps, in order (each reads the site's setting unless the article
//! overrides it; every step runs, so moderators see every reason):
//! 1. Admission (closed discussion, guests, suspension, length, rate
//!    limits, and the cool-down from [`cooldown_remaining`]) happens before,
//!    in the caller: it refuses a comment rather than judging it.
//! 2. Pre-moderation: all / new commenters / guests / with links; staff skip
//!    the whole pipeline, trusted commenters skip this step, authors a
//!    moderator marked "always pre-moderate" are always held.
//! 3. Banned words reject; suspect words hold.
//! 4. Links: a blocked domain rejects; more than `max_links` holds; links
//!    all to allowed domains skip this step.
//! 5. Repeats: near-identical text by the same author within the window holds.
//! 6. History: an author whose recent decided comments were mostly rejected is held.
//! 7. Reader reports hold a published comment later ([`held_by_reports`]).
//! 8. The scorer's scores hold or reject per attribute; an external webhook's
//!    answer is merged in by [`Verdict::merge_external`].

use crate::fingerprint::fingerprint;
use crate::links::links;
use crate::normalize::normalize;
use crate::settings::{DiscussionSettings, Policy, Premoderation, ScoreThresholds};
use serde::Serialize;
use tribune_domain::moderation::{Reason, Step};
use tribune_domain::{CommentStatus, Timestamp};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Publish,
    Hold,
    Reject,
}

impl Decision {
    /// The comment status a new comment with this decision is stored with.
    pub fn status(self) -> CommentStatus {
        match self {
            Self::Publish => CommentStatus::Published,
            Self::Hold => CommentStatus::Pending,
            Self::Reject => CommentStatus::Rejected,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub decision: Decision,
    pub reasons: Vec<Reason>,
    /// For the repeats step of the author's later comments.
    pub fingerprint: i64,
    /// Published, but a moderator should look (an external service flagged it).
    pub flagged: bool,
    /// Told to the author of a rejected comment.
    pub author_message: Option<String>,
}

impl Verdict {
    fn raise(&mut self, decision: Decision, reason: Reason) {
        self.decision = self.decision.max(decision);
        self.reasons.push(reason);
    }

    /// Merges an external moderation service's answer. It can add a hold or
    /// a rejection but never lift one; a service that failed leaves the
    /// decision as the other steps made it, noting why.
    pub fn merge_external(&mut self, answer: ExternalAnswer) {
        match answer {
            ExternalAnswer::Publish => {}
            ExternalAnswer::Hold(why) => self.raise(Decision::Hold, Reason::new(Step::Webhook, "webhook_hold", why)),
            ExternalAnswer::Reject(why) => {
                self.author_message.get_or_insert_with(|| "Your comment was not accepted.".to_owned());
                self.raise(Decision::Reject, Reason::new(Step::Webhook, "webhook_reject", why));
            }
            ExternalAnswer::Flag(why) => {
                self.flagged = true;
                self.reasons.push(Reason::new(Step::Webhook, "webhook_flag", why));
            }
            ExternalAnswer::Failed(why) => {
                self.reasons.push(Reason::new(Step::Webhook, "webhook_unavailable", why));
            }
        }
    }
}

impl Verdict {
    /// The author saw the think-before-posting notice and sent the comment
    /// unchanged: a moderator reads it first.
    pub fn hold_sent_after_notice(&mut self, attribute: &str, score: f32) {
        let detail = format!("Sent unchanged after the think-before-posting notice ({attribute} scored {score:.2}).");
        let mut reason = Reason::new(Step::Scorer, "sent_after_notice", detail);
        reason.score = Some(score);
        reason.attribute = Some(attribute.to_owned());
        self.raise(Decision::Hold, reason);
    }
}

/// The attribute (and its score) that makes the author think again before
/// the comment is sent, if any: the highest of those at or above the site's
/// threshold, SPAM aside (spammers are not asked to reconsider).
pub fn think_before_posting(policy: &Policy, scores: &[(String, f32)]) -> Option<(String, f32)> {
    let threshold = policy.settings.think_before_posting?;
    scores
        .iter()
        .filter(|(attribute, score)| attribute != "SPAM" && *score >= threshold)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .cloned()
}

/// What an external moderation webhook answered, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalAnswer {
    Publish,
    Hold(String),
    Reject(String),
    Flag(String),
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorKind {
    Guest,
    Account,
    /// Moderators, editors and admins: trusted with their own words.
    Staff,
}

/// One of the author's recent comments, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastComment {
    pub status: CommentStatus,
    pub created_at: Timestamp,
    pub fingerprint: Option<i64>,
}

/// What the pipeline knows of an author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author<'a> {
    pub kind: AuthorKind,
    /// A moderator marked them "always pre-moderate".
    pub always_premoderate: bool,
    /// Their latest comments (a bounded number), newest first.
    pub history: &'a [PastComment],
}

#[derive(Debug, Clone)]
pub struct Submission<'a> {
    /// The comment's Markdown source.
    pub text: &'a str,
    pub author: Author<'a>,
    /// From the scorer, by attribute name; empty without one.
    pub scores: &'a [(String, f32)],
    pub now: Timestamp,
}

/// How long the author must still wait before commenting again, in seconds.
pub fn cooldown_remaining(policy: &Policy, history: &[PastComment], now: Timestamp) -> Option<u64> {
    let cooldown_ms = i64::from(policy.settings.cooldown_seconds) * 1000;
    let last = history.iter().map(|c| c.created_at.0).max()?;
    let wait_ms = last + cooldown_ms - now.0;
    (cooldown_ms > 0 && wait_ms > 0).then(|| u64::try_from((wait_ms + 999) / 1000).unwrap_or(1))
}

/// Runs steps 2 to 6 and 8; see the module documentation.
pub fn evaluate(policy: &Policy, article: &DiscussionSettings, submission: &Submission<'_>) -> Verdict {
    let text = normalize(submission.text);
    let print = fingerprint(&text);
    let mut verdict = Verdict {
        decision: Decision::Publish,
        reasons: Vec::new(),
        fingerprint: print.value,
        flagged: false,
        author_message: None,
    };
    if submission.author.kind == AuthorKind::Staff {
        return verdict;
    }
    let settings = &policy.settings;
    let record = Record::of(submission.author.history, submission.now, settings.history_days);
    let found_links = links(submission.text);

    // 2. Pre-moderation.
    if submission.author.always_premoderate {
        verdict.raise(
            Decision::Hold,
            Reason::new(Step::Author, "always_premoderate", "A moderator asked to see every comment by this author."),
        );
    }
    let trusted = record.published >= settings.trusted_after && record.rejected_recently == 0;
    let mode = article.premoderation.unwrap_or(settings.premoderation);
    let premoderated = match mode {
        Premoderation::None => None,
        Premoderation::All => Some(("premoderation_all", "Every comment is reviewed before publication.".to_owned())),
        Premoderation::NewCommenters if record.published < settings.new_commenter_approvals => Some((
            "new_commenter",
            format!(
                "New commenter: {} of {} comments needed before publishing directly.",
                record.published, settings.new_commenter_approvals
            ),
        )),
        Premoderation::NewCommenters => None,
        Premoderation::Guests if submission.author.kind == AuthorKind::Guest => {
            Some(("guest", "Comments by guests are reviewed before publication.".to_owned()))
        }
        Premoderation::Guests => None,
        Premoderation::Links if !found_links.is_empty() => {
            Some(("contains_links", "Comments with links are reviewed before publication.".to_owned()))
        }
        Premoderation::Links => None,
    };
    if let (Some((code, detail)), false) = (premoderated, trusted) {
        verdict.raise(Decision::Hold, Reason::new(Step::Premoderation, code, detail));
    }

    // 3. Word lists.
    let banned = policy.banned.find(&text);
    if !banned.is_empty() {
        let listed = quoted(banned.iter().map(|m| &submission.text[m.start..m.end]));
        verdict.author_message = Some(format!(
            "Your comment contains {} that {} not allowed here: {listed}. Please edit it and send it again.",
            if banned.len() == 1 { "a word" } else { "words" },
            if banned.len() == 1 { "is" } else { "are" },
        ));
        let mut reason = Reason::new(Step::BannedWords, "banned_words", format!("Banned: {listed}."));
        reason.words = banned;
        verdict.raise(Decision::Reject, reason);
    }
    let suspect = policy.suspect.find(&text);
    if !suspect.is_empty() {
        let listed = quoted(suspect.iter().map(|m| &submission.text[m.start..m.end]));
        let mut reason = Reason::new(Step::SuspectWords, "suspect_words", format!("Suspect: {listed}."));
        reason.words = suspect;
        verdict.raise(Decision::Hold, reason);
    }

    // 4. Links.
    let all_allowed = !found_links.is_empty() && found_links.iter().all(|l| policy.allowed.contains_host(&l.host));
    if !all_allowed {
        let blocked: Vec<&str> =
            found_links.iter().filter(|l| policy.blocked.contains_host(&l.host)).map(|l| l.host.as_str()).collect();
        if !blocked.is_empty() {
            verdict.author_message = Some("Your comment links to a site that is not allowed here.".to_owned());
            let detail = format!("Links to blocked domains: {}.", quoted(blocked.iter().copied()));
            verdict.raise(Decision::Reject, Reason::new(Step::Links, "blocked_domain", detail));
        }
        if let Some(max) = article.max_links.or(settings.max_links) {
            if found_links.len() > max as usize {
                let detail = format!("{} links; at most {max} are published without review.", found_links.len());
                verdict.raise(Decision::Hold, Reason::new(Step::Links, "too_many_links", detail));
            }
        }
    }

    // 5. Repeats.
    let window_start = submission.now.0 - i64::from(settings.repeat_window_minutes) * 60_000;
    let repeated = submission
        .author
        .history
        .iter()
        .filter(|c| c.created_at.0 >= window_start)
        .any(|c| c.status != CommentStatus::Deleted && c.fingerprint.is_some_and(|f| print.repeats(f)));
    if repeated && !text.is_empty() {
        let detail = format!(
            "The same or nearly the same text as another comment by this author within {} minutes.",
            settings.repeat_window_minutes
        );
        verdict.raise(Decision::Hold, Reason::new(Step::Repeats, "repeated_text", detail));
    }

    // 6. History.
    let decided = record.published_recently + record.rejected_recently;
    if decided >= settings.history_min_decided.max(1)
        && record.rejected_recently * 100 > settings.history_max_rejected_percent * decided
    {
        let detail = format!(
            "{} of this author's {decided} decided comments in the last {} days were rejected.",
            record.rejected_recently, settings.history_days
        );
        verdict.raise(Decision::Hold, Reason::new(Step::History, "poor_history", detail));
    }

    // 8. Scores.
    for (attribute, score) in submission.scores {
        let limits: ScoreThresholds =
            article.scores.get(attribute).or_else(|| settings.scores.get(attribute)).copied().unwrap_or_default();
        let decision = if limits.reject.is_some_and(|t| *score >= t) {
            Decision::Reject
        } else if limits.hold.is_some_and(|t| *score >= t) {
            Decision::Hold
        } else {
            continue;
        };
        let mut reason = Reason::new(
            Step::Scorer,
            if decision == Decision::Reject { "score_reject" } else { "score_hold" },
            format!("{attribute} scored {score:.2}."),
        );
        reason.score = Some(*score);
        reason.attribute = Some(attribute.clone());
        if decision == Decision::Reject {
            verdict.author_message.get_or_insert_with(|| {
                "Your comment looks likely to break our discussion guidelines, so it was not published.".to_owned()
            });
        }
        verdict.raise(decision, reason);
    }
    if verdict.decision != Decision::Reject {
        verdict.author_message = None;
    }
    verdict
}

/// Step 7: whether `reports` open reports hold a published comment, and why.
pub fn held_by_reports(policy: &Policy, article: &DiscussionSettings, reports: u32) -> Option<Reason> {
    let threshold = article.report_threshold.unwrap_or(policy.settings.report_threshold);
    (threshold > 0 && reports >= threshold).then(|| {
        let mut reason =
            Reason::new(Step::Reports, "report_threshold", format!("Reported by {reports} readers; held for review."));
        reason.reports = Some(reports);
        reason
    })
}

/// An author's record, counted from their latest comments.
struct Record {
    published: u32,
    published_recently: u32,
    rejected_recently: u32,
}

impl Record {
    fn of(history: &[PastComment], now: Timestamp, days: u32) -> Self {
        let since = now.0 - i64::from(days) * DAY_MS;
        let count = |keep: &dyn Fn(&PastComment) -> bool| {
            u32::try_from(history.iter().filter(|c| keep(c)).count()).unwrap_or(u32::MAX)
        };
        Self {
            published: count(&|c| c.status == CommentStatus::Published),
            published_recently: count(&|c| c.status == CommentStatus::Published && c.created_at.0 >= since),
            rejected_recently: count(&|c| c.status == CommentStatus::Rejected && c.created_at.0 >= since),
        }
    }
}

fn quoted<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join(", ")
}
