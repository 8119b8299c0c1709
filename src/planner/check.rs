//! Per-(interval, channel) KPIs of the human queue over a set of
//! replications, with confidence intervals at the targets' confidence level,
//! and the verdict against the targets. Humans are planned, so the targets
//! apply to the human queue: answered by a person within the threshold of
//! entering the human queue ÷ (answered by a person + abandoned there). With
//! no AI agent or IVR this is the channel's service level.

use super::load::human_finished;
use super::requirement::Goal;
pub use crate::metrics::{Interval, Verdict};
use crate::metrics::{ReplicationStats, judge};
use serde::Serialize;

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

/// Cells of every (interval, channel), interval-major, against per-channel
/// `goals` (the analytic requirement's, from `[targets]`, tightened by the
/// planner for tier targets: `tiers`), judged at confidence `level`.
pub fn cells_against(goals: &[Goal], level: f64, reps: &[&ReplicationStats]) -> Vec<Cell> {
    let Some(first) = reps.first() else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(first.intervals() * first.channels);
    let (mut sl, mut ab) = (
        Vec::with_capacity(reps.len()),
        Vec::with_capacity(reps.len()),
    );
    for i in 0..first.intervals() {
        for (c, goal) in goals.iter().enumerate().take(first.channels) {
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
            let sl_target = goal.service_level;
            let mut verdict = judge(&service_level, |x| x >= sl_target - 1e-12, false);
            let mut unmet = service_level
                .mean
                .map_or(0.0, |m| ((sl_target - m) * offered).max(0.0));
            if let Some(max) = goal.max_abandon {
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
