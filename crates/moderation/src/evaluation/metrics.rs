//! The measures the quality report uses.

/// Area under the ROC curve of `(score, label)` pairs (ties count half),
/// or `None` without both classes.
pub fn roc_auc(points: &[(f32, bool)]) -> Option<f64> {
    let positives = points.iter().filter(|p| p.1).count();
    let negatives = points.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut sorted: Vec<(f32, bool)> = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Sum of the positives' ranks, ties sharing their average rank.
    let mut rank_sum = 0f64;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let average_rank = (i + j + 1) as f64 / 2.0;
        rank_sum += average_rank * sorted[i..j].iter().filter(|p| p.1).count() as f64;
        i = j;
    }
    let positives = positives as f64;
    Some((rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives as f64))
}

/// Share of `scores` at or above `threshold`.
pub fn share_at_least(scores: &[f32], threshold: f32) -> f64 {
    if scores.is_empty() {
        return 0.0;
    }
    scores.iter().filter(|s| **s >= threshold).count() as f64 / scores.len() as f64
}

/// Average precision (area under the precision-recall curve).
pub fn average_precision(points: &[(f32, bool)]) -> Option<f64> {
    let positives = points.iter().filter(|p| p.1).count();
    if positives == 0 {
        return None;
    }
    let mut sorted: Vec<(f32, bool)> = points.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut hits, mut sum) = (0usize, 0f64);
    for (i, (_, label)) in sorted.iter().enumerate() {
        if *label {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    Some(sum / positives as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_perfect_random_and_reversed_rankings() {
        assert_eq!(roc_auc(&[(0.1, false), (0.9, true)]), Some(1.0));
        assert_eq!(roc_auc(&[(0.9, false), (0.1, true)]), Some(0.0));
        assert_eq!(roc_auc(&[(0.5, false), (0.5, true)]), Some(0.5));
        assert_eq!(roc_auc(&[(0.5, true)]), None);
        let mixed = [(0.1, false), (0.4, true), (0.5, false), (0.8, true)];
        assert_eq!(roc_auc(&mixed), Some(0.75));
    }

    #[test]
    fn shares_and_precision() {
        assert_eq!(share_at_least(&[0.1, 0.5, 0.9, 0.2], 0.5), 0.5);
        assert_eq!(average_precision(&[(0.9, true), (0.8, false), (0.7, true)]), Some((1.0 + 2.0 / 3.0) / 2.0));
    }
}
