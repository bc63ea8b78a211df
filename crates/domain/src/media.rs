//! What an uploaded image's address says about it, and the words that go
//! with it. An image lives at `/media/<key>/<width>.<ext>`, where the key
//! names the original's size (`<hex>-<width>x<height>`): the widths of its
//! variants follow from that, so an article body can be given `srcset` and
//! `width`/`height` without asking the database.

use crate::{FieldError, ValidationErrors};

/// The widths images are resized to; an image is never made wider than it was.
pub const VARIANT_WIDTHS: [u32; 3] = [480, 960, 1600];

pub const MAX_ALT_CHARS: usize = 300;
pub const MAX_CAPTION_CHARS: usize = 500;
pub const MAX_CREDIT_CHARS: usize = 200;

/// The widths of an image's variants, smallest first: each standard width
/// below the original's, and the original's (or the widest standard) last.
pub fn variant_widths(original_width: u32) -> Vec<u32> {
    let largest = original_width.min(VARIANT_WIDTHS[VARIANT_WIDTHS.len() - 1]);
    let mut widths: Vec<u32> = VARIANT_WIDTHS.iter().copied().filter(|w| *w < largest).collect();
    widths.push(largest);
    widths
}

/// A variant's height, keeping the original's proportions (at least 1).
pub fn variant_height(original_width: u32, original_height: u32, width: u32) -> u32 {
    let height = (u64::from(original_height) * u64::from(width) + u64::from(original_width) / 2)
        / u64::from(original_width.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// The key of a new image: a random part and the original's size.
pub fn image_key(random_hex: &str, width: u32, height: u32) -> String {
    format!("{random_hex}-{width}x{height}")
}

/// A Tribune media address, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaUrl {
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub ext: &'static str,
}

impl MediaUrl {
    /// `/media/<hex>-<w>x<h>/<variant width>.<jpg|png>`, and nothing else.
    pub fn parse(url: &str) -> Option<Self> {
        let rest = url.strip_prefix("/media/")?;
        let (key, file) = rest.split_once('/')?;
        let (random, size) = key.split_once('-')?;
        if random.len() != 32 || !random.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
            return None;
        }
        let (width, height) = size.split_once('x')?;
        let (width, height) = (parse_dimension(width)?, parse_dimension(height)?);
        let (variant, ext) = file.split_once('.')?;
        let ext = match ext {
            "jpg" => "jpg",
            "png" => "png",
            _ => return None,
        };
        let variant = parse_dimension(variant)?;
        variant_widths(width).contains(&variant).then(|| Self { key: key.to_owned(), width, height, ext })
    }

    pub fn variant_path(&self, width: u32) -> String {
        format!("/media/{}/{width}.{}", self.key, self.ext)
    }

    /// The widest variant's width and height.
    pub fn largest(&self) -> (u32, u32) {
        let width = *variant_widths(self.width).last().unwrap_or(&self.width);
        (width, variant_height(self.width, self.height, width))
    }

    /// `"/media/k/480.jpg 480w, /media/k/960.jpg 960w"`.
    pub fn srcset(&self) -> String {
        let candidates: Vec<String> =
            variant_widths(self.width).iter().map(|w| format!("{} {w}w", self.variant_path(*w))).collect();
        candidates.join(", ")
    }
}

fn parse_dimension(text: &str) -> Option<u32> {
    if text.is_empty() || text.starts_with('0') || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n > 0)
}

/// The words that go with an image: alt text (required: a reader who cannot
/// see it is told what it shows), an optional caption and credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageText {
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

impl ImageText {
    pub fn parse(alt: &str, caption: &str, credit: &str) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let alt = errors.check(text("alt", alt, MAX_ALT_CHARS, true));
        let caption = errors.check(text("caption", caption, MAX_CAPTION_CHARS, false));
        let credit = errors.check(text("credit", credit, MAX_CREDIT_CHARS, false));
        match (alt, caption, credit) {
            (Some(alt), Some(caption), Some(credit)) if errors.is_empty() => Ok(Self { alt, caption, credit }),
            _ => Err(errors),
        }
    }
}

fn text(field: &'static str, value: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            "Describe what the image shows, for readers who cannot see it.",
        ));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(field, "too_long", format!("At most {max} characters.")));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(FieldError::new(field, "invalid", "Use a single line of text."));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn images_are_never_made_wider_than_they_were() {
        assert_eq!(variant_widths(4000), vec![480, 960, 1600]);
        assert_eq!(variant_widths(1600), vec![480, 960, 1600]);
        assert_eq!(variant_widths(1000), vec![480, 960, 1000]);
        assert_eq!(variant_widths(300), vec![300]);
    }

    #[test]
    fn heights_keep_the_proportions() {
        assert_eq!(variant_height(2000, 1000, 480), 240);
        assert_eq!(variant_height(3, 1000, 1), 333);
        assert_eq!(variant_height(5000, 1, 480), 1);
    }

    #[test]
    fn a_media_address_names_its_image_and_its_variants() {
        let url = MediaUrl::parse(&format!("/media/{KEY}-2000x1000/960.jpg")).expect("parses");
        assert_eq!((url.width, url.height, url.ext), (2000, 1000, "jpg"));
        assert_eq!(url.largest(), (1600, 800));
        assert_eq!(
            url.srcset(),
            format!("/media/{KEY}-2000x1000/480.jpg 480w, /media/{KEY}-2000x1000/960.jpg 960w, /media/{KEY}-2000x1000/1600.jpg 1600w")
        );
    }

    #[test]
    fn other_addresses_are_not_media() {
        for url in [
            "https://example.org/media/x.jpg".to_owned(),
            format!("/media/{KEY}-2000x1000/961.jpg"),
            format!("/media/{KEY}-2000x1000/960.svg"),
            format!("/media/{KEY}-0x1000/960.jpg"),
            format!("/media/{KEY}-2000x1000/../960.jpg"),
            "/media/short-2000x1000/960.jpg".to_owned(),
        ] {
            assert_eq!(MediaUrl::parse(&url), None, "{url}");
        }
    }

    #[test]
    fn alt_text_is_required_and_every_text_has_a_limit() {
        assert!(ImageText::parse(" A harbour ", "", "").is_ok_and(|t| t.alt == "A harbour"));
        let errors = ImageText::parse(" ", &"c".repeat(501), "line\nbreak").unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["alt", "caption", "credit"]);
    }
}
