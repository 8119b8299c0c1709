//! `trace.csv`: the journey rows each replication streamed to its own
//! temporary file, joined in replication order under one header and written
//! atomically (so the bytes do not depend on the thread count).

use super::atomic::{AtomicFile, WriteError, ensure_dir};
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Writes `dir/trace.csv`: `header`, then each file's rows in the order given.
pub fn write_trace(dir: &Path, header: &str, files: Vec<File>) -> Result<PathBuf, WriteError> {
    ensure_dir(dir)?;
    let mut out = AtomicFile::create(&dir.join("trace.csv"))?;
    let result = (|| {
        writeln!(out, "{header}")?;
        for mut file in files {
            file.seek(SeekFrom::Start(0))?;
            std::io::copy(&mut file, &mut out)?;
        }
        Ok(())
    })();
    result.map_err(|e| out.error(e))?;
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_header_in_the_order_given() {
        let dir = std::env::temp_dir().join(format!("cxsim-trace-{}", std::process::id()));
        let mut files = Vec::new();
        for rows in ["0,1,a\n0,2,b\n", "1,1,c\n"] {
            let mut f = tempfile::tempfile().unwrap();
            f.write_all(rows.as_bytes()).unwrap();
            files.push(f);
        }
        let path = write_trace(&dir, "r,c,x", files).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "r,c,x\n0,1,a\n0,2,b\n1,1,c\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
