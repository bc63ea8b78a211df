//! Image uploads without HTTP: what a file really is (sniffed from its
//! bytes), whether it is small enough (checked from its header before any
//! pixel is decoded), and its re-encoded, resized variants; and the blob
//! stores that keep those variants.

pub mod blobs;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod process;
mod s3;
#[cfg(test)]
mod tests;

pub use blobs::{Blob, BlobError, BlobStore, DirectoryStore};
pub use process::{process, ImageLimits, ProcessedImage, Refusal, SniffedType, Variant};
pub use s3::{S3Config, S3Store};
