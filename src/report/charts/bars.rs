//! Horizontal bars with confidence whiskers, one panel per measure and one
//! row per series (e.g. a comparison's variants), drawn in pixel coordinates.
//!
//! Every panel lists the series in the same order and colour (palette slot =
//! series index), so a series reads down the page. Bars start at zero: the
//! axis of each panel runs from 0 to a round number at or above the largest
//! upper confidence limit (capped at `x_max` when given, e.g. 100%). Beside
//! each bar: its value ± half-width, and a free-text note (a comparison puts
//! the paired difference to the base there). Deterministic: a pure function
//! of the input.

use super::plot::nice_ceiling;
use super::{Chart, chart, color};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 960;
const FONT: &str = "sans-serif";
const DRAW: &str = "drawing into an in-memory SVG string cannot fail";
const TEXT: RGBColor = RGBColor(0x1f, 0x29, 0x37);
const MUTED: RGBColor = RGBColor(0x6b, 0x72, 0x80);
const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);

/// Column edges, pixels from the left.
const LABEL_RIGHT: i32 = 192;
const PLOT_LEFT: i32 = 200;
const PLOT_RIGHT: i32 = 630;
const VALUE_LEFT: i32 = 648;
const NOTE_LEFT: i32 = 772;

const LINE_H: i32 = 20;
const PANEL_TITLE_H: i32 = 28;
const ROW_H: i32 = 26;
const AXIS_H: i32 = 30;
const PANEL_GAP: i32 = 16;
const LEGEND_ROW: i32 = 22;
const TITLE_H: i32 = 40;
/// Longest series name drawn in full beside a bar.
const MAX_LABEL_CHARS: usize = 24;

/// A chart of [`BarPanel`]s under one caption.
pub(crate) struct BarChart {
    /// File name under `charts/`.
    pub file_name: String,
    /// Title (the caption is the title and `subject`).
    pub title: String,
    /// What the chart is about, e.g. the scenario name.
    pub subject: String,
    /// Lines of explanation under the caption (how to read the whiskers).
    pub notes: Vec<String>,
    /// Series names, in row order; series `i` takes palette colour `i`.
    pub series: Vec<String>,
    /// One panel per measure.
    pub panels: Vec<BarPanel>,
}

/// One measure: a bar per series.
pub(crate) struct BarPanel {
    /// Panel title with its unit, e.g. "Service level (%)".
    pub title: String,
    /// Heading of the value column, e.g. "mean ± 95% CI".
    pub value_heading: String,
    /// Heading of the note column.
    pub note_heading: String,
    /// Largest axis end allowed (e.g. 100 for a percentage).
    pub x_max: Option<f64>,
    /// Decimals of the value labels.
    pub decimals: usize,
    /// One row per series, in [`BarChart::series`] order.
    pub rows: Vec<BarRow>,
}

/// One bar.
pub(crate) struct BarRow {
    /// The value; `None` draws no bar and "–".
    pub value: Option<f64>,
    /// Half-width of its confidence interval.
    pub half: Option<f64>,
    /// Free text beside the value.
    pub note: String,
}

/// The axis end and tick step: the step is 1, 2, 2.5 or 5 × 10^k giving at
/// most six intervals, and the end the first tick at or above `data_max`
/// (at most `cap`; at least one step).
fn axis(data_max: f64, cap: Option<f64>) -> (f64, f64) {
    let top = nice_ceiling(data_max);
    let top = cap.map_or(top, |c| top.min(c));
    let magnitude = 10f64.powf((top / 6.0).log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| top / s <= 6.0 + 1e-9)
        .unwrap_or(10.0 * magnitude);
    let end = ((data_max / step - 1e-9).ceil().max(1.0) * step).min(cap.unwrap_or(f64::MAX));
    (end.max(step), step)
}

/// Decimals that show every multiple of `step` exactly (steps are 1, 2, 2.5
/// or 5 × 10^k).
fn tick_decimals(step: f64) -> usize {
    (0..4)
        .find(|&d| {
            let scaled = step * 10f64.powi(d);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(4) as usize
}

fn panel_height(p: &BarPanel) -> i32 {
    PANEL_TITLE_H + ROW_H * p.rows.len() as i32 + AXIS_H + PANEL_GAP
}

fn short(name: &str) -> String {
    if name.chars().count() <= MAX_LABEL_CHARS {
        name.to_string()
    } else {
        let head: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{head}…")
    }
}

/// Legend entries (swatch and name) flow left to right, wrapping like the
/// time charts' legends.
fn legend_layout(series: &[String]) -> (Vec<(i32, i32)>, i32) {
    let (mut x, mut row) = (PLOT_LEFT, 0);
    let mut at = Vec::with_capacity(series.len());
    for name in series {
        let w = 18 + 8 + (name.chars().count() as f64 * 7.2).ceil() as i32 + 24;
        if x > PLOT_LEFT && x + w > WIDTH as i32 - 16 {
            x = PLOT_LEFT;
            row += 1;
        }
        at.push((x, row));
        x += w;
    }
    (at, if series.is_empty() { 0 } else { row + 1 })
}

/// Renders `spec` as a complete SVG document.
pub(crate) fn bar_chart(spec: &BarChart) -> Chart {
    let (legend_at, legend_rows) = legend_layout(&spec.series);
    let head_h = spec.notes.len() as i32 * LINE_H + legend_rows * LEGEND_ROW + 8;
    let height = TITLE_H + head_h + spec.panels.iter().map(panel_height).sum::<i32>();
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH, height.max(1) as u32)).into_drawing_area();
        root.fill(&WHITE).expect(DRAW);
        let title_style = (FONT, 22, FontStyle::Bold).into_font().color(&TEXT);
        let caption = format!("{} · {}", spec.title, spec.subject);
        let body = root.titled(&caption, title_style).expect(DRAW);
        let left = |size, color: &RGBColor| {
            (FONT, size)
                .into_font()
                .color(color)
                .pos(Pos::new(HPos::Left, VPos::Center))
        };
        for (i, line) in spec.notes.iter().enumerate() {
            let y = LINE_H / 2 + i as i32 * LINE_H;
            body.draw(&Text::new(line.clone(), (16, y), left(14, &MUTED)))
                .expect(DRAW);
        }
        let legend_top = spec.notes.len() as i32 * LINE_H + 4;
        for (s, (name, &(x, row))) in spec.series.iter().zip(&legend_at).enumerate() {
            let y = legend_top + LEGEND_ROW / 2 + row * LEGEND_ROW;
            body.draw(&Rectangle::new(
                [(x, y - 6), (x + 18, y + 6)],
                color(s).mix(0.8).filled(),
            ))
            .expect(DRAW);
            body.draw(&Text::new(name.clone(), (x + 26, y), left(15, &TEXT)))
                .expect(DRAW);
        }
        let mut top = head_h;
        for panel in &spec.panels {
            draw_panel(&body, top, panel, &spec.series);
            top += panel_height(panel);
        }
        root.present().expect(DRAW);
    }
    chart(&spec.file_name, &spec.title, svg)
}

fn draw_panel(area: &DrawingArea<SVGBackend, Shift>, top: i32, p: &BarPanel, series: &[String]) {
    let style = |size, color: &RGBColor, h: HPos| {
        (FONT, size)
            .into_font()
            .color(color)
            .pos(Pos::new(h, VPos::Center))
    };
    let bold = (FONT, 16, FontStyle::Bold)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let title_y = top + PANEL_TITLE_H / 2;
    area.draw(&Text::new(p.title.clone(), (16, title_y), bold))
        .expect(DRAW);
    for (text, x) in [(&p.value_heading, VALUE_LEFT), (&p.note_heading, NOTE_LEFT)] {
        area.draw(&Text::new(
            text.clone(),
            (x, title_y),
            style(13, &MUTED, HPos::Left),
        ))
        .expect(DRAW);
    }
    let rows_top = top + PANEL_TITLE_H;
    let rows_bottom = rows_top + ROW_H * p.rows.len() as i32;
    let data_max = p
        .rows
        .iter()
        .filter_map(|r| Some(r.value? + r.half.unwrap_or(0.0)))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let (x_top, step) = axis(data_max, p.x_max);
    let px = |v: f64| {
        let f = (v / x_top).clamp(0.0, 1.0);
        PLOT_LEFT + (f * f64::from(PLOT_RIGHT - PLOT_LEFT)).round() as i32
    };
    let ticks = (x_top / step).round() as usize;
    for k in 0..=ticks {
        let v = step * k as f64;
        let x = px(v);
        area.draw(&PathElement::new(
            [(x, rows_top), (x, rows_bottom + 4)],
            GRID.stroke_width(1),
        ))
        .expect(DRAW);
        let label = format!("{v:.d$}", d = tick_decimals(step));
        area.draw(&Text::new(
            label,
            (x, rows_bottom + 14),
            style(13, &TEXT, HPos::Center),
        ))
        .expect(DRAW);
    }
    area.draw(&PathElement::new(
        [(PLOT_LEFT, rows_top), (PLOT_LEFT, rows_bottom)],
        MUTED.stroke_width(1),
    ))
    .expect(DRAW);
    let d = p.decimals;
    for (s, row) in p.rows.iter().enumerate() {
        let y = rows_top + ROW_H * s as i32 + ROW_H / 2;
        if let Some(name) = series.get(s) {
            area.draw(&Text::new(
                short(name),
                (LABEL_RIGHT, y),
                style(14, &TEXT, HPos::Right),
            ))
            .expect(DRAW);
        }
        let value = row.value.filter(|v| v.is_finite());
        if let Some(v) = value {
            area.draw(&Rectangle::new(
                [
                    (PLOT_LEFT, y - ROW_H / 2 + 4),
                    (px(v).max(PLOT_LEFT + 1), y + ROW_H / 2 - 4),
                ],
                color(s).mix(0.8).filled(),
            ))
            .expect(DRAW);
            if let Some(h) = row.half.filter(|h| h.is_finite() && *h > 0.0) {
                let (lo, hi) = (px(v - h), px(v + h));
                let whisker = TEXT.stroke_width(2);
                area.draw(&PathElement::new([(lo, y), (hi, y)], whisker))
                    .expect(DRAW);
                for x in [lo, hi] {
                    area.draw(&PathElement::new([(x, y - 6), (x, y + 6)], whisker))
                        .expect(DRAW);
                }
            }
        }
        let text = match (value, row.half.filter(|h| h.is_finite())) {
            (Some(v), Some(h)) => format!("{v:.d$} ± {h:.d$}"),
            (Some(v), None) => format!("{v:.d$}"),
            _ => "–".into(),
        };
        area.draw(&Text::new(
            text,
            (VALUE_LEFT, y),
            style(14, &TEXT, HPos::Left),
        ))
        .expect(DRAW);
        area.draw(&Text::new(
            row.note.clone(),
            (NOTE_LEFT, y),
            style(14, &TEXT, HPos::Left),
        ))
        .expect(DRAW);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_a_round_tick() {
        assert_eq!(axis(91.7, Some(100.0)), (100.0, 20.0));
        assert_eq!(axis(3.62, Some(100.0)), (4.0, 1.0));
        assert_eq!(axis(78.0, Some(100.0)), (80.0, 20.0));
        assert_eq!(axis(2560.0, None), (3000.0, 500.0));
        let close = |(a, b): (f64, f64), (c, d): (f64, f64)| {
            assert!((a - c).abs() < 1e-12 && (b - d).abs() < 1e-12, "{a} {b}")
        };
        close(axis(0.0, None), (0.2, 0.2));
        close(axis(0.4, Some(100.0)), (0.4, 0.2));
        close(axis(1.1, None), (1.2, 0.2));
        close(axis(11.0, None), (12.0, 2.0));
        assert_eq!(tick_decimals(0.25), 2);
        assert_eq!(tick_decimals(0.2), 1);
        assert_eq!(tick_decimals(500.0), 0);
    }
}
