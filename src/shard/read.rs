//! Finding and reading shard files of any kind.

use super::check::list_paths;
use super::{ComparePartial, Kind, MergeError, Partial, SweepPartial};
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
}

impl Partials {
    /// Which kind they are.
    pub fn kind(&self) -> Kind {
        match self {
            Partials::Run(_) => Kind::Run,
            Partials::Compare(_) => Kind::Compare,
            Partials::Sweep(_) => Kind::Sweep,
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

/// Reads every shard file in `paths` (see [`scan`]), deciding each file's
/// kind by its `format` field. Errors when the files are of several kinds,
/// when a file's name says another kind than its content, or when a format
/// or version is not one this build reads.
pub fn read_any(paths: &[PathBuf]) -> Result<Partials, MergeError> {
    let mut out: Option<Partials> = None;
    let mut first: Option<PathBuf> = None;
    for path in scan(paths)? {
        let bytes = std::fs::read(&path).map_err(|source| MergeError::Io {
            path: path.clone(),
            source,
        })?;
        let head: Head = parse(&path, &bytes)?;
        let unsupported = || MergeError::Unsupported {
            path: path.clone(),
            format: head.format.clone(),
            version: head.format_version,
            supported: Kind::supported(),
        };
        let kind = Kind::of_format(&head.format).ok_or_else(unsupported)?;
        if head.format_version != kind.version() {
            return Err(unsupported());
        }
        let named = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(Kind::parse_file_name);
        if let Some((named, _)) = named.filter(|(named, _)| *named != kind) {
            return Err(MergeError::KindMismatch {
                path,
                named,
                held: kind,
            });
        }
        if let (Some(set), Some(first)) = (&out, &first) {
            if set.kind() != kind {
                return Err(MergeError::MixedKinds {
                    first: first.clone(),
                    first_kind: set.kind(),
                    other: path,
                    other_kind: kind,
                });
            }
        }
        let set = out.get_or_insert_with(|| match kind {
            Kind::Run => Partials::Run(Vec::new()),
            Kind::Compare => Partials::Compare(Vec::new()),
            Kind::Sweep => Partials::Sweep(Vec::new()),
        });
        first.get_or_insert_with(|| path.clone());
        match set {
            Partials::Run(v) => {
                let p = parse(&path, &bytes)?;
                v.push((path, p));
            }
            Partials::Compare(v) => {
                let p = parse(&path, &bytes)?;
                v.push((path, p));
            }
            Partials::Sweep(v) => {
                let p = parse(&path, &bytes)?;
                v.push((path, p));
            }
        }
    }
    Ok(out.expect("scan returns at least one file"))
}
