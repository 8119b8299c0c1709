//! Per-(interval, channel) KPIs of the human queue over a set of
//! replications, with confidence intervals at the targets' confidence level,
//! and the verdict against the targets. Humans are planned, so the targets
//! apply to the human queue: answered by a person within the threshold of
//! entering the human queue ÷ (answered by a person + abandoned there). With
//! no AI agent or IVR this is the channel's service level.

use super::load::human_finished;
use crate::metrics::{ReplicationStats, mean_ci};
use crate::scenario::Scenario;
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
    fn of(values: &[f64], level: f64) -> Interval {
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

/// One (interval, channel) cell of a set of replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cell {
    /// Human-offered contacts (answered by a person + abandoned in the human
    /// queue) per replication.
    pub offered: f64,
    /// Service level: answered within the threshold ÷ (answered + abandoned).
    pub service_level: Interval,
    /// Abandoned ÷ (answered + abandoned).
    pub abandon_rate: Interval,
    /// Against the channel's targets.
    pub verdict: Verdict,
    /// Contacts per replication by which the cell falls short of its targets
    /// (0 when the means meet them).
    pub unmet: f64,
}

/// Verdict of one KPI: `good(x)` says whether a value meets the target.
fn judge(kpi: &Interval, good: impl Fn(f64) -> bool, lower_is_better: bool) -> Verdict {
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

/// Cells of every (interval, channel), interval-major.
pub fn cells(scenario: &Scenario, reps: &[&ReplicationStats]) -> Vec<Cell> {
    let targets = &scenario.targets;
    let level = targets.confidence;
    let Some(first) = reps.first() else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(first.intervals() * first.channels);
    let (mut sl, mut ab) = (
        Vec::with_capacity(reps.len()),
        Vec::with_capacity(reps.len()),
    );
    for i in 0..first.intervals() {
        for c in 0..first.channels {
            sl.clear();
            ab.clear();
            let mut offered = 0.0;
            for r in reps {
                let cell = r.interval_channel(i, c);
                offered += human_finished(&cell) as f64;
                if let (Some(s), Some(a)) = (cell.human_service_level(), cell.human_abandon_rate())
                {
                    sl.push(s);
                    ab.push(a);
                }
            }
            offered /= reps.len() as f64;
            let service_level = Interval::of(&sl, level);
            let abandon_rate = Interval::of(&ab, level);
            let sl_target = targets.service_level[c];
            let mut verdict = judge(&service_level, |x| x >= sl_target - 1e-12, false);
            let mut unmet = service_level
                .mean
                .map_or(0.0, |m| ((sl_target - m) * offered).max(0.0));
            if let Some(max) = targets.max_abandon {
                verdict = verdict.min(judge(&abandon_rate, |x| x <= max + 1e-12, true));
                unmet = unmet.max(
                    abandon_rate
                        .mean
                        .map_or(0.0, |m| ((m - max) * offered).max(0.0)),
                );
            }
            out.push(Cell {
                offered,
                service_level,
                abandon_rate,
                verdict,
                unmet,
            });
        }
    }
    out
}

/// Pooled KPIs over the whole horizon (all intervals; the given channels),
/// one value per replication: (service level, abandonment).
pub fn pooled(reps: &[ReplicationStats], channels: &[usize], level: f64) -> (Interval, Interval) {
    let (mut sl, mut ab) = (Vec::new(), Vec::new());
    for r in reps {
        let mut total = crate::metrics::ContactStats::default();
        for &c in channels {
            total.add(&r.channel_total(c));
        }
        if let (Some(s), Some(a)) = (total.human_service_level(), total.human_abandon_rate()) {
            sl.push(s);
            ab.push(a);
        }
    }
    (Interval::of(&sl, level), Interval::of(&ab, level))
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
