//! Integrity check of shard files.
//!
//! Every shard file ends with a checksum field over the bytes before it:
//! `{…,"checksum":"fnv1a64:<16 hex digits>"}` and a newline, where the hash
//! ([`Fnv1a64`]) covers every byte from the opening `{` up to (not
//! including) the `,"checksum"`. A merge verifies it before parsing, so a
//! file edited by hand (a cell changed, a line cut) is refused instead of
//! merged as it is. Like the fingerprint, it guards against mistakes and
//! damage, not against forgery; the merge's consistency checks
//! ([`super::merge`]) are the second line.

use super::{Fnv1a64, MergeError};
use std::io::{self, Write};
use std::path::Path;

/// What precedes the hex digits.
const PREFIX: &[u8] = b",\"checksum\":\"fnv1a64:";
/// What follows them.
const SUFFIX: &[u8] = b"\"}\n";
/// Length of the whole trailer: prefix, 16 hex digits, suffix.
const TRAILER: usize = PREFIX.len() + 16 + SUFFIX.len();

/// The trailer for a body hashed to `hash`.
fn trailer(hash: u64) -> Vec<u8> {
    let mut out = PREFIX.to_vec();
    out.extend_from_slice(format!("{hash:016x}").as_bytes());
    out.extend_from_slice(SUFFIX);
    out
}

/// Seals compact JSON text of an object (`{…}`, optionally followed by a
/// newline): the result ends with the checksum field and a newline.
pub fn seal(json: &[u8]) -> Vec<u8> {
    let mut body = json.trim_ascii_end().to_vec();
    assert_eq!(body.pop(), Some(b'}'), "shard JSON is an object");
    let mut h = Fnv1a64::default();
    h.update(&body);
    body.extend(trailer(h.finish()));
    body
}

/// Serialises `value` (an object) as sealed compact JSON.
pub fn to_sealed_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    seal(&serde_json::to_vec(value).expect("shard files serialise"))
}

/// Writes `value` (an object) as sealed compact JSON to `out` without
/// holding the text in memory; the same bytes as [`to_sealed_json`].
pub fn write_sealed<T: serde::Serialize>(value: &T, out: impl Write) -> io::Result<()> {
    let mut w = SealWriter {
        inner: out,
        hash: Fnv1a64::default(),
        held: None,
    };
    serde_json::to_writer(&mut w, value)?;
    if w.held != Some(b'}') {
        return Err(io::Error::other("shard JSON is not an object"));
    }
    w.inner.write_all(&trailer(w.hash.finish()))
}

/// Passes bytes through while hashing them, holding back the last byte
/// (the object's closing brace, which the trailer replaces).
struct SealWriter<W> {
    inner: W,
    hash: Fnv1a64,
    held: Option<u8>,
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some((&last, rest)) = buf.split_last() else {
            return Ok(0);
        };
        if let Some(b) = self.held.take() {
            self.hash.update(&[b]);
            self.inner.write_all(&[b])?;
        }
        self.hash.update(rest);
        self.inner.write_all(rest)?;
        self.held = Some(last);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Checks the trailer of a shard file's `bytes`.
pub fn verify(path: &Path, bytes: &[u8]) -> Result<(), MergeError> {
    let fail = |message: String| MergeError::Integrity {
        path: path.to_path_buf(),
        message,
    };
    let n = bytes.len();
    let sealed =
        n >= TRAILER && bytes[n - TRAILER..].starts_with(PREFIX) && bytes.ends_with(SUFFIX);
    if !sealed {
        return Err(fail(
            "it does not end with the checksum cxsim writes (`,\"checksum\":\"fnv1a64:…\"}`): \
             it was cut, edited or written by an older cxsim; allowed: shard files as cxsim wrote them"
                .into(),
        ));
    }
    let hex = &bytes[n - TRAILER + PREFIX.len()..n - SUFFIX.len()];
    let stored = std::str::from_utf8(hex)
        .ok()
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        })
        .and_then(|h| u64::from_str_radix(h, 16).ok());
    let mut h = Fnv1a64::default();
    h.update(&bytes[..n - TRAILER]);
    match stored {
        Some(s) if s == h.finish() => Ok(()),
        _ => Err(fail(format!(
            "checksum {:?} does not match its content (fnv1a64:{:016x}): the file was changed after cxsim wrote it; allowed: shard files as cxsim wrote them",
            String::from_utf8_lossy(hex),
            h.finish()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_and_in_memory_seals_agree_and_verify() {
        let value = serde_json::json!({"a": [1, 2.5, "x}"], "b": {"c": null}});
        let whole = to_sealed_json(&value);
        let mut streamed = Vec::new();
        write_sealed(&value, &mut streamed).unwrap();
        assert_eq!(whole, streamed);
        assert!(whole.ends_with(b"\"}\n"));
        verify(Path::new("f.json"), &whole).unwrap();
        // Still valid JSON, the checksum one more field.
        let back: serde_json::Value = serde_json::from_slice(&whole).unwrap();
        assert_eq!(back["b"], value["b"]);
        assert_eq!(seal(&serde_json::to_vec(&value).unwrap()), whole);
    }

    #[test]
    fn any_edit_is_refused() {
        let whole = to_sealed_json(&serde_json::json!({"offered": 10, "answered": 9}));
        let edited = String::from_utf8(whole.clone()).unwrap().replace("9", "11");
        let err = verify(Path::new("f.json"), edited.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("does not match"), "{err}");
        let cut = &whole[..whole.len() - 5];
        let err = verify(Path::new("f.json"), cut).unwrap_err();
        assert!(err.to_string().contains("does not end with"), "{err}");
        assert!(verify(Path::new("f.json"), b"{}").is_err());
    }
}
