//! Rows of the moderation and webhook tables, and their mapping.

use crate::rows::{corrupt, CommentRow, IntoModel};
use sqlx::FromRow;
use tribune_domain::moderation::{ReportReason, WebhookEvent};
use tribune_domain::{ArticleId, CommentId, CommentStatus, Timestamp, UserId};
use tribune_store::{
    AuditEntry, AuthorRestriction, AuthorStanding, CommentEdit, DbError, Delivery, Endpoint, ModeratorNote,
    PastComment, QueueItem, Report,
};

fn status(raw: &str) -> Result<CommentStatus, DbError> {
    CommentStatus::parse(raw).ok_or_else(|| corrupt("comment status", raw))
}

fn event(raw: &str) -> Result<WebhookEvent, DbError> {
    WebhookEvent::parse(raw).ok_or_else(|| corrupt("webhook event", raw))
}

#[derive(Debug, FromRow)]
pub struct QueueItemRow {
    #[sqlx(flatten)]
    comment: CommentRow,
    article_slug: String,
    article_headline: String,
    article_section: String,
}

impl IntoModel<QueueItem> for QueueItemRow {
    fn model(self) -> Result<QueueItem, DbError> {
        Ok(QueueItem {
            comment: self.comment.model()?,
            article_slug: self.article_slug,
            article_headline: self.article_headline,
            section: self.article_section,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct PastCommentRow {
    id: i64,
    status: String,
    created_at: i64,
    fingerprint: Option<i64>,
}

impl IntoModel<PastComment> for PastCommentRow {
    fn model(self) -> Result<PastComment, DbError> {
        Ok(PastComment {
            id: CommentId(self.id),
            status: status(&self.status)?,
            created_at: Timestamp(self.created_at),
            fingerprint: self.fingerprint,
        })
    }
}

/// A row of `statements::AUTHOR_STANDING`: a restriction (kind 1) or a past comment (kind 2).
#[derive(Debug, FromRow)]
pub struct StandingRow {
    kind: i32,
    banned: Option<bool>,
    suspended_until: Option<i64>,
    message: Option<String>,
    warning: Option<String>,
    always_premoderate: Option<bool>,
    id: Option<i64>,
    status: Option<String>,
    created_at: Option<i64>,
    fingerprint: Option<i64>,
}

impl IntoModel<AuthorStanding> for Vec<StandingRow> {
    fn model(self) -> Result<AuthorStanding, DbError> {
        let mut standing = AuthorStanding::default();
        for row in self {
            if row.kind == 1 {
                standing.restriction = AuthorRestriction {
                    banned: row.banned.unwrap_or(false),
                    suspended_until: row.suspended_until.map(Timestamp),
                    message: row.message.unwrap_or_default(),
                    warning: row.warning,
                    always_premoderate: row.always_premoderate.unwrap_or(false),
                };
            } else {
                let (Some(id), Some(raw_status), Some(created_at)) = (row.id, row.status, row.created_at) else {
                    return Err(corrupt("author history row", "missing id, status or date"));
                };
                standing.history.push(PastComment {
                    id: CommentId(id),
                    status: status(&raw_status)?,
                    created_at: Timestamp(created_at),
                    fingerprint: row.fingerprint,
                });
            }
        }
        // UNION ALL keeps no order; the pipeline reads the newest first.
        standing.history.sort_by_key(|c| std::cmp::Reverse(c.id));
        Ok(standing)
    }
}

#[derive(Debug, FromRow)]
pub struct CommentEditRow {
    edited_at: i64,
    editor_name: String,
    reason: String,
    body_before: String,
    body_after: String,
}

impl IntoModel<CommentEdit> for CommentEditRow {
    fn model(self) -> Result<CommentEdit, DbError> {
        Ok(CommentEdit {
            edited_at: Timestamp(self.edited_at),
            editor_name: self.editor_name,
            reason: self.reason,
            body_before: self.body_before,
            body_after: self.body_after,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct ReportRow {
    reason: String,
    note: String,
    created_at: i64,
    resolved_at: Option<i64>,
}

impl IntoModel<Report> for ReportRow {
    fn model(self) -> Result<Report, DbError> {
        Ok(Report {
            reason: ReportReason::parse(&self.reason).map_err(|_| corrupt("report reason", &self.reason))?,
            note: self.note,
            created_at: Timestamp(self.created_at),
            resolved: self.resolved_at.is_some(),
        })
    }
}

#[derive(Debug, FromRow)]
pub struct RestrictionRow {
    banned: bool,
    suspended_until: Option<i64>,
    message: String,
    warning: Option<String>,
    always_premoderate: bool,
}

impl IntoModel<AuthorRestriction> for RestrictionRow {
    fn model(self) -> Result<AuthorRestriction, DbError> {
        Ok(AuthorRestriction {
            banned: self.banned,
            suspended_until: self.suspended_until.map(Timestamp),
            message: self.message,
            warning: self.warning,
            always_premoderate: self.always_premoderate,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct NoteRow {
    body: String,
    moderator_name: String,
    created_at: i64,
}

impl IntoModel<ModeratorNote> for NoteRow {
    fn model(self) -> Result<ModeratorNote, DbError> {
        Ok(ModeratorNote {
            body: self.body,
            moderator_name: self.moderator_name,
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(Debug, FromRow)]
pub struct AuditRow {
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    target_kind: String,
    target_id: String,
    article_id: Option<i64>,
    reason: String,
    before_state: Option<String>,
    after_state: Option<String>,
}

impl IntoModel<AuditEntry> for AuditRow {
    fn model(self) -> Result<AuditEntry, DbError> {
        Ok(AuditEntry {
            id: self.id,
            at: Timestamp(self.at),
            actor_id: self.actor_id.map(UserId),
            actor_name: self.actor_name,
            action: self.action,
            target_kind: self.target_kind,
            target_id: self.target_id,
            article_id: self.article_id.map(ArticleId),
            reason: self.reason,
            before: self.before_state,
            after: self.after_state,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct EndpointRow {
    id: i64,
    url: String,
    events: String,
    secret_id: String,
    secret: String,
    active: bool,
    created_at: i64,
}

impl IntoModel<Endpoint> for EndpointRow {
    fn model(self) -> Result<Endpoint, DbError> {
        Ok(Endpoint {
            id: self.id,
            url: self.url,
            events: self.events.split_whitespace().map(event).collect::<Result<_, _>>()?,
            secret_id: self.secret_id,
            secret: self.secret,
            active: self.active,
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(Debug, FromRow)]
pub struct DeliveryRow {
    id: i64,
    endpoint_id: i64,
    event: String,
    comment_id: Option<i64>,
    created_at: i64,
    attempts: i32,
    next_attempt_at: i64,
    delivered_at: Option<i64>,
    last_status: Option<i32>,
    last_error: String,
}

impl IntoModel<Delivery> for DeliveryRow {
    fn model(self) -> Result<Delivery, DbError> {
        Ok(Delivery {
            id: self.id,
            endpoint_id: self.endpoint_id,
            event: event(&self.event)?,
            comment_id: self.comment_id.map(CommentId),
            created_at: Timestamp(self.created_at),
            attempts: self.attempts,
            next_attempt_at: Timestamp(self.next_attempt_at),
            delivered_at: self.delivered_at.map(Timestamp),
            last_status: self.last_status,
            last_error: self.last_error,
        })
    }
}

/// A claimed delivery with its endpoint's columns (prefixed `endpoint_`).
#[derive(Debug, FromRow)]
pub struct ClaimedRow {
    #[sqlx(flatten)]
    delivery: DeliveryRow,
    endpoint_url: String,
    endpoint_events: String,
    endpoint_secret_id: String,
    endpoint_secret: String,
    endpoint_active: bool,
    endpoint_created_at: i64,
}

impl IntoModel<(Delivery, Endpoint)> for ClaimedRow {
    fn model(self) -> Result<(Delivery, Endpoint), DbError> {
        let endpoint = EndpointRow {
            id: self.delivery.endpoint_id,
            url: self.endpoint_url,
            events: self.endpoint_events,
            secret_id: self.endpoint_secret_id,
            secret: self.endpoint_secret,
            active: self.endpoint_active,
            created_at: self.endpoint_created_at,
        };
        Ok((self.delivery.model()?, endpoint.model()?))
    }
}
