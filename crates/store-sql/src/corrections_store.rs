//! `CorrectionStore` for both backends, written once like
//! [`impl_perspective_store!`](crate::impl_perspective_store), in portable SQL.

use crate::rows::IntoModel;
use sqlx::FromRow;
use tribune_domain::{ArticleId, Timestamp};
use tribune_store::{Correction, DbError, ListedCorrection};

#[derive(Debug, FromRow)]
pub struct CorrectionRow {
    id: i64,
    article_id: i64,
    note: String,
    created_at: i64,
}

impl IntoModel<Correction> for CorrectionRow {
    fn model(self) -> Result<Correction, DbError> {
        Ok(Correction {
            id: self.id,
            article_id: ArticleId(self.article_id),
            note: self.note,
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(Debug, FromRow)]
pub struct ListedCorrectionRow {
    #[sqlx(flatten)]
    correction: CorrectionRow,
    article_slug: String,
    article_headline: String,
}

impl IntoModel<ListedCorrection> for ListedCorrectionRow {
    fn model(self) -> Result<ListedCorrection, DbError> {
        Ok(ListedCorrection {
            correction: self.correction.model()?,
            article_slug: self.article_slug,
            article_headline: self.article_headline,
        })
    }
}

#[macro_export]
macro_rules! impl_corrections_store {
    ($store:ty, $db:ty, reader: $reader:ident, writer: $writer:ident) => {
        const _: () = {
            use $crate::tribune_domain::ArticleId;
            use $crate::tribune_store::{
                Correction, CorrectionPage, CorrectionStore, DbError, ListedCorrection, NewCorrection,
            };
            use $crate::{IntoModel, SqlResult};

            const COLUMNS: &str = "c.id, c.article_id, c.note, c.created_at";

            #[$crate::async_trait::async_trait]
            impl CorrectionStore for $store {
                async fn add_correction(&self, correction: &NewCorrection) -> Result<Correction, DbError> {
                    sqlx::query_as::<_, $crate::CorrectionRow>(
                        "INSERT INTO corrections (article_id, note, created_at, created_by) \
                         VALUES ($1, $2, $3, $4) RETURNING id, article_id, note, created_at",
                    )
                    .bind(correction.article_id.0)
                    .bind(&correction.note)
                    .bind(correction.created_at.0)
                    .bind(correction.created_by.map(|id| id.0))
                    .fetch_one(&self.$writer)
                    .await
                    .db()?
                    .model()
                }

                async fn corrections_of(&self, article: ArticleId) -> Result<Vec<Correction>, DbError> {
                    sqlx::query_as::<_, $crate::CorrectionRow>(&format!(
                        "SELECT {COLUMNS} FROM corrections c WHERE c.article_id = $1 ORDER BY c.id"
                    ))
                    .bind(article.0)
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn list_corrections(&self, page: &CorrectionPage) -> Result<Vec<ListedCorrection>, DbError> {
                    sqlx::query_as::<_, $crate::ListedCorrectionRow>(&format!(
                        "SELECT {COLUMNS}, a.slug AS article_slug, a.headline AS article_headline \
                         FROM corrections c JOIN articles a ON a.id = c.article_id \
                         WHERE a.status = 'published' AND a.published_at IS NOT NULL AND a.published_at <= $1 AND c.created_at <= $1 \
                           AND c.id < $2 \
                         ORDER BY c.id DESC LIMIT $3"
                    ))
                    .bind(page.now.0)
                    .bind(page.before.unwrap_or(i64::MAX))
                    .bind(i64::from(page.limit))
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }
            }
        };
    };
}
