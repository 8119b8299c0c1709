//! Drawing: stacked bands, step lines with gaps, dashed targets, and a legend
//! beside the plot, onto an in-memory SVG.

use super::grid::Grid;
use plotters::coord::Shift;
use plotters::coord::combinators::WithKeyPoints;
use plotters::coord::types::{RangedCoordf64, RangedCoordi64};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) const WIDTH: u32 = 960;
const HEIGHT: u32 = 420;
pub(super) const FONT: &str = "sans-serif";
pub(super) const DRAW: &str = "drawing into an in-memory SVG string cannot fail";
pub(super) const TEXT: RGBColor = RGBColor(0x1f, 0x29, 0x37);
const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
pub(super) const AXIS: RGBColor = RGBColor(0x6b, 0x72, 0x80);

/// Hours to whole seconds: the x axis is in integer seconds, whose ticks and
/// labels plotters lets us choose (its float axes do not take custom ticks).
fn sec(h: f64) -> i64 {
    (h * 3600.0).round() as i64
}

fn to_sec(points: &[(f64, f64)]) -> Vec<(i64, f64)> {
    points.iter().map(|&(h, y)| (sec(h), y)).collect()
}

/// What a chart draws, bottom layer first.
pub(super) enum Layer {
    /// A stacked band between `lower` and `upper`, one value per bucket.
    Band {
        name: String,
        color: RGBColor,
        lower: Vec<f64>,
        upper: Vec<f64>,
    },
    /// A step line with gaps; `dashed_key` adds a dashed stroke to its legend key
    /// (the series has a dashed [`Layer::Target`]).
    Step {
        name: String,
        color: RGBColor,
        values: Vec<Option<f64>>,
        dashed_key: bool,
    },
    /// A dashed horizontal line across the whole axis (no legend entry of its own).
    Target { color: RGBColor, y: f64 },
    /// A dashed step line with gaps, for a second series in a colour already
    /// used by a solid one (e.g. a team's quits beside its hires).
    Dashed {
        name: String,
        color: RGBColor,
        values: Vec<Option<f64>>,
    },
}

/// One panel of a chart with several panels sharing the time axis.
pub(super) struct Panel {
    /// Y-axis title, with its unit.
    pub y_desc: String,
    /// Fixed top of the y axis (percentages); otherwise from the data.
    pub y_max: Option<f64>,
    /// What the panel draws, bottom layer first; its legend sits above it.
    pub layers: Vec<Layer>,
}

pub(super) struct Spec {
    pub caption: String,
    pub x_desc: String,
    pub y_desc: String,
    /// Fixed top of the y axis (percentages); otherwise from the data.
    pub y_max: Option<f64>,
}

/// Step-line points per contiguous run of defined buckets.
fn step_runs(grid: &Grid, values: &[Option<f64>], y_max: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for (b, v) in values.iter().enumerate() {
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let (x0, x1) = grid.span(b);
                let y = v.clamp(0.0, y_max);
                run.push((x0, y));
                run.push((x1, y));
            }
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

fn data_max(layers: &[Layer]) -> f64 {
    let mut max = 0.0f64;
    for layer in layers {
        match layer {
            Layer::Band { upper, .. } => upper.iter().for_each(|v| max = max.max(*v)),
            Layer::Step { values, .. } | Layer::Dashed { values, .. } => values
                .iter()
                .flatten()
                .filter(|v| v.is_finite())
                .for_each(|v| max = max.max(*v)),
            Layer::Target { y, .. } => max = max.max(*y),
        }
    }
    max
}

/// The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or
/// above `x`, and at least 1.
pub(super) fn nice_ceiling(x: f64) -> f64 {
    if x.is_nan() || x <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * magnitude)
}

fn format_y(v: f64, y_max: f64) -> String {
    if y_max >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// One legend entry: name, colour, and how its key is drawn.
struct Entry<'a> {
    name: &'a str,
    color: RGBColor,
    band: bool,
    dashed: bool,
    /// False for a [`Layer::Dashed`] series: its key is dashes only.
    solid: bool,
}

fn entries(layers: &[Layer]) -> Vec<Entry<'_>> {
    layers
        .iter()
        .filter_map(|l| match l {
            Layer::Band { name, color, .. } => Some(Entry {
                name,
                color: *color,
                band: true,
                dashed: false,
                solid: true,
            }),
            Layer::Step {
                name,
                color,
                dashed_key,
                ..
            } => Some(Entry {
                name,
                color: *color,
                band: false,
                dashed: *dashed_key,
                solid: true,
            }),
            Layer::Dashed { name, color, .. } => Some(Entry {
                name,
                color: *color,
                band: false,
                dashed: true,
                solid: false,
            }),
            Layer::Target { .. } => None,
        })
        .collect()
}

/// Targets are drawn slightly lighter than the measured lines they belong to.
const TARGET_OPACITY: f64 = 0.85;
const LEGEND_LEFT: i32 = 80;
const LEGEND_ROW: i32 = 22;
const KEY_W: i32 = 26;

/// Legend entries flow left to right under the title, wrapping into rows.
/// Widths use a crude text estimate (as plotters' own SVG layout does).
fn legend_layout(entries: &[Entry]) -> (Vec<(i32, i32)>, i32) {
    let (mut x, mut row) = (LEGEND_LEFT, 0);
    let mut at = Vec::with_capacity(entries.len());
    for e in entries {
        let w = KEY_W + 8 + (e.name.chars().count() as f64 * 7.2).ceil() as i32 + 24;
        if x > LEGEND_LEFT && x + w > WIDTH as i32 - 16 {
            x = LEGEND_LEFT;
            row += 1;
        }
        at.push((x, row));
        x += w;
    }
    let rows = if entries.is_empty() { 0 } else { row + 1 };
    (at, rows)
}

fn draw_legend(area: &DrawingArea<SVGBackend, Shift>, entries: &[Entry], at: &[(i32, i32)]) {
    let style = (FONT, 15)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (e, &(x, row)) in entries.iter().zip(at) {
        let y = LEGEND_ROW / 2 + row * LEGEND_ROW;
        let line = |y: i32| PathElement::new([(x, y), (x + KEY_W, y)], e.color.stroke_width(2));
        if e.band {
            area.draw(&Rectangle::new(
                [(x, y - 5), (x + KEY_W, y + 6)],
                e.color.mix(0.35).filled(),
            ))
            .expect(DRAW);
            area.draw(&line(y - 5)).expect(DRAW);
        } else if !e.solid {
            for dx in [0, 10, 20] {
                area.draw(&PathElement::new(
                    [(x + dx, y), (x + dx + 6, y)],
                    e.color.stroke_width(2),
                ))
                .expect(DRAW);
            }
        } else if e.dashed {
            // Solid for the measured level above, dashed for its target below.
            area.draw(&line(y - 3)).expect(DRAW);
            for dx in [0, 10, 20] {
                area.draw(&PathElement::new(
                    [(x + dx, y + 4), (x + dx + 6, y + 4)],
                    e.color.mix(TARGET_OPACITY).stroke_width(2),
                ))
                .expect(DRAW);
            }
        } else {
            area.draw(&line(y)).expect(DRAW);
        }
        area.draw(&Text::new(
            e.name.to_string(),
            (x + KEY_W + 8, y),
            style.clone(),
        ))
        .expect(DRAW);
    }
}

/// Draws the dashed target lines. Targets at the same level share the line:
/// their dashes interleave, so each colour stays visible.
fn draw_targets(chart: &mut Chart2d, targets: &[(RGBColor, f64)], total_s: i64) {
    const DASH_PX: f64 = 8.0;
    const PERIOD_PX: f64 = 13.0;
    let width_px = f64::from(chart.plotting_area().dim_in_pixel().0.max(1));
    let s_per_px = total_s as f64 / width_px;
    for (i, &(color, y)) in targets.iter().enumerate() {
        let style = color.mix(TARGET_OPACITY).stroke_width(2);
        let same: Vec<usize> = (0..targets.len())
            .filter(|j| (targets[*j].1 - y).abs() < 1e-9)
            .collect();
        let rank = same.iter().position(|j| *j == i).unwrap_or(0);
        let period = PERIOD_PX * same.len() as f64;
        let mut x_px = PERIOD_PX * rank as f64;
        let mut dashes = Vec::new();
        while x_px < width_px {
            let x0 = (x_px * s_per_px).round() as i64;
            let x1 = (((x_px + DASH_PX).min(width_px)) * s_per_px).round() as i64;
            dashes.push(PathElement::new([(x0, y), (x1, y)], style));
            x_px += period;
        }
        chart.draw_series(dashes).expect(DRAW);
    }
}

type Chart2d<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<WithKeyPoints<RangedCoordi64>, RangedCoordf64>>;

pub(super) fn plot(spec: &Spec, grid: &Grid, layers: &[Layer]) -> String {
    let (_, legend_rows) = legend_layout(&entries(layers));
    // Two legend rows fit the base height; more rows make the image taller.
    let height = HEIGHT + (legend_rows - 2).max(0) as u32 * LEGEND_ROW as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).expect(DRAW);
        let title_style = (FONT, 22, FontStyle::Bold).into_font().color(&TEXT);
        let body = root.titled(&spec.caption, title_style).expect(DRAW);
        draw_panel(&body, &spec.x_desc, &spec.y_desc, spec.y_max, grid, layers);
        root.present().expect(DRAW);
    }
    svg
}

/// Height of one panel of [`plot_panels`] with at most two legend rows.
const PANEL_HEIGHT: u32 = 330;
/// Room for the caption above the panels (22 px bold text and its padding).
const TITLE_HEIGHT: u32 = 40;

/// Several panels stacked under one caption, sharing the time axis (each
/// draws its own ticks; only the bottom one carries `x_desc`). Each panel
/// has its own y axis and legend, so series of different scales (a team's
/// headcount and its weekly quits) stay readable.
pub(super) fn plot_panels(caption: &str, x_desc: &str, grid: &Grid, panels: &[Panel]) -> String {
    let heights: Vec<u32> = panels
        .iter()
        .map(|p| {
            let (_, rows) = legend_layout(&entries(&p.layers));
            PANEL_HEIGHT + (rows - 2).max(0) as u32 * LEGEND_ROW as u32
        })
        .collect();
    let height = TITLE_HEIGHT + heights.iter().sum::<u32>();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).expect(DRAW);
        let title_style = (FONT, 22, FontStyle::Bold).into_font().color(&TEXT);
        let mut rest = root.titled(caption, title_style).expect(DRAW);
        for (i, (panel, h)) in panels.iter().zip(&heights).enumerate() {
            let last = i + 1 == panels.len();
            let (area, below) = if last {
                (rest.clone(), rest.clone())
            } else {
                rest.split_vertically(*h)
            };
            let x = if last { x_desc } else { "" };
            draw_panel(&area, x, &panel.y_desc, panel.y_max, grid, &panel.layers);
            rest = below;
        }
        root.present().expect(DRAW);
    }
    svg
}

/// Draws a legend and, under it, the time-axis chart of `layers` into `body`.
fn draw_panel(
    body: &DrawingArea<SVGBackend, Shift>,
    x_desc: &str,
    y_desc: &str,
    fixed_y_max: Option<f64>,
    grid: &Grid,
    layers: &[Layer],
) {
    let legend = entries(layers);
    let (legend_at, legend_rows) = legend_layout(&legend);
    let (legend_area, plot_area) = body.split_vertically(legend_rows * LEGEND_ROW + 4);
    let y_max = fixed_y_max.unwrap_or_else(|| nice_ceiling(data_max(layers)));
    // A little headroom above a fixed top (100%) keeps lines at the top visible.
    let y_top = if fixed_y_max.is_some() {
        y_max * 1.04
    } else {
        y_max
    };
    let (ticks, step_h) = grid.ticks();
    let total_s = sec(grid.total_h).max(1);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(6)
        .margin_left(6)
        .margin_right(44)
        .margin_bottom(4)
        .x_label_area_size(50)
        .y_label_area_size(68)
        .build_cartesian_2d(
            (0..total_s).with_key_points(ticks.iter().map(|h| sec(*h)).collect()),
            0.0..y_top,
        )
        .expect(DRAW);
    let x_fmt = |s: &i64| grid.tick_label(*s as f64 / 3600.0, step_h);
    let y_fmt = |v: &f64| format_y(*v, y_max);
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(6)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS)
        .label_style((FONT, 15).into_font().color(&TEXT))
        .axis_desc_style((FONT, 16).into_font().color(&TEXT))
        .draw()
        .expect(DRAW);
    let targets: Vec<(RGBColor, f64)> = layers
        .iter()
        .filter_map(|l| match l {
            Layer::Target { color, y } => Some((*color, y.clamp(0.0, y_max))),
            _ => None,
        })
        .collect();
    draw_targets(&mut chart, &targets, total_s);
    for layer in layers {
        match layer {
            Layer::Band {
                color,
                lower,
                upper,
                ..
            } => {
                let mut top = Vec::with_capacity(2 * upper.len());
                let mut bottom = Vec::with_capacity(2 * lower.len());
                for b in 0..grid.buckets {
                    let (x0, x1) = grid.span(b);
                    let (lo, hi) = (lower[b].min(y_max), upper[b].min(y_max));
                    top.extend([(x0, hi), (x1, hi)]);
                    bottom.extend([(x0, lo), (x1, lo)]);
                }
                let outline: Vec<_> = top.iter().chain(bottom.iter().rev()).copied().collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        to_sec(&outline),
                        color.mix(0.35).filled(),
                    )))
                    .expect(DRAW);
                chart
                    .draw_series(LineSeries::new(to_sec(&top), color.stroke_width(2)))
                    .expect(DRAW);
            }
            Layer::Step { color, values, .. } => {
                for run in step_runs(grid, values, y_max) {
                    chart
                        .draw_series(LineSeries::new(to_sec(&run), color.stroke_width(2)))
                        .expect(DRAW);
                }
            }
            Layer::Dashed { color, values, .. } => {
                for run in step_runs(grid, values, y_max) {
                    chart
                        .draw_series(DashedLineSeries::new(
                            to_sec(&run),
                            6,
                            4,
                            color.stroke_width(2),
                        ))
                        .expect(DRAW);
                }
            }
            Layer::Target { .. } => {}
        }
    }
    draw_legend(&legend_area, &legend, &legend_at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_break_at_gaps_and_a_single_interval_is_a_segment() {
        let grid = Grid::new(3600.0, 4.0 * 3600.0, 4);
        let runs = step_runs(&grid, &[Some(1.0), None, Some(2.0), Some(3.0)], 10.0);
        assert_eq!(
            runs,
            vec![
                vec![(0.0, 1.0), (1.0, 1.0)],
                vec![(2.0, 2.0), (3.0, 2.0), (3.0, 3.0), (4.0, 3.0)],
            ]
        );
        let one = Grid::new(900.0, 900.0, 1);
        assert_eq!(
            step_runs(&one, &[Some(5.0)], 10.0),
            vec![vec![(0.0, 5.0), (0.25, 5.0)]]
        );
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
        assert_eq!(nice_ceiling(7.3), 8.0);
        assert_eq!(nice_ceiling(11.0), 12.0);
        assert_eq!(nice_ceiling(21.0), 25.0);
        assert_eq!(nice_ceiling(250.0), 250.0);
        assert_eq!(nice_ceiling(251.0), 300.0);
        assert_eq!(nice_ceiling(700.0), 800.0);
        assert_eq!(nice_ceiling(850.0), 1000.0);
    }
}
