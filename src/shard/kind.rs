//! The kinds of shard file and how `cxsim merge` tells them apart.
//!
//! A kind is named twice: by the file name's prefix (`shard-`,
//! `compare-shard-`, `sweep-shard-`, `sensitivity-shard-`,
//! `leaderboard-shard-`), which is how files are found in a
//! folder, and by the `format` string inside, which decides how the file is
//! read. The two must agree, and one merge takes one kind only.

use super::{Shard, compare, leaderboard, partial, sensitivity, sweep};
use std::fmt;

/// Which command wrote a shard file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `cxsim run --shard`: [`Partial`](super::Partial).
    Run,
    /// `cxsim compare --shard`: [`ComparePartial`](super::ComparePartial).
    Compare,
    /// `cxsim plan --sweep --shard`: [`SweepPartial`](super::SweepPartial).
    Sweep,
    /// `cxsim sensitivity --shard`: [`SensitivityPartial`](super::SensitivityPartial).
    Sensitivity,
    /// `cxsim leaderboard --shard`: [`LeaderboardPartial`](super::LeaderboardPartial).
    Leaderboard,
}

impl Kind {
    /// Every kind, in the order `merge` lists them.
    pub const ALL: [Kind; 5] = [
        Kind::Run,
        Kind::Compare,
        Kind::Sweep,
        Kind::Sensitivity,
        Kind::Leaderboard,
    ];

    /// The file name's prefix before `K-of-N.json`.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Run => "shard-",
            Kind::Compare => "compare-shard-",
            Kind::Sweep => "sweep-shard-",
            Kind::Sensitivity => "sensitivity-shard-",
            Kind::Leaderboard => "leaderboard-shard-",
        }
    }

    /// The `format` field of this kind's files.
    pub fn format(self) -> &'static str {
        match self {
            Kind::Run => partial::FORMAT,
            Kind::Compare => compare::COMPARE_FORMAT,
            Kind::Sweep => sweep::SWEEP_FORMAT,
            Kind::Sensitivity => sensitivity::SENSITIVITY_FORMAT,
            Kind::Leaderboard => leaderboard::LEADERBOARD_FORMAT,
        }
    }

    /// The `format_version` this build writes and reads.
    pub fn version(self) -> u32 {
        match self {
            Kind::Run => partial::FORMAT_VERSION,
            Kind::Compare => compare::COMPARE_FORMAT_VERSION,
            Kind::Sweep => sweep::SWEEP_FORMAT_VERSION,
            Kind::Sensitivity => sensitivity::SENSITIVITY_FORMAT_VERSION,
            Kind::Leaderboard => leaderboard::LEADERBOARD_FORMAT_VERSION,
        }
    }

    /// The kind whose files carry `format`.
    pub fn of_format(format: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.format() == format)
    }

    /// The command that writes the missing shards (for error messages).
    pub fn command(self) -> &'static str {
        match self {
            Kind::Run => "run FILE",
            Kind::Compare => "compare FILE",
            Kind::Sweep => "plan FILE --sweep KEY=START:END:STEP",
            Kind::Sensitivity => "sensitivity FILE",
            Kind::Leaderboard => "leaderboard SUITE",
        }
    }

    /// What must be the same for shards to belong to one merge.
    pub fn same_run_hint(self) -> &'static str {
        match self {
            Kind::Run => "one scenario file with the same --seed and --replications",
            Kind::Compare => {
                "one scenario file with the same --variants, --seed and --replications"
            }
            Kind::Sweep => {
                "one scenario file with the same --sweep, --seed, --replications and --max-iterations"
            }
            Kind::Sensitivity => {
                "one scenario file with the same --versus, --only, --range, --kpi, --scope, \
                 --equal-service, --seed and --replications"
            }
            Kind::Leaderboard => {
                "one suite folder with the same --strategies, --seed and --replications"
            }
        }
    }

    /// `<prefix>K-of-N.json`, e.g. `compare-shard-2-of-4.json`.
    pub fn file_name(self, shard: Shard) -> String {
        format!("{}{}-of-{}.json", self.prefix(), shard.index, shard.count)
    }

    /// The kind and K/N a file name stands for, if it is a shard file's name.
    pub fn parse_file_name(name: &str) -> Option<(Kind, Shard)> {
        // Longest prefix first: every prefix ends in `shard-`.
        [
            Kind::Compare,
            Kind::Sweep,
            Kind::Sensitivity,
            Kind::Leaderboard,
            Kind::Run,
        ]
        .into_iter()
        .find_map(|kind| {
            let rest = name.strip_prefix(kind.prefix())?.strip_suffix(".json")?;
            let (k, n) = rest.split_once("-of-")?;
            Some((kind, Shard::new(k.parse().ok()?, n.parse().ok()?)?))
        })
    }

    /// "cxsim-shard version 1, cxsim-compare-shard version 1, …".
    pub fn supported() -> String {
        Kind::ALL
            .iter()
            .map(|k| format!("{:?} version {}", k.format(), k.version()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Run => "run",
            Kind::Compare => "compare",
            Kind::Sweep => "sweep",
            Kind::Sensitivity => "sensitivity",
            Kind::Leaderboard => "leaderboard",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_round_trip_and_do_not_overlap() {
        let s = Shard::new(2, 5).unwrap();
        for kind in Kind::ALL {
            let name = kind.file_name(s);
            assert_eq!(Kind::parse_file_name(&name), Some((kind, s)), "{name}");
            assert_eq!(Kind::of_format(kind.format()), Some(kind));
        }
        assert_eq!(Kind::file_name(Kind::Run, s), s.file_name());
        assert_eq!(Kind::parse_file_name("compare.json"), None);
        assert_eq!(Kind::parse_file_name("sweep-shard-6-of-5.json"), None);
        assert_eq!(Kind::of_format("cxsim-other"), None);
    }
}
