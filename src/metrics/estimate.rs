//! Means and 95% confidence intervals over replications.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A KPI estimated over independent replications: the mean and the half-width
/// of its two-sided 95% Student-t confidence interval.
///
/// `mean` is `None` when no replication defined the KPI (e.g. service level
/// with no contacts); `ci95` is `None` with fewer than two defined values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: Option<f64>,
    /// Half-width of the 95% confidence interval.
    pub ci95: Option<f64>,
}

impl Estimate {
    /// Estimates from per-replication values, skipping undefined ones.
    pub fn from_samples(values: impl IntoIterator<Item = Option<f64>>) -> Estimate {
        let xs: Vec<f64> = values.into_iter().flatten().collect();
        let (mean, half) = mean_ci(&xs, 0.95);
        Estimate { mean, ci95: half }
    }

    /// The same estimate at another confidence level, from the same values.
    pub fn half_width(values: &[f64], level: f64) -> Option<f64> {
        mean_ci(values, level).1
    }
}

/// Mean and confidence half-width at `level` (two-sided, Student t with n−1 df).
pub fn mean_ci(xs: &[f64], level: f64) -> (Option<f64>, Option<f64>) {
    let n = xs.len();
    if n == 0 {
        return (None, None);
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (Some(mean), None);
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    (
        Some(mean),
        Some(t_quantile(n - 1, level) * (var / n as f64).sqrt()),
    )
}

/// Two-sided Student-t critical value for `df` degrees of freedom.
pub fn t_quantile(df: usize, level: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.5 + level / 2.0))
        .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Standard t-table values (two-sided 95%): df 1 → 12.706, df 7 → 2.365, df 30 → 2.042.
        assert!((t_quantile(1, 0.95) - 12.706).abs() < 1e-3);
        assert!((t_quantile(7, 0.95) - 2.365).abs() < 1e-3);
        assert!((t_quantile(30, 0.95) - 2.042).abs() < 1e-3);
    }

    #[test]
    fn estimate_of_known_samples() {
        let e = Estimate::from_samples([Some(1.0), Some(2.0), Some(3.0), None]);
        assert_eq!(e.mean, Some(2.0));
        // sd = 1, n = 3, t(2) = 4.303
        assert!((e.ci95.unwrap() - 4.303 / 3f64.sqrt()).abs() < 1e-3);
        assert_eq!(Estimate::from_samples([None]).mean, None);
        assert_eq!(Estimate::from_samples([Some(5.0)]).ci95, None);
    }
}
