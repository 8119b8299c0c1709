//! Variants side by side, on common random numbers.
//!
//! # Contract
//! - Every arm (the base and each variant) is run with the same seed and the
//!   same replication indices. The engine keys each random stream by (seed,
//!   replication, purpose, index), so replication `r` of every arm sees the same
//!   arrivals, patience and work content: the arms differ only where the
//!   variant changes the model.
//! - For each KPI and scope the report gives each arm's mean and 95% Student-t
//!   half-width over its replications, and the **paired** difference to the
//!   base: `d_r = KPI_arm(r) − KPI_base(r)` over the replications where both
//!   are defined, with the mean and 95% Student-t half-width of the `d_r`.
//!   Because both arms share their randomness, `d_r` varies far less than
//!   either KPI, and the paired interval is much narrower than the unpaired
//!   (Welch) one, which is reported alongside for comparison.
//! - An arm identical to the base gives `d_r = 0` exactly, hence a difference
//!   of 0 with half-width 0.

mod arms;
mod chart;
pub mod equal;
pub mod kpi;
mod render;

pub use arms::{ArmsError, load_arms};
pub use chart::compare_chart;
pub use kpi::{KPIS, Scope};
pub use render::{CSV_HEADER, compare_csv, compare_json, compare_table, write, write_unless};

use crate::metrics::{ReplicationStats, mean_ci};
use crate::scenario::Variant;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Confidence level of every interval in a comparison.
pub const LEVEL: f64 = 0.95;

/// One arm of a comparison: a variant and the replications it ran.
#[derive(Debug, Clone, Copy)]
pub struct Arm<'a> {
    /// The variant (its scenario holds the seed and replications it ran with).
    pub variant: &'a Variant,
    /// Its replications, in index order.
    pub reps: &'a [ReplicationStats],
}

/// Everything `compare.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Scenario name (the base's).
    pub scenario: String,
    /// The base's seed.
    pub seed: u64,
    /// The base's replications.
    pub replications: u32,
    /// The arms, base first.
    pub variants: Vec<ArmInfo>,
    /// One row per (scope, KPI, arm), scope-major, arms in order.
    pub rows: Vec<Row>,
}

/// How an arm was run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmInfo {
    /// Variant name (`base` for the base).
    pub name: String,
    /// The variant's description.
    pub description: String,
    /// Its overrides: path as written and value as TOML text.
    pub set: Vec<SetEntry>,
    /// Seed it ran with.
    pub seed: u64,
    /// Replications it ran.
    pub replications: u32,
    /// Same seed as the base: differences are paired on common random numbers.
    pub common_random_numbers: bool,
    /// What the arm pays, overall (when the scenario is priced): the
    /// headline of an equal-service comparison.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fte: Option<Estimate>,
    /// Paid human agent-hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_hours: Option<Estimate>,
    /// Total cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_total: Option<Estimate>,
    /// Cost per resolved problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_per_resolved: Option<Estimate>,
}

/// A mean over replications with its 95% half-width.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Mean.
    pub mean: f64,
    /// 95% Student-t half-width (`null` with one replication).
    pub ci95: Option<f64>,
}

/// One override of a variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetEntry {
    /// Path as written, e.g. `team.voice.agents`.
    pub path: String,
    /// Value as TOML text.
    pub value: String,
}

/// One KPI of one arm in one scope, with its difference to the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `overall` or `channel:<name>`.
    pub scope: String,
    /// KPI name (see [`KPIS`]; cost figures follow when the base is priced).
    pub kpi: &'static str,
    /// Arm name.
    pub variant: String,
    /// Mean over the arm's replications where the KPI is defined.
    pub mean: Option<f64>,
    /// 95% Student-t half-width of `mean`.
    pub ci95: Option<f64>,
    /// Mean of the paired differences `KPI_arm(r) − KPI_base(r)`.
    pub diff_mean: Option<f64>,
    /// 95% Student-t half-width of `diff_mean`.
    pub diff_ci95: Option<f64>,
    /// The base's mean, for reference.
    pub base_mean: Option<f64>,
    /// 95% half-width of the difference of means if the arms were independent
    /// (Welch's two-sample t); what pairing is compared with.
    pub unpaired_diff_ci95: Option<f64>,
    /// Replications where the KPI is defined.
    pub replications: usize,
    /// Replications paired with the base (both defined).
    pub pairs: usize,
    /// The KPI per replication (`null` where undefined).
    pub values: Vec<Option<f64>>,
}

/// Compares `arms` (the base first) KPI by KPI, overall and per channel.
///
/// # Panics
/// If `arms` is empty.
pub fn compare(arms: &[Arm<'_>]) -> Comparison {
    let base = arms.first().expect("a comparison has a base arm");
    let base_sim = &base.variant.scenario.simulation;
    let mut scopes = vec![Scope::Overall];
    for arm in arms {
        for channel in &arm.variant.scenario.channels {
            let scope = Scope::Channel(channel.name.clone());
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
    }
    let priced = base.variant.scenario.costs.priced;
    let mut rows = Vec::new();
    for scope in &scopes {
        let per_arm: Vec<_> = arms
            .iter()
            .map(|a| kpi::per_replication(&a.variant.scenario, a.reps, scope, priced))
            .collect();
        for (k, name) in kpi::names(priced, scope).into_iter().enumerate() {
            let column = |arm: usize| per_arm[arm].iter().map(|v| v[k]).collect::<Vec<_>>();
            let base_values = column(0);
            let base_defined: Vec<f64> = base_values.iter().flatten().copied().collect();
            let base_mean = mean_ci(&base_defined, LEVEL).0;
            for (a, arm) in arms.iter().enumerate() {
                let values = column(a);
                let defined: Vec<f64> = values.iter().flatten().copied().collect();
                let (mean, ci95) = mean_ci(&defined, LEVEL);
                let diffs: Vec<f64> = base_values
                    .iter()
                    .zip(&values)
                    .filter_map(|(b, v)| Some((*v)? - (*b)?))
                    .collect();
                let (diff_mean, diff_ci95) = mean_ci(&diffs, LEVEL);
                rows.push(Row {
                    scope: scope.label(),
                    kpi: name,
                    variant: arm.variant.name.clone(),
                    mean,
                    ci95,
                    diff_mean,
                    diff_ci95,
                    base_mean,
                    unpaired_diff_ci95: welch_half_width(&base_defined, &defined, LEVEL),
                    replications: defined.len(),
                    pairs: diffs.len(),
                    values,
                });
            }
        }
    }
    Comparison {
        scenario: base.variant.scenario.name.clone(),
        seed: base_sim.seed,
        replications: base_sim.replications,
        variants: arms
            .iter()
            .map(|a| {
                let sim = &a.variant.scenario.simulation;
                ArmInfo {
                    name: a.variant.name.clone(),
                    description: a.variant.description.clone(),
                    set: a
                        .variant
                        .set
                        .iter()
                        .map(|o| SetEntry {
                            path: o.path.clone(),
                            value: o.value.clone(),
                        })
                        .collect(),
                    seed: sim.seed,
                    replications: a.reps.len() as u32,
                    common_random_numbers: sim.seed == base_sim.seed,
                    fte: headline(&rows, &a.variant.name, "fte"),
                    paid_hours: headline(&rows, &a.variant.name, "paid_hours"),
                    cost_total: headline(&rows, &a.variant.name, "cost_total"),
                    cost_per_resolved: headline(&rows, &a.variant.name, "cost_per_resolved"),
                }
            })
            .collect(),
        rows,
    }
}

/// The overall row of `kpi` for arm `arm`, as an estimate.
fn headline(rows: &[Row], arm: &str, kpi: &str) -> Option<Estimate> {
    rows.iter()
        .find(|r| r.scope == "overall" && r.kpi == kpi && r.variant == arm)
        .and_then(|r| {
            Some(Estimate {
                mean: r.mean?,
                ci95: r.ci95,
            })
        })
}

/// Half-width at `level` of the difference of two independent means
/// (Welch's t with Welch–Satterthwaite degrees of freedom); `None` with fewer
/// than two values on either side.
pub fn welch_half_width(a: &[f64], b: &[f64], level: f64) -> Option<f64> {
    let var_of_mean = |xs: &[f64]| {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0) / n
    };
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (va, vb) = (var_of_mean(a), var_of_mean(b));
    let se2 = va + vb;
    if se2 == 0.0 {
        return Some(0.0);
    }
    let df = se2 * se2 / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64);
    let t = StudentsT::new(0.0, 1.0, df)
        .ok()?
        .inverse_cdf(0.5 + level / 2.0);
    Some(t * se2.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welch_matches_pooled_t_for_equal_sizes_and_variances() {
        // Equal n and equal variances: Welch df = 2n − 2, as the pooled t.
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [11.0, 12.0, 13.0, 14.0];
        let h = welch_half_width(&a, &b, 0.95).unwrap();
        let se = (2.0 * (5.0 / 3.0) / 4.0f64).sqrt();
        let t6 = crate::metrics::t_quantile(6, 0.95);
        assert!((h - t6 * se).abs() < 1e-9, "{h} vs {}", t6 * se);
        assert_eq!(welch_half_width(&[1.0, 1.0], &[2.0, 2.0], 0.95), Some(0.0));
        assert_eq!(welch_half_width(&[1.0], &a, 0.95), None);
    }
}
