use crate::PgStore;
use async_trait::async_trait;
use tribune_domain::comment::SortOrder;
use tribune_domain::{ArticleId, CommentId, NewComment, Timestamp, UserId};
use tribune_store::{AuthoredComment, Comment, CommentStore, DbError, ThreadPage, ThreadQuery};
use tribune_store_sql::{statements, visible_thread, AuthoredCommentRow, CommentRow, IntoModel, SqlResult};

#[async_trait]
impl CommentStore for PgStore {
    async fn create_comment(&self, comment: &NewComment) -> Result<Comment, DbError> {
        // One statement, so one round trip and no explicit transaction. The
        // id is drawn first so the row is written once, path and all; the
        // path segment is ThreadPath's (the id zero-padded to 12 digits).
        // FOR SHARE keeps the parent's place fixed until this reply commits;
        // concurrent replies to one parent share the lock and do not wait.
        // A parent missing from this article gives no row: NotFound.
        // The new comment's webhook events are queued by the same statement.
        let insert = format!(
            "inserted AS (INSERT INTO comments (id, root_id, depth, path, {}) \
             SELECT placed.id, placed.root_id, placed.depth, placed.path, $1, placed.parent_id, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, $12, $13, $14, $15, $16, $17 FROM placed RETURNING *), \
             hooks AS (INSERT INTO webhook_deliveries (endpoint_id, event, comment_id, created_at, next_attempt_at) \
             SELECT e.id, ev.name, inserted.id, $9, $9 FROM inserted, webhook_endpoints e, \
             unnest($18::text[]) AS ev(name) \
             WHERE e.active AND (' ' || e.events || ' ') LIKE ('% ' || ev.name || ' %')) \
             SELECT * FROM inserted",
            statements::NEW_COMMENT_COLUMNS
        );
        let place = match comment.parent_id {
            None => {
                "WITH new AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id), \
                 placed AS (SELECT id, NULL::bigint AS parent_id, id AS root_id, 1 AS depth, \
                    lpad(id::text, greatest(12, length(id::text)), '0') AS path FROM new WHERE $2::bigint IS NULL), "
            }
            Some(_) => {
                "WITH parent AS (SELECT id, depth, path, root_id FROM comments \
                    WHERE id = $2 AND article_id = $1 FOR SHARE), \
                 new AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id FROM parent), \
                 placed AS (SELECT new.id, parent.id AS parent_id, parent.root_id, parent.depth + 1 AS depth, \
                    parent.path || '/' || lpad(new.id::text, greatest(12, length(new.id::text)), '0') AS path \
                    FROM new, parent), "
            }
        };
        let reasons = serde_json::to_string(&comment.reasons).map_err(|e| DbError::Other(Box::new(e)))?;
        let events: Vec<&str> = comment.events.iter().map(|e| e.as_str()).collect();
        sqlx::query_as::<_, CommentRow>(&format!("{place}{insert}"))
            .bind(comment.article_id.0)
            .bind(comment.parent_id.map(|p| p.0))
            .bind(comment.author_name.as_str())
            .bind(comment.author_email.as_str())
            .bind(comment.author_website.as_ref().map(|w| w.as_str()))
            .bind(comment.body.as_str())
            .bind(&comment.body_html)
            .bind(comment.status.as_str())
            .bind(comment.created_at.0)
            .bind(comment.user_id.map(|u| u.0))
            .bind(comment.author_key.as_stored())
            .bind(comment.fingerprint)
            .bind(reasons)
            .bind(comment.reject_reason.map(|r| r.as_str()))
            .bind(i32::from(comment.flagged))
            .bind(comment.author_token.as_deref())
            .bind(comment.notify_author)
            .bind(events)
            .fetch_one(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn comment(&self, id: CommentId) -> Result<Comment, DbError> {
        sqlx::query_as::<_, CommentRow>("SELECT * FROM comments WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn published_after(&self, article: ArticleId, after: CommentId, limit: u32) -> Result<Vec<Comment>, DbError> {
        sqlx::query_as::<_, CommentRow>(
            "SELECT * FROM comments WHERE article_id = $1 AND status = 'published' AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(article.0)
        .bind(after.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .db()?
        .model()
    }

    async fn last_published_id(&self, article: ArticleId) -> Result<Option<CommentId>, DbError> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT MAX(id) FROM comments WHERE article_id = $1 AND status = 'published'")
                .bind(article.0)
                .fetch_one(&self.pool)
                .await
                .db()?;
        Ok(id.map(CommentId))
    }

    async fn comments_by_user(
        &self,
        user: UserId,
        before: Option<CommentId>,
        limit: u32,
    ) -> Result<Vec<AuthoredComment>, DbError> {
        sqlx::query_as::<_, AuthoredCommentRow>(
            "SELECT comments.*, articles.slug AS article_slug, articles.headline AS article_headline \
             FROM comments JOIN articles ON articles.id = comments.article_id \
             WHERE comments.user_id = $1 AND comments.id < $2 AND comments.status <> 'deleted' \
             ORDER BY comments.id DESC LIMIT $3",
        )
        .bind(user.0)
        .bind(before.map_or(i64::MAX, |id| id.0))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .db()?
        .model()
    }

    async fn recent_published_comments(
        &self,
        article: Option<ArticleId>,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<AuthoredComment>, DbError> {
        sqlx::query_as::<_, AuthoredCommentRow>(statements::RECENT_PUBLISHED_COMMENTS)
            .bind(article.map_or(0, |id| id.0))
            .bind(now.0)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn thread_page(&self, article: ArticleId, query: ThreadQuery) -> Result<ThreadPage, DbError> {
        let limit = query.roots.max(1);
        let (roots_sql, after) = match query.sort {
            SortOrder::Oldest => ("AND id > $2 ORDER BY id ASC LIMIT $3", query.after_root.map_or(0, |c| c.0)),
            SortOrder::Newest => ("AND id < $2 ORDER BY id DESC LIMIT $3", query.after_root.map_or(i64::MAX, |c| c.0)),
        };
        let mut roots: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM comments WHERE article_id = $1 AND {} {roots_sql}",
            statements::VISIBLE_ROOT
        ))
        .bind(article.0)
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.pool)
        .await
        .db()?;
        let next_cursor = (roots.len() > limit as usize).then(|| CommentId(roots[limit as usize - 1]));
        roots.truncate(limit as usize);

        // Top-level comments are numbered oldest-first whichever way the page
        // sorts, so the page's first one is numbered by the roots up to its id.
        let first = roots.first().copied().unwrap_or(0);
        let (total_published, first_number): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FILTER (WHERE status = 'published'), COUNT(*) FILTER (WHERE {} AND id <= $2) \
             FROM comments WHERE article_id = $1",
            statements::VISIBLE_ROOT
        ))
        .bind(article.0)
        .bind(first)
        .fetch_one(&self.pool)
        .await
        .db()?;
        if roots.is_empty() {
            return Ok(ThreadPage { comments: Vec::new(), first_number: 1, total_published, next_cursor: None });
        }

        let order = match query.sort {
            SortOrder::Oldest => "ASC",
            SortOrder::Newest => "DESC",
        };
        let comments = sqlx::query_as::<_, CommentRow>(&format!(
            "SELECT * FROM comments \
             WHERE article_id = $1 AND root_id = ANY($2) \
             ORDER BY root_id {order}, path ASC"
        ))
        .bind(article.0)
        .bind(&roots)
        .fetch_all(&self.pool)
        .await
        .db()?
        .model()?;
        let comments = visible_thread(comments);
        Ok(ThreadPage { comments, first_number, total_published, next_cursor })
    }
}
