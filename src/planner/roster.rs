//! Rosters: interval requirements → agents per shift template, minimising
//! paid hours, as an integer programme solved by `good_lp` with its pure-Rust
//! `microlp` backend (branch and bound).
//!
//! Model for one team, over the plan's cycle of `I` intervals (the staffing
//! repeats, so shifts running past the end wrap to the start):
//!
//! ```text
//! minimise   Σ_j paid_hours_j · x_j
//! subject to Σ_j cover_ij · (1 − shrinkage) · x_j ≥ required_i   for every interval i
//!            x_j ≥ 0 integer
//! ```
//!
//! `x_j` is the number of scheduled agents on template `j`; `cover_ij` the
//! share of interval `i` a template-`j` agent works (breaks excluded);
//! `required_i` the planned agents on duty. Scheduled agents are absent with
//! probability `shrinkage`, hence the factor (scheduled = on duty / (1 − s)).
//!
//! Templates: the team's `[[team.shift]]` (start, length, days and breaks;
//! their `agents` counts are ignored), or else a default family: 8-hour and
//! 9-hour shifts starting on every hour of every day (one template per start
//! and day, no breaks). The LP relaxation is solved first; its rounded-up
//! solution is feasible, is trimmed (agents taken off while every interval
//! stays covered), and is accepted as it is when within [`MIP_GAP`] of the LP
//! bound; otherwise it warm-starts the integer solve, whose optimality gap is
//! limited to [`MIP_GAP`] (deterministic, unlike a time limit).

use crate::scenario::{Scenario, Staffing};
use good_lp::{
    Expression, Solution, SolverModel, Variable, WithInitialSolution, WithMipGap, microlp,
    variable, variables,
};
use serde::Serialize;

const DAY_S: f64 = 86_400.0;
/// Paid hours of one full-time equivalent per week [convention: a 40-hour week].
pub const FTE_HOURS_PER_WEEK: f64 = 40.0;
/// Relative optimality gap accepted from branch and bound.
pub const MIP_GAP: f32 = 0.005;

/// A shift template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    /// Start, seconds after midnight.
    pub start_s: f64,
    /// Length, seconds (paid).
    pub length_s: f64,
    /// Monday..Sunday on which the shift starts.
    pub days: [bool; 7],
    /// (offset from the start, length) of unavailable breaks, seconds.
    pub breaks: Vec<(f64, f64)>,
}

impl Template {
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
}

/// One line of a roster: a template and the agents scheduled on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The template.
    pub template: Template,
    /// Agents scheduled on it (each works every day of the template).
    pub agents: u32,
    /// Paid hours of these agents over the plan's cycle.
    pub paid_hours: f64,
}

/// A team's roster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roster {
    /// Templates with at least one agent.
    pub lines: Vec<Line>,
    /// Paid hours over the plan's cycle.
    pub paid_hours: f64,
    /// Paid hours per week ÷ [`FTE_HOURS_PER_WEEK`].
    pub fte: f64,
    /// Paid hours × `costs.human_per_hour`, when given.
    pub cost: Option<f64>,
    /// Lower bound on paid hours from the LP relaxation.
    pub lp_bound_hours: f64,
    /// Expected agents on duty per interval: Σ cover · (1 − shrinkage) · agents.
    pub on_duty: Vec<f64>,
    /// Intervals with a requirement that no template covers.
    pub uncovered: Vec<usize>,
}

/// Why a roster could not be made.
#[derive(Debug, thiserror::Error)]
#[error("roster for team {team:?}: {message}")]
pub struct RosterError {
    /// Team name.
    pub team: String,
    /// The solver's complaint.
    pub message: String,
}

/// The templates a team is rostered on.
pub fn templates(scenario: &Scenario, team: usize) -> Vec<Template> {
    if let Staffing::Shifts(shifts) = &scenario.teams[team].staffing
        && !shifts.is_empty()
    {
        return shifts
            .iter()
            .map(|s| Template {
                start_s: s.start_s,
                length_s: s.length_s,
                days: s.days,
                breaks: s.breaks.clone(),
            })
            .collect();
    }
    let mut out = Vec::with_capacity(24 * 2 * 7);
    for day in 0..7 {
        for hour in 0..24 {
            for hours in [8.0, 9.0] {
                let mut days = [false; 7];
                days[day] = true;
                out.push(Template {
                    start_s: f64::from(hour) * 3600.0,
                    length_s: hours * 3600.0,
                    days,
                    breaks: Vec::new(),
                });
            }
        }
    }
    out
}

/// Coverage of each interval by one agent on `template` over the cycle,
/// and its paid hours over the cycle.
fn coverage(
    template: &Template,
    interval_s: f64,
    intervals: usize,
    start_weekday: u32,
) -> (Vec<f64>, f64) {
    let cycle_s = interval_s * intervals as f64;
    let mut cover = vec![0.0; intervals];
    let mut paid_s = 0.0;
    let days = (cycle_s / DAY_S).ceil() as usize;
    for day in 0..days {
        let weekday = (start_weekday as usize + day) % 7;
        let start = day as f64 * DAY_S + template.start_s;
        if !template.days[weekday] || start >= cycle_s {
            continue;
        }
        paid_s += template.length_s;
        let mut from = 0.0;
        let mut pieces = Vec::new();
        for &(after, len) in &template.breaks {
            pieces.push((from, after.min(template.length_s)));
            from = (after + len).min(template.length_s);
        }
        pieces.push((from, template.length_s));
        for (a, b) in pieces {
            add_span(&mut cover, start + a, start + b, interval_s, cycle_s);
        }
    }
    (cover, paid_s / 3600.0)
}

/// Adds the time worked in `[from, to)` (wrapping around the cycle) to each
/// interval, as a share of the interval's length.
fn add_span(cover: &mut [f64], from: f64, to: f64, interval_s: f64, cycle_s: f64) {
    let mut t = from;
    while t < to - 1e-9 {
        let pos = t.rem_euclid(cycle_s);
        let i = ((pos / interval_s) as usize).min(cover.len() - 1);
        let interval_end = (i + 1) as f64 * interval_s;
        let piece = (interval_end - pos).min(to - t);
        cover[i] += piece / interval_s;
        t += piece;
    }
}

/// Rosters team `team` to cover `required` agents on duty per interval.
pub fn roster(scenario: &Scenario, team: usize, required: &[u32]) -> Result<Roster, RosterError> {
    let sim = &scenario.simulation;
    let start_weekday = super::start_weekday(scenario);
    let shrinkage = scenario.teams[team].shrinkage;
    let available = 1.0 - shrinkage;
    // Templates that never start within the cycle (e.g. a Sunday shift in a
    // two-day plan) are left out.
    let (templates, cover): (Vec<Template>, Vec<(Vec<f64>, f64)>) = templates(scenario, team)
        .into_iter()
        .map(|t| {
            let c = coverage(&t, sim.interval_s, required.len(), start_weekday);
            (t, c)
        })
        .filter(|(_, (_, paid))| *paid > 0.0)
        .unzip();
    let err = |message: String| RosterError {
        team: scenario.teams[team].name.clone(),
        message,
    };
    let uncovered: Vec<usize> = (0..required.len())
        .filter(|&i| required[i] > 0 && cover.iter().all(|(c, _)| c[i] <= 0.0))
        .collect();
    let rows: Vec<usize> = (0..required.len())
        .filter(|&i| required[i] > 0 && !uncovered.contains(&i))
        .collect();
    let solve = |integer: bool, start: Option<&[f64]>| -> Result<Vec<f64>, RosterError> {
        let mut vars = variables!();
        let x: Vec<Variable> = (0..templates.len())
            .map(|j| {
                let mut def = variable().min(0.0);
                if integer {
                    def = def.integer();
                }
                if let Some(s) = start {
                    def = def.initial(s[j]);
                }
                vars.add(def)
            })
            .collect();
        let objective: Expression = x.iter().zip(&cover).map(|(&v, (_, paid))| *paid * v).sum();
        let mut model = vars.minimise(objective).using(microlp);
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
        let solution = model.solve().map_err(|e| err(e.to_string()))?;
        Ok(x.iter().map(|&v| solution.value(v)).collect())
    };
    let (agents, lp_bound_hours) = if rows.is_empty() {
        (vec![0u32; templates.len()], 0.0)
    } else {
        let relaxed = solve(false, None)?;
        let bound: f64 = relaxed.iter().zip(&cover).map(|(x, (_, p))| x * p).sum();
        let rounded: Vec<f64> = relaxed.iter().map(|x| (x - 1e-7).ceil().max(0.0)).collect();
        let improved = trim(&rounded, &cover, &rows, required, available);
        let cost: f64 = improved.iter().zip(&cover).map(|(x, (_, p))| x * p).sum();
        // The trimmed rounding is already within the accepted gap of the LP
        // bound: branch and bound could not do better than the gap allows
        // (and is slow on many symmetric templates, e.g. rotating days off).
        let integral = if cost <= bound * (1.0 + f64::from(MIP_GAP)) {
            improved
        } else {
            solve(true, Some(&improved))?
        };
        let agents = integral.iter().map(|x| x.round().max(0.0) as u32).collect();
        (agents, bound)
    };
    let mut on_duty = vec![0.0; required.len()];
    let mut lines = Vec::new();
    let mut paid_hours = 0.0;
    for ((template, (c, paid)), &n) in templates.iter().zip(&cover).zip(&agents) {
        if n == 0 {
            continue;
        }
        for (d, ci) in on_duty.iter_mut().zip(c) {
            *d += ci * available * f64::from(n);
        }
        paid_hours += paid * f64::from(n);
        lines.push(Line {
            template: template.clone(),
            agents: n,
            paid_hours: paid * f64::from(n),
        });
    }
    let cycle_weeks = sim.interval_s * required.len() as f64 / (7.0 * DAY_S);
    Ok(Roster {
        lines,
        paid_hours,
        fte: paid_hours / cycle_weeks / FTE_HOURS_PER_WEEK,
        cost: scenario.costs.human_per_hour.map(|p| p * paid_hours),
        lp_bound_hours,
        on_duty,
        uncovered,
    })
}

/// A feasible integer roster no larger than `start` (itself feasible): takes
/// agents off templates, the most paid first, while every row stays covered.
fn trim(
    start: &[f64],
    cover: &[(Vec<f64>, f64)],
    rows: &[usize],
    required: &[u32],
    available: f64,
) -> Vec<f64> {
    let mut x = start.to_vec();
    // Surplus coverage of each covered row.
    let mut slack: Vec<f64> = rows
        .iter()
        .map(|&i| {
            let have: f64 = x
                .iter()
                .zip(cover)
                .map(|(n, (c, _))| n * c[i] * available)
                .sum();
            have - f64::from(required[i])
        })
        .collect();
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| cover[b].1.total_cmp(&cover[a].1).then(a.cmp(&b)));
    for j in order {
        let c = &cover[j].0;
        while x[j] >= 1.0
            && rows
                .iter()
                .zip(&slack)
                .all(|(&i, s)| s - c[i] * available >= -1e-9)
        {
            x[j] -= 1.0;
            for (&i, s) in rows.iter().zip(slack.iter_mut()) {
                *s -= c[i] * available;
            }
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_removes_surplus_and_keeps_every_row_covered() {
        // Two rows; template 0 covers both (paid 9), 1 covers row 0 (paid 8),
        // 2 covers row 1 (paid 8). Need 3 and 2 on duty, no shrinkage.
        let cover = vec![
            (vec![1.0, 1.0], 9.0),
            (vec![1.0, 0.0], 8.0),
            (vec![0.0, 1.0], 8.0),
        ];
        let trimmed = trim(&[2.0, 3.0, 2.0], &cover, &[0, 1], &[3, 2], 1.0);
        for (i, need) in [(0, 3.0), (1, 2.0)] {
            let have: f64 = trimmed.iter().zip(&cover).map(|(x, (c, _))| x * c[i]).sum();
            assert!(have >= need, "row {i}: {have} < {need}");
        }
        // The most paid template goes first while coverage allows: none of it
        // is needed; then the surplus of the others.
        assert_eq!(trimmed, vec![0.0, 3.0, 2.0]);
        // With shrinkage, coverage counts available agents only.
        let t = trim(&[4.0, 0.0, 0.0], &cover, &[0, 1], &[3, 2], 0.75);
        assert_eq!(t, vec![4.0, 0.0, 0.0], "4 × 0.75 = 3: nothing to spare");
    }

    #[test]
    fn spans_wrap_around_the_cycle() {
        let mut cover = vec![0.0; 4];
        // Cycle of 4 h in 1-h intervals; 3:30 to 5:30 wraps to 0:00–1:30.
        add_span(&mut cover, 3.5 * 3600.0, 5.5 * 3600.0, 3600.0, 4.0 * 3600.0);
        assert_eq!(cover, vec![1.0, 0.5, 0.0, 0.5]);
    }

    #[test]
    fn breaks_are_not_covered() {
        let t = Template {
            start_s: 0.0,
            length_s: 4.0 * 3600.0,
            days: [true; 7],
            breaks: vec![(3600.0, 1800.0)],
        };
        let (cover, paid) = coverage(&t, 3600.0, 24, 0);
        assert_eq!(&cover[..5], &[1.0, 0.5, 1.0, 1.0, 0.0]);
        assert_eq!(paid, 4.0);
    }
}
