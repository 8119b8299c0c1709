//! The one way a command writes its rendered files: every file is rendered
//! in memory first, staged under a temporary name ([`Staging`]) and renamed
//! into place only when all of them are written and the command was not
//! cancelled — so a failed or interrupted write leaves the folder as it was.
//! `cxsim run` streams its interval tables into the same [`Staging`];
//! compare, plan, forecast, sensitivity and leaderboard use [`Outputs`].

use super::{Staging, WriteError};
use std::path::{Path, PathBuf};

/// Files rendered for one output folder, by path relative to it.
#[derive(Default)]
pub struct Outputs {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Outputs {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name` (relative to the output folder; may name a subfolder,
    /// e.g. `charts/x.svg`) with `content`.
    pub fn add(&mut self, name: impl Into<PathBuf>, content: impl Into<Vec<u8>>) -> &mut Self {
        self.files.push((name.into(), content.into()));
        self
    }

    /// Relative paths, in the order added.
    pub fn names(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(p, _)| p.as_path())
    }

    /// Writes every file into `dir` (created with any missing parents, and
    /// removed again if nothing is committed); returns their paths.
    pub fn write(self, dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
        Ok(self.write_unless(dir, &|| false)?.expect("never cancelled"))
    }

    /// [`Outputs::write`], unless `cancelled()` is true once everything is
    /// staged: then nothing is committed (`Ok(None)`).
    pub fn write_unless(
        self,
        dir: &Path,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Option<Vec<PathBuf>>, WriteError> {
        let mut stage = Staging::default();
        stage.dir(dir)?;
        for (name, content) in &self.files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                stage.dir(parent)?;
            }
            stage.file(&path, content)?;
        }
        if cancelled() {
            return Ok(None);
        }
        stage.commit().map(Some)
    }
}

/// Number formatting shared by every writer.
pub mod format {
    /// A CSV/JSON-ish cell: full precision, empty when undefined.
    pub fn cell(x: Option<f64>) -> String {
        x.map(|v| v.to_string()).unwrap_or_default()
    }

    /// A CSV cell with exactly `decimals` places (stable column width for
    /// tables compared by eye, e.g. the leaderboard); empty when undefined.
    pub fn fixed(x: Option<f64>, decimals: usize) -> String {
        x.map_or(String::new(), |v| format!("{v:.decimals$}"))
    }

    /// `12.3% ± 1.2` from a share and its half-width; `–` when undefined.
    pub fn pct_ci(mean: Option<f64>, half: Option<f64>) -> String {
        match (mean, half) {
            (Some(m), Some(h)) => format!("{:.1}% ± {:.1}", 100.0 * m, 100.0 * h),
            (Some(m), None) => format!("{:.1}%", 100.0 * m),
            _ => "–".into(),
        }
    }

    /// `12.3 ± 1.2` with `decimals` places; `–` when undefined.
    pub fn num_ci(mean: Option<f64>, half: Option<f64>, decimals: usize) -> String {
        match (mean, half) {
            (Some(m), Some(h)) => format!("{m:.decimals$} ± {h:.decimals$}"),
            (Some(m), None) => format!("{m:.decimals$}"),
            _ => "–".into(),
        }
    }

    /// `+0.0123 ± 0.0045` (the mean always signed) with `decimals` places;
    /// `–` when undefined: a change against a nominal value.
    pub fn signed_ci(mean: Option<f64>, half: Option<f64>, decimals: usize) -> String {
        match (mean, half) {
            (Some(m), Some(h)) => format!("{m:+.decimals$} ± {h:.decimals$}"),
            (Some(m), None) => format!("{m:+.decimals$}"),
            _ => "–".into(),
        }
    }

    /// `12.3%`; `—` when not finite.
    pub fn pct(x: f64) -> String {
        if x.is_finite() {
            format!("{:.1}%", 100.0 * x)
        } else {
            "—".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_files_or_none() {
        let dir = std::env::temp_dir().join(format!("cxsim-outputs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut out = Outputs::new();
        out.add("a.csv", "x\n").add("charts/b.svg", "<svg/>");
        assert_eq!(out.names().count(), 2);
        // Cancelled after staging: nothing, not even the folder.
        assert_eq!(out.write_unless(&dir, &|| true).unwrap(), None);
        assert!(!dir.exists());
        let mut out = Outputs::new();
        out.add("a.csv", "x\n").add("charts/b.svg", "<svg/>");
        let written = out.write(&dir).unwrap();
        assert_eq!(written, vec![dir.join("a.csv"), dir.join("charts/b.svg")]);
        assert_eq!(
            std::fs::read_to_string(dir.join("charts/b.svg")).unwrap(),
            "<svg/>"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn formats() {
        assert_eq!(format::cell(None), "");
        assert_eq!(format::cell(Some(0.5)), "0.5");
        assert_eq!(format::fixed(Some(0.5), 6), "0.500000");
        assert_eq!(format::fixed(None, 6), "");
        assert_eq!(format::pct_ci(Some(0.8123), Some(0.011)), "81.2% ± 1.1");
        assert_eq!(format::pct_ci(Some(0.8123), None), "81.2%");
        assert_eq!(format::num_ci(Some(12.345), Some(1.0), 1), "12.3 ± 1.0");
        assert_eq!(format::num_ci(None, None, 1), "–");
        assert_eq!(format::signed_ci(Some(0.5), Some(0.25), 2), "+0.50 ± 0.25");
        assert_eq!(format::signed_ci(Some(-0.5), None, 1), "-0.5");
        assert_eq!(format::signed_ci(None, Some(1.0), 1), "–");
        assert_eq!(format::pct(f64::NAN), "—");
    }
}
