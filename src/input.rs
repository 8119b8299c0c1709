//! Bounded reading of every input file.
//!
//! Every file cxsim reads — scenario files, traces, the scenario a merge
//! re-reads, shard files — goes through [`read_bounded`], which reads at most
//! `limit + 1` bytes ([`Read::take`]) and refuses the file if that last byte
//! arrives. The file's metadata is not trusted for the size: a FIFO, a pipe
//! (`<(…)`), `/dev/zero` or `/dev/urandom` report a length of 0 and would
//! otherwise be read until memory runs out. So memory spent on reading one
//! input is at most its limit, whatever the file is.
//!
//! The limits themselves live in [`crate::scenario::limits`].

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why a file could not be read within its limit.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading failed.
    Io(std::io::Error),
    /// The file holds more than `limit` bytes (at least `limit + 1` were read).
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::TooLarge { limit } => write!(
                f,
                "it holds more than {limit} bytes; allowed: at most {limit} bytes"
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(e) => Some(e),
            ReadError::TooLarge { .. } => None,
        }
    }
}

/// Reads the whole file at `path` if it holds at most `limit` bytes.
///
/// Reads at most `limit + 1` bytes whatever the file is (regular file,
/// FIFO, pipe, character device), so a stream that never ends is refused
/// after `limit + 1` bytes instead of filling memory.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // The metadata length is a hint for the buffer only (0 for streams).
    let hint = file
        .metadata()
        .map(|m| m.len().min(limit.saturating_add(1)))
        .unwrap_or(0);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_refuses_beyond() {
        let dir = std::env::temp_dir().join(format!("cxsim-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.txt");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_bounded(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            read_bounded(&path, 4),
            Err(ReadError::TooLarge { limit: 4 })
        ));
        assert!(matches!(
            read_bounded(&dir.join("missing"), 4),
            Err(ReadError::Io(_))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_after_limit_plus_one_bytes() {
        let err = read_bounded(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { limit: 1024 }), "{err}");
    }
}
