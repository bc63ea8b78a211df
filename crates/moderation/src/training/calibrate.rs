//! Platt scaling: fits `p = sigmoid(a * logit + b)` to held-out examples,
//! so a score reads as a probability.

/// `(logit, label, weight)` points in; `(a, b)` out. With too few examples
/// of either class the logits are used as they are.
pub fn platt(points: &[(f32, bool, f32)]) -> (f32, f32) {
    let positives: f64 = points.iter().filter(|p| p.1).map(|p| f64::from(p.2)).sum();
    let negatives: f64 = points.iter().filter(|p| !p.1).map(|p| f64::from(p.2)).sum();
    let count = |label: bool| points.iter().filter(|p| p.1 == label).count();
    if count(true) < 10 || count(false) < 10 {
        return (1.0, 0.0);
    }
    // Platt's targets keep a perfectly separated slice from driving a to infinity.
    let target_pos = (positives + 1.0) / (positives + 2.0);
    let target_neg = 1.0 / (negatives + 2.0);
    let loss = |a: f64, b: f64| -> f64 {
        points
            .iter()
            .map(|&(logit, label, weight)| {
                let z = a * f64::from(logit) + b;
                let t = if label { target_pos } else { target_neg };
                // log(1 + e^z) - t z, computed without overflow.
                let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
                f64::from(weight) * (softplus - t * z)
            })
            .sum()
    };
    // Start from the prior (every logit ignored), then take Newton steps,
    // halved until the loss falls.
    let (mut a, mut b) = (0.0f64, ((positives + 1.0) / (negatives + 1.0)).ln());
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for &(logit, label, weight) in points {
            let x = f64::from(logit);
            let w = f64::from(weight);
            let p = 1.0 / (1.0 + (-(a * x + b)).exp());
            let t = if label { target_pos } else { target_neg };
            let d = (p - t) * w;
            ga += d * x;
            gb += d;
            let h = p * (1.0 - p) * w;
            haa += h * x * x;
            hab += h * x;
            hbb += h;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let step_a = (hbb * ga - hab * gb) / det;
        let step_b = (haa * gb - hab * ga) / det;
        let mut fraction = 1.0;
        while fraction > 1e-6 {
            let next = loss(a - fraction * step_a, b - fraction * step_b);
            if next < current {
                break;
            }
            fraction /= 2.0;
        }
        if fraction <= 1e-6 {
            break;
        }
        a -= fraction * step_a;
        b -= fraction * step_b;
        let improved = current - loss(a, b);
        current = loss(a, b);
        if improved < 1e-12 {
            break;
        }
    }
    if a.is_finite() && b.is_finite() && a > 0.0 {
        (a as f32, b as f32)
    } else {
        (1.0, 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overconfident_logits_are_tempered() {
        // Logit 4 is right only 70% of the time: calibration pulls it in.
        let mut points = Vec::new();
        for i in 0..100 {
            points.push((4.0, i < 70, 1.0));
            points.push((-4.0, i < 30, 1.0));
        }
        let (a, b) = platt(&points);
        let p = 1.0 / (1.0 + (-(a * 4.0 + b)).exp());
        assert!((p - 0.7).abs() < 0.02, "p = {p}");
    }

    #[test]
    fn rare_positives_with_separable_logits_stay_sensible() {
        let mut points = Vec::new();
        for i in 0..20_000 {
            points.push((-6.0 + (i % 7) as f32 * 0.3, false, 1.0));
        }
        for i in 0..30 {
            points.push((1.0 + (i % 5) as f32, true, 0.1));
            points.push((-3.0, i < 10, 1.0));
        }
        let (a, b) = platt(&points);
        let p = |x: f32| 1.0 / (1.0 + (-(a * x + b)).exp());
        assert!(p(3.0) > 0.8 && p(-6.0) < 0.01 && (0.1..0.6).contains(&p(-3.0)), "a {a} b {b}");
    }

    #[test]
    fn too_few_labels_leave_logits_alone() {
        assert_eq!(platt(&[(1.0, true, 1.0), (-1.0, false, 1.0)]), (1.0, 0.0));
    }
}
