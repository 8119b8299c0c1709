//! `cxsim compare --shard K/N`: the comparison's (arm, replication) pairs
//! split over shards, and `compare-shard-K-of-N.json`.
//!
//! # Contract
//! - The pairs are listed arm-major (the base's replications, then each
//!   selected variant's, in order) and pair `p` belongs to shard `K` when
//!   `p % N == K − 1`. Splitting pairs rather than whole arms keeps every
//!   shard busy when there are more shards than arms (a comparison has a
//!   handful of arms but may have many replications), and gives every shard
//!   about the same share of each arm, so no shard gets only the slow one.
//! - A replication of an arm depends only on (arm scenario, seed, r), so a
//!   shard needs nothing from other shards. Pairing base and variant
//!   replications by index happens at the merge.
//! - `compare` reads nothing but each replication's run totals
//!   ([`Totals`]): a partial carries only those (no per-interval cells), so
//!   it stays small whatever the horizon.

use super::check::{ShardFile, check_set, fill_slots, header_from_fields};
use super::{Fnv1a64, Kind, MergeError, Shard};
use crate::metrics::{ContactStats, ReplicationStats, Totals};
use crate::scenario::Variant;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Value of [`ComparePartial::format`].
pub const COMPARE_FORMAT: &str = "cxsim-compare-shard";
/// Value of [`ComparePartial::format_version`]; bumped when the layout changes.
pub const COMPARE_FORMAT_VERSION: u32 = 1;

/// One replication of one arm: the run totals `compare` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmReplication {
    /// Arm index: 0 is the base, then the selected variants in order.
    pub arm: u32,
    /// Replication index within the arm.
    pub replication: u32,
    /// The replication's sums over the measured period.
    pub totals: Totals,
    /// Its per-(intent, channel) sums, intent-major (what the leaderboard's
    /// per-class figures read). Absent in files of earlier versions, which
    /// still merge: the merged replications then carry no intent cells.
    #[serde(default)]
    pub intent: Vec<ContactStats>,
}

/// Everything one compare shard computed, and what the merge needs to
/// re-create the comparison's arms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparePartial {
    /// Always [`COMPARE_FORMAT`].
    pub format: String,
    /// [`COMPARE_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// Version of the cxsim that ran the shard.
    pub cxsim_version: String,
    /// [`compare_fingerprint`] of the comparison.
    pub fingerprint: String,
    /// Scenario file as given to `cxsim compare` (made absolute).
    pub scenario_path: String,
    /// Scenario name (names the default output folder).
    pub scenario_name: String,
    /// The arms' names, base first: re-selected by the merge.
    pub variants: Vec<String>,
    /// `--seed`, if given.
    pub seed_override: Option<u64>,
    /// `--replications`, if given.
    pub replications_override: Option<u32>,
    /// The base's effective seed (for messages).
    pub seed: u64,
    /// Each arm's replications, in arm order.
    pub arm_replications: Vec<u32>,
    /// K.
    pub shard: u32,
    /// N.
    pub shards: u32,
    /// This shard's pairs, in pair order.
    pub results: Vec<ArmReplication>,
}

impl ComparePartial {
    /// Compact JSON sealed with its checksum (see [`seal`](super::seal())), with a trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        super::to_sealed_json(self)
    }
}

/// Every (arm, replication) pair, arm-major; the position is the pair index.
pub fn compare_pairs(arm_replications: &[u32]) -> Vec<(u32, u32)> {
    arm_replications
        .iter()
        .enumerate()
        .flat_map(|(a, &reps)| (0..reps).map(move |r| (a as u32, r)))
        .collect()
}

/// The pairs shard `shard` runs, in pair order.
pub fn shard_pairs(shard: Shard, arm_replications: &[u32]) -> Vec<(u32, u32)> {
    compare_pairs(arm_replications)
        .into_iter()
        .enumerate()
        .filter(|&(p, _)| shard.selects(p as u32))
        .map(|(_, pair)| pair)
        .collect()
}

/// Fingerprint of a comparison: the scenario file's bytes and every arm as
/// run (name, overrides and validated scenario, including the effective seed
/// and replications), in order. So a different `--variants`, `--seed` or
/// `--replications`, or an edited file or trace, gives another fingerprint.
pub fn compare_fingerprint(scenario_file: &[u8], arms: &[Variant]) -> String {
    let mut h = Fnv1a64::default();
    h.field(b"cxsim-compare-shard-fingerprint-v1");
    h.field(scenario_file);
    h.field(&(arms.len() as u64).to_le_bytes());
    for arm in arms {
        h.field(&arm.scenario.simulation.seed.to_le_bytes());
        h.field(&arm.scenario.simulation.replications.to_le_bytes());
        h.field(format!("{arm:?}").as_bytes());
    }
    format!("fnv1a64:{:016x}", h.finish())
}

impl ShardFile for ComparePartial {
    const KIND: Kind = Kind::Compare;

    header_from_fields!();

    fn describe(&self) -> String {
        format!(
            "{} {:?}, variants {}, seed {}, replications {:?}",
            self.scenario_path,
            self.scenario_name,
            self.variants.join(","),
            self.seed,
            self.arm_replications
        )
    }

    fn same_settings(&self, o: &Self) -> bool {
        (
            &self.scenario_path,
            &self.variants,
            self.seed_override,
            self.replications_override,
            &self.arm_replications,
        ) == (
            &o.scenario_path,
            &o.variants,
            o.seed_override,
            o.replications_override,
            &o.arm_replications,
        )
    }
}

/// A complete, checked set of compare shards.
#[derive(Debug, Clone)]
pub struct MergedCompare {
    /// Scenario file recorded by the shards.
    pub scenario_path: PathBuf,
    /// Scenario name recorded by the shards.
    pub scenario_name: String,
    /// The comparison's fingerprint.
    pub fingerprint: String,
    /// The arms' names, base first.
    pub variants: Vec<String>,
    /// `--seed` of the shards, if given.
    pub seed_override: Option<u64>,
    /// `--replications` of the shards, if given.
    pub replications_override: Option<u32>,
    /// N.
    pub shards: u32,
    /// Per arm, every replication's totals and intent cells in index order.
    pub totals: Vec<Vec<(Totals, Vec<ContactStats>)>>,
}

/// Checks that `parts` are every shard of one comparison, each once, holding
/// every (arm, replication) pair once, and returns the totals per arm.
pub fn merge_compare(
    parts: Vec<(PathBuf, ComparePartial)>,
    dirs: &[PathBuf],
) -> Result<MergedCompare, MergeError> {
    check_set(&parts, dirs)?;
    let first = &parts[0].1;
    if first.variants.is_empty() || first.variants.len() != first.arm_replications.len() {
        return Err(MergeError::Inconsistent {
            path: parts[0].0.clone(),
            detail: format!(
                "{} variant name(s) but {} replication count(s)",
                first.variants.len(),
                first.arm_replications.len()
            ),
        });
    }
    let files = parts.iter().map(|(path, p)| {
        let shard = Shard::new(p.shard, p.shards).expect("check_set checked K/N");
        (path, shard, p.results.as_slice())
    });
    let totals = pairs_by_arm(files, &first.arm_replications, &first.variants)?;
    Ok(MergedCompare {
        scenario_path: PathBuf::from(&first.scenario_path),
        scenario_name: first.scenario_name.clone(),
        fingerprint: first.fingerprint.clone(),
        variants: first.variants.clone(),
        seed_override: first.seed_override,
        replications_override: first.replications_override,
        shards: first.shards,
        totals,
    })
}

/// One arm's replications as shards carry them: run totals and intent cells.
pub(crate) type ArmTotals = Vec<(Totals, Vec<ContactStats>)>;

/// Per arm, every replication's totals and intent cells in index order,
/// from each shard file's pairs (`files`: path, its K/N, its results):
/// every pair must belong to its file's shard and appear exactly once, and
/// its numbers must be possible. Shared by compare and leaderboard shards.
pub(crate) fn pairs_by_arm<'a>(
    files: impl IntoIterator<Item = (&'a PathBuf, Shard, &'a [ArmReplication])>,
    arm_reps: &[u32],
    variants: &[String],
) -> Result<Vec<ArmTotals>, MergeError> {
    let pairs = compare_pairs(arm_reps);
    // Pair index of (arm, replication): the arm's offset plus the replication.
    let offsets: Vec<usize> = arm_reps
        .iter()
        .scan(0usize, |acc, &r| {
            let at = *acc;
            *acc += r as usize;
            Some(at)
        })
        .collect();
    let name = |p: usize| {
        let (a, r) = pairs[p];
        format!("replication {r} of variant {:?}", variants[a as usize])
    };
    let mut items = Vec::new();
    for (path, shard, results) in files {
        for res in results {
            let (a, r) = (res.arm as usize, res.replication);
            if a >= arm_reps.len() || r >= arm_reps[a] {
                return Err(MergeError::ForeignItem {
                    path: path.clone(),
                    item: format!("replication {r} of arm {a}, which the comparison lacks"),
                    shard,
                });
            }
            super::sane::totals(
                path,
                &format!("results[arm {a}, replication {r}].totals"),
                &res.totals,
            )?;
            for (i, c) in res.intent.iter().enumerate() {
                super::sane::contact(
                    path,
                    &format!("results[arm {a}, replication {r}].intent[{i}]"),
                    c,
                )?;
            }
            items.push((
                path.clone(),
                shard,
                offsets[a] + r as usize,
                (res.totals.clone(), res.intent.clone()),
            ));
        }
    }
    let flat = fill_slots(pairs.len(), items, |shard, p| shard.selects(p as u32), name)?;
    let mut flat = flat.into_iter();
    Ok(arm_reps
        .iter()
        .map(|&r| flat.by_ref().take(r as usize).collect())
        .collect())
}

impl MergedCompare {
    /// Checks that `arms` (re-created from the scenario at `path`, whose
    /// bytes are `file`, with the recorded selection and overrides) are the
    /// ones the shards ran and that every replication's totals fit its arm,
    /// then returns each arm's replications as totals-only
    /// [`ReplicationStats`] for [`crate::compare::compare`].
    pub fn into_reps(
        self,
        arms: &[Variant],
        file: &[u8],
        path: &Path,
    ) -> Result<Vec<Vec<ReplicationStats>>, MergeError> {
        let found = compare_fingerprint(file, arms);
        if found != self.fingerprint {
            let sim = arms.first().map(|a| a.scenario.simulation);
            return Err(MergeError::ScenarioChanged {
                path: path.to_path_buf(),
                seed: sim.map_or(0, |s| s.seed),
                replications: sim.map_or(0, |s| s.replications),
                expected: self.fingerprint,
                found,
            });
        }
        arms.iter()
            .zip(self.totals)
            .map(|(arm, reps)| arm_replications(arm, reps))
            .collect()
    }
}

/// One arm's replications as totals-only [`ReplicationStats`], after
/// checking that each replication's totals have the arm's shape (compare and
/// sensitivity index them by the scenario's sizes: a damaged file must be an
/// error, not a panic).
pub fn arm_replications(
    arm: &Variant,
    reps: Vec<(Totals, Vec<ContactStats>)>,
) -> Result<Vec<ReplicationStats>, MergeError> {
    let s = &arm.scenario;
    let (channels, regions, teams) = (s.channels.len(), s.regions.len(), s.teams.len());
    let intent_cells = s.intents.len() * channels;
    let seats = super::merge::seats(s);
    reps.into_iter()
        .enumerate()
        .map(|(r, (totals, intent))| {
            let checks = [
                (
                    "total contact cells",
                    totals.contact.len(),
                    channels * regions,
                ),
                ("total team cells", totals.team.len(), teams),
                (
                    "total agent cells",
                    totals.agents.len(),
                    if totals.agents.is_empty() { 0 } else { seats },
                ),
                (
                    "intent cells",
                    intent.len(),
                    if intent.is_empty() { 0 } else { intent_cells },
                ),
            ];
            for (what, found, expected) in checks {
                if found != expected {
                    return Err(MergeError::Shape {
                        replication: r as u32,
                        detail: format!(
                            "variant {:?}: {what}: expected {expected}, found {found}",
                            arm.name
                        ),
                    });
                }
            }
            let mut stats = ReplicationStats::from_totals(channels, regions, teams, totals);
            stats.intent = intent;
            Ok(stats)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_split_disjointly_and_cover_every_arm() {
        let reps = [4, 4, 2];
        for n in 1..=12 {
            let mut seen = Vec::new();
            for k in 1..=n {
                seen.extend(shard_pairs(Shard::new(k, n).unwrap(), &reps));
            }
            seen.sort();
            assert_eq!(seen, compare_pairs(&reps), "n {n}");
        }
        // Two shards, 4 + 4 + 2 pairs: each gets half of every arm.
        let one = shard_pairs(Shard::new(1, 2).unwrap(), &reps);
        assert_eq!(one, [(0, 0), (0, 2), (1, 0), (1, 2), (2, 0)]);
    }
}
