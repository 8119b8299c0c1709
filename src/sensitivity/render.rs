//! `sensitivity.csv`, `sensitivity.json`, `sensitivity.md` and
//! `charts/tornado.svg` (documented in docs/OUTPUTS.md).

use super::{Row, Sensitivity};
use crate::metrics::Estimate;
use crate::report::{CHARTS_DIR, Chart, Outputs, WriteError, format};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Header of `sensitivity.csv`.
pub const CSV_HEADER: [&str; 18] = [
    "rank",
    "convention",
    "low",
    "high",
    "applies",
    "kpi",
    "scope",
    "versus",
    "nominal",
    "at_low",
    "at_high",
    "change_low",
    "change_low_ci95",
    "change_high",
    "change_high_ci95",
    "swing",
    "equal_service",
    "not_met",
];

/// One row per convention, ranked.
pub fn sensitivity_csv(s: &Sensitivity) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).expect("in-memory write");
    let h = &s.headline;
    for r in &s.rows {
        w.write_record([
            r.rank.map(|k| k.to_string()).unwrap_or_default(),
            r.convention.clone(),
            r.low.to_string(),
            r.high.to_string(),
            r.applies.to_string(),
            h.kpi.clone(),
            h.scope.clone(),
            h.versus.clone().unwrap_or_default(),
            format::cell(h.nominal.mean),
            format::cell(r.at_low.mean),
            format::cell(r.at_high.mean),
            format::cell(r.change_low.mean),
            format::cell(r.change_low.ci95),
            format::cell(r.change_high.mean),
            format::cell(r.change_high.ci95),
            format::cell(r.swing),
            h.equal_service.to_string(),
            // Nominal arms first: a row rests on them too.
            h.not_met
                .iter()
                .chain(&r.not_met)
                .cloned()
                .collect::<Vec<_>>()
                .join(";"),
        ])
        .expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV writer flushes"))
        .expect("CSV of UTF-8 fields is UTF-8")
}

/// `sensitivity.json` text (pretty, trailing newline).
pub fn sensitivity_json(s: &Sensitivity) -> String {
    let mut text = serde_json::to_string_pretty(s).expect("sensitivity serialises");
    text.push('\n');
    text
}

fn pm(e: &Estimate) -> String {
    format::signed_ci(e.mean, e.ci95, 4)
}

fn headline_text(s: &Sensitivity) -> String {
    let h = &s.headline;
    let equal = if h.equal_service {
        " at equal service"
    } else {
        ""
    };
    match &h.versus {
        Some(v) => format!("{} ({}) of {v:?} minus base{equal}", h.kpi, h.scope),
        None => format!("{} ({}){equal}", h.kpi, h.scope),
    }
}

/// The ranked table for people.
pub fn sensitivity_md(s: &Sensitivity) -> String {
    let mut out = String::new();
    let h = &s.headline;
    let _ = writeln!(out, "# Sensitivity: {}\n", s.scenario);
    let _ = writeln!(
        out,
        "Headline: {}; nominal {} (seed {}, {} replication(s); every run on common random numbers, changes paired).\n",
        headline_text(s),
        format::num_ci(h.nominal.mean, h.nominal.ci95, 4),
        s.seed,
        s.replications
    );
    if h.equal_service {
        out.push_str(
            "Every run was planned to the file's [targets] first (on the file's seed), then measured on a seed the planner did not see (the seed above).\n\n",
        );
    }
    if !h.not_met.is_empty() {
        let _ = writeln!(
            out,
            "**Not at equal service:** the plan of {} did not meet the targets, so every figure rests on an arm short of them.\n",
            h.not_met.join(", ")
        );
    }
    let marked = s.rows.iter().any(|r| !r.not_met.is_empty());
    out.push_str("| rank | convention | low | high | change at low | change at high | swing | source |\n|---:|---|---:|---:|---:|---:|---:|---|\n");
    for r in &s.rows {
        let _ = writeln!(
            out,
            "| {} | {}{} | {} | {} | {} | {} | {} | {} |",
            r.rank.map_or("–".into(), |k| k.to_string()),
            r.convention,
            if r.not_met.is_empty() { "" } else { " †" },
            r.low,
            r.high,
            if r.applies {
                pm(&r.change_low)
            } else {
                "not applicable".into()
            },
            if r.applies {
                pm(&r.change_high)
            } else {
                "".into()
            },
            format::num_ci(r.swing, None, 4),
            r.source
        );
    }
    if marked {
        out.push_str(
            "\n† not at equal service: the plan of an arm it rests on did not meet the targets:\n",
        );
        for r in s.rows.iter().filter(|r| !r.not_met.is_empty()) {
            let _ = writeln!(out, "- {}: {}", r.convention, r.not_met.join(", "));
        }
    }
    out
}

const WIDTH: u32 = 960;
const ROW_H: i32 = 30;
const TOP: i32 = 70;
const LABEL_RIGHT: i32 = 300;
const PLOT_LEFT: i32 = 310;
const PLOT_RIGHT: i32 = 900;
const DRAW: &str = "drawing into an in-memory SVG string cannot fail";

/// The tornado: per applicable convention (largest swing on top), a bar from
/// the headline at the low end to the headline at the high end, across the
/// nominal value. `None` when no convention applies.
pub fn tornado_chart(s: &Sensitivity) -> Option<Chart> {
    let rows: Vec<&Row> = s
        .rows
        .iter()
        .filter(|r| r.at_low.mean.is_some() && r.at_high.mean.is_some())
        .collect();
    let nominal = s.headline.nominal.mean?;
    if rows.is_empty() {
        return None;
    }
    let (mut lo, mut hi) = (nominal, nominal);
    for r in &rows {
        for v in [r.at_low.mean, r.at_high.mean].into_iter().flatten() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    let pad = ((hi - lo) * 0.05).max(f64::EPSILON);
    let (lo, hi) = (lo - pad, hi + pad);
    let x = |v: f64| PLOT_LEFT + ((v - lo) / (hi - lo) * f64::from(PLOT_RIGHT - PLOT_LEFT)) as i32;
    let height = (TOP + ROW_H * rows.len() as i32 + 60) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).expect(DRAW);
        let title = format!("What the answer depends on — {}", s.scenario);
        root.draw_text(
            &title,
            &("sans-serif", 20).into_font().color(&BLACK),
            (16, 12),
        )
        .expect(DRAW);
        let sub = format!(
            "{}: bar from the low end (light) to the high end (dark) of each assumption; line: nominal {nominal:.4}",
            headline_text(s)
        );
        root.draw_text(
            &sub,
            &("sans-serif", 13)
                .into_font()
                .color(&RGBColor(0x6b, 0x72, 0x80)),
            (16, 40),
        )
        .expect(DRAW);
        let low_color = RGBColor(0x93, 0xc5, 0xfd);
        let high_color = RGBColor(0x1d, 0x4e, 0xd8);
        for (i, r) in rows.iter().enumerate() {
            let y = TOP + ROW_H * i as i32;
            let label = format!("{} ({} – {})", r.convention, r.low, r.high);
            root.draw_text(
                &label,
                &("sans-serif", 13)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
                (LABEL_RIGHT, y + ROW_H / 2),
            )
            .expect(DRAW);
            let n = x(nominal);
            for (v, color) in [(r.at_low.mean, low_color), (r.at_high.mean, high_color)] {
                if let Some(v) = v {
                    let (a, b) = (n.min(x(v)), n.max(x(v)).max(n.min(x(v)) + 1));
                    root.draw(&Rectangle::new(
                        [(a, y + 5), (b, y + ROW_H - 5)],
                        color.filled(),
                    ))
                    .expect(DRAW);
                }
            }
        }
        let n = x(nominal);
        let bottom = TOP + ROW_H * rows.len() as i32;
        root.draw(&PathElement::new(
            vec![(n, TOP - 4), (n, bottom + 4)],
            BLACK.stroke_width(2),
        ))
        .expect(DRAW);
        for (v, anchor) in [(lo, HPos::Left), (hi, HPos::Right)] {
            root.draw_text(
                &format!("{v:.4}"),
                &("sans-serif", 12)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(anchor, VPos::Top)),
                (x(v), bottom + 12),
            )
            .expect(DRAW);
        }
        root.present().expect(DRAW);
    }
    Some(Chart {
        file_name: "tornado.svg".into(),
        title: "What the answer depends on".into(),
        svg,
    })
}

/// Writes `sensitivity.csv`, `sensitivity.json`, `sensitivity.md` and,
/// when a convention applies, `charts/tornado.svg` into `dir` through the
/// one writer ([`Outputs`]): everything is rendered first, staged, and
/// committed together or not at all; returns the paths written.
pub fn write(dir: &Path, s: &Sensitivity) -> Result<Vec<PathBuf>, WriteError> {
    let mut out = Outputs::new();
    out.add("sensitivity.csv", sensitivity_csv(s))
        .add("sensitivity.json", sensitivity_json(s))
        .add("sensitivity.md", sensitivity_md(s));
    if let Some(chart) = tornado_chart(s) {
        out.add(Path::new(CHARTS_DIR).join(&chart.file_name), chart.svg);
    }
    out.write(dir)
}
