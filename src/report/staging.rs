//! A set of output files committed together, or not at all.
//!
//! Every file of a run's outputs is first written completely under a hidden
//! temporary name ([`AtomicFile`]); only then does the caller decide:
//! [`Staging::commit`] renames them all into place (quick: renames only),
//! dropping the staging (an error, a cancelled run) removes the temporary
//! files and any folder the staging created. So an interrupted write phase
//! leaves the output folder as it was: no new file, no new empty folder.

use super::{AtomicFile, WriteError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Output files staged under temporary names, and the folders created for them.
#[derive(Default)]
pub struct Staging {
    files: Vec<AtomicFile>,
    /// Folders this staging created, outermost first.
    created: Vec<PathBuf>,
}

impl Staging {
    /// Creates `dir` and any missing parents, remembering which were new.
    pub fn dir(&mut self, dir: &Path) -> Result<(), WriteError> {
        let missing: Vec<PathBuf> = dir
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        super::ensure_dir(dir)?;
        self.created.extend(missing.into_iter().rev());
        Ok(())
    }

    /// Adds a file written elsewhere (still uncommitted).
    pub fn add(&mut self, file: AtomicFile) {
        self.files.push(file);
    }

    /// Stages `bytes` as the content of `path`.
    pub fn file(&mut self, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        let mut file = AtomicFile::create(path)?;
        file.write_all(bytes).map_err(|e| file.error(e))?;
        self.files.push(file);
        Ok(())
    }

    /// Renames every staged file into place, in the order staged; returns
    /// their paths.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, WriteError> {
        let files = std::mem::take(&mut self.files);
        // From here on the folders hold results: keep them.
        self.created.clear();
        files.into_iter().map(AtomicFile::commit).collect()
    }
}

impl Drop for Staging {
    /// Not committed: removes the temporary files, then the folders created
    /// (innermost first; a folder something else wrote into stays).
    fn drop(&mut self) {
        self.files.clear();
        for dir in self.created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_staging_leaves_nothing_and_commit_writes_all() {
        let root = std::env::temp_dir().join(format!("cxsim-staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let out = root.join("a/b");
        {
            let mut s = Staging::default();
            s.dir(&out.join("charts")).unwrap();
            s.file(&out.join("x.txt"), b"x").unwrap();
            s.file(&out.join("charts/y.svg"), b"y").unwrap();
        }
        assert!(!root.exists(), "a dropped staging left {}", root.display());
        let mut s = Staging::default();
        s.dir(&out.join("charts")).unwrap();
        s.file(&out.join("x.txt"), b"x").unwrap();
        s.file(&out.join("charts/y.svg"), b"y").unwrap();
        let paths = s.commit().unwrap();
        assert_eq!(paths, vec![out.join("x.txt"), out.join("charts/y.svg")]);
        assert_eq!(std::fs::read(out.join("charts/y.svg")).unwrap(), b"y");
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            2,
            "no temporary file left"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
