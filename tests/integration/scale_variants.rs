//! Sharded `compare` and `plan --sweep`: shards merged write exactly what
//! the unsharded command writes; mixed, missing, foreign and damaged shard
//! sets are exit code 2 with a message naming the files.

use super::scale::{files, merge_fails, ok, s};
use super::support::*;
use std::path::{Path, PathBuf};

/// Two regions, two channels, two teams; one variant runs fewer
/// replications than the base (its own `simulation.replications`), so the
/// arms have different numbers of (arm, replication) pairs.
const VARIANTS: &str = r#"
name = "sharded"
[simulation]
seed = 5
horizon = "1d"
warmup = "2h"
replications = 4
interval = "1h"
[[demand.region]]
name = "metro"
volume_per_week = 20000
channel_mix = { voice = 0.7, chat = 0.3 }
[[demand.region]]
name = "tier2"
volume_per_week = 10000
channel_mix = { voice = 1.0 }
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[channel.chat]
patience = { dist = "exponential", mean = "5m" }
[[team]]
name = "metro_voice"
agents = 14
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
[[team]]
name = "digital"
agents = 6
channels = ["chat"]
handle_time = { dist = "exponential", mean = "6m" }
[[variant]]
name = "more-voice"
set = { "team.metro_voice.agents" = 16 }
[[variant]]
name = "fewer-chat-runs"
set = { "team.digital.agents" = 5, "simulation.replications" = 3 }
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// `cxsim compare FILE --shard K/N` for every K, into one folder.
fn compare_shards(file: &Path, n: u32, dest: &Path, extra: &[&str]) {
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let threads = if k % 2 == 0 { "1" } else { "2" };
        let mut args = vec!["compare", s(file), "-q", "--threads", threads];
        args.extend(["--shard", &shard, "--out", s(dest)]);
        args.extend_from_slice(extra);
        ok(&args);
    }
}

#[test]
fn compare_shards_merge_byte_identical_to_one_compare() {
    let dir = scratch("scale-compare");
    let file = write(&dir, "v.toml", VARIANTS);
    let full = dir.join("full");
    let whole_json = ok(&["compare", s(&file), "--json", "-q", "--out", s(&full)]);
    let expected = files(&full);
    let names: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["charts/compare.svg", "compare.csv", "compare.json"],
        "unexpected compare outputs"
    );
    for n in [2, 3] {
        let parts = dir.join(format!("parts{n}"));
        compare_shards(&file, n, &parts, &[]);
        // Partials carry run totals only: a few kB, whatever the horizon.
        for e in std::fs::read_dir(&parts).unwrap() {
            let len = e.unwrap().metadata().unwrap().len();
            assert!(len < 40_000, "a compare shard file is {len} bytes");
        }
        let merged = dir.join(format!("merged{n}"));
        let json = ok(&["merge", s(&parts), "--json", "-q", "--out", s(&merged)]);
        assert_eq!(json, whole_json, "--json output differs with {n} shards");
        let got = files(&merged);
        assert_eq!(got.len(), expected.len());
        for ((name, x), (_, y)) in expected.iter().zip(&got) {
            assert!(
                x == y,
                "{name} differs between compare and {n} merged shards"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_shards_of_selected_variants_merge_to_that_comparison() {
    let dir = scratch("scale-compare-selected");
    let file = write(&dir, "v.toml", VARIANTS);
    let select = ["--variants", "fewer-chat-runs", "--seed", "11"];
    let full = dir.join("full");
    let mut args = vec!["compare", s(&file), "-q", "--out", s(&full)];
    args.extend_from_slice(&select);
    ok(&args);
    // The variant keeps its own 3 replications: 4 + 3 pairs over 10 shards,
    // so shards 8 to 10 are empty but still required.
    let parts = dir.join("parts");
    compare_shards(&file, 10, &parts, &select);
    let merged = dir.join("merged");
    ok(&["merge", s(&parts), "-q", "--out", s(&merged)]);
    assert_eq!(files(&full), files(&merged));
    let json = std::fs::read_to_string(merged.join("compare.json")).unwrap();
    assert!(json.contains("\"seed\": 11") && !json.contains("more-voice"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `cxsim plan FILE --sweep … --shard K/N`, small and fast.
fn sweep_args<'a>(file: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "plan",
        s(file),
        "-q",
        "--replications",
        "2",
        "--max-iterations",
        "0",
        "--sweep",
        "team.agents.proficiency=1.0:1.4:0.2",
        "--out",
        s(out),
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn sweep_shards_merge_to_the_same_sweep_csv() {
    let dir = scratch("scale-sweep");
    let file = write(&dir, "small.toml", SMALL);
    let full = dir.join("full");
    let whole_json = ok(&sweep_args(&file, &full, &["--json"]));
    let parts = dir.join("parts");
    for k in ["1/2", "2/2"] {
        ok(&sweep_args(&file, &parts, &["--shard", k]));
    }
    let merged = dir.join("merged");
    let json = ok(&["merge", s(&parts), "--json", "-q", "--out", s(&merged)]);
    assert_eq!(json, whole_json);
    assert_eq!(files(&full), files(&merged));
    let csv = std::fs::read_to_string(merged.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_and_sweep_merge_errors_are_bad_input() {
    let dir = scratch("scale-variant-errors");
    let file = write(&dir, "v.toml", VARIANTS);
    let small = write(&dir, "small.toml", SMALL);
    let out = dir.join("never");
    let part = |k: &str, dest: &str, extra: &[&str]| {
        let dest = dir.join(dest);
        let mut args = vec!["compare", s(&file), "-q", "--shard", k, "--out", s(&dest)];
        args.extend_from_slice(extra);
        ok(&args);
        dest
    };
    let a = part("1/2", "a", &[]);

    // Missing shard: the message says how to run it.
    let err = merge_fails(&[s(&a)], &out);
    assert!(err.contains("missing shard(s) 2/2"), "{err}");
    assert!(err.contains("cxsim compare FILE --shard K/2"), "{err}");

    // Another selection of variants is another comparison.
    let b = part("2/2", "b", &["--variants", "more-voice"]);
    let err = merge_fails(&[s(&a), s(&b)], &out);
    assert!(
        err.contains("different runs") && err.contains("--variants"),
        "{err}"
    );

    // Another seed, too.
    let c = part("2/2", "c", &["--seed", "6"]);
    let err = merge_fails(&[s(&a), s(&c)], &out);
    assert!(err.contains("different runs"), "{err}");

    // Different N; the same shard twice.
    let d = part("2/3", "d", &[]);
    let err = merge_fails(&[s(&a), s(&d)], &out);
    assert!(err.contains("is one of 2 shards but"), "{err}");
    let e = part("1/2", "e", &[]);
    let err = merge_fails(&[s(&a), s(&e)], &out);
    assert!(err.contains("found twice"), "{err}");

    // Mixed kinds: a compare shard and a sweep shard, or a run shard.
    let sweep = dir.join("sweep");
    ok(&sweep_args(&small, &sweep, &["--shard", "1/1"]));
    let err = merge_fails(&[s(&a), s(&sweep)], &out);
    assert!(
        err.contains("is a compare shard but") && err.contains("sweep-shard-1-of-1.json"),
        "{err}"
    );
    let run = dir.join("run");
    ok(&["run", s(&small), "-q", "--shard", "1/1", "--out", s(&run)]);
    let err = merge_fails(&[s(&run), s(&a)], &out);
    assert!(err.contains("is a run shard but"), "{err}");

    // A sweep shard of another seed.
    let sweep2 = dir.join("sweep2");
    ok(&sweep_args(&small, &sweep2, &["--shard", "1/2"]));
    ok(&sweep_args(
        &small,
        &sweep2,
        &["--shard", "2/2", "--seed", "9"],
    ));
    let err = merge_fails(&[s(&sweep2)], &out);
    assert!(
        err.contains("different runs") && err.contains("--sweep"),
        "{err}"
    );

    // A compare file renamed as a run shard.
    let renamed = dir.join("renamed");
    std::fs::create_dir_all(&renamed).unwrap();
    std::fs::copy(
        a.join("compare-shard-1-of-2.json"),
        renamed.join("shard-1-of-2.json"),
    )
    .unwrap();
    let err = merge_fails(&[s(&renamed)], &out);
    assert!(err.contains("file name says a run shard"), "{err}");

    // A damaged file: one replication's totals lose a cell.
    let f = part("2/2", "f", &[]);
    let path = f.join("compare-shard-2-of-2.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    json["results"][0]["totals"]["contact"]
        .as_array_mut()
        .unwrap()
        .pop();
    // Re-sealed, as a buggy writer would: the structural checks come next.
    std::fs::write(
        &path,
        cxsim::shard::seal(&serde_json::to_vec(&json).unwrap()),
    )
    .unwrap();
    let err = merge_fails(&[s(&a), s(&f)], &out);
    assert!(err.contains("does not fit the scenario"), "{err}");

    // A pair that belongs to another shard.
    json["results"][0]["replication"] = 0.into();
    json["results"][0]["arm"] = 0.into();
    // Re-sealed, as a buggy writer would: the structural checks come next.
    std::fs::write(
        &path,
        cxsim::shard::seal(&serde_json::to_vec(&json).unwrap()),
    )
    .unwrap();
    let err = merge_fails(&[s(&a), s(&f)], &out);
    assert!(err.contains("not one of shard 2/2's"), "{err}");

    // The scenario changed after the shards ran.
    let g = part("2/2", "g", &[]);
    std::fs::write(&file, VARIANTS.replace("agents = 14", "agents = 15")).unwrap();
    let err = merge_fails(&[s(&a), s(&g)], &out);
    assert!(err.contains("does not match the shards"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shard_without_sweep_is_rejected() {
    let dir = scratch("scale-plan-shard");
    let file = write(&dir, "small.toml", SMALL);
    let r = cxsim(&["plan", s(&file), "-q", "--shard", "1/2"]);
    assert_eq!(r.status.code(), Some(2), "{:?}", text(&r));
    assert!(text(&r).1.contains("--sweep"), "{:?}", text(&r));
    let _ = std::fs::remove_dir_all(&dir);
}
