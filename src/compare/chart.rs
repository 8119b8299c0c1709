//! `charts/compare.svg`: the headline KPIs of every arm, all channels
//! together, as bars (mean) with 95% confidence whiskers, and beside each
//! variant its paired difference to the base.
//!
//! Whiskers are each arm's own interval, which is wide; the paired
//! difference (common random numbers) is what tells variants apart, so it is
//! printed beside the bar with its own interval and a `*` when that interval
//! excludes zero — overlapping whiskers do not mean "no difference".

use super::{Comparison, Row};
use crate::report::Chart;
use crate::report::bars::{BarChart, BarPanel, BarRow, bar_chart};

/// File name of the chart under `charts/`.
pub const FILE_NAME: &str = "compare.svg";

/// Headline KPIs in panel order: name in compare.csv, title, and whether it
/// is a fraction (drawn as %, differences in percentage points) or seconds.
const HEADLINE: [(&str, &str, Unit); 7] = [
    (
        "journey_service_level",
        "Journey service level (% reaching their last handler within threshold)",
        Unit::Percent,
    ),
    (
        "human_service_level",
        "Human-queue service level (%)",
        Unit::Percent,
    ),
    (
        "journey_abandon_rate",
        "Journey abandonment (% lost anywhere, after escalation too)",
        Unit::Percent,
    ),
    ("asa_s", "Average speed of answer (seconds)", Unit::Seconds),
    (
        "fcr",
        "First-contact resolution (% of problems)",
        Unit::Percent,
    ),
    (
        "containment",
        "AI containment (% of contacts the AI took)",
        Unit::Percent,
    ),
    (
        "occupancy",
        "Agent occupancy (% of available time)",
        Unit::Percent,
    ),
];

#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Percent,
    Seconds,
}

impl Unit {
    fn scale(self) -> f64 {
        match self {
            Unit::Percent => 100.0,
            Unit::Seconds => 1.0,
        }
    }

    fn diff_suffix(self) -> &'static str {
        match self {
            Unit::Percent => "pp",
            Unit::Seconds => "s",
        }
    }
}

/// The overall rows of `kpi`, one per arm, in arm order.
fn overall<'a>(c: &'a Comparison, kpi: &str) -> Vec<Option<&'a Row>> {
    c.variants
        .iter()
        .map(|v| {
            c.rows
                .iter()
                .find(|r| r.scope == "overall" && r.kpi == kpi && r.variant == v.name)
        })
        .collect()
}

/// The human-queue service level repeats the end-to-end one without an AI
/// agent or IVR; a panel is drawn only when some arm's figures differ.
fn differs(a: &[Option<&Row>], b: &[Option<&Row>]) -> bool {
    a.iter().zip(b).any(|(x, y)| {
        let m = |r: &Option<&Row>| r.and_then(|r| r.mean);
        match (m(x), m(y)) {
            (Some(x), Some(y)) => (x - y).abs() > 1e-12,
            (x, y) => x.is_some() != y.is_some(),
        }
    })
}

fn diff_note(row: &Row, unit: Unit, paired: bool) -> String {
    let s = unit.scale();
    // Paired half-widths are small: a decimal more than the means, so they
    // do not round to 0.
    let d = 2;
    let text = match (row.diff_mean, row.diff_ci95) {
        (Some(m), Some(h)) => {
            let star = if m.abs() > h { " *" } else { "" };
            format!(
                "Δ {:+.d$} ± {:.d$} {}{star}",
                m * s,
                h * s,
                unit.diff_suffix()
            )
        }
        (Some(m), None) => format!("Δ {:+.d$} {}", m * s, unit.diff_suffix()),
        _ => "Δ –".into(),
    };
    if paired {
        text
    } else {
        format!("{text} (own seed)")
    }
}

/// The chart of `c`'s headline KPIs, or `None` when no headline KPI is
/// defined for any arm.
pub fn compare_chart(c: &Comparison) -> Option<Chart> {
    let mut panels = Vec::new();
    for (kpi, title, unit) in HEADLINE {
        let rows = overall(c, kpi);
        if rows.iter().all(|r| r.and_then(|r| r.mean).is_none()) {
            continue;
        }
        if kpi == "human_service_level" && !differs(&rows, &overall(c, "service_level")) {
            continue;
        }
        let decimals = 1;
        let s = unit.scale();
        panels.push(BarPanel {
            title: title.into(),
            value_heading: "mean ± 95% CI".into(),
            note_heading: "Δ vs base, paired ± 95% CI".into(),
            x_max: (unit == Unit::Percent).then_some(100.0),
            decimals,
            rows: rows
                .iter()
                .zip(&c.variants)
                .enumerate()
                .map(|(a, (row, arm))| BarRow {
                    value: row.and_then(|r| r.mean).map(|v| v * s),
                    half: row.and_then(|r| r.ci95).map(|h| h * s),
                    note: match row {
                        _ if a == 0 => "base".into(),
                        Some(r) => diff_note(r, unit, arm.common_random_numbers),
                        None => "Δ –".into(),
                    },
                })
                .collect(),
        });
    }
    if panels.is_empty() {
        return None;
    }
    Some(bar_chart(&BarChart {
        file_name: FILE_NAME.into(),
        title: "Headline KPIs per variant".into(),
        subject: c.scenario.clone(),
        notes: vec![
            format!(
                "All channels. Bars: mean over {} replications; whiskers: 95% Student-t confidence interval of the mean.",
                c.replications
            ),
            "Δ: variant − base, paired by replication (common random numbers), 95% interval; * = excludes 0; pp = percentage points.".into(),
        ],
        series: c.variants.iter().map(|v| v.name.clone()).collect(),
        panels,
    }))
}
