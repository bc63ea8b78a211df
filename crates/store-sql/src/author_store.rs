//! `AuthorStore` for both backends, written once like
//! [`impl_corrections_store!`](crate::impl_corrections_store): author profiles and
//! the ordered bylines that tie articles to them.

use crate::rows::IntoModel;
use sqlx::FromRow;
use tribune_domain::{Timestamp, UserId};
use tribune_store::{AuthorProfile, DbError};

#[derive(Debug, FromRow)]
pub struct AuthorRow {
    id: i64,
    slug: String,
    name: String,
    bio: String,
    photo_url: String,
    user_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl IntoModel<AuthorProfile> for AuthorRow {
    fn model(self) -> Result<AuthorProfile, DbError> {
        Ok(AuthorProfile {
            id: self.id,
            slug: self.slug,
            name: self.name,
            bio: self.bio,
            photo_url: self.photo_url,
            user_id: self.user_id.map(UserId),
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

/// The columns of an `AuthorRow`, from `author_profiles p`.
pub const AUTHOR_COLUMNS: &str = "p.id, p.slug, p.name, p.bio, p.photo_url, p.user_id, p.created_at, p.updated_at";
/// The same, as `RETURNING` names them.
pub const RETURNED_COLUMNS: &str = "id, slug, name, bio, photo_url, user_id, created_at, updated_at";

#[macro_export]
macro_rules! impl_author_store {
    ($store:ty, $db:ty, reader: $reader:ident, writer: $writer:ident) => {
        const _: () = {
            use $crate::author_store::{AUTHOR_COLUMNS, RETURNED_COLUMNS};
            use $crate::tribune_domain::{ArticleId, Timestamp, UserId};
            use $crate::tribune_store::{ArticleSummary, AuthorProfile, AuthorProfileWrite, AuthorStore, DbError};
            use $crate::{AuthorRow, IntoModel, SqlResult};

            #[$crate::async_trait::async_trait]
            impl AuthorStore for $store {
                async fn create_author(&self, author: &AuthorProfileWrite) -> Result<AuthorProfile, DbError> {
                    sqlx::query_as::<_, AuthorRow>(&format!(
                        "INSERT INTO author_profiles (slug, name, bio, photo_url, user_id, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {RETURNED_COLUMNS}"
                    ))
                    .bind(&author.slug)
                    .bind(&author.name)
                    .bind(&author.bio)
                    .bind(&author.photo_url)
                    .bind(author.user_id.map(|id| id.0))
                    .bind(author.at.0)
                    .fetch_one(&self.$writer)
                    .await
                    .db()?
                    .model()
                }

                async fn update_author(&self, id: i64, author: &AuthorProfileWrite) -> Result<AuthorProfile, DbError> {
                    sqlx::query_as::<_, AuthorRow>(&format!(
                        "UPDATE author_profiles SET slug = $1, name = $2, bio = $3, photo_url = $4, user_id = $5, \
                         updated_at = $6 WHERE id = $7 RETURNING {RETURNED_COLUMNS}"
                    ))
                    .bind(&author.slug)
                    .bind(&author.name)
                    .bind(&author.bio)
                    .bind(&author.photo_url)
                    .bind(author.user_id.map(|id| id.0))
                    .bind(author.at.0)
                    .bind(id)
                    .fetch_one(&self.$writer)
                    .await
                    .db()?
                    .model()
                }

                async fn author_by_slug(&self, slug: &str) -> Result<AuthorProfile, DbError> {
                    sqlx::query_as::<_, AuthorRow>(&format!(
                        "SELECT {AUTHOR_COLUMNS} FROM author_profiles p WHERE p.slug = $1"
                    ))
                    .bind(slug)
                    .fetch_one(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn author_of_user(&self, user: UserId) -> Result<Option<AuthorProfile>, DbError> {
                    let row = sqlx::query_as::<_, AuthorRow>(&format!(
                        "SELECT {AUTHOR_COLUMNS} FROM author_profiles p WHERE p.user_id = $1"
                    ))
                    .bind(user.0)
                    .fetch_optional(&self.$reader)
                    .await
                    .db()?;
                    row.map(IntoModel::model).transpose()
                }

                async fn authors(&self) -> Result<Vec<AuthorProfile>, DbError> {
                    sqlx::query_as::<_, AuthorRow>(&format!(
                        "SELECT {AUTHOR_COLUMNS} FROM author_profiles p ORDER BY p.name, p.id"
                    ))
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn set_bylines(&self, article: ArticleId, authors: &[i64]) -> Result<(), DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE id = $1")
                        .bind(article.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .db()?;
                    found.ok_or(DbError::NotFound)?;
                    let extras = $crate::tribune_store::ExtrasWrite { bylines: Some(authors.to_vec()), featured: None };
                    $crate::write_extras!(&mut tx, article.0, &extras);
                    tx.commit().await.db()
                }

                async fn bylines_of(&self, article: ArticleId) -> Result<Vec<AuthorProfile>, DbError> {
                    sqlx::query_as::<_, AuthorRow>(&format!(
                        "SELECT {AUTHOR_COLUMNS} FROM article_bylines b JOIN author_profiles p ON p.id = b.author_id \
                         WHERE b.article_id = $1 ORDER BY b.position"
                    ))
                    .bind(article.0)
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn articles_by_author(
                    &self,
                    author: i64,
                    now: Timestamp,
                    limit: u32,
                    offset: u32,
                ) -> Result<Vec<ArticleSummary>, DbError> {
                    sqlx::query_as::<_, $crate::ArticleSummaryRow>(
                        "SELECT a.id, a.slug, a.headline, a.standfirst, a.byline, a.section, a.section_slug, a.tags, \
                         a.published_at, a.updated_at, \
                         (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'published') \
                         AS comment_count \
                         FROM article_bylines b JOIN articles a ON a.id = b.article_id \
                         WHERE b.author_id = $1 AND a.status = 'published' AND a.published_at IS NOT NULL AND a.published_at <= $2 \
                         ORDER BY a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4",
                    )
                    .bind(author)
                    .bind(now.0)
                    .bind(i64::from(limit))
                    .bind(i64::from(offset))
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }
            }
        };
    };
}
