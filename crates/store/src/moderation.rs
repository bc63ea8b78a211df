//! Moderation storage: the queues, decisions on comments (each with its
//! audit entry and webhook events in one transaction), reader reports,
//! restrictions on authors, moderator notes and the audit log.

use crate::rows::Comment;
use crate::DbError;
use async_trait::async_trait;
use serde::Serialize;
use tribune_domain::moderation::{AuthorKey, Queue, Reason, RejectReason, ReportReason, WebhookEvent};
use tribune_domain::{ArticleId, CommentId, CommentStatus, Timestamp, UserId};

/// Who acted: an account, or the site itself (the admin token, a rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub id: Option<UserId>,
    pub name: String,
}

/// One entry of the audit log, about to be appended.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: Timestamp,
    pub actor: Actor,
    /// e.g. `comment.approve`, `author.ban`, `settings.update`.
    pub action: String,
    /// `comment`, `author`, `settings`, `article`, `webhook`.
    pub target_kind: &'static str,
    pub target_id: String,
    pub article_id: Option<ArticleId>,
    pub reason: String,
    /// JSON of what changed, before and after.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub actor_id: Option<UserId>,
    pub actor_name: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub article_id: Option<ArticleId>,
    pub reason: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<UserId>,
    pub action: Option<String>,
    pub article: Option<ArticleId>,
    pub before: Option<i64>,
    pub limit: u32,
}

/// A change to one comment by a moderator (or a rule acting for one),
/// applied with its audit entry and events in one transaction.
#[derive(Debug, Clone)]
pub struct CommentChange {
    pub comment: CommentId,
    /// The version the moderator saw; another change in between is a
    /// `Conflict { constraint: "comment_version" }`.
    pub expected_version: Option<i32>,
    pub status: Option<CommentStatus>,
    /// Set with a rejection; cleared (`Some(None)`) by an approval.
    pub reject: Option<Option<(RejectReason, String)>>,
    pub featured: Option<bool>,
    pub edit: Option<BodyEdit>,
    /// Replaces the stored reasons (e.g. a report hold adds one).
    pub reasons: Option<Vec<Reason>>,
    /// Records who decided and when; rules that hold a comment leave it unset.
    pub mark_moderated: bool,
    /// Closes the comment's open reports.
    pub resolve_reports: bool,
    pub actor: Actor,
    pub at: Timestamp,
    pub events: Vec<WebhookEvent>,
    pub audit: Option<NewAuditEntry>,
}

impl CommentChange {
    pub fn new(comment: CommentId, actor: Actor, at: Timestamp) -> Self {
        Self {
            comment,
            expected_version: None,
            status: None,
            reject: None,
            featured: None,
            edit: None,
            reasons: None,
            mark_moderated: false,
            resolve_reports: false,
            actor,
            at,
            events: Vec::new(),
            audit: None,
        }
    }
}

/// A moderator's edit: the new body and why; the old body is kept.
#[derive(Debug, Clone)]
pub struct BodyEdit {
    pub body_markdown: String,
    pub body_html: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommentEdit {
    pub edited_at: Timestamp,
    pub editor_name: String,
    pub reason: String,
    pub body_before: String,
    pub body_after: String,
}

/// A page of one queue.
#[derive(Debug, Clone)]
pub struct QueueQuery {
    pub queue: Queue,
    pub filter: QueueFilter,
    pub oldest_first: bool,
    /// The last comment of the previous page.
    pub after: Option<CommentId>,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub article: Option<ArticleId>,
    pub section_slug: Option<String>,
}

/// A comment in a queue, with where it was posted.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub comment: Comment,
    pub article_slug: String,
    pub article_headline: String,
    pub section: String,
}

/// Queue counts stop here: a tab shows "1,000+" rather than counting
/// (five times, on every page view) through a large queue's index entries;
/// at 10,000 that alone kept PostgreSQL's queue page over 50 ms at p99.
pub const QUEUE_COUNT_CAP: i64 = 1_000;

/// Comments in each queue, each at most `QUEUE_COUNT_CAP + 1`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueCounts {
    pub pending: i64,
    pub reported: i64,
    pub unmoderated: i64,
    pub rejected: i64,
    pub approved: i64,
}

impl QueueCounts {
    pub fn of(&self, queue: Queue) -> i64 {
        match queue {
            Queue::Pending => self.pending,
            Queue::Reported => self.reported,
            Queue::Unmoderated => self.unmoderated,
            Queue::Rejected => self.rejected,
            Queue::Approved => self.approved,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewReport {
    pub comment: CommentId,
    /// `user:ID` or `guest:TOKEN-HASH`: one report per reader and comment.
    pub reporter: String,
    pub user_id: Option<UserId>,
    pub reason: ReportReason,
    pub note: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub reason: ReportReason,
    pub note: String,
    pub created_at: Timestamp,
    pub resolved: bool,
}

/// One of an author's latest comments, for the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastComment {
    pub id: CommentId,
    pub status: CommentStatus,
    pub created_at: Timestamp,
    pub fingerprint: Option<i64>,
}

/// An author's comments by status, for the moderator's card.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AuthorCounts {
    pub published: i64,
    pub pending: i64,
    pub rejected: i64,
    pub deleted: i64,
}

/// What the pipeline needs to know of an author before a post: what
/// moderators decided and the latest comments, read together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorStanding {
    pub restriction: AuthorRestriction,
    /// Newest first.
    pub history: Vec<PastComment>,
}

/// What moderators decided about an author.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuthorRestriction {
    pub banned: bool,
    pub suspended_until: Option<Timestamp>,
    /// Shown to the author while banned or suspended.
    pub message: String,
    /// Must be acknowledged before the author comments again.
    pub warning: Option<String>,
    pub always_premoderate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModeratorNote {
    pub body: String,
    pub moderator_name: String,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait ModerationStore: Send + Sync {
    /// One page of a queue, keyed by comment id.
    async fn queue(&self, query: &QueueQuery) -> Result<Vec<QueueItem>, DbError>;

    async fn queue_counts(&self, filter: &QueueFilter) -> Result<QueueCounts, DbError>;

    /// Applies `change` with its audit entry and events; the updated comment.
    async fn change_comment(&self, change: &CommentChange) -> Result<Comment, DbError>;

    async fn comment_edits(&self, comment: CommentId) -> Result<Vec<CommentEdit>, DbError>;

    /// Records a report and counts it on the comment (with its event); the
    /// comment as it is now. A second report by one reader is
    /// `Conflict { constraint: "comment_reports_once" }`.
    async fn report_comment(&self, report: &NewReport) -> Result<Comment, DbError>;

    async fn reports(&self, comment: CommentId) -> Result<Vec<Report>, DbError>;

    /// The author's latest comments, newest first, at most `limit`.
    async fn author_history(&self, author: &AuthorKey, limit: u32) -> Result<Vec<PastComment>, DbError>;

    async fn author_counts(&self, author: &AuthorKey) -> Result<AuthorCounts, DbError>;

    /// The author's latest comments with everything, newest first.
    async fn author_comments(&self, author: &AuthorKey, limit: u32) -> Result<Vec<Comment>, DbError>;

    async fn author_restriction(&self, author: &AuthorKey) -> Result<AuthorRestriction, DbError>;

    /// `author_restriction` and `author_history` in one round trip (the
    /// posting path reads both for every comment).
    async fn author_standing(&self, author: &AuthorKey, history_limit: u32) -> Result<AuthorStanding, DbError>;

    async fn set_author_restriction(
        &self,
        author: &AuthorKey,
        restriction: &AuthorRestriction,
        at: Timestamp,
        audit: &NewAuditEntry,
    ) -> Result<(), DbError>;

    async fn add_moderator_note(
        &self,
        author: &AuthorKey,
        note: &ModeratorNote,
        moderator: Option<UserId>,
        audit: &NewAuditEntry,
    ) -> Result<(), DbError>;

    async fn moderator_notes(&self, author: &AuthorKey) -> Result<Vec<ModeratorNote>, DbError>;

    async fn append_audit(&self, entry: &NewAuditEntry) -> Result<(), DbError>;

    async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, DbError>;

    /// Stores the site's settings document under `key` with its audit entry.
    async fn save_setting_audited(&self, key: &str, value: &str, audit: &NewAuditEntry) -> Result<(), DbError>;

    /// Opens or closes an article's discussion and stores its settings (JSON).
    async fn set_discussion(
        &self,
        article: ArticleId,
        comments_open: bool,
        discussion: &str,
        audit: &NewAuditEntry,
    ) -> Result<(), DbError>;

    /// Published comments pinned at the top of an article's discussion, oldest first.
    async fn featured_comments(&self, article: ArticleId) -> Result<Vec<Comment>, DbError>;

    /// An author's comments on an article that wait for review: by account,
    /// or by a guest's browser token (its SHA-256).
    async fn own_pending(
        &self,
        article: ArticleId,
        user: Option<UserId>,
        token_hash: Option<&str>,
    ) -> Result<Vec<Comment>, DbError>;

    /// Comments on an article that moderators rejected: for the public note.
    async fn rejected_count(&self, article: ArticleId) -> Result<i64, DbError>;
}
