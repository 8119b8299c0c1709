//! The simulation refinement as a state machine, in the manner of argmin: the
//! caller simulates the current staffing, [`Search::step`] turns the
//! per-interval verdicts into the next staffing, and the search ends with an
//! explicit [`Termination`].
//!
//! Rules for each (team, interval), from the verdicts of the channels the team
//! serves (the worst one counts):
//! - **stay on the analytic figure** unless the simulation's confidence
//!   interval excludes a target: when the analytic staffing is right within
//!   the simulation's precision, the plan is the analytic staffing (the
//!   caller judges intervals still on their analytic figure on the pooled
//!   planning and confirmation replications, so one unlucky batch cannot
//!   move them);
//! - **add** agents when the interval misses (its whole confidence interval
//!   on the wrong side), or, once the interval has left its analytic figure,
//!   while its mean is on the wrong side;
//! - **remove** agents when the whole confidence interval clears every target
//!   *and* the analytic curve, shifted onto the simulated value, predicts the
//!   target still cleared with fewer agents; a removal is kept only if the
//!   simulation then shows the whole confidence interval clearing the
//!   targets, and is undone otherwise;
//! - step sizes come from that shifted Erlang curve (at least one agent), and
//!   each cell keeps the largest staffing seen to fall short (`lo`) and the
//!   smallest seen to meet (`hi`), so moves bisect instead of oscillating;
//! - an interval that misses at its team's `max_agents` is **infeasible**.
//!
//! Intervals interact (a backlog carries over), so the bounds are heuristics;
//! every iteration re-simulates the whole horizon with the same replication
//! seeds (common random numbers), so only staffing changes move the figures.

use super::check::{Cell, Verdict};
use super::requirement::{Part, Requirement, team_work};
use crate::scenario::Scenario;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Why the search stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// No interval wants a change: every target is met within confidence.
    Met,
    /// No interval wants a change, but some miss at their team's `max_agents`.
    Infeasible,
    /// The iteration budget ran out with changes still wanted.
    MaxIterations,
}

impl Termination {
    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Termination::Met => "met",
            Termination::Infeasible => "infeasible",
            Termination::MaxIterations => "max iterations",
        }
    }
}

/// What one step changed.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct StepCounts {
    /// (team, interval) cells whose channels miss a target.
    pub missed: usize,
    /// Cells short of a target but within confidence.
    pub short: usize,
    /// Cells given more agents.
    pub raised: usize,
    /// Cells given fewer agents.
    pub lowered: usize,
    /// Cells missing at their team's cap.
    pub infeasible: usize,
}

#[derive(Debug, Clone, Copy)]
struct State {
    n: u32,
    /// Largest staffing seen to fall short.
    lo: Option<u32>,
    /// Smallest staffing seen to meet.
    hi: Option<u32>,
    /// Left the analytic figure.
    moved: bool,
    /// The last move removed agents (kept only if the result is clear).
    lowered: bool,
    infeasible: bool,
}

/// The refinement's state: agents per (team, interval).
#[derive(Debug, Clone)]
pub struct Search {
    cells: Vec<Vec<State>>,
    caps: Vec<Vec<u32>>,
}

impl Search {
    /// Starts from the analytic requirement capped by `caps` (per team and
    /// interval).
    pub fn new(req: &Requirement, caps: Vec<Vec<u32>>) -> Search {
        let cells = req
            .agents
            .iter()
            .zip(&caps)
            .map(|(row, caps)| {
                row.iter()
                    .zip(caps)
                    .map(|(&n, &cap)| State {
                        n: n.min(cap),
                        lo: None,
                        hi: None,
                        moved: false,
                        lowered: false,
                        infeasible: false,
                    })
                    .collect()
            })
            .collect();
        Search { cells, caps }
    }

    /// Agents per team per interval now.
    pub fn staffing(&self) -> Vec<Vec<u32>> {
        self.cells
            .iter()
            .map(|row| row.iter().map(|s| s.n).collect())
            .collect()
    }

    /// Whether (team, interval) is still on its starting (analytic) figure.
    pub fn unmoved(&self, team: usize, interval: usize) -> bool {
        !self.cells[team][interval].moved
    }

    /// Whether (team, interval) missed at its cap in the last step.
    pub fn infeasible(&self, team: usize, interval: usize) -> bool {
        self.cells[team][interval].infeasible
    }

    /// One transition: verdicts of the current staffing → the next staffing.
    /// With `allow_lower` false (the last iteration) only increases are made,
    /// so that no untested removal ends up in the plan.
    pub fn step(
        &mut self,
        scenario: &Scenario,
        req: &Requirement,
        cells: &[Cell],
        allow_lower: bool,
    ) -> StepCounts {
        let channels = scenario.channels.len();
        // Verdicts and step sizes first, in parallel (the analytic curves
        // are the costly part), from the current state; then the moves.
        let proposals: Vec<Vec<(Verdict, u32, u32)>> = (0..scenario.teams.len())
            .map(|t| {
                let team = &scenario.teams[t];
                let caps = &self.caps[t];
                (0..self.cells[t].len())
                    .into_par_iter()
                    .map(|i| {
                        let cell = |c: usize| cells[i * channels + c];
                        let verdict = team
                            .channels
                            .iter()
                            .map(|&c| cell(c).verdict)
                            .min()
                            .unwrap_or(Verdict::Clear);
                        let s = self.cells[t][i];
                        let (parts, analytic) = (&req.parts[t][i], req.agents[t][i]);
                        let wants_more =
                            verdict == Verdict::Miss || (verdict == Verdict::Short && s.moved);
                        let raise = if wants_more && s.n < caps[i] {
                            raise_by(parts, &cell, req, s.n, analytic)
                        } else {
                            0
                        };
                        let floor = s.lo.map_or(0, |l| l + 1);
                        let lower = if verdict == Verdict::Clear && allow_lower && s.n > floor {
                            lower_by(parts, &cell, req, s.n, analytic)
                        } else {
                            0
                        };
                        (verdict, raise, lower)
                    })
                    .collect()
            })
            .collect();
        let mut counts = StepCounts::default();
        for (t, row) in proposals.into_iter().enumerate() {
            for (i, (verdict, raise, lower)) in row.into_iter().enumerate() {
                let cap = self.caps[t][i];
                let s = &mut self.cells[t][i];
                let n = s.n;
                if failing(verdict, s) {
                    match verdict {
                        Verdict::Miss => counts.missed += 1,
                        Verdict::Short => counts.short += 1,
                        _ => {}
                    }
                    s.lowered = false;
                    s.lo = Some(s.lo.map_or(n, |l| l.max(n)));
                    if s.hi.is_some_and(|h| h <= n) {
                        s.hi = None; // met before, not now: stale
                    }
                    if n >= cap {
                        s.infeasible = verdict == Verdict::Miss;
                        counts.infeasible += usize::from(s.infeasible);
                        continue;
                    }
                    s.infeasible = false;
                    let mut next = n.saturating_add(raise.max(1));
                    if let Some(h) = s.hi {
                        next = next.min(h);
                    }
                    next = next.min(cap);
                    if next > n {
                        s.n = next;
                        s.moved = true;
                        counts.raised += 1;
                    }
                    continue;
                }
                match verdict {
                    Verdict::Short | Verdict::Miss => counts.short += 1,
                    Verdict::Meets | Verdict::Clear => {
                        s.infeasible = false;
                        s.hi = Some(s.hi.map_or(n, |h| h.min(n)));
                        if s.lo.is_some_and(|l| l >= n) {
                            s.lo = None; // fell short before, meets now: stale
                        }
                        let floor = s.lo.map_or(0, |l| l + 1);
                        let next = n.saturating_sub(lower).max(floor);
                        s.lowered = next < n;
                        if next < n {
                            s.n = next;
                            s.moved = true;
                            counts.lowered += 1;
                        }
                    }
                }
            }
        }
        counts
    }

    /// The termination reason when a step changed nothing.
    pub fn settled(&self) -> Termination {
        if self.cells.iter().flatten().any(|s| s.infeasible) {
            Termination::Infeasible
        } else {
            Termination::Met
        }
    }
}

/// Whether a cell must get more agents: it misses; or it left its analytic
/// figure and its mean falls short; or its last move removed agents and the
/// result is not clear.
fn failing(verdict: Verdict, s: &State) -> bool {
    verdict == Verdict::Miss
        || (verdict == Verdict::Short && s.moved)
        || (s.lowered && verdict < Verdict::Clear)
}

/// A channel part's servers at the team's current staffing: its analytic
/// servers plus its share of the team's change since the analytic figure.
fn servers_now(part: &Part, parts: &[Part], n: u32, analytic: u32) -> u32 {
    let total: f64 = parts.iter().map(Part::agents).sum();
    let share = if total > 0.0 {
        part.agents() / total
    } else {
        1.0 / parts.len() as f64
    };
    let delta = f64::from(n) - f64::from(analytic);
    (part.servers + delta * share * part.concurrency)
        .round()
        .max(1.0) as u32
}

/// Agents to add: for each channel short of a target, the fewest extra
/// servers whose gain on the analytic curve covers the simulated gap.
pub fn raise_by(
    parts: &[Part],
    cell: &(dyn Fn(usize) -> Cell + Sync),
    req: &Requirement,
    n: u32,
    analytic: u32,
) -> u32 {
    let mut agents = 1u32;
    for part in parts {
        let c = cell(part.channel);
        if part.queue.is_none() || c.verdict >= Verdict::Meets {
            continue;
        }
        let goal = req.goals[part.channel];
        let m = servers_now(part, parts, n, analytic);
        let metrics = |servers: u32| part.metrics(servers).expect("a queue");
        let base = metrics(m);
        let gap_sl = c
            .service_level
            .mean
            .map_or(0.0, |x| (goal.service_level - x).max(0.0));
        let gap_ab = match (goal.max_abandon, c.abandon_rate.mean) {
            (Some(max), Some(x)) => (x - max).max(0.0),
            _ => 0.0,
        };
        let limit = (m / 2).max(4);
        let mut extra = limit;
        for j in 1..=limit {
            let next = metrics(m + j);
            if next.service_level - base.service_level >= gap_sl
                && base.abandon_rate - next.abandon_rate >= gap_ab
            {
                extra = j;
                break;
            }
        }
        agents = agents.max((f64::from(extra) / part.concurrency).ceil() as u32);
    }
    agents.min((n / 4).max(2))
}

/// Agents that may go: the fewest over channels of the servers the shifted
/// analytic curve says can go with the whole confidence interval still
/// clearing the targets (0 when none can).
fn lower_by(
    parts: &[Part],
    cell: &(dyn Fn(usize) -> Cell + Sync),
    req: &Requirement,
    n: u32,
    analytic: u32,
) -> u32 {
    let mut agents = u32::MAX;
    for part in parts {
        let c = cell(part.channel);
        if part.queue.is_none() {
            if part.deferred {
                // Deferred work is not judged where it is done: keep the
                // team's work covered, and go one agent at a time.
                let floor = (team_work(parts) - 1e-9).ceil().max(0.0) as u32;
                agents = agents.min(n.saturating_sub(floor).min(1));
            }
            continue;
        }
        let goal = req.goals[part.channel];
        let m = servers_now(part, parts, n, analytic);
        let metrics = |servers: u32| part.metrics(servers).expect("a queue");
        let base = metrics(m);
        let (Some(sl), Some(ab)) = (c.service_level.mean, c.abandon_rate.mean) else {
            continue;
        };
        let sl_half = c.service_level.half.unwrap_or(0.0);
        let ab_half = c.abandon_rate.half.unwrap_or(0.0);
        let mut fewer = 0;
        for j in 1..m {
            let next = metrics(m - j);
            let sl_pred = sl + next.service_level - base.service_level - sl_half;
            let ab_pred = ab + next.abandon_rate - base.abandon_rate + ab_half;
            if sl_pred >= goal.service_level && goal.max_abandon.is_none_or(|a| ab_pred <= a) {
                fewer = j;
            } else {
                break;
            }
        }
        agents = agents.min((f64::from(fewer) / part.concurrency).floor() as u32);
    }
    if agents == u32::MAX { n } else { agents }
}
