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

#[test]
fn leaderboard_ranks_strategies_per_scenario_against_fifo() {
    let out_dir = super::support::scratch("leaderboard");
    let suite = root().join("scenarios/bench");
    let out = cxsim(&[
        "leaderboard",
        suite.to_str().unwrap(),
        "--strategies",
        "cmu,fastest_server_first",
        "--replications",
        "2",
        "--out",
        out_dir.to_str().unwrap(),
        "-q",
    ]);
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
        assert!(d.join("hybrid_front/compare-shard-1-of-3.json").exists() || k != 1);
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
    // A missing shard or other strategies: exit 2, saying what is wrong.
    let (code, err, _) = run(&["--merge", &shards[..2].join(",")], "partial");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("missing shard(s) 3/3"), "{err}");
}

fn suite_len() -> usize {
    suite().len()
}
