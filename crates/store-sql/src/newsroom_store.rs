//! `NewsroomStore` for both backends, written once like
//! [`impl_moderation_store!`](crate::impl_moderation_store): revisions,
//! states, former slugs, editor presence and the scheduler's claim, in
//! portable SQL.

use crate::rows::{corrupt, IntoModel};
use sqlx::FromRow;
use tribune_domain::{ArticleId, ArticleStatus, Timestamp, UserId};
use tribune_store::{DbError, NewsroomItem, Presence, Revision, RevisionSummary};

fn tag_lines(tags: &str) -> Vec<String> {
    tags.lines().filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

#[derive(Debug, FromRow)]
pub struct RevisionRow {
    number: i32,
    author_id: Option<i64>,
    author_name: String,
    created_at: i64,
    slug: String,
    headline: String,
    standfirst: String,
    byline: String,
    section: String,
    tags: String,
    body_markdown: String,
}

impl IntoModel<Revision> for RevisionRow {
    fn model(self) -> Result<Revision, DbError> {
        Ok(Revision {
            number: self.number,
            author_id: self.author_id.map(UserId),
            author_name: self.author_name,
            created_at: Timestamp(self.created_at),
            slug: self.slug,
            headline: self.headline,
            standfirst: self.standfirst,
            byline: self.byline,
            section: self.section,
            tags: tag_lines(&self.tags),
            body_markdown: self.body_markdown,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct RevisionSummaryRow {
    number: i32,
    author_id: Option<i64>,
    author_name: String,
    created_at: i64,
    headline: String,
}

impl IntoModel<RevisionSummary> for RevisionSummaryRow {
    fn model(self) -> Result<RevisionSummary, DbError> {
        Ok(RevisionSummary {
            number: self.number,
            author_id: self.author_id.map(UserId),
            author_name: self.author_name,
            created_at: Timestamp(self.created_at),
            headline: self.headline,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct NewsroomItemRow {
    id: i64,
    slug: String,
    headline: String,
    byline: String,
    section: String,
    status: String,
    revision: i32,
    author_id: Option<i64>,
    published_at: Option<i64>,
    updated_at: Option<i64>,
}

impl IntoModel<NewsroomItem> for NewsroomItemRow {
    fn model(self) -> Result<NewsroomItem, DbError> {
        Ok(NewsroomItem {
            id: ArticleId(self.id),
            status: ArticleStatus::parse(&self.status).ok_or_else(|| corrupt("article status", &self.status))?,
            slug: self.slug,
            headline: self.headline,
            byline: self.byline,
            section: self.section,
            revision: self.revision,
            author_id: self.author_id.map(UserId),
            published_at: self.published_at.map(Timestamp),
            updated_at: self.updated_at.map(Timestamp),
        })
    }
}

#[derive(Debug, FromRow)]
pub struct PresenceRow {
    user_id: i64,
    user_name: String,
    seen_at: i64,
}

impl IntoModel<Presence> for PresenceRow {
    fn model(self) -> Result<Presence, DbError> {
        Ok(Presence { user_id: UserId(self.user_id), user_name: self.user_name, seen_at: Timestamp(self.seen_at) })
    }
}

#[macro_export]
macro_rules! impl_newsroom_store {
    ($store:ty, $db:ty, reader: $reader:ident, writer: $writer:ident) => {
        const _: () = {
            use $crate::newsroom_store::{NewsroomItemRow, PresenceRow, RevisionRow, RevisionSummaryRow};
            use $crate::tribune_domain::authoring::Writer;
            use $crate::tribune_domain::{ArticleId, ArticleStatus, Slug, Timestamp, UserId};
            use $crate::tribune_store::{
                Article, ArticleSave, ClaimedArticle, DbError, NewsroomFilter, NewsroomItem, NewsroomStore, Presence, Revision,
                RevisionSummary, StatusChange, STALE_REVISION,
            };
            use $crate::{statements, ArticleRow, IntoModel, SqlResult};

            #[$crate::async_trait::async_trait]
            impl NewsroomStore for $store {
                async fn create_article_with(
                    &self,
                    article: &$crate::tribune_domain::NewArticle,
                    extras: &$crate::tribune_store::ExtrasWrite,
                ) -> Result<Article, DbError> {
                    $crate::create_article!(self.$writer, article, extras)
                }

                async fn save_article(&self, save: &ArticleSave) -> Result<Article, DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    // Bumping the revision first locks the row: a concurrent
                    // save waits here, then sees this one's revision below.
                    let bumped: Option<(i32, String, String, String, String, String)> = sqlx::query_as(
                        "UPDATE articles SET revision = revision + 1 WHERE id = $1 \
                         RETURNING revision, status, slug, headline, standfirst, body_markdown",
                    )
                    .bind(save.article.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .db()?;
                    let Some((number, status, old_slug, headline, standfirst, body)) = bumped else {
                        return Err(DbError::NotFound);
                    };
                    let newer_by_others: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM article_revisions WHERE article_id = $1 AND number > $2 \
                         AND (author_id IS NULL OR author_id <> $3)",
                    )
                    .bind(save.article.0)
                    .bind(save.base_revision)
                    .bind(save.writer.id.0)
                    .fetch_one(&mut *tx)
                    .await
                    .db()?;
                    if newer_by_others > 0 || save.base_revision >= number || save.base_revision < 1 {
                        return Err(DbError::Conflict { constraint: STALE_REVISION.to_owned() });
                    }
                    let published = status == ArticleStatus::Published.as_str();
                    let text_changed = headline != save.headline.as_str()
                        || standfirst != save.standfirst.as_str()
                        || body != save.body_markdown;
                    let tags: Vec<&str> = save.tags.iter().map(|t| t.as_str()).collect();
                    let stored = sqlx::query_as::<_, ArticleRow>(
                        "UPDATE articles SET slug = $2, headline = $3, standfirst = $4, byline = $5, section = $6, \
                         section_slug = $7, body_markdown = $8, body_html = $9, tags = $10, \
                         updated_at = CASE WHEN $11 THEN $12 ELSE updated_at END WHERE id = $1 RETURNING *",
                    )
                    .bind(save.article.0)
                    .bind(save.slug.as_str())
                    .bind(save.headline.as_str())
                    .bind(save.standfirst.as_str())
                    .bind(save.byline.as_str())
                    .bind(save.section.as_str())
                    .bind(save.section.slug().as_str())
                    .bind(&save.body_markdown)
                    .bind(&save.body_html)
                    .bind(tags.join("\n"))
                    .bind(published && text_changed)
                    .bind(save.at.0)
                    .fetch_one(&mut *tx)
                    .await
                    .db()?;
                    sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
                        .bind(save.article.0)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    for tag in &save.tags {
                        sqlx::query(statements::TAG_ARTICLE)
                            .bind(save.article.0)
                            .bind(tag.slug().as_str())
                            .execute(&mut *tx)
                            .await
                            .db()?;
                    }
                    // The new slug is the article's own again, not a redirect.
                    sqlx::query("DELETE FROM article_slug_redirects WHERE old_slug = $1")
                        .bind(save.slug.as_str())
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    if published && old_slug != save.slug.as_str() {
                        sqlx::query(
                            "INSERT INTO article_slug_redirects (old_slug, article_id) VALUES ($1, $2) \
                             ON CONFLICT (old_slug) DO UPDATE SET article_id = excluded.article_id",
                        )
                        .bind(&old_slug)
                        .bind(save.article.0)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    }
                    sqlx::query(statements::INSERT_REVISION)
                        .bind(save.article.0)
                        .bind(number)
                        .bind(save.writer.id.0)
                        .bind(&save.writer.name)
                        .bind(save.at.0)
                        .bind(save.slug.as_str())
                        .bind(save.headline.as_str())
                        .bind(save.standfirst.as_str())
                        .bind(save.byline.as_str())
                        .bind(save.section.as_str())
                        .bind(tags.join("\n"))
                        .bind(&save.body_markdown)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    $crate::write_extras!(&mut tx, save.article.0, &save.extras);
                    tx.commit().await.db()?;
                    stored.model()
                }

                async fn change_status(&self, change: &StatusChange) -> Result<Article, DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let moved = sqlx::query_as::<_, ArticleRow>(
                        "UPDATE articles SET status = $3, published_at = COALESCE($4, published_at) \
                         WHERE id = $1 AND status = $2 RETURNING *",
                    )
                    .bind(change.article.0)
                    .bind(change.from.as_str())
                    .bind(change.to.as_str())
                    .bind(change.published_at.map(|t| t.0))
                    .fetch_optional(&mut *tx)
                    .await
                    .db()?;
                    let Some(moved) = moved else {
                        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles WHERE id = $1")
                            .bind(change.article.0)
                            .fetch_one(&mut *tx)
                            .await
                            .db()?;
                        return Err(if exists == 0 {
                            DbError::NotFound
                        } else {
                            DbError::Conflict { constraint: "article_status".to_owned() }
                        });
                    };
                    tx.commit().await.db()?;
                    moved.model()
                }

                async fn newsroom_articles(&self, filter: &NewsroomFilter) -> Result<Vec<NewsroomItem>, DbError> {
                    sqlx::query_as::<_, NewsroomItemRow>(
                        "SELECT id, slug, headline, byline, section, status, revision, author_id, published_at, \
                         updated_at FROM articles WHERE (CAST($1 AS BIGINT) = 0 OR author_id = $1) \
                         AND (CAST($2 AS TEXT) = '' OR status = $2) AND (CAST($3 AS BIGINT) = 0 OR id < $3) \
                         ORDER BY id DESC LIMIT $4",
                    )
                    .bind(filter.author.map_or(0, |a| a.0))
                    .bind(filter.status.map_or("", |s| s.as_str()))
                    .bind(filter.before.map_or(0, |a| a.0))
                    .bind(i64::from(filter.limit))
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn article_revisions(&self, article: ArticleId) -> Result<Vec<RevisionSummary>, DbError> {
                    sqlx::query_as::<_, RevisionSummaryRow>(
                        "SELECT number, author_id, author_name, created_at, headline FROM article_revisions \
                         WHERE article_id = $1 ORDER BY number DESC",
                    )
                    .bind(article.0)
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn article_revision(&self, article: ArticleId, number: i32) -> Result<Revision, DbError> {
                    sqlx::query_as::<_, RevisionRow>(
                        "SELECT number, author_id, author_name, created_at, slug, headline, standfirst, byline, \
                         section, tags, body_markdown FROM article_revisions WHERE article_id = $1 AND number = $2",
                    )
                    .bind(article.0)
                    .bind(number)
                    .fetch_one(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn slug_redirect(&self, old_slug: &Slug) -> Result<Option<String>, DbError> {
                    sqlx::query_scalar(
                        "SELECT a.slug FROM article_slug_redirects r JOIN articles a ON a.id = r.article_id \
                         WHERE r.old_slug = $1",
                    )
                    .bind(old_slug.as_str())
                    .fetch_optional(&self.$reader)
                    .await
                    .db()
                }

                async fn note_editor_presence(
                    &self,
                    article: ArticleId,
                    user: &Writer,
                    at: Timestamp,
                    since: Timestamp,
                ) -> Result<Vec<Presence>, DbError> {
                    sqlx::query(
                        "INSERT INTO article_editor_presence (article_id, user_id, user_name, seen_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (article_id, user_id) \
                         DO UPDATE SET user_name = excluded.user_name, seen_at = excluded.seen_at",
                    )
                    .bind(article.0)
                    .bind(user.id.0)
                    .bind(&user.name)
                    .bind(at.0)
                    .execute(&self.$writer)
                    .await
                    .db()?;
                    sqlx::query_as::<_, PresenceRow>(
                        "SELECT user_id, user_name, seen_at FROM article_editor_presence \
                         WHERE article_id = $1 AND user_id <> $2 AND seen_at >= $3 ORDER BY seen_at DESC",
                    )
                    .bind(article.0)
                    .bind(user.id.0)
                    .bind(since.0)
                    .fetch_all(&self.$writer)
                    .await
                    .db()?
                    .model()
                }

                async fn claim_due_articles(&self, now: Timestamp) -> Result<Vec<ClaimedArticle>, DbError> {
                    // A read first: an idle poll takes no write lock (SQLite
                    // instances sharing a file would wait on each other).
                    let due: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= $1 LIMIT 1",
                    )
                    .bind(now.0)
                    .fetch_optional(&self.$reader)
                    .await
                    .db()?;
                    if due.is_none() {
                        return Ok(Vec::new());
                    }
                    let mut tx = self.$writer.begin().await.db()?;
                    // One statement claims: of two instances, the second's
                    // update finds the row no longer scheduled.
                    let claimed: Vec<(i64, String, i64)> = sqlx::query_as(
                        "UPDATE articles SET status = 'published' \
                         WHERE status = 'scheduled' AND published_at <= $1 RETURNING id, slug, published_at",
                    )
                    .bind(now.0)
                    .fetch_all(&mut *tx)
                    .await
                    .db()?;
                    for (id, _, published_at) in &claimed {
                        sqlx::query(
                            "INSERT INTO article_publications (article_id, published_at, claimed_at) \
                             VALUES ($1, $2, $3)",
                        )
                        .bind(id)
                        .bind(published_at)
                        .bind(now.0)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    }
                    tx.commit().await.db()?;
                    Ok(claimed.into_iter().map(|(id, slug, _)| ClaimedArticle { id: ArticleId(id), slug }).collect())
                }

                async fn scheduled_publications(&self, article: ArticleId) -> Result<Vec<Timestamp>, DbError> {
                    let rows: Vec<i64> = sqlx::query_scalar(
                        "SELECT claimed_at FROM article_publications WHERE article_id = $1 ORDER BY claimed_at",
                    )
                    .bind(article.0)
                    .fetch_all(&self.$writer)
                    .await
                    .db()?;
                    Ok(rows.into_iter().map(Timestamp).collect())
                }
            }
        };
    };
}
