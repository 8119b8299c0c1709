//! `staffing.svg` for `cxsim plan`: per team, agents required on duty per
//! interval (the plan) against the agents its roster puts on duty, one panel
//! per team on the plan's time axis.
//!
//! The planner hands over plain per-interval figures, so this module does not
//! depend on the planner's types. Long plans are bucketed like every time
//! chart (a bucket shows the mean of its intervals).

use super::grid::Grid;
use super::plot::{Layer, Panel, plot_panels};
use super::{Chart, chart, color, team_slots};
use crate::scenario::{Scenario, format_duration};

/// File name of the chart under `charts/`.
pub(crate) const FILE_NAME: &str = "staffing.svg";

/// One team's staffing over the plan's intervals.
pub(crate) struct TeamStaffing<'a> {
    /// Index of the team in the scenario (its name and colour).
    pub team: usize,
    /// Agents required on duty per interval (the plan).
    pub required: &'a [u32],
    /// Agents the roster puts on duty per interval (after shrinkage), when
    /// a roster was made.
    pub rostered: Option<&'a [f64]>,
}

/// The chart of `teams` over `intervals` intervals of `interval_s` covering
/// `horizon_s`; `None` without a team.
pub(crate) fn staffing_chart(
    scenario: &Scenario,
    interval_s: f64,
    intervals: usize,
    horizon_s: f64,
    teams: &[TeamStaffing],
) -> Option<Chart> {
    if teams.is_empty() || intervals == 0 {
        return None;
    }
    let title = "Agents required vs rostered per interval";
    let mut grid = Grid::new(interval_s, horizon_s, intervals);
    grid.start = scenario.start_date;
    let slots = team_slots(scenario);
    let panels: Vec<Panel> = teams
        .iter()
        .filter(|t| t.team < scenario.teams.len())
        .map(|t| {
            let team = &scenario.teams[t.team];
            let c = color(slots[t.team]);
            let cells = |v: &mut dyn Iterator<Item = f64>| {
                let mut cells: Vec<(Option<f64>, f64)> = v.map(|x| (Some(x), 1.0)).collect();
                cells.resize(intervals, (None, 0.0));
                grid.aggregate(&cells)
            };
            let mut layers = vec![Layer::Step {
                name: format!("{} required on duty (plan)", team.name),
                color: c,
                values: cells(&mut t.required.iter().map(|&n| f64::from(n))),
                dashed_key: false,
            }];
            if let Some(rostered) = t.rostered {
                layers.push(Layer::Dashed {
                    name: if team.shrinkage > 0.0 {
                        format!(
                            "{} rostered on duty (after {:.0}% shrinkage)",
                            team.name,
                            team.shrinkage * 100.0
                        )
                    } else {
                        format!("{} rostered on duty", team.name)
                    },
                    color: c,
                    values: cells(&mut rostered.iter().copied()),
                });
            }
            Panel {
                y_desc: "Agents on duty".into(),
                y_max: None,
                layers,
            }
        })
        .collect();
    let x_desc = if grid.per_bucket == 1 {
        format!("Day and time ({} intervals)", format_duration(interval_s))
    } else {
        format!(
            "Day and time (each step averages {})",
            format_duration(interval_s * grid.per_bucket as f64)
        )
    };
    let caption = format!("{title} · {}", scenario.name);
    Some(chart(
        FILE_NAME,
        title,
        plot_panels(&caption, &x_desc, &grid, &panels),
    ))
}
