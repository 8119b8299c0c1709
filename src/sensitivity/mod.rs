//! `cxsim sensitivity`: the assumptions on trial.
//!
//! Each labelled convention ([`conventions::CONVENTIONS`]) is set to the low
//! and to the high end of its range, one at a time, everything else as in
//! the scenario, and the headline is measured again:
//! - without `versus`: the headline is a KPI of the scenario (default: cost
//!   per resolved problem when the scenario has `[costs]`, else service
//!   level);
//! - with `versus = "<variant>"`: the headline is the paired difference
//!   `KPI(variant) − KPI(base)`, and each convention is set in **both** arms
//!   (where it applies to the arm), so the report says how much the
//!   comparison's answer moves with the assumption.
//!
//! # Contract
//! - Every run shares the base's seed and replication indices (common random
//!   numbers, as in `compare`), so the change of the headline at each end of
//!   a range is a paired difference with its own 95% interval.
//! - Conventions are ranked by swing, |headline(high) − headline(low)|: the
//!   top of the tornado is what the answer depends on most.
//! - A convention that does not apply to the scenario (no AI agent, no
//!   assist, no learning loop …) is listed as not applicable, not run.
//!
//! # At equal service (`--equal-service`)
//! Every run (the nominal arms and each convention's low and high arms) is
//! first planned to the file's `[targets]` (`compare::equal`), then measured
//! on fresh seeds, so the headline is what meeting the targets takes (FTE by
//! default, or cost per resolved problem), and with `versus` the FTE saved or
//! the cost difference between the arms at equal service. The plans are
//! passed to [`analyse`]: an arm whose plan did not end `met` is named in
//! the headline's or the row's `not_met`, because its figure is not at equal
//! service.

pub mod conventions;
mod render;

pub use conventions::{CONVENTIONS, Convention, Shape};
pub use render::{sensitivity_csv, sensitivity_json, sensitivity_md, tornado_chart, write};

use crate::compare::equal::ArmPlan;
use crate::compare::kpi::{Scope, names, per_replication};
use crate::metrics::{Estimate, mean_ci};
use crate::planner::Termination;
use crate::scenario::overrides::{read_value, variant_document};
use crate::scenario::variant::path;
use crate::scenario::{RawVariant, Variant};
use serde::Serialize;

/// Prefix of the variant names a sensitivity analysis builds.
pub const PREFIX: &str = "sensitivity";

/// Which end of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The low end.
    Low,
    /// The high end.
    High,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::High => "high",
        }
    }
}

/// A convention with the range this analysis tries.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// The convention.
    pub convention: Convention,
    /// Low end tried (the convention's own unless `--range` changed it).
    pub low: f64,
    /// High end tried.
    pub high: f64,
}

/// Parses one `--range NAME=LOW:HIGH` argument (e.g. `voice_patience=90:360`).
/// Only the syntax is checked here; [`trials`] checks the name and the range.
pub fn parse_range(arg: &str) -> Result<(String, f64, f64), String> {
    let bad = || {
        format!(
            "--range {arg:?}: expected NAME=LOW:HIGH with two numbers, e.g. voice_patience=90:360"
        )
    };
    let (name, range) = arg.split_once('=').ok_or_else(bad)?;
    let (low, high) = range.split_once(':').ok_or_else(bad)?;
    let low: f64 = low.trim().parse().map_err(|_| bad())?;
    let high: f64 = high.trim().parse().map_err(|_| bad())?;
    Ok((name.trim().to_string(), low, high))
}

/// The trials for `only` (all conventions when `None`) with `ranges`
/// (`name → (low, high)`) replacing the default ranges. Unknown names are
/// an error listing the known ones.
pub fn trials(
    only: Option<&[String]>,
    ranges: &[(String, f64, f64)],
) -> Result<Vec<Trial>, String> {
    let known = || {
        CONVENTIONS
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (name, low, high) in ranges {
        if conventions::find(name).is_none() {
            return Err(format!(
                "--range {name}: no such convention; known: {}",
                known()
            ));
        }
        if !(low.is_finite() && high.is_finite()) || low >= high {
            return Err(format!(
                "--range {name}={low}:{high}: allowed two finite numbers, low < high"
            ));
        }
        // A clamped convention would otherwise run at a value other than
        // the one asked for, silently.
        if let Some(c) = conventions::find(name) {
            if let Some((min, max)) = c.allowed {
                for v in [low, high] {
                    if !(min..=max).contains(v) {
                        return Err(format!(
                            "--range {name}={low}:{high}: {v} is outside the domain of {name} ({}); allowed: {}",
                            c.label,
                            if max.is_finite() {
                                format!("from {min} to {max}")
                            } else {
                                format!("{min} or more")
                            }
                        ));
                    }
                }
            }
        }
    }
    let chosen: Vec<&Convention> = match only {
        None => CONVENTIONS.iter().collect(),
        Some(names) => names
            .iter()
            .map(|n| {
                conventions::find(n.trim())
                    .ok_or_else(|| format!("--only {n}: no such convention; known: {}", known()))
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(chosen
        .into_iter()
        .map(|c| {
            let (low, high) = ranges
                .iter()
                .find(|(n, _, _)| n == c.name)
                .map_or((c.low, c.high), |(_, l, h)| (*l, *h));
            Trial {
                convention: c.clone(),
                low,
                high,
            }
        })
        .collect())
}

/// The name of the variant that sets `trial` to `level` in `arm` (`base`
/// or the versus variant's name).
pub fn variant_name(trial: &Trial, level: Level, arm: &str) -> String {
    format!("{PREFIX}:{}:{}:{arm}", trial.convention.name, level.name())
}

/// The variants to run besides `base` (and `versus`): for each trial that
/// applies, its low and high ends in each arm. `versus` keeps its own
/// overrides, the convention's are added on top. `document` is the base's
/// TOML (after command-line overrides, without `[[variant]]`): a key whose
/// table the file does not write (`ai_agent.context_time` when the defaults
/// apply) is written as a new table holding that key.
pub fn variants(
    document: &toml::Table,
    base: &Variant,
    versus: Option<&Variant>,
    trials: &[Trial],
) -> Vec<RawVariant> {
    let mut out = Vec::new();
    for arm in std::iter::once(base).chain(versus) {
        let own: Vec<(String, toml::Value)> = arm
            .set
            .iter()
            .filter_map(|o| Some((o.path.clone(), read_value(&o.value)?)))
            .collect();
        let doc = variant_document(document, arm);
        for trial in trials {
            let targets = conventions::paths(&trial.convention, &arm.scenario);
            if targets.is_empty() {
                continue;
            }
            for level in [Level::Low, Level::High] {
                let value = match level {
                    Level::Low => trial.low,
                    Level::High => trial.high,
                };
                let mut set: toml::Table = own.iter().cloned().collect();
                for target in &targets {
                    let v = conventions::render(trial.convention.shape, value, target);
                    let (p, v) = settable(&doc, &target.path, v);
                    set.insert(p, v);
                }
                out.push(RawVariant {
                    name: variant_name(trial, level, &arm.name),
                    description: Some(format!("{} = {value}", trial.convention.name)),
                    set,
                });
            }
        }
    }
    out
}

/// `(path, value)` as given when `path` can be set in `doc`; else the
/// nearest parent that can, with a new table holding the rest.
fn settable(doc: &toml::Value, p: &str, value: toml::Value) -> (String, toml::Value) {
    let fits = |p: &str, v: &toml::Value| {
        path::parse(p).is_ok_and(|steps| path::set(&mut doc.clone(), &steps, v.clone()).is_ok())
    };
    let (mut p, mut value) = (p.to_string(), value);
    while !fits(&p, &value) {
        let Some((parent, leaf)) = p.rsplit_once('.') else {
            break;
        };
        let mut t = toml::Table::new();
        t.insert(leaf.to_string(), value);
        value = toml::Value::Table(t);
        p = parent.to_string();
    }
    (p, value)
}

/// What the analysis measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// KPI name (see `compare::kpi::names`).
    pub kpi: String,
    /// `overall` or `channel:<name>`.
    pub scope: String,
    /// The variant compared with the base, when the headline is a difference.
    pub versus: Option<String>,
    /// The headline with every convention at its scenario value.
    pub nominal: Estimate,
    /// Every run was planned to the file's `[targets]` before it was measured.
    pub equal_service: bool,
    /// Nominal arms whose plan did not end `met` (their figures are not at
    /// equal service); empty when every plan met the targets or nothing was
    /// planned.
    pub not_met: Vec<String>,
}

/// One convention's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Convention name.
    pub convention: String,
    /// What it means.
    pub label: String,
    /// Where its value comes from.
    pub source: String,
    /// Low end tried.
    pub low: f64,
    /// High end tried.
    pub high: f64,
    /// False when the scenario has nothing it applies to (not run).
    pub applies: bool,
    /// The headline at the low end.
    pub at_low: Estimate,
    /// The headline at the high end.
    pub at_high: Estimate,
    /// Paired change of the headline from nominal at the low end.
    pub change_low: Estimate,
    /// Paired change at the high end.
    pub change_high: Estimate,
    /// |at_high − at_low| (means): the width of its tornado bar.
    pub swing: Option<f64>,
    /// 1 for the largest swing; `None` when not applicable.
    pub rank: Option<usize>,
    /// Arms measured for this row (low and high ends, and the nominal arm
    /// standing in where the convention applies to one arm only) whose plan
    /// did not end `met`: the row is not at equal service.
    pub not_met: Vec<String>,
}

/// The result of a sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Scenario name.
    pub scenario: String,
    /// Seed every run shared.
    pub seed: u64,
    /// Replications per run.
    pub replications: u32,
    /// What was measured.
    pub headline: Headline,
    /// One row per convention, ranked (largest swing first; not applicable last).
    pub rows: Vec<Row>,
    /// With `--equal-service`: what planning each arm gave, in run order.
    pub plans: Vec<ArmPlan>,
}

/// One arm's replications.
pub struct Run<'a> {
    /// The arm.
    pub variant: &'a Variant,
    /// Its replications, in index order.
    pub reps: &'a [crate::metrics::ReplicationStats],
}

/// Why the headline cannot be measured.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HeadlineError(pub String);

/// The default headline KPI: at equal service, FTE (what meeting the
/// targets takes; with `versus` the FTE saved is its negative); otherwise
/// cost per resolved problem when the scenario is priced, else service level.
pub fn default_kpi(base: &Variant, equal_service: bool) -> &'static str {
    if equal_service {
        "fte"
    } else if base.scenario.costs.priced {
        "cost_per_resolved"
    } else {
        "service_level"
    }
}

/// Measures the headline of every run and ranks the trials. `runs` holds the
/// base first, then `versus` when given, then the variants of
/// [`variants`], in any order (they are found by name). `plans` holds each
/// run's plan at equal service (found by arm name; empty when the runs were
/// not planned).
pub fn analyse(
    runs: &[Run<'_>],
    trials: &[Trial],
    kpi: &str,
    scope: &Scope,
    versus: Option<&str>,
    plans: &[ArmPlan],
) -> Result<Sensitivity, HeadlineError> {
    let unmet = |name: &str| {
        plans
            .iter()
            .any(|p| p.arm == name && p.termination != Termination::Met)
    };
    let base = &runs[0];
    let priced = base.variant.scenario.costs.priced;
    let k = names(priced, scope)
        .iter()
        .position(|n| *n == kpi)
        .ok_or_else(|| {
            HeadlineError(format!(
                "--kpi {kpi}: allowed in scope {}: {}",
                scope.label(),
                names(priced, scope).join(", ")
            ))
        })?;
    let values = |run: &Run<'_>| -> Vec<Option<f64>> {
        per_replication(&run.variant.scenario, run.reps, scope, priced)
            .into_iter()
            .map(|row| row.get(k).copied().flatten())
            .collect()
    };
    let find = |name: &str| runs.iter().find(|r| r.variant.name == name);
    // The headline per replication for a (base-side, versus-side) pair of runs.
    let headline = |b: &Run<'_>, v: Option<&Run<'_>>| -> Vec<Option<f64>> {
        let bv = values(b);
        match v {
            None => bv,
            Some(v) => bv
                .iter()
                .zip(values(v))
                .map(|(b, v)| Some(v? - (*b)?))
                .collect(),
        }
    };
    let versus_run =
        match versus {
            Some(name) => Some(find(name).ok_or_else(|| {
                HeadlineError(format!("--versus {name}: no such variant was run"))
            })?),
            None => None,
        };
    let nominal = headline(base, versus_run);
    let estimate = |xs: &[Option<f64>]| Estimate::from_samples(xs.iter().copied());
    let mut rows = Vec::new();
    for trial in trials {
        // Where the convention applies to one arm only, the other arm runs
        // as it is; where it applies to neither, there is nothing to measure.
        let mut not_met = Vec::new();
        let mut at = |level: Level| -> Option<Vec<Option<f64>>> {
            let b_found = find(&variant_name(trial, level, &base.variant.name));
            let v_found = versus.and_then(|name| find(&variant_name(trial, level, name)));
            if b_found.is_none() && v_found.is_none() {
                return None;
            }
            let b = b_found.unwrap_or(base);
            let v = versus_run.map(|vr| v_found.unwrap_or(vr));
            for run in std::iter::once(b).chain(v) {
                let name = &run.variant.name;
                if unmet(name) && !not_met.contains(name) {
                    not_met.push(name.clone());
                }
            }
            Some(headline(b, v))
        };
        let (low, high) = (at(Level::Low), at(Level::High));
        let change = |xs: &Option<Vec<Option<f64>>>| match xs {
            Some(xs) => {
                let d: Vec<f64> = xs
                    .iter()
                    .zip(&nominal)
                    .filter_map(|(x, n)| Some((*x)? - (*n)?))
                    .collect();
                let (mean, ci95) = mean_ci(&d, 0.95);
                Estimate { mean, ci95 }
            }
            None => Estimate::default(),
        };
        let at_low = low.as_deref().map(estimate).unwrap_or_default();
        let at_high = high.as_deref().map(estimate).unwrap_or_default();
        let applies = low.is_some() || high.is_some();
        rows.push(Row {
            convention: trial.convention.name.to_string(),
            label: trial.convention.label.to_string(),
            source: trial.convention.source.to_string(),
            low: trial.low,
            high: trial.high,
            applies,
            change_low: change(&low),
            change_high: change(&high),
            swing: match (at_low.mean, at_high.mean) {
                (Some(l), Some(h)) => Some((h - l).abs()),
                _ => None,
            },
            at_low,
            at_high,
            rank: None,
            not_met,
        });
    }
    // Largest swing first; ties and not-applicable rows keep registry order.
    rows.sort_by(|a, b| {
        b.swing
            .unwrap_or(-1.0)
            .partial_cmp(&a.swing.unwrap_or(-1.0))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut rank = 0;
    for row in &mut rows {
        if row.swing.is_some() {
            rank += 1;
            row.rank = Some(rank);
        }
    }
    let sim = &base.variant.scenario.simulation;
    Ok(Sensitivity {
        scenario: base.variant.scenario.name.clone(),
        seed: sim.seed,
        replications: sim.replications,
        headline: Headline {
            kpi: kpi.to_string(),
            scope: scope.label(),
            versus: versus.map(str::to_string),
            nominal: estimate(&nominal),
            equal_service: !plans.is_empty(),
            not_met: std::iter::once(base)
                .chain(versus_run)
                .map(|r| r.variant.name.clone())
                .filter(|n| unmet(n))
                .collect(),
        },
        rows,
        plans: plans.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(name: &str, low: f64, high: f64) -> Vec<(String, f64, f64)> {
        vec![(name.to_string(), low, high)]
    }

    #[test]
    fn a_range_outside_a_clamped_domain_names_the_value_and_what_is_allowed() {
        let e = trials(None, &range("ai_ceiling", 0.6, 1.5)).unwrap_err();
        assert!(e.contains("ai_ceiling=0.6:1.5") && e.contains("1.5"), "{e}");
        assert!(e.contains("from 0 to 1"), "{e}");
        let e = trials(None, &range("ai_resolution", -0.5, 1.2)).unwrap_err();
        assert!(e.contains("-0.5") && e.contains("0 or more"), "{e}");
        // Inside the domain, the range replaces the default.
        let t = trials(None, &range("ai_ceiling", 0.7, 1.0)).unwrap();
        let c = t
            .iter()
            .find(|t| t.convention.name == "ai_ceiling")
            .unwrap();
        assert_eq!((c.low, c.high), (0.7, 1.0));
    }

    #[test]
    fn every_default_range_is_inside_its_domain() {
        for c in CONVENTIONS {
            if let Some((min, max)) = c.allowed {
                assert!(min <= c.low && c.high <= max, "{}", c.name);
            }
        }
    }
}
