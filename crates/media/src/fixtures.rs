//! Images made for tests: real files of each accepted type, a JPEG carrying
//! EXIF GPS data and a payload after its end, and files that lie about
//! what they are. Compiled for this crate's tests and, with the `fixtures`
//! feature, for the HTTP tests.

use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use std::io::Cursor;

/// A gradient, so that resizing and re-encoding have something to do.
fn opaque(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| Rgb([(x * 255 / width.max(1)) as u8, (y * 255 / height.max(1)) as u8, 90]))
}

fn encoded(image: impl Into<image::DynamicImage>, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image.into().write_to(&mut Cursor::new(&mut bytes), format).expect("encode a fixture");
    bytes
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(opaque(width, height), ImageFormat::Jpeg)
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(opaque(width, height), ImageFormat::Png)
}

/// A PNG with transparent pixels.
pub fn transparent_png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, _| Rgba([10, 20, 30, if x % 2 == 0 { 0 } else { 255 }]));
    encoded(image, ImageFormat::Png)
}

pub fn gif(width: u32, height: u32) -> Vec<u8> {
    encoded(
        image::DynamicImage::ImageRgba8(image::DynamicImage::ImageRgb8(opaque(width, height)).to_rgba8()),
        ImageFormat::Gif,
    )
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    encoded(image::DynamicImage::ImageRgb8(opaque(width, height)).to_rgba8(), ImageFormat::WebP)
}

/// The marker of the GPS block the EXIF fixture carries.
pub const GPS_MARKER: &[u8] = b"GPSLatitude 51.5007N";

/// A JPEG with an EXIF (APP1) segment holding GPS coordinates right after
/// its start, and a script appended after its end.
pub fn jpeg_with_exif_and_payload(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    // A minimal TIFF header (little-endian, no entries) followed by our marker text.
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0\0\0".to_vec();
    exif.extend_from_slice(GPS_MARKER);
    let length = u16::try_from(exif.len() + 2).expect("small segment");
    let mut bytes = plain[..2].to_vec();
    bytes.extend_from_slice(&[0xFF, 0xE1]);
    bytes.extend_from_slice(&length.to_be_bytes());
    bytes.extend_from_slice(&exif);
    bytes.extend_from_slice(&plain[2..]);
    bytes.extend_from_slice(b"<script>alert('appended')</script>");
    bytes
}

/// Whether a JPEG has an `Exif` APP1 segment (walks the segments up to the image data).
pub fn has_exif_segment(jpeg: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        if marker == 0xDA {
            return false;
        }
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        if marker == 0xE1 && jpeg[at + 4..].starts_with(b"Exif") {
            return true;
        }
        at += 2 + length;
    }
    false
}

/// A valid PNG header declaring `width` × `height` pixels, with a tiny
/// compressed body: what a decompression bomb looks like to a server.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut bytes, b"IHDR", &header);
    // A zlib stream of a few zero bytes; a real bomb would inflate to gigabytes.
    chunk(&mut bytes, b"IDAT", &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
    chunk(&mut bytes, b"IEND", &[]);
    bytes
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).expect("small chunk").to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A shell script, whatever name it is sent under.
pub const SCRIPT: &[u8] = b"#!/bin/sh\ncurl http://127.0.0.1/x | sh\n";

/// Starts like a GIF, and is HTML with a script (a GIF/JavaScript polyglot).
pub const POLYGLOT: &[u8] = b"GIF89a/*\x00\x00<html><script>alert(document.cookie)</script></html>*/=1;";

pub const SVG: &[u8] =
    br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;
