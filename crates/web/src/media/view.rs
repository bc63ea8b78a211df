//! An image as the API and the newsroom page show it.

use serde::Serialize;
use tribune_store::StoredImage;

#[derive(Debug, Serialize)]
pub struct VariantView {
    pub width: u32,
    pub height: u32,
    pub url: String,
    pub content_type: String,
    pub bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct ImageView {
    pub id: i64,
    pub key: String,
    /// The widest variant.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub original_type: String,
    pub original_bytes: u64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub srcset: String,
    pub variants: Vec<VariantView>,
    /// What to paste into an article body.
    pub markdown: String,
    pub uploaded: String,
}

impl From<&StoredImage> for ImageView {
    fn from(image: &StoredImage) -> Self {
        let variants: Vec<VariantView> = image
            .variants
            .iter()
            .map(|v| VariantView {
                width: v.width,
                height: v.height,
                url: format!("/media/{}", v.path),
                content_type: v.content_type.clone(),
                bytes: v.bytes,
            })
            .collect();
        let url = variants.last().map(|v| v.url.clone()).unwrap_or_default();
        let srcset = variants.iter().map(|v| format!("{} {}w", v.url, v.width)).collect::<Vec<_>>().join(", ");
        Self {
            id: image.id,
            key: image.key.clone(),
            markdown: format!("![{}]({url})", markdown_text(&image.alt)),
            url,
            width: image.width,
            height: image.height,
            original_type: image.content_type.clone(),
            original_bytes: image.byte_size,
            alt: image.alt.clone(),
            caption: image.caption.clone(),
            credit: image.credit.clone(),
            srcset,
            variants,
            uploaded: image.created_at.human(),
        }
    }
}

/// Alt text inside `![…]`: brackets and backslashes escaped, so the snippet
/// stays one image whatever the text says.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An article's featured image as its page shows it (and names it to
/// search engines and link previews, with an absolute address).
#[derive(Debug, Serialize)]
pub struct FeaturedImageView {
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub absolute_url: String,
}

impl FeaturedImageView {
    pub fn new(featured: &tribune_store::FeaturedImage, base: &str) -> Self {
        let image = ImageView::from(&featured.image);
        let (width, height) = image.variants.last().map_or((image.width, image.height), |v| (v.width, v.height));
        Self {
            absolute_url: format!("{base}{}", image.url),
            src: image.url,
            srcset: image.srcset,
            width,
            height,
            alt: featured.alt.clone(),
            caption: featured.caption.clone(),
            credit: featured.credit.clone(),
        }
    }

    /// A schema.org `ImageObject` for the article's `image`.
    pub fn json_ld(&self) -> serde_json::Value {
        serde_json::json!({
            "@type": "ImageObject",
            "url": self.absolute_url,
            "width": self.width,
            "height": self.height,
            "caption": self.caption,
            "creditText": self.credit,
        })
    }
}
