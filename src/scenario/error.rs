//! Scenario errors that name the file, the key path, the bad value and what is allowed.

use std::fmt;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Dotted key path, e.g. `team[0].handle_time.mean`; empty for the whole file.
    pub path: String,
    /// 1-based line and column of the offending value, when the TOML source gives it.
    pub position: Option<(usize, usize)>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, col)) = self.position {
            write!(f, "line {line}, column {col}: ")?;
        }
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "`{}`: {}", self.path, self.message)
        }
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{file}: cannot read the scenario file: {source}")]
    Io {
        /// The file name as given.
        file: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The file is not valid UTF-8 text.
    #[error(
        "{file}: not a text file: byte {offset} is not valid UTF-8 (scenario files must be UTF-8 TOML)"
    )]
    NotUtf8 {
        /// The file name as given.
        file: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The file is larger than the scenario size limit.
    #[error(
        "{file}: the file holds more than {limit} bytes; scenario files are limited to {limit} bytes"
    )]
    TooLarge {
        /// The file name as given.
        file: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// Syntax or semantic problems; every one found is listed.
    #[error("{}", render_issues(file, issues))]
    Invalid {
        /// The file name as given.
        file: String,
        /// Every problem found, in file order where known.
        issues: Vec<Issue>,
    },
}

impl ScenarioError {
    /// The problems listed by an `Invalid` error (empty for the other kinds).
    pub fn issues(&self) -> &[Issue] {
        match self {
            ScenarioError::Invalid { issues, .. } => issues,
            _ => &[],
        }
    }
}

fn render_issues(file: &str, issues: &[Issue]) -> String {
    let mut out = String::new();
    let plural = if issues.len() == 1 { "" } else { "s" };
    out.push_str(&format!(
        "{file}: {} problem{plural} in the scenario",
        issues.len()
    ));
    for issue in issues {
        out.push_str(&format!("\n  {file}: {issue}"));
    }
    out
}

/// Maps key paths to source positions and back, from a spanned parse of the file.
pub struct SourceMap {
    entries: Vec<(String, Range<usize>)>,
    line_starts: Vec<usize>,
}

impl SourceMap {
    /// Builds the map; a document that does not parse gives an empty map.
    pub fn new(text: &str) -> Self {
        let mut entries = Vec::new();
        if let Ok(root) = DeTable::parse(text) {
            walk_table(root.get_ref(), "", &mut entries);
        }
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceMap {
            entries,
            line_starts,
        }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line.saturating_sub(1)];
        (line, offset - start + 1)
    }

    /// Position of the value at `path`, or of its nearest parent that exists.
    pub fn locate(&self, path: &str) -> Option<(usize, usize)> {
        let mut probe = path;
        loop {
            if let Some((_, span)) = self.entries.iter().rev().find(|(p, _)| p == probe) {
                return Some(self.line_col(span.start));
            }
            let cut = probe.rfind(['.', '['])?;
            probe = &probe[..cut];
        }
    }

    /// The innermost key path whose value or key covers `offset`.
    pub fn path_at(&self, offset: usize) -> Option<&str> {
        self.entries
            .iter()
            .filter(|(_, span)| span.start <= offset && offset < span.end.max(span.start + 1))
            .min_by_key(|(_, span)| span.end - span.start)
            .map(|(p, _)| p.as_str())
    }
}

/// Longest array whose elements get their own entries in a [`SourceMap`]
/// (a year of 15-minute values is 35,040).
const MAX_MAPPED_ELEMENTS: usize = 100_000;

fn walk_table(table: &DeTable<'_>, prefix: &str, out: &mut Vec<(String, Range<usize>)>) {
    for (key, value) in table.iter() {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        // The key's own span covers errors reported on the key (unknown field).
        out.push((path.clone(), key.span()));
        walk_value(value.get_ref(), value.span(), path, out);
    }
}

fn walk_value(
    value: &DeValue<'_>,
    span: Range<usize>,
    path: String,
    out: &mut Vec<(String, Range<usize>)>,
) {
    match value {
        DeValue::Table(t) => walk_table(t, &path, out),
        // A huge array's elements are not mapped one by one (a path string
        // each would cost more memory than the file): issues inside it point
        // at the array, which still gives its line.
        DeValue::Array(items) if items.len() > MAX_MAPPED_ELEMENTS => {}
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_value(item.get_ref(), item.span(), format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
    out.push((path, span));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_paths() {
        let text = "name = \"x\"\n[[team]]\nname = \"a\"\nhandle_time = { dist = \"fixed\", value = \"3q\" }\n";
        let map = SourceMap::new(text);
        assert_eq!(map.locate("name"), Some((1, 8)));
        let (line, _) = map.locate("team[0].handle_time.value").unwrap();
        assert_eq!(line, 4);
        // A missing key falls back to its parent.
        assert_eq!(map.locate("team[0].agents").map(|p| p.0), Some(2));
        let offset = text.find("\"3q\"").unwrap();
        assert_eq!(map.path_at(offset), Some("team[0].handle_time.value"));
    }
}
