//! Same scenario + seed ⇒ byte-identical results for any thread count.

use super::support::*;

fn summary_with(dir: &std::path::Path, extra: &[&str]) -> Vec<u8> {
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out = dir.join(format!("out{}", extra.join("_")));
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let result = cxsim(&args);
    assert!(result.status.success(), "{:?}", text(&result));
    std::fs::read(out.join("summary.json")).unwrap()
}

#[test]
fn thread_count_does_not_change_results() {
    let dir = scratch("determinism");
    let one = summary_with(&dir, &["--threads", "1"]);
    let two = summary_with(&dir, &["--threads", "2"]);
    let three = summary_with(&dir, &["--threads", "3"]);
    assert_eq!(one, two, "summary.json differs between 1 and 2 threads");
    assert_eq!(one, three, "summary.json differs between 1 and 3 threads");
    let other_seed = summary_with(&dir, &["--threads", "2", "--seed", "4"]);
    assert_ne!(
        one, other_seed,
        "a different seed must give different numbers"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn intervals_csv_identical_across_threads() {
    let dir = scratch("determinism-csv");
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let mut csvs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(threads);
        let r = cxsim(&[
            "run",
            file.to_str().unwrap(),
            "-q",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(r.status.success());
        csvs.push(std::fs::read(out.join("intervals.csv")).unwrap());
    }
    assert_eq!(csvs[0], csvs[1]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An email queue that falls days behind (no patience, too few agents) plus
/// agents on duty around the clock: writes reach intervals closed a day
/// earlier, which spill mode must re-open. Both modes must agree to the bit.
const BACKLOGGED: &str = r#"
name = "backlogged-email"
[simulation]
horizon = "7d"
warmup = "0s"
interval = "1h"
replications = 2
[[demand.stream]]
name = "email"
channel = "email"
rate_per_hour = 48
[[demand.stream]]
name = "voice"
channel = "voice"
rate_per_hour = 40
[channel.email]
service_level = { within = "24h", target = 0.90 }
[channel.voice]
patience = { dist = "exponential", mean = "2m" }
[[team]]
name = "email"
agents = 2
channels = ["email"]
handle_time = { dist = "exponential", mean = "5m" }
[[team]]
name = "voice"
agents = 4
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
"#;

#[test]
fn spill_and_memory_retention_agree_bit_for_bit() {
    use cxsim::engine::{RunOptions, simulate};
    use cxsim::metrics::{Block, Retention, summarize};
    let s = scenario(BACKLOGGED);
    let run = |retention| {
        let options = RunOptions {
            retention,
            ..RunOptions::default()
        };
        simulate(&s, &options).expect("simulates")
    };
    let (memory, spilled) = (run(Retention::Memory), run(Retention::Spill));
    assert!(spilled.iter().all(|r| r.is_spilled()));
    assert!(
        spilled.iter().all(|r| r.late_intervals() > 48),
        "the backlog must reach closed intervals: {:?}",
        spilled
            .iter()
            .map(|r| r.late_intervals())
            .collect::<Vec<_>>()
    );
    for (m, sp) in memory.iter().zip(&spilled) {
        let (mut rm, mut rs) = (m.reader(), sp.reader());
        let (mut a, mut b) = (Block::default(), Block::default());
        let mut n = 0;
        while rm.next_into(&mut a).unwrap() {
            assert!(rs.next_into(&mut b).unwrap());
            assert!(a == b, "interval {n} differs");
            n += 1;
        }
        assert_eq!(n, 168);
        assert!(!rs.next_into(&mut b).unwrap());
        assert_eq!(m.totals, sp.totals);
    }
    let json = |reps| serde_json::to_string(&summarize(&s, reps)).unwrap();
    assert_eq!(json(&memory), json(&spilled));
}

/// Progress counts simulated days: `on_day` fires once per (partial) day of
/// the horizon in every replication, whatever the retention.
#[test]
fn on_day_counts_every_simulated_day() {
    use cxsim::engine::{RunOptions, days_per_replication, simulate};
    use cxsim::metrics::Retention;
    use std::sync::atomic::{AtomicU64, Ordering};
    for (horizon, days) in [("7d", 7), ("36h", 2), ("5h", 1)] {
        let s =
            scenario(&BACKLOGGED.replace(r#"horizon = "7d""#, &format!("horizon = {horizon:?}")));
        assert_eq!(days_per_replication(&s), days);
        for retention in [Retention::Memory, Retention::Spill] {
            let count = AtomicU64::new(0);
            let day = || {
                count.fetch_add(1, Ordering::Relaxed);
            };
            let options = RunOptions {
                retention,
                on_day: Some(&day),
                ..RunOptions::default()
            };
            simulate(&s, &options).expect("simulates");
            assert_eq!(
                count.load(Ordering::Relaxed),
                2 * days,
                "{horizon} {retention:?}"
            );
        }
    }
}
