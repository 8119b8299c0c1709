//! `attrition.svg`: per team, agents employed at each week's end, and the
//! quits and hires of each week (means over replications).
//!
//! Drawn only for teams with attrition configured, or whose weeks record a
//! quit or a hire: the engine keeps weekly figures for every team once any
//! team has attrition, and a team without it would show a headcount of 0.

use super::grid::Grid;
use super::plot::{Layer, Panel, plot_panels};
use super::{Chart, chart, color, team_slots};
use crate::metrics::{Summary, WeekSummary};
use crate::scenario::Scenario;

const WEEK_S: f64 = 7.0 * 86_400.0;

/// The attrition chart, or `None` when no team has attrition or hiring to
/// show (or the horizon holds no whole week).
pub(super) fn attrition(scenario: &Scenario, summary: &Summary) -> Option<Chart> {
    let title = "Headcount, quits and hires per week";
    let slots = team_slots(scenario);
    let teams: Vec<(usize, &[WeekSummary])> = scenario
        .teams
        .iter()
        .enumerate()
        .filter_map(|(t, team)| {
            let weeks = summary.teams.get(&team.name)?.weeks.as_slice();
            let moved = weeks.iter().any(|w| w.quits > 0.0 || w.hires > 0.0);
            (!weeks.is_empty() && (team.attrition.is_some() || moved)).then_some((t, weeks))
        })
        .collect();
    let n_weeks = teams.iter().map(|(_, w)| w.len()).max()?;
    let mut grid = Grid::new(WEEK_S, n_weeks as f64 * WEEK_S, n_weeks);
    grid.start = scenario.start_date;
    // One value per week, in week order; a week a team lacks is a gap.
    let series = |weeks: &[WeekSummary], f: fn(&WeekSummary) -> f64| -> Vec<Option<f64>> {
        let mut values = vec![None; n_weeks];
        for w in weeks {
            if let Some(v) = w.week.checked_sub(1).and_then(|i| values.get_mut(i)) {
                *v = Some(f(w));
            }
        }
        values
    };
    let mut headcount = Vec::new();
    let mut flows = Vec::new();
    for &(t, weeks) in &teams {
        let team = &scenario.teams[t];
        let c = color(slots[t]);
        let seats = team.headcount();
        // The seats the team starts with: attrition pulls the line below it,
        // hiring brings it back.
        headcount.push(Layer::Target {
            color: c,
            y: f64::from(seats),
        });
        headcount.push(Layer::Step {
            name: format!("{} (dashed: {seats} seats)", team.name),
            color: c,
            values: series(weeks, |w| w.headcount),
            dashed_key: true,
        });
        flows.push(Layer::Step {
            name: format!("{} hires", team.name),
            color: c,
            values: series(weeks, |w| w.hires),
            dashed_key: false,
        });
        flows.push(Layer::Dashed {
            name: format!("{} quits", team.name),
            color: c,
            values: series(weeks, |w| w.quits),
        });
    }
    let panels = [
        Panel {
            y_desc: "Agents employed at week end".into(),
            y_max: None,
            layers: headcount,
        },
        Panel {
            y_desc: "Agents per week (solid: hires, dashed: quits)".into(),
            y_max: None,
            layers: flows,
        },
    ];
    let caption = format!("{title} · {}", summary.scenario);
    let x_desc = format!(
        "Week (one step per week; means over {} replications)",
        summary.replications
    );
    Some(chart(
        "attrition.svg",
        title,
        plot_panels(&caption, &x_desc, &grid, &panels),
    ))
}
