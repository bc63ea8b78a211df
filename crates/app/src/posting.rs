//! Posting a comment: parse what was typed, check that the author may
//! comment here, run the moderation pipeline, store the comment with its
//! verdict and reasons, and announce it if it is published.

use crate::settings::{closed_message, discussion_of, SettingsError};
use crate::Moderation;
use serde::Deserialize;
use tribune_domain::markdown::render_comment;
use tribune_domain::moderation::{AuthorKey, RejectReason, WebhookEvent, WordMatch};
use tribune_domain::thread::{reply_parent, ReplyTarget};
use tribune_domain::{
    AuthorName, CommentBody, CommentId, CommentStatus, Email, FieldError, NewComment, Timestamp, ValidationErrors,
    Website,
};
use tribune_moderation::pipeline::{self, Author, AuthorKind, Decision, Submission, Verdict};
use tribune_store::{Article, ArticleEvent, AuthorRestriction, Comment, DbError, User};

/// How many of an author's latest comments the pipeline reads.
const HISTORY_LIMIT: u32 = 200;
/// The scorer reads at most this much of a comment.
const MAX_SCORED_BYTES: usize = 20 * 1024;

/// What a commenter sent, from the form or the API, before parsing.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct CommentInput {
    pub name: String,
    pub email: String,
    pub website: String,
    pub body: String,
    /// The comment replied to; blank for a top-level comment.
    #[serde(deserialize_with = "optional_id")]
    pub parent_id: Option<String>,
    /// Tell the author by e-mail when a held comment is reviewed.
    #[serde(deserialize_with = "checkbox")]
    pub notify: bool,
    /// The author has read a moderator's warning shown with the form.
    #[serde(deserialize_with = "checkbox")]
    pub acknowledge_warning: bool,
    /// The author saw the think-before-posting notice and sends the
    /// comment as it is, for a moderator to read first.
    #[serde(deserialize_with = "checkbox")]
    pub send_anyway: bool,
}

/// Accepts a number or a string for ids, since forms send strings and JSON clients numbers.
pub fn optional_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(i64),
        Text(String),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        None => None,
        Some(Raw::Number(n)) => Some(n.to_string()),
        Some(Raw::Text(s)) if s.trim().is_empty() => None,
        Some(Raw::Text(s)) => Some(s),
    })
}

/// A JSON boolean, or a form checkbox's "on" / "true" / "1".
pub fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Flag(bool),
        Text(String),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        None => false,
        Some(Raw::Flag(flag)) => flag,
        Some(Raw::Text(text)) => matches!(text.as_str(), "on" | "true" | "1" | "yes"),
    })
}

/// The site's limits on comments.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub max_chars: usize,
    pub max_depth: u32,
    pub guests_may_comment: bool,
}

/// Who is commenting.
#[derive(Debug, Clone, Copy)]
pub enum Commenter<'a> {
    Account(&'a User),
    /// `token_hash` identifies the guest's browser, so they see their own held comments.
    Guest {
        token_hash: Option<&'a str>,
    },
}

#[derive(Debug)]
pub struct Posted {
    pub comment: Comment,
    pub verdict: Verdict,
}

#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("comments are closed: {0}")]
    Closed(String),
    #[error("sign in required")]
    SignInRequired,
    /// The account is suspended by an admin.
    #[error("account suspended")]
    AccountSuspended,
    #[error("banned from commenting")]
    Banned(String),
    #[error("suspended from commenting")]
    Suspended { until: Timestamp, message: String },
    /// A moderator's warning waits to be acknowledged.
    #[error("a warning must be acknowledged")]
    WarningPending(String),
    #[error("wait {0} seconds")]
    Cooldown(u64),
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// "Think before you post": nothing was stored; the author may edit
    /// the comment or send it again with `send_anyway`.
    #[error("{attribute} scored {score:.2}: the author is asked to think again")]
    Reconsider { attribute: String, score: f32 },
    /// Stored as rejected, for moderators; the author is told why.
    #[error("rejected: {message}")]
    Rejected { message: String, comment: Box<Comment> },
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Store(#[from] DbError),
}

fn parent_not_found() -> FieldError {
    FieldError::new("parent_id", "parent_not_found", "The comment you are replying to does not exist on this article.")
}

/// What an author must be told before writing, if they may not comment now.
pub fn refusal(restriction: &AuthorRestriction, now: Timestamp) -> Option<PostError> {
    if restriction.banned {
        return Some(PostError::Banned(restriction.message.clone()));
    }
    if let Some(until) = restriction.suspended_until.filter(|until| *until > now) {
        return Some(PostError::Suspended { until, message: restriction.message.clone() });
    }
    restriction.warning.clone().map(PostError::WarningPending)
}

impl Moderation {
    /// Parses, judges, stores and announces a comment; nothing is written
    /// when a field is wrong or the author may not comment.
    pub async fn post_comment(
        &self,
        article: &Article,
        input: &CommentInput,
        commenter: Commenter<'_>,
        rules: Rules,
    ) -> Result<Posted, PostError> {
        let now = Timestamp::now();
        let policy = self.policy();
        let discussion = discussion_of(article)?;
        if let Some(message) = closed_message(article, &discussion, &policy.settings, now) {
            return Err(PostError::Closed(message));
        }
        let (author, kind) = match commenter {
            Commenter::Account(user) if user.suspended => return Err(PostError::AccountSuspended),
            Commenter::Account(user) => (
                AuthorKey::Account(user.id),
                if user.role.allows(tribune_domain::account::Role::Moderator) {
                    AuthorKind::Staff
                } else {
                    AuthorKind::Account
                },
            ),
            Commenter::Guest { .. } if !rules.guests_may_comment => return Err(PostError::SignInRequired),
            Commenter::Guest { .. } => (AuthorKey::guest(&input.email), AuthorKind::Guest),
        };

        let mut errors = ValidationErrors::default();
        let (name, email) = match commenter {
            Commenter::Account(user) => {
                (errors.check(AuthorName::parse(&user.display_name)), errors.check(Email::parse(&user.email)))
            }
            Commenter::Guest { .. } => {
                (errors.check(AuthorName::parse(&input.name)), errors.check(Email::parse(&input.email)))
            }
        };
        let website = errors.check(Website::parse_optional(&input.website));
        let body = errors.check(CommentBody::parse(&input.body, rules.max_chars));
        let parent_id = match input.parent_id.as_deref() {
            None => Some(None),
            Some(raw) => match raw.trim().parse::<i64>() {
                Ok(id) => errors.check(self.reply_target(article, CommentId(id), rules.max_depth).await?),
                Err(_) => {
                    errors.push(FieldError::new(
                        "parent_id",
                        "invalid_parent",
                        "The reply target must be a comment id.",
                    ));
                    None
                }
            },
        };
        let (Some(name), Some(email), Some(website), Some(body), Some(parent_id)) =
            (name, email, website, body, parent_id)
        else {
            return Err(PostError::Invalid(errors));
        };

        let needs_history = policy.needs_history() || discussion.premoderation.is_some();
        let (restriction, history) = if kind == AuthorKind::Staff {
            (AuthorRestriction::default(), Vec::new())
        } else if !needs_history {
            (self.store.author_restriction(&author).await?, Vec::new())
        } else {
            let standing = self.store.author_standing(&author, HISTORY_LIMIT).await?;
            (standing.restriction, standing.history)
        };
        match refusal(&restriction, now) {
            Some(PostError::WarningPending(_)) if input.acknowledge_warning => {
                self.acknowledge_warning(&author).await?
            }
            Some(refused) => return Err(refused),
            None => {}
        }
        let past: Vec<pipeline::PastComment> = history
            .iter()
            .map(|c| pipeline::PastComment { status: c.status, created_at: c.created_at, fingerprint: c.fingerprint })
            .collect();
        if let Some(wait) = pipeline::cooldown_remaining(&policy, &past, now) {
            return Err(PostError::Cooldown(wait));
        }
        let wants_scores = kind != AuthorKind::Staff && policy.needs_scores(&discussion);
        let scores = match (&self.scorer, wants_scores) {
            (Some(scorer), true) => scorer.score(prefix(body.as_str(), MAX_SCORED_BYTES)),
            _ => Vec::new(),
        };
        let author_facts = Author { kind, always_premoderate: restriction.always_premoderate, history: &past };
        let submission = Submission { text: body.as_str(), author: author_facts, scores: &scores, now };
        let mut verdict = pipeline::evaluate(&policy, &discussion, &submission);
        if let Some((attribute, score)) = pipeline::think_before_posting(&policy, &scores) {
            match verdict.decision {
                // Rejected anyway: the author is told why, not asked to think.
                Decision::Reject => {}
                _ if input.send_anyway => verdict.hold_sent_after_notice(&attribute, score),
                _ => return Err(PostError::Reconsider { attribute, score }),
            }
        }
        if let (Some(external), false) = (&self.external, kind == AuthorKind::Staff) {
            let answer = external.ask(article, name.as_str(), &author, body.as_str(), &verdict).await;
            verdict.merge_external(answer);
        }

        if let Some(scorer) = &self.scorer {
            mark_scored_words(scorer.as_ref(), prefix(body.as_str(), MAX_SCORED_BYTES), &mut verdict);
        }
        let status = verdict.decision.status();
        let comment = NewComment {
            article_id: article.id,
            parent_id,
            author_name: name,
            author_email: email,
            author_website: website,
            body_html: render_comment(body.as_str()),
            body,
            status,
            created_at: now,
            user_id: match commenter {
                Commenter::Account(user) => Some(user.id),
                Commenter::Guest { .. } => None,
            },
            author_key: author,
            fingerprint: Some(verdict.fingerprint),
            reasons: verdict.reasons.clone(),
            reject_reason: (verdict.decision == Decision::Reject).then(|| rejection_code(&verdict)),
            flagged: verdict.flagged,
            author_token: match commenter {
                Commenter::Guest { token_hash } => token_hash.map(str::to_owned),
                Commenter::Account(_) => None,
            },
            notify_author: input.notify,
            events: [Some(WebhookEvent::CommentCreated), WebhookEvent::for_status(status)]
                .into_iter()
                .flatten()
                .collect(),
        };
        let stored = self.store.create_comment(&comment).await.map_err(|e| match e {
            DbError::NotFound => PostError::Invalid(parent_not_found().into()),
            other => other.into(),
        })?;
        if verdict.decision != Decision::Publish {
            self.announce.deliveries_queued().await;
        }
        match verdict.decision {
            Decision::Publish => {
                let event = ArticleEvent::CommentPublished {
                    article_id: article.id,
                    article_slug: article.slug.clone(),
                    comment_id: stored.id,
                    parent_id: stored.parent_id,
                };
                self.announce.announce(&event).await;
            }
            Decision::Reject => {
                let message =
                    verdict.author_message.clone().unwrap_or_else(|| "Your comment was not accepted.".to_owned());
                return Err(PostError::Rejected { message, comment: Box::new(stored) });
            }
            Decision::Hold => {}
        }
        Ok(Posted { comment: stored, verdict })
    }

    /// Where a reply to `id` attaches, after capping the depth; a target
    /// that is not a published comment of this article is a field error.
    async fn reply_target(
        &self,
        article: &Article,
        id: CommentId,
        max_depth: u32,
    ) -> Result<Result<Option<CommentId>, FieldError>, PostError> {
        let target = match self.store.comment(id).await {
            Ok(target) if target.article_id == article.id && target.status == CommentStatus::Published => target,
            Ok(_) | Err(DbError::NotFound) => return Ok(Err(parent_not_found())),
            Err(other) => return Err(other.into()),
        };
        let depth = u32::try_from(target.depth).unwrap_or(1);
        Ok(Ok(reply_parent(ReplyTarget { id: target.id, parent_id: target.parent_id, depth }, max_depth)))
    }
}

/// Marks, in each reason the scores gave, the words that raised the score,
/// so that a moderator sees why at a glance.
fn mark_scored_words(scorer: &dyn crate::TextScorer, text: &str, verdict: &mut Verdict) {
    for reason in &mut verdict.reasons {
        let Some(attribute) = reason.attribute.clone() else { continue };
        if reason.step != tribune_domain::moderation::Step::Scorer || !reason.words.is_empty() {
            continue;
        }
        reason.words = scorer
            .spans(text, &attribute)
            .into_iter()
            .map(|(start, end, score)| WordMatch { entry: format!("{attribute} {score:.2}"), start, end })
            .collect();
    }
}

/// The reject reason a rule's verdict is stored with.
fn rejection_code(verdict: &Verdict) -> RejectReason {
    use tribune_domain::moderation::Step;
    match verdict
        .reasons
        .iter()
        .find(|r| r.code.contains("reject") || r.step == Step::BannedWords || r.code == "blocked_domain")
    {
        Some(reason) if reason.step == Step::BannedWords => RejectReason::BannedWord,
        Some(reason) if reason.step == Step::Links => RejectReason::Spam,
        Some(reason) if reason.attribute.as_deref() == Some("SPAM") => RejectReason::Spam,
        Some(reason) if reason.step == Step::Scorer => RejectReason::Offensive,
        _ => RejectReason::Other,
    }
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
