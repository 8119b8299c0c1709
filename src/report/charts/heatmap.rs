//! `service_level_heatmap.svg`: service level as a weekday × time-of-day heat
//! map, one facet per channel, for `cxsim run` and `cxsim plan`.
//!
//! Interval lines of service level read as noise on a week of 15-minute
//! intervals (a forest of 0–100% spikes); a planner asks instead *when in the
//! week* service is short. Each cell is one (weekday, time of day): rows are
//! Monday to Sunday, columns the time-of-day bins of [`WeekGrid`]. A cell
//! averages every interval of the horizon that falls in it — the same weekday
//! and time in every week of a multi-week run — weighted by the contacts that
//! reached the human queue (as merged steps of the line chart are), so a busy
//! Monday counts more than a quiet one. A cell without contacts is grey.
//!
//! The colour scale is one for every facet (0–100%, ColorBrewer RdYlBu:
//! red low, blue high, readable with the common colour-vision deficiencies;
//! stretched above 60%, where targets lie), so channels compare at a glance.
//! A cell whose mean is below its channel's target carries a dark dot, and
//! each facet's heading gives the target and how many cells fall below it.

use super::plot::{AXIS, DRAW, FONT, TEXT, WIDTH};
use super::{Acc, Chart, Ctx, chart};
use crate::scenario::format_duration;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// File name of the chart under `charts/`.
pub(crate) const FILE_NAME: &str = "service_level_heatmap.svg";

const DAY_S: f64 = 86_400.0;
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// Widths of a time-of-day bin tried in order: the first that is at least
/// the interval and holds a whole number of intervals (so every interval
/// falls in exactly one bin). At most 96 columns a day keeps cells readable.
const BIN_S: [f64; 9] = [
    900.0, 1800.0, 3600.0, 7200.0, 10800.0, 14400.0, 21600.0, 43200.0, 86400.0,
];

/// Height of a weekday row, pixels; cells are drawn [`CELL_GAP`] shorter.
const ROW_H: i32 = 20;
/// White space between cells, pixels (drawn rectangles are `ROW_H − CELL_GAP` high).
const CELL_GAP: i32 = 2;
const LEFT: i32 = 72;
const RIGHT: i32 = 24;
const LEGEND_H: i32 = 52;
/// A facet: heading, seven rows, time-of-day labels, spacing.
const FACET_H: i32 = 30 + 7 * ROW_H + 26 + 12;
const X_DESC_H: i32 = 30;
/// Colour-bar steps in the legend (drawn 12 px high, unlike cells).
const SCALE_STEPS: i32 = 40;
/// Radius of the dot marking a cell below target, pixels.
const DOT_R: i32 = 2;
const NO_DATA: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
/// Where each of [`STOPS`] sits, service level %: most of the scale is
/// spent above 60%, where targets and most cells lie, so 75% and 95% read
/// as different colours.
const STOP_AT: [f64; 7] = [0.0, 40.0, 60.0, 70.0, 80.0, 90.0, 100.0];
/// ColorBrewer RdYlBu (7 classes), from 0% to 100%.
const STOPS: [RGBColor; 7] = [
    RGBColor(0xd7, 0x30, 0x27),
    RGBColor(0xfc, 0x8d, 0x59),
    RGBColor(0xfe, 0xe0, 0x90),
    RGBColor(0xff, 0xff, 0xbf),
    RGBColor(0xe0, 0xf3, 0xf8),
    RGBColor(0x91, 0xbf, 0xdb),
    RGBColor(0x45, 0x75, 0xb4),
];

/// Where an interval falls on the week: a weekday row and a time-of-day bin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WeekGrid {
    interval_s: f64,
    /// Width of a time-of-day bin, seconds.
    pub bin_s: f64,
    /// Time-of-day bins per day (columns).
    pub bins: usize,
    /// Weekday of the horizon's first day (Monday 0).
    start_weekday: usize,
}

impl WeekGrid {
    /// The grid for intervals of `interval_s` from 00:00 of a day with
    /// weekday `start_weekday` (Monday 0); `None` for intervals of a day or
    /// more, which have no time of day to show.
    pub fn new(interval_s: f64, start_weekday: u32) -> Option<WeekGrid> {
        if !(interval_s > 0.0 && interval_s < DAY_S) {
            return None;
        }
        let whole = |b: &&f64| {
            let k = **b / interval_s;
            **b >= interval_s - 1e-9 && (k - k.round()).abs() < 1e-9
        };
        // An interval dividing no bin (e.g. 7 min) is placed by its start.
        let bin_s = BIN_S
            .iter()
            .find(whole)
            .or_else(|| BIN_S.iter().find(|b| **b >= interval_s))
            .copied()?;
        Some(WeekGrid {
            interval_s,
            bin_s,
            bins: (DAY_S / bin_s).round() as usize,
            start_weekday: start_weekday as usize % 7,
        })
    }

    /// What a cell averages over `intervals` intervals, for the axis title.
    pub fn note(&self, intervals: usize) -> String {
        let weeks = intervals as f64 * self.interval_s / (7.0 * DAY_S);
        let mut note = format!("{} cells", format_duration(self.bin_s));
        if self.bin_s > self.interval_s + 1e-9 {
            note.push_str(&format!(
                " of {} intervals",
                format_duration(self.interval_s)
            ));
        }
        if weeks > 1.0 + 1e-9 {
            note.push_str(&format!(
                "; each cell averages that weekday and time over {:.0} weeks",
                weeks.ceil()
            ));
        }
        note.push_str("; weighted by contacts");
        note
    }

    /// Cells of the grid: 7 weekdays × [`Self::bins`].
    pub fn cells(&self) -> usize {
        7 * self.bins
    }

    /// Index (weekday-major, Monday first) of the cell holding `interval`.
    pub fn cell(&self, interval: usize) -> usize {
        let start_s = interval as f64 * self.interval_s;
        let day = (start_s / DAY_S + 1e-9).floor();
        let weekday = (self.start_weekday + day as usize) % 7;
        let bin =
            (((start_s - day * DAY_S) / self.bin_s + 1e-9).floor() as usize).min(self.bins - 1);
        weekday * self.bins + bin
    }
}

/// Service level per cell and channel, accumulated one interval at a time.
pub(crate) struct HeatData {
    grid: WeekGrid,
    /// Per channel, per cell.
    acc: Vec<Vec<Acc>>,
}

impl HeatData {
    /// Empty cells for `channels` channels.
    pub fn new(grid: WeekGrid, channels: usize) -> HeatData {
        HeatData {
            grid,
            acc: vec![vec![Acc::default(); grid.cells()]; channels],
        }
    }

    /// The grid the cells are on.
    pub fn grid(&self) -> WeekGrid {
        self.grid
    }

    /// Adds channel `channel`'s service level (%) in `interval`, weighted by
    /// its human-offered contacts.
    pub fn push(&mut self, channel: usize, interval: usize, percent: Option<f64>, weight: f64) {
        let cell = self.grid.cell(interval);
        if let Some(cells) = self.acc.get_mut(channel) {
            cells[cell].push((percent, weight));
        }
    }

    /// Each channel's cells: weighted mean service level (%), `None` without contacts.
    pub fn values(&self) -> Vec<Vec<Option<f64>>> {
        self.acc
            .iter()
            .map(|cells| cells.iter().map(Acc::value).collect())
            .collect()
    }
}

/// One channel's facet.
pub(crate) struct Facet {
    /// Channel name.
    pub name: String,
    /// Service-level target, a share (0–1).
    pub target: f64,
    /// What the target counts, e.g. `in 20s`.
    pub within: String,
}

/// The colour of a service level (%) on the scale: piecewise linear between
/// [`STOPS`] placed at [`STOP_AT`].
fn scale(percent: f64) -> RGBColor {
    let x = percent.clamp(0.0, 100.0);
    let i = STOP_AT[1..]
        .iter()
        .position(|&at| x <= at)
        .unwrap_or(STOP_AT.len() - 2);
    let f = (x - STOP_AT[i]) / (STOP_AT[i + 1] - STOP_AT[i]);
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + f * (f64::from(q) - f64::from(p))).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn text_style(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    (FONT, size).into_font().color(&TEXT).pos(Pos::new(h, v))
}

/// The heat map of `data`, one facet per channel of `facets` (in channel
/// order); `caption` names the source (scenario) and `note` says what a
/// cell averages. `None` without a channel.
pub(crate) fn heatmap(
    title: &str,
    caption: &str,
    note: &str,
    facets: &[Facet],
    data: &HeatData,
) -> Option<Chart> {
    if facets.is_empty() {
        return None;
    }
    let grid = data.grid;
    let values = data.values();
    let height = (40 + LEGEND_H + FACET_H * facets.len() as i32 + X_DESC_H) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).expect(DRAW);
        let title_style = (FONT, 22, FontStyle::Bold).into_font().color(&TEXT);
        let body = root.titled(caption, title_style).expect(DRAW);
        let (legend, mut rest) = body.split_vertically(LEGEND_H);
        draw_legend(&legend);
        for (facet, cells) in facets.iter().zip(&values) {
            let (area, below) = rest.split_vertically(FACET_H);
            draw_facet(&area, facet, cells, grid.bins);
            rest = below;
        }
        rest.draw(&Text::new(
            format!("Time of day ({note})"),
            ((LEFT + WIDTH as i32 - RIGHT) / 2, 4),
            text_style(16, HPos::Center, VPos::Top),
        ))
        .expect(DRAW);
        root.present().expect(DRAW);
    }
    Some(chart(FILE_NAME, title, svg))
}

/// The colour bar (0–100%) and the no-contacts key.
fn draw_legend(area: &DrawingArea<SVGBackend, Shift>) {
    area.draw(&Text::new(
        "Service level",
        (LEFT, 14),
        text_style(15, HPos::Left, VPos::Center),
    ))
    .expect(DRAW);
    let (x0, step) = (LEFT + 110, 8);
    for s in 0..SCALE_STEPS {
        let pct = 100.0 * (f64::from(s) + 0.5) / f64::from(SCALE_STEPS);
        let x = x0 + s * step;
        area.draw(&Rectangle::new(
            [(x, 8), (x + step, 20)],
            scale(pct).filled(),
        ))
        .expect(DRAW);
    }
    for k in 0..=5 {
        let x = x0 + k * SCALE_STEPS * step / 5;
        area.draw(&PathElement::new([(x, 20), (x, 24)], AXIS.stroke_width(1)))
            .expect(DRAW);
        area.draw(&Text::new(
            format!("{}%", 20 * k),
            (x, 26),
            text_style(13, HPos::Center, VPos::Top),
        ))
        .expect(DRAW);
    }
    let kx = x0 + SCALE_STEPS * step + 40;
    area.draw(&Rectangle::new([(kx, 8), (kx + 16, 20)], NO_DATA.filled()))
        .expect(DRAW);
    area.draw(&Text::new(
        "no contacts",
        (kx + 24, 14),
        text_style(15, HPos::Left, VPos::Center),
    ))
    .expect(DRAW);
    let dx = kx + 140;
    area.draw(&Circle::new((dx + 8, 14), DOT_R, TEXT.filled()))
        .expect(DRAW);
    area.draw(&Text::new(
        "below target",
        (dx + 24, 14),
        text_style(15, HPos::Left, VPos::Center),
    ))
    .expect(DRAW);
}

/// A cell's mean service level (%) below a target (a share).
fn below_target(percent: f64, target: f64) -> bool {
    percent < 100.0 * target - 1e-9
}

/// One channel: heading, seven weekday rows of cells, time-of-day labels.
fn draw_facet(
    area: &DrawingArea<SVGBackend, Shift>,
    facet: &Facet,
    cells: &[Option<f64>],
    bins: usize,
) {
    let below = cells
        .iter()
        .flatten()
        .filter(|v| below_target(**v, facet.target))
        .count();
    let with_contacts = cells.iter().flatten().count();
    let heading = format!(
        "{} · target {:.0}% {} · {below} of {with_contacts} cells below target",
        facet.name,
        100.0 * facet.target,
        facet.within
    );
    area.draw(&Text::new(
        heading,
        (LEFT, 14),
        (FONT, 16, FontStyle::Bold)
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    ))
    .expect(DRAW);
    let top = 30;
    let x1 = WIDTH as i32 - RIGHT;
    let x_at = |b: usize| LEFT + ((x1 - LEFT) as f64 * b as f64 / bins as f64).round() as i32;
    for (d, day) in DAYS.iter().enumerate() {
        let y = top + d as i32 * ROW_H;
        area.draw(&Text::new(
            *day,
            (LEFT - 10, y + ROW_H / 2),
            text_style(14, HPos::Right, VPos::Center),
        ))
        .expect(DRAW);
        for b in 0..bins {
            let value = cells[d * bins + b].filter(|v| v.is_finite());
            // Narrow cells (96 a day) keep no vertical gap, so a day reads as a band.
            let gap = i32::from(bins <= 48);
            let (xa, xb) = (x_at(b), x_at(b + 1) - gap);
            area.draw(&Rectangle::new(
                [(xa, y), (xb, y + ROW_H - CELL_GAP)],
                value.map_or(NO_DATA, scale).filled(),
            ))
            .expect(DRAW);
            if value.is_some_and(|v| below_target(v, facet.target)) {
                let centre = ((xa + xb) / 2, y + (ROW_H - CELL_GAP) / 2);
                area.draw(&Circle::new(centre, DOT_R, TEXT.filled()))
                    .expect(DRAW);
            }
        }
    }
    // Ticks every 3 hours (every hour on coarse bins would crowd the axis).
    let y = top + 7 * ROW_H;
    for h in (0..=24).step_by(3) {
        let x = LEFT + ((x1 - LEFT) as f64 * f64::from(h) / 24.0).round() as i32;
        area.draw(&PathElement::new(
            [(x, y), (x, y + 4)],
            AXIS.stroke_width(1),
        ))
        .expect(DRAW);
        area.draw(&Text::new(
            format!("{h:02}:00"),
            (x, y + 6),
            text_style(13, HPos::Center, VPos::Top),
        ))
        .expect(DRAW);
    }
}

/// The human-queue service level of the run as a weekday × time-of-day
/// heat map, before the interval lines.
pub(super) fn run_heatmap(ctx: &Ctx, heat: &HeatData) -> Option<Chart> {
    let facets: Vec<Facet> = (ctx.scenario.channels.iter())
        .map(|channel| {
            let (target, within_s) = ctx
                .summary
                .channels
                .get(&channel.name)
                .map(|s| (s.sl_target, s.sl_within_s))
                .unwrap_or((channel.service_level.target, channel.service_level.within_s));
            Facet {
                name: channel.name.clone(),
                target,
                within: format!("in {}", format_duration(within_s)),
            }
        })
        .collect();
    let title = "Service level by weekday and time of day";
    heatmap(
        title,
        &ctx.caption(title),
        &heat.grid().note(ctx.grid.n),
        &facets,
        heat,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_fall_in_weekday_and_time_of_day_cells() {
        let g = WeekGrid::new(900.0, 0).unwrap();
        assert_eq!((g.bins, g.bin_s), (96, 900.0));
        assert_eq!(g.cell(0), 0);
        assert_eq!(g.cell(95), 95, "Monday 23:45");
        assert_eq!(g.cell(96), 96, "Tuesday 00:00");
        assert_eq!(g.cell(7 * 96 + 5), 5, "a second week folds onto the first");
        // 5-minute intervals: three per 15-minute cell.
        let g = WeekGrid::new(300.0, 0).unwrap();
        assert_eq!((g.cell(2), g.cell(3)), (0, 1));
        // A horizon starting on a Wednesday.
        let g = WeekGrid::new(3600.0, 2).unwrap();
        assert_eq!(g.bins, 24);
        assert_eq!(g.cell(0), 2 * 24);
        assert_eq!(g.cell(5 * 24), 0, "Monday");
        // 45 minutes: 1h30 bins do not exist, 3h ones hold four intervals.
        assert_eq!(WeekGrid::new(2700.0, 0).unwrap().bin_s, 10800.0);
        assert!(WeekGrid::new(DAY_S, 0).is_none());
    }

    #[test]
    fn cells_average_weeks_weighted_by_contacts() {
        let g = WeekGrid::new(3600.0, 0).unwrap();
        let mut data = HeatData::new(g, 1);
        data.push(0, 9, Some(100.0), 30.0);
        data.push(0, 7 * 24 + 9, Some(50.0), 10.0);
        data.push(0, 10, None, 0.0);
        let v = &data.values()[0];
        assert_eq!(v[9], Some(87.5));
        assert_eq!(v[10], None);
    }

    #[test]
    fn the_scale_runs_red_to_blue() {
        assert_eq!(scale(0.0), STOPS[0]);
        assert_eq!(scale(100.0), STOPS[6]);
        assert_eq!(scale(70.0), STOPS[3]);
        assert_eq!(scale(40.0), STOPS[1]);
        // Halfway between the 80% and 90% stops.
        let (a, b, m) = (STOPS[4], STOPS[5], scale(85.0));
        assert!(m.0.abs_diff(((u16::from(a.0) + u16::from(b.0)) / 2) as u8) <= 1);
        assert_eq!(scale(-5.0), STOPS[0]);
    }

    #[test]
    fn every_cell_is_drawn_with_seven_weekday_labels() {
        let g = WeekGrid::new(3600.0, 0).unwrap();
        let mut data = HeatData::new(g, 2);
        data.push(0, 3, Some(40.0), 1.0);
        let facets: Vec<Facet> = ["voice", "chat"]
            .iter()
            .map(|n| Facet {
                name: n.to_string(),
                target: 0.8,
                within: "in 20s".into(),
            })
            .collect();
        let c = heatmap("t", "t · s", "1h cells", &facets, &data).unwrap();
        let cells = c
            .svg
            .matches(&format!("height=\"{}\"", ROW_H - CELL_GAP))
            .count();
        assert_eq!(cells, 2 * 7 * 24);
        for day in DAYS {
            assert_eq!(
                c.svg.matches(&format!(">\n{day}\n</text>")).count(),
                2,
                "{day}"
            );
        }
        assert!(
            c.svg
                .contains("voice · target 80% in 20s · 1 of 1 cells below target")
        );
    }
}
