//! Uploading an image and choosing an article's featured image, without
//! HTTP: the page, the JSON API (and a future command) share these.

use rand::RngCore;
use std::sync::Arc;
use tribune_domain::media::{image_key, ImageText};
use tribune_domain::{ArticleId, Timestamp, UserId, ValidationErrors};
use tribune_media::{BlobError, BlobStore, ImageLimits, Refusal};
use tribune_store::{DbError, ImageVariant, NewImage, Store, StoredImage};

/// An upload as received: the bytes (whatever they claim to be) and the words.
pub struct Upload {
    pub bytes: Vec<u8>,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub uploaded_by: Option<UserId>,
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("invalid input: {0}")]
    Invalid(#[from] ValidationErrors),
    #[error(transparent)]
    Storage(#[from] BlobError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Images decoded at once per instance: each may take hundreds of
/// megabytes at the pixel limit, so uploads beyond this wait their turn.
const CONCURRENT_DECODES: usize = 2;

/// The media services an instance runs with.
pub struct Media {
    pub blobs: Arc<dyn BlobStore>,
    pub limits: ImageLimits,
    decoding: tokio::sync::Semaphore,
}

impl Media {
    pub fn new(blobs: Arc<dyn BlobStore>, limits: ImageLimits) -> Self {
        Self { blobs, limits, decoding: tokio::sync::Semaphore::new(CONCURRENT_DECODES) }
    }

    /// Checks the words, then the file; stores the variants, then the row,
    /// so that a row never names files that are not there.
    pub async fn upload(&self, store: &dyn Store, upload: Upload) -> Result<StoredImage, UploadError> {
        let text = ImageText::parse(&upload.alt, &upload.caption, &upload.credit)?;
        let limits = self.limits;
        let bytes = upload.bytes;
        let stopped = |e: &dyn std::fmt::Display| BlobError::Io(format!("image processing stopped: {e}"));
        let turn = self.decoding.acquire().await.map_err(|e| stopped(&e))?;
        // Decoding and resizing take CPU for a while: off the async workers.
        let processed = tokio::task::spawn_blocking(move || tribune_media::process(&bytes, &limits))
            .await
            .map_err(|e| stopped(&e))??;
        drop(turn);
        let mut random = [0u8; 16];
        rand::rng().fill_bytes(&mut random);
        let key = image_key(&hex::encode(random), processed.width, processed.height);
        let mut variants = Vec::with_capacity(processed.variants.len());
        for variant in processed.variants {
            let path = format!("{key}/{}.{}", variant.width, variant.ext);
            let size = variant.bytes.len() as u64;
            self.blobs.put(&path, variant.bytes, variant.content_type).await?;
            variants.push(ImageVariant {
                width: variant.width,
                height: variant.height,
                path,
                content_type: variant.content_type.to_owned(),
                bytes: size,
            });
        }
        let new = NewImage {
            key,
            content_type: processed.original_type.mime().to_owned(),
            byte_size: processed.byte_size as u64,
            width: processed.width,
            height: processed.height,
            alt: text.alt,
            caption: text.caption,
            credit: text.credit,
            variants,
            uploaded_by: upload.uploaded_by,
            created_at: Timestamp::now(),
        };
        Ok(store.create_image(&new).await?)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FeatureError {
    #[error("invalid input: {0}")]
    Invalid(#[from] ValidationErrors),
    /// No image has that key.
    #[error("no such image")]
    UnknownImage,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Sets an article's featured image, named by its key; the alt text,
/// caption and credit default to the image's own.
pub async fn set_featured_image(
    store: &dyn Store,
    article: ArticleId,
    image_key: &str,
    alt: Option<&str>,
    caption: Option<&str>,
    credit: Option<&str>,
) -> Result<StoredImage, FeatureError> {
    let image = match store.image_by_key(image_key).await {
        Ok(image) => image,
        Err(DbError::NotFound) => return Err(FeatureError::UnknownImage),
        Err(other) => return Err(other.into()),
    };
    let text = ImageText::parse(
        alt.unwrap_or(&image.alt),
        caption.unwrap_or(&image.caption),
        credit.unwrap_or(&image.credit),
    )?;
    store.set_featured_image(article, image.id, &text.alt, &text.caption, &text.credit).await?;
    Ok(image)
}
