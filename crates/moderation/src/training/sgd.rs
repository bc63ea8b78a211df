//! Logistic regression by AdaGrad over shuffled examples, all attributes at
//! once (an example trains only the attributes it has labels for).

use super::{Example, TrainOptions};
use crate::scorer::features::{Features, IdentityWords};
use crate::scorer::phrases::Pooling;
use crate::scorer::{Attribute, AttributeParams, Model, SLOTS};

pub struct FloatWeights {
    weights: Vec<f32>,
    bias: [f32; Attribute::COUNT],
}

/// SplitMix64's finaliser: a fixed, portable scrambler for seeds and picks.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn shuffle(order: &mut [u32], seed: u64) {
    let mut state = seed;
    for i in (1..order.len()).rev() {
        state = mix(state);
        let j = (state % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

pub fn fit(examples: &[&Example], features: &[Features], options: &TrainOptions) -> FloatWeights {
    let slots = (1usize << options.hash_bits) * SLOTS;
    let mut weights = vec![0f32; slots];
    let mut squared = vec![0f32; slots];
    let mut bias = [0f32; Attribute::COUNT];
    let mut bias_squared = [0f32; Attribute::COUNT];
    // Weights are rescaled to average 1, so the step size means the same
    // whatever scale the caller weighs examples on.
    let total: f64 = examples.iter().map(|e| f64::from(e.weight)).sum();
    let scale = if total > 0.0 { examples.len() as f64 / total } else { 1.0 };
    let mut order: Vec<u32> = (0..examples.len() as u32).collect();
    let lr = options.learning_rate;
    for epoch in 0..options.epochs {
        shuffle(&mut order, mix(options.seed.wrapping_add(u64::from(epoch))));
        for &i in &order {
            let example = examples[i as usize];
            let f = &features[i as usize];
            let weight = (f64::from(example.weight) * scale) as f32;
            let mut logits = bias;
            for (buckets, value) in f.groups() {
                for bucket in buckets {
                    let row = &weights[*bucket as usize * SLOTS..][..SLOTS];
                    for (a, logit) in logits.iter_mut().enumerate() {
                        *logit += value * row[a];
                    }
                }
            }
            let mut gradient = [0f32; SLOTS];
            let mut any = false;
            for attribute in Attribute::ALL {
                let a = attribute.index();
                if let Some(label) = example.labels.get(attribute) {
                    let p = crate::scorer::sigmoid(logits[a]);
                    gradient[a] = (p - if label { 1.0 } else { 0.0 }) * weight;
                    any = true;
                    bias_squared[a] += gradient[a] * gradient[a];
                    bias[a] -= lr * gradient[a] / (bias_squared[a].sqrt() + 1e-6);
                }
            }
            if !any {
                continue;
            }
            for (buckets, value) in f.groups() {
                for bucket in buckets {
                    let at = *bucket as usize * SLOTS;
                    for a in 0..Attribute::COUNT {
                        if gradient[a] == 0.0 {
                            continue;
                        }
                        let w = &mut weights[at + a];
                        let g = gradient[a] * value + options.l2 * *w;
                        squared[at + a] += g * g;
                        *w -= lr * g / (squared[at + a].sqrt() + 1e-6);
                    }
                }
            }
        }
    }
    FloatWeights { weights, bias }
}

impl FloatWeights {
    /// Eight-bit weights, one scale per attribute. The largest weights are
    /// clipped at a high quantile so the many small ones keep their steps.
    pub fn quantize(
        &self,
        hash_bits: u32,
        identity_words: IdentityWords,
        pooling: Pooling,
        description: String,
    ) -> Model {
        let mut params = [AttributeParams { scale: 1.0, bias: 0.0, platt_a: 1.0, platt_b: 0.0 }; Attribute::COUNT];
        let mut quantized = vec![0i8; self.weights.len()];
        for a in 0..Attribute::COUNT {
            let mut magnitudes: Vec<f32> =
                self.weights.iter().skip(a).step_by(SLOTS).map(|w| w.abs()).filter(|w| *w > 0.0).collect();
            magnitudes.sort_by(f32::total_cmp);
            let limit = match magnitudes.len() {
                0 => 1.0,
                n => magnitudes[(n - 1).min(n * 9995 / 10_000)].max(1e-6),
            };
            let scale = limit / 127.0;
            for (bucket, q) in quantized.chunks_mut(SLOTS).enumerate() {
                let w = self.weights[bucket * SLOTS + a];
                q[a] = (w / scale).round().clamp(-127.0, 127.0) as i8;
            }
            params[a] = AttributeParams { scale, bias: self.bias[a], platt_a: 1.0, platt_b: 0.0 };
        }
        Model { hash_bits, identity_words, pooling, weights: quantized, params, description }
    }
}
