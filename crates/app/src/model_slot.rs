//! The scorer model in use, replaceable while the site runs: a retrained
//! model file is picked up by every instance without a restart. Readers
//! take the `Arc` of the moment, so a comment is scored by one model whole.

use crate::TextScorer;
use std::sync::{Arc, RwLock};
use tribune_moderation::scorer::Model;

pub struct ModelSlot {
    model: RwLock<Arc<Model>>,
}

impl ModelSlot {
    pub fn new(model: Arc<Model>) -> Self {
        Self { model: RwLock::new(model) }
    }

    pub fn current(&self) -> Arc<Model> {
        self.model.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn replace(&self, model: Arc<Model>) {
        *self.model.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = model;
    }
}

impl TextScorer for ModelSlot {
    fn score(&self, text: &str) -> Vec<(String, f32)> {
        TextScorer::score(self.current().as_ref(), text)
    }

    fn spans(&self, text: &str, attribute: &str) -> Vec<(usize, usize, f32)> {
        TextScorer::spans(self.current().as_ref(), text, attribute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tribune_moderation::scorer::Attribute;
    use tribune_moderation::training::{train, Example, Labels, TrainOptions};

    #[test]
    fn a_replaced_model_scores_the_next_comment() {
        let slot = ModelSlot::new(Arc::new(Model::default_model().clone()));
        let before = TextScorer::score(&slot, "I had a pineapple for lunch");
        let mut examples = Vec::new();
        for n in 0..50 {
            let toxic = Labels::unknown().with(Attribute::Toxicity, true);
            let fine = Labels::unknown().with(Attribute::Toxicity, false);
            examples.push(Example::new(format!("pineapple pineapple {n}"), toxic, 1.0, "site"));
            examples.push(Example::new(format!("the weather is mild {n}"), fine, 1.0, "site"));
        }
        slot.replace(Arc::new(train(&examples, &TrainOptions::default())));
        let after = TextScorer::score(&slot, "I had a pineapple for lunch");
        let toxicity = |scores: &[(String, f32)]| scores.iter().find(|(a, _)| a == "TOXICITY").map(|(_, s)| *s);
        assert!(toxicity(&after) > toxicity(&before), "{before:?} then {after:?}");
    }
}
