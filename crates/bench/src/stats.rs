//! Percentiles the way wrk reports them: nearest rank on sorted samples.

use std::time::Duration;

/// The `q`-quantile (0.0..=1.0) of sorted samples, by nearest rank.
pub fn percentile(sorted: &[Duration], q: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|v| Duration::from_millis(*v)).collect()
    }

    #[test]
    fn nearest_rank_percentiles_of_a_hundred_samples() {
        let samples = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&samples, 0.5), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&samples, 0.99), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&samples, 1.0), Some(Duration::from_millis(100)));
    }

    #[test]
    fn a_single_sample_is_every_percentile_and_none_is_none() {
        assert_eq!(percentile(&ms(&[7]), 0.01), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
