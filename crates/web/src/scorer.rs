//! Loading the on-device scorer. The site's own model (written by
//! `tribune moderation retrain`) is used when it can be read; one that
//! cannot never stops the site: the log and the admin say so, and the
//! model built into the binary scores meanwhile.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use tribune_moderation::scorer::Model;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScorerStatus {
    /// Scoring with this model (what it says of itself).
    Loaded(String),
    /// The site's model file is unusable (why): the built-in model scores.
    Fallback(String),
    /// Comments are not scored (`[moderation] scoring = false`).
    Off,
}

impl ScorerStatus {
    pub fn is_loaded(&self) -> bool {
        matches!(self, Self::Loaded(_))
    }
}

impl fmt::Display for ScorerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Loaded(description) => write!(f, "The on-device scorer is loaded: {description}."),
            Self::Off => {
                f.write_str("Scoring is turned off ([moderation] scoring = false): the thresholds below do nothing.")
            }
            Self::Fallback(why) => write!(
                f,
                "The site's scorer model could not be loaded ({why}); the model built into Tribune scores \
                 comments until it is fixed (tribune moderation restore brings the previous one back)."
            ),
        }
    }
}

/// The site's model, or the built-in one; and what the admin is told.
pub fn load(model_file: Option<&Path>, scoring: bool) -> (Arc<Model>, ScorerStatus) {
    let built_in = || Arc::new(Model::default_model().clone());
    let (model, status) = match model_file {
        // Not retrained yet: the built-in model is the site's model.
        Some(path) if path.exists() => match read(path) {
            Ok(model) => {
                tracing::info!(file = %path.display(), "the site's scorer model is loaded");
                let status = ScorerStatus::Loaded(model.description().to_owned());
                (Arc::new(model), status)
            }
            Err(why) => {
                tracing::error!(%why, "the site's scorer model cannot be used; the built-in model scores meanwhile");
                (built_in(), ScorerStatus::Fallback(why))
            }
        },
        _ => {
            let model = built_in();
            let status = ScorerStatus::Loaded(model.description().to_owned());
            (model, status)
        }
    };
    (model, if scoring { status } else { ScorerStatus::Off })
}

fn read(path: &Path) -> Result<Model, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Model::from_bytes(&bytes).map_err(|e| format!("{} is not a usable model: {e}", path.display()))
}
