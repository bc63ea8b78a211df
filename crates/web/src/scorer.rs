//! Loading the on-device scorer. A model that cannot be read never stops
//! the site: it says so in the log and the admin, and the pipeline's other
//! steps go on deciding (each comment the scores would have judged is
//! flagged for a moderator).

use crate::config::ScorerModel;
use std::fmt;
use std::sync::Arc;
use tribune_app::TextScorer;
use tribune_moderation::scorer::Model;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScorerStatus {
    /// Loaded; what the model says of itself.
    Loaded(String),
    /// Turned off in the configuration.
    Off,
    /// Configured but unusable, and why.
    Failed(String),
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
                f.write_str("The on-device scorer is turned off ([moderation] model = \"off\"): scores are not used.")
            }
            Self::Failed(why) => write!(
                f,
                "The on-device scorer could not be loaded ({why}). Comments are judged by the other rules, \
                 and each one the scores would have judged is flagged for a moderator."
            ),
        }
    }
}

/// The configured model, or why there is none.
pub fn load(model: &ScorerModel) -> (Option<Arc<dyn TextScorer>>, ScorerStatus) {
    let loaded: Result<(Arc<dyn TextScorer>, String), String> = match model {
        ScorerModel::Off => return (None, ScorerStatus::Off),
        ScorerModel::Shipped => {
            let model = Model::default_model();
            Ok((Arc::new(model), model.description().to_owned()))
        }
        ScorerModel::File(path) => std::fs::read(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
            .and_then(|bytes| {
                Model::from_bytes(&bytes).map_err(|e| format!("{} is not a usable model: {e}", path.display()))
            })
            .map(|model| {
                let description = model.description().to_owned();
                (Arc::new(model) as Arc<dyn TextScorer>, description)
            }),
    };
    match loaded {
        Ok((scorer, description)) => {
            tracing::info!(model = %description, "on-device scorer loaded");
            (Some(scorer), ScorerStatus::Loaded(description))
        }
        Err(why) => {
            tracing::error!(%why, "the on-device scorer could not be loaded; comments are judged without scores");
            (None, ScorerStatus::Failed(why))
        }
    }
}
