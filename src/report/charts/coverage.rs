//! `coverage_<team>.svg` for `cxsim plan`: one chart per team of the agents
//! its roster puts on shift and on duty against the agents required, per
//! interval of the plan.
//!
//! Two bands from zero share the team's colour: agents present on shift
//! (scheduled × (1 − shrinkage), breaks included; light) and, over it, the
//! same agents on duty once breaks are taken out (darker). The light strip
//! left between the two is the team on break, so staggered breaks show as a
//! thin even strip and synchronised ones as a notch. The requirement is a
//! dark step line on top: where the darker band dips below it the roster
//! is short; where it stands above, over-covered.
//!
//! Like `staffing.svg`, this module takes plain per-interval figures, not
//! the planner's types.

use super::grid::Grid;
use super::plot::{Layer, Spec, plot};
use super::{Chart, chart, color, team_slots};
use crate::scenario::{Scenario, format_duration};
use plotters::style::RGBColor;

/// The requirement's line: dark ink, whatever the team's colour.
const REQUIRED: RGBColor = RGBColor(0x1f, 0x29, 0x37);
/// Present on shift: a neutral grey band under the team's on-duty band.
const ON_SHIFT: RGBColor = RGBColor(0x9c, 0xa3, 0xaf);

/// One team's coverage over the plan's intervals.
pub(crate) struct TeamCoverage<'a> {
    /// Index of the team in the scenario (its name and colour).
    pub team: usize,
    /// Agents required on duty per interval (the plan: `simulated_agents`
    /// of plan.csv).
    pub required: &'a [u32],
    /// The requirement the roster covers, when the simulated rosters raised
    /// it above `required` somewhere.
    pub raised: Option<&'a [u32]>,
    /// Agents present on shift per interval: scheduled × (1 − shrinkage),
    /// breaks included.
    pub on_shift: &'a [f64],
    /// Agents on duty per interval: `on_shift` with breaks taken out.
    pub on_duty: &'a [f64],
}

/// File names of the charts of `teams` (names, in team order): `coverage_<team>.svg`,
/// the name reduced to ASCII letters, digits, `-` and `_` (others become
/// `_`), with the team's 1-based position appended when two names reduce
/// to the same text.
pub(crate) fn file_names<'a>(teams: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let slugs: Vec<String> = teams.into_iter().map(slug).collect();
    slugs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if slugs.iter().filter(|x| *x == s).count() > 1 {
                format!("coverage_{s}_{}.svg", i + 1)
            } else {
                format!("coverage_{s}.svg")
            }
        })
        .collect()
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "team".into() } else { s }
}

/// The chart of `t` over `intervals` intervals of `interval_s` covering
/// `horizon_s`; `None` for an unknown team or an empty plan.
pub(crate) fn coverage_chart(
    scenario: &Scenario,
    interval_s: f64,
    intervals: usize,
    horizon_s: f64,
    t: &TeamCoverage,
) -> Option<Chart> {
    let team = scenario.teams.get(t.team)?;
    if intervals == 0 {
        return None;
    }
    let mut grid = Grid::new(interval_s, horizon_s, intervals);
    grid.start = scenario.start_date;
    let cells = |v: &mut dyn Iterator<Item = f64>| {
        let mut cells: Vec<(Option<f64>, f64)> = v.map(|x| (Some(x), 1.0)).collect();
        cells.resize(intervals, (None, 0.0));
        grid.aggregate(&cells)
    };
    let band = |v: &[f64]| -> Vec<f64> {
        cells(&mut v.iter().copied())
            .into_iter()
            .map(|x| x.unwrap_or(0.0))
            .collect()
    };
    let c = color(team_slots(scenario)[t.team]);
    let shrinkage = if team.shrinkage > 0.0 {
        format!(" × (1 − {:.0}% shrinkage)", team.shrinkage * 100.0)
    } else {
        String::new()
    };
    let mut layers = vec![
        Layer::Band {
            name: format!("on shift: scheduled{shrinkage}"),
            color: ON_SHIFT,
            lower: vec![0.0; grid.buckets],
            upper: band(t.on_shift),
        },
        Layer::Band {
            name: "on duty (after breaks; the grey strip above is on break)".into(),
            color: c,
            lower: vec![0.0; grid.buckets],
            upper: band(t.on_duty),
        },
        Layer::Step {
            name: "required on duty (plan)".into(),
            color: REQUIRED,
            values: cells(&mut t.required.iter().map(|&n| f64::from(n))),
            dashed_key: false,
        },
    ];
    if let Some(raised) = t.raised.filter(|r| *r != t.required) {
        layers.push(Layer::Dashed {
            name: "raised by simulating the roster".into(),
            color: REQUIRED,
            values: cells(&mut raised.iter().map(|&n| f64::from(n))),
        });
    }
    let title = format!("Coverage of team {}: required vs scheduled", team.name);
    let x_desc = if grid.per_bucket == 1 {
        format!("Day and time ({} intervals)", format_duration(interval_s))
    } else {
        format!(
            "Day and time (each step averages {})",
            format_duration(interval_s * grid.per_bucket as f64)
        )
    };
    let spec = Spec {
        caption: format!("{title} · {}", scenario.name),
        x_desc,
        y_desc: "Agents".into(),
        y_max: None,
    };
    let name = file_names(scenario.teams.iter().map(|x| x.name.as_str())).swap_remove(t.team);
    Some(chart(&name, &title, plot(&spec, &grid, &layers)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        assert_eq!(slug("Tier <1> & co"), "Tier__1____co");
        assert_eq!(slug(""), "team");
        assert_eq!(
            file_names(["voice", "chat desk"]),
            ["coverage_voice.svg", "coverage_chat_desk.svg"]
        );
        assert_eq!(
            file_names(["a b", "a/b"]),
            ["coverage_a_b_1.svg", "coverage_a_b_2.svg"]
        );
    }

    const ONE_TEAM: &str = r#"
name = "one"
[simulation]
horizon = "4h"
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[[team]]
name = "desk"
agents = 3
shrinkage = 0.25
channels = ["voice"]
handle_time = { dist = "fixed", value = "1m" }
"#;

    #[test]
    fn bands_requirement_and_a_raised_requirement_are_drawn() {
        let s = Scenario::from_toml_str(ONE_TEAM, "t.toml").unwrap();
        let (required, raised) = ([1, 2, 2, 1], [1, 3, 2, 1]);
        let (on_shift, on_duty) = ([1.5, 3.0, 3.0, 1.5], [1.5, 2.25, 3.0, 0.75]);
        let mut t = TeamCoverage {
            team: 0,
            required: &required,
            raised: Some(&raised),
            on_shift: &on_shift,
            on_duty: &on_duty,
        };
        let c = coverage_chart(&s, 3600.0, 4, 4.0 * 3600.0, &t).unwrap();
        assert_eq!(c.file_name, "coverage_desk.svg");
        for label in [
            "on shift: scheduled × (1 − 25% shrinkage)",
            "on duty (after breaks; the grey strip above is on break)",
            "required on duty (plan)",
            "raised by simulating the roster",
        ] {
            assert!(c.svg.contains(label), "{label}");
        }
        // Two bands: a filled outline each.
        assert_eq!(c.svg.matches("<polygon").count(), 2);
        // The same requirement twice is one line.
        t.raised = Some(&required);
        let c = coverage_chart(&s, 3600.0, 4, 4.0 * 3600.0, &t).unwrap();
        assert!(!c.svg.contains("raised by simulating"));
        assert!(coverage_chart(&s, 3600.0, 0, 0.0, &t).is_none());
    }
}
