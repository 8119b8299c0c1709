//! Rosters: interval requirements → agents per shift template, minimising
//! paid hours, as an integer programme solved by HiGHS (through `good_lp`).
//!
//! Model for one team, over the plan's cycle of `I` intervals (the staffing
//! repeats, so shifts running past the end wrap to the start):
//!
//! ```text
//! minimise   Σ_j paid_hours_j · x_j
//! subject to Σ_j cover_ij · (1 − shrinkage) · x_j ≥ required_i   for every interval i
//!            Σ_{j part-time} x_j ≤ p · Σ_j x_j                    (max_part_time_share p)
//!            Σ_{j night} x_j ≤ q · Σ_j x_j                        (max_night_share q)
//!            x_j ≥ 0 integer
//! ```
//!
//! `x_j` is the number of scheduled agents on template `j` (a weekly tour ×
//! start × length of the team's shift family, or one of its fixed
//! templates: `columns`); `cover_ij` the share of interval `i` a template-`j`
//! agent works, breaks excluded — for breaks placed in a window, the
//! expected share over the placements (an implicit break model: breaks are
//! placed afterwards over each template's agents, `scenario::breaks`, which
//! levels them); `required_i` the planned agents on duty. Scheduled agents
//! are absent with probability `shrinkage`, hence the factor.
//!
//! The LP relaxation is solved first: its optimum is the lower bound
//! reported (`lp_bound_hours`). Three roundings of it are built
//! (`rounding`: an LP dive, the floor repaired, the ceiling; each trimmed)
//! and the cheapest is accepted when within [`MIP_GAP`] of the bound (or
//! one shift's pay); otherwise HiGHS's branch and bound runs from it and
//! stops at that gap or after [`MIP_MAX_NODES`] nodes (deterministic,
//! unlike a time limit), single-threaded. The gap left is reported: paid
//! hours beside `lp_bound_hours`.

use super::columns;
use super::rounding;
use crate::scenario::breaks::{self, BreakRule};
use crate::scenario::{Scenario, Shift};
use good_lp::{
    Expression, Solution, SolverModel, Variable, WithInitialSolution, WithMipGap, highs, variable,
    variables,
};
use serde::Serialize;

const DAY_S: f64 = 86_400.0;
/// Paid hours of one full-time equivalent per week [convention: a 40-hour week].
pub const FTE_HOURS_PER_WEEK: f64 = 40.0;
/// Relative optimality gap accepted from branch and bound (stops on the gap,
/// never on a time limit, so rosters are deterministic).
pub const MIP_GAP: f32 = 0.01;

/// Branch-and-bound node budget (deterministic, unlike a time limit). On
/// the covering programmes of small teams the LP bound is weak (the
/// integer optimum lies a few per cent above it) and branching barely
/// moves it: 200 nodes gained what 20,000 did on the bolt-on week, in
/// seconds instead of many minutes.
pub const MIP_MAX_NODES: i32 = 200;

/// A shift template (a column of the roster programme).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    /// Start, seconds after midnight.
    pub start_s: f64,
    /// Length, seconds (breaks included).
    pub length_s: f64,
    /// Monday..Sunday on which the shift starts.
    pub days: [bool; 7],
    /// (offset from the start, length) of fixed or placed breaks, seconds.
    pub breaks: Vec<(f64, f64)>,
    /// Breaks still to place inside windows (family templates before the
    /// roster places them over their agents).
    #[serde(skip)]
    pub rules: Vec<BreakRule>,
    /// Unpaid break time per shift, seconds.
    #[serde(skip)]
    pub unpaid_s: f64,
    /// Per break (or break rule), whether it is paid; empty: all paid.
    #[serde(skip)]
    pub break_paid: Vec<bool>,
    /// A part-time length of its family.
    #[serde(skip)]
    pub part_time: bool,
    /// Works some time between 00:00 and 06:00.
    #[serde(skip)]
    pub night: bool,
}

/// How far (agents on duty, in expectation) an interval's cover with the
/// breaks as placed may fall below its requirement before the roster adds
/// an agent: the programme covers the *expected* break placement, and a
/// template's few agents cannot always spread exactly. Half an agent is
/// well inside the noise of absence alone (standard deviation √(n·s(1−s)),
/// ≈ 2.3 agents for n = 25 scheduled at s = 0.3), and the simulation of the
/// roster (`rostered`) judges the result.
pub const PLACEMENT_SLACK: f64 = 0.5;

impl Template {
    /// A template with fixed breaks, all paid.
    pub fn fixed(
        start_s: f64,
        length_s: f64,
        days: [bool; 7],
        breaks: Vec<(f64, f64)>,
    ) -> Template {
        Template {
            start_s,
            length_s,
            days,
            breaks,
            rules: Vec::new(),
            unpaid_s: 0.0,
            break_paid: Vec::new(),
            part_time: false,
            night: false,
        }
    }

    /// Days as text, e.g. `mon tue wed`.
    pub fn days_text(&self) -> String {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let days: Vec<&str> = (0..7).filter(|&d| self.days[d]).map(|d| NAMES[d]).collect();
        days.join(" ")
    }

    /// Start as `HH:MM`.
    pub fn start_text(&self) -> String {
        let m = (self.start_s / 60.0).round() as u32;
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    /// The engine's shift for `agents` agents on this template (breaks fixed).
    pub fn shift(&self, agents: u32) -> Shift {
        Shift {
            start_s: self.start_s,
            length_s: self.length_s,
            days: self.days,
            agents,
            breaks: self.breaks.clone(),
            break_paid: self.break_paid.clone(),
        }
    }
}

/// One line of a roster: a template and the agents scheduled on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The template, breaks placed.
    pub template: Template,
    /// Agents scheduled on it (each works every day of the template).
    pub agents: u32,
    /// Paid hours of these agents over the plan's cycle.
    pub paid_hours: f64,
}

/// A team's roster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roster {
    /// Templates with at least one agent, breaks placed (a template of the
    /// programme appears once per distinct placement of its agents' breaks).
    pub lines: Vec<Line>,
    /// Paid hours over the plan's cycle.
    pub paid_hours: f64,
    /// Paid hours per week ÷ [`FTE_HOURS_PER_WEEK`].
    pub fte: f64,
    /// Paid hours × the team's price (`costs.team_per_hour`, else `human_per_hour`), when given.
    pub cost: Option<f64>,
    /// Lower bound on paid hours from the LP relaxation.
    pub lp_bound_hours: f64,
    /// Columns of the programme (templates before break placement).
    pub columns: usize,
    /// Expected agents on duty per interval with the placed breaks:
    /// Σ cover · (1 − shrinkage) · agents.
    pub on_duty: Vec<f64>,
    /// Intervals with a requirement that no template covers.
    pub uncovered: Vec<usize>,
    /// Agent-hours on duty required in the uncovered intervals.
    pub unmet_agent_hours: f64,
}

impl Roster {
    /// The engine's shift templates for this roster.
    pub fn shifts(&self) -> Vec<Shift> {
        self.lines
            .iter()
            .map(|l| l.template.shift(l.agents))
            .collect()
    }

    /// Relative gap between the paid hours and the LP bound.
    pub fn gap(&self) -> f64 {
        if self.lp_bound_hours > 0.0 {
            self.paid_hours / self.lp_bound_hours - 1.0
        } else {
            0.0
        }
    }
}

/// A placed line: template (breaks fixed), agents, cover per agent, paid hours per agent.
type Placed = (Template, u32, Vec<f64>, f64);

/// Why a roster could not be made.
#[derive(Debug, thiserror::Error)]
#[error("roster for team {team:?}: {message}")]
pub struct RosterError {
    /// Team name.
    pub team: String,
    /// The solver's complaint.
    pub message: String,
}

/// Rosters team `team` to cover `required` agents on duty per interval.
pub fn roster(scenario: &Scenario, team: usize, required: &[u32]) -> Result<Roster, RosterError> {
    let sim = &scenario.simulation;
    let start_weekday = super::start_weekday(scenario);
    let shrinkage = scenario.teams[team].shrinkage;
    let available = 1.0 - shrinkage;
    let family = scenario.teams[team].shift_family.as_ref();
    let shares = (
        family.map_or(1.0, |f| f.max_part_time_share),
        family.map_or(1.0, |f| f.max_night_share),
    );
    // Templates that never start within the cycle (e.g. a Sunday shift in a
    // two-day plan) are left out.
    let mut seen = std::collections::HashSet::new();
    let (templates, cover): (Vec<Template>, Vec<(Vec<f64>, f64)>) =
        columns::templates(scenario, team)
            .into_iter()
            .map(|t| {
                let c = columns::coverage(&t, sim.interval_s, required.len(), start_weekday);
                (t, c)
            })
            .filter(|(_, (_, paid))| *paid > 0.0)
            .filter(|(t, (c, paid))| {
                // Columns identical within the cycle (e.g. tours that differ
                // only outside a short horizon) are one column: the first.
                let mut key: Vec<u64> = c.iter().map(|x| x.to_bits()).collect();
                key.extend([paid.to_bits(), u64::from(t.part_time), u64::from(t.night)]);
                seen.insert(key)
            })
            .unzip();
    let err = |message: String| RosterError {
        team: scenario.teams[team].name.clone(),
        message,
    };
    let uncovered: Vec<usize> = (0..required.len())
        .filter(|&i| required[i] > 0 && cover.iter().all(|(c, _)| c[i] <= 0.0))
        .collect();
    let unmet_agent_hours = uncovered
        .iter()
        .map(|&i| f64::from(required[i]) * sim.interval_s / 3600.0)
        .sum();
    let rows: Vec<usize> = (0..required.len())
        .filter(|&i| required[i] > 0 && !uncovered.contains(&i))
        .collect();
    let limited = shares.0 < 1.0 || shares.1 < 1.0;
    let max_paid = cover.iter().map(|(_, p)| *p).fold(0.0, f64::max);
    let solve = |integer: bool,
                 start: Option<&[f64]>,
                 lower: Option<&[f64]>,
                 allowed: Option<&[bool]>|
     -> Result<Vec<f64>, RosterError> {
        let mut vars = variables!();
        let x: Vec<Variable> = (0..templates.len())
            .map(|j| {
                let mut def = variable().min(lower.map_or(0.0, |l| l[j]));
                if let Some(a) = allowed {
                    if !a[j] {
                        def = def.max(0.0);
                    }
                }
                if integer {
                    def = def.integer();
                }
                vars.add(def)
            })
            .collect();
        let objective: Expression = x.iter().zip(&cover).map(|(&v, (_, paid))| *paid * v).sum();
        let mut model = vars
            .minimise(objective)
            .using(highs)
            .set_threads(1)
            .set_option("random_seed", 0)
            // Small problems: a gap of one shift's pay is as close as the
            // relative gap can usefully ask; a node budget bounds the
            // search deterministically (it keeps the best roster found,
            // which starts from the rounded roster). RINS and RENS are
            // off: on these covering programmes their nested sub-MIPs ran
            // for minutes without improving the start (measured on the
            // bolt-on week, 672 columns: > 15 min with, 5 s without).
            .set_option("mip_abs_gap", max_paid)
            .set_option("mip_max_nodes", MIP_MAX_NODES)
            .set_option("mip_heuristic_run_rins", false)
            .set_option("mip_heuristic_run_rens", false);
        if integer {
            model = model
                .with_mip_gap(MIP_GAP)
                .map_err(|e| err(e.to_string()))?;
        }
        if let Some(s) = start {
            let initial: Vec<(Variable, f64)> = x.iter().copied().zip(s.iter().copied()).collect();
            model = model.with_initial_solution(initial);
        }
        for &i in &rows {
            let lhs: Expression = x
                .iter()
                .zip(&cover)
                .filter(|(_, (c, _))| c[i] > 0.0)
                .map(|(&v, (c, _))| (c[i] * available) * v)
                .sum();
            model = model.with(lhs.geq(f64::from(required[i])));
        }
        // Share limits: Σ_{limited} x ≤ share · Σ x.
        for (share, limited_j) in [
            (shares.0, &|t: &Template| t.part_time as u8 as f64),
            (shares.1, &|t: &Template| t.night as u8 as f64),
        ] as [(f64, &dyn Fn(&Template) -> f64); 2]
        {
            if share < 1.0 {
                let lhs: Expression = x
                    .iter()
                    .zip(&templates)
                    .map(|(&v, t)| (limited_j(t) - share) * v)
                    .sum();
                model = model.with(lhs.leq(0.0));
            }
        }
        let solution = model.solve().map_err(|e| {
            err(format!(
                "{e} (the shift family cannot cover the requirement within its limits: raise max_part_time_share or max_night_share, or widen the start window)"
            ))
        })?;
        Ok(x.iter().map(|&v| solution.value(v)).collect())
    };
    let (agents, lp_bound_hours) = if rows.is_empty() {
        (vec![0u32; templates.len()], 0.0)
    } else {
        let relaxed = solve(false, None, None, None)?;
        let paid = |x: &[f64]| -> f64 { x.iter().zip(&cover).map(|(x, (_, p))| x * p).sum() };
        let bound = paid(&relaxed);
        let problem = rounding::Covering {
            cover: &cover,
            rows: &rows,
            required,
            available,
        };
        // The dive honours the share limits (its LPs carry them); trimming
        // and repairing do not, so with limits only the dive is a candidate.
        let dived = rounding::dive(&relaxed, |lower| solve(false, None, Some(lower), None))?;
        let best = if limited {
            dived.clone()
        } else {
            [
                problem.trim(&dived),
                problem.trim(&problem.repair(&rounding::floor(&relaxed))),
                problem.trim(&rounding::ceil(&relaxed)),
            ]
            .into_iter()
            .min_by(|a, b| paid(a).total_cmp(&paid(b)))
            .expect("three candidates")
        };
        // The same stopping rule as branch and bound's: a relative gap of
        // MIP_GAP or an absolute gap of one shift's pay, whichever is looser
        // (for a small team one shift is more than 1% of the roster).
        let accept = (bound * f64::from(MIP_GAP)).max(max_paid);
        let integral = if paid(&best) - bound <= accept + 1e-9 {
            best
        } else {
            // Branch and bound from the best rounding, over the columns the
            // LP, the dive or the rounding use: the full column set took
            // 2.5× longer for no better roster on the bolt-on week.
            let support: Vec<bool> = (0..relaxed.len())
                .map(|j| relaxed[j] > 1e-9 || dived[j] > 0.0 || best[j] > 0.0)
                .collect();
            solve(true, Some(&best), None, Some(&support))?
        };
        let agents = integral.iter().map(|x| x.round().max(0.0) as u32).collect();
        (agents, bound)
    };
    // Place each column's breaks over its agents; the programme used the
    // expected cover over placements, so a few agents' actual placements
    // can leave an interval short: add an agent to the cheapest column
    // covering the first short interval until none is (deterministic).
    let mut agents = agents;
    let realize = |j: usize, n: u32| -> Vec<Placed> {
        placed(&templates[j], n)
            .into_iter()
            .map(|(t, k)| {
                let (c, paid) =
                    columns::coverage(&t, sim.interval_s, required.len(), start_weekday);
                (t, k, c, paid)
            })
            .collect()
    };
    let mut realized: Vec<Vec<Placed>> = agents
        .iter()
        .enumerate()
        .map(|(j, &n)| if n == 0 { Vec::new() } else { realize(j, n) })
        .collect();
    let mut on_duty = vec![0.0; required.len()];
    let add = |on_duty: &mut [f64], lines: &[Placed], sign: f64| {
        for (_, k, c, _) in lines {
            for (d, ci) in on_duty.iter_mut().zip(c) {
                *d += sign * ci * available * f64::from(*k);
            }
        }
    };
    for lines in &realized {
        add(&mut on_duty, lines, 1.0);
    }
    for _ in 0..required.len() * 4 {
        let Some(&i) = rows
            .iter()
            .find(|&&i| on_duty[i] + PLACEMENT_SLACK < f64::from(required[i]))
        else {
            break;
        };
        let best = (0..templates.len())
            .filter(|&j| cover[j].0[i] > 0.0)
            .min_by(|&a, &b| {
                (cover[a].1 / cover[a].0[i])
                    .total_cmp(&(cover[b].1 / cover[b].0[i]))
                    .then(a.cmp(&b))
            })
            .expect("a covered row has a column");
        add(&mut on_duty, &realized[best], -1.0);
        agents[best] += 1;
        realized[best] = realize(best, agents[best]);
        add(&mut on_duty, &realized[best], 1.0);
    }
    let mut lines = Vec::new();
    let mut paid_hours = 0.0;
    for (t, k, _, paid) in realized.into_iter().flatten() {
        paid_hours += paid * f64::from(k);
        lines.push(Line {
            template: t,
            agents: k,
            paid_hours: paid * f64::from(k),
        });
    }
    let cycle_weeks = sim.interval_s * required.len() as f64 / (7.0 * DAY_S);
    Ok(Roster {
        lines,
        paid_hours,
        fte: paid_hours / cycle_weeks / FTE_HOURS_PER_WEEK,
        cost: scenario.costs.team_rate(team).map(|p| p * paid_hours),
        lp_bound_hours,
        columns: templates.len(),
        on_duty,
        uncovered,
        unmet_agent_hours,
    })
}

/// `template`'s `n` agents split by their placed breaks (one line when its
/// breaks are fixed).
fn placed(template: &Template, n: u32) -> Vec<(Template, u32)> {
    if template.rules.is_empty() {
        return vec![(template.clone(), n)];
    }
    breaks::place(&template.rules, n)
        .into_iter()
        .map(|(b, k)| {
            let t = Template {
                breaks: b,
                rules: Vec::new(),
                ..template.clone()
            };
            (t, k)
        })
        .collect()
}
