//! `tribune moderation retrain` and `restore`: the site's model, trained on
//! the public data plus the site's own labelled examples, written to
//! `[moderation] model_file` only if it is not worse on a held-out slice
//! of the site's examples; the model it replaces is kept beside it
//! (`FILE.previous`) for `restore`. Running instances notice a new file
//! (`[moderation] model_check_secs`) and use it without a restart.

use crate::config::Config;
use crate::storage;
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use tribune_app::perspective::retrain::{retrain, site_examples};
use tribune_moderation::datasets::PublicSets;
use tribune_moderation::scorer::Model;
use tribune_store::Store;

fn model_file(config: &Config) -> anyhow::Result<PathBuf> {
    match &config.site.moderation.model_file {
        Some(path) => Ok(path.clone()),
        None => bail!(
            "set where the site's model lives first: model_file = \"tribune-data/site.model\" under [moderation] in tribune.toml"
        ),
    }
}

fn previous(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".previous");
    PathBuf::from(name)
}

/// Writes beside the target and renames, so a failure leaves no half file.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, bytes).with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))
}

/// What a retrain did with the model file.
pub struct FileOutcome {
    pub held_out: usize,
    pub current_auc: f64,
    pub new_auc: f64,
    /// Whether the new model was written (it was not worse).
    pub written: bool,
}

/// Retrains from the public sets in `data` and the store's examples, and
/// writes the new model to `file` if it is not worse (keeping the one it
/// replaces as `FILE.previous`). The CLI and the schedule share it.
pub async fn retrain_into_file(store: &dyn Store, file: &Path, data: &Path) -> anyhow::Result<FileOutcome> {
    let current = if file.exists() {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        Model::from_bytes(&bytes).with_context(|| format!("{} is not a usable model", file.display()))?
    } else {
        Model::default_model().clone()
    };
    let data = data.to_owned();
    let sets = tokio::task::spawn_blocking(move || {
        PublicSets::load(&data).with_context(|| format!("cannot load the data sets from {}", data.display()))
    })
    .await??;
    let site = site_examples(store).await?;
    tracing::info!(examples = site.len(), "retraining the site's scorer model");
    let outcome = tokio::task::spawn_blocking(move || retrain(&sets, &site, &current)).await??;
    let mut result = FileOutcome {
        held_out: outcome.held_out,
        current_auc: outcome.current_auc,
        new_auc: outcome.new_auc,
        written: false,
    };
    if !outcome.not_worse() {
        return Ok(result);
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    if file.exists() {
        std::fs::copy(file, previous(file)).with_context(|| format!("cannot keep {}", file.display()))?;
    }
    write_atomically(file, &outcome.model.to_bytes())?;
    result.written = true;
    Ok(result)
}

pub async fn retrain_site_model(config: &Config, data: &Path) -> anyhow::Result<()> {
    let file = model_file(config)?;
    let store = storage::open(config).await?;
    store.migrate().await?;
    eprintln!("retraining…");
    let outcome = retrain_into_file(store.as_ref(), &file, data).await?;
    println!(
        "On {} held-out examples of the site's: ROC-AUC {:.3} with the model in use, {:.3} retrained.",
        outcome.held_out, outcome.current_auc, outcome.new_auc
    );
    if outcome.written {
        println!(
            "Wrote {}; running instances use it within [moderation] model_check_secs \
             (`tribune moderation restore` undoes it).",
            file.display()
        );
    } else {
        println!("The retrained model is worse; {} stays as it is.", file.display());
    }
    Ok(())
}

pub fn restore_site_model(config: &Config) -> anyhow::Result<()> {
    let file = model_file(config)?;
    let kept = previous(&file);
    if !kept.exists() {
        bail!("there is no previous model to restore ({} does not exist)", kept.display());
    }
    let bytes = std::fs::read(&kept).with_context(|| format!("cannot read {}", kept.display()))?;
    Model::from_bytes(&bytes).with_context(|| format!("{} is not a usable model", kept.display()))?;
    // The two swap places, so a restore can itself be undone.
    let replaced = std::fs::read(&file).ok();
    write_atomically(&file, &bytes)?;
    if let Some(replaced) = replaced {
        write_atomically(&kept, &replaced)?;
    }
    println!(
        "Restored the previous model to {}; running instances use it within [moderation] model_check_secs.",
        file.display()
    );
    Ok(())
}
