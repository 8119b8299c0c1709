//! `leaderboard.svg`: one panel per scenario, one bar per strategy (its
//! objective's mean with 95% whiskers) and beside it the paired difference
//! to fifo. Strategies keep arm order (fifo first) in every panel, so a
//! strategy has the same colour and row everywhere; the rank is in the note.

use super::Board;
use crate::report::Chart;
use crate::report::bars::{BarChart, BarPanel, BarRow, bar_chart};

/// File name of the chart (written beside `leaderboard.csv`).
pub const FILE_NAME: &str = "leaderboard.svg";

/// Fractions are drawn as percentages, differences in percentage points.
fn is_fraction(kpi: &str) -> bool {
    matches!(
        kpi,
        "service_level" | "abandon_rate" | "journey_service_level"
    )
}

fn note(rank: usize, diff: Option<f64>, half: Option<f64>, scale: f64, unit: &str) -> String {
    match (diff, half) {
        (Some(d), Some(h)) => {
            let star = if d.abs() > h { " *" } else { "" };
            format!(
                "#{rank}  Δ {:+.2} ± {:.2} {unit}{star}",
                d * scale,
                h * scale
            )
        }
        (Some(d), None) => format!("#{rank}  Δ {:+.2} {unit}", d * scale),
        _ => format!("#{rank}  Δ –"),
    }
}

/// The chart of `boards`, or `None` when there is none. Series are the first
/// board's strategies in arm order (every board has the same strategies).
pub fn leaderboard_chart(boards: &[Board]) -> Option<Chart> {
    let first = boards.first()?;
    // Arm order: fifo first, then as given (entries are sorted by rank).
    let mut series: Vec<&str> = Vec::new();
    for s in std::iter::once("fifo").chain(first.entries.iter().map(|e| e.strategy.as_str())) {
        if !series.contains(&s) {
            series.push(s);
        }
    }
    let panels = boards
        .iter()
        .map(|b| {
            let fraction = is_fraction(b.objective.kpi);
            let (scale, unit) = if fraction {
                (100.0, "pp")
            } else if b.objective.kpi == "asa_s" {
                (1.0, "s")
            } else {
                (1.0, "")
            };
            let better = if b.objective.higher_is_better {
                "higher is better"
            } else {
                "lower is better"
            };
            BarPanel {
                title: format!("{} — {} ({better})", b.scenario, b.objective.name),
                value_heading: "mean ± 95% CI".into(),
                note_heading: "rank, Δ vs fifo paired ± 95% CI".into(),
                x_max: fraction.then_some(100.0),
                decimals: 2,
                rows: series
                    .iter()
                    .map(|s| match b.entries.iter().find(|e| e.strategy == *s) {
                        Some(e) => BarRow {
                            value: e.objective.mean.map(|v| v * scale),
                            half: e.objective.ci95.map(|h| h * scale),
                            note: if *s == "fifo" {
                                format!("#{}  baseline", e.rank)
                            } else {
                                note(
                                    e.rank,
                                    e.objective.diff_mean,
                                    e.objective.diff_ci95,
                                    scale,
                                    unit,
                                )
                            },
                        },
                        None => BarRow {
                            value: None,
                            half: None,
                            note: "not run".into(),
                        },
                    })
                    .collect(),
            }
        })
        .collect();
    Some(bar_chart(&BarChart {
        file_name: FILE_NAME.into(),
        title: "Routing leaderboard: each scenario's objective per strategy".into(),
        subject: format!("{} scenarios", boards.len()),
        notes: vec![
            "Bars: mean over the replications; whiskers: 95% Student-t confidence interval of the mean.".into(),
            "Δ: strategy − fifo, paired by replication (common random numbers), 95% interval; * = excludes 0; pp = percentage points.".into(),
        ],
        series: series.iter().map(|s| s.to_string()).collect(),
        panels,
    }))
}
