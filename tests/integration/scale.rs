//! Sharded runs: `run --shard K/N` + `merge` write exactly what one `run`
//! writes; bad shard sets are exit code 2 with a clear message; `bench`.

use super::support::*;
use std::path::{Path, PathBuf};

/// The bundled metro + tier-2 scenario cut to a day, so that regions,
/// intents, languages and tiers all reach the outputs.
fn multi_region(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("scenarios/metro_tier2_week.toml")).unwrap();
    let short = text
        .replacen("horizon = \"7d\"", "horizon = \"1d\"", 1)
        .replacen("warmup = \"1d\"", "warmup = \"2h\"", 1);
    assert_ne!(short, text, "fixture lacks the horizon/warm-up lines");
    let file = dir.join("multi.toml");
    std::fs::write(&file, short).unwrap();
    file
}

fn small(dir: &Path) -> PathBuf {
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    file
}

pub(super) fn ok(args: &[&str]) -> String {
    let r = cxsim(args);
    let (stdout, stderr) = text(&r);
    assert!(r.status.success(), "cxsim {args:?} failed: {stderr}");
    stdout
}

pub(super) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file under `dir` (recursively), by relative path, with its bytes.
pub(super) fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut all = Vec::new();
    walk(dir, dir, &mut all);
    all.sort();
    all
}

#[test]
fn three_shards_merge_byte_identical_to_one_run() {
    let dir = scratch("scale-identical");
    let file = multi_region(&dir);
    let full = dir.join("full");
    let whole_json = ok(&[
        "run",
        s(&file),
        "--replications",
        "5",
        "--json",
        "-q",
        "--out",
        s(&full),
    ]);
    let mut parts = Vec::new();
    for (k, threads) in [("1/3", "2"), ("2/3", "1"), ("3/3", "2")] {
        let part = dir.join(format!("part{}", &k[..1]));
        ok(&[
            "run",
            s(&file),
            "--replications",
            "5",
            "--shard",
            k,
            "--threads",
            threads,
            "-q",
            "--out",
            s(&part),
        ]);
        parts.push(part);
    }
    let merged = dir.join("merged");
    let mut args = vec!["merge", "--json", "-q", "--out", s(&merged)];
    args.extend(parts.iter().map(|p| s(p)));
    let merged_json = ok(&args);
    assert_eq!(whole_json, merged_json, "--json output differs");
    let (a, b) = (files(&full), files(&merged));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "different sets of output files");
    assert!(a.len() >= 4, "{:?}", names(&a));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between the run and the merge");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shards_in_one_folder_and_more_shards_than_replications() {
    let dir = scratch("scale-one-folder");
    let file = small(&dir);
    let full = dir.join("full");
    ok(&["run", s(&file), "-q", "--out", s(&full)]);
    // Four replications over six shards: shards 5 and 6 are empty but still required.
    let parts = dir.join("parts");
    for k in 1..=6 {
        ok(&[
            "run",
            s(&file),
            "-q",
            "--shard",
            &format!("{k}/6"),
            "--out",
            s(&parts),
        ]);
    }
    let merged = dir.join("merged");
    ok(&["merge", s(&parts), "-q", "--out", s(&merged)]);
    assert_eq!(files(&full), files(&merged));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `merge` expecting bad input; returns stderr.
pub(super) fn merge_fails(args: &[&str], out: &Path) -> String {
    let mut all = vec!["merge", "-q", "--out", s(out)];
    all.extend_from_slice(args);
    let r = cxsim(&all);
    let (_, stderr) = text(&r);
    assert_eq!(r.status.code(), Some(2), "expected exit 2: {stderr}");
    assert!(!out.exists(), "a failed merge must not create {out:?}");
    stderr
}

#[test]
fn merge_errors_are_bad_input_with_clear_messages() {
    let dir = scratch("scale-errors");
    let file = small(&dir);
    let out = dir.join("never");
    let shard = |k: &str, dest: &str, extra: &[&str]| {
        let mut args = vec!["run", s(&file), "-q", "--shard", k, "--out"];
        let dest = dir.join(dest);
        args.push(s(&dest));
        args.extend_from_slice(extra);
        ok(&args);
        dest
    };

    // Missing shard.
    let a = shard("1/3", "a", &[]);
    let b = shard("2/3", "b", &[]);
    let err = merge_fails(&[s(&a), s(&b)], &out);
    assert!(err.contains("missing shard(s) 3/3"), "{err}");

    // Mixed fingerprints: same scenario, different seed.
    let c = shard("1/2", "c", &["--seed", "3"]);
    let d = shard("2/2", "d", &["--seed", "4"]);
    let err = merge_fails(&[s(&c), s(&d)], &out);
    assert!(err.contains("different runs"), "{err}");
    assert!(err.contains("seed 4"), "{err}");

    // Mixed N, same run.
    let g = shard("2/2", "g", &[]);
    let err = merge_fails(&[s(&a), s(&g)], &out);
    assert!(err.contains("is one of 3 shards"), "{err}");

    // The same shard twice.
    let e = shard("1/3", "e", &[]);
    let err = merge_fails(&[s(&a), s(&b), s(&e)], &out);
    assert!(err.contains("found twice"), "{err}");

    // Nothing to merge.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let err = merge_fails(&[s(&empty)], &out);
    assert!(err.contains("no shard files"), "{err}");

    // A damaged file.
    let broken = dir.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("shard-1-of-1.json"), b"{\"format\": 1").unwrap();
    let err = merge_fails(&[s(&broken)], &out);
    assert!(err.contains("not a cxsim shard file"), "{err}");

    // The scenario changed after the shards ran; --scenario can point at the original.
    let f = shard("3/3", "f", &[]);
    let original = dir.join("original.toml");
    std::fs::copy(&file, &original).unwrap();
    std::fs::write(&file, SMALL.replace("agents = 20", "agents = 21")).unwrap();
    let err = merge_fails(&[s(&a), s(&b), s(&f)], &out);
    assert!(err.contains("does not match the shards"), "{err}");
    ok(&[
        "merge",
        s(&a),
        s(&b),
        s(&f),
        "-q",
        "--scenario",
        s(&original),
        "--out",
        s(&out),
    ]);
    assert!(out.join("summary.json").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_shard_argument_is_exit_2() {
    let dir = scratch("scale-bad-arg");
    let file = small(&dir);
    for bad in ["0/3", "4/3", "3", "x/y"] {
        let r = cxsim(&["run", s(&file), "-q", "--shard", bad]);
        assert_eq!(r.status.code(), Some(2), "--shard {bad}: {:?}", text(&r));
        assert!(text(&r).1.contains("K/N"), "{:?}", text(&r));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bench_reports_throughput_and_writes_nothing() {
    let dir = scratch("scale-bench");
    std::fs::write(dir.join("s.toml"), SMALL).unwrap();
    let r = std::process::Command::new(bin())
        .current_dir(&dir)
        .args([
            "bench",
            "s.toml",
            "--replications",
            "2",
            "--threads",
            "2",
            "--json",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&r);
    assert!(r.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // 2 days + 2 h at 360/h: about 18,000 arrivals per replication, warm-up included.
    let contacts = json["contacts"].as_f64().unwrap();
    assert!((30_000.0..42_000.0).contains(&contacts), "{json}");
    assert!(json["events"].as_f64().unwrap() > contacts);
    assert!(json["contacts_per_s"].as_f64().unwrap() > 0.0);
    assert_eq!(json["threads"], 2);
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(left.len(), 1, "bench wrote files");
    let _ = std::fs::remove_dir_all(&dir);
}
