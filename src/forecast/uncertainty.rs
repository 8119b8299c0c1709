//! Day-level over-dispersion and prediction intervals.
//!
//! Call volumes are doubly stochastic (Avramidis, Deslauriers & L'Ecuyer
//! 2004): a day's count is Poisson given a random day multiplier `G` with mean
//! 1 and CV `c` — the `day_cv` cxsim's `[[demand.region]]` simulates. For a
//! day with expected total `Λ`, `Var(Y/Λ) = c² + 1/Λ`, so
//! `c² = mean((Y/Λ − 1)²) − mean(1/Λ)`: the squared relative error of the
//! day totals minus its Poisson part.

use super::context::Context;
use super::methods::weekday_factors;
use statrs::distribution::{ContinuousCDF, DiscreteCDF, NegativeBinomial, Poisson};

/// Days either side whose deseasonalised totals make a day's level.
const LEVEL_HALF_WIDTH: usize = 14;
/// Means above this use the normal approximation.
const NORMAL_ABOVE: f64 = 1e5;
/// Days of history the estimate uses.
const WINDOW_DAYS: usize = 365;

/// `sqrt(max(0, mean((y/ŷ − 1)²) − mean(1/ŷ)))` over (actual, expected) day
/// totals with `ŷ > 0`; 0 when there are none.
pub fn over_dispersion(days: &[(f64, f64)]) -> f64 {
    let used: Vec<(f64, f64)> = days.iter().copied().filter(|&(_, e)| e > 0.0).collect();
    if used.is_empty() {
        return 0.0;
    }
    let n = used.len() as f64;
    let rel = used
        .iter()
        .map(|&(y, e)| (y / e - 1.0).powi(2))
        .sum::<f64>()
        / n;
    let poisson = used.iter().map(|&(_, e)| 1.0 / e).sum::<f64>() / n;
    (rel - poisson).max(0.0).sqrt()
}

/// The `day_cv` of the training days of `ctx`: each usable day against its
/// weekday factor × the mean deseasonalised total of the usable days within
/// two weeks either side, itself left out (a centred level follows trend
/// without absorbing the day's own noise).
pub fn day_cv(ctx: &Context<'_>) -> f64 {
    let f = weekday_factors(ctx);
    let start = ctx.origin.saturating_sub(WINDOW_DAYS);
    let z: Vec<Option<f64>> = (0..ctx.origin)
        .map(|d| {
            let fw = f[ctx.weekday(d)];
            (d >= start && ctx.usable[d] && fw > 0.0).then(|| ctx.totals[d] / fw)
        })
        .collect();
    let mut pairs = Vec::new();
    for d in start..ctx.origin {
        let Some(_) = z[d] else { continue };
        let lo = d.saturating_sub(LEVEL_HALF_WIDTH);
        let hi = (d + LEVEL_HALF_WIDTH).min(ctx.origin - 1);
        let around: Vec<f64> = (lo..=hi).filter(|&e| e != d).filter_map(|e| z[e]).collect();
        if around.len() < 4 {
            continue;
        }
        let level = around.iter().sum::<f64>() / around.len() as f64;
        pairs.push((ctx.totals[d], level * f[ctx.weekday(d)]));
    }
    over_dispersion(&pairs)
}

/// The `q` quantile of a count with mean `mean` and variance
/// `mean + mean² cv²` (negative binomial: Poisson given a gamma multiplier).
pub fn quantile(mean: f64, cv: f64, q: f64) -> f64 {
    if mean <= 0.0 || !mean.is_finite() {
        return 0.0;
    }
    if mean > NORMAL_ABOVE {
        // Both distributions are close to normal here, and the exact
        // inverse would bisect over a huge range.
        let z = statrs::distribution::Normal::standard().inverse_cdf(q);
        return (mean + z * (mean + mean * mean * cv * cv).sqrt())
            .round()
            .max(0.0);
    }
    let k = if cv < 1e-6 {
        Poisson::new(mean).map(|p| p.inverse_cdf(q)).unwrap_or(0)
    } else {
        let r = 1.0 / (cv * cv);
        NegativeBinomial::new(r, r / (r + mean))
            .map(|nb| nb.inverse_cdf(q))
            .unwrap_or(0)
    };
    k as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_days_have_no_over_dispersion_and_quantiles_widen_with_cv() {
        // Exactly Poisson-sized deviations: c² = (1/Λ) − 1/Λ = 0.
        let lam: f64 = 400.0;
        let days = [(lam + lam.sqrt(), lam), (lam - lam.sqrt(), lam)];
        assert!(over_dispersion(&days) < 1e-6);
        let days = [(lam * 1.2, lam), (lam * 0.8, lam)];
        let c = over_dispersion(&days);
        assert!((c * c - (0.04 - 1.0 / lam)).abs() < 1e-12);
        assert_eq!(quantile(0.0, 0.2, 0.9), 0.0);
        let narrow = quantile(100.0, 0.0, 0.9) - quantile(100.0, 0.0, 0.1);
        let wide = quantile(100.0, 0.2, 0.9) - quantile(100.0, 0.2, 0.1);
        // Poisson: ±1.28 σ ≈ 25.6; with cv 0.2 σ ≈ sqrt(100 + 400) ≈ 22.4 → ≈ 57.
        assert!((22.0..=28.0).contains(&narrow), "{narrow}");
        assert!((50.0..=64.0).contains(&wide), "{wide}");
        // Huge means take the normal approximation: finite, ordered, ≈ μ ± 1.28 μ c.
        let (lo, hi) = (quantile(1e12, 0.1, 0.1), quantile(1e12, 0.1, 0.9));
        assert!(lo < 1e12 && hi > 1e12 && ((hi - lo) / 1e12 - 0.256).abs() < 0.001);
    }
}
