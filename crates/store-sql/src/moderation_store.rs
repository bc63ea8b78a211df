//! `ModerationStore` and `WebhookStore` for both backends. Their SQL is the
//! same on SQLite and PostgreSQL (portable statements, `$N` placeholders),
//! so it is written once, here, and each backend instantiates it with
//! [`impl_moderation_store!`](crate::impl_moderation_store) naming its
//! database type and the pools it reads and writes through.

/// The condition that selects a queue, on `comments c`.
pub fn queue_condition(queue: tribune_domain::moderation::Queue) -> &'static str {
    use tribune_domain::moderation::Queue;
    match queue {
        Queue::Pending => "c.status = 'pending'",
        Queue::Reported => "c.open_reports > 0",
        Queue::Unmoderated => "c.status = 'published' AND c.moderated_at IS NULL",
        Queue::Rejected => "c.status = 'rejected'",
        Queue::Approved => "c.status = 'published' AND c.moderated_at IS NOT NULL",
    }
}

/// A delivery given up on is never due again.
pub const NEVER: i64 = i64::MAX;

#[macro_export]
macro_rules! impl_moderation_store {
    ($store:ty, $db:ty, reader: $reader:ident, writer: $writer:ident) => {
        const _: () = {
            use $crate::tribune_domain::moderation::{AuthorKey, Queue};
            use $crate::tribune_domain::{ArticleId, CommentId, Timestamp, UserId};
            use $crate::tribune_store::{
                Attempt, AuditEntry, AuditQuery, AuthorCounts, AuthorRestriction, AuthorStanding, Comment, CommentChange,
                CommentEdit, DbError, Delivery, Endpoint, ModerationStore, ModeratorNote, NewAuditEntry,
                NewEndpoint, NewReport, PastComment, QueueCounts, QueueFilter, QueueItem, QueueQuery, Report,
                WebhookStore,
            };
            use $crate::{statements, IntoModel, SqlResult};

            async fn append_audit<'c>(
                conn: &mut <$db as sqlx::Database>::Connection,
                entry: &NewAuditEntry,
            ) -> Result<(), DbError> {
                sqlx::query(statements::APPEND_AUDIT)
                    .bind(entry.at.0)
                    .bind(entry.actor.id.map(|id| id.0))
                    .bind(&entry.actor.name)
                    .bind(&entry.action)
                    .bind(entry.target_kind)
                    .bind(&entry.target_id)
                    .bind(entry.article_id.map(|id| id.0))
                    .bind(&entry.reason)
                    .bind(&entry.before)
                    .bind(&entry.after)
                    .execute(&mut *conn)
                    .await
                    .db()?;
                Ok(())
            }

            async fn queue_webhooks(
                conn: &mut <$db as sqlx::Database>::Connection,
                events: &[$crate::tribune_domain::moderation::WebhookEvent],
                comment: CommentId,
                at: Timestamp,
            ) -> Result<(), DbError> {
                for event in events {
                    sqlx::query(statements::QUEUE_WEBHOOK)
                        .bind(event.as_str())
                        .bind(comment.0)
                        .bind(at.0)
                        .execute(&mut *conn)
                        .await
                        .db()?;
                }
                Ok(())
            }

            fn push_filter(select: &mut sqlx::QueryBuilder<'_, $db>, filter: &QueueFilter) {
                if let Some(article) = filter.article {
                    select.push(" AND c.article_id = ").push_bind(article.0);
                }
                if let Some(section) = &filter.section_slug {
                    select
                        .push(" AND c.article_id IN (SELECT id FROM articles WHERE section_slug = ")
                        .push_bind(section.clone())
                        .push(")");
                }
            }

            #[$crate::async_trait::async_trait]
            impl ModerationStore for $store {
                async fn queue(&self, query: &QueueQuery) -> Result<Vec<QueueItem>, DbError> {
                    // The page's ids first, then their rows. Asked for whole rows in id
                    // order, PostgreSQL walked the primary key and skipped every older
                    // published comment (40 ms with 100,000 pending behind 40,000
                    // published); asked for ids only, it reads them from the queue's
                    // (status, id) index alone and stops after the limit.
                    let direction = if query.oldest_first { "ASC" } else { "DESC" };
                    let mut select = sqlx::QueryBuilder::<$db>::new(
                        "SELECT c.*, a.slug AS article_slug, a.headline AS article_headline, \
                         a.section AS article_section FROM comments c JOIN articles a ON a.id = c.article_id \
                         WHERE c.id IN (SELECT c.id FROM comments c WHERE ",
                    );
                    select.push($crate::moderation_store::queue_condition(query.queue));
                    push_filter(&mut select, &query.filter);
                    match (query.after, query.oldest_first) {
                        (Some(after), true) => {
                            select.push(" AND c.id > ").push_bind(after.0);
                        }
                        (Some(after), false) => {
                            select.push(" AND c.id < ").push_bind(after.0);
                        }
                        (None, _) => {}
                    }
                    select.push(format_args!(" ORDER BY c.id {direction} LIMIT "));
                    select.push_bind(i64::from(query.limit));
                    select.push(format_args!(") ORDER BY c.id {direction}"));
                    select
                        .build_query_as::<$crate::QueueItemRow>()
                        .fetch_all(&self.$reader)
                        .await
                        .db()?
                        .model()
                }

                async fn queue_counts(&self, filter: &QueueFilter) -> Result<QueueCounts, DbError> {
                    // Every tab in one statement: one round trip, not five.
                    let mut select = sqlx::QueryBuilder::<$db>::new("SELECT ");
                    for (n, queue) in Queue::ALL.iter().enumerate() {
                        if n > 0 {
                            select.push(", ");
                        }
                        select.push("(SELECT COUNT(*) FROM (SELECT 1 FROM comments c WHERE ");
                        select.push($crate::moderation_store::queue_condition(*queue));
                        push_filter(&mut select, filter);
                        select
                            .push(" LIMIT ")
                            .push_bind($crate::tribune_store::QUEUE_COUNT_CAP + 1)
                            .push(format_args!(") AS capped_{n})"));
                    }
                    let row = select.build().fetch_one(&self.$reader).await.db()?;
                    let mut counts = QueueCounts::default();
                    for (n, queue) in Queue::ALL.iter().enumerate() {
                        let count: i64 = sqlx::Row::try_get(&row, n).db()?;
                        match queue {
                            Queue::Pending => counts.pending = count,
                            Queue::Reported => counts.reported = count,
                            Queue::Unmoderated => counts.unmoderated = count,
                            Queue::Rejected => counts.rejected = count,
                            Queue::Approved => counts.approved = count,
                        }
                    }
                    Ok(counts)
                }

                async fn change_comment(&self, change: &CommentChange) -> Result<Comment, DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let old: Comment = sqlx::query_as::<_, $crate::CommentRow>("SELECT * FROM comments WHERE id = $1")
                        .bind(change.comment.0)
                        .fetch_one(&mut *tx)
                        .await
                        .db()?
                        .model()?;
                    let stale = || DbError::Conflict { constraint: "comment_version".to_owned() };
                    if change.expected_version.is_some_and(|v| v != old.version) {
                        return Err(stale());
                    }
                    let mut update = sqlx::QueryBuilder::<$db>::new("UPDATE comments SET version = version + 1");
                    if let Some(status) = change.status {
                        update.push(", status = ").push_bind(status.as_str());
                    }
                    if let Some(reject) = &change.reject {
                        update.push(", reject_reason = ").push_bind(reject.as_ref().map(|(r, _)| r.as_str()));
                        update.push(", reject_note = ").push_bind(reject.as_ref().map_or(String::new(), |(_, n)| n.clone()));
                    }
                    if let Some(featured) = change.featured {
                        update.push(", featured = ").push_bind(featured);
                    }
                    if let Some(edit) = &change.edit {
                        update.push(", body_markdown = ").push_bind(edit.body_markdown.clone());
                        update.push(", body_html = ").push_bind(edit.body_html.clone());
                        update.push(", edited_at = ").push_bind(change.at.0);
                    }
                    if let Some(reasons) = &change.reasons {
                        let json = $crate::serde_json::to_string(reasons).map_err(|e| DbError::Other(Box::new(e)))?;
                        update.push(", reasons = ").push_bind(json);
                    }
                    if change.mark_moderated {
                        update.push(", moderated_at = ").push_bind(change.at.0);
                        update.push(", moderated_by = ").push_bind(change.actor.id.map(|id| id.0));
                        update.push(", moderator_name = ").push_bind(change.actor.name.clone());
                    }
                    if change.resolve_reports {
                        update.push(", open_reports = 0");
                    }
                    update.push(" WHERE id = ").push_bind(change.comment.0);
                    update.push(" AND version = ").push_bind(old.version);
                    update.push(" RETURNING *");
                    let updated: Comment = update
                        .build_query_as::<$crate::CommentRow>()
                        .fetch_optional(&mut *tx)
                        .await
                        .db()?
                        .ok_or_else(stale)?
                        .model()?;
                    if let Some(edit) = &change.edit {
                        sqlx::query(
                            "INSERT INTO comment_edits (comment_id, edited_at, editor_id, editor_name, reason, \
                             body_before, body_after) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(change.comment.0)
                        .bind(change.at.0)
                        .bind(change.actor.id.map(|id| id.0))
                        .bind(&change.actor.name)
                        .bind(&edit.reason)
                        .bind(&old.body_markdown)
                        .bind(&edit.body_markdown)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    }
                    if change.resolve_reports {
                        sqlx::query("UPDATE comment_reports SET resolved_at = $1 WHERE comment_id = $2 AND resolved_at IS NULL")
                            .bind(change.at.0)
                            .bind(change.comment.0)
                            .execute(&mut *tx)
                            .await
                            .db()?;
                    }
                    if let Some(audit) = &change.audit {
                        append_audit(&mut tx, audit).await?;
                    }
                    queue_webhooks(&mut tx, &change.events, change.comment, change.at).await?;
                    tx.commit().await.db()?;
                    Ok(updated)
                }

                async fn comment_edits(&self, comment: CommentId) -> Result<Vec<CommentEdit>, DbError> {
                    sqlx::query_as::<_, $crate::CommentEditRow>(
                        "SELECT * FROM comment_edits WHERE comment_id = $1 ORDER BY id",
                    )
                    .bind(comment.0)
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn report_comment(&self, report: &NewReport) -> Result<Comment, DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    sqlx::query(
                        "INSERT INTO comment_reports (comment_id, reporter, user_id, reason, note, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(report.comment.0)
                    .bind(&report.reporter)
                    .bind(report.user_id.map(|id| id.0))
                    .bind(report.reason.as_str())
                    .bind(&report.note)
                    .bind(report.at.0)
                    .execute(&mut *tx)
                    .await
                    .db()?;
                    let comment: Comment = sqlx::query_as::<_, $crate::CommentRow>(
                        "UPDATE comments SET open_reports = open_reports + 1, version = version + 1 \
                         WHERE id = $1 RETURNING *",
                    )
                    .bind(report.comment.0)
                    .fetch_one(&mut *tx)
                    .await
                    .db()?
                    .model()?;
                    let reported = [$crate::tribune_domain::moderation::WebhookEvent::CommentReported];
                    queue_webhooks(&mut tx, &reported, report.comment, report.at).await?;
                    tx.commit().await.db()?;
                    Ok(comment)
                }

                async fn reports(&self, comment: CommentId) -> Result<Vec<Report>, DbError> {
                    sqlx::query_as::<_, $crate::ReportRow>(
                        "SELECT reason, note, created_at, resolved_at FROM comment_reports WHERE comment_id = $1 ORDER BY id",
                    )
                    .bind(comment.0)
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn author_history(&self, author: &AuthorKey, limit: u32) -> Result<Vec<PastComment>, DbError> {
                    sqlx::query_as::<_, $crate::PastCommentRow>(
                        "SELECT id, status, created_at, fingerprint FROM comments \
                         WHERE author_key = $1 ORDER BY id DESC LIMIT $2",
                    )
                    .bind(author.as_stored())
                    .bind(i64::from(limit))
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn author_counts(&self, author: &AuthorKey) -> Result<AuthorCounts, DbError> {
                    let rows: Vec<(String, i64)> = sqlx::query_as(
                        "SELECT status, COUNT(*) FROM comments WHERE author_key = $1 GROUP BY status",
                    )
                    .bind(author.as_stored())
                    .fetch_all(&self.$reader)
                    .await
                    .db()?;
                    let mut counts = AuthorCounts::default();
                    for (status, count) in rows {
                        match status.as_str() {
                            "published" => counts.published = count,
                            "pending" => counts.pending = count,
                            "rejected" => counts.rejected = count,
                            _ => counts.deleted += count,
                        }
                    }
                    Ok(counts)
                }

                async fn author_comments(&self, author: &AuthorKey, limit: u32) -> Result<Vec<Comment>, DbError> {
                    sqlx::query_as::<_, $crate::CommentRow>(
                        "SELECT * FROM comments WHERE author_key = $1 ORDER BY id DESC LIMIT $2",
                    )
                    .bind(author.as_stored())
                    .bind(i64::from(limit))
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn author_restriction(&self, author: &AuthorKey) -> Result<AuthorRestriction, DbError> {
                    let row = sqlx::query_as::<_, $crate::RestrictionRow>(
                        "SELECT banned, suspended_until, message, warning, always_premoderate \
                         FROM author_restrictions WHERE author_key = $1",
                    )
                    .bind(author.as_stored())
                    .fetch_optional(&self.$reader)
                    .await
                    .db()?;
                    Ok(row.model()?.unwrap_or_default())
                }

                async fn author_standing(
                    &self,
                    author: &AuthorKey,
                    history_limit: u32,
                ) -> Result<AuthorStanding, DbError> {
                    sqlx::query_as::<_, $crate::StandingRow>(statements::AUTHOR_STANDING)
                        .bind(author.as_stored())
                        .bind(i64::from(history_limit))
                        .fetch_all(&self.$reader)
                        .await
                        .db()?
                        .model()
                }

                async fn set_author_restriction(
                    &self,
                    author: &AuthorKey,
                    restriction: &AuthorRestriction,
                    at: Timestamp,
                    audit: &NewAuditEntry,
                ) -> Result<(), DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    sqlx::query(
                        "INSERT INTO author_restrictions \
                         (author_key, banned, suspended_until, message, warning, always_premoderate, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (author_key) DO UPDATE SET \
                         banned = excluded.banned, suspended_until = excluded.suspended_until, \
                         message = excluded.message, warning = excluded.warning, \
                         always_premoderate = excluded.always_premoderate, updated_at = excluded.updated_at",
                    )
                    .bind(author.as_stored())
                    .bind(restriction.banned)
                    .bind(restriction.suspended_until.map(|t| t.0))
                    .bind(&restriction.message)
                    .bind(&restriction.warning)
                    .bind(restriction.always_premoderate)
                    .bind(at.0)
                    .execute(&mut *tx)
                    .await
                    .db()?;
                    append_audit(&mut tx, audit).await?;
                    tx.commit().await.db()
                }

                async fn add_moderator_note(
                    &self,
                    author: &AuthorKey,
                    note: &ModeratorNote,
                    moderator: Option<UserId>,
                    audit: &NewAuditEntry,
                ) -> Result<(), DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    sqlx::query(
                        "INSERT INTO moderator_notes (author_key, body, moderator_id, moderator_name, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(author.as_stored())
                    .bind(&note.body)
                    .bind(moderator.map(|id| id.0))
                    .bind(&note.moderator_name)
                    .bind(note.created_at.0)
                    .execute(&mut *tx)
                    .await
                    .db()?;
                    append_audit(&mut tx, audit).await?;
                    tx.commit().await.db()
                }

                async fn moderator_notes(&self, author: &AuthorKey) -> Result<Vec<ModeratorNote>, DbError> {
                    sqlx::query_as::<_, $crate::NoteRow>(
                        "SELECT body, moderator_name, created_at FROM moderator_notes \
                         WHERE author_key = $1 ORDER BY id DESC",
                    )
                    .bind(author.as_stored())
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn append_audit(&self, entry: &NewAuditEntry) -> Result<(), DbError> {
                    let mut conn = self.$writer.acquire().await.db()?;
                    append_audit(&mut conn, entry).await
                }

                async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, DbError> {
                    let mut select = sqlx::QueryBuilder::<$db>::new("SELECT * FROM moderation_audit WHERE id < ");
                    select.push_bind(query.before.unwrap_or(i64::MAX));
                    if let Some(actor) = query.actor {
                        select.push(" AND actor_id = ").push_bind(actor.0);
                    }
                    if let Some(action) = &query.action {
                        select.push(" AND action = ").push_bind(action.clone());
                    }
                    if let Some(article) = query.article {
                        select.push(" AND article_id = ").push_bind(article.0);
                    }
                    select.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(query.limit));
                    select.build_query_as::<$crate::AuditRow>().fetch_all(&self.$reader).await.db()?.model()
                }

                async fn save_setting_audited(&self, key: &str, value: &str, audit: &NewAuditEntry) -> Result<(), DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    sqlx::query(
                        "INSERT INTO settings (key, value) VALUES ($1, $2) \
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    )
                    .bind(key)
                    .bind(value)
                    .execute(&mut *tx)
                    .await
                    .db()?;
                    append_audit(&mut tx, audit).await?;
                    tx.commit().await.db()
                }

                async fn set_discussion(
                    &self,
                    article: ArticleId,
                    comments_open: bool,
                    discussion: &str,
                    audit: &NewAuditEntry,
                ) -> Result<(), DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let done = sqlx::query("UPDATE articles SET comments_open = $1, discussion = $2 WHERE id = $3")
                        .bind(comments_open)
                        .bind(discussion)
                        .bind(article.0)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    DbError::found(done.rows_affected())?;
                    append_audit(&mut tx, audit).await?;
                    tx.commit().await.db()
                }

                async fn featured_comments(&self, article: ArticleId) -> Result<Vec<Comment>, DbError> {
                    sqlx::query_as::<_, $crate::CommentRow>(
                        "SELECT * FROM comments WHERE article_id = $1 AND featured AND status = 'published' ORDER BY id",
                    )
                    .bind(article.0)
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn own_pending(
                    &self,
                    article: ArticleId,
                    user: Option<UserId>,
                    token_hash: Option<&str>,
                ) -> Result<Vec<Comment>, DbError> {
                    if user.is_none() && token_hash.is_none() {
                        return Ok(Vec::new());
                    }
                    sqlx::query_as::<_, $crate::CommentRow>(
                        "SELECT * FROM comments WHERE article_id = $1 AND status = 'pending' \
                         AND (user_id = $2 OR author_token = $3) ORDER BY id",
                    )
                    .bind(article.0)
                    .bind(user.map(|id| id.0))
                    .bind(token_hash)
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn rejected_count(&self, article: ArticleId) -> Result<i64, DbError> {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM comments WHERE article_id = $1 AND status = 'rejected' \
                         AND moderated_at IS NOT NULL",
                    )
                    .bind(article.0)
                    .fetch_one(&self.$reader)
                    .await
                    .db()
                }
            }

            #[$crate::async_trait::async_trait]
            impl WebhookStore for $store {
                async fn create_endpoint(&self, endpoint: &NewEndpoint, audit: &NewAuditEntry) -> Result<Endpoint, DbError> {
                    let events: Vec<&str> = endpoint.events.iter().map(|e| e.as_str()).collect();
                    let mut tx = self.$writer.begin().await.db()?;
                    let created: Endpoint = sqlx::query_as::<_, $crate::EndpointRow>(
                        "INSERT INTO webhook_endpoints (url, events, secret_id, secret, active, created_at) \
                         VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING *",
                    )
                    .bind(&endpoint.url)
                    .bind(events.join(" "))
                    .bind(&endpoint.secret_id)
                    .bind(&endpoint.secret)
                    .bind(endpoint.created_at.0)
                    .fetch_one(&mut *tx)
                    .await
                    .db()?
                    .model()?;
                    let mut audit = audit.clone();
                    audit.target_id = created.id.to_string();
                    append_audit(&mut tx, &audit).await?;
                    tx.commit().await.db()?;
                    Ok(created)
                }

                async fn endpoints(&self) -> Result<Vec<Endpoint>, DbError> {
                    sqlx::query_as::<_, $crate::EndpointRow>("SELECT * FROM webhook_endpoints ORDER BY id")
                        .fetch_all(&self.$reader)
                        .await
                        .db()?
                        .model()
                }

                async fn endpoint(&self, id: i64) -> Result<Endpoint, DbError> {
                    sqlx::query_as::<_, $crate::EndpointRow>("SELECT * FROM webhook_endpoints WHERE id = $1")
                        .bind(id)
                        .fetch_one(&self.$reader)
                        .await
                        .db()?
                        .model()
                }

                async fn set_endpoint_active(&self, id: i64, active: bool, audit: &NewAuditEntry) -> Result<(), DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let done = sqlx::query("UPDATE webhook_endpoints SET active = $1 WHERE id = $2")
                        .bind(active)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    DbError::found(done.rows_affected())?;
                    append_audit(&mut tx, audit).await?;
                    tx.commit().await.db()
                }

                async fn rotate_endpoint_secret(
                    &self,
                    id: i64,
                    secret_id: &str,
                    secret: &str,
                    audit: &NewAuditEntry,
                ) -> Result<(), DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let done = sqlx::query("UPDATE webhook_endpoints SET secret_id = $1, secret = $2 WHERE id = $3")
                        .bind(secret_id)
                        .bind(secret)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    DbError::found(done.rows_affected())?;
                    append_audit(&mut tx, audit).await?;
                    tx.commit().await.db()
                }

                async fn claim_deliveries(
                    &self,
                    now: Timestamp,
                    lease_until: Timestamp,
                    limit: u32,
                ) -> Result<Vec<(Delivery, Endpoint)>, DbError> {
                    // The outer conditions repeat the inner ones: under PostgreSQL,
                    // a row another instance claimed meanwhile is re-checked and skipped.
                    let claimed: Vec<i64> = sqlx::query_scalar(
                        "UPDATE webhook_deliveries SET locked_until = $2 WHERE id IN ( \
                           SELECT id FROM webhook_deliveries WHERE delivered_at IS NULL AND next_attempt_at <= $1 \
                           AND (locked_until IS NULL OR locked_until <= $1) \
                           AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE active) \
                           ORDER BY next_attempt_at LIMIT $3) \
                         AND delivered_at IS NULL AND (locked_until IS NULL OR locked_until <= $1) RETURNING id",
                    )
                    .bind(now.0)
                    .bind(lease_until.0)
                    .bind(i64::from(limit))
                    .fetch_all(&self.$writer)
                    .await
                    .db()?;
                    if claimed.is_empty() {
                        return Ok(Vec::new());
                    }
                    let mut select = sqlx::QueryBuilder::<$db>::new(
                        "SELECT d.*, e.url AS endpoint_url, e.events AS endpoint_events, \
                         e.secret_id AS endpoint_secret_id, e.secret AS endpoint_secret, e.active AS endpoint_active, \
                         e.created_at AS endpoint_created_at \
                         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id IN (",
                    );
                    let mut ids = select.separated(", ");
                    for id in &claimed {
                        ids.push_bind(*id);
                    }
                    select.push(") ORDER BY d.id");
                    // Read from the writer: the claim must be visible at once.
                    select.build_query_as::<$crate::ClaimedRow>().fetch_all(&self.$writer).await.db()?.model()
                }

                async fn finish_delivery(&self, id: i64, attempt: &Attempt, at: Timestamp) -> Result<(), DbError> {
                    let done = match attempt {
                        Attempt::Delivered { status } => sqlx::query(
                            "UPDATE webhook_deliveries SET delivered_at = $1, last_status = $2, last_error = '', \
                             attempts = attempts + 1, locked_until = NULL WHERE id = $3",
                        )
                        .bind(at.0)
                        .bind(*status)
                        .bind(id),
                        Attempt::Failed { status, error, retry_at } => sqlx::query(
                            "UPDATE webhook_deliveries SET last_status = $1, last_error = $2, next_attempt_at = $3, \
                             attempts = attempts + 1, locked_until = NULL WHERE id = $4",
                        )
                        .bind(*status)
                        .bind(error.clone())
                        .bind(retry_at.map_or($crate::moderation_store::NEVER, |t| t.0))
                        .bind(id),
                    }
                    .execute(&self.$writer)
                    .await
                    .db()?;
                    DbError::found(done.rows_affected())
                }

                async fn deliveries(&self, endpoint: Option<i64>, before: Option<i64>, limit: u32) -> Result<Vec<Delivery>, DbError> {
                    let mut select = sqlx::QueryBuilder::<$db>::new("SELECT * FROM webhook_deliveries WHERE id < ");
                    select.push_bind(before.unwrap_or(i64::MAX));
                    if let Some(endpoint) = endpoint {
                        select.push(" AND endpoint_id = ").push_bind(endpoint);
                    }
                    select.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
                    select.build_query_as::<$crate::DeliveryRow>().fetch_all(&self.$reader).await.db()?.model()
                }

                async fn redeliver(&self, id: i64, now: Timestamp, audit: &NewAuditEntry) -> Result<i64, DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let new_id: i64 = sqlx::query_scalar(
                        "INSERT INTO webhook_deliveries (endpoint_id, event, comment_id, created_at, next_attempt_at) \
                         SELECT endpoint_id, event, comment_id, $2, $2 FROM webhook_deliveries WHERE id = $1 RETURNING id",
                    )
                    .bind(id)
                    .bind(now.0)
                    .fetch_one(&mut *tx)
                    .await
                    .db()?;
                    append_audit(&mut tx, audit).await?;
                    tx.commit().await.db()?;
                    Ok(new_id)
                }
            }
        };
    };
}
