//! The on-device scorer: a calibrated linear model over hashed word and
//! character n-grams of the normalized text (see [`crate::normalize`]) and a
//! few raw-text signals, rating a comment for the attributes Perspective
//! rated. Pure Rust, no files read: the shipped model is embedded in the
//! binary, and other models come in as bytes.
//!
//! ```
//! use tribune_moderation::scorer::{Attribute, Model};
//! let model = Model::default_model();
//! let scores = model.score("Thanks for the thoughtful article.");
//! assert!(scores.get(Attribute::Toxicity) < 0.5);
//! ```

mod attribute;
pub(crate) mod features;
mod format;
mod identity;
mod model;
pub(crate) mod phrases;
mod raw_signals;

pub use attribute::Attribute;
pub use format::ModelError;
pub(crate) use model::{sigmoid, AttributeParams, SLOTS};
pub use model::{Model, Scores, SpanScore};
