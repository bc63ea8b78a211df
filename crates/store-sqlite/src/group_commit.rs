//! Group commit for new comments. SQLite has one writer and each commit
//! costs an fsync, so comments that arrive together are written in one
//! transaction and each caller is answered only after that transaction is
//! durable. A comment that fails (a missing parent, a constraint) is answered
//! with its error and leaves nothing; the others in its batch still land.

use sqlx::sqlite::SqlitePool;
use sqlx::SqliteConnection;
use tokio::sync::{mpsc, oneshot};
use tribune_domain::{CommentId, NewComment, ThreadPath};
use tribune_store::{Comment, DbError};
use tribune_store_sql::{db_error, statements, CommentRow, IntoModel, SqlResult};

/// Most comments one transaction carries.
const MAX_BATCH: usize = 256;

struct Job {
    comment: NewComment,
    reply: oneshot::Sender<Result<Comment, DbError>>,
}

#[derive(Clone)]
pub(crate) struct CommentWriter {
    jobs: mpsc::Sender<Job>,
}

impl CommentWriter {
    /// Starts the writer task; it ends when the last handle is dropped.
    pub(crate) fn start(writer: SqlitePool) -> Self {
        let (jobs, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(writer, queue));
        Self { jobs }
    }

    pub(crate) async fn write(&self, comment: &NewComment) -> Result<Comment, DbError> {
        let (reply, answer) = oneshot::channel();
        let gone = || DbError::Unavailable("the comment writer has stopped".to_owned());
        self.jobs.send(Job { comment: comment.clone(), reply }).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

async fn run(pool: SqlitePool, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        write_batch(&pool, batch).await;
    }
}

async fn write_batch(pool: &SqlitePool, batch: Vec<Job>) {
    let mut tx = match pool.begin().await {
        Ok(tx) => tx,
        Err(error) => {
            let message = error.to_string();
            for job in batch {
                let _ = job.reply.send(Err(DbError::Unavailable(message.clone())));
            }
            return;
        }
    };
    let mut results = Vec::with_capacity(batch.len());
    for job in &batch {
        results.push(insert(&mut tx, &job.comment).await);
    }
    match tx.commit().await {
        Ok(()) => {
            for (job, result) in batch.into_iter().zip(results) {
                let _ = job.reply.send(result);
            }
        }
        Err(error) => {
            let message = error.to_string();
            for job in batch {
                let _ = job.reply.send(Err(DbError::Unavailable(message.clone())));
            }
        }
    }
}

/// One comment inside the batch's transaction, placed in its thread.
async fn insert(conn: &mut SqliteConnection, comment: &NewComment) -> Result<Comment, DbError> {
    let parent: Option<(i32, String, i64)> = match comment.parent_id {
        Some(parent) => Some(
            sqlx::query_as("SELECT depth, path, root_id FROM comments WHERE id = ?1 AND article_id = ?2")
                .bind(parent.0)
                .bind(comment.article_id.0)
                .fetch_one(&mut *conn)
                .await
                .db()?,
        ),
        None => None,
    };
    let depth = parent.as_ref().map_or(1, |(depth, _, _)| depth + 1);
    // A failed statement undoes only itself: the batch's transaction goes on.
    let reasons = serde_json::to_string(&comment.reasons).map_err(|e| DbError::Other(Box::new(e)))?;
    let id: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO comments (depth, {}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) RETURNING id",
        statements::NEW_COMMENT_COLUMNS
    ))
    .bind(depth)
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
    .fetch_one(&mut *conn)
    .await
    .db()?;
    let (path, root_id) = match &parent {
        Some((_, parent_path, root_id)) => (ThreadPath::child(parent_path, CommentId(id)), *root_id),
        None => (ThreadPath::root(CommentId(id)), id),
    };
    let placed =
        sqlx::query_as::<_, CommentRow>("UPDATE comments SET path = ?1, root_id = ?2 WHERE id = ?3 RETURNING *")
            .bind(path.as_str())
            .bind(root_id)
            .bind(id)
            .fetch_one(&mut *conn)
            .await;
    let queued = match placed {
        Ok(stored) => queue_events(conn, comment, CommentId(id)).await.map(|()| stored),
        Err(error) => Err(error),
    };
    match queued {
        Ok(stored) => stored.model(),
        Err(error) => {
            // Never leave a comment without its place in the thread.
            let _ = sqlx::query("DELETE FROM comments WHERE id = ?1").bind(id).execute(&mut *conn).await;
            Err(db_error(error))
        }
    }
}

/// The new comment's webhook events, queued in the same transaction.
async fn queue_events(conn: &mut SqliteConnection, comment: &NewComment, id: CommentId) -> Result<(), sqlx::Error> {
    for event in &comment.events {
        sqlx::query(statements::QUEUE_WEBHOOK)
            .bind(event.as_str())
            .bind(id.0)
            .bind(comment.created_at.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
