//! Finding and reading shard files of any kind.

use super::check::list_paths;
use super::{
    ComparePartial, Kind, LeaderboardPartial, MergeError, Partial, SensitivityPartial, SweepPartial,
};
use crate::input::{ReadError, read_bounded};
use crate::scenario::limits::MAX_SHARD_BYTES;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The shard files given to one merge, all of one kind.
#[derive(Debug, Clone)]
pub enum Partials {
    /// `shard-K-of-N.json` files.
    Run(Vec<(PathBuf, Partial)>),
    /// `compare-shard-K-of-N.json` files.
    Compare(Vec<(PathBuf, ComparePartial)>),
    /// `sweep-shard-K-of-N.json` files.
    Sweep(Vec<(PathBuf, SweepPartial)>),
    /// `sensitivity-shard-K-of-N.json` files.
    Sensitivity(Vec<(PathBuf, SensitivityPartial)>),
    /// `leaderboard-shard-K-of-N.json` files.
    Leaderboard(Vec<(PathBuf, LeaderboardPartial)>),
}

impl Partials {
    /// Which kind they are.
    pub fn kind(&self) -> Kind {
        match self {
            Partials::Run(_) => Kind::Run,
            Partials::Compare(_) => Kind::Compare,
            Partials::Sweep(_) => Kind::Sweep,
            Partials::Sensitivity(_) => Kind::Sensitivity,
            Partials::Leaderboard(_) => Kind::Leaderboard,
        }
    }
}

/// The two fields read before anything else, to decide how to read the rest.
#[derive(Deserialize)]
struct Head {
    format: String,
    format_version: u32,
}

/// Every shard file in `paths`: in a folder, the files named like a shard
/// file of any kind (sorted by name); a path naming a file is taken as it is.
fn scan(paths: &[PathBuf]) -> Result<Vec<PathBuf>, MergeError> {
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
            if name.to_str().and_then(Kind::parse_file_name).is_some() {
                found.push(entry.path());
            }
        }
        found.sort();
        files.extend(found);
    }
    if files.is_empty() {
        return Err(MergeError::NoShards(list_paths(paths)));
    }
    Ok(files)
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, MergeError> {
    serde_json::from_slice(bytes).map_err(|e| MergeError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// The kind `bytes` say they are, from their `format` field, checked against
/// this build's versions and against the kind the file name says (`named`).
fn kind_of(path: &Path, bytes: &[u8], named: Option<Kind>) -> Result<Kind, MergeError> {
    let head: Head = parse(path, bytes)?;
    let unsupported = || MergeError::Unsupported {
        path: path.to_path_buf(),
        format: head.format.clone(),
        version: head.format_version,
        supported: Kind::supported(),
    };
    let kind = Kind::of_format(&head.format).ok_or_else(unsupported)?;
    if head.format_version != kind.version() {
        return Err(unsupported());
    }
    match named {
        Some(named) if named != kind => Err(MergeError::KindMismatch {
            path: path.to_path_buf(),
            named,
            held: kind,
        }),
        _ => Ok(kind),
    }
}

/// Parses one file as `kind`. When that fails, the `format` field may say
/// why (another kind or version): that is the better message.
fn read_as<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
    kind: Kind,
) -> Result<T, MergeError> {
    parse(path, bytes).map_err(|e| match kind_of(path, bytes, Some(kind)) {
        Err(why @ (MergeError::Unsupported { .. } | MergeError::KindMismatch { .. })) => why,
        _ => e,
    })
}

/// Reads every shard file in `paths`: in a folder, the files named like a
/// shard file of any kind; a path naming a file is read whatever its name.
/// A file named like a shard file is parsed as that kind directly (run
/// shards can be hundreds of MB: one pass, not two); another file's kind
/// comes from its `format` field. Errors when the files are of several
/// kinds, when a file's name says another kind than its content, or when a
/// format or version is not one this build reads.
pub fn read_any(paths: &[PathBuf]) -> Result<Partials, MergeError> {
    let mut out: Option<(PathBuf, Partials)> = None;
    for path in scan(paths)? {
        let bytes = match read_bounded(&path, MAX_SHARD_BYTES) {
            Ok(bytes) => bytes,
            Err(ReadError::Io(source)) => return Err(MergeError::Io { path, source }),
            Err(ReadError::TooLarge { limit }) => {
                return Err(MergeError::TooLarge { path, limit });
            }
        };
        super::seal::verify(&path, &bytes)?;
        let named = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(Kind::parse_file_name)
            .map(|(kind, _)| kind);
        let kind = match named {
            Some(kind) => kind,
            None => kind_of(&path, &bytes, None)?,
        };
        if let Some((first, set)) = &out {
            if set.kind() != kind {
                return Err(MergeError::MixedKinds {
                    first: first.clone(),
                    first_kind: set.kind(),
                    other: path,
                    other_kind: kind,
                });
            }
        }
        let (_, set) = out.get_or_insert_with(|| {
            let empty = match kind {
                Kind::Run => Partials::Run(Vec::new()),
                Kind::Compare => Partials::Compare(Vec::new()),
                Kind::Sweep => Partials::Sweep(Vec::new()),
                Kind::Sensitivity => Partials::Sensitivity(Vec::new()),
                Kind::Leaderboard => Partials::Leaderboard(Vec::new()),
            };
            (path.clone(), empty)
        });
        match set {
            Partials::Run(v) => {
                let p = read_as(&path, &bytes, kind)?;
                v.push((path, p));
            }
            Partials::Compare(v) => {
                let p = read_as(&path, &bytes, kind)?;
                v.push((path, p));
            }
            Partials::Sweep(v) => {
                let p = read_as(&path, &bytes, kind)?;
                v.push((path, p));
            }
            Partials::Sensitivity(v) => {
                let p = read_as(&path, &bytes, kind)?;
                v.push((path, p));
            }
            Partials::Leaderboard(v) => {
                let p = read_as(&path, &bytes, kind)?;
                v.push((path, p));
            }
        }
    }
    Ok(out.expect("scan returns at least one file").1)
}
