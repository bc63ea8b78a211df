use crate::PgStore;
use async_trait::async_trait;
use tribune_domain::{ArticleId, NewArticle, Slug, Timestamp};
use tribune_store::{
    Article, ArticleListQuery, ArticleStore, ArticleSummary, DbError, SearchHit, SearchQuery, SEARCH_WINDOW,
};
use tribune_store_sql::{statements, ArticleRow, ArticleSummaryRow, IntoModel, SearchHitRow, SqlResult};

/// Published articles matching the words `$1` (plainto_tsquery: plain terms
/// joined by AND), best first: `$2` now, `$3` limit, `$4` offset, `$5` the
/// window. Only the newest `SEARCH_WINDOW` matches are ranked (`ts_rank`
/// reads each match's whole vector: ranking all 42,000 matches of a common
/// word over 100,000 articles took 170 ms, the window 4–25 ms); with
/// statistics the planner walks the primary key backwards for a common word
/// and uses the GIN index for a rare one. Only the page's rows are read
/// whole and have their comments counted.
const SEARCH_ARTICLES: &str =
    "WITH recent AS MATERIALIZED (SELECT a.id, a.published_at, ts_rank(a.search_vector, q) AS score \
     FROM articles a, plainto_tsquery('english', $1) q \
     WHERE a.search_vector @@ q AND a.status = 'published' AND a.published_at <= $2 ORDER BY a.id DESC LIMIT $5), \
     best AS MATERIALIZED (SELECT id, score, published_at FROM recent \
     ORDER BY score DESC, published_at DESC, id DESC LIMIT $3 OFFSET $4) \
     SELECT a.id, a.slug, a.headline, a.standfirst, a.byline, a.section, a.section_slug, a.tags, a.published_at, a.updated_at, \
     (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'published') AS comment_count, \
     a.body_markdown \
     FROM best JOIN articles a ON a.id = best.id ORDER BY best.score DESC, best.published_at DESC, a.id DESC";

#[async_trait]
impl ArticleStore for PgStore {
    async fn create_article(&self, article: &NewArticle) -> Result<Article, DbError> {
        tribune_store_sql::create_article!(self.pool, article)
    }

    async fn article_by_slug(&self, slug: &Slug) -> Result<Article, DbError> {
        sqlx::query_as::<_, ArticleRow>("SELECT * FROM articles WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_one(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn article(&self, id: ArticleId) -> Result<Article, DbError> {
        sqlx::query_as::<_, ArticleRow>("SELECT * FROM articles WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn published_articles(&self, now: Timestamp, limit: u32) -> Result<Vec<ArticleSummary>, DbError> {
        sqlx::query_as::<_, ArticleSummaryRow>(
            "SELECT a.id, a.slug, a.headline, a.standfirst, a.byline, a.section, a.section_slug, a.tags, \
             a.published_at, a.updated_at, \
             (SELECT COUNT(*) FROM comments c \
              WHERE c.article_id = a.id AND c.status = 'published') AS comment_count \
             FROM articles a WHERE a.status = 'published' AND a.published_at <= $1 \
             ORDER BY a.published_at DESC, a.id DESC LIMIT $2",
        )
        .bind(now.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
            .fetch_all(&self.pool)
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
            .fetch_all(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn search_articles(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, DbError> {
        sqlx::query_as::<_, SearchHitRow>(SEARCH_ARTICLES)
            .bind(query.terms.joined())
            .bind(query.now.0)
            .bind(i64::from(query.limit))
            .bind(i64::from(query.offset))
            .bind(SEARCH_WINDOW)
            .fetch_all(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn count_articles(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM articles").fetch_one(&self.pool).await.db()?)
    }
}
