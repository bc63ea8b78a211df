//! Uploaded images with their variants, and articles' featured images.

use crate::fixtures::{published_article, unique};
use std::sync::Arc;
use tribune_domain::{ArticleId, Timestamp};
use tribune_store::{DbError, ImageVariant, NewImage, Store};

pub(crate) fn new_image(key: &str) -> NewImage {
    let variant = |width: u32, height: u32| ImageVariant {
        width,
        height,
        path: format!("{key}/{width}.jpg"),
        content_type: "image/jpeg".to_owned(),
        bytes: u64::from(width) * 10,
    };
    NewImage {
        key: key.to_owned(),
        content_type: "image/png".to_owned(),
        byte_size: 123_456,
        width: 2000,
        height: 1000,
        alt: "A <b>harbour</b> at dawn".to_owned(),
        caption: "Boats, “moored”".to_owned(),
        credit: "Photo: Ann O'Hara".to_owned(),
        variants: vec![variant(480, 240), variant(960, 480), variant(1600, 800)],
        uploaded_by: None,
        created_at: Timestamp(5_000),
    }
}

pub async fn an_image_is_stored_with_its_variants_and_its_key_is_unique(store: Arc<dyn Store>) {
    let s = &*store;
    let key = format!("{:016x}-2000x1000", unique());
    let new = new_image(&key);
    let stored = s.create_image(&new).await.unwrap();
    assert_eq!(
        (stored.key.as_str(), stored.width, stored.height, stored.byte_size),
        (key.as_str(), 2000, 1000, 123_456)
    );
    assert_eq!((stored.alt.as_str(), stored.caption.as_str()), (new.alt.as_str(), new.caption.as_str()));
    assert_eq!(stored.credit, new.credit);
    assert_eq!(stored.variants, new.variants);
    assert_eq!(s.image(stored.id).await.unwrap().variants, new.variants);
    assert_eq!(s.image_by_key(&key).await.unwrap().id, stored.id);
    assert!(matches!(s.image_by_key("no-such-key").await, Err(DbError::NotFound)));
    assert!(matches!(s.image(i64::MAX).await, Err(DbError::NotFound)));

    let taken = s.create_image(&new).await;
    assert!(
        matches!(&taken, Err(DbError::Conflict { constraint }) if constraint == "media_images_key"),
        "a key is unique: {taken:?}"
    );

    let newer = s.create_image(&new_image(&format!("{:016x}-2000x1000", unique()))).await.unwrap();
    // Other stories may add images meanwhile: look only below and at ours.
    let recent = s.recent_images(Some(newer.id + 1), 1).await.unwrap();
    assert_eq!(recent[0].id, newer.id, "newest first");
    let older = s.recent_images(Some(newer.id), 1000).await.unwrap();
    assert!(older.iter().any(|i| i.id == stored.id), "paged by id");
    assert!(older.windows(2).all(|w| w[0].id > w[1].id) && older.iter().all(|i| i.id < newer.id));
}

pub async fn a_featured_image_is_set_replaced_and_cleared(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "featured").await;
    assert!(s.featured_image(article.id).await.unwrap().is_none());
    let first = s.create_image(&new_image(&format!("{:016x}-2000x1000", unique()))).await.unwrap();
    let second = s.create_image(&new_image(&format!("{:016x}-2000x1000", unique()))).await.unwrap();

    s.set_featured_image(article.id, first.id, "Alt one", "Caption one", "Credit one").await.unwrap();
    s.set_featured_image(article.id, second.id, "Alt two", "Caption two", "Credit two").await.unwrap();
    let featured = s.featured_image(article.id).await.unwrap().expect("a featured image");
    assert_eq!(featured.image.id, second.id, "the second replaces the first");
    assert_eq!(
        (featured.alt.as_str(), featured.caption.as_str(), featured.credit.as_str()),
        ("Alt two", "Caption two", "Credit two")
    );
    assert_eq!(featured.image.variants.len(), 3);

    let unknown_image = s.set_featured_image(article.id, i64::MAX, "a", "", "").await;
    assert!(matches!(unknown_image, Err(DbError::NotFound)), "{unknown_image:?}");
    let unknown_article = s.set_featured_image(ArticleId(i64::MAX), first.id, "a", "", "").await;
    assert!(matches!(unknown_article, Err(DbError::NotFound)), "{unknown_article:?}");
    assert_eq!(
        s.featured_image(article.id).await.unwrap().unwrap().image.id,
        second.id,
        "a refused change changes nothing"
    );

    s.clear_featured_image(article.id).await.unwrap();
    s.clear_featured_image(article.id).await.unwrap();
    assert!(s.featured_image(article.id).await.unwrap().is_none());
}
