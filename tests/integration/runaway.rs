//! Runaway scenarios stop with exit 1 and a message naming the cause, quickly,
//! instead of growing until the allocator aborts (see `engine::guard`).

use super::support::*;
use std::time::{Duration, Instant};

/// Demand at a high rate, nobody on duty, customers who never abandon.
const NO_CAPACITY: &str = r#"
name = "no-capacity"
[simulation]
seed = 1
horizon = "30d"
warmup = "0s"
replications = 2
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 1000000
[[team]]
name = "t"
agents = 0
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

/// Patience fixed at 0 s, redial with probability 1 after 0 s: the first
/// customer who finds the agent busy loops forever at one instant.
const ZERO_TIME_LOOP: &str = r#"
name = "zero-time-loop"
[simulation]
seed = 1
horizon = "1d"
warmup = "0s"
replications = 1
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[channel.voice]
patience = { dist = "fixed", value = "0s" }
[customers]
redial = { voice = { probability = 1.0, delay = { dist = "fixed", value = "0s" } } }
[[team]]
name = "t"
agents = 1
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

fn run_fails(name: &str, text: &str, needles: &[&str]) {
    let dir = scratch(name);
    let file = dir.join("s.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    let start = Instant::now();
    let r = cxsim(&[
        "run",
        file.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    let took = start.elapsed();
    let (_, stderr) = text_of(&r);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} in {stderr}");
    }
    assert!(!out.join("summary.json").exists(), "nothing written");
    // Generous for a loaded 2-core machine; without the guard these run
    // for hours or until memory runs out.
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn text_of(out: &std::process::Output) -> (String, String) {
    text(out)
}

#[test]
fn no_capacity_and_no_patience_stops_with_exit_1_naming_the_channel() {
    run_fails(
        "runaway-queue",
        NO_CAPACITY,
        &[
            "queue grew past 1000000 contacts",
            "no capacity serves channel voice",
        ],
    );
}

/// The exact zero-time loop is refused before it runs (validation, exit 2);
/// the engine's guard stays behind it for loops validation cannot see.
#[test]
fn zero_time_redial_loop_is_refused_at_validation() {
    let dir = scratch("runaway-loop");
    let file = dir.join("s.toml");
    std::fs::write(&file, ZERO_TIME_LOOP).unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "run",
        file.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (_, stderr) = text_of(&r);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("redial loop in zero time"), "{stderr}");
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_library_returns_the_runaway_as_an_engine_error() {
    let s = scenario(NO_CAPACITY);
    let err = cxsim::engine::simulate(&s, &cxsim::engine::RunOptions::default()).unwrap_err();
    assert!(
        matches!(err, cxsim::engine::EngineError::Runaway(_)),
        "{err}"
    );
    assert!(
        err.to_string().contains("no capacity serves channel voice"),
        "{err}"
    );
}
