//! `--sweep KEY=START:END:STEP`: plan once per value of one scenario key.
//!
//! `KEY` is a dotted path into the TOML document in the syntax of
//! `[[variant]]` overrides (`scenario::variant::path`), applied to the file's
//! text before validation, so any numeric key can be swept and every value is
//! validated like a file: `simulation.seed`, `ai_agent.false_containment`,
//! `team.voice.proficiency` (a key applied to an array of tables picks the
//! element with that `name`), `team[0].shrinkage`. Every table on the way
//! must exist; only the last key may be new. The value is written as an
//! integer when START, END and STEP are all written as integers, otherwise
//! as a float.

use serde::{Deserialize, Serialize};

/// Most values in one sweep.
pub const MAX_VALUES: usize = 1000;

/// A parsed `KEY=START:END:STEP`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// Dotted key path.
    pub key: String,
    /// The values, START first.
    pub values: Vec<f64>,
    /// START, END and STEP were all written as integers.
    pub integer: bool,
}

/// A bad sweep specification or key path.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("--sweep {spec}: {message}")]
pub struct SweepError {
    /// What was given.
    pub spec: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// Parses `KEY=START:END:STEP`.
pub fn parse(spec: &str) -> Result<Sweep, SweepError> {
    let fail = |message: &str| SweepError {
        spec: spec.to_string(),
        message: message.to_string(),
    };
    let (key, range) = spec.split_once('=').ok_or_else(|| {
        fail("expected KEY=START:END:STEP, e.g. team.voice.proficiency=1.0:1.3:0.1")
    })?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(|s| s.trim().is_empty()) {
        return Err(fail(
            "the key must be a dotted path such as team.voice.proficiency",
        ));
    }
    let parts: Vec<&str> = range.split(':').map(str::trim).collect();
    let [start, end, step] = parts[..] else {
        return Err(fail("expected three numbers START:END:STEP"));
    };
    let num = |s: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| fail(&format!("{s:?} is not a number")))
    };
    let (a, b, d) = (num(start)?, num(end)?, num(step)?);
    if d == 0.0 || (b - a) * d < 0.0 {
        return Err(fail("STEP must be non-zero and go from START towards END"));
    }
    // Counted in f64 first: a tiny STEP overflows the count (to infinity,
    // or past usize), which must be an error, not an empty sweep.
    let steps = ((b - a) / d + 1e-9).floor();
    if !(steps.is_finite() && steps < MAX_VALUES as f64) {
        return Err(fail(&format!(
            "{} values; allowed: at most {MAX_VALUES}",
            if steps.is_finite() {
                format!("{}", steps + 1.0)
            } else {
                "too many".into()
            }
        )));
    }
    let count = steps as usize + 1;
    if count > MAX_VALUES {
        return Err(fail(&format!(
            "{count} values; allowed: at most {MAX_VALUES}"
        )));
    }
    let values = (0..count)
        .map(|k| {
            let v = a + k as f64 * d;
            (v * 1e12).round() / 1e12
        })
        .collect();
    let integer = [start, end, step].iter().all(|s| s.parse::<i64>().is_ok());
    Ok(Sweep {
        key: key.to_string(),
        values,
        integer,
    })
}

/// Sets `key` to `value` in the TOML document `text` and returns the new text.
pub fn edit(text: &str, key: &str, value: f64, integer: bool) -> Result<String, SweepError> {
    use crate::scenario::variant::path;
    let fail = |message: String| SweepError {
        spec: format!("{key}={value}"),
        message,
    };
    let mut doc: toml::Value =
        toml::from_str(text).map_err(|e| fail(format!("the scenario is not valid TOML: {e}")))?;
    let steps = path::parse(key).map_err(|e| fail(format!("bad key path: {e}")))?;
    let new = if integer {
        toml::Value::Integer(value as i64)
    } else {
        toml::Value::Float(value)
    };
    path::set(&mut doc, &steps, new).map_err(fail)?;
    toml::to_string(&doc).map_err(|e| fail(format!("cannot write the edited scenario: {e}")))
}

/// One row of a sweep's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    /// The key's value.
    pub value: f64,
    /// Human FTE over all rosters.
    pub fte: f64,
    /// Paid hours over all rosters (plan cycle).
    pub paid_hours: f64,
    /// Roster cost, if priced.
    pub cost: Option<f64>,
    /// Service level, all channels pooled, fresh seeds.
    pub service_level: super::Interval,
    /// Abandonment, all channels pooled, fresh seeds.
    pub abandon_rate: super::Interval,
    /// Why the refinement stopped.
    pub termination: super::Termination,
    /// (interval, team) cells infeasible.
    pub infeasible: usize,
}

impl SweepRow {
    /// The row of a finished plan.
    pub fn of(value: f64, plan: &super::Plan) -> SweepRow {
        SweepRow {
            value,
            fte: plan.fte(),
            paid_hours: plan.paid_hours(),
            cost: plan.cost(),
            service_level: plan.service_level,
            abandon_rate: plan.abandon_rate,
            termination: plan.termination,
            infeasible: plan.count(super::Status::Infeasible),
        }
    }
}

/// Header of `sweep.csv`.
pub const SWEEP_HEADER: [&str; 10] = [
    "value",
    "fte",
    "paid_hours",
    "cost",
    "service_level",
    "service_level_ci",
    "abandon_rate",
    "abandon_rate_ci",
    "termination",
    "infeasible",
];

/// `sweep.csv` text.
pub fn sweep_csv(key: &str, rows: &[SweepRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = SWEEP_HEADER.to_vec();
    header[0] = key;
    w.write_record(&header).expect("in-memory CSV");
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for r in rows {
        w.write_record([
            r.value.to_string(),
            r.fte.to_string(),
            r.paid_hours.to_string(),
            opt(r.cost),
            opt(r.service_level.mean),
            opt(r.service_level.half),
            opt(r.abandon_rate.mean),
            opt(r.abandon_rate.half),
            r.termination.label().to_string(),
            r.infeasible.to_string(),
        ])
        .expect("in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8 CSV")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges() {
        let s = parse("team.voice.proficiency=1.0:1.3:0.1").unwrap();
        assert_eq!(s.key, "team.voice.proficiency");
        assert_eq!(s.values, vec![1.0, 1.1, 1.2, 1.3]);
        assert!(!s.integer);
        let s = parse("simulation.seed=1:3:1").unwrap();
        assert_eq!(s.values, vec![1.0, 2.0, 3.0]);
        assert!(s.integer);
        assert_eq!(parse("x=3:1:-1").unwrap().values, vec![3.0, 2.0, 1.0]);
        assert!(parse("x=1:3:0").is_err());
        assert!(parse("x=1:3:-1").is_err());
        assert!(parse("x=1:3").is_err());
        assert!(parse("=1:3:1").is_err());
        assert!(parse("a..b=1:3:1").is_err());
    }

    #[test]
    fn edits_tables_and_named_array_elements() {
        let text = "name = \"x\"\n[simulation]\nseed = 7\n[[team]]\nname = \"a\"\nagents = 3\n[[team]]\nname = \"b\"\nagents = 4\nproficiency = 1.0\n";
        let out = edit(text, "simulation.seed", 9.0, true).unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(doc["simulation"]["seed"].as_integer(), Some(9));
        let out = edit(text, "team.b.proficiency", 1.2, false).unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(doc["team"][1]["proficiency"].as_float(), Some(1.2));
        let out = edit(text, "team[0].proficiency", 1.5, false).unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(doc["team"][0]["proficiency"].as_float(), Some(1.5));
        assert!(edit(text, "team.zz.proficiency", 1.0, false).is_err());
        assert!(edit(text, "targets.max_abandon", 0.05, false).is_err());
        assert!(edit(text, "name.x", 1.0, false).is_err());
    }
}
