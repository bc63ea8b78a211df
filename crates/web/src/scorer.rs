//! Loading the on-device scorer. The site's own model (written by
//! `tribune moderation retrain`, by hand or on its schedule) is used when
//! it can be read; one that cannot never stops the site: the log and the
//! admin say so, and the model built into the binary scores meanwhile.
//! Each instance looks at the file now and then and uses a new one as soon
//! as it is written, without a restart.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, SystemTime};
use tribune_app::model_slot::ModelSlot;
use tribune_moderation::scorer::Model;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScorerStatus {
    /// Scoring with this model (what it says of itself).
    Loaded(String),
    /// The site's model file is unusable (why): the built-in model scores.
    Fallback(String),
    /// The file was replaced by one that is unusable (why): the model
    /// loaded before it keeps scoring.
    Kept(String),
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
            Self::Kept(why) => write!(
                f,
                "The site's scorer model file was replaced by one that cannot be used ({why}); the model \
                 loaded before it keeps scoring until the file is fixed."
            ),
            Self::Fallback(why) => write!(
                f,
                "The site's scorer model could not be loaded ({why}); the model built into Tribune scores \
                 comments until it is fixed (tribune moderation restore brings the previous one back)."
            ),
        }
    }
}

/// The scorer the pipeline and the Perspective-compatible endpoint share.
pub struct SiteScorer {
    pub model: Arc<ModelSlot>,
    status: RwLock<ScorerStatus>,
    file: Option<PathBuf>,
    /// The file's modification time and length when it was last read.
    seen: Mutex<Option<(SystemTime, u64)>>,
    scoring: bool,
}

impl SiteScorer {
    /// The site's model, or the built-in one; and what the admin is told.
    pub fn load(model_file: Option<&Path>, scoring: bool) -> Self {
        let built_in = || Arc::new(Model::default_model().clone());
        let seen = model_file.and_then(stamp);
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
        Self {
            model: Arc::new(ModelSlot::new(model)),
            status: RwLock::new(if scoring { status } else { ScorerStatus::Off }),
            file: model_file.map(Path::to_owned),
            seen: Mutex::new(seen),
            scoring,
        }
    }

    pub fn status(&self) -> ScorerStatus {
        self.status.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Reads the model file again when it changed since it was last read;
    /// true when a new model is in use.
    pub fn reload_if_changed(&self) -> bool {
        let Some(path) = &self.file else { return false };
        let now = stamp(path);
        {
            let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if now.is_none() || *seen == now {
                return false;
            }
            *seen = now;
        }
        let status = match read(path) {
            Ok(model) => {
                tracing::info!(file = %path.display(), "the site's scorer model changed; the new one is in use");
                let status = ScorerStatus::Loaded(model.description().to_owned());
                self.model.replace(Arc::new(model));
                status
            }
            Err(why) => {
                tracing::error!(%why, "the site's new scorer model cannot be used; the one loaded before keeps scoring");
                ScorerStatus::Kept(why)
            }
        };
        let loaded = status.is_loaded();
        if self.scoring {
            *self.status.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = status;
        }
        loaded
    }

    /// Looks at the model file every `every` while the site runs.
    pub fn watch(self: &Arc<Self>, every: Duration) {
        if self.file.is_none() {
            return;
        }
        let scorer: Weak<Self> = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let Some(scorer) = scorer.upgrade() else { return };
                // Reading and checking a model file is a few milliseconds of blocking work.
                let _ = tokio::task::spawn_blocking(move || scorer.reload_if_changed()).await;
            }
        });
    }
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.modified().ok()?, metadata.len()))
}

fn read(path: &Path) -> Result<Model, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Model::from_bytes(&bytes).map_err(|e| format!("{} is not a usable model: {e}", path.display()))
}
