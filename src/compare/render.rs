//! `compare.csv`, `compare.json`, `charts/compare.svg` and the text table
//! (documented in docs/OUTPUTS.md).

use super::kpi::unit_of;
use super::{Comparison, Row, compare_chart};
use crate::report::{CHARTS_DIR, Outputs, WriteError, format};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Header of `compare.csv`.
pub const CSV_HEADER: [&str; 11] = [
    "scope",
    "kpi",
    "variant",
    "mean",
    "ci95",
    "diff_mean",
    "diff_ci95",
    "base_mean",
    "unpaired_diff_ci95",
    "replications",
    "pairs",
];

/// One row per (scope, KPI, variant); empty cells are undefined.
pub fn compare_csv(c: &Comparison) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).expect("in-memory write");
    for r in &c.rows {
        w.write_record([
            r.scope.clone(),
            r.kpi.to_string(),
            r.variant.clone(),
            format::cell(r.mean),
            format::cell(r.ci95),
            format::cell(r.diff_mean),
            format::cell(r.diff_ci95),
            format::cell(r.base_mean),
            format::cell(r.unpaired_diff_ci95),
            r.replications.to_string(),
            r.pairs.to_string(),
        ])
        .expect("in-memory write");
    }
    let bytes = w.into_inner().expect("in-memory CSV writer flushes");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// `compare.json` text (pretty, trailing newline).
pub fn compare_json(c: &Comparison) -> String {
    let mut text = serde_json::to_string_pretty(c).expect("comparison serialises");
    text.push('\n');
    text
}

fn decimals(kpi: &str) -> usize {
    unit_of(kpi).decimals()
}

fn plus_minus(value: Option<f64>, half: Option<f64>, d: usize, signed: bool) -> String {
    match (value, half) {
        (Some(v), Some(h)) if signed => format!("{v:+.d$} ± {h:.d$}"),
        (Some(v), Some(h)) => format!("{v:.d$} ± {h:.d$}"),
        (Some(v), None) if signed => format!("{v:+.d$}"),
        (Some(v), None) => format!("{v:.d$}"),
        _ => "–".into(),
    }
}

/// The 95% interval of the difference excludes zero.
fn excludes_zero(r: &Row) -> bool {
    matches!((r.diff_mean, r.diff_ci95), (Some(m), Some(h)) if m.abs() > h)
}

/// The comparison as an aligned plain-text table, for people.
pub fn compare_table(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: base and {} variant(s), seed {}, {} replication(s)",
        c.scenario,
        c.variants.len().saturating_sub(1),
        c.seed,
        c.replications
    );
    for v in c.variants.iter().skip(1) {
        let set: Vec<String> = v
            .set
            .iter()
            .map(|s| format!("{} = {}", s.path, s.value))
            .collect();
        let mut line = format!("  {}: {}", v.name, set.join(", "));
        if set.is_empty() {
            line.push_str("(no overrides)");
        }
        if !v.description.is_empty() {
            let _ = write!(line, "  ({})", v.description.trim());
        }
        if !v.common_random_numbers {
            let _ = write!(line, "  [seed {}: not paired]", v.seed);
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "Means ± 95% half-widths over replications. Δ = variant − base, paired by \
         replication (common random numbers); * marks a Δ whose interval excludes 0; \
         the last column is the half-width Δ would have without pairing (Welch)."
    );
    let mut scope = None;
    let mut lines: Vec<[String; 5]> = Vec::new();
    for r in &c.rows {
        if scope != Some(&r.scope) {
            scope = Some(&r.scope);
            lines.push([
                r.scope.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            lines.push(
                [
                    "  kpi",
                    "variant",
                    "mean ± 95%",
                    "Δ vs base ± 95%  ",
                    "unpaired",
                ]
                .map(String::from),
            );
        }
        let d = decimals(r.kpi);
        // Rows come (scope, KPI, arm) with the base first: name the KPI once.
        let is_base = c.variants.first().is_some_and(|b| b.name == r.variant);
        let (kpi, diff, unpaired) = if is_base {
            (format!("  {}", r.kpi), String::new(), String::new())
        } else {
            let star = if excludes_zero(r) { " *" } else { "  " };
            let diff = plus_minus(r.diff_mean, r.diff_ci95, d, true) + star;
            let unpaired = match r.unpaired_diff_ci95 {
                Some(h) => format!("± {h:.d$}"),
                None => "–".into(),
            };
            (String::new(), diff, unpaired)
        };
        lines.push([
            kpi,
            r.variant.clone(),
            plus_minus(r.mean, r.ci95, d, false),
            diff,
            unpaired,
        ]);
    }
    let mut widths = [0usize; 5];
    for l in lines.iter().filter(|l| !l[1].is_empty()) {
        for (w, cell) in widths.iter_mut().zip(l) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for l in &lines {
        if l[1].is_empty() {
            let _ = writeln!(out, "\n{}", l[0]);
            continue;
        }
        let pad = |i: usize, right: bool| {
            let fill = " ".repeat(widths[i] - l[i].chars().count());
            if right {
                format!("{fill}{}", l[i])
            } else {
                format!("{}{fill}", l[i])
            }
        };
        let line = format!(
            "{}  {}  {}  {}  {}",
            pad(0, false),
            pad(1, false),
            pad(2, true),
            pad(3, true),
            pad(4, true)
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// Writes `compare.csv`, `compare.json` and `charts/compare.svg` into `dir`
/// (the chart beside `cxsim run`'s charts when both share a folder; the names
/// do not collide); returns the paths written.
pub fn write(dir: &Path, c: &Comparison) -> Result<Vec<PathBuf>, WriteError> {
    Ok(write_unless(dir, c, &|| false)?.expect("never cancelled"))
}

/// [`write()`], cancellable like
/// [`report::write_run_unless`](crate::report::write_run_unless): every
/// file is staged first; if `cancelled()` is then true nothing is written
/// (`Ok(None)`) and the folder is left as it was.
pub fn write_unless(
    dir: &Path,
    c: &Comparison,
    cancelled: &dyn Fn() -> bool,
) -> Result<Option<Vec<PathBuf>>, WriteError> {
    // Render everything before touching the disk, as `cxsim run` does.
    let mut out = Outputs::new();
    out.add("compare.csv", compare_csv(c))
        .add("compare.json", compare_json(c));
    if let Some(chart) = compare_chart(c) {
        out.add(Path::new(CHARTS_DIR).join(&chart.file_name), chart.svg);
    }
    out.write_unless(dir, cancelled)
}
