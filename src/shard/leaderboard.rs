//! `cxsim leaderboard --shard K/N`: every suite scenario's (strategy,
//! replication) pairs split over shards, and `leaderboard-shard-K-of-N.json`.
//!
//! # Contract
//! - Per scenario, the pairs are a comparison's ([`compare_pairs`]: fifo's
//!   replications, then each strategy's) and pair `p` belongs to shard `K`
//!   when `p % N == K − 1`, exactly as for `compare --shard`; one file per
//!   shard holds that shard's pairs of every scenario, so `cxsim merge`
//!   takes the N shard folders as it does for every other kind.
//! - Each scenario records its file name in the suite, its comparison
//!   fingerprint ([`compare_fingerprint`] of the file's bytes and its arms)
//!   and each arm's replications; the file's fingerprint covers the
//!   settings and every scenario's. The merge re-creates the arms from the
//!   suite folder and refuses a scenario whose bytes or arms changed.
//! - Format, fingerprint, N, version and "each shard once" are checked as
//!   for every kind (`check.rs`), pairs as for compare (each once, in its
//!   shard, possible numbers); the file is sealed with its checksum.

use super::check::{ShardFile, check_set, header_from_fields};
use super::compare::{compare_pairs, pairs_by_arm};
use super::{ArmReplication, Fnv1a64, Kind, MergeError, Shard};
use crate::metrics::{ContactStats, Totals};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Value of [`LeaderboardPartial::format`].
pub const LEADERBOARD_FORMAT: &str = "cxsim-leaderboard-shard";
/// Value of [`LeaderboardPartial::format_version`]; bumped when the layout changes.
pub const LEADERBOARD_FORMAT_VERSION: u32 = 1;

/// The command-line settings the merge re-creates the leaderboard from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderboardSettings {
    /// The suite folder as given (made absolute).
    pub suite: String,
    /// The arms' strategies, `fifo` first (after `--strategies` is read).
    pub strategies: Vec<String>,
    /// `--seed`, if given.
    pub seed_override: Option<u64>,
    /// `--replications`, if given.
    pub replications_override: Option<u32>,
}

/// One suite scenario's share of a shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioPairs {
    /// File name inside the suite folder (e.g. `v_design.toml`).
    pub file: String,
    /// [`compare_fingerprint`](super::compare_fingerprint) of the file and its arms.
    pub fingerprint: String,
    /// Each arm's replications, in arm order.
    pub arm_replications: Vec<u32>,
    /// This shard's pairs of the scenario, in pair order.
    pub results: Vec<ArmReplication>,
}

/// Everything one leaderboard shard computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardPartial {
    /// Always [`LEADERBOARD_FORMAT`].
    pub format: String,
    /// [`LEADERBOARD_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// Version of the cxsim that ran the shard.
    pub cxsim_version: String,
    /// [`leaderboard_fingerprint`] of the leaderboard.
    pub fingerprint: String,
    /// The command's settings.
    pub settings: LeaderboardSettings,
    /// K.
    pub shard: u32,
    /// N.
    pub shards: u32,
    /// Every suite scenario, in the suite's (file name) order.
    pub scenarios: Vec<ScenarioPairs>,
}

impl LeaderboardPartial {
    /// Compact JSON sealed with its checksum, with a trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        super::to_sealed_json(self)
    }

    /// The pairs this shard ran, over every scenario.
    pub fn pairs(&self) -> usize {
        self.scenarios.iter().map(|s| s.results.len()).sum()
    }
}

/// Fingerprint of a leaderboard: its settings and, per scenario in order,
/// the file name and comparison fingerprint.
pub fn leaderboard_fingerprint(
    settings: &LeaderboardSettings,
    scenarios: &[(&str, &str)],
) -> String {
    let mut h = Fnv1a64::default();
    h.field(b"cxsim-leaderboard-shard-fingerprint-v1");
    h.field(format!("{settings:?}").as_bytes());
    h.field(&(scenarios.len() as u64).to_le_bytes());
    for (file, fp) in scenarios {
        h.field(file.as_bytes());
        h.field(fp.as_bytes());
    }
    format!("fnv1a64:{:016x}", h.finish())
}

/// What every shard must agree on besides the fingerprint (a hand-edited
/// file could otherwise change them unnoticed).
fn layout(p: &LeaderboardPartial) -> Vec<(&str, &str, &[u32])> {
    p.scenarios
        .iter()
        .map(|s| {
            (
                s.file.as_str(),
                s.fingerprint.as_str(),
                s.arm_replications.as_slice(),
            )
        })
        .collect()
}

impl ShardFile for LeaderboardPartial {
    const KIND: Kind = Kind::Leaderboard;

    header_from_fields!();

    fn describe(&self) -> String {
        format!(
            "suite {}, {} scenario(s), strategies {}, seed {:?}, replications {:?}",
            self.settings.suite,
            self.scenarios.len(),
            self.settings.strategies.join(","),
            self.settings.seed_override,
            self.settings.replications_override
        )
    }

    fn same_settings(&self, o: &Self) -> bool {
        self.settings == o.settings && layout(self) == layout(o)
    }
}

/// One scenario of a merged leaderboard.
#[derive(Debug, Clone)]
pub struct MergedScenario {
    /// File name inside the suite folder.
    pub file: String,
    /// Its comparison fingerprint (checked by the caller against the
    /// re-created arms).
    pub fingerprint: String,
    /// Per arm, every replication's totals and intent cells in index order.
    pub totals: Vec<Vec<(Totals, Vec<ContactStats>)>>,
}

/// A complete, checked set of leaderboard shards.
#[derive(Debug, Clone)]
pub struct MergedLeaderboard {
    /// The command's settings.
    pub settings: LeaderboardSettings,
    /// The leaderboard's fingerprint.
    pub fingerprint: String,
    /// N.
    pub shards: u32,
    /// Every scenario, in suite order.
    pub scenarios: Vec<MergedScenario>,
}

/// Checks that `parts` are every shard of one leaderboard, each once,
/// holding every (scenario, strategy, replication) once, and returns each
/// scenario's totals per arm.
pub fn merge_leaderboard(
    parts: Vec<(PathBuf, LeaderboardPartial)>,
    dirs: &[PathBuf],
) -> Result<MergedLeaderboard, MergeError> {
    check_set(&parts, dirs)?;
    let first = &parts[0].1;
    let arms = first.settings.strategies.len();
    let mut scenarios = Vec::with_capacity(first.scenarios.len());
    for (i, sc) in first.scenarios.iter().enumerate() {
        if sc.arm_replications.len() != arms || arms == 0 {
            return Err(MergeError::Inconsistent {
                path: parts[0].0.clone(),
                detail: format!(
                    "scenarios[{i}] ({}): {} strategies but {} replication count(s)",
                    sc.file,
                    arms,
                    sc.arm_replications.len()
                ),
            });
        }
        // Pairs name their scenario in messages (missing, duplicated …).
        let names: Vec<String> = first
            .settings
            .strategies
            .iter()
            .map(|s| format!("{s} on {}", sc.file))
            .collect();
        let files = parts.iter().map(|(path, p)| {
            let shard = Shard::new(p.shard, p.shards).expect("check_set checked K/N");
            (path, shard, p.scenarios[i].results.as_slice())
        });
        let totals = pairs_by_arm(files, &sc.arm_replications, &names)?;
        debug_assert_eq!(
            totals.iter().map(Vec::len).sum::<usize>(),
            compare_pairs(&sc.arm_replications).len()
        );
        scenarios.push(MergedScenario {
            file: sc.file.clone(),
            fingerprint: sc.fingerprint.clone(),
            totals,
        });
    }
    Ok(MergedLeaderboard {
        settings: first.settings.clone(),
        fingerprint: first.fingerprint.clone(),
        shards: first.shards,
        scenarios,
    })
}
