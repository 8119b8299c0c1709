//! The spill file of one replication: closed intervals as fixed-length
//! bincode frames in an anonymous temporary file, and the late copies of
//! closed intervals written to again (see `window`).

use super::stats::{ContactStats, TeamStats};
use super::window::Block;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::sync::Arc;

/// Fixed-width encoding: every frame of a run has the same length.
fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_fixed_int_encoding()
}

fn to_io(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// Flush the pending buffer to the file once it holds this many bytes.
const PENDING_BYTES: usize = 1 << 16;

/// The spill file of one replication. Clones share the file (they are only
/// made after the run, when it is read-only).
#[derive(Clone)]
pub struct Spill {
    file: Arc<File>,
    /// Encoded frames not yet written.
    pending: Vec<u8>,
    /// Bytes already written to the file.
    written: u64,
    /// Bytes per frame (0 until the first frame).
    frame: usize,
    /// Closed intervals that were written to again, re-read and updated.
    pub late: BTreeMap<usize, Block>,
    /// The first I/O error; reported when the run finishes.
    pub error: Option<String>,
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spill")
            .field("written", &self.written)
            .field("frame", &self.frame)
            .field("late", &self.late.len())
            .finish()
    }
}

impl PartialEq for Spill {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.late == other.late
    }
}

impl Spill {
    /// An anonymous temporary file (removed by the OS when the last handle closes).
    pub fn new() -> io::Result<Spill> {
        let file = tempfile::tempfile().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot create a temporary file in {} for interval results: {e} (set TMPDIR to a writable folder with room for them)",
                    std::env::temp_dir().display()
                ),
            )
        })?;
        Ok(Spill {
            file: Arc::new(file),
            pending: Vec::with_capacity(PENDING_BYTES * 2),
            written: 0,
            frame: 0,
            late: BTreeMap::new(),
            error: None,
        })
    }

    /// Appends interval frames in order.
    pub fn push(&mut self, contact: &[ContactStats], team: &[TeamStats], ai_busy_s: f64) {
        let before = self.pending.len();
        if let Err(e) = bincode::serde::encode_into_std_write(
            (contact, team, ai_busy_s),
            &mut self.pending,
            config(),
        ) {
            self.fail(to_io(e));
            return;
        }
        let len = self.pending.len() - before;
        if self.frame == 0 {
            self.frame = len;
        }
        debug_assert_eq!(len, self.frame, "fixed-width frames");
        if self.pending.len() >= PENDING_BYTES {
            self.flush_pending();
        }
    }

    fn fail(&mut self, e: io::Error) {
        if self.error.is_none() {
            self.error = Some(e.to_string());
        }
    }

    pub fn flush_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        match (&*self.file).write_all(&self.pending) {
            Ok(()) => self.written += self.pending.len() as u64,
            Err(e) => self.fail(e),
        }
        self.pending.clear();
    }

    /// Frame `i` as written (ignoring any late copy).
    pub fn read_frame(&self, i: usize, buf: &mut Vec<u8>) -> io::Result<Block> {
        buf.resize(self.frame, 0);
        read_exact_at(&self.file, buf, (i * self.frame) as u64)?;
        let ((contact, team, ai_busy_s), _): ((Vec<ContactStats>, Vec<TeamStats>, f64), usize) =
            bincode::serde::decode_from_slice(buf, config()).map_err(to_io)?;
        Ok(Block {
            contact,
            team,
            ai_busy_s,
        })
    }

    /// The late copy of closed interval `i`, read back on first use. After an
    /// I/O error the copy starts from zero (the error fails the run anyway).
    #[cold]
    pub fn late_block(&mut self, i: usize, shape: impl FnOnce() -> Block) -> &mut Block {
        if !self.late.contains_key(&i) {
            self.flush_pending();
            let mut buf = Vec::new();
            let block = match self.read_frame(i, &mut buf) {
                Ok(b) => b,
                Err(e) => {
                    self.fail(e);
                    shape()
                }
            };
            self.late.insert(i, block);
        }
        self.late.get_mut(&i).expect("inserted above")
    }

    /// Interval `i` as the reader should see it: the late copy if any.
    pub fn read(&self, i: usize, buf: &mut Vec<u8>, out: &mut Block) -> io::Result<()> {
        match self.late.get(&i) {
            Some(block) => out.clone_from(block),
            None => *out = self.read_frame(i, buf)?,
        }
        Ok(())
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    // Single reader at a time on other platforms: seek then read.
    let mut f = file;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)?;
    f.seek(SeekFrom::End(0)).map(|_| ())
}
