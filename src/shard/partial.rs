//! The partial result file one shard writes: `shard-K-of-N.json`.

use super::Shard;
use super::WireStats;
use serde::{Deserialize, Serialize};

/// Value of [`Partial::format`].
pub const FORMAT: &str = "cxsim-shard";
/// Value of [`Partial::format_version`]; bumped when the layout changes.
pub const FORMAT_VERSION: u32 = 1;

/// One replication's statistics and its index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardReplication {
    /// Replication index in `0..replications`.
    pub replication: u32,
    /// What it measured.
    pub stats: WireStats,
}

/// Everything one shard computed, and what is needed to check and merge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// Version of the cxsim that ran the shard.
    pub cxsim_version: String,
    /// [`fingerprint`](super::fingerprint()) of the run.
    pub fingerprint: String,
    /// Scenario file as given to `cxsim run` (made absolute), re-read by `cxsim merge`.
    pub scenario_path: String,
    /// Scenario name (names the default output folder).
    pub scenario_name: String,
    /// Effective seed.
    pub seed: u64,
    /// Effective number of replications of the whole run (all shards).
    pub replications: u32,
    /// K.
    pub shard: u32,
    /// N.
    pub shards: u32,
    /// This shard's replications, ascending.
    pub results: Vec<ShardReplication>,
}

impl Partial {
    /// The shard this partial says it is, if K and N are consistent.
    pub fn shard_id(&self) -> Option<Shard> {
        Shard::new(self.shard, self.shards)
    }

    /// Compact JSON sealed with its checksum ([`seal`](super::seal())), with a
    /// trailing newline. Compact because a year of hourly
    /// cells is tens of thousands of numbers per replication.
    pub fn to_json(&self) -> Vec<u8> {
        super::to_sealed_json(self)
    }

    /// Writes the same bytes as [`to_json`](Self::to_json) to `out` without
    /// holding the text in memory (a year of cells is tens of MB per
    /// replication).
    pub fn write_json(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        super::write_sealed(self, &mut out)
    }

    /// Parses [`to_json`](Self::to_json) output.
    pub fn from_json(bytes: &[u8]) -> Result<Partial, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finished empty replication (3 intervals, 2 channels, 2 regions, 2 teams) on the wire.
    fn finished() -> WireStats {
        let mut r = crate::metrics::ReplicationStats::new(3, 2, 2, 2, 1);
        r.finish().unwrap();
        WireStats::from_stats(&r).unwrap()
    }

    #[test]
    fn floats_and_counts_round_trip_exactly() {
        let mut stats = finished();
        // Values whose shortest decimal form needs 17 digits, and extremes.
        let awkward = [
            0.1 + 0.2,
            1.0 / 3.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            123_456_789.123_456_78,
            2.0f64.sqrt() * 1e-7,
        ];
        for (i, cell) in stats.contact.iter_mut().enumerate() {
            cell.offered = u64::MAX - i as u64;
            cell.wait_sum_s = awkward[i % awkward.len()];
            cell.handle_sum_s = -awkward[(i + 3) % awkward.len()];
        }
        for (i, cell) in stats.team.iter_mut().enumerate() {
            cell.busy_s = awkward[i % awkward.len()] / 3.0;
            cell.available_s = awkward[(i + 1) % awkward.len()];
        }
        stats.events = 42;
        let partial = Partial {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            cxsim_version: "0".into(),
            fingerprint: "fnv1a64:0000000000000000".into(),
            scenario_path: "/x.toml".into(),
            scenario_name: "x".into(),
            seed: u64::MAX,
            replications: 1,
            shard: 1,
            shards: 1,
            results: vec![ShardReplication {
                replication: 0,
                stats,
            }],
        };
        let back = Partial::from_json(&partial.to_json()).unwrap();
        let mut streamed = Vec::new();
        partial.write_json(&mut streamed).unwrap();
        assert_eq!(streamed, partial.to_json(), "streamed bytes equal");
        assert_eq!(back, partial);
        let bits = |p: &Partial| -> Vec<u64> {
            let s = &p.results[0].stats;
            s.contact
                .iter()
                .flat_map(|c| [c.wait_sum_s.to_bits(), c.handle_sum_s.to_bits()])
                .chain(
                    s.team
                        .iter()
                        .flat_map(|t| [t.busy_s.to_bits(), t.available_s.to_bits()]),
                )
                .collect()
        };
        assert_eq!(bits(&back), bits(&partial));
        // And back into accumulators with the same cells.
        let r = back.results[0].stats.clone().into_stats().unwrap();
        assert_eq!(
            WireStats::from_stats(&r).as_ref(),
            Some(&back.results[0].stats)
        );
    }

    #[test]
    fn cells_that_do_not_fit_their_sizes_are_refused() {
        let ok = finished();
        let mut short = ok.clone();
        short.contact.pop();
        let e = short.into_stats().unwrap_err();
        assert!(e.contains("contact cells: expected 12, found 11"), "{e}");
        let mut huge = ok.clone();
        huge.intervals = usize::MAX;
        huge.capacity = usize::MAX;
        assert!(huge.into_stats().unwrap_err().contains("too many"));
        let mut ring = ok;
        ring.base = 1;
        assert!(
            ring.into_stats()
                .unwrap_err()
                .contains("first interval held")
        );
    }
}
