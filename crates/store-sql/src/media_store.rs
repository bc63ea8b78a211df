//! `MediaStore` for both backends, written once in portable SQL like
//! [`impl_perspective_store!`](crate::impl_perspective_store): uploaded
//! images and articles' featured images.

use crate::rows::{corrupt, IntoModel};
use sqlx::FromRow;
use tribune_domain::{Timestamp, UserId};
use tribune_store::{DbError, FeaturedImage, ImageVariant, StoredImage};

#[derive(Debug, FromRow)]
pub struct ImageRow {
    id: i64,
    key: String,
    content_type: String,
    byte_size: i64,
    width: i64,
    height: i64,
    alt: String,
    caption: String,
    credit: String,
    variants: String,
    uploaded_by: Option<i64>,
    created_at: i64,
}

impl IntoModel<StoredImage> for ImageRow {
    fn model(self) -> Result<StoredImage, DbError> {
        let variants: Vec<ImageVariant> =
            serde_json::from_str(&self.variants).map_err(|_| corrupt("image variants", &self.variants))?;
        let size = |value: i64, what: &str| u32::try_from(value).map_err(|_| corrupt(what, &value.to_string()));
        Ok(StoredImage {
            id: self.id,
            width: size(self.width, "image width")?,
            height: size(self.height, "image height")?,
            byte_size: u64::try_from(self.byte_size).map_err(|_| corrupt("image size", &self.byte_size.to_string()))?,
            key: self.key,
            content_type: self.content_type,
            alt: self.alt,
            caption: self.caption,
            credit: self.credit,
            variants,
            uploaded_by: self.uploaded_by.map(UserId),
            created_at: Timestamp(self.created_at),
        })
    }
}

#[derive(Debug, FromRow)]
pub struct FeaturedRow {
    #[sqlx(flatten)]
    image: ImageRow,
    featured_alt: String,
    featured_caption: String,
    featured_credit: String,
}

impl IntoModel<FeaturedImage> for FeaturedRow {
    fn model(self) -> Result<FeaturedImage, DbError> {
        Ok(FeaturedImage {
            image: self.image.model()?,
            alt: self.featured_alt,
            caption: self.featured_caption,
            credit: self.featured_credit,
        })
    }
}

pub fn variants_json(variants: &[ImageVariant]) -> String {
    serde_json::to_string(variants).unwrap_or_else(|_| "[]".to_owned())
}

pub const IMAGE_COLUMNS: &str =
    "i.id, i.key, i.content_type, i.byte_size, i.width, i.height, i.alt, i.caption, i.credit, i.variants, \
     i.uploaded_by, i.created_at";

#[macro_export]
macro_rules! impl_media_store {
    ($store:ty, $db:ty, reader: $reader:ident, writer: $writer:ident) => {
        const _: () = {
            use $crate::media_store::{variants_json, FeaturedRow, ImageRow, IMAGE_COLUMNS};
            use $crate::tribune_domain::ArticleId;
            use $crate::tribune_store::{DbError, FeaturedImage, MediaStore, NewImage, StoredImage};
            use $crate::{IntoModel, SqlResult};

            #[$crate::async_trait::async_trait]
            impl MediaStore for $store {
                async fn create_image(&self, image: &NewImage) -> Result<StoredImage, DbError> {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO media_images (key, content_type, byte_size, width, height, alt, caption, \
                         credit, variants, uploaded_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    )
                    .bind(&image.key)
                    .bind(&image.content_type)
                    .bind(i64::try_from(image.byte_size).unwrap_or(i64::MAX))
                    .bind(i64::from(image.width))
                    .bind(i64::from(image.height))
                    .bind(&image.alt)
                    .bind(&image.caption)
                    .bind(&image.credit)
                    .bind(variants_json(&image.variants))
                    .bind(image.uploaded_by.map(|id| id.0))
                    .bind(image.created_at.0)
                    .fetch_one(&self.$writer)
                    .await
                    .db()?;
                    sqlx::query_as::<_, ImageRow>(&format!(
                        "SELECT {IMAGE_COLUMNS} FROM media_images i WHERE i.id = $1"
                    ))
                    .bind(id)
                    .fetch_one(&self.$writer)
                    .await
                    .db()?
                    .model()
                }

                async fn image(&self, id: i64) -> Result<StoredImage, DbError> {
                    sqlx::query_as::<_, ImageRow>(&format!(
                        "SELECT {IMAGE_COLUMNS} FROM media_images i WHERE i.id = $1"
                    ))
                    .bind(id)
                    .fetch_one(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn image_by_key(&self, key: &str) -> Result<StoredImage, DbError> {
                    sqlx::query_as::<_, ImageRow>(&format!(
                        "SELECT {IMAGE_COLUMNS} FROM media_images i WHERE i.key = $1"
                    ))
                    .bind(key)
                    .fetch_one(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn recent_images(&self, before: Option<i64>, limit: u32) -> Result<Vec<StoredImage>, DbError> {
                    sqlx::query_as::<_, ImageRow>(&format!(
                        "SELECT {IMAGE_COLUMNS} FROM media_images i WHERE i.id < $1 ORDER BY i.id DESC LIMIT $2"
                    ))
                    .bind(before.unwrap_or(i64::MAX))
                    .bind(i64::from(limit))
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }

                async fn set_featured_image(
                    &self,
                    article: ArticleId,
                    image: i64,
                    alt: &str,
                    caption: &str,
                    credit: &str,
                ) -> Result<(), DbError> {
                    let featured = $crate::tribune_store::FeaturedWrite {
                        image,
                        alt: alt.to_owned(),
                        caption: caption.to_owned(),
                        credit: credit.to_owned(),
                    };
                    let extras = $crate::tribune_store::ExtrasWrite { bylines: None, featured: Some(Some(featured)) };
                    let mut tx = self.$writer.begin().await.db()?;
                    $crate::write_extras!(&mut tx, article.0, &extras);
                    tx.commit().await.db()
                }

                async fn clear_featured_image(&self, article: ArticleId) -> Result<(), DbError> {
                    let extras = $crate::tribune_store::ExtrasWrite { bylines: None, featured: Some(None) };
                    let mut tx = self.$writer.begin().await.db()?;
                    $crate::write_extras!(&mut tx, article.0, &extras);
                    tx.commit().await.db()
                }

                async fn featured_image(&self, article: ArticleId) -> Result<Option<FeaturedImage>, DbError> {
                    let row = sqlx::query_as::<_, FeaturedRow>(&format!(
                        "SELECT {IMAGE_COLUMNS}, f.alt AS featured_alt, f.caption AS featured_caption, \
                         f.credit AS featured_credit \
                         FROM article_featured_images f JOIN media_images i ON i.id = f.image_id \
                         WHERE f.article_id = $1"
                    ))
                    .bind(article.0)
                    .fetch_optional(&self.$reader)
                    .await
                    .db()?;
                    row.map(IntoModel::model).transpose()
                }
            }
        };
    };
}
