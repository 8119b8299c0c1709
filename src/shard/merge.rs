//! Reading shard files and checking that together they are one complete run.

use super::check::{ShardFile, check_set, header_from_fields, list};
use super::{Kind, MergeError, Partial, Shard, WireStats, fingerprint};
use crate::metrics::ReplicationStats;
use crate::scenario::{Overrides, Scenario};
use std::path::{Path, PathBuf};

impl ShardFile for Partial {
    const KIND: Kind = Kind::Run;

    header_from_fields!();

    fn describe(&self) -> String {
        format!(
            "{} {:?}, seed {}, {} replications",
            self.scenario_path, self.scenario_name, self.seed, self.replications
        )
    }
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

/// Checks that `parts` are every shard of one run, each once, holding every
/// replication once, and returns the replications in index order.
/// `dirs` only names where to look in the message for missing shards.
pub fn merge(parts: Vec<(PathBuf, Partial)>, dirs: &[PathBuf]) -> Result<Merged, MergeError> {
    check_set(&parts, dirs)?;
    let first = &parts[0].1;
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
            check_values(&path, i, &r.stats)?;
            let stats = r.stats.into_stats().map_err(|detail| MergeError::Shape {
                replication: i,
                detail,
            })?;
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
            slots[i as usize] = Some((stats, path.clone()));
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
    /// The run's seed and replications, as overrides to load the scenario
    /// with: the merged run's scenario is validated as the shards' was, and
    /// not changed afterwards.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            seed: Some(self.seed),
            replications: Some(self.replications),
            ..Overrides::default()
        }
    }

    /// Checks that `scenario` (read from `path`, whose bytes are `file`, and
    /// loaded with [`Merged::overrides`]) is the run the shards made and that
    /// every replication fits it.
    pub fn check(&self, scenario: &Scenario, file: &[u8], path: &Path) -> Result<(), MergeError> {
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
    // The cells fit the replication's own sizes (`WireStats::into_stats`);
    // these must be the scenario's.
    let checks = [
        ("intervals", r.intervals(), intervals),
        ("channels", r.channels, channels),
        ("regions", r.regions, regions),
        ("teams", r.teams, teams),
        ("intent cells", r.intent.len(), s.intents.len() * channels),
        ("tier cells", r.tier.len(), s.tiers.len()),
        ("language cells", r.language.len(), s.languages.len()),
        // Absent (0) in files written before per-seat time existed.
        (
            "total agent cells",
            r.totals.agents.len(),
            if r.totals.agents.is_empty() {
                0
            } else {
                seats(s)
            },
        ),
    ];
    for (what, found, expected) in checks {
        if found != expected {
            return Err(format!("{what}: expected {expected}, found {found}"));
        }
    }
    Ok(())
}

/// Seats of `s`: the length of a replication's per-seat time cells.
pub(crate) fn seats(s: &Scenario) -> usize {
    s.teams.iter().map(|t| t.headcount() as usize).sum()
}

/// Consistency of one replication's numbers (see [`super::sane`]).
fn check_values(path: &Path, rep: u32, r: &WireStats) -> Result<(), MergeError> {
    let at = format!("results[replication {rep}].stats");
    for (i, c) in r.contact.iter().enumerate() {
        super::sane::contact(path, &format!("{at}.contact[{i}]"), c)?;
    }
    for (i, t) in r.team.iter().enumerate() {
        super::sane::team(path, &format!("{at}.team[{i}]"), t)?;
    }
    super::sane::totals(path, &format!("{at}.totals"), &r.totals)
}
