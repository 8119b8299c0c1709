//! Files of `cxsim forecast`: `forecast.csv` (trace format + `lo`, `hi`),
//! `backtest.csv`, `forecast.md`, `forecast.toml` (a `[demand]` snippet) and
//! one `forecast-<series>.svg` per series. Everything is rendered in memory
//! first and then written atomically, so an error leaves the folder as it was.

use super::history::History;
use super::{Forecast, SeriesForecast, chart};
use crate::report::{Outputs, WriteError};
use serde_json::json;
use std::fmt::Write;
use std::path::{Path, PathBuf};

const TIME: &str = "%Y-%m-%d %H:%M";

fn key_columns(f: &Forecast, s: &SeriesForecast) -> String {
    let mut out = String::new();
    if f.has_region {
        out.push_str(&csv_field(s.key.region.as_deref().unwrap_or("")));
        out.push(',');
    }
    out.push_str(&csv_field(&s.key.channel));
    if f.has_intent {
        out.push(',');
        out.push_str(&csv_field(s.key.intent.as_deref().unwrap_or("")));
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn key_header(f: &Forecast) -> String {
    let mut h = String::new();
    if f.has_region {
        h.push_str("region,");
    }
    h.push_str("channel");
    if f.has_intent {
        h.push_str(",intent");
    }
    h
}

/// `forecast.csv`: one row per open forecast interval and series, time order.
pub fn forecast_csv(f: &Forecast) -> String {
    let mut rows: Vec<(chrono::NaiveDateTime, usize, usize)> = Vec::new();
    for (s, series) in f.series.iter().enumerate() {
        rows.extend((0..series.rows.len()).map(|i| (series.rows[i].start, s, i)));
    }
    rows.sort_unstable();
    let mut out = format!("interval_start,{},contacts,lo,hi\n", key_header(f));
    for (_, s, i) in rows {
        let series = &f.series[s];
        let r = &series.rows[i];
        let _ = writeln!(
            out,
            "{},{},{:.3},{},{}",
            r.start.format(TIME),
            key_columns(f, series),
            r.mean,
            r.lo,
            r.hi
        );
    }
    out
}

/// `backtest.csv`: per series, method and origin, WAPE and bias.
pub fn backtest_csv(f: &Forecast) -> String {
    let mut out = String::from("series,method,origin,wape,bias,actual,chosen\n");
    for s in &f.series {
        for b in &s.backtest {
            let _ = writeln!(
                out,
                "{},{},{},{:.5},{:.5},{:.1},{}",
                csv_field(&s.key.label()),
                b.method.name(),
                b.origin,
                b.wape(),
                b.bias(),
                b.actual,
                b.method == s.method
            );
        }
    }
    out
}

/// `forecast.toml`: a `[demand]` section using the forecast as its trace.
pub fn demand_toml(f: &Forecast) -> String {
    let minutes = f.interval_s / 60;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `cxsim forecast`: a [demand] section that replays forecast.csv."
    );
    let _ = writeln!(
        out,
        "# Put this file's folder as the scenario's, or adjust the path (relative to the scenario)."
    );
    let first = f
        .series
        .iter()
        .filter_map(|s| s.rows.first())
        .map(|r| r.start)
        .min();
    let last = f
        .series
        .iter()
        .filter_map(|s| s.rows.last())
        .map(|r| r.start)
        .max();
    if let (Some(first), Some(last)) = (first, last) {
        // The trace replays from midnight of its first row's date and wraps
        // after its last row's date: a longer horizon would repeat days.
        let days = (last.date() - first.date()).num_days() + 1;
        let _ = writeln!(
            out,
            "# The forecast's rows run from {} to {} ({days} day(s); it starts at {}).\n# To simulate exactly those days, set\n#   [simulation]\n#   start = {}\n#   horizon = \"{days}d\"",
            first.format(TIME),
            last.format(TIME),
            f.start.format(TIME),
            first.date()
        );
    }
    let day_cv = snippet_day_cv(f.day_cv);
    let _ = writeln!(
        out,
        "# day_cv: the fitted day-level over-dispersion (CV of day totals beyond Poisson, all series\n# summed, {:.4} before rounding): each simulated day of each region is scaled by a gamma\n# multiplier with mean 1 and this CV, so `cxsim run` shows and `cxsim plan` staffs for\n# forecast error, not only Poisson noise. 0 turns it off; allowed: 0 or 1e-9 to 2.",
        f.day_cv
    );
    let _ = writeln!(
        out,
        "[demand]\ntrace = \"forecast.csv\"\ntrace_interval = \"{minutes}m\"\nday_cv = {day_cv}"
    );
    out
}

/// `day_cv` as written in forecast.toml: three decimals, within what the
/// scenario accepts (0 or 1e-9 to 2); a non-finite fit (too few days) is 0.
fn snippet_day_cv(fitted: f64) -> String {
    if fitted.is_finite() && fitted > 0.0 {
        format!("{:.3}", fitted.min(2.0))
    } else {
        "0.000".into()
    }
}

fn pct(x: f64) -> String {
    crate::report::format::pct(x)
}

/// `forecast.md`: the chosen method per series and every method's backtest.
pub fn markdown(f: &Forecast, history_name: &str) -> String {
    let mut out = String::from("# Forecast\n\n");
    let _ = writeln!(
        out,
        "History `{history_name}`: {} days at {} minutes. Forecast from {} for {:.1} days. Day-level over-dispersion (all series): day_cv = {:.3}.\n",
        f.history_days,
        f.interval_s / 60,
        f.start.format(TIME),
        f.horizon_s as f64 / 86_400.0,
        f.day_cv
    );
    out.push_str("| series | chosen | forecast contacts | day_cv | interval cv |");
    let methods = super::Method::ALL;
    for m in methods {
        let _ = write!(out, " {} WAPE (bias) |", m.name());
    }
    out.push_str("\n|---|---|---:|---:|---:|");
    out.push_str(&"---:|".repeat(methods.len()));
    out.push('\n');
    for s in &f.series {
        let total: f64 = s.rows.iter().map(|r| r.mean).sum();
        let _ = write!(
            out,
            "| {} | {} | {:.0} | {:.3} | {:.3} |",
            s.key.label(),
            s.method.name(),
            total,
            s.day_cv,
            s.interval_cv
        );
        for m in methods {
            match s.scores.iter().find(|x| x.method == m) {
                Some(x) => {
                    let _ = write!(out, " {} ({:+.1}%) |", pct(x.wape), 100.0 * x.bias);
                }
                None => out.push_str(" — |"),
            }
        }
        out.push('\n');
    }
    let origins = f
        .series
        .first()
        .map_or(0, |s| s.backtest.len() / methods.len());
    let _ = writeln!(
        out,
        "\nBacktest: {origins} rolling origin(s) a week apart, each fitted on the days before it only; WAPE = Σ|forecast − actual| ÷ Σ actual over the intervals with a row (special days not scored); bias = Σ(forecast − actual) ÷ Σ actual. Per origin: backtest.csv."
    );
    out
}

/// The `--json` summary.
pub fn json(f: &Forecast, files: &[PathBuf]) -> serde_json::Value {
    let series: Vec<_> = f
        .series
        .iter()
        .map(|s| {
            let chosen = s.scores.iter().find(|x| x.method == s.method);
            json!({
                "series": s.key.label(),
                "channel": s.key.channel,
                "region": s.key.region,
                "intent": s.key.intent,
                "method": s.method.name(),
                "wape": chosen.map(|x| x.wape),
                "bias": chosen.map(|x| x.bias),
                "origins": s.backtest.len() / super::Method::ALL.len(),
                "day_cv": s.day_cv,
                "interval_cv": s.interval_cv,
                "forecast_contacts": s.rows.iter().map(|r| r.mean).sum::<f64>(),
                "methods": s.scores.iter().map(|x| (x.method.name().to_string(), json!({"wape": x.wape, "bias": x.bias}))).collect::<serde_json::Map<_, _>>(),
            })
        })
        .collect();
    json!({
        "start": f.start.format(TIME).to_string(),
        "horizon_s": f.horizon_s,
        "interval_s": f.interval_s,
        "history_days": f.history_days,
        "day_cv": f.day_cv,
        "series": series,
        "files": files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    })
}

/// File-name-safe label.
fn slug(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Renders every file, then writes them all into `dir`; returns their paths.
pub fn write(
    dir: &Path,
    history: &History,
    f: &Forecast,
    history_name: &str,
) -> Result<Vec<PathBuf>, WriteError> {
    let mut out = Outputs::new();
    out.add("forecast.csv", forecast_csv(f))
        .add("backtest.csv", backtest_csv(f))
        .add("forecast.md", markdown(f, history_name))
        .add("forecast.toml", demand_toml(f));
    for (s, series) in f.series.iter().enumerate() {
        let name = format!("forecast-{}.svg", slug(&series.key.label()));
        out.add(name, chart::render(history, s, series, f.start));
    }
    out.write(dir)
}
