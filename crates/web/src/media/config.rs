//! Where uploaded images are kept and how large they may be.

use crate::secret::Secret;
use std::path::PathBuf;
use tribune_media::ImageLimits;

#[derive(Debug, Clone, PartialEq)]
pub enum MediaStorage {
    /// Files under a directory (by default `media/` in the data directory).
    Directory(PathBuf),
    /// An S3-compatible bucket: `s3://BUCKET?endpoint=URL&region=REGION`.
    S3 { url: String, access_key_id: String, secret_access_key: Secret<String> },
}

impl Default for MediaStorage {
    fn default() -> Self {
        Self::Directory(PathBuf::from("tribune-data/media"))
    }
}

#[derive(Debug, Clone, Default)]
pub struct MediaConfig {
    pub storage: MediaStorage,
    pub limits: ImageLimits,
}

impl MediaConfig {
    /// The blob store these settings name; a wrong bucket address stops the start with the reason.
    pub fn blob_store(&self) -> Result<std::sync::Arc<dyn tribune_media::BlobStore>, String> {
        Ok(match &self.storage {
            MediaStorage::Directory(path) => std::sync::Arc::new(tribune_media::DirectoryStore::new(path.clone())),
            MediaStorage::S3 { url, access_key_id, secret_access_key } => {
                let config =
                    tribune_media::S3Config::from_url(url, access_key_id.clone(), secret_access_key.expose().clone())?;
                std::sync::Arc::new(tribune_media::S3Store::new(&config)?)
            }
        })
    }
}
