//! Reports: `summary.json`, `intervals.csv`, `agents.csv`, `summary.md`,
//! `report.html` and `charts/*.svg`.
//!
//! Every file is rendered in memory first and then written atomically, so a
//! failed or interrupted run never leaves a partial file behind.

mod atomic;
mod charts;
mod csv_out;
mod html;
mod markdown;

pub use atomic::{WriteError, ensure_dir, write_atomic};
pub use charts::{Chart, MAX_BUCKETS, render_charts};
pub(crate) use charts::{bars, staffing};
pub use csv_out::{agents_csv, intervals_csv};
pub use html::report_html;
pub use markdown::summary_md;

use crate::metrics::{ReplicationStats, Summary, interval_rows, team_interval_rows};
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
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    summary: &Summary,
    reps: &[ReplicationStats],
) -> Result<Vec<PathBuf>, WriteError> {
    // Render everything before touching the disk: a rendering failure then
    // leaves the folder as it was.
    let rows = interval_rows(scenario, reps);
    let team_rows = team_interval_rows(reps, scenario.simulation.interval_s);
    let charts = render_charts(scenario, summary, &rows, &team_rows);
    let files = [
        ("summary.json", summary_json(summary)),
        ("intervals.csv", intervals_csv(scenario, &rows)),
        ("agents.csv", agents_csv(scenario, reps, &team_rows)),
        ("summary.md", summary_md(scenario, summary)),
        ("report.html", report_html(scenario, summary, &charts)),
    ];
    ensure_dir(dir)?;
    let chart_dir = dir.join(CHARTS_DIR);
    ensure_dir(&chart_dir)?;
    let mut written = Vec::new();
    for chart in &charts {
        let path = chart_dir.join(&chart.file_name);
        write_atomic(&path, chart.svg.as_bytes())?;
        written.push(path);
    }
    for (name, text) in files {
        let path = dir.join(name);
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
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
