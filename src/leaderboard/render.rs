//! `leaderboard.csv` (one row per scenario and strategy),
//! `leaderboard_classes.csv` (one row per scenario, strategy and class) and
//! `leaderboard.md` (and the chart), written together through
//! [`Outputs`]. Pure functions of the boards: the same boards give the same
//! bytes. Numbers go through [`crate::report::format`].

use super::{Board, Paired, SHOWN};
use crate::report::format::{fixed, num_ci};
use crate::report::{Outputs, WriteError};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Header of `leaderboard.csv`: the objective with its paired difference,
/// the [`SHOWN`] KPIs (means), then the occupancy spread and the agent
/// fairness (Jain's index), each with its own (new columns go last, so
/// readers of the earlier columns keep working).
pub const CSV_HEADER: &str = "scenario,objective,kpi,strategy,rank,mean,ci95,diff_vs_fifo,diff_ci95,service_level,abandon_rate,asa_s,journey_service_level,occupancy_spread,occupancy_spread_ci95,occupancy_spread_diff_vs_fifo,occupancy_spread_diff_ci95,agent_fairness,agent_fairness_ci95,agent_fairness_diff_vs_fifo,agent_fairness_diff_ci95";

/// Header of `leaderboard_classes.csv`.
pub const CLASSES_CSV_HEADER: &str = "scenario,strategy,class,asa_s,asa_ci95,asa_diff_vs_fifo,asa_diff_ci95,human_asa_s,human_asa_ci95,human_asa_diff_vs_fifo,human_asa_diff_ci95";

fn num(x: Option<f64>) -> String {
    fixed(x, 6)
}

fn four(p: &Paired) -> [String; 4] {
    [p.mean, p.ci95, p.diff_mean, p.diff_ci95].map(num)
}

/// `leaderboard.csv`.
pub fn leaderboard_csv(boards: &[Board]) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    for b in boards {
        for e in &b.entries {
            let shown: Vec<String> = e.shown.iter().map(|p| num(p.mean)).collect();
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{}",
                b.scenario,
                b.objective.name,
                b.objective.kpi,
                e.strategy,
                e.rank,
                four(&e.objective).join(","),
                shown.join(","),
                four(&e.occupancy_spread).join(","),
                four(&e.agent_fairness).join(","),
            );
        }
    }
    out
}

/// `leaderboard_classes.csv`: per-class (channel) ASA with paired differences.
pub fn classes_csv(boards: &[Board]) -> String {
    let mut out = format!("{CLASSES_CSV_HEADER}\n");
    for b in boards {
        for e in &b.entries {
            for (c, class) in b.classes.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{},{},{},{},{}",
                    b.scenario,
                    e.strategy,
                    class,
                    four(&e.class_asa[c]).join(","),
                    four(&e.class_human_asa[c]).join(",")
                );
            }
        }
    }
    out
}

fn pm(m: Option<f64>, h: Option<f64>) -> String {
    num_ci(m, h, 4)
}

/// `leaderboard.md`: one table per scenario.
pub fn leaderboard_md(boards: &[Board]) -> String {
    let mut out = String::from(
        "# Routing leaderboard\n\nPer scenario, strategies ranked by its objective; differences are paired against `fifo` on common random numbers (mean ± 95% CI half-width). Occupancy spread: most minus least occupied team. Agent fairness: Jain's index of per-agent utilisation (1 = every agent equally busy, 1/n = one agent does all the work). Per class (each channel, then each intent when there are several): mean wait for a person of contacts a person answered, seconds (the first-answer ASA, AI included, is in leaderboard_classes.csv).\n",
    );
    for b in boards {
        let _ = write!(
            out,
            "\n## {} — objective: {} (`{}`), {} replications\n\n| rank | strategy | {} | vs fifo | service level | abandonment | ASA s | journey SL | occupancy spread | spread vs fifo | agent fairness | fairness vs fifo |",
            b.scenario, b.objective.name, b.objective.kpi, b.replications, b.objective.kpi
        );
        for c in &b.classes {
            let short = c.split_once(':').map_or(c.as_str(), |x| x.1);
            let _ = write!(out, " human ASA {short} s |");
        }
        out.push_str("\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        out.push_str(&"---:|".repeat(b.classes.len()));
        out.push('\n');
        for e in &b.entries {
            let _ = write!(
                out,
                "| {} | {} | {} | {} |",
                e.rank,
                e.strategy,
                pm(e.objective.mean, e.objective.ci95),
                pm(e.objective.diff_mean, e.objective.diff_ci95),
            );
            for p in &e.shown {
                let _ = write!(out, " {} |", pm(p.mean, None));
            }
            let s = &e.occupancy_spread;
            let _ = write!(
                out,
                " {} | {} |",
                pm(s.mean, None),
                pm(s.diff_mean, s.diff_ci95)
            );
            let f = &e.agent_fairness;
            let _ = write!(
                out,
                " {} | {} |",
                pm(f.mean, None),
                pm(f.diff_mean, f.diff_ci95)
            );
            for p in &e.class_human_asa {
                let _ = write!(out, " {} |", pm(p.mean, None));
            }
            out.push('\n');
        }
    }
    debug_assert_eq!(SHOWN.len(), 4, "the markdown header names four shown KPIs");
    out
}

/// Renders every output of `boards` and writes them into `dir` together
/// through [`Outputs`] (staged, all or nothing): `leaderboard.csv`,
/// `leaderboard_classes.csv`, `leaderboard.md` and, when there is a board,
/// the chart. If `cancelled()` is true once everything is staged, nothing is
/// written (`Ok(None)`).
pub fn write_unless(
    dir: &Path,
    boards: &[Board],
    cancelled: &dyn Fn() -> bool,
) -> Result<Option<Vec<PathBuf>>, WriteError> {
    let mut out = Outputs::new();
    out.add("leaderboard.csv", leaderboard_csv(boards))
        .add("leaderboard_classes.csv", classes_csv(boards))
        .add("leaderboard.md", leaderboard_md(boards));
    if let Some(chart) = super::leaderboard_chart(boards) {
        out.add(super::CHART_FILE_NAME, chart.svg);
    }
    out.write_unless(dir, cancelled)
}
