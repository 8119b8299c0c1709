//! Engine invariants over random scenarios (fixed proptest seed, so runs are
//! reproducible): conservation — every measured arrival ends exactly once —
//! and the journey trace agrees with the counters.

use super::support::*;
use cxsim::engine::run_replication;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(20_261_206),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One queue (optionally behind an AI agent with ample capacity, so nobody
/// waits for it), recontacts and redials on: ends are human answer, human
/// abandonment, AI resolution or false containment.
fn scenario_text(seed: u64, rate: f64, agents: u32, patience_m: f64, ai: bool) -> String {
    let ai = if ai {
        "[ai_agent]\nchannels = [\"voice\"]\ncapacity = 100000\nresolution = 0.4\nfalse_containment = 0.3\nhandle_time = { dist = \"exponential\", mean = \"2m\" }\n[ai_agent.escalation]\nask_for_human = 0.2\n"
    } else {
        ""
    };
    format!(
        r#"
name = "invariants"
[simulation]
seed = {seed}
horizon = "1d"
warmup = "1h"
replications = 1
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = {rate}
[channel.voice]
patience = {{ dist = "exponential", mean = "{patience_m}m" }}
[customers]
recontact = 0.5
recontact_delay = {{ dist = "exponential", mean = "30m" }}
redial = {{ voice = {{ probability = 0.5, delay = {{ dist = "exponential", mean = "5m" }} }} }}
{ai}
[[team]]
name = "t"
agents = {agents}
channels = ["voice"]
handle_time = {{ dist = "exponential", mean = "4m" }}
"#
    )
}

proptest! {
    #![proptest_config(config(24))]

    /// offered = human answered + human abandoned + AI resolved + AI falsely
    /// contained, per replication (nothing is stranded: the system drains).
    #[test]
    fn every_measured_arrival_ends_exactly_once(
        seed in 0u64..1_000_000,
        rate in 20.0f64..400.0,
        agents in 1u32..40,
        patience_m in 0.2f64..20.0,
        ai in any::<bool>(),
    ) {
        let s = scenario(&scenario_text(seed, rate.round(), agents, (patience_m * 10.0).round() / 10.0, ai));
        let r = run_replication(&s, 0);
        let t = r.contact_total();
        prop_assert_eq!(r.stranded, 0);
        prop_assert_eq!(
            t.offered,
            t.human_answered + t.human_abandoned + t.ai_resolved + t.ai_false,
            "{:?}", t
        );
        prop_assert!(t.answered + t.abandoned <= t.offered);
        if !ai {
            prop_assert_eq!(t.ai_taken, 0);
            prop_assert_eq!(t.human_offered, t.offered);
        }
    }
}

#[test]
fn the_trace_ends_every_journey_and_matches_the_counters() {
    let dir = scratch("trace-invariants");
    let file = dir.join("s.toml");
    std::fs::write(&file, scenario_text(5, 200.0, 14, 3.0, true)).unwrap();
    let run = |threads: &str, trace: bool| {
        let out = dir.join(format!("out-{threads}-{trace}"));
        let mut args = vec!["run", file.to_str().unwrap(), "-q", "--threads", threads];
        let out_s = out.to_str().unwrap().to_string();
        args.extend(["--out", &out_s]);
        if trace {
            args.push("--trace");
        }
        let r = cxsim(&args);
        assert!(r.status.success(), "{:?}", text(&r));
        out
    };
    let plain = run("1", false);
    let traced = run("1", true);
    let traced2 = run("2", true);
    assert!(!plain.join("trace.csv").exists(), "no trace unless asked");
    for f in ["summary.json", "intervals.csv", "agents.csv"] {
        assert_eq!(
            std::fs::read(plain.join(f)).unwrap(),
            std::fs::read(traced.join(f)).unwrap(),
            "{f} does not change with --trace"
        );
    }
    let csv = std::fs::read_to_string(traced.join("trace.csv")).unwrap();
    assert_eq!(
        csv,
        std::fs::read_to_string(traced2.join("trace.csv")).unwrap(),
        "thread count"
    );
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), cxsim::engine::TRACE_HEADER);
    // Last step per journey, and counts of measured steps.
    let mut last: std::collections::BTreeMap<u64, String> = Default::default();
    let (mut answered, mut abandoned_ai_or_human, mut arrived) = (0u64, 0u64, 0u64);
    for line in lines {
        let cols: Vec<&str> = line.split(',').collect();
        assert_eq!(cols.len(), 13, "{line}");
        let measured = cols[9] == "1";
        match cols[3] {
            "answered" if measured => answered += 1,
            "abandoned" if measured => abandoned_ai_or_human += 1,
            "arrived" if measured => arrived += 1,
            _ => {}
        }
        last.insert(cols[1].parse().unwrap(), cols[3].to_string());
    }
    let ends = [
        "ai_resolved",
        "resolved",
        "unresolved",
        "false_containment",
        "abandoned",
    ];
    for (contact, step) in &last {
        assert!(
            ends.contains(&step.as_str()),
            "journey {contact} ends with {step}"
        );
    }
    assert!(arrived > 1000 && answered > 0 && abandoned_ai_or_human > 0);
    let _ = std::fs::remove_dir_all(&dir);
}
