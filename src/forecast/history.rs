//! History input: read a bounded amount of a trace-format CSV, parse it with
//! the trace parser, and check it for forecasting — one interval length on a
//! grid aligned to midnight, no duplicated (interval, series) rows, at least
//! two weeks of span — into a day × slot grid per series.
//!
//! Absent rows are kept distinct from zeros (`NaN` in [`Series::values`]):
//! an absent interval is closed or missing, a zero is an open interval in
//! which nobody called.

use super::error::{ForecastError, InputIssue, MAX_ISSUES};
use crate::demand::trace::{TraceRow, parse_trace};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Largest history file read, in bytes; reading stops one byte after it, so a
/// pipe or FIFO cannot make the process read (or hold) more.
pub const MAX_HISTORY_BYTES: u64 = 64 * 1024 * 1024;
/// Interval lengths accepted, in minutes.
pub const ALLOWED_INTERVALS_MIN: [u32; 6] = [5, 10, 15, 20, 30, 60];
/// Shortest history accepted, in days (two weekly cycles).
pub const MIN_HISTORY_DAYS: usize = 14;
/// Longest span accepted, in days (three years).
pub const MAX_HISTORY_DAYS: usize = 3 * 366;
/// Most contacts in one interval (far above any real centre; keeps sums finite).
pub const MAX_INTERVAL_CONTACTS: f64 = 1e9;
/// Years accepted (date arithmetic stays far from chrono's limits).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;
/// Most grid cells (series × days × intervals a day) a history may expand to.
pub const MAX_HISTORY_CELLS: usize = 8_000_000;

/// Identity of one series: (region, channel, intent), as the trace format has them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesKey {
    /// Region, if the file has a region column and the row names one.
    pub region: Option<String>,
    /// Channel.
    pub channel: String,
    /// Intent, if the file has an intent column and the row names one.
    pub intent: Option<String>,
}

impl SeriesKey {
    /// A short label: `channel`, `region/channel`, `channel/intent`, ….
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.region {
            parts.push(r.as_str());
        }
        parts.push(self.channel.as_str());
        if let Some(i) = &self.intent {
            parts.push(i.as_str());
        }
        parts.join("/")
    }
}

/// One series on the history grid.
#[derive(Debug, Clone)]
pub struct Series {
    /// Its identity.
    pub key: SeriesKey,
    /// `days × slots_per_day` volumes, day-major; `NaN` where no row exists.
    pub values: Vec<f64>,
}

/// A validated history: every series on one grid starting at midnight of
/// the first date.
#[derive(Debug, Clone)]
pub struct History {
    /// Interval length, seconds.
    pub interval_s: u32,
    /// Intervals per day.
    pub slots_per_day: usize,
    /// Date of grid day 0.
    pub first_date: NaiveDate,
    /// Days on the grid (first to last date, inclusive).
    pub days: usize,
    /// Start of the latest interval in the file.
    pub last_start: NaiveDateTime,
    /// Series in (region, channel, intent) order.
    pub series: Vec<Series>,
    /// Whether the file has a region column (kept in the output).
    pub has_region: bool,
    /// Whether the file has an intent column (kept in the output).
    pub has_intent: bool,
}

impl History {
    /// The volume of `series` on grid `day`, `slot` (`NaN` when absent).
    pub fn value(&self, series: usize, day: usize, slot: usize) -> f64 {
        self.series[series].values[day * self.slots_per_day + slot]
    }

    /// The date of grid day `day`.
    pub fn date(&self, day: usize) -> NaiveDate {
        self.first_date + chrono::Days::new(day as u64)
    }
}

/// Reads at most `limit` + 1 bytes of `path` through the shared bounded
/// reader ([`crate::input::read_bounded`]: files, pipes and FIFOs alike) and
/// checks it is UTF-8.
pub fn read_bounded(path: &Path, limit: u64) -> Result<String, ForecastError> {
    let bytes = crate::input::read_bounded(path, limit).map_err(|e| match e {
        crate::input::ReadError::Io(source) => ForecastError::Read {
            path: path.to_path_buf(),
            source,
        },
        crate::input::ReadError::TooLarge { .. } => ForecastError::input(
            path,
            0,
            format!("larger than {limit} bytes; allowed: at most {limit} bytes"),
        ),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        ForecastError::input(path, 0, format!("not UTF-8 text ({e}); allowed: UTF-8 CSV"))
    })
}

/// Parses and checks history text; `file` names it in errors.
pub fn parse_history(file: &Path, text: &str) -> Result<History, ForecastError> {
    let fail = |issues: Vec<InputIssue>| ForecastError::Input {
        file: file.to_path_buf(),
        issues: issues.into_iter().take(MAX_ISSUES).collect(),
    };
    let rows = parse_trace(text).map_err(|issues| {
        fail(
            issues
                .into_iter()
                .map(|i| InputIssue {
                    line: i.line,
                    message: match i.column {
                        Some(c) => format!("column {c}: {}", i.message),
                        None => i.message,
                    },
                })
                .collect(),
        )
    })?;
    if rows.is_empty() {
        return Err(fail(vec![InputIssue {
            line: 0,
            message: "no data rows; allowed: a header and at least two weeks of rows".into(),
        }]));
    }
    let header = text.lines().next().unwrap_or("").to_ascii_lowercase();
    let has_column = |name: &str| header.split(',').any(|h| h.trim() == name);
    let interval_s = infer_interval(&rows).map_err(|m| fail(vec![m]))?;
    check_grid(&rows, interval_s).map_err(fail)?;
    build(
        file,
        rows,
        interval_s,
        has_column("region"),
        has_column("intent"),
    )
}

fn key_of(row: &TraceRow) -> SeriesKey {
    SeriesKey {
        region: row.region.clone(),
        channel: row.channel.clone(),
        intent: row.intent.clone(),
    }
}

fn second_of_day(t: &NaiveDateTime) -> u32 {
    t.num_seconds_from_midnight()
}

/// The interval is the most common gap between consecutive starts of a
/// series on one day (closed hours and missing rows make larger gaps, never
/// smaller ones).
fn infer_interval(rows: &[TraceRow]) -> Result<u32, InputIssue> {
    let mut by_series: HashMap<SeriesKey, Vec<NaiveDateTime>> = HashMap::new();
    for row in rows {
        by_series.entry(key_of(row)).or_default().push(row.start);
    }
    let mut gaps: BTreeMap<i64, usize> = BTreeMap::new();
    for starts in by_series.values_mut() {
        starts.sort_unstable();
        for w in starts.windows(2) {
            let gap = (w[1] - w[0]).num_seconds();
            if gap > 0 && w[0].date() == w[1].date() {
                *gaps.entry(gap).or_default() += 1;
            }
        }
    }
    // Most frequent gap; ties go to the smaller one (BTreeMap order).
    let Some((&gap, _)) = gaps.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) else {
        return Err(InputIssue {
            line: 0,
            message: "no two intervals on the same day, so the interval length cannot be inferred; allowed: consecutive intervals of 5, 10, 15, 20, 30 or 60 minutes".into(),
        });
    };
    if gap % 60 != 0 || !ALLOWED_INTERVALS_MIN.contains(&((gap / 60) as u32)) {
        return Err(InputIssue {
            line: 0,
            message: format!(
                "the most common gap between interval starts is {gap} s; allowed interval lengths: 5, 10, 15, 20, 30 or 60 minutes"
            ),
        });
    }
    Ok(gap as u32)
}

/// Misaligned starts, duplicates and days recorded at a coarser interval.
fn check_grid(rows: &[TraceRow], interval_s: u32) -> Result<(), Vec<InputIssue>> {
    let minutes = interval_s / 60;
    let mut issues = Vec::new();
    let mut seen: HashMap<(SeriesKey, NaiveDateTime), usize> = HashMap::new();
    for row in rows {
        if !YEARS.contains(&row.start.year()) {
            issues.push(InputIssue {
                line: row.line,
                message: format!(
                    "interval_start {} is out of range; allowed: years {} to {}",
                    row.start,
                    YEARS.start(),
                    YEARS.end()
                ),
            });
            continue;
        }
        if row.contacts > MAX_INTERVAL_CONTACTS {
            issues.push(InputIssue {
                line: row.line,
                message: format!(
                    "contacts {} in one interval; allowed: at most {MAX_INTERVAL_CONTACTS:e}",
                    row.contacts
                ),
            });
            continue;
        }
        let sod = second_of_day(&row.start);
        if sod % interval_s != 0 {
            issues.push(InputIssue {
                line: row.line,
                message: format!(
                    "interval_start {} is not on the {minutes}-minute grid of this file (inferred from its most common gap); allowed: starts at a multiple of {minutes} minutes after midnight",
                    row.start
                ),
            });
            continue;
        }
        if let Some(first) = seen.insert((key_of(row), row.start), row.line) {
            issues.push(InputIssue {
                line: row.line,
                message: format!(
                    "duplicated row for interval {} and series {:?} (first on line {first}); allowed: one row per interval and series",
                    row.start,
                    key_of(row).label()
                ),
            });
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    // A day whose rows are all a coarser interval apart (e.g. 30-minute rows
    // in a 15-minute file) means the export mixed interval lengths.
    let mut days: BTreeMap<(SeriesKey, NaiveDate), Vec<(u32, usize)>> = BTreeMap::new();
    for row in rows {
        days.entry((key_of(row), row.start.date()))
            .or_default()
            .push((second_of_day(&row.start), row.line));
    }
    for ((key, date), mut starts) in days {
        if starts.len() < 4 {
            continue;
        }
        starts.sort_unstable();
        let gcd = starts.windows(2).map(|w| w[1].0 - w[0].0).fold(0, gcd_u32);
        if gcd > interval_s {
            issues.push(InputIssue {
                line: starts[0].1,
                message: format!(
                    "series {:?} on {date} has rows every {} minutes while the file's interval is {minutes} minutes; allowed: one interval length per file (mixed interval lengths)",
                    key.label(),
                    gcd / 60
                ),
            });
        }
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(issues)
    }
}

fn gcd_u32(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd_u32(b, a % b) }
}

fn build(
    file: &Path,
    rows: Vec<TraceRow>,
    interval_s: u32,
    has_region: bool,
    has_intent: bool,
) -> Result<History, ForecastError> {
    let input = |m: String| ForecastError::input(PathBuf::from(file), 0, m);
    let first = rows.iter().map(|r| r.start).min().expect("non-empty");
    let last_start = rows.iter().map(|r| r.start).max().expect("non-empty");
    let first_date = first.date();
    let days = (last_start.date() - first_date).num_days() as usize + 1;
    if days < MIN_HISTORY_DAYS {
        return Err(input(format!(
            "history spans {days} day(s) ({} to {}); allowed: at least {MIN_HISTORY_DAYS} days (two weeks)",
            first_date,
            last_start.date()
        )));
    }
    if days > MAX_HISTORY_DAYS {
        return Err(input(format!(
            "history spans {days} days ({} to {}); allowed: at most {MAX_HISTORY_DAYS} days",
            first_date,
            last_start.date()
        )));
    }
    let slots_per_day = (86_400 / interval_s) as usize;
    let mut index: BTreeMap<SeriesKey, usize> = BTreeMap::new();
    for row in &rows {
        let n = index.len();
        index.entry(key_of(row)).or_insert(n);
    }
    let cells = index.len().saturating_mul(days * slots_per_day);
    if cells > MAX_HISTORY_CELLS {
        return Err(input(format!(
            "{} series over {days} days at {} minutes make {cells} cells; allowed: at most {MAX_HISTORY_CELLS} (fewer series, a shorter span or a longer interval)",
            index.len(),
            interval_s / 60
        )));
    }
    // Series in key order, whatever the row order.
    let order: Vec<SeriesKey> = index.keys().cloned().collect();
    let position: HashMap<&SeriesKey, usize> =
        order.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut series: Vec<Series> = order
        .iter()
        .map(|k| Series {
            key: k.clone(),
            values: vec![f64::NAN; days * slots_per_day],
        })
        .collect();
    for row in &rows {
        let day = (row.start.date() - first_date).num_days() as usize;
        let slot = (second_of_day(&row.start) / interval_s) as usize;
        let s = position[&key_of(row)];
        series[s].values[day * slots_per_day + slot] = row.contacts;
    }
    Ok(History {
        interval_s,
        slots_per_day,
        first_date,
        days,
        last_start,
        series,
        has_region,
        has_intent,
    })
}

/// Day of week, Monday = 0.
pub fn weekday(date: NaiveDate) -> usize {
    date.weekday().num_days_from_monday() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week_rows(days: usize, minutes: u32) -> String {
        let mut s = String::from("interval_start,channel,contacts\n");
        let start = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        for d in 0..days {
            let date = start + chrono::Days::new(d as u64);
            for m in (8 * 60..10 * 60).step_by(minutes as usize) {
                s.push_str(&format!("{date} {:02}:{:02},voice,{}\n", m / 60, m % 60, d));
            }
        }
        s
    }

    fn err(text: &str) -> String {
        parse_history(Path::new("h.csv"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn builds_grid_and_keeps_absent_distinct_from_zero() {
        let h = parse_history(Path::new("h.csv"), &week_rows(14, 15)).unwrap();
        assert_eq!(h.interval_s, 900);
        assert_eq!(h.days, 14);
        assert_eq!(h.value(0, 0, 32), 0.0);
        assert!(h.value(0, 0, 0).is_nan());
        assert_eq!(h.value(0, 13, 33), 13.0);
    }

    #[test]
    fn rejects_each_bad_input_with_line_and_allowed() {
        let short = err(&week_rows(13, 15));
        assert!(
            short.contains("13 day(s)") && short.contains("at least 14"),
            "{short}"
        );
        let mut dup = week_rows(14, 15);
        dup.push_str("2026-01-05 08:00,voice,3\n");
        let e = err(&dup);
        assert!(
            e.contains("duplicated") && e.contains("first on line 2"),
            "{e}"
        );
        let mut mis = week_rows(14, 15);
        mis.push_str("2026-01-05 08:07,voice,3\n");
        let e = err(&mis);
        assert!(
            e.contains("h.csv line") && e.contains("08:07") && e.contains("15-minute grid"),
            "{e}"
        );
        let mut mixed = week_rows(14, 15);
        mixed.push_str(
            &week_rows(1, 30)
                .replace("2026-01-05", "2026-01-19")
                .replace("interval_start,channel,contacts\n", ""),
        );
        let e = err(&mixed);
        assert!(e.contains("mixed interval lengths"), "{e}");
        let neg = week_rows(14, 15).replace(",voice,3\n", ",voice,-3\n");
        assert!(err(&neg).contains("\"-3\""), "{}", err(&neg));
        let nan = week_rows(14, 15).replace(",voice,4\n", ",voice,NaN\n");
        assert!(err(&nan).contains("NaN"));
        let odd = week_rows(14, 45);
        assert!(
            err(&odd).contains("allowed interval lengths"),
            "{}",
            err(&odd)
        );
    }
}
