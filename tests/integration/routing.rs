//! Routing strategies where the right answer is known.

use super::support::scenario;
use cxsim::engine::run_replication;
use cxsim::scenario::Scenario;

const TIERED: &str = r#"
name = "tiers"
[simulation]
seed = 8
horizon = "3d"
warmup = "2h"
replications = 1
interval = "1d"
[[demand.region]]
name = "r"
volume_per_day = 12000
profile = "metro"
channel_mix = { voice = 1.0 }
value_mix = { standard = 0.85, gold = 0.10, platinum = 0.05 }
[channel.voice]
patience = { dist = "exponential", mean = "5m" }
[[team]]
name = "t"
agents = 60
channels = ["voice"]
handle_time = { dist = "exponential", mean = "6m" }
[routing]
ROUTING
"#;

#[test]
fn priority_serves_platinum_faster_than_fifo() {
    let run = |routing: &str| {
        let s = scenario(&TIERED.replace("ROUTING", routing));
        let r = run_replication(&s, 0);
        let platinum = s.tiers.iter().position(|t| t == "platinum").unwrap();
        let standard = s.tiers.iter().position(|t| t == "standard").unwrap();
        (
            r.tier[platinum].asa_s().unwrap(),
            r.tier[standard].asa_s().unwrap(),
            r.contact_total().offered,
        )
    };
    let (fifo_platinum, fifo_standard, offered_a) = run("strategy = \"fifo\"");
    let (prio_platinum, prio_standard, offered_b) = run(
        "strategy = \"priority\"\ntier_weights = { platinum = 10, gold = 3 }\nageing_per_min = 0.1",
    );
    assert_eq!(offered_a, offered_b, "same arrivals");
    assert!(
        fifo_platinum > 10.0,
        "the queue must be busy enough to matter: {fifo_platinum}"
    );
    assert!(
        prio_platinum < 0.5 * fifo_platinum,
        "platinum ASA {prio_platinum} vs fifo {fifo_platinum}"
    );
    assert!(
        prio_standard >= fifo_standard,
        "someone pays: standard {prio_standard} vs {fifo_standard}"
    );
}

#[test]
fn human_only_gives_zero_containment() {
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hybrid_metro_tier2.toml"),
    )
    .unwrap()
    .replace("horizon = \"7d\"", "horizon = \"1d\"")
    .replace("replications = 8", "replications = 1");
    let with_ai = run_replication(&scenario(&base), 0).contact_total();
    let human_only = scenario(&base.replace("strategy = \"fifo\"", "strategy = \"human_only\""));
    let t = run_replication(&human_only, 0).contact_total();
    assert!(with_ai.containment().unwrap() > 0.1);
    assert_eq!(t.ai_taken, 0);
    assert_eq!(t.containment(), None);
    assert_eq!(t.human_offered, t.offered);
}

const OVERFLOW: &str = r#"
name = "overflow"
[simulation]
seed = 3
horizon = "3d"
warmup = "2h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 300
[channel.voice]
patience = { dist = "exponential", mean = "2m" }
[[team]]
name = "experts"
agents = 20
proficiency = 0.9
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
[[team]]
name = "generalists"
agents = 10
proficiency = 1.2
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
[routing]
strategy = "skills"
overflow_after = "AFTER"
"#;

#[test]
fn skills_overflow_reduces_abandonment_of_an_overloaded_team() {
    let run = |after: &str| {
        let s = scenario(&OVERFLOW.replace("AFTER", after));
        let r = run_replication(&s, 0);
        let experts = r.team_total(|t| t == 0).started;
        let generalists = r.team_total(|t| t == 1).started;
        (
            r.contact_total().abandon_rate().unwrap(),
            experts,
            generalists,
        )
    };
    // Experts alone: 300/h × 5 min × 0.9 = 22.5 Erlangs on 20 agents (overloaded).
    let (never, _, helped_never) = run("1d");
    let (quick, experts, helped) = run("20s");
    assert_eq!(helped_never, 0, "no overflow within a day's wait");
    assert!(
        helped > 0 && experts > helped,
        "experts first, generalists on overflow: {experts} / {helped}"
    );
    assert!(quick < 0.5 * never, "abandonment {never} → {quick}");
}

#[test]
fn unknown_strategy_and_misplaced_parameters_are_errors() {
    for (routing, needle) in [
        ("strategy = \"random\"", "routing.strategy"),
        (
            "strategy = \"fifo\"\noverflow_after = \"1m\"",
            "routing.overflow_after",
        ),
        (
            "strategy = \"priority\"\ntier_weights = { diamond = 2 }",
            "routing.tier_weights.diamond",
        ),
    ] {
        let err =
            Scenario::from_toml_str(&TIERED.replace("ROUTING", routing), "r.toml").unwrap_err();
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
}
