//! Checks every kind of shard set needs: one format, one run (fingerprint),
//! one N, one cxsim version, each shard exactly once.

use super::{Kind, MergeError, Shard};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fields every shard file has, whatever its kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header<'a> {
    pub format: &'a str,
    pub format_version: u32,
    pub cxsim_version: &'a str,
    pub fingerprint: &'a str,
    pub shard: u32,
    pub shards: u32,
}

/// Implements [`ShardFile::header`] for a partial type whose common fields
/// have the header's names (every kind does).
macro_rules! header_from_fields {
    () => {
        fn header(&self) -> super::check::Header<'_> {
            super::check::Header {
                format: &self.format,
                format_version: self.format_version,
                cxsim_version: &self.cxsim_version,
                fingerprint: &self.fingerprint,
                shard: self.shard,
                shards: self.shards,
            }
        }
    };
}
pub(crate) use header_from_fields;

/// A kind of shard file, as far as the common checks need it.
pub(crate) trait ShardFile {
    /// The kind; its format and version are what the file must hold.
    const KIND: Kind;
    /// The common fields.
    fn header(&self) -> Header<'_>;
    /// The run's settings, for "different runs" messages.
    fn describe(&self) -> String;
    /// Whether `other` has the same recorded settings. The fingerprint
    /// already covers them; this catches a file edited by hand, whose
    /// settings would otherwise be taken from whichever shard came first.
    fn same_settings(&self, _other: &Self) -> bool {
        true
    }
}

fn describe<P: ShardFile>(path: &Path, p: &P) -> String {
    format!(
        "{} has fingerprint {} ({})",
        path.display(),
        p.header().fingerprint,
        p.describe()
    )
}

/// Checks that `parts` are every shard of one run, each once. `dirs` only
/// names where to look in the message for missing shards.
pub(crate) fn check_set<P: ShardFile>(
    parts: &[(PathBuf, P)],
    dirs: &[PathBuf],
) -> Result<(), MergeError> {
    let Some((first_path, first)) = parts.first() else {
        return Err(MergeError::NoShards(list_paths(dirs)));
    };
    let head = first.header();
    let mut by_shard: BTreeMap<u32, &PathBuf> = BTreeMap::new();
    for (path, p) in parts {
        let h = p.header();
        if h.format != P::KIND.format() || h.format_version != P::KIND.version() {
            return Err(MergeError::Unsupported {
                path: path.clone(),
                format: h.format.to_string(),
                version: h.format_version,
                supported: format!("{:?} version {}", P::KIND.format(), P::KIND.version()),
            });
        }
        let named = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(Kind::parse_file_name);
        if let Some((kind, _)) = named.filter(|(kind, _)| *kind != P::KIND) {
            return Err(MergeError::KindMismatch {
                path: path.clone(),
                named: kind,
                held: P::KIND,
            });
        }
        let held = Shard::new(h.shard, h.shards);
        if held.is_none() || named.is_some_and(|(_, n)| Some(n) != held) {
            return Err(MergeError::NameMismatch {
                path: path.clone(),
                named: named.map_or(Shard { index: 0, count: 0 }, |(_, n)| n),
                held: h.shard,
                held_of: h.shards,
            });
        }
        if h.fingerprint != head.fingerprint || !first.same_settings(p) {
            return Err(MergeError::MixedRuns {
                first: describe(first_path, first),
                other: describe(path, p),
                hint: P::KIND.same_run_hint(),
            });
        }
        if h.shards != head.shards {
            return Err(MergeError::MixedShardCounts {
                first: first_path.clone(),
                first_n: head.shards,
                other: path.clone(),
                other_n: h.shards,
            });
        }
        if h.cxsim_version != head.cxsim_version {
            return Err(MergeError::MixedVersions {
                first: first_path.clone(),
                first_version: head.cxsim_version.to_string(),
                other: path.clone(),
                other_version: h.cxsim_version.to_string(),
            });
        }
        if let Some(prev) = by_shard.insert(h.shard, path) {
            return Err(MergeError::DuplicateShard {
                shard: Shard {
                    index: h.shard,
                    count: h.shards,
                },
                first: prev.clone(),
                second: path.clone(),
            });
        }
    }
    let missing: Vec<String> = (1..=head.shards)
        .filter(|k| !by_shard.contains_key(k))
        .map(|k| format!("{k}/{}", head.shards))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::MissingShards {
            list: list(&missing),
            count: head.shards,
            dirs: list_paths(dirs),
            command: P::KIND.command(),
        });
    }
    Ok(())
}

/// Puts each shard's items into their slots (index `0..total`): every item
/// must belong to its file's shard and appear once, and every slot be filled.
/// `name` describes an item for messages.
pub(crate) fn fill_slots<T>(
    total: usize,
    items: impl IntoIterator<Item = (PathBuf, Shard, usize, T)>,
    belongs: impl Fn(Shard, usize) -> bool,
    name: impl Fn(usize) -> String,
) -> Result<Vec<T>, MergeError> {
    let mut slots: Vec<Option<(T, PathBuf)>> = (0..total).map(|_| None).collect();
    for (path, shard, i, item) in items {
        if i >= total || !belongs(shard, i) {
            return Err(MergeError::ForeignItem {
                path,
                item: name(i),
                shard,
            });
        }
        if let Some((_, prev)) = &slots[i] {
            return Err(MergeError::DuplicateItem {
                item: name(i),
                first: prev.clone(),
                second: path,
            });
        }
        slots[i] = Some((item, path));
    }
    let absent: Vec<String> = (0..total)
        .filter(|&i| slots[i].is_none())
        .map(&name)
        .collect();
    if !absent.is_empty() {
        return Err(MergeError::MissingItems {
            list: list(&absent),
            total,
        });
    }
    Ok(slots.into_iter().flatten().map(|(t, _)| t).collect())
}

pub(crate) fn list_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "1, 4, 7" — at most ten items, then how many in all.
pub(crate) fn list<T: std::fmt::Display>(items: &[T]) -> String {
    let shown: Vec<String> = items.iter().take(10).map(|x| x.to_string()).collect();
    if items.len() > 10 {
        format!("{} … ({} in all)", shown.join(", "), items.len())
    } else {
        shown.join(", ")
    }
}
