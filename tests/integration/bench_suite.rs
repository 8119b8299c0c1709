//! The routing benchmark suite (`scenarios/bench/`): every scenario is valid,
//! states its objective, and runs under every strategy (defaults), set by a
//! `routing` override as the leaderboard does.

use super::support::{cxsim, root, text};
use cxsim::engine::{RunOptions, simulate};
use cxsim::leaderboard::objective_in;
use cxsim::scenario::{Overrides, STRATEGIES, Scenario};

fn suite() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios/bench"))
        .expect("the suite exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_suite_scenario_validates_and_states_its_objective() {
    let files = suite();
    assert!(files.len() >= 7, "{files:?}");
    assert!(
        files.iter().any(|f| f.ends_with("hybrid_front.toml")),
        "the hybrid AI-front centre is in the suite"
    );
    for f in &files {
        let out = cxsim(&["validate", f.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{f:?}: {:?}", text(&out));
        let body = std::fs::read_to_string(f).unwrap();
        assert!(body.contains("# objective = "), "{f:?} states no objective");
        objective_in(&body).unwrap_or_else(|e| panic!("{f:?}: {e}"));
    }
}

#[test]
fn every_strategy_runs_on_every_suite_scenario() {
    for f in suite() {
        for s in STRATEGIES {
            let mut table = toml::Table::new();
            table.insert("strategy".into(), toml::Value::String(s.name.into()));
            let routing = toml::Value::Table(table);
            let overrides = Overrides {
                set: vec![
                    ("routing".into(), routing),
                    (
                        "simulation.horizon".into(),
                        toml::Value::String("1d".into()),
                    ),
                ],
                seed: None,
                replications: Some(1),
            };
            let scenario = Scenario::load_with(&f, &overrides)
                .unwrap_or_else(|e| panic!("{f:?} with {}: {e}", s.name));
            let reps = simulate(&scenario, &RunOptions::default())
                .unwrap_or_else(|e| panic!("{f:?} with {}: {e}", s.name));
            let total = reps[0].contact_total();
            assert!(total.answered > 100, "{f:?} with {}: {total:?}", s.name);
        }
    }
}

/// `cxsim leaderboard SUITE --strategies S --replications N --out OUT -q`.
fn leaderboard(
    suite: &std::path::Path,
    strategies: &str,
    replications: &str,
    out: &std::path::Path,
) -> std::process::Output {
    cxsim(&[
        "leaderboard",
        suite.to_str().unwrap(),
        "--strategies",
        strategies,
        "--replications",
        replications,
        "--out",
        out.to_str().unwrap(),
        "-q",
    ])
}

#[test]
fn leaderboard_ranks_strategies_per_scenario_against_fifo() {
    let out_dir = super::support::scratch("leaderboard");
    let suite = root().join("scenarios/bench");
    let out = leaderboard(&suite, "cmu,fastest_server_first", "2", &out_dir);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let csv = std::fs::read_to_string(out_dir.join("leaderboard.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("scenario,objective,kpi,strategy,rank,mean,ci95,diff_vs_fifo"));
    // 3 strategies (fifo always included) on every suite scenario.
    assert_eq!(lines.len(), 1 + 3 * suite_len());
    for l in lines.iter().filter(|l| l.contains(",fifo,")) {
        let cols: Vec<&str> = l.split(',').collect();
        assert_eq!(cols[7].parse::<f64>().unwrap(), 0.0, "fifo vs itself: {l}");
    }
    assert!(out_dir.join("leaderboard.md").exists());
    // Per-class (channel) ASA with paired differences, and the chart.
    let classes = std::fs::read_to_string(out_dir.join("leaderboard_classes.csv")).unwrap();
    assert!(classes.starts_with("scenario,strategy,class,asa_s,asa_ci95,asa_diff_vs_fifo"));
    assert!(
        classes.contains("bench-v-design,cmu,channel:chat,"),
        "{classes}"
    );
    // The multi-skill centre's call types are classes too.
    assert!(
        classes.contains("bench-multi-skill,cmu,intent:t6,"),
        "{classes}"
    );
    let svg = std::fs::read_to_string(out_dir.join("leaderboard.svg")).unwrap();
    roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert!(svg.contains("bench-hybrid-front"));
    let bad = cxsim(&["leaderboard", "--strategies", "lifo", "-q"]);
    let (_, err) = text(&bad);
    assert_eq!(bad.status.code(), Some(2), "{err}");
    assert!(err.contains("\"lifo\"") && err.contains("\"cmu\""), "{err}");
}

#[test]
fn a_sharded_leaderboard_merges_to_the_unsharded_bytes() {
    let dir = super::support::scratch("leaderboard-shards");
    let suite = root().join("scenarios/bench");
    let run = |extra: &[&str], out: &str| {
        let out_dir = dir.join(out);
        let mut args = vec![
            "leaderboard",
            suite.to_str().unwrap(),
            "--strategies",
            "ai_triage,threshold",
            "--replications",
            "2",
            "--out",
            out_dir.to_str().unwrap(),
            "-q",
        ];
        args.extend_from_slice(extra);
        let o = cxsim(&args);
        (o.status.code(), text(&o).1, out_dir)
    };
    let (code, err, whole) = run(&[], "whole");
    assert_eq!(code, Some(0), "{err}");
    let mut shards = Vec::new();
    for k in 1..=3 {
        let (code, err, d) = run(&["--shard", &format!("{k}/3")], &format!("s{k}"));
        assert_eq!(code, Some(0), "{err}");
        assert!(d.join(format!("leaderboard-shard-{k}-of-3.json")).exists());
        shards.push(d.to_str().unwrap().to_string());
    }
    let all = shards.join(",");
    let (code, err, merged) = run(&["--merge", &all], "merged");
    assert_eq!(code, Some(0), "{err}");
    for f in [
        "leaderboard.csv",
        "leaderboard_classes.csv",
        "leaderboard.md",
        "leaderboard.svg",
    ] {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
    // `cxsim merge` reads the same shards from their folders alone.
    let via_merge = dir.join("via-merge");
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", via_merge.to_str().unwrap(), "-q"]);
    let o = cxsim(&args);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    for f in [
        "leaderboard.csv",
        "leaderboard_classes.csv",
        "leaderboard.md",
        "leaderboard.svg",
    ] {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(via_merge.join(f)).unwrap(),
            "cxsim merge: {f}"
        );
    }
    // A missing shard or other strategies: exit 2, saying what is wrong.
    let (code, err, _) = run(&["--merge", &shards[..2].join(",")], "partial");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("missing shard(s) 3/3"), "{err}");
    let o = cxsim(&["merge", &shards[0], &shards[1], "-q"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("missing shard(s) 3/3"), "{err}");
    let (code, err, _) = run(&["--merge", &all, "--seed", "5"], "other");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--seed") && err.contains('5'), "{err}");
    // A damaged file fails its checksum (exit 2), naming the file.
    let damaged = dir.join("damaged");
    std::fs::create_dir_all(&damaged).unwrap();
    let name = "leaderboard-shard-2-of-3.json";
    let mut bytes = std::fs::read(dir.join("s2").join(name)).unwrap();
    let at = bytes.iter().position(|&b| b == b'1').unwrap();
    bytes[at] = b'2';
    std::fs::write(damaged.join(name), bytes).unwrap();
    let o = cxsim(&[
        "merge",
        &shards[0],
        damaged.to_str().unwrap(),
        &shards[2],
        "-q",
    ]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(name), "{err}");
}

#[test]
fn leaderboard_reports_agent_fairness_with_its_paired_difference() {
    // One scenario, fifo against fastest_server_first on two teams of
    // different speed: the columns are filled, fifo's difference to itself
    // is 0, and Jain's index lies in (0, 1].
    let dir = super::support::scratch("leaderboard-fairness");
    let suite = dir.join("suite");
    std::fs::create_dir_all(&suite).unwrap();
    std::fs::copy(
        root().join("scenarios/bench/n_design.toml"),
        suite.join("n_design.toml"),
    )
    .unwrap();
    let out_dir = dir.join("out");
    let o = leaderboard(&suite, "fastest_server_first", "3", &out_dir);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let csv = std::fs::read_to_string(out_dir.join("leaderboard.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (f, fd) = (col("agent_fairness"), col("agent_fairness_diff_vs_fifo"));
    assert_eq!(
        col("occupancy_spread_diff_ci95") + 1,
        f,
        "new columns go last"
    );
    for l in lines {
        let cols: Vec<&str> = l.split(',').collect();
        let jain: f64 = cols[f].parse().unwrap();
        assert!(jain > 0.0 && jain <= 1.0, "{l}");
        if cols[3] == "fifo" {
            assert_eq!(cols[fd].parse::<f64>().unwrap(), 0.0, "{l}");
        }
    }
    let md = std::fs::read_to_string(out_dir.join("leaderboard.md")).unwrap();
    assert!(md.contains("agent fairness"), "{md}");
}

fn suite_len() -> usize {
    suite().len()
}
