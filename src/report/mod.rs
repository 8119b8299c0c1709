//! Reports: `summary.json`, `intervals.csv`, `agents.csv`, `summary.md`.
//!
//! Every file is rendered in memory first and then written atomically, so a
//! failed or interrupted run never leaves a partial file behind.

mod atomic;
mod csv_out;
mod markdown;

pub use atomic::{WriteError, ensure_dir, write_atomic};
pub use csv_out::{agents_csv, intervals_csv};
pub use markdown::summary_md;

use crate::metrics::{ReplicationStats, Summary};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};

/// `summary.json` text (pretty, stable key order, trailing newline).
pub fn summary_json(summary: &Summary) -> String {
    let mut text = serde_json::to_string_pretty(summary).expect("summary serialises");
    text.push('\n');
    text
}

/// Writes every run output into `dir`; returns the paths written.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    summary: &Summary,
    reps: &[ReplicationStats],
) -> Result<Vec<PathBuf>, WriteError> {
    // Render everything before touching the disk: a rendering failure then
    // leaves the folder as it was.
    let files = [
        ("summary.json", summary_json(summary)),
        ("intervals.csv", intervals_csv(scenario, reps)),
        ("agents.csv", agents_csv(scenario, reps)),
        ("summary.md", summary_md(scenario, summary)),
    ];
    ensure_dir(dir)?;
    let mut written = Vec::new();
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
