//! Sharding: split one command's work over machines, then merge.
//!
//! # Contract
//! - Shard `K/N` (1 ≤ K ≤ N) takes exactly the items `i` with
//!   `i % N == K − 1`: the N shards are disjoint and together cover every
//!   item. The items are a run's replications (`cxsim run`), a comparison's
//!   (arm, replication) pairs in arm-major order (`cxsim compare`, see
//!   [`shard_pairs`]) or a sweep's values (`cxsim plan --sweep`). An item
//!   depends only on (scenario, seed, its index), so it is the same
//!   whichever shard or thread computes it.
//! - N is at most [`MAX_SHARDS`](crate::scenario::limits::MAX_SHARDS)
//!   (the replication limit): a merge lists the shards it lacks, so N
//!   bounds its work and memory.
//! - A shard writes one partial file, whose [`Kind`] is named by the file
//!   name's prefix and by its `format` field: [`Partial`]
//!   (`shard-K-of-N.json`: each replication's
//!   [`ReplicationStats`](crate::metrics::ReplicationStats)),
//!   [`ComparePartial`] (`compare-shard-K-of-N.json`: each pair's run
//!   totals), [`LeaderboardPartial`] (`leaderboard-shard-K-of-N.json`: each
//!   suite scenario's pairs, split as compare's), [`SensitivityPartial`]
//!   or [`SweepPartial`] (`sweep-shard-K-of-N.json`: each value's
//!   planner row). Each holds a [fingerprint](fingerprint()) of the work, K,
//!   N and what the merge needs to re-create it. JSON floats round-trip
//!   exactly (serde_json's `float_roundtrip`).
//! - Every partial file ends with a checksum of its content ([`seal()`]);
//!   [`read_any`] refuses a file whose checksum is missing or wrong.
//! - [`read_any`] reads one kind of partial; [`merge()`], [`merge_compare`]
//!   and [`merge_sweep`] check that the partials come from one command (one
//!   fingerprint, one N, one cxsim version) and hold every item exactly once,
//!   and return the items in index order. Reducing them as the unsharded
//!   command does gives byte-identical outputs.

mod check;
mod compare;
mod error;
mod fingerprint;
mod kind;
mod leaderboard;
mod merge;
mod partial;
mod read;
mod sane;
mod seal;
mod sensitivity;
mod sweep;
mod wire;

pub use compare::{
    ArmReplication, COMPARE_FORMAT, COMPARE_FORMAT_VERSION, ComparePartial, MergedCompare,
    arm_replications, compare_fingerprint, compare_pairs, merge_compare, shard_pairs,
};
pub use error::MergeError;
pub use fingerprint::{Fnv1a64, fingerprint};
pub use kind::Kind;
pub use leaderboard::{
    LEADERBOARD_FORMAT, LEADERBOARD_FORMAT_VERSION, LeaderboardPartial, LeaderboardSettings,
    MergedLeaderboard, MergedScenario, ScenarioPairs, leaderboard_fingerprint, merge_leaderboard,
};
pub use merge::{Merged, merge};
pub use partial::{FORMAT, FORMAT_VERSION, Partial, ShardReplication};
pub use read::{Partials, read_any};
pub use seal::{seal, to_sealed_json, write_sealed};
pub use sensitivity::{
    ArmRun, MergedSensitivity, SENSITIVITY_FORMAT, SENSITIVITY_FORMAT_VERSION, SensitivityPartial,
    SensitivitySettings, merge_sensitivity, sensitivity_fingerprint, shard_arms,
};
pub use sweep::{
    IndexedRow, MergedSweep, SWEEP_FORMAT, SWEEP_FORMAT_VERSION, SweepPartial, SweepSettings,
    merge_sweep, sweep_fingerprint,
};
pub use wire::WireStats;

use std::fmt;
use std::str::FromStr;

/// One shard of a run: the `index`-th (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    /// K, from 1 to `count`.
    pub index: u32,
    /// N, the number of shards.
    pub count: u32,
}

/// A `--shard` value that is not `K/N` with 1 ≤ K ≤ N.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?}: expected K/N with 1 <= K <= N <= {max}, e.g. 2/8", max = crate::scenario::limits::MAX_SHARDS)]
pub struct ShardParseError(pub String);

impl Shard {
    /// Shard `index` of `count`, if 1 ≤ index ≤ count ≤
    /// [`MAX_SHARDS`](crate::scenario::limits::MAX_SHARDS).
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        if count > crate::scenario::limits::MAX_SHARDS {
            return None;
        }
        (1..=count)
            .contains(&index)
            .then_some(Shard { index, count })
    }

    /// Whether replication `rep` belongs to this shard.
    pub fn selects(&self, rep: u32) -> bool {
        rep % self.count == self.index - 1
    }

    /// This shard's replications out of `0..total`, ascending (may be empty
    /// when there are more shards than replications).
    pub fn replications(&self, total: u32) -> Vec<u32> {
        (self.index - 1..total)
            .step_by(self.count as usize)
            .collect()
    }

    /// `shard-K-of-N.json`.
    pub fn file_name(&self) -> String {
        format!("shard-{}-of-{}.json", self.index, self.count)
    }

    /// Reads `K` and `N` back from a [`file_name`](Self::file_name).
    pub fn from_file_name(name: &str) -> Option<Shard> {
        let rest = name.strip_prefix("shard-")?.strip_suffix(".json")?;
        let (k, n) = rest.split_once("-of-")?;
        Shard::new(k.parse().ok()?, n.parse().ok()?)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardParseError;

    fn from_str(s: &str) -> Result<Shard, ShardParseError> {
        let err = || ShardParseError(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(err)?;
        let k = k.trim().parse().map_err(|_| err())?;
        let n = n.trim().parse().map_err(|_| err())?;
        Shard::new(k, n).ok_or_else(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_rejects_the_rest() {
        assert_eq!("2/8".parse(), Ok(Shard { index: 2, count: 8 }));
        assert_eq!("1/1".parse(), Ok(Shard { index: 1, count: 1 }));
        for bad in [
            "0/3",
            "4/3",
            "3",
            "a/b",
            "1/0",
            "-1/3",
            "1/3/4",
            "",
            "1/4000000000",
            "1/10001",
        ] {
            assert!(bad.parse::<Shard>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn shards_are_disjoint_and_cover_every_replication() {
        for total in [0, 1, 5, 17, 64] {
            for n in 1..=9 {
                let mut seen = vec![0u32; total as usize];
                for k in 1..=n {
                    let shard = Shard::new(k, n).unwrap();
                    for r in shard.replications(total) {
                        assert!(shard.selects(r));
                        seen[r as usize] += 1;
                    }
                }
                assert!(seen.iter().all(|&c| c == 1), "total {total}, n {n}");
            }
        }
    }

    #[test]
    fn file_name_round_trips() {
        let s = Shard::new(3, 12).unwrap();
        assert_eq!(s.file_name(), "shard-3-of-12.json");
        assert_eq!(Shard::from_file_name(&s.file_name()), Some(s));
        assert_eq!(Shard::from_file_name("shard-4-of-3.json"), None);
        assert_eq!(Shard::from_file_name("summary.json"), None);
    }
}
