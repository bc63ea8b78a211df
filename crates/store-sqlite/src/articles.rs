use crate::SqliteStore;
use async_trait::async_trait;
use tribune_domain::{ArticleId, NewArticle, Slug, Timestamp};
use tribune_store::{
    Article, ArticleListQuery, ArticleStore, ArticleSummary, DbError, SearchHit, SearchQuery, SEARCH_WINDOW,
};
use tribune_store_sql::{statements, ArticleRow, ArticleSummaryRow, IntoModel, SearchHitRow, SqlResult};

/// Published articles matching `?1`, best first: `?2` now, `?3` limit, `?4`
/// offset, `?5` the window. The newest `SEARCH_WINDOW` matches are ranked,
/// read in the index's own order, so a word found in half the archive costs
/// what a rarer one does. CROSS JOIN keeps the matches the outer loop: left
/// to itself the planner walked every published article and ran the match
/// once for each (seconds at 100,000 articles). The window's rows are
/// checked for being visible in the small `articles_visibility` index (a
/// lookup in the table itself reads a page of article text each; the
/// planner prefers the rowid, hence `INDEXED BY`). Only the page's rows are
/// read whole and have their comments counted.
pub(crate) const SEARCH_ARTICLES: &str =
    "WITH recent AS MATERIALIZED (SELECT rowid AS id, bm25(article_search, 10.0, 4.0, 1.0) AS score \
     FROM article_search WHERE article_search MATCH ?1 ORDER BY rowid DESC LIMIT ?5), \
     best AS MATERIALIZED (SELECT a.id, recent.score, a.published_at FROM recent \
     CROSS JOIN articles a INDEXED BY articles_visibility ON a.id = recent.id WHERE a.status = 'published' AND a.published_at <= ?2 \
     ORDER BY recent.score, a.published_at DESC, a.id DESC LIMIT ?3 OFFSET ?4) \
     SELECT a.id, a.slug, a.headline, a.standfirst, a.byline, a.section, a.section_slug, a.tags, a.published_at, a.updated_at, \
     (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'published') AS comment_count, \
     a.body_markdown \
     FROM best CROSS JOIN articles a ON a.id = best.id ORDER BY best.score, best.published_at DESC, a.id DESC";

#[async_trait]
impl ArticleStore for SqliteStore {
    async fn create_article(&self, article: &NewArticle) -> Result<Article, DbError> {
        tribune_store_sql::create_article!(self.writer, article)
    }

    async fn article_by_slug(&self, slug: &Slug) -> Result<Article, DbError> {
        sqlx::query_as::<_, ArticleRow>("SELECT * FROM articles WHERE slug = ?1")
            .bind(slug.as_str())
            .fetch_one(&self.reader)
            .await
            .db()?
            .model()
    }

    async fn article(&self, id: ArticleId) -> Result<Article, DbError> {
        sqlx::query_as::<_, ArticleRow>("SELECT * FROM articles WHERE id = ?1")
            .bind(id.0)
            .fetch_one(&self.reader)
            .await
            .db()?
            .model()
    }

    async fn published_articles(&self, now: Timestamp, limit: u32) -> Result<Vec<ArticleSummary>, DbError> {
        sqlx::query_as::<_, ArticleSummaryRow>(
            "SELECT a.id, a.slug, a.headline, a.standfirst, a.byline, a.section, a.section_slug, a.tags, a.published_at, a.updated_at, \
             (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'published') AS comment_count \
             FROM articles a WHERE a.status = 'published' AND a.published_at <= ?1 \
             ORDER BY a.published_at DESC, a.id DESC LIMIT ?2",
        )
        .bind(now.0)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .db()?
        .model()
    }

    async fn list_published(&self, query: &ArticleListQuery) -> Result<Vec<ArticleSummary>, DbError> {
        sqlx::query_as::<_, ArticleSummaryRow>(statements::LIST_PUBLISHED_ARTICLES)
            .bind(query.now.0)
            .bind(query.section_slug.as_deref().unwrap_or(""))
            .bind(query.since.map_or(i64::MIN, |t| t.0))
            .bind(i64::from(query.limit))
            .bind(i64::from(query.offset))
            .bind(query.tag_slug.as_deref().unwrap_or(""))
            .fetch_all(&self.reader)
            .await
            .db()?
            .model()
    }

    async fn most_discussed(
        &self,
        since: Timestamp,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, DbError> {
        sqlx::query_as::<_, ArticleSummaryRow>(statements::MOST_DISCUSSED)
            .bind(since.0)
            .bind(now.0)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await
            .db()?
            .model()
    }

    async fn search_articles(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, DbError> {
        // Each word quoted: FTS5 reads it as a plain term, never as syntax.
        let expression: Vec<String> = query.terms.words().iter().map(|w| format!("\"{w}\"")).collect();
        sqlx::query_as::<_, SearchHitRow>(SEARCH_ARTICLES)
            .bind(expression.join(" "))
            .bind(query.now.0)
            .bind(i64::from(query.limit))
            .bind(i64::from(query.offset))
            .bind(SEARCH_WINDOW)
            .fetch_all(&self.reader)
            .await
            .db()?
            .model()
    }

    async fn count_articles(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM articles").fetch_one(&self.reader).await.db()?)
    }
}
