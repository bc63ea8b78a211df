use crate::fixtures::*;
use crate::{process, ImageLimits, Refusal, SniffedType};

fn limits() -> ImageLimits {
    ImageLimits::default()
}

#[test]
fn each_accepted_type_is_known_by_its_bytes() {
    assert_eq!(SniffedType::sniff(&jpeg(4, 4)), Some(SniffedType::Jpeg));
    assert_eq!(SniffedType::sniff(&png(4, 4)), Some(SniffedType::Png));
    assert_eq!(SniffedType::sniff(&gif(4, 4)), Some(SniffedType::Gif));
    assert_eq!(SniffedType::sniff(&webp(4, 4)), Some(SniffedType::Webp));
    assert_eq!(SniffedType::sniff(SCRIPT), None);
    assert_eq!(SniffedType::sniff(SVG), None);
}

#[test]
fn every_accepted_type_is_converted_to_resized_variants() {
    for (bytes, kind) in [
        (jpeg(2000, 1000), "image/jpeg"),
        (png(2000, 1000), "image/png"),
        (gif(700, 350), "image/gif"),
        (webp(700, 350), "image/webp"),
    ] {
        let image = process(&bytes, &limits()).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(image.original_type.mime(), kind);
        let sizes: Vec<(u32, u32)> = image.variants.iter().map(|v| (v.width, v.height)).collect();
        if image.width == 2000 {
            assert_eq!(sizes, vec![(480, 240), (960, 480), (1600, 800)], "{kind}");
        } else {
            assert_eq!(sizes, vec![(480, 240), (700, 350)], "{kind}: never wider than the original");
        }
        for variant in &image.variants {
            let decoded = image::load_from_memory(&variant.bytes).expect("a variant decodes");
            assert_eq!((decoded.width(), decoded.height()), (variant.width, variant.height));
        }
    }
}

#[test]
fn transparency_is_kept_as_png_and_opaque_images_become_jpeg() {
    let transparent = process(&transparent_png(100, 50), &limits()).unwrap();
    assert!(transparent.variants.iter().all(|v| v.content_type == "image/png" && v.ext == "png"));
    for opaque in [png(100, 50), gif(100, 50), webp(100, 50)] {
        let image = process(&opaque, &limits()).unwrap();
        let kind = image.original_type;
        assert!(image.variants.iter().all(|v| v.content_type == "image/jpeg" && v.ext == "jpg"), "{kind:?}");
    }
}

#[test]
fn exif_and_anything_after_the_image_are_gone_from_every_variant() {
    let upload = jpeg_with_exif_and_payload(1200, 800);
    assert!(has_exif_segment(&upload), "the fixture carries EXIF");
    let image = process(&upload, &limits()).unwrap();
    for variant in &image.variants {
        assert!(!has_exif_segment(&variant.bytes), "variant {} still has EXIF", variant.width);
        let text = String::from_utf8_lossy(&variant.bytes);
        assert!(!text.contains("GPSLatitude") && !text.contains("<script"), "variant {}", variant.width);
    }
}

#[test]
fn disguised_and_unsupported_files_are_refused() {
    assert_eq!(process(SCRIPT, &limits()).unwrap_err(), Refusal::UnsupportedType);
    assert_eq!(process(SVG, &limits()).unwrap_err(), Refusal::UnsupportedType);
    assert_eq!(process(POLYGLOT, &limits()).unwrap_err(), Refusal::Unreadable);
    assert_eq!(process(&[], &limits()).unwrap_err(), Refusal::Empty);
    let mut cut = jpeg(64, 64);
    cut.truncate(cut.len() / 2);
    assert_eq!(process(&cut, &limits()).unwrap_err(), Refusal::Unreadable);
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let bomb = png_bomb(50_000, 50_000);
    assert!(bomb.len() < 100, "the bomb is tiny: {} bytes", bomb.len());
    let refused = process(&bomb, &limits()).unwrap_err();
    assert_eq!(refused, Refusal::TooManyPixels { width: 50_000, height: 50_000, max_pixels: limits().max_pixels });
}

#[test]
fn files_over_the_byte_limit_are_refused_before_anything_else() {
    let small = ImageLimits { max_bytes: 100, ..limits() };
    assert_eq!(process(&png(200, 200), &small).unwrap_err(), Refusal::TooLarge { max_bytes: 100 });
}
