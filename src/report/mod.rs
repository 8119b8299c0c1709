//! Reports: `summary.json`, `intervals.csv`, `agents.csv`, `summary.md`,
//! `report.html` and `charts/*.svg`.
//!
//! Every file is written to a temporary file and renamed into place, so a
//! failed or interrupted run never leaves a partial file behind. Interval
//! tables stream: memory does not grow with the horizon.

mod atomic;
mod charts;
mod csv_out;
mod html;
mod markdown;
mod outputs;
mod staging;
mod trace;

pub use atomic::{AtomicFile, WriteError, ensure_dir, write_atomic};
pub use charts::{Chart, ChartData, MAX_BUCKETS, render_charts};
pub(crate) use charts::{bars, coverage, heatmap, staffing};
pub use csv_out::{AgentsCsv, IntervalsCsv};
pub use html::report_html;
pub use markdown::summary_md;
pub use outputs::{Outputs, format};
pub use staging::Staging;
pub use trace::write_trace;

use crate::metrics::{ReplicationStats, Summary, for_each_interval_rows};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};

/// `summary.json` text (pretty, stable key order, trailing newline).
pub fn summary_json(summary: &Summary) -> String {
    let mut text = serde_json::to_string_pretty(summary).expect("summary serialises");
    text.push('\n');
    text
}

/// Folder under the output folder that holds the chart SVG files.
pub const CHARTS_DIR: &str = "charts";

/// Writes every run output into `dir` (charts into `dir/charts/`); returns the
/// paths written.
///
/// Interval rows stream from the replications (memory or spill files) into
/// hidden temporary files and chart buckets, one interval at a time, so memory
/// does not grow with the horizon. Nothing appears under its final name until
/// every file is complete; on an error the temporary files are removed and the
/// folder is left as it was.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    summary: &Summary,
    reps: &[ReplicationStats],
) -> Result<Vec<PathBuf>, WriteError> {
    let written = write_run_unless(dir, scenario, summary, reps, &|| false)?;
    Ok(written.expect("never cancelled"))
}

/// [`write_run`], cancellable: every file is staged completely under a
/// temporary name first ([`Staging`]); if `cancelled()` is then true, the
/// staged files and any folder created for them are removed and `Ok(None)`
/// is returned: the output folder is left exactly as it was. Otherwise every
/// file is renamed into place (a cancellation from then on is too late:
/// the outputs are complete).
pub fn write_run_unless(
    dir: &Path,
    scenario: &Scenario,
    summary: &Summary,
    reps: &[ReplicationStats],
    cancelled: &dyn Fn() -> bool,
) -> Result<Option<Vec<PathBuf>>, WriteError> {
    let mut stage = Staging::default();
    stage.dir(dir)?;
    let chart_dir = dir.join(CHARTS_DIR);
    stage.dir(&chart_dir)?;
    let mut intervals = IntervalsCsv::new(AtomicFile::create(&dir.join("intervals.csv"))?)
        .map_err(|e| WriteError {
            path: dir.join("intervals.csv"),
            source: e.into(),
        })?;
    let mut agents =
        AgentsCsv::new(AtomicFile::create(&dir.join("agents.csv"))?, reps).map_err(|e| {
            WriteError {
                path: dir.join("agents.csv"),
                source: e.into(),
            }
        })?;
    let mut charts = ChartData::new(scenario, summary);
    let mut failed: Option<(&str, csv::Error)> = None;
    let read = for_each_interval_rows(scenario, reps, |rows, team_rows| {
        if failed.is_some() {
            return;
        }
        if let Err(e) = intervals.rows(scenario, rows) {
            failed = Some(("intervals.csv", e));
        } else if let Err(e) = agents.rows(scenario, team_rows) {
            failed = Some(("agents.csv", e));
        }
        charts.push(rows, team_rows);
    });
    read.map_err(|e| WriteError {
        path: dir.join("intervals.csv"),
        source: std::io::Error::new(e.kind(), format!("reading interval results back: {e}")),
    })?;
    if let Some((name, e)) = failed {
        return Err(WriteError {
            path: dir.join(name),
            source: e.into(),
        });
    }
    let intervals = intervals.finish().map_err(|source| WriteError {
        path: dir.join("intervals.csv"),
        source,
    })?;
    let agents = agents.finish().map_err(|source| WriteError {
        path: dir.join("agents.csv"),
        source,
    })?;
    let charts = charts.render(scenario, summary);
    let texts = [
        ("summary.json", summary_json(summary)),
        ("summary.md", summary_md(scenario, summary)),
        ("report.html", report_html(scenario, summary, &charts)),
    ];
    for chart in &charts {
        stage.file(&chart_dir.join(&chart.file_name), chart.svg.as_bytes())?;
    }
    stage.add(intervals);
    stage.add(agents);
    for (name, text) in texts {
        stage.file(&dir.join(name), text.as_bytes())?;
    }
    if cancelled() {
        return Ok(None);
    }
    stage.commit().map(Some)
}

/// Day-of-week and clock time of a horizon offset (the horizon starts Monday 00:00).
pub fn day_and_time(offset_s: f64) -> (&'static str, String) {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let total_min = (offset_s / 60.0).floor() as u64;
    let day = DAYS[((total_min / 1440) % 7) as usize];
    let minute_of_day = total_min % 1440;
    (
        day,
        format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60),
    )
}
