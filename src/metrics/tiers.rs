//! Targets per customer value tier (`[targets.tier.<name>]`), judged.
//!
//! The engine keeps one total per tier over the measured period, not per
//! interval, so a tier is judged over the whole horizon: its human-queue
//! service level (answered by a person within the threshold of the channel
//! the contact came in on ÷ answered + abandoned there, all the tier's
//! channels pooled) and abandonment, one value per replication, mean and
//! confidence interval at `[targets].confidence`. The verdict uses the same
//! rule as the planner's per-interval checks ([`judge`]). `run` reports it;
//! the planner treats a tier whose mean falls short as a target not met
//! (docs/PLANNER.md, "Targets per value tier").

use super::replication::ReplicationStats;
use super::verdict::{Interval, Verdict, judge};
use crate::scenario::{Scenario, TierTarget};
use serde::Serialize;

/// One tier's targets and what it achieved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierCheck {
    /// Tier name.
    #[serde(skip)]
    pub name: String,
    /// Tier index (into `Scenario::tiers`).
    #[serde(skip)]
    pub tier: usize,
    /// Service-level target, if any.
    pub sl_target: Option<f64>,
    /// Abandonment cap, if any.
    pub max_abandon: Option<f64>,
    /// Confidence level of the intervals below.
    pub confidence: f64,
    /// Human-queue service level of the tier's contacts over the horizon.
    pub service_level: Interval,
    /// Human-queue abandonment of the tier's contacts over the horizon.
    pub abandon_rate: Interval,
    /// Against the tier's targets (the worse of the two).
    pub verdict: Verdict,
    /// The mean is on the wrong side of a target (`verdict` is `miss` or
    /// `short`): the tier's target is not met.
    pub missed: bool,
}

impl TierCheck {
    /// Judges one tier target on the tier totals of `reps`.
    pub fn of(scenario: &Scenario, target: &TierTarget, reps: &[&ReplicationStats]) -> TierCheck {
        let level = scenario.targets.confidence;
        let (mut sl, mut ab) = (Vec::new(), Vec::new());
        for r in reps {
            let Some(total) = r.tier.get(target.tier) else {
                continue;
            };
            if let (Some(s), Some(a)) = (total.human_service_level(), total.human_abandon_rate()) {
                sl.push(s);
                ab.push(a);
            }
        }
        let service_level = Interval::of(&sl, level);
        let abandon_rate = Interval::of(&ab, level);
        let mut verdict = Verdict::Clear;
        if let Some(t) = target.service_level {
            verdict = verdict.min(judge(&service_level, |x| x >= t - 1e-12, false));
        }
        if let Some(max) = target.max_abandon {
            verdict = verdict.min(judge(&abandon_rate, |x| x <= max + 1e-12, true));
        }
        TierCheck {
            name: scenario.tiers[target.tier].clone(),
            tier: target.tier,
            sl_target: target.service_level,
            max_abandon: target.max_abandon,
            confidence: level,
            service_level,
            abandon_rate,
            verdict,
            missed: verdict <= Verdict::Short,
        }
    }
}

/// Every tier target of the scenario, judged on `reps` (empty without
/// `[targets.tier]`).
pub fn tier_checks(scenario: &Scenario, reps: &[&ReplicationStats]) -> Vec<TierCheck> {
    scenario
        .targets
        .tiers
        .iter()
        .map(|t| TierCheck::of(scenario, t, reps))
        .collect()
}
