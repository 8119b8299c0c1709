//! Typed errors of `cxsim forecast`. Every input problem names the file, the
//! line (when there is one), the value and what is allowed; the CLI maps
//! [`ForecastError::Input`] to exit code 2.

use std::path::PathBuf;

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct InputIssue {
    /// 1-based line (the header is line 1); 0 when the problem is the file as a whole.
    pub line: usize,
    /// What is wrong, the offending value, and what is allowed.
    pub message: String,
}

/// Why a forecast could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ForecastError {
    /// The history or special-days file (or an argument) is invalid.
    #[error("{}", render(file, issues))]
    Input {
        /// The file concerned (or the argument, e.g. `--horizon`).
        file: PathBuf,
        /// Every problem found (at most [`MAX_ISSUES`] are kept).
        issues: Vec<InputIssue>,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file concerned.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

/// Most issues kept per file: a wholly wrong file would otherwise print
/// one line per row.
pub const MAX_ISSUES: usize = 50;

fn render(file: &std::path::Path, issues: &[InputIssue]) -> String {
    let mut out = String::new();
    for (i, issue) in issues.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if issue.line > 0 {
            out.push_str(&format!(
                "{} line {}: {}",
                file.display(),
                issue.line,
                issue.message
            ));
        } else {
            out.push_str(&format!("{}: {}", file.display(), issue.message));
        }
    }
    out
}

impl ForecastError {
    /// An input error with a single issue.
    pub fn input(file: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        ForecastError::Input {
            file: file.into(),
            issues: vec![InputIssue {
                line,
                message: message.into(),
            }],
        }
    }

    /// True when the error is bad input (exit code 2), not a failure to read.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, ForecastError::Input { .. })
    }
}
