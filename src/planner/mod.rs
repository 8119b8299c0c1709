//! Capacity planner: the fewest agents on duty per (interval, team) that meet
//! `[targets]`, then rosters that cover them at least paid cost.
//!
//! Pipeline (docs/PLANNER.md):
//! 1. **Measure** the load humans see: simulate the scenario as given and
//!    take, per (interval, channel), the contacts that reached a human queue
//!    (`answered + abandoned`) and their work per contact (`load`); then
//!    measure again at the resulting analytic staffing (handle times and the
//!    human share can depend on staffing: fatigue, redials).
//! 2. **Analytic start**: Erlang C or A on each interval's modified offered
//!    load, channel by channel, summed per team, twice: plainly, and with the
//!    expectation over the day-level demand multiplier (`requirement`).
//! 3. **Refine by simulation**: set every team to `agents_per_interval`,
//!    simulate the scenario *without* day-level over-dispersion (which step 2
//!    handles exactly; a few replications' day multipliers would otherwise
//!    steer every interval of a day), and move each interval only where the
//!    simulation's confidence interval says the plain figure is wrong; a
//!    bounded state machine with an explicit [`Termination`] (`search`).
//!    The plan is the refined figure plus the analytic over-dispersion
//!    add-on (`analytic − erlang`).
//! 4. **Check on fresh seeds**: simulate the final staffing, with every
//!    source of randomness, on replications the search never saw; where an
//!    interval misses (its confidence interval wholly on the wrong side),
//!    raise it and check again on new replications, at most
//!    [`REPAIR_ROUNDS`] times; report the last check's service level and
//!    abandonment with confidence intervals.
//! 5. **Roster** each team's requirement onto its shift family with an
//!    integer programme solved by HiGHS ([`roster`]), breaks placed inside
//!    their windows, then **simulate the rosters themselves** on fresh
//!    seeds and raise the requirement where they miss, until they meet
//!    every target ([`rostered`]); [`planned`] writes them as a runnable
//!    scenario.
//!
//! Everything is deterministic: replications `0..R` measure and refine
//! (common random numbers across iterations), `R..2R` check, `2R..3R`
//! confirm (an interval leaves its analytic figure only if the evidence holds
//! on the planning and confirmation replications pooled), and repair round
//! `k` checks on `(2+k)R..(3+k)R`, roster round `k` on `(8+k)R..(9+k)R`.

mod check;
mod columns;
pub mod coverage;
pub mod hiring;
mod load;
pub mod output;
pub mod planned;
mod requirement;
pub mod roster;
pub mod rostered;
mod rounding;
mod search;
pub mod sweep;
mod tiers;

pub use check::{Cell, Interval, Verdict};
pub use load::{HumanLoad, modified_offered_load};
pub use requirement::{Part, Requirement, is_fluid, split_weights};
pub use roster::{Roster, RosterError, Template};
pub use search::{StepCounts, Termination};

use crate::engine::{self, EngineError, RunOptions};
use crate::metrics::{ReplicationStats, Retention, TierCheck};
use crate::scenario::{Scenario, Staffing, limits};
use chrono::Datelike;
use serde::Serialize;

/// Iterations of the refinement unless told otherwise.
pub const DEFAULT_MAX_ITERATIONS: u32 = 12;

/// Most repair rounds after the fresh-seed check (each on new replications).
pub const REPAIR_ROUNDS: u32 = 3;

/// How to plan.
pub struct PlanOptions<'a> {
    /// Worker threads; `None` uses every core. Results do not depend on it.
    pub threads: Option<usize>,
    /// Most refinement iterations (simulations of the whole horizon); 0
    /// keeps the analytic staffing.
    pub max_iterations: u32,
    /// Called after each iteration (an observer, for progress); cold path.
    pub observer: Option<&'a (dyn Fn(&IterationReport) + Sync)>,
}

impl Default for PlanOptions<'_> {
    fn default() -> Self {
        PlanOptions {
            threads: None,
            max_iterations: DEFAULT_MAX_ITERATIONS,
            observer: None,
        }
    }
}

/// What one refinement iteration saw and did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IterationReport {
    /// 1-based iteration number.
    pub iteration: u32,
    /// Agent-hours on duty over the horizon of the staffing simulated.
    pub agent_hours: f64,
    /// Verdict counts and the changes made.
    pub counts: StepCounts,
}

/// Why planning failed (infeasible targets are not an error: see [`Status`]).
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The engine could not run.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// Contacts reached humans but none was answered, so the work per
    /// contact is unknown.
    #[error(
        "channel {channel:?}: contacts reached the human queue but none was answered when simulating the scenario as given, so handle times cannot be measured; give the teams serving it some agents"
    )]
    NoHandleTime {
        /// Channel name.
        channel: String,
    },
    /// The roster could not be solved.
    #[error(transparent)]
    Roster(#[from] RosterError),
}

impl From<rostered::LoopError> for PlanError {
    fn from(e: rostered::LoopError) -> Self {
        match e {
            rostered::LoopError::Engine(e) => PlanError::Engine(e),
            rostered::LoopError::Roster(e) => PlanError::Roster(e),
        }
    }
}

/// Outcome of one (interval, team).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Targets met within the stated confidence on fresh seeds.
    Met,
    /// Below a target on fresh seeds (outside the confidence interval) with
    /// room under the cap: the search stopped early or its seeds were lucky.
    Missed,
    /// Below a target at the team's `max_agents`.
    Infeasible,
}

impl Status {
    /// Label used in the outputs.
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::Infeasible => "infeasible",
        }
    }
}

/// One team's plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamPlan {
    /// Team name.
    pub name: String,
    /// Indices of the channels it serves.
    pub channels: Vec<usize>,
    /// Most agents allowed on duty (`targets.max_agents`, or the limit).
    pub max_agents: u32,
    /// Pure Erlang per interval (expected load, no day-level over-dispersion).
    pub erlang: Vec<u32>,
    /// Analytic requirement per interval, with over-dispersion (not capped).
    pub analytic: Vec<u32>,
    /// Planned agents on duty per interval (after simulation refinement).
    pub agents: Vec<u32>,
    /// On-duty requirement the roster covers: `agents`, raised where the
    /// simulated roster missed (`rostered`).
    pub roster_required: Vec<u32>,
    /// Outcome per interval.
    pub status: Vec<Status>,
    /// Shift roster covering `agents`.
    pub roster: Roster,
}

/// A channel's targets and its achieved figures over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelPlan {
    /// Channel name.
    pub name: String,
    /// Service-level threshold, seconds.
    pub within_s: f64,
    /// Service-level target.
    pub sl_target: f64,
    /// Abandonment cap, if any.
    pub max_abandon: Option<f64>,
    /// Sized as deferred fluid work (no queueing formula).
    pub deferred: bool,
    /// The service-level goal its intervals were judged against when a
    /// value tier's target tightened it above `sl_target` (`tiers`);
    /// `None`: the channel's own target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_goal: Option<f64>,
    /// The abandonment cap its intervals were judged against when a value
    /// tier's cap tightened it below `max_abandon`; `None`: the channel's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_max_abandon: Option<f64>,
    /// Achieved over the horizon, fresh seeds.
    pub service_level: Interval,
    /// Achieved over the horizon, fresh seeds.
    pub abandon_rate: Interval,
}

/// A capacity plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Scenario name.
    pub scenario: String,
    /// Seed used.
    pub seed: u64,
    /// Replications per simulation (the check uses as many fresh ones).
    pub replications: u32,
    /// Confidence level of every interval check.
    pub confidence: f64,
    /// Planning (and staffing) interval, seconds.
    pub interval_s: f64,
    /// Number of intervals in the plan's cycle.
    pub intervals: usize,
    /// Weekday of the horizon's first day (Monday 0).
    pub start_weekday: u32,
    /// Why the plan stopped: the roster loop's termination (`met` only when
    /// the simulated rosters meet every cell and every channel's target).
    pub termination: Termination,
    /// Why the net-staffing refinement stopped.
    pub refinement: Termination,
    /// (interval, team) cells raised in each round of simulating the
    /// rosters on fresh seeds (`rostered`); the last is 0 when `met`.
    pub roster_rounds: Vec<usize>,
    /// The refinement's iterations.
    pub iterations: Vec<IterationReport>,
    /// (interval, team) cells raised in each repair round after a fresh-seed
    /// check (empty: the first check found no miss).
    pub repairs: Vec<usize>,
    /// The measured human load.
    #[serde(skip)]
    pub load: HumanLoad,
    /// Per team.
    pub teams: Vec<TeamPlan>,
    /// Per channel.
    pub channels: Vec<ChannelPlan>,
    /// Per (interval, channel), interval-major: achieved on fresh seeds.
    #[serde(skip)]
    pub achieved: Vec<Cell>,
    /// All channels pooled over the horizon, fresh seeds.
    pub service_level: Interval,
    /// All channels pooled over the horizon, fresh seeds.
    pub abandon_rate: Interval,
    /// Per value tier with a target (`[targets.tier]`), judged on the last
    /// fresh seeds (the simulated rosters); empty without tier targets. The
    /// plan is `met` only when none of them is short (`tiers`).
    pub tiers: Vec<TierCheck>,
}

impl Plan {
    /// Paid hours of every roster over the plan's cycle.
    pub fn paid_hours(&self) -> f64 {
        self.teams.iter().map(|t| t.roster.paid_hours).sum()
    }

    /// Full-time equivalents of every roster.
    pub fn fte(&self) -> f64 {
        self.teams.iter().map(|t| t.roster.fte).sum()
    }

    /// Roster cost, when `[costs]` prices human hours.
    pub fn cost(&self) -> Option<f64> {
        self.teams.iter().map(|t| t.roster.cost).sum()
    }

    /// Intervals (over teams) with the given status.
    pub fn count(&self, status: Status) -> usize {
        self.teams
            .iter()
            .map(|t| t.status.iter().filter(|&&s| s == status).count())
            .sum()
    }
}

/// Weekday of the horizon's first day (Monday 0), as the engine uses it.
pub fn start_weekday(scenario: &Scenario) -> u32 {
    scenario
        .start_date
        .map_or(0, |d| d.weekday().num_days_from_monday())
}

/// Largest agents on duty allowed per team.
pub fn caps(scenario: &Scenario) -> Vec<u32> {
    scenario
        .targets
        .max_agents
        .iter()
        .map(|m| m.unwrap_or(limits::MAX_AGENTS_PER_TEAM))
        .collect()
}

/// A copy of `scenario` without day-level over-dispersion (`day_cv = 0`).
pub fn without_day_noise(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    for region in &mut s.regions {
        region.day_cv = 0.0;
    }
    s
}

/// Shift length assumed for shift-hour fatigue under net staffing when a
/// team has no shift templates (the engine's nominal handover period).
pub const DEFAULT_SHIFT_H: f64 = crate::scenario::NOMINAL_SHIFT_H;

/// A copy of `scenario` whose teams follow `agents[team][interval]` on duty,
/// cyclically from the horizon's start, in steps of the reporting interval.
///
/// Net staffing has no shift boundaries: the lowest seats stay on duty for
/// the whole run, so shift-hour fatigue (`fatigue.per_shift_hour`) would
/// grow without bound. It is replaced by its mean over a shift of the team's
/// mean template length `L` (else [`DEFAULT_SHIFT_H`]), folded into the
/// handle-time multiplier: `proficiency × (1 + per_shift_hour · L/2)`.
/// Busy-load fatigue, which recovers while idle, is kept.
pub fn with_staffing(scenario: &Scenario, agents: &[Vec<u32>]) -> Scenario {
    let mut s = scenario.clone();
    let interval_s = s.simulation.interval_s;
    for (team, row) in s.teams.iter_mut().zip(agents) {
        if let Some(fatigue) = &mut team.fatigue
            && fatigue.per_shift_hour > 0.0
        {
            let shift_h = match &team.staffing {
                Staffing::Shifts(shifts) if !shifts.is_empty() => {
                    shifts.iter().map(|x| x.length_s).sum::<f64>() / shifts.len() as f64 / 3600.0
                }
                _ => DEFAULT_SHIFT_H,
            };
            team.proficiency *= 1.0 + fatigue.per_shift_hour * shift_h / 2.0;
            fatigue.per_shift_hour = 0.0;
        }
        team.staffing = Staffing::PerInterval {
            agents: if row.is_empty() { vec![0] } else { row.clone() },
            interval_s,
        };
    }
    s
}

/// Plans staffing and rosters for `scenario`.
pub fn plan(scenario: &Scenario, options: &PlanOptions<'_>) -> Result<Plan, PlanError> {
    // The analytic work runs on a pool of `threads` workers too.
    let threads = options.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| EngineError::ThreadPool {
            threads,
            message: e.to_string(),
        })?;
    pool.install(|| plan_on_pool(scenario, options))
}

fn plan_on_pool(scenario: &Scenario, options: &PlanOptions<'_>) -> Result<Plan, PlanError> {
    let reps = scenario.simulation.replications;
    // The planner reads cells at random: keep every interval in memory.
    let run = RunOptions {
        threads: options.threads,
        progress: None,
        retention: Retention::Memory,
        on_day: None,
    };
    let measured = engine::run_replications(scenario, 0..reps, &run)?;
    let first = load::measure(scenario, &measured)?;
    drop(measured);
    // Handle times (fatigue, concurrency) and the human share (redials) can
    // depend on staffing: measure again at the analytic staffing, run as the
    // refinement runs it, and start from the analytic figures of that load.
    let smooth = without_day_noise(scenario);
    let start = requirement::analytic(scenario, &first, false).agents;
    let anchored = engine::run_replications(&with_staffing(&smooth, &start), 0..reps, &run)?;
    let load = load::measure(scenario, &anchored)?;
    drop(anchored);
    let mut erlang = requirement::analytic(scenario, &load, false);
    let analytic = requirement::analytic(scenario, &load, true);
    let caps = caps(scenario);
    // What over-dispersion adds to the plain figure, per team and interval.
    let extra: Vec<Vec<u32>> = erlang
        .agents
        .iter()
        .zip(&analytic.agents)
        .map(|(e, a)| e.iter().zip(a).map(|(e, a)| a.saturating_sub(*e)).collect())
        .collect();
    let search_caps = extra
        .iter()
        .zip(&caps)
        .map(|(row, &cap)| row.iter().map(|x| cap.saturating_sub(*x)).collect())
        .collect();
    let mut search = search::Search::new(&erlang, search_caps);
    // Replications 2R..3R at the starting staffing: pooled with the planning
    // replications for the intervals still on their analytic figure.
    let confirm = if options.max_iterations > 0 {
        let start = with_staffing(&smooth, &search.staffing());
        engine::run_replications(&start, reps.saturating_mul(2)..reps.saturating_mul(3), &run)?
    } else {
        Vec::new()
    };
    let mut iterations = Vec::new();
    let mut termination = Termination::MaxIterations;
    let n_channels = scenario.channels.len();
    for iteration in 1..=options.max_iterations {
        let candidate = with_staffing(&smooth, &search.staffing());
        let stats = engine::run_replications(&candidate, 0..reps, &run)?;
        let current: Vec<&ReplicationStats> = stats.iter().collect();
        // A tier short of its target tightens its channels' goals first
        // (`tiers`), so this iteration's cells are judged against them.
        tiers::tighten(scenario, &current, &mut erlang.goals);
        let level = scenario.targets.confidence;
        let mut cells = check::cells_against(&erlang.goals, level, &current);
        let both: Vec<&ReplicationStats> = stats.iter().chain(&confirm).collect();
        let pooled = check::cells_against(&erlang.goals, level, &both);
        for i in 0..load.intervals {
            for c in 0..n_channels {
                let unmoved = scenario
                    .teams
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.channels.contains(&c))
                    .all(|(t, _)| search.unmoved(t, i));
                if unmoved {
                    cells[i * n_channels + c] = pooled[i * n_channels + c];
                }
            }
        }
        let agent_hours = agent_hours(&search.staffing(), &load.interval_len_s);
        let last = iteration == options.max_iterations;
        let counts = search.step(scenario, &erlang, &cells, !last);
        let report = IterationReport {
            iteration,
            agent_hours,
            counts,
        };
        if let Some(observe) = options.observer {
            observe(&report);
        }
        iterations.push(report);
        if counts.raised + counts.lowered == 0 {
            termination = search.settled();
            break;
        }
    }
    let staffing: Vec<Vec<u32>> = search
        .staffing()
        .iter()
        .zip(&extra)
        .zip(&caps)
        .map(|((row, extra), &cap)| {
            row.iter()
                .zip(extra)
                .map(|(n, x)| n.saturating_add(*x).min(cap))
                .collect()
        })
        .collect();
    // Check on fresh seeds with every source of randomness; repair misses.
    let mut staffing = staffing;
    let mut repairs = Vec::new();
    let mut batch = reps..reps.saturating_mul(2);
    let (fresh, achieved) = loop {
        let fresh = engine::run_replications(&with_staffing(scenario, &staffing), batch, &run)?;
        let fresh_refs: Vec<&ReplicationStats> = fresh.iter().collect();
        tiers::tighten(scenario, &fresh_refs, &mut erlang.goals);
        let achieved =
            check::cells_against(&erlang.goals, scenario.targets.confidence, &fresh_refs);
        if repairs.len() as u32 == REPAIR_ROUNDS {
            break (fresh, achieved);
        }
        let mut raised = 0;
        for (t, team) in scenario.teams.iter().enumerate() {
            for i in 0..load.intervals {
                let cell = |c: usize| achieved[i * n_channels + c];
                let n = staffing[t][i];
                if n >= caps[t]
                    || !team
                        .channels
                        .iter()
                        .any(|&c| cell(c).verdict == Verdict::Miss)
                {
                    continue;
                }
                let step =
                    search::raise_by(&erlang.parts[t][i], &cell, &erlang, n, erlang.agents[t][i]);
                staffing[t][i] = n.saturating_add(step.max(1)).min(caps[t]);
                raised += 1;
            }
        }
        if raised == 0 {
            break (fresh, achieved);
        }
        repairs.push(raised);
        let k = repairs.len() as u32;
        batch = reps.saturating_mul(2 + k)..reps.saturating_mul(3 + k);
    };
    drop(fresh);
    drop(achieved);
    // Roster the net staffing, simulate the rosters themselves on fresh
    // seeds, raise where they miss, roster again.
    let net = staffing.clone();
    let outcome = rostered::run(scenario, staffing, &mut erlang, &caps, &run)?;
    let (fresh, achieved) = (outcome.fresh, outcome.achieved);
    let level = scenario.targets.confidence;
    let mut teams = Vec::with_capacity(scenario.teams.len());
    for ((t, team), roster) in scenario.teams.iter().enumerate().zip(outcome.rosters) {
        let required = &outcome.required[t];
        let status = (0..load.intervals)
            .map(|i| {
                // Deferred channels are judged over the horizon (`channels`).
                let fresh_miss = team.channels.iter().any(|&c| {
                    !is_fluid(scenario, c) && achieved[i * n_channels + c].verdict == Verdict::Miss
                });
                match (fresh_miss, search.infeasible(t, i)) {
                    (true, _) if required[i] >= caps[t] => Status::Infeasible,
                    (true, _) => Status::Missed,
                    (false, true) => Status::Infeasible,
                    (false, false) => Status::Met,
                }
            })
            .collect();
        teams.push(TeamPlan {
            name: team.name.clone(),
            channels: team.channels.clone(),
            max_agents: caps[t],
            erlang: erlang.agents[t].clone(),
            analytic: analytic.agents[t].clone(),
            agents: net[t].clone(),
            roster_required: required.clone(),
            status,
            roster,
        });
    }
    let channels = scenario
        .channels
        .iter()
        .enumerate()
        .map(|(c, ch)| {
            let (service_level, abandon_rate) = check::pooled(&fresh, &[c], level);
            ChannelPlan {
                name: ch.name.clone(),
                within_s: ch.service_level.within_s,
                sl_target: scenario.targets.service_level[c],
                max_abandon: scenario.targets.max_abandon,
                deferred: is_fluid(scenario, c),
                tier_goal: Some(erlang.goals[c].service_level)
                    .filter(|&g| g != scenario.targets.service_level[c]),
                tier_max_abandon: erlang.goals[c]
                    .max_abandon
                    .filter(|_| erlang.goals[c].max_abandon != scenario.targets.max_abandon),
                service_level,
                abandon_rate,
            }
        })
        .collect();
    let all: Vec<usize> = (0..n_channels).collect();
    let (service_level, abandon_rate) = check::pooled(&fresh, &all, level);
    let tiers = crate::metrics::tier_checks(scenario, &fresh.iter().collect::<Vec<_>>());
    Ok(Plan {
        scenario: scenario.name.clone(),
        seed: scenario.simulation.seed,
        replications: reps,
        confidence: level,
        interval_s: scenario.simulation.interval_s,
        intervals: load.intervals,
        start_weekday: start_weekday(scenario),
        termination: outcome.termination,
        refinement: termination,
        roster_rounds: outcome.raised,
        iterations,
        repairs,
        load,
        teams,
        channels,
        achieved,
        service_level,
        abandon_rate,
        tiers,
    })
}

fn agent_hours(staffing: &[Vec<u32>], len_s: &[f64]) -> f64 {
    staffing
        .iter()
        .flat_map(|row| row.iter().zip(len_s).map(|(&n, l)| f64::from(n) * l))
        .sum::<f64>()
        / 3600.0
}
