//! Where image variants are kept: behind one trait, a directory under the
//! site's data directory or an S3-compatible bucket ([`crate::S3Store`]).

use async_trait::async_trait;
use std::path::PathBuf;

/// A stored file and its type.
#[derive(Debug, Clone)]
pub struct Blob {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// A path that is not one this crate makes (`<key>/<width>.<ext>`).
    #[error("not a media path: {0:?}")]
    BadPath(String),
    #[error("media storage failed: {0}")]
    Io(String),
}

#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores the bytes at `path`, whole or not at all.
    async fn put(&self, path: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError>;

    /// `None` when nothing is stored there.
    async fn get(&self, path: &str) -> Result<Option<Blob>, BlobError>;
}

/// Media paths are made here, but are also read from request addresses:
/// lower-case letters, digits, `-`, one `/` and one `.`, never `..`.
pub fn check_path(path: &str) -> Result<(), BlobError> {
    let bad = || BlobError::BadPath(path.to_owned());
    let (key, file) = path.split_once('/').ok_or_else(bad)?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let (name, ext) = file.split_once('.').ok_or_else(bad)?;
    if plain(key) && plain(name) && plain(ext) {
        Ok(())
    } else {
        Err(bad())
    }
}

/// The type a stored file is served with, from its extension (the only
/// extensions stored are those this crate writes).
pub fn content_type_of(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// Files in a directory, `<root>/<key>/<width>.<ext>`.
pub struct DirectoryStore {
    root: PathBuf,
}

impl DirectoryStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

fn io(error: std::io::Error) -> BlobError {
    BlobError::Io(error.to_string())
}

#[async_trait]
impl BlobStore for DirectoryStore {
    async fn put(&self, path: &str, bytes: Vec<u8>, _content_type: &str) -> Result<(), BlobError> {
        check_path(path)?;
        let target = self.root.join(path);
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io)?;
        }
        // Written aside, then renamed: a reader never sees half a file.
        let partial = target.with_extension("partial");
        tokio::fs::write(&partial, bytes).await.map_err(io)?;
        tokio::fs::rename(&partial, &target).await.map_err(io)
    }

    async fn get(&self, path: &str) -> Result<Option<Blob>, BlobError> {
        check_path(path)?;
        match tokio::fs::read(self.root.join(path)).await {
            Ok(bytes) => Ok(Some(Blob { bytes, content_type: content_type_of(path).to_owned() })),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_this_crate_makes_are_accepted() {
        assert!(check_path("0a1b-20x10/480.jpg").is_ok());
        for bad in ["../etc/passwd", "a/../b.jpg", "a/b", "/a/b.jpg", "a/b.c.d", "A/b.jpg", "a/b/c.jpg", "a\\b.jpg"] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn a_directory_keeps_what_it_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirectoryStore::new(dir.path().join("media"));
        store.put("k-1x1/1.png", vec![1, 2, 3], "image/png").await.unwrap();
        let blob = store.get("k-1x1/1.png").await.unwrap().expect("stored");
        assert_eq!((blob.bytes, blob.content_type.as_str()), (vec![1, 2, 3], "image/png"));
        assert!(store.get("k-1x1/2.png").await.unwrap().is_none());
    }
}
