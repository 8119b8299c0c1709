//! `cxsim sensitivity --shard K/N`: the analysis's runs split over shards,
//! and `sensitivity-shard-K-of-N.json`.
//!
//! # Contract
//! - The runs are the arms `sensitivity` builds, in its order (the base, the
//!   `--versus` variant, then each convention's low and high arms), and arm
//!   `i` belongs to shard `K` when `i % N == K − 1`. The unit is the whole
//!   arm, not a replication: at equal service an arm is planned before it is
//!   measured, and a plan needs every replication of its arm.
//! - An arm depends only on (arm scenario, seed): a shard needs nothing from
//!   other shards. The planner is deterministic, so a shard's plan is the
//!   plan an unsharded run makes.
//! - A shard carries each arm's run totals and, at equal service, the
//!   planned TOML and what the plan gave, so the merge re-creates the
//!   planned arms without planning again.
//! - Format, fingerprint, N, version and "each shard once" are checked as
//!   for every kind (`check.rs`); the file is sealed with its checksum.

use super::check::{ShardFile, check_set, fill_slots, header_from_fields};
use super::{Fnv1a64, Kind, MergeError, Shard, compare_fingerprint};
use crate::compare::equal::ArmPlan;
use crate::metrics::Totals;
use crate::scenario::Variant;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Value of [`SensitivityPartial::format`].
pub const SENSITIVITY_FORMAT: &str = "cxsim-sensitivity-shard";
/// Value of [`SensitivityPartial::format_version`]; bumped when the layout changes.
pub const SENSITIVITY_FORMAT_VERSION: u32 = 1;

/// The command-line settings the merge re-creates the analysis from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivitySettings {
    /// `--kpi`, if given.
    pub kpi: Option<String>,
    /// `--scope`.
    pub scope: String,
    /// `--versus`, if given.
    pub versus: Option<String>,
    /// `--only`, if given.
    pub only: Option<Vec<String>>,
    /// `--range` arguments as given.
    pub ranges: Vec<String>,
    /// `--seed`, if given.
    pub seed_override: Option<u64>,
    /// `--replications`, if given.
    pub replications_override: Option<u32>,
    /// `--equal-service`.
    pub equal_service: bool,
}

/// One arm's run: its plan at equal service and its replications' totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmRun {
    /// Arm index in the analysis's order.
    pub arm: u32,
    /// At equal service: the arm's TOML with its planned roster.
    pub planned_toml: Option<String>,
    /// At equal service: what the plan gave.
    pub plan: Option<ArmPlan>,
    /// Every replication's totals, in index order.
    pub totals: Vec<Totals>,
}

/// Everything one sensitivity shard computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityPartial {
    /// Always [`SENSITIVITY_FORMAT`].
    pub format: String,
    /// [`SENSITIVITY_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// Version of the cxsim that ran the shard.
    pub cxsim_version: String,
    /// [`sensitivity_fingerprint`] of the analysis.
    pub fingerprint: String,
    /// Scenario file as given to `cxsim sensitivity` (made absolute).
    pub scenario_path: String,
    /// Scenario name (names the default output folder).
    pub scenario_name: String,
    /// The settings of the command.
    pub settings: SensitivitySettings,
    /// Every arm's name, in the analysis's order.
    pub arms: Vec<String>,
    /// K.
    pub shard: u32,
    /// N.
    pub shards: u32,
    /// This shard's arms, in arm order.
    pub results: Vec<ArmRun>,
}

impl SensitivityPartial {
    /// Compact JSON sealed with its checksum, with a trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        super::to_sealed_json(self)
    }
}

/// The arms (indices into `0..arms`) shard `shard` runs, in order.
pub fn shard_arms(shard: Shard, arms: usize) -> Vec<usize> {
    (0..arms).filter(|&i| shard.selects(i as u32)).collect()
}

/// Fingerprint of an analysis: the comparison fingerprint of its arms (file
/// bytes, every arm's name, overrides and validated scenario) and the
/// settings that change what is run or measured.
pub fn sensitivity_fingerprint(
    scenario_file: &[u8],
    arms: &[Variant],
    settings: &SensitivitySettings,
) -> String {
    let mut h = Fnv1a64::default();
    h.field(b"cxsim-sensitivity-shard-fingerprint-v1");
    h.field(compare_fingerprint(scenario_file, arms).as_bytes());
    h.field(format!("{settings:?}").as_bytes());
    format!("fnv1a64:{:016x}", h.finish())
}

impl ShardFile for SensitivityPartial {
    const KIND: Kind = Kind::Sensitivity;

    header_from_fields!();

    fn describe(&self) -> String {
        format!(
            "{} {:?}, {} arm(s), {:?}",
            self.scenario_path,
            self.scenario_name,
            self.arms.len(),
            self.settings
        )
    }

    fn same_settings(&self, o: &Self) -> bool {
        (&self.scenario_path, &self.settings, &self.arms)
            == (&o.scenario_path, &o.settings, &o.arms)
    }
}

/// A complete, checked set of sensitivity shards.
#[derive(Debug, Clone)]
pub struct MergedSensitivity {
    /// Scenario file recorded by the shards.
    pub scenario_path: PathBuf,
    /// The analysis's fingerprint (checked again against the re-created arms
    /// by the caller, with [`sensitivity_fingerprint`]).
    pub fingerprint: String,
    /// The command's settings.
    pub settings: SensitivitySettings,
    /// Every arm's name.
    pub arms: Vec<String>,
    /// N.
    pub shards: u32,
    /// Every arm's run, in arm order.
    pub runs: Vec<ArmRun>,
}

/// Checks that `parts` are every shard of one analysis, each once, holding
/// every arm once (with a plan exactly when the analysis is at equal
/// service), and returns the runs in arm order.
pub fn merge_sensitivity(
    parts: Vec<(PathBuf, SensitivityPartial)>,
    dirs: &[PathBuf],
) -> Result<MergedSensitivity, MergeError> {
    check_set(&parts, dirs)?;
    let first = &parts[0].1;
    let arms = first.arms.clone();
    let equal = first.settings.equal_service;
    let mut items = Vec::new();
    for (path, p) in &parts {
        let shard = Shard::new(p.shard, p.shards).expect("check_set checked K/N");
        for (i, run) in p.results.iter().enumerate() {
            if run.plan.is_some() != equal || run.planned_toml.is_some() != equal {
                return Err(MergeError::Inconsistent {
                    path: path.clone(),
                    detail: format!(
                        "results[{i}] (arm {}): a plan is {} at equal service {equal}",
                        run.arm,
                        if run.plan.is_some() {
                            "present"
                        } else {
                            "absent"
                        }
                    ),
                });
            }
            for (r, totals) in run.totals.iter().enumerate() {
                super::sane::totals(
                    path,
                    &format!("results[{i}].totals[{r}] (arm {})", run.arm),
                    totals,
                )?;
            }
            items.push((path.clone(), shard, run.arm as usize, run.clone()));
        }
    }
    let name = |i: usize| match arms.get(i) {
        Some(a) => format!("arm {a:?}"),
        None => format!("arm {i}, which the analysis lacks"),
    };
    let runs = fill_slots(arms.len(), items, |shard, i| shard.selects(i as u32), name)?;
    Ok(MergedSensitivity {
        scenario_path: PathBuf::from(&first.scenario_path),
        fingerprint: first.fingerprint.clone(),
        settings: first.settings.clone(),
        arms,
        shards: first.shards,
        runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arms_are_split_disjointly_and_cover_every_arm() {
        for n in 1..=7 {
            let mut seen: Vec<usize> = (1..=n)
                .flat_map(|k| shard_arms(Shard::new(k, n).unwrap(), 10))
                .collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..10).collect::<Vec<_>>(), "n {n}");
        }
        assert_eq!(shard_arms(Shard::new(2, 3).unwrap(), 7), [1, 4]);
    }
}
