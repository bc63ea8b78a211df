//! Moderators' decisions on comments: approve, reject with a reason,
//! feature, unfeature, edit with a recorded reason. Each is applied once,
//! to the version of the comment the moderator saw, with its audit entry
//! and webhook events; a second moderator acting on the same comment is told
//! who acted first.

use crate::notify::{review_message, Review};
use crate::Moderation;
use serde::Serialize;
use tribune_domain::markdown::render_comment;
use tribune_domain::moderation::{RejectReason, WebhookEvent};
use tribune_domain::{CommentBody, CommentId, CommentStatus, FieldError, Timestamp};
use tribune_moderation::scorer::Attribute;
use tribune_store::{
    Actor, ArticleEvent, BodyEdit, Comment, CommentChange, DbError, ExampleSource, LabelledExample, NewAuditEntry,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Approve,
    /// Back to the pending queue (e.g. to undo an approval).
    Hold,
    Reject {
        reason: RejectReason,
        note: String,
    },
    Feature,
    Unfeature,
    Edit {
        body: String,
        reason: String,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Hold => "hold",
            Self::Reject { .. } => "reject",
            Self::Feature => "feature",
            Self::Unfeature => "unfeature",
            Self::Edit { .. } => "edit",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("no such comment")]
    NotFound,
    /// Someone else changed the comment since the moderator saw it.
    #[error("{by} already acted on this comment")]
    ChangedMeanwhile { by: String, at: Option<Timestamp>, status: CommentStatus },
    /// The decision is already in force (e.g. approving a comment approved before).
    #[error("already done")]
    AlreadyDone { by: String, status: CommentStatus },
    /// The author deleted it, or it was taken down with its account.
    #[error("the comment is gone")]
    Gone,
    #[error("{0}")]
    Invalid(FieldError),
    #[error(transparent)]
    Store(DbError),
}

/// The part of a comment the audit log keeps before and after a decision.
#[derive(Serialize)]
struct Snapshot<'a> {
    status: &'static str,
    featured: bool,
    reject_reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
}

fn snapshot(comment: &Comment, with_body: bool) -> String {
    let snapshot = Snapshot {
        status: comment.status.as_str(),
        featured: comment.featured,
        reject_reason: comment.reject_reason.map(|r| r.as_str()),
        body: with_body.then_some(comment.body_markdown.as_str()),
    };
    serde_json::to_string(&snapshot).unwrap_or_default()
}

impl Moderation {
    /// Applies `action` to the comment as the moderator saw it
    /// (`seen_version`; `None` applies to whatever it is now).
    pub async fn act(
        &self,
        id: CommentId,
        action: &Action,
        seen_version: Option<i32>,
        actor: &Actor,
        max_chars: usize,
    ) -> Result<Comment, ActionError> {
        let comment = self.store.comment(id).await.map_err(|e| match e {
            DbError::NotFound => ActionError::NotFound,
            other => ActionError::Store(other),
        })?;
        if seen_version.is_some_and(|v| v != comment.version) {
            return Err(changed(&comment));
        }
        if matches!(comment.status, CommentStatus::Deleted | CommentStatus::Removed) {
            return Err(ActionError::Gone);
        }
        let now = Timestamp::now();
        let mut change = CommentChange::new(id, actor.clone(), now);
        change.expected_version = Some(comment.version);
        match action {
            Action::Approve => {
                if comment.status == CommentStatus::Published
                    && comment.moderated_at.is_some()
                    && comment.open_reports == 0
                {
                    return Err(ActionError::AlreadyDone {
                        by: comment.moderator_name.clone(),
                        status: comment.status,
                    });
                }
                change.status = Some(CommentStatus::Published);
                change.reject = Some(None);
                change.mark_moderated = true;
                change.resolve_reports = true;
                if comment.status != CommentStatus::Published {
                    change.events.push(WebhookEvent::CommentPublished);
                }
            }
            Action::Hold => {
                if comment.status == CommentStatus::Pending {
                    return Err(ActionError::AlreadyDone {
                        by: comment.moderator_name.clone(),
                        status: comment.status,
                    });
                }
                change.status = Some(CommentStatus::Pending);
                change.reject = Some(None);
                change.featured = Some(false);
                change.events.push(WebhookEvent::CommentHeld);
            }
            Action::Reject { reason, note } => {
                if comment.status == CommentStatus::Rejected && comment.moderated_at.is_some() {
                    return Err(ActionError::AlreadyDone {
                        by: comment.moderator_name.clone(),
                        status: comment.status,
                    });
                }
                if note.chars().count() > 1_000 {
                    return Err(ActionError::Invalid(FieldError::new(
                        "note",
                        "too_long",
                        "A note may be at most 1,000 characters.",
                    )));
                }
                change.status = Some(CommentStatus::Rejected);
                change.reject = Some(Some((*reason, note.trim().to_owned())));
                change.featured = Some(false);
                change.mark_moderated = true;
                change.resolve_reports = true;
                change.events.push(WebhookEvent::CommentRejected);
            }
            Action::Feature | Action::Unfeature => {
                let feature = *action == Action::Feature;
                if feature && comment.status != CommentStatus::Published {
                    return Err(ActionError::Invalid(FieldError::new(
                        "action",
                        "not_published",
                        "Only published comments can be featured: approve it first.",
                    )));
                }
                if comment.featured == feature {
                    return Err(ActionError::AlreadyDone {
                        by: comment.moderator_name.clone(),
                        status: comment.status,
                    });
                }
                change.featured = Some(feature);
                change.mark_moderated = feature;
            }
            Action::Edit { body, reason } => {
                let body = CommentBody::parse(body, max_chars).map_err(ActionError::Invalid)?;
                if reason.trim().is_empty() {
                    return Err(ActionError::Invalid(FieldError::new(
                        "reason",
                        "empty",
                        "Say why the comment is edited; the reason is kept with the original.",
                    )));
                }
                change.edit = Some(BodyEdit {
                    body_html: render_comment(body.as_str()),
                    body_markdown: body.as_str().to_owned(),
                    reason: reason.trim().chars().take(500).collect(),
                });
            }
        }
        let is_edit = matches!(action, Action::Edit { .. });
        let mut audit = NewAuditEntry {
            at: now,
            actor: actor.clone(),
            action: format!("comment.{}", action.name()),
            target_kind: "comment",
            target_id: id.to_string(),
            article_id: Some(comment.article_id),
            reason: match action {
                Action::Reject { reason, note } => {
                    format!("{}{}", reason.as_str(), if note.is_empty() { String::new() } else { format!(": {note}") })
                }
                Action::Edit { reason, .. } => reason.clone(),
                _ => String::new(),
            },
            before: Some(snapshot(&comment, is_edit)),
            after: None,
        };
        let mut preview = comment.clone();
        if let Some(status) = change.status {
            preview.status = status;
        }
        if let Some(featured) = change.featured {
            preview.featured = featured;
        }
        if let Some(Some((reason, _))) = &change.reject {
            preview.reject_reason = Some(*reason);
        } else if change.reject == Some(None) {
            preview.reject_reason = None;
        }
        if let Some(edit) = &change.edit {
            preview.body_markdown = edit.body_markdown.clone();
        }
        audit.after = Some(snapshot(&preview, is_edit));
        change.audit = Some(audit);

        let updated = match self.store.change_comment(&change).await {
            Ok(updated) => updated,
            Err(DbError::Conflict { .. }) => {
                let now = self.store.comment(id).await.map_err(ActionError::Store)?;
                return Err(changed(&now));
            }
            Err(DbError::NotFound) => return Err(ActionError::NotFound),
            Err(other) => return Err(ActionError::Store(other)),
        };
        self.after_change(&comment, &updated, action).await;
        self.keep_example(&updated, action, now).await;
        Ok(updated)
    }

    /// Keeps an approval or a rejection as a labelled example for
    /// retraining the scorer. It names the comment rather than copying its
    /// text, so erasing the comment erases the example's text. A failure
    /// here never undoes the decision.
    async fn keep_example(&self, comment: &Comment, action: &Action, at: Timestamp) {
        let Some(labels) = decision_labels(action) else { return };
        let example = LabelledExample {
            text: None,
            comment_id: Some(comment.id),
            labels,
            source: ExampleSource::Moderator,
            created_at: at,
        };
        if let Err(error) = self.store.add_example(&example).await {
            tracing::warn!(%error, comment = comment.id.0, "decision stored; could not keep it as a labelled example");
        }
    }

    /// Tells readers (live and cached pages) and the author what changed.
    async fn after_change(&self, before: &Comment, after: &Comment, action: &Action) {
        let article = match self.store.article(after.article_id).await {
            Ok(article) => article,
            Err(error) => {
                tracing::error!(%error, comment = after.id.0, "decision stored; could not read its article to announce it");
                return;
            }
        };
        let event = if before.status != CommentStatus::Published && after.status == CommentStatus::Published {
            ArticleEvent::CommentPublished {
                article_id: article.id,
                article_slug: article.slug.clone(),
                comment_id: after.id,
                parent_id: after.parent_id,
            }
        } else {
            ArticleEvent::CommentChanged {
                article_id: article.id,
                article_slug: article.slug.clone(),
                comment_id: after.id,
            }
        };
        self.announce.announce(&event).await;
        if before.status == CommentStatus::Pending && before.notify_author && !before.author_email.is_empty() {
            let review = match action {
                Action::Approve => Some(Review::Approved),
                Action::Reject { reason, note } => Some(Review::Rejected { reason: *reason, note }),
                _ => None,
            };
            if let Some(review) = review {
                let message = review_message(&self.site, after, &article.slug, &article.headline, review);
                self.notify.send(message).await;
            }
        }
    }
}

/// What a decision says about a comment, per scorer attribute: an approval
/// says it is none of them; a rejection says it is what its reason names.
/// Reasons the scorer does not rate (off topic, misinformation …) teach it
/// nothing and are not kept.
pub fn decision_labels(action: &Action) -> Option<Vec<(String, f32)>> {
    let marked = |names: &[Attribute]| -> Vec<(String, f32)> {
        names.iter().map(|attribute| (attribute.as_str().to_owned(), 1.0)).collect()
    };
    match action {
        Action::Approve => Some(Attribute::ALL.iter().map(|a| (a.as_str().to_owned(), 0.0)).collect()),
        Action::Reject { reason, .. } => match reason {
            RejectReason::Offensive | RejectReason::Abusive => Some(marked(&[Attribute::Toxicity])),
            RejectReason::Harassment => Some(marked(&[Attribute::Toxicity, Attribute::Insult])),
            RejectReason::HateSpeech => Some(marked(&[Attribute::Toxicity, Attribute::IdentityAttack])),
            RejectReason::BannedWord => Some(marked(&[Attribute::Toxicity, Attribute::Profanity])),
            RejectReason::Spam | RejectReason::Advertising => Some(marked(&[Attribute::Spam])),
            RejectReason::Illegal | RejectReason::Misinformation | RejectReason::OffTopic | RejectReason::Other => None,
        },
        _ => None,
    }
}

fn changed(comment: &Comment) -> ActionError {
    ActionError::ChangedMeanwhile {
        by: if comment.moderator_name.is_empty() { "Someone".to_owned() } else { comment.moderator_name.clone() },
        at: comment.moderated_at,
        status: comment.status,
    }
}
