//! Moderation as pure code: the text normalizer that resists evasion, the
//! word-list matcher, the policy pipeline that turns a comment and its
//! context into a verdict with reasons, and the on-device scorer. Nothing
//! here reads a database or knows HTTP; callers hand in everything needed.

pub mod datasets;
pub mod evaluation;
pub mod fingerprint;
pub mod language;
pub mod links;
pub mod normalize;
pub mod pipeline;
pub mod scorer;
pub mod settings;
pub mod training;
pub mod words;
