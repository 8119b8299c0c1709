//! A chart per series: the last weeks of history, the forecast and its 80%
//! band, as an in-memory SVG (colours and fonts as in `report::charts`).

use super::SeriesForecast;
use super::history::History;
use chrono::NaiveDateTime;
use plotters::prelude::*;

const WIDTH: u32 = 960;
const HEIGHT: u32 = 420;
const FONT: &str = "sans-serif";
const DRAW: &str = "drawing into an in-memory SVG string cannot fail";
const TEXT: RGBColor = RGBColor(0x1f, 0x29, 0x37);
const HISTORY: RGBColor = RGBColor(0x6b, 0x72, 0x80);
const FORECAST: RGBColor = RGBColor(0x25, 0x63, 0xeb);
/// Weeks of history shown before the forecast.
pub const HISTORY_WEEKS: usize = 4;

/// Points (days since `origin`, value) split into runs at gaps longer than one interval.
fn runs(points: &[(f64, f64)], step_days: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    for &p in points {
        match out.last_mut() {
            Some(run) if run.last().is_some_and(|q| p.0 - q.0 <= step_days * 1.5) => run.push(p),
            _ => out.push(vec![p]),
        }
    }
    out
}

/// Renders the chart of series `s` of `history` and its forecast.
pub fn render(
    history: &History,
    s: usize,
    forecast: &SeriesForecast,
    start: NaiveDateTime,
) -> String {
    let slots = history.slots_per_day;
    let step_days = 1.0 / slots as f64;
    let first_day = history.days.saturating_sub(HISTORY_WEEKS * 7);
    let origin = history
        .date(first_day)
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    let x_of = |t: NaiveDateTime| (t - origin).num_seconds() as f64 / 86_400.0;
    let mut past = Vec::new();
    for d in first_day..history.days {
        for slot in 0..slots {
            let v = history.value(s, d, slot);
            if !v.is_nan() {
                past.push(((d - first_day) as f64 + slot as f64 * step_days, v));
            }
        }
    }
    let future: Vec<(f64, f64, f64, f64)> = forecast
        .rows
        .iter()
        .map(|r| (x_of(r.start), r.mean, r.lo, r.hi))
        .collect();
    let x_max = future
        .last()
        .map_or(history.days - first_day, |f| f.0.ceil() as usize + 1)
        .max(1) as f64;
    let y_max = past
        .iter()
        .map(|p| p.1)
        .chain(future.iter().map(|f| f.3))
        .fold(1.0f64, f64::max)
        * 1.05;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).expect(DRAW);
        let caption = format!(
            "{}: history and forecast ({}), 80% band",
            forecast.key.label(),
            forecast.method.name()
        );
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FONT, 22).into_font().color(&TEXT))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)
            .expect(DRAW);
        let label_date = |x: &f64| {
            (origin + chrono::Duration::seconds((x * 86_400.0).round() as i64))
                .format("%m-%d")
                .to_string()
        };
        chart
            .configure_mesh()
            .x_desc(format!(
                "day (from {}; forecast from {})",
                origin.date(),
                start
            ))
            .y_desc("contacts per interval")
            .x_label_formatter(&label_date)
            .label_style((FONT, 13).into_font().color(&TEXT))
            .light_line_style(WHITE)
            .draw()
            .expect(DRAW);
        for run in runs(
            &future.iter().map(|f| (f.0, 0.0)).collect::<Vec<_>>(),
            step_days,
        ) {
            let (a, b) = (run[0].0, run[run.len() - 1].0);
            let band: Vec<(f64, f64)> = future
                .iter()
                .filter(|f| f.0 >= a && f.0 <= b)
                .map(|f| (f.0, f.3))
                .chain(
                    future
                        .iter()
                        .rev()
                        .filter(|f| f.0 >= a && f.0 <= b)
                        .map(|f| (f.0, f.2)),
                )
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band,
                    FORECAST.mix(0.2).filled(),
                )))
                .expect(DRAW);
        }
        for (i, run) in runs(&past, step_days).into_iter().enumerate() {
            let series = chart
                .draw_series(LineSeries::new(run, HISTORY.stroke_width(1)))
                .expect(DRAW);
            if i == 0 {
                series.label("history").legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], HISTORY.stroke_width(2))
                });
            }
        }
        let means: Vec<(f64, f64)> = future.iter().map(|f| (f.0, f.1)).collect();
        for (i, run) in runs(&means, step_days).into_iter().enumerate() {
            let series = chart
                .draw_series(LineSeries::new(run, FORECAST.stroke_width(2)))
                .expect(DRAW);
            if i == 0 {
                series.label("forecast (band: 80%)").legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], FORECAST.stroke_width(2))
                });
            }
        }
        chart
            .configure_series_labels()
            .label_font((FONT, 14).into_font().color(&TEXT))
            .background_style(WHITE.mix(0.8))
            .border_style(HISTORY)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .expect(DRAW);
        root.present().expect(DRAW);
    }
    svg
}
