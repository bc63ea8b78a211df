//! Moderators' decisions about authors: ban (optionally rejecting all their
//! comments), suspend for a period, warn (the author must acknowledge it
//! before commenting again), always pre-moderate, and notes for other
//! moderators. Each is recorded in the audit log.

use crate::decisions::{Action, ActionError};
use crate::Moderation;
use serde::Serialize;
use tribune_domain::moderation::{AuthorKey, RejectReason};
use tribune_domain::{CommentStatus, FieldError, Timestamp};
use tribune_store::{Actor, AuthorRestriction, DbError, ModeratorNote, NewAuditEntry};

/// The most comments "reject everything by this author" acts on at once.
const REJECT_ALL_LIMIT: u32 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorAction {
    Ban {
        message: String,
        reject_all: Option<RejectReason>,
    },
    Unban,
    Suspend {
        until: Timestamp,
        message: String,
    },
    Unsuspend,
    Warn {
        message: String,
    },
    AlwaysPremoderate(bool),
    Note {
        body: String,
    },
    /// Rejects every pending or published comment by the author.
    RejectAll {
        reason: RejectReason,
    },
}

impl AuthorAction {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ban { .. } => "ban",
            Self::Unban => "unban",
            Self::Suspend { .. } => "suspend",
            Self::Unsuspend => "unsuspend",
            Self::Warn { .. } => "warn",
            Self::AlwaysPremoderate(true) => "premoderate",
            Self::AlwaysPremoderate(false) => "unpremoderate",
            Self::Note { .. } => "note",
            Self::RejectAll { .. } => "reject_all",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthorError {
    #[error("{0}")]
    Invalid(FieldError),
    #[error(transparent)]
    Store(#[from] DbError),
}

/// What an author action did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AuthorOutcome {
    /// Comments it rejected.
    pub rejected: usize,
}

fn text(field: &'static str, raw: &str, max: usize, required: bool) -> Result<String, AuthorError> {
    let text = raw.trim();
    if required && text.is_empty() {
        return Err(AuthorError::Invalid(FieldError::new(
            field,
            "empty",
            "Please write the message the author will see.",
        )));
    }
    if text.chars().count() > max {
        return Err(AuthorError::Invalid(FieldError::new(field, "too_long", format!("At most {max} characters."))));
    }
    Ok(text.to_owned())
}

impl Moderation {
    pub async fn act_on_author(
        &self,
        author: &AuthorKey,
        action: &AuthorAction,
        actor: &Actor,
        max_chars: usize,
    ) -> Result<AuthorOutcome, AuthorError> {
        let now = Timestamp::now();
        let audit = |before: Option<String>, after: Option<String>, reason: String| NewAuditEntry {
            at: now,
            actor: actor.clone(),
            action: format!("author.{}", action.name()),
            target_kind: "author",
            target_id: author.as_stored(),
            article_id: None,
            reason,
            before,
            after,
        };
        if let AuthorAction::Note { body } = action {
            let body = text("body", body, 2_000, true)?;
            let note = ModeratorNote { body: body.clone(), moderator_name: actor.name.clone(), created_at: now };
            self.store.add_moderator_note(author, &note, actor.id, &audit(None, None, body)).await?;
            return Ok(AuthorOutcome::default());
        }
        if let AuthorAction::RejectAll { reason } = action {
            let rejected = self.reject_all(author, *reason, actor, max_chars).await?;
            self.store.append_audit(&audit(None, None, format!("{} comments rejected", rejected))).await?;
            return Ok(AuthorOutcome { rejected });
        }
        let before = self.store.author_restriction(author).await?;
        let mut after = before.clone();
        let mut reason = String::new();
        match action {
            AuthorAction::Ban { message, .. } => {
                after.banned = true;
                after.message = text("message", message, 1_000, false)?;
                reason.clone_from(&after.message);
            }
            AuthorAction::Unban => after.banned = false,
            AuthorAction::Suspend { until, message } => {
                if *until <= now {
                    return Err(AuthorError::Invalid(FieldError::new(
                        "until",
                        "in_the_past",
                        "A suspension must end in the future.",
                    )));
                }
                after.suspended_until = Some(*until);
                after.message = text("message", message, 1_000, false)?;
                reason = format!("until {}", until.rfc3339());
            }
            AuthorAction::Unsuspend => after.suspended_until = None,
            AuthorAction::Warn { message } => {
                after.warning = Some(text("message", message, 1_000, true)?);
                reason = after.warning.clone().unwrap_or_default();
            }
            AuthorAction::AlwaysPremoderate(on) => after.always_premoderate = *on,
            AuthorAction::Note { .. } | AuthorAction::RejectAll { .. } => {}
        }
        let json = |r: &AuthorRestriction| serde_json::to_string(r).unwrap_or_default();
        self.store
            .set_author_restriction(author, &after, now, &audit(Some(json(&before)), Some(json(&after)), reason))
            .await?;
        let rejected = match action {
            AuthorAction::Ban { reject_all: Some(reason), .. } => {
                self.reject_all(author, *reason, actor, max_chars).await?
            }
            _ => 0,
        };
        Ok(AuthorOutcome { rejected })
    }

    /// The author read their warning: they may comment again.
    pub async fn acknowledge_warning(&self, author: &AuthorKey) -> Result<(), DbError> {
        let before = self.store.author_restriction(author).await?;
        if before.warning.is_none() {
            return Ok(());
        }
        let after = AuthorRestriction { warning: None, ..before.clone() };
        let audit = NewAuditEntry {
            at: Timestamp::now(),
            actor: Actor { id: None, name: "The author".to_owned() },
            action: "author.acknowledge_warning".to_owned(),
            target_kind: "author",
            target_id: author.as_stored(),
            article_id: None,
            reason: before.warning.clone().unwrap_or_default(),
            before: None,
            after: None,
        };
        self.store.set_author_restriction(author, &after, Timestamp::now(), &audit).await
    }

    async fn reject_all(
        &self,
        author: &AuthorKey,
        reason: RejectReason,
        actor: &Actor,
        max_chars: usize,
    ) -> Result<usize, AuthorError> {
        let comments = self.store.author_comments(author, REJECT_ALL_LIMIT).await?;
        let mut rejected = 0;
        for comment in comments.iter().filter(|c| matches!(c.status, CommentStatus::Pending | CommentStatus::Published))
        {
            let action = Action::Reject { reason, note: String::new() };
            match self.act(comment.id, &action, None, actor, max_chars).await {
                Ok(_) => rejected += 1,
                // Another moderator decided meanwhile, or it is gone: leave it.
                Err(
                    ActionError::ChangedMeanwhile { .. }
                    | ActionError::AlreadyDone { .. }
                    | ActionError::Gone
                    | ActionError::NotFound,
                ) => {}
                Err(ActionError::Store(error)) => return Err(error.into()),
                Err(ActionError::Invalid(error)) => return Err(AuthorError::Invalid(error)),
            }
        }
        Ok(rejected)
    }
}
