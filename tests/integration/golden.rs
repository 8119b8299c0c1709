//! Golden files: the human-readable summary and the CSV headers must not
//! change by accident. After an intended change, regenerate them with
//!
//!     UPDATE_GOLDEN=1 cargo test --release --test integration golden
//!
//! and review the diff of tests/golden/ before committing.

use super::support::*;
use std::path::PathBuf;

fn golden(name: &str) -> PathBuf {
    root().join("tests/golden").join(name)
}

fn check(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(
        expected, actual,
        "{name} changed; if intended, run UPDATE_GOLDEN=1 cargo test --release --test integration golden"
    );
}

#[test]
fn summary_md_and_csv_headers_match_golden_files() {
    let dir = scratch("golden");
    std::fs::write(dir.join("small.toml"), SMALL).unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "run",
        dir.join("small.toml").to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{:?}", text(&r));
    check(
        "small_summary.md",
        &std::fs::read_to_string(out.join("summary.md")).unwrap(),
    );
    let mut headers = String::new();
    for file in ["intervals.csv", "agents.csv"] {
        let csv = std::fs::read_to_string(out.join(file)).unwrap();
        headers.push_str(&format!("{file}: {}\n", csv.lines().next().unwrap()));
    }
    headers.push_str(&format!(
        "compare.csv: {}\n",
        cxsim::compare::CSV_HEADER.join(",")
    ));
    check("csv_headers.txt", &headers);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completions_and_man_page_are_generated() {
    let bash = cxsim(&["completions", "bash"]);
    assert!(bash.status.success());
    let script = String::from_utf8_lossy(&bash.stdout);
    for sub in ["run", "validate", "erlang", "compare", "merge", "bench"] {
        assert!(script.contains(sub), "completion lacks {sub}");
    }
    let man = cxsim(&["man"]);
    assert!(man.status.success());
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH cxsim 1"));
}

/// Runs a bundled scenario with fixed replications and returns its output folder.
fn run_bundled(file: &str, tag: &str, replications: &str) -> PathBuf {
    let dir = scratch(tag);
    let out = dir.join("out");
    let r = cxsim(&[
        "run",
        root().join("scenarios").join(file).to_str().unwrap(),
        "-q",
        "--replications",
        replications,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{:?}", text(&r));
    out
}

/// The validation contract's results, byte for byte: an engine refactor must
/// not move a single digit of a pure-queueing run.
#[test]
fn erlang_a_summary_json_matches_golden_file() {
    let out = run_bundled("erlang_a.toml", "golden-erlang-a", "4");
    check(
        "erlang_a_summary.json",
        &std::fs::read_to_string(out.join("summary.json")).unwrap(),
    );
    check(
        "erlang_a_intervals_head.csv",
        &std::fs::read_to_string(out.join("intervals.csv"))
            .unwrap()
            .lines()
            .take(200)
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

/// The flagship hybrid week, byte for byte (every model feature at once): a
/// change that moves it on purpose regenerates it and says why in its commit.
#[test]
fn hybrid_summary_json_matches_golden_file() {
    let out = run_bundled("hybrid_metro_tier2.toml", "golden-hybrid", "2");
    check(
        "hybrid_summary.json",
        &std::fs::read_to_string(out.join("summary.json")).unwrap(),
    );
}
