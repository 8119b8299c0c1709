//! `cxsim plan --sweep … --shard K/N`: the sweep's values split over
//! shards, and `sweep-shard-K-of-N.json`.
//!
//! # Contract
//! - Value `i` (0-based, in sweep order) belongs to shard `K` when
//!   `i % N == K − 1`. Each value is planned independently of the others, so
//!   a shard needs nothing from other shards; interleaving gives every shard
//!   values from the whole range (planning cost usually grows along it).
//! - A partial holds each of its values' [`SweepRow`] with the value's index.
//!   The rows are the whole result: the merge writes `sweep.csv` from them
//!   without re-reading the scenario (floats round-trip exactly).

use super::check::{ShardFile, check_set, fill_slots, header_from_fields};
use super::{Fnv1a64, Kind, MergeError, Shard};
use crate::planner::sweep::{Sweep, SweepRow};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Value of [`SweepPartial::format`].
pub const SWEEP_FORMAT: &str = "cxsim-sweep-shard";
/// Value of [`SweepPartial::format_version`]; bumped when the layout changes.
pub const SWEEP_FORMAT_VERSION: u32 = 1;

/// One planned value and its index in the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexedRow {
    /// Index of the value in the sweep, from 0.
    pub index: u32,
    /// What the planner found for it.
    pub row: SweepRow,
}

/// Everything one sweep shard computed, and the settings it ran with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPartial {
    /// Always [`SWEEP_FORMAT`].
    pub format: String,
    /// [`SWEEP_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// Version of the cxsim that ran the shard.
    pub cxsim_version: String,
    /// [`sweep_fingerprint`] of the sweep.
    pub fingerprint: String,
    /// Scenario file as given to `cxsim plan` (made absolute).
    pub scenario_path: String,
    /// Scenario name (names the default output folder).
    pub scenario_name: String,
    /// The swept key (the first column's name in `sweep.csv`).
    pub key: String,
    /// Every value of the sweep (all shards), in order.
    pub values: Vec<f64>,
    /// Values are written to the scenario as integers.
    pub integer: bool,
    /// `--seed`, if given.
    pub seed_override: Option<u64>,
    /// `--replications`, if given.
    pub replications_override: Option<u32>,
    /// `--max-iterations`.
    pub max_iterations: u32,
    /// K.
    pub shard: u32,
    /// N.
    pub shards: u32,
    /// This shard's values, ascending by index.
    pub rows: Vec<IndexedRow>,
}

impl SweepPartial {
    /// Compact JSON sealed with its checksum (see [`seal`](super::seal())), with a trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        super::to_sealed_json(self)
    }
}

/// The settings a sweep's result depends on besides the scenario.
#[derive(Debug, Clone, Copy)]
pub struct SweepSettings<'a> {
    /// The parsed `--sweep`.
    pub sweep: &'a Sweep,
    /// `--seed`, if given.
    pub seed: Option<u64>,
    /// `--replications`, if given.
    pub replications: Option<u32>,
    /// `--max-iterations`.
    pub max_iterations: u32,
}

/// Fingerprint of a sweep: the scenario file's bytes, the validated base
/// scenario with the command-line overrides (so an edited trace is noticed),
/// the key, every value, and the overrides and iteration budget.
pub fn sweep_fingerprint(scenario_file: &[u8], base: &Scenario, s: SweepSettings<'_>) -> String {
    let mut h = Fnv1a64::default();
    h.field(b"cxsim-sweep-shard-fingerprint-v1");
    h.field(scenario_file);
    h.field(format!("{base:?}").as_bytes());
    h.field(s.sweep.key.as_bytes());
    h.field(&[u8::from(s.sweep.integer)]);
    h.field(&(s.sweep.values.len() as u64).to_le_bytes());
    for v in &s.sweep.values {
        h.update(&v.to_bits().to_le_bytes());
    }
    h.field(format!("{:?} {:?}", s.seed, s.replications).as_bytes());
    h.field(&s.max_iterations.to_le_bytes());
    format!("fnv1a64:{:016x}", h.finish())
}

impl ShardFile for SweepPartial {
    const KIND: Kind = Kind::Sweep;

    header_from_fields!();

    fn describe(&self) -> String {
        let (a, b) = (self.values.first(), self.values.last());
        format!(
            "{} {:?}, --sweep {} from {} to {} ({} values), seed {:?}, replications {:?}, \
             max iterations {}",
            self.scenario_path,
            self.scenario_name,
            self.key,
            a.map_or("–".into(), f64::to_string),
            b.map_or("–".into(), f64::to_string),
            self.values.len(),
            self.seed_override,
            self.replications_override,
            self.max_iterations
        )
    }

    fn same_settings(&self, o: &Self) -> bool {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        (&self.key, self.integer, bits(&self.values)) == (&o.key, o.integer, bits(&o.values))
            && (
                self.seed_override,
                self.replications_override,
                self.max_iterations,
            ) == (o.seed_override, o.replications_override, o.max_iterations)
    }
}

/// A complete, checked set of sweep shards.
#[derive(Debug, Clone)]
pub struct MergedSweep {
    /// Scenario file recorded by the shards.
    pub scenario_path: PathBuf,
    /// Scenario name recorded by the shards.
    pub scenario_name: String,
    /// The sweep's fingerprint.
    pub fingerprint: String,
    /// The swept key.
    pub key: String,
    /// N.
    pub shards: u32,
    /// One row per value, in sweep order.
    pub rows: Vec<SweepRow>,
}

/// Checks that `parts` are every shard of one sweep, each once, holding
/// every value once, and returns the rows in sweep order.
pub fn merge_sweep(
    parts: Vec<(PathBuf, SweepPartial)>,
    dirs: &[PathBuf],
) -> Result<MergedSweep, MergeError> {
    check_set(&parts, dirs)?;
    let first = &parts[0].1;
    let values = first.values.clone();
    let mut items = Vec::new();
    for (path, p) in &parts {
        let shard = Shard::new(p.shard, p.shards).expect("check_set checked K/N");
        for r in &p.rows {
            let i = r.index as usize;
            sweep_row(path, i, &r.row)?;
            if let Some(v) = values
                .get(i)
                .filter(|v| v.to_bits() != r.row.value.to_bits())
            {
                return Err(MergeError::Inconsistent {
                    path: path.clone(),
                    detail: format!(
                        "the row of sweep value {i} is for {} = {}, but value {i} is {v}",
                        p.key, r.row.value
                    ),
                });
            }
            items.push((path.clone(), shard, i, r.row.clone()));
        }
    }
    let key = first.key.clone();
    let name = |i: usize| match values.get(i) {
        Some(v) => format!("sweep value {i} ({key} = {v})"),
        None => format!("sweep value {i} (of {})", values.len()),
    };
    let rows = fill_slots(
        values.len(),
        items,
        |shard, i| shard.selects(i as u32),
        name,
    )?;
    Ok(MergedSweep {
        scenario_path: PathBuf::from(&first.scenario_path),
        scenario_name: first.scenario_name.clone(),
        fingerprint: first.fingerprint.clone(),
        key,
        shards: first.shards,
        rows,
    })
}

/// Consistency of one row: every figure finite and not negative, rates
/// (service level, abandonment) fractions.
fn sweep_row(path: &Path, i: usize, row: &SweepRow) -> Result<(), MergeError> {
    use super::sane::figure;
    let at = |what: &str| format!("rows[value {i}].{what}");
    figure(path, at("fte"), row.fte)?;
    figure(path, at("paid_hours"), row.paid_hours)?;
    if let Some(cost) = row.cost {
        figure(path, at("cost"), cost)?;
    }
    for (what, iv) in [
        ("service_level", &row.service_level),
        ("abandon_rate", &row.abandon_rate),
    ] {
        if let Some(m) = iv.mean {
            if !(0.0..=1.0).contains(&m) {
                return Err(MergeError::Impossible {
                    path: path.to_path_buf(),
                    what: at(&format!("{what}.mean")),
                    value: m.to_string(),
                    allowed: "a fraction between 0 and 1".into(),
                });
            }
        }
        if let Some(h) = iv.half {
            figure(path, at(&format!("{what}.half")), h)?;
        }
    }
    Ok(())
}
