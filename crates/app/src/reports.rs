//! Readers reporting comments, and the hold that enough reports put on a
//! published comment until a moderator reviews it.

use crate::settings::discussion_of;
use crate::Moderation;
use tribune_domain::moderation::{ReportReason, WebhookEvent};
use tribune_domain::{CommentId, CommentStatus, FieldError, Timestamp};
use tribune_moderation::pipeline::held_by_reports;
use tribune_store::{Actor, Article, ArticleEvent, CommentChange, DbError, NewAuditEntry, NewReport};

/// Who reports: an account, or a guest's browser (its token's SHA-256).
#[derive(Debug, Clone)]
pub enum Reporter {
    Account(tribune_domain::UserId),
    Guest { token_hash: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Not a published comment of this article.
    #[error("no such comment on this article")]
    NotFound,
    #[error("already reported")]
    AlreadyReported,
    #[error("guests may not report")]
    SignInRequired,
    #[error("{0}")]
    Invalid(FieldError),
    #[error(transparent)]
    Store(#[from] DbError),
    #[error(transparent)]
    Settings(#[from] crate::settings::SettingsError),
}

/// What became of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported {
    pub open_reports: i32,
    /// The report put the comment on hold.
    pub held: bool,
}

impl Moderation {
    pub async fn report(
        &self,
        article: &Article,
        comment_id: CommentId,
        reporter: &Reporter,
        reason: ReportReason,
        note: &str,
    ) -> Result<Reported, ReportError> {
        let policy = self.policy();
        if matches!(reporter, Reporter::Guest { .. }) && !policy.settings.guests_may_report {
            return Err(ReportError::SignInRequired);
        }
        let note = note.trim();
        if note.chars().count() > 500 {
            return Err(ReportError::Invalid(FieldError::new(
                "note",
                "too_long",
                "A note may be at most 500 characters.",
            )));
        }
        let comment = match self.store.comment(comment_id).await {
            Ok(c) if c.article_id == article.id && c.status == CommentStatus::Published => c,
            Ok(_) | Err(DbError::NotFound) => return Err(ReportError::NotFound),
            Err(other) => return Err(other.into()),
        };
        let report = NewReport {
            comment: comment.id,
            reporter: match reporter {
                Reporter::Account(id) => format!("user:{}", id.0),
                Reporter::Guest { token_hash } => format!("guest:{token_hash}"),
            },
            user_id: match reporter {
                Reporter::Account(id) => Some(*id),
                Reporter::Guest { .. } => None,
            },
            reason,
            note: note.to_owned(),
            at: Timestamp::now(),
        };
        let reported = match self.store.report_comment(&report).await {
            Ok(reported) => reported,
            Err(DbError::Conflict { .. }) => return Err(ReportError::AlreadyReported),
            Err(DbError::NotFound) => return Err(ReportError::NotFound),
            Err(other) => return Err(other.into()),
        };
        self.announce.deliveries_queued().await;
        let discussion = discussion_of(article)?;
        let open = u32::try_from(reported.open_reports).unwrap_or(0);
        let Some(reason) = held_by_reports(&policy, &discussion, open) else {
            return Ok(Reported { open_reports: reported.open_reports, held: false });
        };
        if reported.status != CommentStatus::Published {
            return Ok(Reported { open_reports: reported.open_reports, held: false });
        }
        let system = Actor { id: None, name: "Reader reports".to_owned() };
        let mut change = CommentChange::new(comment.id, system.clone(), report.at);
        change.expected_version = Some(reported.version);
        change.status = Some(CommentStatus::Pending);
        let mut reasons = reported.reasons.clone();
        reasons.push(reason.clone());
        change.reasons = Some(reasons);
        change.events = vec![WebhookEvent::CommentHeld];
        change.audit = Some(NewAuditEntry {
            at: report.at,
            actor: system,
            action: "comment.hold".to_owned(),
            target_kind: "comment",
            target_id: comment.id.to_string(),
            article_id: Some(article.id),
            reason: reason.detail,
            before: Some(r#"{"status":"published"}"#.to_owned()),
            after: Some(r#"{"status":"pending"}"#.to_owned()),
        });
        match self.store.change_comment(&change).await {
            // Another report held it first: one hold is enough.
            Ok(_) | Err(DbError::Conflict { .. }) => {}
            Err(other) => return Err(other.into()),
        }
        let event = ArticleEvent::CommentChanged {
            article_id: article.id,
            article_slug: article.slug.clone(),
            comment_id: comment.id,
        };
        self.announce.announce(&event).await;
        Ok(Reported { open_reports: reported.open_reports, held: true })
    }
}
