//! Policies from the literature (cμ/Gcμ, fastest/slowest server first,
//! trunk reservation): one behavioural test each, with fixed seeds and
//! common random numbers (same arrivals under every strategy), plus their
//! bad-input errors through the CLI (exit 2, key, value, what is allowed).

use super::support::{cxsim, scenario, scratch, text};
use cxsim::engine::run_replication;

/// One team, two intents on one channel: `quick` (2 min) and `long` (8 min).
const TWO_INTENTS: &str = r#"
name = "two-intents"
[simulation]
seed = 31
horizon = "10d"
warmup = "6h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 108
[[intent]]
name = "quick"
share = 0.5
handle_time = { voice = { dist = "exponential", mean = "2m" } }
[[intent]]
name = "long"
share = 0.5
handle_time = { voice = { dist = "exponential", mean = "8m" } }
[[team]]
name = "t"
agents = 10
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
[routing]
ROUTING
"#;

#[test]
fn cmu_serves_the_fast_class_first_and_gcmu_lets_the_slow_class_catch_up() {
    let run = |routing: &str| {
        let s = scenario(&TWO_INTENTS.replace("ROUTING", routing));
        let r = run_replication(&s, 0);
        let quick = s.intents.iter().position(|i| i.name == "quick").unwrap();
        let long = s.intents.iter().position(|i| i.name == "long").unwrap();
        (
            r.intent_total(quick).asa_s().unwrap(),
            r.intent_total(long).asa_s().unwrap(),
            r.contact_total().asa_s().unwrap(),
        )
    };
    let (fifo_quick, fifo_long, fifo_all) = run("strategy = \"fifo\"");
    let (cmu_quick, cmu_long, cmu_all) = run("strategy = \"cmu\"\nclass = \"intent\"");
    let (g_quick, g_long, _) = run("strategy = \"cmu\"\nclass = \"intent\"\ncost_exponent = 2");
    eprintln!(
        "fifo {fifo_quick:.1}/{fifo_long:.1}/{fifo_all:.1} cmu {cmu_quick:.1}/{cmu_long:.1}/{cmu_all:.1} gcmu {g_quick:.1}/{g_long:.1}"
    );
    assert!(fifo_all > 30.0, "busy enough to matter: {fifo_all}");
    // Equal costs: cμ = shortest expected processing first, which minimises
    // the mean number waiting, hence (Little) the mean wait.
    assert!(cmu_quick < 0.5 * fifo_quick, "{cmu_quick} vs {fifo_quick}");
    assert!(cmu_long > fifo_long, "{cmu_long} vs {fifo_long}");
    assert!(cmu_all < fifo_all, "{cmu_all} vs {fifo_all}");
    // Convex cost: long waits gain priority, so the slow class waits less
    // than under the static rule.
    assert!(g_long < cmu_long, "{g_long} vs {cmu_long}");
}

/// Two teams of 12 on one channel, fast (0.6) and slow (1.4 handle-time multiplier).
const FAST_SLOW: &str = r#"
name = "fast-slow"
[simulation]
seed = 6
horizon = "4d"
warmup = "2h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 330
[channel.voice]
patience = { dist = "exponential", mean = "5m" }
[[team]]
name = "fast"
agents = 12
proficiency = 0.6
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }
[[team]]
name = "slow"
agents = 12
proficiency = 1.4
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }
[routing]
strategy = "STRATEGY"
"#;

#[test]
fn fastest_server_first_loads_the_fast_team_and_cuts_waiting() {
    let run = |strategy: &str| {
        let s = scenario(&FAST_SLOW.replace("STRATEGY", strategy));
        let r = run_replication(&s, 0);
        let fast = r.team_total(|t| t == 0).started as f64;
        let all = r.team_total(|_| true).started as f64;
        (fast / all, r.contact_total().asa_s().unwrap())
    };
    let (fifo_share, fifo_asa) = run("fifo");
    let (fsf_share, fsf_asa) = run("fastest_server_first");
    let (ssf_share, ssf_asa) = run("slowest_server_first");
    eprintln!(
        "fast team share fifo {fifo_share:.3} fsf {fsf_share:.3} ssf {ssf_share:.3}; asa {fifo_asa:.1} {fsf_asa:.1} {ssf_asa:.1}"
    );
    assert!(fsf_share > fifo_share + 0.03 && fifo_share > ssf_share + 0.03);
    assert!(fsf_asa < ssf_asa, "{fsf_asa} vs {ssf_asa}");
}

/// One team of 20, 5% platinum.
const RESERVED: &str = r#"
name = "reserve"
[simulation]
seed = 12
horizon = "4d"
warmup = "2h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 190
value_mix = { standard = 0.95, platinum = 0.05 }
[channel.voice]
patience = { dist = "exponential", mean = "5m" }
[[team]]
name = "t"
agents = 20
channels = ["voice"]
handle_time = { dist = "exponential", mean = "6m" }
[routing]
ROUTING
"#;

#[test]
fn threshold_keeps_agents_free_for_protected_tiers() {
    let run = |routing: &str| {
        let s = scenario(&RESERVED.replace("ROUTING", routing));
        let r = run_replication(&s, 0);
        let platinum = s.tiers.iter().position(|t| t == "platinum").unwrap();
        let standard = s.tiers.iter().position(|t| t == "standard").unwrap();
        (
            r.tier[platinum].asa_s().unwrap(),
            r.tier[standard].asa_s().unwrap(),
        )
    };
    let (fifo_p, fifo_s) = run("strategy = \"fifo\"");
    let (res_p, res_s) =
        run("strategy = \"threshold\"\nreserve = { t = 2 }\nprotected_tiers = [\"platinum\"]");
    eprintln!("platinum {fifo_p:.1} -> {res_p:.1}; standard {fifo_s:.1} -> {res_s:.1}");
    assert!(fifo_p > 10.0, "busy enough to matter: {fifo_p}");
    assert!(res_p < 0.25 * fifo_p, "{res_p} vs {fifo_p}");
    assert!(res_s > fifo_s, "someone pays: {res_s} vs {fifo_s}");
}

#[test]
fn bad_literature_parameters_exit_2_with_key_value_and_allowed() {
    let dir = scratch("routing-literature-bad");
    let cases = [
        (
            "strategy = \"threshold\"\nreserve = { t = 20 }",
            ["routing.reserve.t", "got 20", "allowed: 0 to 19"],
        ),
        (
            "strategy = \"threshold\"\nreserve = { nobody = 1 }",
            ["routing.reserve.nobody", "unknown team", "known: \"t\""],
        ),
        (
            "strategy = \"threshold\"\nprotected_tiers = [\"diamond\"]",
            [
                "routing.protected_tiers.diamond",
                "unknown tier",
                "\"platinum\"",
            ],
        ),
        (
            "strategy = \"cmu\"\ncosts = { fax = 2 }",
            ["routing.costs.fax", "unknown name", "known: \"voice\""],
        ),
        (
            "strategy = \"cmu\"\nclass = \"tier\"\ncosts = { platinum = -1 }",
            ["routing.costs.platinum", "got -1", "a weight > 0"],
        ),
        (
            "strategy = \"cmu\"\ncost_exponent = 9",
            ["routing.cost_exponent", "got 9", "allowed: 1 to 4"],
        ),
        (
            "strategy = \"cmu\"\nclass = \"agent\"",
            ["routing.class", "\"agent\"", "\"intent\""],
        ),
        (
            "strategy = \"cmu\"\ncost_exponent = \"two\"",
            ["routing.cost_exponent", "\"two\"", "expected f64"],
        ),
        (
            "strategy = \"fastest_server_first\"\nreserve = { t = 1 }",
            ["routing.reserve", "fastest_server_first", "no parameters"],
        ),
    ];
    for (i, (routing, needles)) in cases.iter().enumerate() {
        let path = dir.join(format!("bad{i}.toml"));
        std::fs::write(&path, RESERVED.replace("ROUTING", routing)).unwrap();
        let out = cxsim(&["validate", path.to_str().unwrap()]);
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{routing}: {err}");
        for n in needles {
            assert!(err.contains(n), "{routing}: {n:?} missing in {err}");
        }
    }
}

#[test]
fn degenerate_parameters_reproduce_fifo_exactly() {
    // No reservation, and cμ with a single class, are fifo: same contacts,
    // same waits, to the last bit (the new hooks change nothing else).
    let run = |routing: &str| {
        let s = scenario(&RESERVED.replace("ROUTING", routing));
        format!("{:?}", run_replication(&s, 0).contact_total())
    };
    let fifo = run("strategy = \"fifo\"");
    assert_eq!(run("strategy = \"threshold\""), fifo);
    assert_eq!(run("strategy = \"cmu\""), fifo);
}

/// One pool serving voice and chat at equal rates (load 0.97), with
/// customers who do not abandon, so both queues stay long.
const TWO_QUEUES: &str = r#"
name = "fqr"
[simulation]
seed = 17
horizon = "3d"
warmup = "6h"
replications = 4
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 145
[[demand.stream]]
channel = "chat"
rate_per_hour = 145
[channel.voice]
patience = { dist = "fixed", value = "24h" }
[channel.chat]
patience = { dist = "fixed", value = "24h" }
[[team]]
name = "pool"
agents = 20
channels = ["voice", "chat"]
handle_time = { dist = "exponential", mean = "4m" }
ROUTING
"#;

#[test]
fn queue_ratio_holds_the_queues_in_their_target_ratio() {
    // FQR with targets 3:1. Equal arrival rates, so by Little's law the
    // ratio of mean waits is the ratio of mean queue lengths. The rule
    // holds each queue within about one contact of its share; with queues
    // of dozens that is a few per cent, so the ratio of waits must be near
    // 3 — the band [2.5, 3.5] allows that discreteness plus the sampling
    // spread of 4 replications (the per-replication ratios below agree to
    // ±5%). fifo on the same seeds gives 1.
    let waits = |routing: &str| {
        let s = scenario(&TWO_QUEUES.replace("ROUTING", routing));
        let (v, c) = (
            s.channel_index("voice").unwrap(),
            s.channel_index("chat").unwrap(),
        );
        (0..4)
            .map(|rep| {
                let r = run_replication(&s, rep);
                let (tv, tc) = (r.channel_total(v), r.channel_total(c));
                let mean = |t: &cxsim::metrics::ContactStats| t.wait_sum_s / t.answered as f64;
                (mean(&tv), mean(&tc))
            })
            .collect::<Vec<_>>()
    };
    let fqr =
        waits("[routing]\nstrategy = \"queue_ratio\"\nqueue_ratios = { voice = 3, chat = 1 }");
    for &(v, c) in &fqr {
        assert!(
            c > 30.0,
            "queues must be long for the test to mean anything: chat waits {c} s"
        );
        let ratio = v / c;
        assert!(
            (2.5..=3.5).contains(&ratio),
            "voice/chat waits {v:.1}/{c:.1} = {ratio:.2}"
        );
    }
    for (v, c) in waits("[routing]\nstrategy = \"fifo\"") {
        assert!((0.8..=1.25).contains(&(v / c)), "fifo: {v:.1}/{c:.1}");
    }
    // Bad shares are refused with the key, the value and what is allowed.
    let bad = TWO_QUEUES.replace(
        "ROUTING",
        "[routing]\nstrategy = \"queue_ratio\"\nqueue_ratios = { voice = -1, email = 1 }\nidle_ratios = { nobody = 1 }",
    );
    let err = cxsim::scenario::Scenario::from_toml_str(&bad, "q.toml")
        .unwrap_err()
        .to_string();
    for needle in [
        "routing.queue_ratios.voice",
        "got -1",
        "routing.queue_ratios.email",
        "unknown name",
        "routing.idle_ratios.nobody",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in {err}");
    }
}
