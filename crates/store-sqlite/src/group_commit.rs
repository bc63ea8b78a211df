//! Group commit for new comments. SQLite has one writer and each commit
//! costs an fsync, so comments that arrive together are written in one
//! transaction and each caller is answered only after that transaction is
//! durable. Each comment is written inside its own savepoint: one that fails
//! (a missing parent, a constraint) is rolled back to it, is answered with
//! its error and leaves nothing, and the others in its batch still land. If
//! a savepoint cannot be rolled back, the whole batch fails and nothing of it
//! is kept.

use sqlx::sqlite::SqlitePool;
use sqlx::SqliteConnection;
use tokio::sync::{mpsc, oneshot};
use tribune_domain::{CommentId, NewComment, ThreadPath};
use tribune_store::{Comment, DbError};
use tribune_store_sql::{statements, CommentRow, IntoModel, SqlResult};

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
    let fail_all = |batch: Vec<Job>, message: String| {
        for job in batch {
            let _ = job.reply.send(Err(DbError::Unavailable(message.clone())));
        }
    };
    let mut tx = match pool.begin().await {
        Ok(tx) => tx,
        Err(error) => return fail_all(batch, error.to_string()),
    };
    let mut results = Vec::with_capacity(batch.len());
    for job in &batch {
        match insert_alone(&mut tx, &job.comment).await {
            Ok(result) => results.push(result),
            Err(error) => {
                // The transaction's state is unknown: dropping it rolls everything back.
                tracing::error!(%error, "a comment batch could not undo one comment; the batch is rolled back");
                drop(tx);
                return fail_all(batch, error.to_string());
            }
        }
    }
    match tx.commit().await {
        Ok(()) => {
            for (job, result) in batch.into_iter().zip(results) {
                let _ = job.reply.send(result);
            }
        }
        Err(error) => fail_all(batch, error.to_string()),
    }
}

/// One comment in a savepoint of the batch's transaction. The inner result is
/// the comment's own outcome; the outer error means the savepoint itself
/// failed, and the batch cannot go on.
async fn insert_alone(
    conn: &mut SqliteConnection,
    comment: &NewComment,
) -> Result<Result<Comment, DbError>, sqlx::Error> {
    sqlx::query("SAVEPOINT one_comment").execute(&mut *conn).await?;
    let result = insert(conn, comment).await;
    if result.is_err() {
        sqlx::query("ROLLBACK TO one_comment").execute(&mut *conn).await?;
    }
    sqlx::query("RELEASE one_comment").execute(&mut *conn).await?;
    Ok(result)
}

/// One comment inside the batch's transaction, placed in its thread, with
/// the webhook events it raises.
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
            .await
            .db()?;
    for event in &comment.events {
        sqlx::query(statements::QUEUE_WEBHOOK)
            .bind(event.as_str())
            .bind(id)
            .bind(comment.created_at.0)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    placed.model()
}

#[cfg(test)]
mod tests {
    use crate::SqliteStore;
    use tribune_domain::{
        AuthorName, Byline, CommentBody, CommentStatus, Email, Headline, NewArticle, NewComment, Section, Slug,
        Standfirst, Timestamp,
    };
    use tribune_store::{ArticleStore, CommentStore, Store};

    fn comment(article: tribune_domain::ArticleId, body: &str) -> NewComment {
        NewComment {
            article_id: article,
            parent_id: None,
            author_name: AuthorName::parse("Ada").unwrap(),
            author_email: Email::parse("ada@example.org").unwrap(),
            author_website: None,
            body: CommentBody::parse(body, 1000).unwrap(),
            body_html: format!("<p>{body}</p>"),
            status: CommentStatus::Published,
            created_at: Timestamp(1_700_000_000_000),
            user_id: None,
            author_key: tribune_domain::moderation::AuthorKey::guest("ada@example.org"),
            fingerprint: None,
            reasons: Vec::new(),
            reject_reason: None,
            flagged: false,
            author_token: None,
            notify_author: false,
            events: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_comment_that_cannot_be_placed_leaves_nothing_even_when_deleting_it_would_fail() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("tribune.db")).await.unwrap();
        store.migrate().await.unwrap();
        let article = store
            .create_article(&NewArticle {
                slug: Slug::parse("savepoints").unwrap(),
                headline: Headline::parse("Savepoints").unwrap(),
                standfirst: Standfirst::parse("One line.").unwrap(),
                byline: Byline::parse("Sam").unwrap(),
                section: Section::parse("News").unwrap(),
                tags: Vec::new(),
                body_markdown: "x".to_owned(),
                body_html: "<p>x</p>".to_owned(),
                published_at: Some(Timestamp(1_600_000_000_000)),
                comments_open: true,
                created_at: Timestamp(1_600_000_000_000),
                status: tribune_domain::ArticleStatus::Published,
                author: None,
            })
            .await
            .unwrap();
        // Placing one comment fails after its row is written, and no row may be deleted.
        for trigger in [
            "CREATE TRIGGER refuse_place BEFORE UPDATE OF path ON comments WHEN NEW.body_markdown = 'unplaceable' \
             BEGIN SELECT RAISE(ABORT, 'cannot place'); END",
            "CREATE TRIGGER refuse_delete BEFORE DELETE ON comments BEGIN SELECT RAISE(ABORT, 'cannot delete'); END",
        ] {
            sqlx::query(trigger).execute(&store.writer).await.unwrap();
        }
        let [before, bad, after] = ["before", "unplaceable", "after"].map(|body| comment(article.id, body));
        // Sent together, so that they share a batch.
        let (before, bad, after) =
            tokio::join!(store.create_comment(&before), store.create_comment(&bad), store.create_comment(&after));
        assert!(bad.is_err(), "the comment that cannot be placed is refused");
        let kept: Vec<(String, String)> = sqlx::query_as("SELECT body_markdown, path FROM comments ORDER BY id")
            .fetch_all(&store.writer)
            .await
            .unwrap();
        let expected = [before.unwrap(), after.unwrap()].map(|c| (c.body_markdown, c.path));
        assert_eq!(kept, expected, "the others landed, placed; nothing of the refused one stayed");
        assert!(kept.iter().all(|(_, path)| !path.is_empty()));
    }
}
