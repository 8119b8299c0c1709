//! Reading shard files and checking that together they are one complete run.

use super::{FORMAT, FORMAT_VERSION, Partial, Shard, fingerprint};
use crate::metrics::ReplicationStats;
use crate::scenario::Scenario;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a set of shard files cannot be merged. All of these are bad input.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A folder (or file) given could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// Folder or file.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// No `shard-K-of-N.json` in any folder given.
    #[error("no shard files (shard-K-of-N.json) in {0}")]
    NoShards(String),
    /// A shard file is not valid JSON of the expected shape.
    #[error("{path}: not a cxsim shard file: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// Written by another format version.
    #[error(
        "{path}: format {format:?} version {version}; this cxsim reads {FORMAT:?} version {FORMAT_VERSION}"
    )]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Its `format`.
        format: String,
        /// Its `format_version`.
        version: u32,
    },
    /// The file name and the content disagree on K/N.
    #[error("{path}: the file name says shard {named} but the file holds shard {held}/{held_of}")]
    NameMismatch {
        /// The file.
        path: PathBuf,
        /// K/N from the name.
        named: Shard,
        /// K in the content.
        held: u32,
        /// N in the content.
        held_of: u32,
    },
    /// Two shards come from different runs.
    #[error(
        "shards come from different runs: {first}, but {other}; \
         merge only shards of one scenario file with the same --seed and --replications"
    )]
    MixedRuns {
        /// The first file read: its path, fingerprint, scenario, seed and replications.
        first: String,
        /// A file that differs, described the same way.
        other: String,
    },
    /// Two shards were cut differently (N differs).
    #[error("{first} is one of {first_n} shards but {other} is one of {other_n}")]
    MixedShardCounts {
        /// The first file read.
        first: PathBuf,
        /// Its N.
        first_n: u32,
        /// A file that differs.
        other: PathBuf,
        /// Its N.
        other_n: u32,
    },
    /// Shards written by different cxsim versions.
    #[error("{first} was written by cxsim {first_version} but {other} by cxsim {other_version}")]
    MixedVersions {
        /// The first file read.
        first: PathBuf,
        /// Its version.
        first_version: String,
        /// A file that differs.
        other: PathBuf,
        /// Its version.
        other_version: String,
    },
    /// The same shard found twice.
    #[error("shard {shard} found twice: {first} and {second}")]
    DuplicateShard {
        /// K/N.
        shard: Shard,
        /// One copy.
        first: PathBuf,
        /// Another copy.
        second: PathBuf,
    },
    /// Some shards were not found.
    #[error(
        "missing shard(s) {list} (looked in {dirs}); run them with `cxsim run FILE --shard K/{count}`"
    )]
    MissingShards {
        /// The missing K, listed.
        list: String,
        /// N.
        count: u32,
        /// Where we looked.
        dirs: String,
    },
    /// A shard holds a replication that is not its own, or out of range.
    #[error(
        "{path}: holds replication {replication}, which is not one of shard {shard}'s (replications {total} in all)"
    )]
    ForeignReplication {
        /// The file.
        path: PathBuf,
        /// Offending index.
        replication: u32,
        /// The file's shard.
        shard: Shard,
        /// Replications in the run.
        total: u32,
    },
    /// A replication appears twice.
    #[error("replication {replication} appears twice, in {first} and {second}")]
    DuplicateReplication {
        /// Index.
        replication: u32,
        /// One file.
        first: PathBuf,
        /// Another file.
        second: PathBuf,
    },
    /// Replications absent although every shard file is present (a file was cut short).
    #[error("replication(s) {list} missing from the shard files (of {total})")]
    MissingReplications {
        /// Missing indices, listed.
        list: String,
        /// Replications in the run.
        total: u32,
    },
    /// The scenario file re-read for the merge is not the one the shards ran.
    #[error(
        "{path} does not match the shards: its fingerprint with seed {seed} and {replications} \
         replications is {found}, the shards have {expected}; the scenario (or a trace it reads) \
         changed since the shards ran, or pass the right file with --scenario"
    )]
    ScenarioChanged {
        /// Scenario file re-read.
        path: PathBuf,
        /// Seed applied.
        seed: u64,
        /// Replications applied.
        replications: u32,
        /// Fingerprint of the shards.
        expected: String,
        /// Fingerprint of the file now.
        found: String,
    },
    /// A replication's tables do not have the scenario's dimensions.
    #[error("replication {replication} does not fit the scenario: {detail}")]
    Shape {
        /// Index.
        replication: u32,
        /// Which table, expected and found sizes.
        detail: String,
    },
}

/// A complete, checked set of shards.
#[derive(Debug, Clone)]
pub struct Merged {
    /// Scenario file recorded by the shards.
    pub scenario_path: PathBuf,
    /// Scenario name recorded by the shards.
    pub scenario_name: String,
    /// The run's fingerprint.
    pub fingerprint: String,
    /// Effective seed.
    pub seed: u64,
    /// Replications in the run.
    pub replications: u32,
    /// N.
    pub shards: u32,
    /// Every replication, in index order.
    pub reps: Vec<ReplicationStats>,
}

/// Reads every `shard-K-of-N.json` in `paths` (folders; a path naming a shard
/// file directly is read too), in a stable order.
pub fn read_partials(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Partial)>, MergeError> {
    let mut files = Vec::new();
    for path in paths {
        let io = |source| MergeError::Io {
            path: path.clone(),
            source,
        };
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            if name.to_str().and_then(Shard::from_file_name).is_some() {
                found.push(entry.path());
            }
        }
        found.sort();
        files.extend(found);
    }
    if files.is_empty() {
        return Err(MergeError::NoShards(list_paths(paths)));
    }
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).map_err(|source| MergeError::Io {
                path: path.clone(),
                source,
            })?;
            let partial = Partial::from_json(&bytes).map_err(|e| MergeError::Parse {
                path: path.clone(),
                message: e.to_string(),
            })?;
            Ok((path, partial))
        })
        .collect()
}

fn list_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "1, 4, 7" — at most ten items, then how many in all.
fn list<T: std::fmt::Display>(items: &[T]) -> String {
    let shown: Vec<String> = items.iter().take(10).map(|x| x.to_string()).collect();
    if items.len() > 10 {
        format!("{} … ({} in all)", shown.join(", "), items.len())
    } else {
        shown.join(", ")
    }
}

fn describe(path: &Path, p: &Partial) -> String {
    format!(
        "{} has fingerprint {} ({} {:?}, seed {}, {} replications)",
        path.display(),
        p.fingerprint,
        p.scenario_path,
        p.scenario_name,
        p.seed,
        p.replications
    )
}

/// Checks that `parts` are every shard of one run, each once, holding every
/// replication once, and returns the replications in index order.
/// `dirs` only names where to look in the message for missing shards.
pub fn merge(parts: Vec<(PathBuf, Partial)>, dirs: &[PathBuf]) -> Result<Merged, MergeError> {
    let Some((first_path, first)) = parts.first() else {
        return Err(MergeError::NoShards(list_paths(dirs)));
    };
    let mut by_shard: BTreeMap<u32, &PathBuf> = BTreeMap::new();
    for (path, p) in &parts {
        if p.format != FORMAT || p.format_version != FORMAT_VERSION {
            return Err(MergeError::Unsupported {
                path: path.clone(),
                format: p.format.clone(),
                version: p.format_version,
            });
        }
        let named = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(Shard::from_file_name);
        let held = p.shard_id();
        if held.is_none() || named.is_some_and(|n| Some(n) != held) {
            return Err(MergeError::NameMismatch {
                path: path.clone(),
                named: named.unwrap_or(Shard { index: 0, count: 0 }),
                held: p.shard,
                held_of: p.shards,
            });
        }
        if p.fingerprint != first.fingerprint {
            return Err(MergeError::MixedRuns {
                first: describe(first_path, first),
                other: describe(path, p),
            });
        }
        if p.shards != first.shards {
            return Err(MergeError::MixedShardCounts {
                first: first_path.clone(),
                first_n: first.shards,
                other: path.clone(),
                other_n: p.shards,
            });
        }
        if p.cxsim_version != first.cxsim_version {
            return Err(MergeError::MixedVersions {
                first: first_path.clone(),
                first_version: first.cxsim_version.clone(),
                other: path.clone(),
                other_version: p.cxsim_version.clone(),
            });
        }
        if let Some(prev) = by_shard.insert(p.shard, path) {
            return Err(MergeError::DuplicateShard {
                shard: Shard {
                    index: p.shard,
                    count: p.shards,
                },
                first: prev.clone(),
                second: path.clone(),
            });
        }
    }
    let missing: Vec<String> = (1..=first.shards)
        .filter(|k| !by_shard.contains_key(k))
        .map(|k| format!("{k}/{}", first.shards))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::MissingShards {
            list: list(&missing),
            count: first.shards,
            dirs: list_paths(dirs),
        });
    }
    let total = first.replications;
    let (scenario_path, scenario_name, fp, seed, shards) = (
        PathBuf::from(&first.scenario_path),
        first.scenario_name.clone(),
        first.fingerprint.clone(),
        first.seed,
        first.shards,
    );
    let mut slots: Vec<Option<(ReplicationStats, PathBuf)>> = vec![None; total as usize];
    for (path, p) in parts {
        let shard = Shard {
            index: p.shard,
            count: p.shards,
        };
        for r in p.results {
            let i = r.replication;
            if i >= total || !shard.selects(i) {
                return Err(MergeError::ForeignReplication {
                    path,
                    replication: i,
                    shard,
                    total,
                });
            }
            if let Some((_, prev)) = &slots[i as usize] {
                return Err(MergeError::DuplicateReplication {
                    replication: i,
                    first: prev.clone(),
                    second: path,
                });
            }
            slots[i as usize] = Some((r.stats, path.clone()));
        }
    }
    let absent: Vec<usize> = (0..slots.len()).filter(|&i| slots[i].is_none()).collect();
    if !absent.is_empty() {
        return Err(MergeError::MissingReplications {
            list: list(&absent),
            total,
        });
    }
    Ok(Merged {
        scenario_path,
        scenario_name,
        fingerprint: fp,
        seed,
        replications: total,
        shards,
        reps: slots.into_iter().flatten().map(|(s, _)| s).collect(),
    })
}

impl Merged {
    /// Applies the run's seed and replications to a freshly loaded
    /// `scenario` (read from `path`, whose bytes are `file`), and checks that
    /// it is the run the shards made and that every replication fits it.
    pub fn prepare(
        &self,
        scenario: &mut Scenario,
        file: &[u8],
        path: &Path,
    ) -> Result<(), MergeError> {
        scenario.simulation.seed = self.seed;
        scenario.simulation.replications = self.replications;
        let found = fingerprint(file, scenario);
        if found != self.fingerprint {
            return Err(MergeError::ScenarioChanged {
                path: path.to_path_buf(),
                seed: self.seed,
                replications: self.replications,
                expected: self.fingerprint.clone(),
                found,
            });
        }
        for (i, r) in self.reps.iter().enumerate() {
            check_shape(scenario, r).map_err(|detail| MergeError::Shape {
                replication: i as u32,
                detail,
            })?;
        }
        Ok(())
    }
}

/// The reduction indexes these tables by the scenario's sizes: a mismatch
/// (a damaged file) must be an error, not a panic.
fn check_shape(s: &Scenario, r: &ReplicationStats) -> Result<(), String> {
    let intervals = s.simulation.intervals();
    let (channels, regions, teams) = (s.channels.len(), s.regions.len(), s.teams.len());
    let checks = [
        ("intervals", r.intervals, intervals),
        ("channels", r.channels, channels),
        ("regions", r.regions, regions),
        ("teams", r.teams, teams),
        (
            "contact cells",
            r.contact.len(),
            intervals * channels * regions,
        ),
        ("intent cells", r.intent.len(), s.intents.len() * channels),
        ("tier cells", r.tier.len(), s.tiers.len()),
        ("language cells", r.language.len(), s.languages.len()),
        ("team cells", r.team.len(), intervals * teams),
        ("AI cells", r.ai_busy_s.len(), intervals),
        // Partial files hold every interval in memory (ring from 0, full length).
        ("first interval held", r.base, 0),
        ("intervals held", r.capacity, intervals.max(1)),
        (
            "total contact cells",
            r.totals.contact.len(),
            channels * regions,
        ),
        ("total team cells", r.totals.team.len(), teams),
    ];
    for (what, found, expected) in checks {
        if found != expected {
            return Err(format!("{what}: expected {expected}, found {found}"));
        }
    }
    Ok(())
}
