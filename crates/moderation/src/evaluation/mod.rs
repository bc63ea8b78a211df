//! The quality report: each experiment trains on some public sets and
//! measures on others it never saw, so that no figure comes from rows the
//! model trained on (eval-only sets are never trained on; a set under test
//! is left out of training, and any training text equal to a test text is
//! dropped). Pure: it takes loaded sets and returns Markdown.

pub mod metrics;
mod sections;

use crate::datasets::PublicSets;
use crate::scorer::Model;
use crate::training::recipe::{public_examples, text_key, Recipe};
use crate::training::{train, TrainOptions};
use std::collections::BTreeSet;

/// The score at or above which the shipped configuration calls a comment
/// what the attribute names (the bias test's and HateCheck's threshold).
pub const SHIPPED_THRESHOLD: f32 = 0.5;

/// Runs every experiment; `shipped` is the model the bias, HateCheck and
/// out-of-domain figures are for. `log` hears progress.
pub fn report(sets: &PublicSets, options: &TrainOptions, shipped: &Model, log: &mut dyn FnMut(&str)) -> String {
    let lab = Lab { sets, options, eval_only: eval_only_texts(sets) };
    let mut out = String::new();
    out.push_str(&sections::wikipedia_context(&lab, log));
    let cross = sections::cross_domain(&lab, log);
    out.push_str(&cross.markdown);
    out.push_str(&sections::news_split(&lab, log));
    out.push_str(&sections::learning(&lab, &cross, log));
    out.push_str(&sections::bias(&lab, shipped, log));
    out.push_str(&sections::hatecheck(sets, shipped));
    out.push_str(&sections::attributes(sets, shipped));
    out
}

/// What experiments share: the sets, the training options, and the texts
/// of evaluation-only sets that no experiment may train on.
pub(crate) struct Lab<'a> {
    pub sets: &'a PublicSets,
    pub options: &'a TrainOptions,
    pub eval_only: BTreeSet<String>,
}

impl Lab<'_> {
    /// Trains with `recipe` (plus the eval-only exclusions) and extra examples.
    pub fn train(&self, mut recipe: Recipe, extra: Vec<crate::training::Example>, log: &mut dyn FnMut(&str)) -> Model {
        recipe.never.extend(self.eval_only.iter().cloned());
        let mut examples = public_examples(self.sets, &recipe);
        examples.extend(extra);
        let left_out: Vec<&str> = recipe.without.iter().map(|s| s.name()).collect();
        log(&format!("training on {} examples (without: {})", examples.len(), left_out.join(", ")));
        train(&examples, self.options)
    }
}

/// Texts of the sets that are for evaluation only.
pub fn eval_only_texts(sets: &PublicSets) -> BTreeSet<String> {
    let jigsaw = sets.jigsaw_sample.iter().map(|r| r.text.as_str());
    let hatecheck = sets.hatecheck.iter().map(|r| r.text.as_str());
    let ethos = sets.ethos.iter().map(|r| r.text.as_str());
    let hatexplain = sets.hatexplain.iter().map(|r| r.text.as_str());
    jigsaw.chain(hatecheck).chain(ethos).chain(hatexplain).map(text_key).collect()
}

/// The recipe of the shipped model: every training set, nothing that an
/// evaluation-only set contains.
pub fn shipped_examples(sets: &PublicSets) -> Vec<crate::training::Example> {
    public_examples(sets, &Recipe { never: eval_only_texts(sets), ..Recipe::default() })
}
