//! Hostile input, round two (issue 20): bounded reads of every input file,
//! limits on every path, derived quantities, no silent acceptance, shard
//! file integrity and interrupts. Each test fails without its fix.

use super::support::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs cxsim and asserts exit code 2 within `secs`, with every `needle` on stderr.
fn refused(args: &[&str], needles: &[&str]) -> String {
    let t0 = Instant::now();
    let r = cxsim(args);
    let (_, err) = text(&r);
    assert_eq!(r.status.code(), Some(2), "cxsim {args:?}: {err}");
    assert!(
        t0.elapsed() < Duration::from_secs(20),
        "cxsim {args:?} took {:?}",
        t0.elapsed()
    );
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in: {err}");
    }
    err
}

/// A FIFO at `path` fed with endless bytes by a thread (until the reader closes it).
#[cfg(unix)]
fn endless_fifo(path: &Path) -> std::thread::JoinHandle<()> {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        use std::io::Write;
        // Blocks until cxsim opens the FIFO; ends when cxsim closes it.
        let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) else {
            return;
        };
        let block = vec![b'#'; 64 * 1024];
        while f.write_all(&block).is_ok() {}
    })
}

#[cfg(unix)]
#[test]
fn endless_scenario_files_are_refused_after_the_limit() {
    refused(&["validate", "/dev/zero"], &["/dev/zero", "more than"]);
    refused(
        &["run", "/dev/urandom", "-q"],
        &["/dev/urandom", "more than"],
    );
    let dir = scratch("hostile2-fifo");
    let fifo = dir.join("s.toml");
    let writer = endless_fifo(&fifo);
    refused(&["validate", s(&fifo)], &["s.toml", "more than"]);
    writer.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn endless_trace_files_are_refused_after_the_limit() {
    let dir = scratch("hostile2-trace-fifo");
    let fifo = dir.join("t.csv");
    let writer = endless_fifo(&fifo);
    let text = SMALL.replace(
        "[[demand.stream]]\nname = \"calls\"\nchannel = \"voice\"\nrate_per_hour = 360\n",
        "[demand]\ntrace = \"t.csv\"\n",
    );
    assert_ne!(text, SMALL);
    std::fs::write(dir.join("s.toml"), &text).unwrap();
    refused(
        &["validate", s(&dir.join("s.toml"))],
        &["demand.trace", "t.csv", "more than"],
    );
    writer.join().unwrap();
    std::fs::write(dir.join("z.toml"), text.replace("t.csv", "/dev/zero")).unwrap();
    refused(
        &["validate", s(&dir.join("z.toml"))],
        &["demand.trace", "/dev/zero", "more than"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `small` as N shards into `dir/parts`; returns the folder.
fn shards(dir: &Path, n: u32) -> PathBuf {
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let parts = dir.join("parts");
    for k in 1..=n {
        let r = cxsim(&[
            "run",
            s(&file),
            "-q",
            "--shard",
            &format!("{k}/{n}"),
            "--out",
            s(&parts),
        ]);
        assert!(r.status.success(), "{:?}", text(&r));
    }
    parts
}

#[cfg(unix)]
#[test]
fn merge_scenario_from_an_endless_device_is_refused() {
    let dir = scratch("hostile2-merge-zero");
    let parts = shards(&dir, 1);
    let out = dir.join("out");
    refused(
        &[
            "merge",
            s(&parts),
            "--scenario",
            "/dev/zero",
            "-q",
            "--out",
            s(&out),
        ],
        &["/dev/zero", "more than"],
    );
    assert!(!out.exists(), "refused input wrote {}", out.display());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shard_counts_are_bounded_by_the_replication_limit() {
    let dir = scratch("hostile2-shard-count");
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out = dir.join("out");
    for bad in ["1/4000000000", "1/10001"] {
        refused(
            &["run", s(&file), "-q", "--shard", bad, "--out", s(&out)],
            &[bad, "10000"],
        );
    }
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn edited_shard_files_are_refused() {
    let dir = scratch("hostile2-shard-edit");
    let parts = shards(&dir, 2);
    let path = parts.join("shard-1-of-2.json");
    let original = std::fs::read(&path).unwrap();
    let out = dir.join("out");
    let merge = |needles: &[&str]| {
        refused(&["merge", s(&parts), "-q", "--out", s(&out)], needles);
        assert!(!out.exists(), "refused input wrote {}", out.display());
    };
    // A cell edited in place: answered raised above offered.
    let mut json: serde_json::Value = serde_json::from_slice(&original).unwrap();
    let cell = &mut json["results"][0]["stats"]["contact"][3];
    let offered = cell["offered"].as_u64().unwrap();
    cell["answered"] = (offered + 5).into();
    let edited = serde_json::to_vec(&json).unwrap();
    std::fs::write(&path, &edited).unwrap();
    merge(&["shard-1-of-2.json", "checksum"]);
    // The same edit with the checksum recomputed: the consistency check.
    std::fs::write(&path, cxsim::shard::seal(&edited)).unwrap();
    merge(&[
        "shard-1-of-2.json",
        "answered + abandoned",
        "at most offered",
    ]);
    // A non-finite or negative time.
    let mut json: serde_json::Value = serde_json::from_slice(&original).unwrap();
    json["results"][0]["stats"]["team"][0]["busy_s"] = (-3.0).into();
    std::fs::write(
        &path,
        cxsim::shard::seal(&serde_json::to_vec(&json).unwrap()),
    )
    .unwrap();
    merge(&["shard-1-of-2.json", "busy_s", "-3", ">= 0"]);
    // A truncated file.
    std::fs::write(&path, &original[..original.len() / 2]).unwrap();
    merge(&["shard-1-of-2.json", "not a cxsim shard file"]);
    // As written, it merges.
    std::fs::write(&path, &original).unwrap();
    let r = cxsim(&["merge", s(&parts), "-q", "--out", s(&out)]);
    assert!(r.status.success(), "{:?}", text(&r));
    let _ = std::fs::remove_dir_all(&dir);
}
