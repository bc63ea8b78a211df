//! Bodies kept in memory (rendered pages, the theme's assets) sent in the
//! coding the reader asks for: each body is compressed at most once per
//! coding, on first demand, and kept beside the original, so serving it
//! again costs no compression work. Also the validators: one `ETag` per
//! coding, and `If-None-Match` answered with `304 Not Modified`.

use axum::body::Bytes;
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::io::Write;
use tokio::sync::OnceCell;

/// A content coding Tribune can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

/// How hard to compress: pages are compressed again after every change to
/// their discussion, the theme's files once per process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    Page,
    Asset,
}

/// Brotli quality and window, and gzip level, per effort. Page levels were
/// chosen by measuring the 200-comment benchmark page (docs/benchmarks.md).
impl Effort {
    fn brotli_quality(self) -> u32 {
        match self {
            Effort::Page => 5,
            Effort::Asset => 11,
        }
    }
    fn gzip_level(self) -> u32 {
        match self {
            Effort::Page => 6,
            Effort::Asset => 9,
        }
    }
}

impl Encoding {
    /// The coding to send for a request's `Accept-Encoding` (RFC 9110
    /// §12.5.3): the highest q-value wins, brotli before gzip before identity
    /// on a tie; `*` stands for every coding not named; `q=0` refuses one.
    /// Without the header, or when everything is refused, the body goes as
    /// it is (the RFC lets a server disregard the header rather than fail).
    pub fn negotiate(request: &HeaderMap) -> Encoding {
        let mut brotli = None;
        let mut gzip = None;
        let mut identity = None;
        let mut any = None;
        let mut seen = false;
        for value in request.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or("").trim();
                let Some(q) = quality(parts) else { continue };
                seen = true;
                let slot = if coding.eq_ignore_ascii_case("br") {
                    &mut brotli
                } else if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                    &mut gzip
                } else if coding.eq_ignore_ascii_case("identity") {
                    &mut identity
                } else if coding == "*" {
                    &mut any
                } else {
                    continue;
                };
                // A coding named twice keeps its best weight.
                *slot = Some(slot.map_or(q, |old: u16| old.max(q)));
            }
        }
        if !seen {
            return Encoding::Identity;
        }
        // Identity is acceptable unless refused, but never preferred to a coding the reader named.
        let identity = identity.or(any).unwrap_or(1);
        let candidates = [(Encoding::Brotli, brotli.or(any).unwrap_or(0)), (Encoding::Gzip, gzip.or(any).unwrap_or(0))];
        let mut best = (Encoding::Identity, identity);
        for (encoding, q) in candidates {
            if q > 0 && (q > best.1 || (q == best.1 && best.0 == Encoding::Identity) || best.1 == 0) {
                best = (encoding, q);
            }
        }
        best.0
    }

    fn header_value(self) -> Option<HeaderValue> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
        }
    }
}

/// The `q` parameter of one `Accept-Encoding` item in thousandths (1000 if
/// absent); `None` for a malformed item, which is ignored.
fn quality<'a>(params: impl Iterator<Item = &'a str>) -> Option<u16> {
    let mut q = 1000;
    for param in params {
        let (name, value) = param.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            let value: f32 = value.trim().parse().ok()?;
            if !(0.0..=1.0).contains(&value) {
                return None;
            }
            q = (value * 1000.0).round() as u16;
        }
    }
    Some(q)
}

/// One body in every coding it has been asked for so far.
pub struct Encoded {
    identity: Bytes,
    effort: Effort,
    brotli: OnceCell<Option<Bytes>>,
    gzip: OnceCell<Option<Bytes>>,
    /// Entity tags for identity, gzip and brotli: each coding is a different representation.
    etags: [HeaderValue; 3],
}

impl Encoded {
    pub fn new(identity: Bytes, effort: Effort) -> Self {
        let digest = Sha256::digest(&identity);
        let tag = URL_SAFE_NO_PAD.encode(&digest[..12]);
        let etag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{tag}{suffix}\"")).unwrap_or(HeaderValue::from_static("\"\""))
        };
        Self {
            identity,
            effort,
            brotli: OnceCell::new(),
            gzip: OnceCell::new(),
            etags: [etag(""), etag("-gz"), etag("-br")],
        }
    }

    pub fn identity(&self) -> &Bytes {
        &self.identity
    }

    /// The body in `wanted`, compressing it on first demand; identity when
    /// compressing does not make it smaller.
    pub async fn body(&self, wanted: Encoding) -> (Encoding, Bytes) {
        let cell = match wanted {
            Encoding::Identity => return (Encoding::Identity, self.identity.clone()),
            Encoding::Gzip => &self.gzip,
            Encoding::Brotli => &self.brotli,
        };
        let compressed = cell.get_or_init(|| async { compress(&self.identity, wanted, self.effort) }).await;
        match compressed {
            Some(bytes) => (wanted, bytes.clone()),
            None => (Encoding::Identity, self.identity.clone()),
        }
    }

    pub fn etag(&self, encoding: Encoding) -> &HeaderValue {
        match encoding {
            Encoding::Identity => &self.etags[0],
            Encoding::Gzip => &self.etags[1],
            Encoding::Brotli => &self.etags[2],
        }
    }

    /// The response to a `GET` of this body: negotiated, tagged, and a bodiless
    /// `304` when the reader already holds this representation.
    pub async fn respond(&self, request: &HeaderMap, headers: &[(HeaderName, HeaderValue)]) -> Response {
        let (encoding, body) = self.body(Encoding::negotiate(request)).await;
        let etag = self.etag(encoding).clone();
        let not_modified = if_none_match(request, &etag);
        let mut response = if not_modified { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
        let out = response.headers_mut();
        for (name, value) in headers {
            if !(not_modified && name == header::CONTENT_TYPE) {
                out.insert(name.clone(), value.clone());
            }
        }
        out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        out.insert(header::ETAG, etag);
        if let (false, Some(coding)) = (not_modified, encoding.header_value()) {
            out.insert(header::CONTENT_ENCODING, coding);
        }
        response
    }
}

/// Whether `If-None-Match` names `etag` (weak comparison, RFC 9110 §13.1.2) or is `*`.
fn if_none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.as_bytes();
    request.get_all(header::IF_NONE_MATCH).iter().any(|value| {
        value.as_bytes().split(|b| *b == b',').any(|tag| {
            let tag = tag.trim_ascii();
            tag == b"*" || tag.strip_prefix(b"W/").unwrap_or(tag) == ours
        })
    })
}

/// `None` when the coding does not make the body smaller (or, impossibly, fails).
fn compress(body: &[u8], encoding: Encoding, effort: Effort) -> Option<Bytes> {
    let compressed = match encoding {
        Encoding::Identity => return None,
        Encoding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: effort.brotli_quality() as i32,
                lgwin: 22,
                size_hint: body.len(),
                ..Default::default()
            };
            let mut out = Vec::with_capacity(body.len() / 4);
            brotli::BrotliCompress(&mut &body[..], &mut out, &params).map(|_| out)
        }
        Encoding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(body.len() / 4),
                flate2::Compression::new(effort.gzip_level()),
            );
            encoder.write_all(body).and_then(|()| encoder.finish())
        }
    };
    match compressed {
        Ok(bytes) if bytes.len() < body.len() => Some(bytes.into()),
        Ok(_) => None,
        Err(error) => {
            tracing::error!(?encoding, %error, "compression failed; sending the body uncompressed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_best_weighted_coding_is_chosen_and_brotli_wins_ties() {
        use Encoding::*;
        for (accept, expected) in [
            ("gzip, deflate, br, zstd", Brotli),
            ("gzip, deflate", Gzip),
            ("GZIP", Gzip),
            ("x-gzip", Gzip),
            ("br;q=0.5, gzip;q=0.8", Gzip),
            ("br;q=1.0, gzip;q=0.8", Brotli),
            ("br;q=0, gzip", Gzip),
            ("br;q=0, gzip;q=0", Identity),
            ("gzip;q=0", Identity),
            ("*", Brotli),
            ("*;q=0.5, br;q=0", Gzip),
            ("*;q=0", Identity),
            ("identity", Identity),
            ("identity;q=1, gzip;q=0.5", Identity),
            ("identity;q=0, gzip;q=0.2", Gzip),
            ("deflate", Identity),
            ("", Identity),
            ("br;q=banana, gzip", Gzip),
            ("br;q=2, gzip", Gzip),
        ] {
            assert_eq!(Encoding::negotiate(&accepting(accept)), expected, "Accept-Encoding: {accept}");
        }
        assert_eq!(Encoding::negotiate(&HeaderMap::new()), Identity, "no header: as it is");
        let mut two_lines = accepting("identity;q=0.1");
        two_lines.append(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        assert_eq!(Encoding::negotiate(&two_lines), Gzip);
    }

    #[tokio::test]
    async fn each_coding_is_compressed_once_and_decompresses_to_the_original() {
        let page = Bytes::from("<p>The harbour wall held through the storm.</p>\n".repeat(200));
        let encoded = Encoded::new(page.clone(), Effort::Page);
        let (coding, first) = encoded.body(Encoding::Brotli).await;
        assert_eq!(coding, Encoding::Brotli);
        assert!(first.len() < page.len() / 10, "{} bytes", first.len());
        let (_, again) = encoded.body(Encoding::Brotli).await;
        assert_eq!(first.as_ptr(), again.as_ptr(), "kept, not compressed again");
        let mut unpacked = Vec::new();
        brotli::Decompressor::new(&first[..], 4096).read_to_end(&mut unpacked).unwrap();
        assert_eq!(unpacked, page);

        let (coding, gzipped) = encoded.body(Encoding::Gzip).await;
        assert_eq!(coding, Encoding::Gzip);
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&gzipped[..]).read_to_end(&mut unpacked).unwrap();
        assert_eq!(unpacked, page);
    }

    #[tokio::test]
    async fn a_body_that_does_not_shrink_goes_as_it_is() {
        let encoded = Encoded::new(Bytes::from_static(b"ok"), Effort::Page);
        assert_eq!(encoded.body(Encoding::Brotli).await.0, Encoding::Identity);
        assert_eq!(encoded.body(Encoding::Gzip).await.0, Encoding::Identity);
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let etag = HeaderValue::from_static("\"abc-br\"");
        let asking = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            if_none_match(&headers, &etag)
        };
        assert!(asking("\"abc-br\""));
        assert!(asking("W/\"abc-br\""));
        assert!(asking("\"x\", \"abc-br\""));
        assert!(asking("*"));
        assert!(!asking("\"abc\""));
        assert!(!asking("\"abc-gz\""));
        assert!(!if_none_match(&HeaderMap::new(), &etag));
    }
}
