//! Charts as SVG: demand, service level, ASA and occupancy per interval.
//!
//! Rendered with plotters' SVG backend into a `String`. Text becomes SVG
//! `<text>` elements and no glyph is rasterised, so no system font is needed
//! (the viewer picks a sans-serif). Output is a pure function of the inputs:
//! same input, same bytes.
//!
//! Values are drawn as steps: an interval's value holds from its start to its
//! end, so a single interval is a flat segment and an undefined value (no
//! contacts, no agent time) is a gap. Long horizons are aggregated into buckets
//! of whole intervals, at most [`MAX_BUCKETS`] per series (≤ 2,000 points):
//! offered contacts and occupancy are averaged per interval, service level is
//! weighted by answered + abandoned and ASA by answered contacts.

pub(crate) mod bars;
mod grid;
mod plot;
pub(crate) mod staffing;
mod weekly;

use crate::metrics::{IntervalRow, Kpis, Summary, TeamIntervalRow};
use crate::scenario::{Scenario, format_duration};
use grid::{Cell, Grid, weighted_mean};
use plot::{Layer, Spec, plot};
use plotters::style::RGBColor;

/// One rendered chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File name under `charts/`, e.g. `service_level.svg`.
    pub file_name: String,
    /// Human title (also drawn as the chart's caption).
    pub title: String,
    /// The complete SVG document.
    pub svg: String,
}

/// Most buckets drawn per series; each bucket is two points of a step line.
pub const MAX_BUCKETS: usize = 1000;

/// Colour-blind-friendly series colours (Okabe–Ito first, then Tableau), cycled.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x17, 0xbe, 0xcf),
];

fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn hex(RGBColor(r, g, b): RGBColor) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Palette slot of each team: its first channel's colour when no earlier team
/// took it (so a "voice" team is drawn like the "voice" channel), otherwise
/// the first colour no channel or earlier team uses.
fn team_slots(scenario: &Scenario) -> Vec<usize> {
    let channel_slots = scenario.channels.len().min(PALETTE.len());
    let mut taken: Vec<usize> = Vec::new();
    let mut slots = Vec::with_capacity(scenario.teams.len());
    for (t, team) in scenario.teams.iter().enumerate() {
        let own = team
            .channels
            .first()
            .map(|c| c % PALETTE.len())
            .filter(|c| !taken.contains(c));
        let slot = own.unwrap_or_else(|| {
            (channel_slots..PALETTE.len())
                .chain(0..channel_slots)
                .find(|p| !taken.contains(p))
                .unwrap_or(t % PALETTE.len())
        });
        taken.push(slot);
        slots.push(slot);
    }
    slots
}

/// The colour of channel `i` in every chart, as `#rrggbb`.
pub(crate) fn channel_color_hex(i: usize) -> String {
    hex(color(i))
}

/// The colour of team `i` in every chart, as `#rrggbb`.
pub(crate) fn team_color_hex(scenario: &Scenario, i: usize) -> String {
    hex(color(team_slots(scenario).get(i).copied().unwrap_or(i)))
}

/// Renders every chart, in a fixed order: demand, service level, ASA, occupancy,
/// then attrition when a team has attrition or hiring to show.
///
/// `rows` come from [`crate::metrics::interval_rows`] and `team_occupancy`
/// from [`crate::metrics::team_interval_rows`]; missing cells are gaps.
pub fn render_charts(
    scenario: &Scenario,
    summary: &Summary,
    rows: &[IntervalRow],
    team_occupancy: &[TeamIntervalRow],
) -> Vec<Chart> {
    let n = scenario
        .simulation
        .intervals()
        .max(rows.iter().map(|r| r.interval + 1).max().unwrap_or(0))
        .max(
            team_occupancy
                .iter()
                .map(|t| t.interval + 1)
                .max()
                .unwrap_or(0),
        )
        .max(1);
    let mut grid = Grid::new(summary.interval_s, summary.horizon_s, n);
    grid.start = scenario.start_date;
    let ctx = Ctx {
        scenario,
        summary,
        rows,
        grid,
    };
    vec![
        demand(&ctx),
        service_level(&ctx),
        asa(&ctx),
        occupancy(&ctx, team_occupancy),
    ]
    .into_iter()
    .chain(weekly::attrition(scenario, summary))
    .collect()
}

struct Ctx<'a> {
    scenario: &'a Scenario,
    summary: &'a Summary,
    rows: &'a [IntervalRow],
    grid: Grid,
}

impl Ctx<'_> {
    /// Per channel, the bucketed values of `f` (value, weight) over intervals.
    /// A channel's regions are combined: summed when `sum_regions` (counts),
    /// otherwise averaged with the weights (rates and means).
    fn channel_series(
        &self,
        sum_regions: bool,
        f: impl Fn(&Kpis) -> Cell,
    ) -> Vec<Vec<Option<f64>>> {
        let channels = self.scenario.channels.len();
        let mut parts: Vec<Vec<Vec<Cell>>> = vec![vec![Vec::new(); self.grid.n]; channels];
        for row in self.rows {
            if row.channel < channels && row.interval < self.grid.n {
                parts[row.channel][row.interval].push(f(&row.kpis));
            }
        }
        parts
            .iter()
            .map(|intervals| {
                let cells: Vec<Cell> = intervals
                    .iter()
                    .map(|regions| {
                        let weight = regions.iter().map(|c| c.1).sum();
                        let value = if sum_regions {
                            let defined = regions.iter().filter_map(|c| c.0);
                            regions.iter().any(|c| c.0.is_some()).then(|| defined.sum())
                        } else {
                            weighted_mean(regions.iter().copied())
                        };
                        (value, weight)
                    })
                    .collect();
                self.grid.aggregate(&cells)
            })
            .collect()
    }

    fn caption(&self, title: &str) -> String {
        format!("{title} · {}", self.summary.scenario)
    }

    fn x_desc(&self) -> String {
        let g = &self.grid;
        if g.per_bucket == 1 {
            format!("Day and time ({} intervals)", format_duration(g.interval_s))
        } else {
            format!(
                "Day and time (each step averages {})",
                format_duration(g.interval_s * g.per_bucket as f64)
            )
        }
    }

    fn interval_name(&self) -> String {
        format_duration(self.grid.interval_s)
    }
}

fn demand(ctx: &Ctx) -> Chart {
    let title = "Offered contacts per interval";
    let series = ctx.channel_series(true, |k| (k.offered.mean, 1.0));
    let mut below = vec![0.0; ctx.grid.buckets];
    let mut layers = Vec::new();
    for (c, values) in series.iter().enumerate() {
        let upper: Vec<f64> = below
            .iter()
            .zip(values)
            .map(|(b, v)| b + v.unwrap_or(0.0).max(0.0))
            .collect();
        layers.push(Layer::Band {
            name: ctx.scenario.channels[c].name.clone(),
            color: color(c),
            lower: std::mem::replace(&mut below, upper.clone()),
            upper,
        });
    }
    let spec = Spec {
        caption: ctx.caption(title),
        x_desc: ctx.x_desc(),
        y_desc: format!("Contacts per {} (stacked)", ctx.interval_name()),
        y_max: None,
    };
    chart("demand.svg", title, plot(&spec, &ctx.grid, &layers))
}

fn service_level(ctx: &Ctx) -> Chart {
    // Human-queue service level: targets are human targets (equal to the
    // end-to-end figure without an AI agent or IVR).
    let title = "Service level per interval vs target";
    let series = ctx.channel_series(false, |k| {
        let weight = k.human_offered.mean.unwrap_or(0.0);
        (k.human_service_level.mean.map(|v| v * 100.0), weight)
    });
    let mut layers = Vec::new();
    for (c, channel) in ctx.scenario.channels.iter().enumerate() {
        // Prefer the summary's target: it is what the run was measured against.
        let (target, within_s) = ctx
            .summary
            .channels
            .get(&channel.name)
            .map(|s| (s.sl_target, s.sl_within_s))
            .unwrap_or((channel.service_level.target, channel.service_level.within_s));
        layers.push(Layer::Target {
            color: color(c),
            y: target * 100.0,
        });
        layers.push(Layer::Step {
            name: format!(
                "{} (target {:.0}% in {})",
                channel.name,
                target * 100.0,
                format_duration(within_s)
            ),
            color: color(c),
            values: series[c].clone(),
            dashed_key: true,
        });
    }
    let spec = Spec {
        caption: ctx.caption(title),
        x_desc: ctx.x_desc(),
        y_desc: "Service level (%) · dashed: target".into(),
        y_max: Some(100.0),
    };
    chart("service_level.svg", title, plot(&spec, &ctx.grid, &layers))
}

fn asa(ctx: &Ctx) -> Chart {
    let title = "Average speed of answer per interval";
    let series = ctx.channel_series(false, |k| (k.asa_s.mean, k.answered.mean.unwrap_or(0.0)));
    let layers: Vec<Layer> = series
        .into_iter()
        .enumerate()
        .map(|(c, values)| Layer::Step {
            name: ctx.scenario.channels[c].name.clone(),
            color: color(c),
            values,
            dashed_key: false,
        })
        .collect();
    let spec = Spec {
        caption: ctx.caption(title),
        x_desc: ctx.x_desc(),
        y_desc: "ASA (seconds)".into(),
        y_max: None,
    };
    chart("asa.svg", title, plot(&spec, &ctx.grid, &layers))
}

fn occupancy(ctx: &Ctx, team_occupancy: &[TeamIntervalRow]) -> Chart {
    let title = "Agent occupancy per team and interval";
    let teams = ctx.scenario.teams.len();
    let mut cells = vec![vec![(None, 0.0); ctx.grid.n]; teams];
    for row in team_occupancy {
        let (interval, team, est) = (row.interval, row.team, row.occupancy);
        if team < teams && interval < ctx.grid.n {
            cells[team][interval] = (est.mean.map(|v| v * 100.0), 1.0);
        }
    }
    let slots = team_slots(ctx.scenario);
    let layers: Vec<Layer> = cells
        .iter()
        .enumerate()
        .map(|(t, c)| Layer::Step {
            name: format!(
                "{} ({} agents)",
                ctx.scenario.teams[t].name,
                ctx.scenario.teams[t].headcount()
            ),
            color: color(slots[t]),
            values: ctx.grid.aggregate(c),
            dashed_key: false,
        })
        .collect();
    let spec = Spec {
        caption: ctx.caption(title),
        x_desc: ctx.x_desc(),
        y_desc: "Occupancy (% of available time busy)".into(),
        y_max: Some(100.0),
    };
    chart("occupancy.svg", title, plot(&spec, &ctx.grid, &layers))
}

fn chart(file_name: &str, title: &str, svg: String) -> Chart {
    Chart {
        file_name: file_name.into(),
        title: title.into(),
        svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Estimate, summarize};

    const TWO_REGIONS: &str = r#"
name = "two-regions"
[simulation]
horizon = "1d"
interval = "1h"
[[demand.region]]
name = "north"
volume_per_day = 600
profile = "metro"
channel_mix = { voice = 1.0 }
[[demand.region]]
name = "south"
volume_per_day = 300
profile = "tier2"
channel_mix = { voice = 1.0 }
[[team]]
name = "agents"
agents = 5
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

    fn kpis(answered: f64, abandoned: f64, sl: f64, asa: Option<f64>) -> Kpis {
        let e = |m: Option<f64>| Estimate {
            mean: m,
            ci95: None,
        };
        Kpis {
            offered: e(Some(answered + abandoned)),
            answered: e(Some(answered)),
            abandoned: e(Some(abandoned)),
            service_level: e(Some(sl)),
            asa_s: e(asa),
            ..Kpis::default()
        }
    }

    #[test]
    fn a_channels_regions_are_summed_or_weighted() {
        let scenario = Scenario::from_toml_str(TWO_REGIONS, "t.toml").unwrap();
        assert_eq!(scenario.regions.len(), 2);
        let summary = summarize(&scenario, &[]);
        let rows = [
            IntervalRow {
                interval: 0,
                channel: 0,
                region: 0,
                kpis: kpis(10.0, 0.0, 1.0, Some(2.0)),
            },
            IntervalRow {
                interval: 0,
                channel: 0,
                region: 1,
                kpis: kpis(0.0, 5.0, 0.0, None),
            },
        ];
        let ctx = Ctx {
            scenario: &scenario,
            summary: &summary,
            rows: &rows,
            grid: Grid::new(3600.0, 86400.0, 24),
        };
        let offered = ctx.channel_series(true, |k| (k.offered.mean, 1.0));
        assert_eq!(offered[0][0], Some(15.0));
        assert_eq!(offered[0][1], None, "no row: a gap, not zero");
        let sl = ctx.channel_series(false, |k| {
            let w = k.answered.mean.unwrap_or(0.0) + k.abandoned.mean.unwrap_or(0.0);
            (k.service_level.mean, w)
        });
        assert!((sl[0][0].unwrap() - 10.0 / 15.0).abs() < 1e-12);
        let asa = ctx.channel_series(false, |k| (k.asa_s.mean, k.answered.mean.unwrap_or(0.0)));
        assert_eq!(asa[0][0], Some(2.0));
    }

    #[test]
    fn team_colours_follow_their_first_channel() {
        let scenario = Scenario::from_toml_str(TWO_REGIONS, "t.toml").unwrap();
        assert_eq!(team_color_hex(&scenario, 0), channel_color_hex(0));
    }
}
