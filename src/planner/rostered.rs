//! Simulation in the loop on the roster itself (in the manner of Atlason,
//! Epelman & Henderson 2004/2008): the net requirement is rostered (MIP over
//! the shift family, breaks placed), the rosters are simulated as shifts —
//! placed breaks, shrinkage and shift-hour fatigue as they really are — on
//! fresh replications, and where an (interval, team) misses the requirement
//! there is raised above what the roster put on duty and the rosters are
//! solved again.
//!
//! Judging, per round: a real-time channel's (interval) cell *misses* when
//! its confidence interval lies wholly below a target (`check`); a deferred
//! channel (email, threshold ≥ the interval) is judged on its own terms,
//! over the horizon: the share of its human contacts answered within the
//! threshold, pooled per replication. A channel is also not met while its
//! pooled service level over the horizon is below target, whatever its
//! cells say; nor while a value tier with a target (`[targets.tier]`) is
//! short over the horizon: its channels' goals are tightened and their
//! cells not clear of them are raised (`tiers`). Termination: `met` when a
//! round finds nothing to raise and every channel and tier meets its target,
//! `infeasible` when only capped cells miss (or when the rounds run out
//! while some cell is held at its cap), `max_iterations` after
//! [`ROSTER_ROUNDS`] rounds otherwise.

use super::check::{self, Cell, Verdict};
use super::requirement::{Requirement, is_fluid};
use super::roster::{self, Roster, RosterError};
use super::search::{self, Termination};
use super::tiers;
use crate::engine::{self, EngineError, RunOptions};
use crate::metrics::ReplicationStats;
use crate::scenario::{Scenario, Staffing};

/// Most roster rounds (roster, simulate, raise).
pub const ROSTER_ROUNDS: u32 = 8;

/// The first fresh replication batch of roster round 0, in units of `R`
/// (after planning, check, confirmation and repair batches).
const FIRST_BATCH: u32 = 8;

/// Share by which a deferred channel's teams are raised in every staffed
/// interval when the channel misses its target over the horizon.
const DEFERRED_RAISE: f64 = 0.03;

/// What the loop ended with.
pub struct Outcome {
    /// Rosters per team, as last solved.
    pub rosters: Vec<Roster>,
    /// On-duty requirement per team and interval that the rosters cover.
    pub required: Vec<Vec<u32>>,
    /// Last round's fresh replications.
    pub fresh: Vec<ReplicationStats>,
    /// Last round's cells.
    pub achieved: Vec<Cell>,
    /// (interval, team) cells raised per round (the last round raised none
    /// when `met`).
    pub raised: Vec<usize>,
    /// Why the loop stopped.
    pub termination: Termination,
}

/// Why the loop failed.
#[derive(Debug)]
pub enum LoopError {
    /// The engine failed.
    Engine(EngineError),
    /// A roster could not be solved.
    Roster(RosterError),
}

/// A copy of `scenario` whose teams work `rosters` (placed breaks, real shifts).
pub fn with_rosters(scenario: &Scenario, rosters: &[Roster]) -> Scenario {
    let mut s = scenario.clone();
    for (team, roster) in s.teams.iter_mut().zip(rosters) {
        team.staffing = Staffing::Shifts(roster.shifts());
    }
    s
}

/// Runs the loop from the net requirement `required[team][interval]`.
pub fn run(
    scenario: &Scenario,
    mut required: Vec<Vec<u32>>,
    erlang: &mut Requirement,
    caps: &[u32],
    options: &RunOptions<'_>,
) -> Result<Outcome, LoopError> {
    let reps = scenario.simulation.replications;
    let n_channels = scenario.channels.len();
    let level = scenario.targets.confidence;
    let mut raised_per_round = Vec::new();
    let mut round = 0u32;
    loop {
        let rosters = (0..scenario.teams.len())
            .map(|t| roster::roster(scenario, t, &required[t]))
            .collect::<Result<Vec<_>, _>>()
            .map_err(LoopError::Roster)?;
        let batch =
            reps.saturating_mul(FIRST_BATCH + round)..reps.saturating_mul(FIRST_BATCH + round + 1);
        let fresh = engine::run_replications(&with_rosters(scenario, &rosters), batch, options)
            .map_err(LoopError::Engine)?;
        let fresh_refs: Vec<&ReplicationStats> = fresh.iter().collect();
        // Tiers short over the horizon tighten their channels' goals
        // (`tiers`) before the cells are judged, and hold the plan back from
        // `met` like a channel short over the horizon.
        let (tier_checks, _) = tiers::tighten(scenario, &fresh_refs, &mut erlang.goals);
        let tier_short = tiers::short_channels(scenario, &tier_checks);
        let achieved = check::cells_against(&erlang.goals, level, &fresh_refs);
        let erlang = &*erlang;
        let used = required.clone();
        let mut raised = 0usize;
        let mut capped = 0usize;
        // Channels below target over the horizon, whatever their cells say.
        let short_channels: Vec<usize> = (0..n_channels)
            .filter(|&c| {
                let (sl, _) = check::pooled(&fresh, &[c], level);
                sl.mean
                    .is_some_and(|m| m < scenario.targets.service_level[c] - 1e-12)
            })
            .collect();
        for (t, team) in scenario.teams.iter().enumerate() {
            let deferred_short = team.channels.iter().any(|&c| {
                is_fluid(scenario, c) && (short_channels.contains(&c) || tier_short.contains(&c))
            });
            for i in 0..required[t].len() {
                let cell = |c: usize| achieved[i * n_channels + c];
                let real_time = team.channels.iter().filter(|&&c| !is_fluid(scenario, c));
                let mut wants = false;
                for &c in real_time {
                    let v = cell(c).verdict;
                    // A channel short over the horizon raises every cell not
                    // clear of its target.
                    let pooled_short = (short_channels.contains(&c) || tier_short.contains(&c))
                        && v <= Verdict::Meets;
                    wants |= v == Verdict::Miss || pooled_short;
                }
                let on_duty = rosters[t].on_duty[i].ceil() as u32;
                let base = required[t][i].max(on_duty);
                let step = if wants {
                    search::raise_by(
                        &erlang.parts[t][i],
                        &cell,
                        erlang,
                        base,
                        erlang.agents[t][i],
                    )
                    .max(1)
                } else if deferred_short && required[t][i] > 0 {
                    ((f64::from(base) * DEFERRED_RAISE).ceil() as u32).max(1)
                } else {
                    continue;
                };
                if base >= caps[t] {
                    capped += 1;
                    continue;
                }
                // Above what the roster put on duty: raising a requirement the
                // roster already over-covers would change nothing.
                required[t][i] = base.saturating_add(step).min(caps[t]);
                raised += 1;
            }
        }
        raised_per_round.push(raised);
        round += 1;
        let all_met = short_channels.is_empty() && tier_short.is_empty();
        let termination = if raised == 0 && capped == 0 && all_met {
            Some(Termination::Met)
        } else if raised == 0 || (round >= ROSTER_ROUNDS && capped > 0) {
            // Out of rounds with cells held at their cap: the cap is what
            // cannot be met (its neighbours inherit its backlog), so say so.
            Some(Termination::Infeasible)
        } else if round >= ROSTER_ROUNDS {
            Some(Termination::MaxIterations)
        } else {
            None
        };
        if let Some(termination) = termination {
            return Ok(Outcome {
                rosters,
                required: used,
                fresh,
                achieved,
                raised: raised_per_round,
                termination,
            });
        }
    }
}
