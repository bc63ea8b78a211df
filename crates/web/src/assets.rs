//! The theme's static files, embedded in the binary. Pages link them under
//! content-hashed names (`/assets/tribune.1a2b3c4d5e.css`, from the
//! templates' `asset("tribune.css")`), which are cached for a year as
//! immutable: an upgrade changes the name, so readers never run old scripts.
//! The plain names keep working for old pages and themes, revalidated on
//! each use. Every file is compressed once, on first demand.

use crate::encoding::{Effort, Encoded};
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// Name, content type, contents.
const ASSETS: &[(&str, &str, &str)] = &[
    ("tribune.css", "text/css; charset=utf-8", include_str!("../assets/tribune.css")),
    ("tribune.js", "text/javascript; charset=utf-8", include_str!("../assets/tribune.js")),
    ("moderation.js", "text/javascript; charset=utf-8", include_str!("../assets/moderation.js")),
    ("newsroom.js", "text/javascript; charset=utf-8", include_str!("../assets/newsroom.js")),
    ("demo-terminal.svg", "image/svg+xml", include_str!("../assets/demo-terminal.svg")),
    ("favicon.svg", "image/svg+xml", include_str!("../assets/favicon.svg")),
];

/// Under a hashed name the contents can never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Under its plain name (or an old hash) a file is checked again on each use; its ETag makes that a 304.
const REVALIDATE: &str = "public, no-cache";
/// Hex digits of the content hash in a hashed name.
const HASH_LEN: usize = 10;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    hash: String,
    body: Encoded,
}

static BUILT: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|(name, content_type, body)| Asset {
            name,
            content_type,
            hash: hex::encode(Sha256::digest(body.as_bytes()))[..HASH_LEN].to_owned(),
            body: Encoded::new(axum::body::Bytes::from_static(body.as_bytes()), Effort::Asset),
        })
        .collect()
});

/// `tribune.css` and `1a2b3c4d5e` make `tribune.1a2b3c4d5e.css`.
fn hashed_name(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// The address pages link an asset by, with its content hash; `None` for an unknown name.
pub fn url(name: &str) -> Option<String> {
    BUILT.iter().find(|asset| asset.name == name).map(|asset| format!("/assets/{}", hashed_name(name, &asset.hash)))
}

/// Which asset a requested file name is, and whether it named the current contents.
fn lookup(file: &str) -> Option<(&'static Asset, bool)> {
    if let Some(asset) = BUILT.iter().find(|asset| asset.name == file) {
        return Some((asset, false));
    }
    // `stem.HASH.ext` (or `name.HASH`): the hash may be an old one, from a page rendered before an upgrade.
    let (rest, last) = file.rsplit_once('.')?;
    let candidates =
        [rest.rsplit_once('.').map(|(stem, hash)| (format!("{stem}.{last}"), hash)), Some((rest.to_owned(), last))];
    candidates.into_iter().flatten().find_map(|(name, hash)| {
        let is_hash = hash.len() == HASH_LEN && hash.bytes().all(|b| b.is_ascii_hexdigit());
        let asset = BUILT.iter().find(|asset| asset.name == name).filter(|_| is_hash)?;
        Some((asset, asset.hash == hash))
    })
}

pub async fn serve(Path(file): Path<String>, request: HeaderMap) -> Response {
    let Some((asset, current)) = lookup(&file) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let cache = if current { IMMUTABLE } else { REVALIDATE };
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
        (CACHE_CONTROL, HeaderValue::from_static(cache)),
    ];
    asset.body.respond(&request, &headers).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_carry_the_content_hash_before_the_extension() {
        let css = url("tribune.css").unwrap();
        let hash = &BUILT[0].hash;
        assert_eq!(css, format!("/assets/tribune.{hash}.css"));
        assert!(url("missing.css").is_none());
        assert_eq!(hashed_name("LICENSE", "0123456789"), "LICENSE.0123456789");
    }

    #[test]
    fn plain_current_and_old_hashed_names_find_the_file() {
        let current = url("tribune.js").unwrap().trim_start_matches("/assets/").to_owned();
        assert!(matches!(lookup(&current), Some((asset, true)) if asset.name == "tribune.js"));
        assert!(matches!(lookup("tribune.js"), Some((asset, false)) if asset.name == "tribune.js"));
        assert!(matches!(lookup("tribune.0000000000.js"), Some((asset, false)) if asset.name == "tribune.js"));
        assert!(lookup("tribune.nothex0000.js").is_none());
        assert!(lookup("tribune.0000000000.css.js").is_none());
        assert!(lookup("other.0000000000.js").is_none());
        assert!(lookup("tribune").is_none());
    }
}
