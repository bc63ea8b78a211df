//! The upload use case without HTTP: on SQLite and a directory store, a
//! good image leaves its variants and one row; a refused one leaves nothing.

use std::sync::Arc;
use tribune_app::media::{Media, Upload, UploadError};
use tribune_media::{fixtures, BlobStore, DirectoryStore, ImageLimits, Refusal};
use tribune_store::Store;
use tribune_store_sqlite::SqliteStore;

async fn setup(dir: &tempfile::TempDir) -> (Arc<dyn Store>, Media, Arc<DirectoryStore>) {
    let store = SqliteStore::open(&dir.path().join("tribune.db")).await.expect("open SQLite");
    store.migrate().await.expect("migrate");
    let blobs = Arc::new(DirectoryStore::new(dir.path().join("media")));
    (Arc::new(store), Media::new(blobs.clone(), ImageLimits::default()), blobs)
}

fn upload(bytes: Vec<u8>, alt: &str) -> Upload {
    Upload { bytes, alt: alt.to_owned(), caption: String::new(), credit: String::new(), uploaded_by: None }
}

#[tokio::test]
async fn an_upload_stores_its_variants_then_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let (store, media, blobs) = setup(&dir).await;
    let image = media.upload(store.as_ref(), upload(fixtures::webp(1000, 400), " A chart ")).await.unwrap();
    assert_eq!((image.width, image.height, image.content_type.as_str()), (1000, 400, "image/webp"));
    assert_eq!(image.alt, "A chart", "the words are trimmed");
    assert!(image.key.ends_with("-1000x400") && image.key.len() == 32 + "-1000x400".len(), "{}", image.key);
    let widths: Vec<u32> = image.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, vec![480, 960, 1000]);
    for variant in &image.variants {
        let blob = blobs.get(&variant.path).await.unwrap().expect("the variant's file");
        assert_eq!(blob.bytes.len() as u64, variant.bytes);
    }
    assert_eq!(store.image_by_key(&image.key).await.unwrap().id, image.id);
}

#[tokio::test]
async fn a_refused_upload_leaves_no_file_and_no_row() {
    let dir = tempfile::tempdir().unwrap();
    let (store, media, _) = setup(&dir).await;
    let bomb = media.upload(store.as_ref(), upload(fixtures::png_bomb(50_000, 50_000), "Alt")).await;
    assert!(matches!(bomb, Err(UploadError::Refused(Refusal::TooManyPixels { .. }))), "{bomb:?}");
    let no_alt = media.upload(store.as_ref(), upload(fixtures::png(10, 10), "")).await;
    assert!(matches!(&no_alt, Err(UploadError::Invalid(errors)) if errors.0[0].field == "alt"), "{no_alt:?}");
    assert!(store.recent_images(None, 10).await.unwrap().is_empty());
    assert!(!dir.path().join("media").exists(), "no file was written");
}
