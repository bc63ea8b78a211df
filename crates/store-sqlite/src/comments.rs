use crate::SqliteStore;
use async_trait::async_trait;
use sqlx::QueryBuilder;
use tribune_domain::comment::SortOrder;
use tribune_domain::{ArticleId, CommentId, NewComment, Timestamp, UserId};
use tribune_store::{AuthoredComment, Comment, CommentStore, DbError, ThreadPage, ThreadQuery};
use tribune_store_sql::{statements, visible_thread, AuthoredCommentRow, CommentRow, IntoModel, SqlResult};

#[async_trait]
impl CommentStore for SqliteStore {
    async fn create_comment(&self, comment: &NewComment) -> Result<Comment, DbError> {
        self.comments.write(comment).await
    }

    async fn comment(&self, id: CommentId) -> Result<Comment, DbError> {
        sqlx::query_as::<_, CommentRow>("SELECT * FROM comments WHERE id = ?1")
            .bind(id.0)
            .fetch_one(&self.reader)
            .await
            .db()?
            .model()
    }

    async fn published_after(&self, article: ArticleId, after: CommentId, limit: u32) -> Result<Vec<Comment>, DbError> {
        sqlx::query_as::<_, CommentRow>(
            "SELECT * FROM comments WHERE article_id = ?1 AND status = 'published' AND id > ?2 ORDER BY id LIMIT ?3",
        )
        .bind(article.0)
        .bind(after.0)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .db()?
        .model()
    }

    async fn last_published_id(&self, article: ArticleId) -> Result<Option<CommentId>, DbError> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT MAX(id) FROM comments WHERE article_id = ?1 AND status = 'published'")
                .bind(article.0)
                .fetch_one(&self.reader)
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
             WHERE comments.user_id = ?1 AND comments.id < ?2 AND comments.status <> 'deleted' \
             ORDER BY comments.id DESC LIMIT ?3",
        )
        .bind(user.0)
        .bind(before.map_or(i64::MAX, |id| id.0))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
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
            .fetch_all(&self.reader)
            .await
            .db()?
            .model()
    }

    async fn thread_page(&self, article: ArticleId, query: ThreadQuery) -> Result<ThreadPage, DbError> {
        let limit = query.roots.max(1);
        let (roots_sql, after) = match query.sort {
            SortOrder::Oldest => ("AND id > ?2 ORDER BY id ASC LIMIT ?3", query.after_root.map_or(0, |c| c.0)),
            SortOrder::Newest => ("AND id < ?2 ORDER BY id DESC LIMIT ?3", query.after_root.map_or(i64::MAX, |c| c.0)),
        };
        let mut roots: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM comments WHERE article_id = ?1 AND {} {roots_sql}",
            statements::VISIBLE_ROOT
        ))
        .bind(article.0)
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.reader)
        .await
        .db()?;
        let next_cursor = (roots.len() > limit as usize).then(|| CommentId(roots[limit as usize - 1]));
        roots.truncate(limit as usize);

        let total_published: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE article_id = ?1 AND status = 'published'")
                .bind(article.0)
                .fetch_one(&self.reader)
                .await
                .db()?;
        let Some(&first) = roots.first() else {
            return Ok(ThreadPage { comments: Vec::new(), first_number: 1, total_published, next_cursor: None });
        };
        let first_number: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM comments WHERE article_id = ?1 AND {} AND id <= ?2",
            statements::VISIBLE_ROOT
        ))
        .bind(article.0)
        .bind(first)
        .fetch_one(&self.reader)
        .await
        .db()?;

        let mut select = QueryBuilder::new("SELECT * FROM comments WHERE article_id = ");
        select.push_bind(article.0).push(" AND root_id IN (");
        let mut ids = select.separated(", ");
        for root in &roots {
            ids.push_bind(*root);
        }
        select.push(") ORDER BY root_id ").push(match query.sort {
            SortOrder::Oldest => "ASC",
            SortOrder::Newest => "DESC",
        });
        select.push(", path ASC");
        let comments =
            visible_thread(select.build_query_as::<CommentRow>().fetch_all(&self.reader).await.db()?.model()?);
        Ok(ThreadPage { comments, first_number, total_published, next_cursor })
    }
}
