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
pub(crate) mod coverage;
mod grid;
pub(crate) mod heatmap;
mod plot;
pub(crate) mod staffing;
mod weekly;

use crate::metrics::{IntervalRow, Kpis, Summary, TeamIntervalRow};
use crate::scenario::{Scenario, format_duration};
use grid::{Cell, Grid, weighted_mean};
use heatmap::{HeatData, WeekGrid};
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

/// Renders every chart from rows held in memory (see [`ChartData`] to stream
/// them): demand, service level, ASA, occupancy, then fatigue when a team
/// models it and attrition when a team has attrition or hiring to show.
/// Rows are interval-major; missing cells are gaps.
pub fn render_charts(
    scenario: &Scenario,
    summary: &Summary,
    rows: &[IntervalRow],
    team_rows: &[TeamIntervalRow],
) -> Vec<Chart> {
    let mut data = ChartData::new(scenario, summary);
    let mut teams = team_rows;
    for group in rows.chunk_by(|a, b| a.interval == b.interval) {
        let interval = group[0].interval;
        // Team rows of earlier intervals without contact rows come first.
        while let Some(t) = teams.first().filter(|t| t.interval < interval) {
            let n = teams
                .iter()
                .take_while(|u| u.interval == t.interval)
                .count();
            data.push(&[], &teams[..n]);
            teams = &teams[n..];
        }
        let n = teams.iter().take_while(|t| t.interval == interval).count();
        data.push(group, &teams[..n]);
        teams = &teams[n..];
    }
    for group in teams.chunk_by(|a, b| a.interval == b.interval) {
        data.push(&[], group);
    }
    data.render(scenario, summary)
}

/// Per-bucket accumulator of [`weighted_mean`] (order-preserving, so a
/// bucket's value is the same as aggregating its intervals at once).
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    sw: f64,
    swv: f64,
    count: usize,
    sum: f64,
}

impl Acc {
    fn push(&mut self, (v, w): Cell) {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            self.count += 1;
            self.sum += v;
            if w > 0.0 {
                self.sw += w;
                self.swv += w * v;
            }
        }
    }

    fn value(&self) -> Option<f64> {
        if self.sw > 0.0 {
            Some(self.swv / self.sw)
        } else {
            (self.count > 0).then(|| self.sum / self.count as f64)
        }
    }
}

/// Sum of the defined values; `None` when none is (a gap, not zero).
fn sum_defined(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values
        .flatten()
        .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}

/// Chart series accumulated one interval at a time: memory is bounded by the
/// number of buckets ([`MAX_BUCKETS`]), not by the horizon.
pub struct ChartData {
    grid: Grid,
    /// Per channel, per bucket.
    offered: Vec<Vec<Acc>>,
    /// Per region, per bucket.
    offered_region: Vec<Vec<Acc>>,
    service_level: Vec<Vec<Acc>>,
    asa: Vec<Vec<Acc>>,
    /// Per team, per bucket.
    occupancy: Vec<Vec<Acc>>,
    fatigue: Vec<Vec<Acc>>,
    /// Service level per (weekday, time of day) and channel; `None` for
    /// intervals of a day or more.
    heat: Option<HeatData>,
}

impl ChartData {
    /// Empty series on the scenario's time axis.
    pub fn new(scenario: &Scenario, summary: &Summary) -> ChartData {
        let n = scenario.simulation.intervals().max(1);
        let mut grid = Grid::new(summary.interval_s, summary.horizon_s, n);
        grid.start = scenario.start_date;
        let per = |k: usize| vec![vec![Acc::default(); grid.buckets]; k];
        let (channels, teams) = (scenario.channels.len(), scenario.teams.len());
        let weekday = scenario
            .start_date
            .map_or(0, |d| chrono::Datelike::weekday(&d).num_days_from_monday());
        let heat = WeekGrid::new(grid.interval_s, weekday).map(|g| HeatData::new(g, channels));
        ChartData {
            grid,
            offered: per(channels),
            offered_region: per(scenario.regions.len()),
            service_level: per(channels),
            asa: per(channels),
            occupancy: per(teams),
            fatigue: per(teams),
            heat,
        }
    }

    /// Adds one interval: its contact rows (every region of every channel)
    /// and its team rows. Intervals must come in order.
    pub fn push(&mut self, rows: &[IntervalRow], team_rows: &[TeamIntervalRow]) {
        let interval = match (rows.first(), team_rows.first()) {
            (Some(r), _) => r.interval,
            (None, Some(t)) => t.interval,
            (None, None) => return,
        };
        if interval >= self.grid.n {
            return;
        }
        let b = interval / self.grid.per_bucket;
        for (c, ((offered, sl), asa)) in self
            .offered
            .iter_mut()
            .zip(&mut self.service_level)
            .zip(&mut self.asa)
            .enumerate()
        {
            let regions = || rows.iter().filter(move |r| r.channel == c).map(|r| &r.kpis);
            if regions().next().is_none() {
                continue;
            }
            // Counts are summed over regions; rates are weighted means.
            offered[b].push((sum_defined(regions().map(|k| k.offered.mean)), 1.0));
            let human = |k: &Kpis| {
                let weight = k.human_offered.mean.unwrap_or(0.0);
                (k.human_service_level.mean.map(|v| v * 100.0), weight)
            };
            let weighted = |f: &dyn Fn(&Kpis) -> Cell| {
                let cells: Vec<Cell> = regions().map(f).collect();
                (
                    weighted_mean(cells.iter().copied()),
                    cells.iter().map(|c| c.1).sum(),
                )
            };
            let human_sl = weighted(&human);
            sl[b].push(human_sl);
            if let Some(heat) = &mut self.heat {
                heat.push(c, interval, human_sl.0, human_sl.1);
            }
            asa[b].push(weighted(&|k: &Kpis| {
                (k.asa_s.mean, k.answered.mean.unwrap_or(0.0))
            }));
        }
        for (r, offered) in self.offered_region.iter_mut().enumerate() {
            let of_region = rows.iter().filter(|row| row.region == r);
            offered[b].push((sum_defined(of_region.map(|row| row.kpis.offered.mean)), 1.0));
        }
        for row in team_rows {
            if row.team < self.occupancy.len() {
                let started = row.started.mean.unwrap_or(0.0);
                self.occupancy[row.team][b].push((row.occupancy.mean.map(|v| v * 100.0), 1.0));
                // As handle time added, %: 0 = rested, so the axis from 0 reads naturally.
                let added = row.fatigue.mean.map(|m| (m - 1.0) * 100.0);
                self.fatigue[row.team][b].push((added, started));
            }
        }
    }

    /// The charts, in a fixed order: demand, service level, ASA, occupancy,
    /// then fatigue when a team models it and attrition when a team has
    /// attrition or hiring to show.
    pub fn render(self, scenario: &Scenario, summary: &Summary) -> Vec<Chart> {
        let values = |series: &[Vec<Acc>]| -> Vec<Vec<Option<f64>>> {
            series
                .iter()
                .map(|buckets| buckets.iter().map(Acc::value).collect())
                .collect()
        };
        let ctx = Ctx {
            scenario,
            summary,
            grid: self.grid,
        };
        let channels: Vec<(String, RGBColor)> = (scenario.channels.iter().enumerate())
            .map(|(c, ch)| (ch.name.clone(), color(c)))
            .collect();
        let mut charts = vec![demand(
            &ctx,
            "demand.svg",
            "Offered contacts per interval",
            &channels,
            &values(&self.offered),
        )];
        if scenario.regions.len() > 1 {
            // Region colours follow the channels' in the palette, so the two
            // demand charts never suggest a region is a channel.
            let regions: Vec<(String, RGBColor)> = (scenario.regions.iter().enumerate())
                .map(|(r, reg)| (reg.name.clone(), color(channels.len() + r)))
                .collect();
            charts.push(demand(
                &ctx,
                "demand_regions.svg",
                "Offered contacts per interval by region",
                &regions,
                &values(&self.offered_region),
            ));
        }
        if let Some(heat) = &self.heat {
            charts.extend(heatmap::run_heatmap(&ctx, heat));
        }
        charts.extend([
            service_level(&ctx, &values(&self.service_level)),
            asa(&ctx, &values(&self.asa)),
            occupancy(&ctx, &values(&self.occupancy)),
        ]);
        if scenario.teams.iter().any(|t| t.fatigue.is_some()) {
            charts.push(fatigue(&ctx, &values(&self.fatigue)));
        }
        charts.extend(weekly::attrition(scenario, summary));
        charts
    }
}

struct Ctx<'a> {
    scenario: &'a Scenario,
    summary: &'a Summary,
    grid: Grid,
}

impl Ctx<'_> {
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

    /// One step layer per team, in the team's colour.
    fn team_layers(&self, series: &[Vec<Option<f64>>]) -> Vec<Layer> {
        let slots = team_slots(self.scenario);
        series
            .iter()
            .enumerate()
            .map(|(t, values)| Layer::Step {
                name: format!(
                    "{} ({} agents)",
                    self.scenario.teams[t].name,
                    self.scenario.teams[t].headcount()
                ),
                color: color(slots[t]),
                values: values.clone(),
                dashed_key: false,
            })
            .collect()
    }
}

/// Offered contacts stacked by group (channels or regions), one band each.
fn demand(
    ctx: &Ctx,
    file: &str,
    title: &str,
    groups: &[(String, RGBColor)],
    series: &[Vec<Option<f64>>],
) -> Chart {
    let mut below = vec![0.0; ctx.grid.buckets];
    let mut layers = Vec::new();
    for ((name, colour), values) in groups.iter().zip(series) {
        let upper: Vec<f64> = below
            .iter()
            .zip(values)
            .map(|(b, v)| b + v.unwrap_or(0.0).max(0.0))
            .collect();
        layers.push(Layer::Band {
            name: name.clone(),
            color: *colour,
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
    chart(file, title, plot(&spec, &ctx.grid, &layers))
}

/// Human-queue service level: targets are human targets (equal to the
/// end-to-end figure without an AI agent or IVR).
fn service_level(ctx: &Ctx, series: &[Vec<Option<f64>>]) -> Chart {
    let title = "Service level per interval vs target";
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

fn asa(ctx: &Ctx, series: &[Vec<Option<f64>>]) -> Chart {
    let title = "Average speed of answer per interval";
    let layers: Vec<Layer> = series
        .iter()
        .enumerate()
        .map(|(c, values)| Layer::Step {
            name: ctx.scenario.channels[c].name.clone(),
            color: color(c),
            values: values.clone(),
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

fn occupancy(ctx: &Ctx, series: &[Vec<Option<f64>>]) -> Chart {
    let title = "Agent occupancy per team and interval";
    let spec = Spec {
        caption: ctx.caption(title),
        x_desc: ctx.x_desc(),
        y_desc: "Occupancy (% of available time busy)".into(),
        y_max: Some(100.0),
    };
    chart(
        "occupancy.svg",
        title,
        plot(&spec, &ctx.grid, &ctx.team_layers(series)),
    )
}

/// Handle time added by fatigue, % (the mean fatigue multiplier − 1) of the contacts each team started
/// (1.0 = rested), weighted by contacts started.
fn fatigue(ctx: &Ctx, series: &[Vec<Option<f64>>]) -> Chart {
    let title = "Fatigue per team and interval";
    let spec = Spec {
        caption: ctx.caption(title),
        x_desc: ctx.x_desc(),
        y_desc: "Handle time added by fatigue (%, 0 = rested)".into(),
        y_max: None,
    };
    chart(
        "fatigue.svg",
        title,
        plot(&spec, &ctx.grid, &ctx.team_layers(series)),
    )
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
            human_offered: e(Some(answered + abandoned)),
            human_service_level: e(Some(sl)),
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
        let mut data = ChartData::new(&scenario, &summary);
        data.push(&rows, &[]);
        let value = |series: &[Vec<Acc>], b: usize| series[0][b].value();
        assert_eq!(value(&data.offered, 0), Some(15.0));
        assert_eq!(value(&data.offered, 1), None, "no row: a gap, not zero");
        assert_eq!(data.offered_region[0][0].value(), Some(10.0), "north");
        assert_eq!(data.offered_region[1][0].value(), Some(5.0), "south");
        // Human-queue SL weighted by human offered (10 and 5 here): 100% and 0%.
        assert!((value(&data.service_level, 0).unwrap() - 100.0 * 10.0 / 15.0).abs() < 1e-9);
        assert_eq!(
            value(&data.asa, 0),
            Some(2.0),
            "weighted by answered: 10 and 0"
        );
    }

    #[test]
    fn team_colours_follow_their_first_channel() {
        let scenario = Scenario::from_toml_str(TWO_REGIONS, "t.toml").unwrap();
        assert_eq!(team_color_hex(&scenario, 0), channel_color_hex(0));
    }
}
