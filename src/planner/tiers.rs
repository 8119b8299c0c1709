//! Targets per value tier in the planner (`[targets.tier.<name>]`).
//!
//! The engine keeps tier figures as totals over the horizon, not per
//! interval (`metrics::tiers`), so a tier cannot be judged interval by
//! interval. The rule:
//!
//! - a tier is **judged over the horizon** on the replications just
//!   simulated: its human-queue service level and abandonment, all its
//!   channels pooled; it is **short** when the mean is on the wrong side of
//!   a target (as a channel short over the horizon is in `rostered`), so a
//!   plan is never `met` with a tier's mean below its target;
//! - a short tier **tightens the per-interval goals** of the channels its
//!   contacts use (the channels of the demand streams whose value mix gives
//!   it a positive share): each such channel's service-level goal becomes at
//!   least the tier's target, and its abandonment cap at most the tier's cap.
//!   When the tier lags its channels (routing serves it worse than their
//!   average: the channels' pooled service level over the horizon exceeds
//!   the tier's by `d`), the goal becomes `target + d` instead, and for
//!   abandonment `cap − d'`. The cells of those
//!   channels are then judged against the tightened goals, so the ordinary
//!   raise step adds agents exactly in the intervals where the channel is
//!   below the tier's target, sized by the same analytic curve;
//! - goals only ever tighten during one plan (never relax), so the search
//!   cannot oscillate between meeting the tier and lowering staff again.
//!
//! This over-staffs somewhat when the tier is served better than its channel
//! (priority routing): the whole channel is brought to the tier's target.
//! It is the safe side for a service promise, and without per-interval tier
//! cells nothing finer is measurable. Without tier targets nothing here
//! changes any goal, so plans are identical to plans without this module.

use super::requirement::Goal;
use crate::metrics::{ContactStats, ReplicationStats, TierCheck, tier_checks};
use crate::scenario::Scenario;

/// Tightest goal a tier can push a channel to: a service-level goal of 1
/// or an abandonment cap of 0 would ask every contact to be answered in time.
const TIGHTEST: f64 = 1e-3;

/// Channels whose contacts can carry value tier `tier`.
pub fn channels_of(scenario: &Scenario, tier: usize) -> Vec<usize> {
    let mut out: Vec<usize> = scenario
        .sources
        .iter()
        .filter(|s| {
            s.tier_mix
                .categories
                .iter()
                .zip(&s.tier_mix.shares)
                .any(|(&t, &share)| t == tier && share > 0.0)
        })
        .map(|s| s.channel)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Judges every tier target on `reps` and tightens `goals` (per channel)
/// for each tier that falls short; returns the checks and whether any goal
/// changed.
pub fn tighten(
    scenario: &Scenario,
    reps: &[&ReplicationStats],
    goals: &mut [Goal],
) -> (Vec<TierCheck>, bool) {
    let checks = tier_checks(scenario, reps);
    let before = goals.to_vec();
    for check in checks.iter().filter(|c| c.missed) {
        let channels = channels_of(scenario, check.tier);
        // The tier's channels pooled over the horizon, as the tier is.
        let (pooled_sl, pooled_ab) = pooled(reps, &channels);
        if let (Some(target), Some(got)) = (check.sl_target, check.service_level.mean)
            && got < target
        {
            let lag = pooled_sl.map_or(0.0, |p| (p - got).max(0.0));
            let goal = (target + lag).min(1.0 - TIGHTEST);
            for &c in &channels {
                goals[c].service_level = goals[c].service_level.max(goal);
            }
        }
        if let (Some(cap), Some(got)) = (check.max_abandon, check.abandon_rate.mean)
            && got > cap
        {
            let lag = pooled_ab.map_or(0.0, |p| (got - p).max(0.0));
            let goal = (cap - lag).max(TIGHTEST);
            for &c in &channels {
                goals[c].max_abandon = Some(goals[c].max_abandon.map_or(goal, |a| a.min(goal)));
            }
        }
    }
    let changed = goals != before.as_slice();
    (checks, changed)
}

/// Mean over replications of the human-queue service level and abandonment
/// of `channels` pooled over the horizon.
fn pooled(reps: &[&ReplicationStats], channels: &[usize]) -> (Option<f64>, Option<f64>) {
    let (mut sl, mut ab, mut n) = (0.0, 0.0, 0usize);
    for r in reps {
        let mut total = ContactStats::default();
        for &c in channels {
            total.add(&r.channel_total(c));
        }
        if let (Some(s), Some(a)) = (total.human_service_level(), total.human_abandon_rate()) {
            sl += s;
            ab += a;
            n += 1;
        }
    }
    if n == 0 {
        (None, None)
    } else {
        (Some(sl / n as f64), Some(ab / n as f64))
    }
}

/// Channels of the tiers that fall short in `checks`.
pub fn short_channels(scenario: &Scenario, checks: &[TierCheck]) -> Vec<usize> {
    let mut out: Vec<usize> = checks
        .iter()
        .filter(|c| c.missed)
        .flat_map(|c| channels_of(scenario, c.tier))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gold arrives on voice only; chat carries standard contacts only.
    const TWO: &str = r#"
name = "two"
[simulation]
horizon = "1d"
replications = 2
[[demand.stream]]
channel = "voice"
rate_per_hour = 100
value_mix = { gold = 0.5, standard = 0.5 }
[[demand.stream]]
channel = "chat"
rate_per_hour = 100
[channel.voice]
service_level = { within = "20s", target = 0.8 }
[channel.chat]
service_level = { within = "60s", target = 0.8 }
[[team]]
name = "all"
agents = 10
channels = ["voice", "chat"]
handle_time = { dist = "exponential", mean = "3m" }
[targets.tier.gold]
service_level = 0.8
max_abandon = 0.05
"#;

    /// A human-queue cell: `answered` of 100 finished contacts, `within` of
    /// them in time, the rest abandoned.
    fn cell(within: u64, answered: u64) -> ContactStats {
        ContactStats {
            human_within: within,
            human_answered: answered,
            human_abandoned: 100 - answered,
            ..ContactStats::default()
        }
    }

    /// Replications where gold reaches `gold` in time and the voice channel
    /// as a whole `voice` (both of 100, all answered but `abandoned`).
    fn reps(
        scenario: &Scenario,
        gold: [u64; 2],
        voice: [u64; 2],
        abandoned: u64,
    ) -> Vec<ReplicationStats> {
        gold.iter()
            .zip(voice)
            .map(|(&g, v)| {
                let mut r = ReplicationStats::new(1, 2, 1, 1, 1);
                r.tier = vec![ContactStats::default(); scenario.tiers.len()];
                let gold_tier = scenario.tiers.iter().position(|t| t == "gold").unwrap();
                r.tier[gold_tier] = cell(g, 100 - abandoned);
                let voice = scenario.channels.iter().position(|c| c.name == "voice");
                r.totals.contact = vec![cell(90, 100); 2];
                r.totals.contact[voice.unwrap()] = cell(v, 100);
                r
            })
            .collect()
    }

    fn goals(scenario: &Scenario) -> Vec<Goal> {
        scenario
            .targets
            .service_level
            .iter()
            .map(|&service_level| Goal {
                service_level,
                max_abandon: None,
            })
            .collect()
    }

    #[test]
    fn a_short_tier_tightens_only_its_channels_by_its_lag() {
        let s = Scenario::from_toml_str(TWO, "two.toml").unwrap();
        let voice = s.channels.iter().position(|c| c.name == "voice").unwrap();
        let chat = 1 - voice;
        let gold = s.tiers.iter().position(|t| t == "gold").unwrap();
        assert_eq!(channels_of(&s, gold), vec![voice]);
        // Gold at 0.75 while voice as a whole reaches 0.85: the tier lags
        // its channel by 0.10, so voice must reach 0.8 + 0.10.
        let stats = reps(&s, [74, 76], [84, 86], 10);
        let refs: Vec<&ReplicationStats> = stats.iter().collect();
        let mut g = goals(&s);
        let (checks, changed) = tighten(&s, &refs, &mut g);
        assert!(changed && checks[0].missed, "{checks:?}");
        assert!((g[voice].service_level - 0.90).abs() < 1e-9, "{g:?}");
        // Abandonment 10% against a 5% cap, the channel at 0%: cap − 0.10,
        // floored at the tightest goal.
        assert!((g[voice].max_abandon.unwrap() - TIGHTEST).abs() < 1e-12);
        assert_eq!(g[chat], goals(&s)[chat], "chat carries no gold");
        // Goals never relax: a tier now met leaves them as they are.
        let met = reps(&s, [90, 92], [90, 92], 0);
        let refs: Vec<&ReplicationStats> = met.iter().collect();
        let before = g.clone();
        let (checks, changed) = tighten(&s, &refs, &mut g);
        assert!(!changed && !checks[0].missed);
        assert_eq!(g, before);
        assert_eq!(short_channels(&s, &checks), Vec::<usize>::new());
    }
}
