//! What a planner looks at besides the totals: per team, the agents its
//! roster puts on shift and on duty against the requirement (the coverage
//! chart), the over-coverage per weekday, and the shift mix (starts, lengths,
//! tours); per channel, the service level of the plan's fresh-seed check as a
//! weekday × time-of-day heat map.
//!
//! Figures are computed here and rendered by `output` (plan.md) and
//! `crate::report` (charts), so each is tested on its own.

use super::columns;
use super::roster::{Roster, Template};
use super::{Plan, TeamPlan};
use crate::report::Chart;
use crate::report::coverage::{TeamCoverage, coverage_chart};
use crate::report::heatmap::{Facet, HeatData, WeekGrid, heatmap};
use crate::scenario::{Scenario, format_duration};
use std::collections::BTreeMap;

/// Agents of each shift start, length and tour (working days), in
/// ascending order of the key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShiftMix {
    /// Agents per start time (`HH:MM`).
    pub starts: Vec<(String, u32)>,
    /// Agents per shift length (e.g. `8h`, `4h30m`).
    pub lengths: Vec<(String, u32)>,
    /// Agents per tour (`mon tue wed thu fri`).
    pub tours: Vec<(String, u32)>,
}

/// The shift mix of `roster`: lines that differ only by their placed breaks
/// count under the same start, length and tour.
pub fn shift_mix(roster: &Roster) -> ShiftMix {
    let mut starts: BTreeMap<String, u32> = BTreeMap::new();
    // Lengths sort by duration, not by their text ("10h" after "9h").
    let mut lengths: BTreeMap<u64, u32> = BTreeMap::new();
    let mut tours: BTreeMap<String, u32> = BTreeMap::new();
    for l in roster.lines.iter().filter(|l| l.agents > 0) {
        *starts.entry(l.template.start_text()).or_default() += l.agents;
        *lengths
            .entry(l.template.length_s.round() as u64)
            .or_default() += l.agents;
        *tours.entry(l.template.days_text()).or_default() += l.agents;
    }
    ShiftMix {
        starts: starts.into_iter().collect(),
        lengths: lengths
            .into_iter()
            .map(|(s, n)| (format_duration(s as f64), n))
            .collect(),
        tours: tours.into_iter().collect(),
    }
}

/// One weekday's cover over the plan's cycle (every such weekday summed).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DayCover {
    /// Agent-hours on duty required (the plan).
    pub required_h: f64,
    /// Agent-hours on duty the roster gives (expected: placed breaks and
    /// shrinkage taken out).
    pub on_duty_h: f64,
    /// Agent-hours above the requirement, summed over the intervals where
    /// the roster has more on duty than required.
    pub surplus_h: f64,
    /// Agent-hours below the requirement, summed over the intervals where
    /// the roster has fewer on duty than required.
    pub short_h: f64,
}

impl DayCover {
    /// Over-coverage: on-duty agent-hours minus required ones
    /// (`surplus_h − short_h`).
    pub fn over_h(&self) -> f64 {
        self.on_duty_h - self.required_h
    }
}

/// Cover per weekday, Monday first: `required[i]` and `on_duty[i]` agents
/// in interval `i` of `len_s[i]` seconds (intervals of `interval_s` from
/// 00:00 of a day with weekday `start_weekday`, Monday 0).
pub fn daily_cover(
    required: &[u32],
    on_duty: &[f64],
    len_s: &[f64],
    interval_s: f64,
    start_weekday: u32,
) -> [DayCover; 7] {
    let mut days = [DayCover::default(); 7];
    for (i, ((&need, &have), &len)) in required.iter().zip(on_duty).zip(len_s).enumerate() {
        let day = (i as f64 * interval_s / 86_400.0 + 1e-9).floor() as usize;
        let d = &mut days[(start_weekday as usize + day) % 7];
        let h = len / 3600.0;
        let need = f64::from(need);
        d.required_h += need * h;
        d.on_duty_h += have * h;
        d.surplus_h += (have - need).max(0.0) * h;
        d.short_h += (need - have).max(0.0) * h;
    }
    days
}

/// Agents present on shift per interval of `plan` for team `t`: each line's
/// agents × (1 − shrinkage) over the whole shift, breaks included (the
/// roster's `on_duty` takes them out).
pub fn on_shift(scenario: &Scenario, plan: &Plan, t: usize) -> Vec<f64> {
    let available = 1.0 - scenario.teams.get(t).map_or(0.0, |x| x.shrinkage);
    let mut out = vec![0.0; plan.intervals];
    let Some(team) = plan.teams.get(t) else {
        return out;
    };
    for line in &team.roster.lines {
        let whole = Template {
            breaks: Vec::new(),
            rules: Vec::new(),
            ..line.template.clone()
        };
        let (cover, _) =
            columns::coverage(&whole, plan.interval_s, plan.intervals, plan.start_weekday);
        for (o, c) in out.iter_mut().zip(cover) {
            *o += c * available * f64::from(line.agents);
        }
    }
    out
}

/// Index in `scenario` of a planned team.
fn scenario_team(scenario: &Scenario, t: &TeamPlan) -> Option<usize> {
    scenario.teams.iter().position(|s| s.name == t.name)
}

/// `charts/coverage_<team>.svg` for every team of `plan` (file names from
/// `report::coverage`), in team order.
pub fn coverage_svgs(scenario: &Scenario, plan: &Plan) -> Vec<Chart> {
    let horizon_s = plan.load.interval_len_s.iter().sum::<f64>();
    plan.teams
        .iter()
        .enumerate()
        .filter_map(|(p, t)| {
            let team = scenario_team(scenario, t)?;
            let shift = on_shift(scenario, plan, p);
            let cover = TeamCoverage {
                team,
                required: &t.agents,
                raised: Some(&t.roster_required),
                on_shift: &shift,
                on_duty: &t.roster.on_duty,
            };
            coverage_chart(scenario, plan.interval_s, plan.intervals, horizon_s, &cover)
        })
        .collect()
}

/// `charts/service_level_heatmap.svg`: the human-queue service level of the
/// plan's last fresh-seed check (the rosters simulated) per weekday and time
/// of day; `None` for intervals of a day or more.
pub fn heatmap_svg(plan: &Plan) -> Option<Chart> {
    let grid = WeekGrid::new(plan.interval_s, plan.start_weekday)?;
    let n = plan.channels.len();
    let mut data = HeatData::new(grid, n);
    for (k, cell) in plan.achieved.iter().enumerate() {
        let percent = cell.service_level.mean.map(|v| 100.0 * v);
        data.push(k % n.max(1), k / n.max(1), percent, cell.offered);
    }
    let facets: Vec<Facet> = plan
        .channels
        .iter()
        .map(|c| Facet {
            name: c.name.clone(),
            target: c.sl_target,
            within: if c.deferred {
                format!(
                    "in {} (deferred: judged over the horizon)",
                    format_duration(c.within_s)
                )
            } else {
                format!("in {}", format_duration(c.within_s))
            },
        })
        .collect();
    let title = "Service level of the roster by weekday and time of day";
    heatmap(
        title,
        &format!("{title} · {}", plan.scenario),
        &format!("{}; fresh seeds", grid.note(plan.intervals)),
        &facets,
        &data,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::roster::Line;

    fn line(start_h: f64, length_h: f64, days: [bool; 7], agents: u32) -> Line {
        Line {
            template: Template::fixed(start_h * 3600.0, length_h * 3600.0, days, Vec::new()),
            agents,
            paid_hours: 0.0,
        }
    }

    const WEEKDAYS: [bool; 7] = [true, true, true, true, true, false, false];
    const WEEKEND: [bool; 7] = [false, false, false, false, false, true, true];

    #[test]
    fn shift_mix_counts_agents_by_start_length_and_tour() {
        let mut roster = Roster {
            lines: vec![
                line(8.0, 8.0, WEEKDAYS, 3),
                line(8.0, 8.0, WEEKDAYS, 2), // the same shift, other breaks
                line(9.5, 10.0, WEEKDAYS, 1),
                line(9.5, 4.5, WEEKEND, 4),
                line(22.0, 8.0, WEEKEND, 0), // no agent: not in the mix
            ],
            paid_hours: 0.0,
            fte: 0.0,
            cost: None,
            lp_bound_hours: 0.0,
            columns: 5,
            on_duty: Vec::new(),
            uncovered: Vec::new(),
            unmet_agent_hours: 0.0,
        };
        let mix = shift_mix(&roster);
        let s = |v: &[(&str, u32)]| -> Vec<(String, u32)> {
            v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
        };
        assert_eq!(mix.starts, s(&[("08:00", 5), ("09:30", 5)]));
        assert_eq!(mix.lengths, s(&[("4h30m", 4), ("8h", 5), ("10h", 1)]));
        assert_eq!(mix.tours, s(&[("mon tue wed thu fri", 6), ("sat sun", 4)]));
        roster.lines.clear();
        assert_eq!(shift_mix(&roster), ShiftMix::default());
    }

    #[test]
    fn daily_cover_sums_each_weekday_over_the_cycle() {
        // Two days of 6-hour intervals from a Sunday: Sunday, then Monday.
        let required = [2, 4, 4, 0, 1, 1, 1, 1];
        let on_duty = [3.0, 3.5, 4.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let len = [21_600.0; 8];
        let days = daily_cover(&required, &on_duty, &len, 21_600.0, 6);
        // Sunday: need 2+4+4+0 = 10 agents × 6 h = 60 agent-h; on duty
        // 3+3.5+4+1 = 11.5 × 6 = 69; surplus (1 + 0 + 0 + 1) × 6 = 12;
        // short 0.5 × 6 = 3; over-coverage 69 − 60 = 9 = 12 − 3.
        let sun = days[6];
        assert_eq!(sun.required_h, 60.0);
        assert_eq!(sun.on_duty_h, 69.0);
        assert_eq!(sun.surplus_h, 12.0);
        assert_eq!(sun.short_h, 3.0);
        assert_eq!(sun.over_h(), 9.0);
        // Monday: exactly covered.
        assert_eq!(days[0].required_h, 24.0);
        assert_eq!(days[0].over_h(), 0.0);
        assert_eq!(days[0].surplus_h + days[0].short_h, 0.0);
        assert!(days[1..6].iter().all(|d| *d == DayCover::default()));
    }
}
