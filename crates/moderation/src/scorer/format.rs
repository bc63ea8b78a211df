//! The model file: a fixed header, each attribute's parameters, a
//! description, the quantized weights, and a SHA-256 of all that. Numbers
//! are little-endian. A file that is cut, altered or from another version
//! is an error, never a panic.
//!
//! ```text
//! magic "TRIBSCOR" | version u32 (1 to 3, see `VERSION`) | hash_bits u32 | attributes u32 | slots u32
//! per attribute: scale f32, bias f32, platt_a f32, platt_b f32
//! description: length u32, UTF-8 bytes
//! weights: 2^hash_bits * slots i8
//! sha256 of everything above (32 bytes)
//! ```

use super::features::IdentityWords;
use super::model::{AttributeParams, Model, SLOTS};
use super::phrases::Pooling;
use super::Attribute;
use sha2::{Digest, Sha256};

const MAGIC: &[u8; 8] = b"TRIBSCOR";
/// Version 3 reads identity words as one and pools the whole comment with
/// its highest phrase (`Pooling::WithPhrase`). Earlier files are still read
/// as they were trained: version 2 with identity words as one and the whole
/// comment only, version 1 with identity words as written.
const VERSION: u32 = 3;

/// How a model of each file version reads a comment.
fn reading(version: u32) -> Option<(IdentityWords, Pooling)> {
    match version {
        1 => Some((IdentityWords::AsWritten, Pooling::Whole)),
        2 => Some((IdentityWords::AsOne, Pooling::Whole)),
        VERSION => Some((IdentityWords::AsOne, Pooling::WithPhrase)),
        _ => None,
    }
}

const CHECKSUM_BYTES: usize = 32;
/// Bucket counts a model may use: enough to be useful, small enough to load.
pub(crate) const HASH_BITS: std::ops::RangeInclusive<u32> = 10..=24;
const MAX_DESCRIPTION: usize = 64 * 1024;

/// Why bytes are not a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("not a Tribune scorer model (the file does not start with the model header)")]
    NotAModel,
    #[error("the model file is version {0}; this Tribune reads versions 1 to {VERSION}")]
    UnsupportedVersion(u32),
    #[error("the model file is cut short or has extra bytes")]
    WrongLength,
    #[error("the model file is corrupt (its checksum does not match)")]
    ChecksumMismatch,
    #[error("the model file is invalid: {0}")]
    Invalid(&'static str),
}

impl Model {
    /// The model as a file's bytes; [`Model::from_bytes`] reads them back.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.weights.len() + 256 + self.description.len());
        out.extend_from_slice(MAGIC);
        let version = (1..=VERSION)
            .find(|v| reading(*v) == Some((self.identity_words, self.pooling)))
            .expect("every model reads comments as some file version does");
        for n in [version, self.hash_bits, Attribute::COUNT as u32, SLOTS as u32] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for p in &self.params {
            for x in [p.scale, p.bias, p.platt_a, p.platt_b] {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.description.len() as u32).to_le_bytes());
        out.extend_from_slice(self.description.as_bytes());
        out.extend(self.weights.iter().map(|w| *w as u8));
        let checksum = Sha256::digest(&out);
        out.extend_from_slice(&checksum);
        out
    }

    /// Reads a model written by [`Model::to_bytes`], checking its header,
    /// version, length and checksum.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err(ModelError::NotAModel);
        }
        let version = reader.u32()?;
        let (identity_words, pooling) = reading(version).ok_or(ModelError::UnsupportedVersion(version))?;
        if bytes.len() < CHECKSUM_BYTES + reader.at {
            return Err(ModelError::WrongLength);
        }
        let (body, checksum) = bytes.split_at(bytes.len() - CHECKSUM_BYTES);
        if Sha256::digest(body).as_slice() != checksum {
            return Err(ModelError::ChecksumMismatch);
        }
        let mut reader = Reader { bytes: body, at: reader.at };
        let hash_bits = reader.u32()?;
        if !HASH_BITS.contains(&hash_bits) {
            return Err(ModelError::Invalid("hash bits out of range"));
        }
        if reader.u32()? as usize != Attribute::COUNT || reader.u32()? as usize != SLOTS {
            return Err(ModelError::Invalid("unexpected attribute layout"));
        }
        let mut params = [AttributeParams { scale: 0.0, bias: 0.0, platt_a: 1.0, platt_b: 0.0 }; Attribute::COUNT];
        for p in &mut params {
            let [scale, bias, platt_a, platt_b] = [reader.f32()?, reader.f32()?, reader.f32()?, reader.f32()?];
            if ![scale, bias, platt_a, platt_b].iter().all(|x| x.is_finite()) {
                return Err(ModelError::Invalid("a parameter is not a finite number"));
            }
            *p = AttributeParams { scale, bias, platt_a, platt_b };
        }
        let description_len = reader.u32()? as usize;
        if description_len > MAX_DESCRIPTION {
            return Err(ModelError::Invalid("description too long"));
        }
        let description = std::str::from_utf8(reader.take(description_len)?)
            .map_err(|_| ModelError::Invalid("description is not UTF-8"))?
            .to_string();
        let weights: Vec<i8> = reader.take((1usize << hash_bits) * SLOTS)?.iter().map(|b| *b as i8).collect();
        if reader.at != body.len() {
            return Err(ModelError::WrongLength);
        }
        Ok(Model { hash_bits, identity_words, pooling, weights, params, description })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).filter(|end| *end <= self.bytes.len()).ok_or(ModelError::WrongLength)?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn f32(&mut self) -> Result<f32, ModelError> {
        self.u32().map(f32::from_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_model() -> Model {
        let params = [AttributeParams { scale: 0.01, bias: -1.0, platt_a: 1.0, platt_b: 0.0 }; Attribute::COUNT];
        let weights = (0..(1usize << 10) * SLOTS).map(|i| (i % 251) as i8).collect();
        Model {
            hash_bits: 10,
            identity_words: IdentityWords::AsOne,
            pooling: Pooling::WithPhrase,
            weights,
            params,
            description: "tiny".into(),
        }
    }

    #[test]
    fn a_model_reads_back_as_written() {
        let model = tiny_model();
        assert_eq!(Model::from_bytes(&model.to_bytes()), Ok(model));
    }

    #[test]
    fn earlier_versions_are_still_read_as_they_were_trained() {
        let model = Model { identity_words: IdentityWords::AsWritten, pooling: Pooling::Whole, ..tiny_model() };
        let bytes = model.to_bytes();
        assert_eq!(bytes[8], 1);
        assert_eq!(Model::from_bytes(&bytes), Ok(model));
        let model = Model { pooling: Pooling::Whole, ..tiny_model() };
        let bytes = model.to_bytes();
        assert_eq!(bytes[8], 2);
        assert_eq!(Model::from_bytes(&bytes), Ok(model));
        assert_eq!(tiny_model().to_bytes()[8], 3);
    }

    #[test]
    fn any_changed_or_missing_byte_is_an_error() {
        let bytes = tiny_model().to_bytes();
        for at in [0, 9, 13, 40, 200, bytes.len() / 2, bytes.len() - 1] {
            let mut corrupt = bytes.clone();
            corrupt[at] ^= 0x20;
            assert!(Model::from_bytes(&corrupt).is_err(), "byte {at} changed");
        }
        for len in [0, 3, 8, 12, 40, bytes.len() - 1] {
            assert!(Model::from_bytes(&bytes[..len]).is_err(), "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Model::from_bytes(&longer).is_err());
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(Model::from_bytes(b"PK\x03\x04 not a model at all"), Err(ModelError::NotAModel));
        let mut future = tiny_model().to_bytes();
        future[8] = 4;
        assert_eq!(Model::from_bytes(&future), Err(ModelError::UnsupportedVersion(4)));
        let mut flipped = tiny_model().to_bytes();
        let last = flipped.len() - 40;
        flipped[last] ^= 1;
        assert_eq!(Model::from_bytes(&flipped), Err(ModelError::ChecksumMismatch));
    }

    #[test]
    fn a_well_checksummed_file_with_bad_fields_is_still_refused() {
        let mut model = tiny_model();
        model.params[0].platt_a = f32::NAN;
        assert_eq!(
            Model::from_bytes(&model.to_bytes()),
            Err(ModelError::Invalid("a parameter is not a finite number"))
        );
    }
}
