//! From uploaded bytes to variants: sniff, check limits from the header,
//! decode (with allocation limits as a second guard), re-encode and resize.
//! Re-encoding keeps only pixels: EXIF, comments and anything appended to
//! the file are gone.

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;
use tribune_domain::media::{variant_height, variant_widths};

#[derive(Debug, Clone, Copy)]
pub struct ImageLimits {
    /// Largest upload, in bytes.
    pub max_bytes: usize,
    /// Most pixels (width × height) an image may declare.
    pub max_pixels: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        Self { max_bytes: 10 * 1024 * 1024, max_pixels: 40_000_000 }
    }
}

/// The formats accepted, known by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SniffedType {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl SniffedType {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
            Self::Gif => ImageFormat::Gif,
            Self::Webp => ImageFormat::WebP,
        }
    }
}

/// Why an upload is refused; each has its own code for the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    #[error("the file is not a JPEG, PNG, GIF or WebP image")]
    UnsupportedType,
    #[error("the image is {width}×{height} pixels; at most {max_pixels} pixels are accepted")]
    TooManyPixels { width: u32, height: u32, max_pixels: u64 },
    #[error("the image cannot be read: it is damaged or not what it claims to be")]
    Unreadable,
}

/// One resized copy, encoded.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub ext: &'static str,
}

#[derive(Debug, Clone)]
pub struct ProcessedImage {
    pub original_type: SniffedType,
    pub byte_size: usize,
    /// As displayed (after the camera's orientation is applied).
    pub width: u32,
    pub height: u32,
    /// Smallest first.
    pub variants: Vec<Variant>,
}

/// Checks and converts an upload. CPU-heavy: call it off the async runtime.
pub fn process(bytes: &[u8], limits: &ImageLimits) -> Result<ProcessedImage, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(Refusal::TooLarge { max_bytes: limits.max_bytes });
    }
    let kind = SniffedType::sniff(bytes).ok_or(Refusal::UnsupportedType)?;
    let reader = || ImageReader::with_format(Cursor::new(bytes), kind.format());
    // The header alone: a file that declares too many pixels is refused before any is allocated.
    let (width, height) = reader().into_dimensions().map_err(|_| Refusal::Unreadable)?;
    if width == 0 || height == 0 {
        return Err(Refusal::Unreadable);
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(Refusal::TooManyPixels { width, height, max_pixels: limits.max_pixels });
    }
    let mut reader = reader();
    let mut decode_limits = image::Limits::default();
    decode_limits.max_image_width = Some(width);
    decode_limits.max_image_height = Some(height);
    // Room for the decoded pixels at 16 bits a channel with alpha, and no more.
    decode_limits.max_alloc = Some(pixels.saturating_mul(8).saturating_add(1 << 20));
    reader.limits(decode_limits);
    let mut decoder = reader.into_decoder().map_err(|_| Refusal::Unreadable)?;
    let orientation = decoder.orientation().map_err(|_| Refusal::Unreadable)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| Refusal::Unreadable)?;
    image.apply_orientation(orientation);
    let (width, height) = (image.width(), image.height());
    let variants = variant_widths(width)
        .into_iter()
        .map(|w| encode(&image, w, variant_height(width, height, w)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProcessedImage { original_type: kind, byte_size: bytes.len(), width, height, variants })
}

/// Opaque images become JPEG; those with transparency stay lossless, as PNG.
fn encode(image: &DynamicImage, width: u32, height: u32) -> Result<Variant, Refusal> {
    let resized = if width == image.width() {
        image.clone()
    } else {
        image.resize_exact(width, height, image::imageops::FilterType::Triangle)
    };
    let mut bytes = Vec::new();
    let (content_type, ext) = if is_transparent(&resized) {
        resized.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).map_err(|_| Refusal::Unreadable)?;
        ("image/png", "png")
    } else {
        let rgb = resized.to_rgb8();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82);
        rgb.write_with_encoder(encoder).map_err(|_| Refusal::Unreadable)?;
        ("image/jpeg", "jpg")
    };
    Ok(Variant { width, height, bytes, content_type, ext })
}

/// Whether any pixel lets the background through (a GIF or PNG may carry an
/// alpha channel in which every pixel is opaque: those become JPEG).
fn is_transparent(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageRgba8(pixels) => pixels.pixels().any(|p| p.0[3] < u8::MAX),
        DynamicImage::ImageLumaA8(pixels) => pixels.pixels().any(|p| p.0[1] < u8::MAX),
        other => other.color().has_alpha(),
    }
}
