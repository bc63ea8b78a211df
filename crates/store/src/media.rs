//! Uploaded images: the original's facts, its resized variants, and the
//! featured image an article shows at its top.

use crate::DbError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tribune_domain::{ArticleId, Timestamp, UserId};

/// One resized copy of an image, as served under `/media/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageVariant {
    pub width: u32,
    pub height: u32,
    /// The blob's key in the media store (`<image key>/<width>.<ext>`).
    pub path: String,
    pub content_type: String,
    pub bytes: u64,
}

#[derive(Debug, Clone)]
pub struct NewImage {
    /// Unique, unguessable, and names the original's size (`<hex>-<w>x<h>`).
    pub key: String,
    /// The original's type, as sniffed from its bytes.
    pub content_type: String,
    pub byte_size: u64,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// Smallest first.
    pub variants: Vec<ImageVariant>,
    pub uploaded_by: Option<UserId>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredImage {
    pub id: i64,
    pub key: String,
    pub content_type: String,
    pub byte_size: u64,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub variants: Vec<ImageVariant>,
    pub uploaded_by: Option<UserId>,
    pub created_at: Timestamp,
}

/// What an article shows at its top: an image, with words of its own for
/// this article (the same photo may need other alt text elsewhere).
#[derive(Debug, Clone)]
pub struct FeaturedImage {
    pub image: StoredImage,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

#[async_trait]
pub trait MediaStore: Send + Sync {
    /// A taken key is `Conflict { constraint: "media_images_key" }`.
    async fn create_image(&self, image: &NewImage) -> Result<StoredImage, DbError>;

    async fn image(&self, id: i64) -> Result<StoredImage, DbError>;

    async fn image_by_key(&self, key: &str) -> Result<StoredImage, DbError>;

    /// Newest first, ids below `before`, at most `limit`.
    async fn recent_images(&self, before: Option<i64>, limit: u32) -> Result<Vec<StoredImage>, DbError>;

    /// Sets (or replaces) an article's featured image; an unknown article
    /// or image is `NotFound`.
    async fn set_featured_image(
        &self,
        article: ArticleId,
        image: i64,
        alt: &str,
        caption: &str,
        credit: &str,
    ) -> Result<(), DbError>;

    /// Removes it; no featured image is not an error.
    async fn clear_featured_image(&self, article: ArticleId) -> Result<(), DbError>;

    async fn featured_image(&self, article: ArticleId) -> Result<Option<FeaturedImage>, DbError>;
}
