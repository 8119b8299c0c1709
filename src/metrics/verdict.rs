//! Verdicts against a target with a confidence interval: the one rule the
//! planner's per-interval checks, its tier checks and `run`'s tier report
//! share, so that "met" means the same thing in every output.

use super::estimate::mean_ci;
use serde::{Deserialize, Serialize};

/// A mean over replications and its two-sided confidence half-width.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Interval {
    /// Mean over the replications that define the value (`None`: none does).
    pub mean: Option<f64>,
    /// Half-width at the targets' confidence (`None`: fewer than two values).
    pub half: Option<f64>,
}

impl Interval {
    /// Mean and half-width at confidence `level` of per-replication values.
    pub fn of(values: &[f64], level: f64) -> Interval {
        let (mean, half) = mean_ci(values, level);
        Interval { mean, half }
    }

    /// Lower and upper confidence bounds (the mean when there is no half-width).
    pub fn bounds(&self) -> Option<(f64, f64)> {
        let m = self.mean?;
        let h = self.half.unwrap_or(0.0);
        Some((m - h, m + h))
    }
}

/// How a cell compares with its targets, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The confidence interval lies wholly on the wrong side of a target.
    Miss,
    /// Not significantly wrong, but the mean is on the wrong side.
    Short,
    /// The mean meets every target, the interval straddles one.
    Meets,
    /// The whole confidence interval meets every target (or no contacts).
    Clear,
}

/// Verdict of one KPI: `good(x)` says whether a value meets the target.
pub fn judge(kpi: &Interval, good: impl Fn(f64) -> bool, lower_is_better: bool) -> Verdict {
    let (Some(mean), Some((lo, hi))) = (kpi.mean, kpi.bounds()) else {
        return Verdict::Clear;
    };
    let (best, worst) = if lower_is_better { (lo, hi) } else { (hi, lo) };
    if !good(best) {
        Verdict::Miss
    } else if !good(mean) {
        Verdict::Short
    } else if !good(worst) {
        Verdict::Meets
    } else {
        Verdict::Clear
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_order_by_the_confidence_interval() {
        let at = |mean: f64, half: f64| Interval {
            mean: Some(mean),
            half: Some(half),
        };
        let sl = |i: Interval| judge(&i, |x| x >= 0.8, false);
        assert_eq!(sl(at(0.70, 0.05)), Verdict::Miss);
        assert_eq!(sl(at(0.78, 0.05)), Verdict::Short);
        assert_eq!(sl(at(0.82, 0.05)), Verdict::Meets);
        assert_eq!(sl(at(0.90, 0.05)), Verdict::Clear);
        let ab = |i: Interval| judge(&i, |x| x <= 0.05, true);
        assert_eq!(ab(at(0.10, 0.02)), Verdict::Miss);
        assert_eq!(ab(at(0.06, 0.02)), Verdict::Short);
        assert_eq!(ab(at(0.04, 0.02)), Verdict::Meets);
        assert_eq!(ab(at(0.01, 0.005)), Verdict::Clear);
        assert_eq!(sl(Interval::default()), Verdict::Clear);
    }
}
