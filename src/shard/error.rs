//! Why a set of shard files cannot be merged.

use super::{Kind, Shard};
use std::path::PathBuf;

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
    /// A shard file is larger than the limit (see [`crate::input`]).
    #[error("{path}: holds more than {limit} bytes; allowed: shard files of at most {limit} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// A shard file's checksum is missing or does not match its content.
    #[error("{path}: not a cxsim shard file as cxsim wrote it: {message}")]
    Integrity {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A shard file's numbers cannot have come from a run (answered above
    /// offered, a negative or non-finite value, …).
    #[error("{path}: impossible value {what} = {value}; allowed: {allowed}")]
    Impossible {
        /// The file.
        path: PathBuf,
        /// Where in the file, e.g. `results[0].stats.contact[3].answered`.
        what: String,
        /// The value found.
        value: String,
        /// What a run can produce.
        allowed: String,
    },
    /// No shard file of any kind in any folder given.
    #[error(
        "no shard files (shard-K-of-N.json, compare-shard-K-of-N.json or sweep-shard-K-of-N.json) in {0}"
    )]
    NoShards(String),
    /// A shard file is not valid JSON of the expected shape.
    #[error("{path}: not a cxsim shard file: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// An unknown format, or a known one in another version.
    #[error("{path}: format {format:?} version {version}; this cxsim reads {supported}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Its `format`.
        format: String,
        /// Its `format_version`.
        version: u32,
        /// The formats and versions this build reads.
        supported: String,
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
    /// The file name says one kind of shard and the content another.
    #[error("{path}: the file name says a {named} shard but the file holds a {held} shard")]
    KindMismatch {
        /// The file.
        path: PathBuf,
        /// Kind from the name.
        named: Kind,
        /// Kind from the `format` field.
        held: Kind,
    },
    /// Shards of different commands (run, compare, sweep) given together.
    #[error(
        "{first} is a {first_kind} shard but {other} is a {other_kind} shard; \
         merge the shards of one command at a time"
    )]
    MixedKinds {
        /// The first file read.
        first: PathBuf,
        /// Its kind.
        first_kind: Kind,
        /// A file of another kind.
        other: PathBuf,
        /// Its kind.
        other_kind: Kind,
    },
    /// Two shards come from different runs.
    #[error("shards come from different runs: {first}, but {other}; merge only shards of {hint}")]
    MixedRuns {
        /// The first file read: its path, fingerprint, scenario and settings.
        first: String,
        /// A file that differs, described the same way.
        other: String,
        /// What must be the same, for this kind of shard.
        hint: &'static str,
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
        "missing shard(s) {list} (looked in {dirs}); run them with `cxsim {command} --shard K/{count}`"
    )]
    MissingShards {
        /// The missing K, listed.
        list: String,
        /// N.
        count: u32,
        /// Where we looked.
        dirs: String,
        /// The command that writes this kind of shard, e.g. `run FILE`.
        command: &'static str,
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
    /// A compare or sweep shard holds an item (an arm's replication, a sweep
    /// value) that is not its own, or out of range.
    #[error("{path}: holds {item}, which is not one of shard {shard}'s")]
    ForeignItem {
        /// The file.
        path: PathBuf,
        /// The item, described.
        item: String,
        /// The file's shard.
        shard: Shard,
    },
    /// A compare or sweep item appears twice.
    #[error("{item} appears twice, in {first} and {second}")]
    DuplicateItem {
        /// The item, described.
        item: String,
        /// One file.
        first: PathBuf,
        /// Another file.
        second: PathBuf,
    },
    /// Compare or sweep items absent although every shard file is present.
    #[error("{list} missing from the shard files ({total} in all)")]
    MissingItems {
        /// Missing items, described and listed.
        list: String,
        /// Items in the whole command.
        total: usize,
    },
    /// A shard file contradicts itself (a damaged or edited file).
    #[error("{path}: {detail}")]
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// What disagrees with what.
        detail: String,
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
