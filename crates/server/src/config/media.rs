//! `[media]` in `tribune.toml`: where uploaded images are kept (a directory,
//! by default `media/` in the data directory, or an S3-compatible bucket)
//! and how large an upload may be.

use anyhow::{bail, Context};
use serde::Deserialize;
use std::path::Path;
use tribune_web::media::{MediaConfig, MediaStorage};
use tribune_web::secret::Secret;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MediaSection {
    /// A directory, or `s3://BUCKET?endpoint=URL&region=REGION`.
    store: Option<String>,
    /// The bucket's keys (only with an `s3://` store).
    access_key_id: Option<String>,
    secret_access_key: Option<Secret<String>>,
    /// Largest upload, in bytes.
    max_upload_bytes: Option<usize>,
    /// Most pixels (width × height) an uploaded image may have.
    max_pixels: Option<u64>,
}

impl MediaSection {
    pub(super) fn check(self, data_dir: &Path) -> anyhow::Result<MediaConfig> {
        let mut config = MediaConfig { storage: MediaStorage::Directory(data_dir.join("media")), ..Default::default() };
        if let Some(max) = self.max_upload_bytes {
            if !(1024..=100 * 1024 * 1024).contains(&max) {
                bail!("media.max_upload_bytes must be between 1024 and 104857600");
            }
            config.limits.max_bytes = max;
        }
        if let Some(max) = self.max_pixels {
            if !(1..=200_000_000).contains(&max) {
                bail!("media.max_pixels must be between 1 and 200000000");
            }
            config.limits.max_pixels = max;
        }
        match self.store {
            Some(url) if url.starts_with("s3://") => {
                let (Some(access_key_id), Some(secret_access_key)) = (self.access_key_id, self.secret_access_key)
                else {
                    bail!("media.store is an S3 bucket: set media.access_key_id and media.secret_access_key too");
                };
                // Read now, so that a wrong address stops the start with the reason.
                tribune_media::S3Config::from_url(&url, access_key_id.clone(), secret_access_key.expose().clone())
                    .map_err(anyhow::Error::msg)
                    .context("media.store")?;
                config.storage = MediaStorage::S3 { url, access_key_id, secret_access_key };
            }
            Some(_) if self.access_key_id.is_some() || self.secret_access_key.is_some() => {
                bail!("media.access_key_id and media.secret_access_key are only for an s3:// store")
            }
            Some(directory) if directory.contains("://") => {
                bail!("media.store must be a directory or an s3:// URL, not {directory:?}")
            }
            Some(directory) => config.storage = MediaStorage::Directory(directory.into()),
            None => {}
        }
        Ok(config)
    }
}
