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

/// Voice goes through the AI agent (half of it escalates to humans); chat
/// goes straight to the same human team, which is loaded enough to queue.
const AI_FRONT: &str = r#"
name = "ai-first"
[simulation]
seed = 4
horizon = "2d"
warmup = "2h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 400
[[demand.stream]]
channel = "chat"
rate_per_hour = 100
[channel.voice]
patience = { dist = "exponential", mean = "10m" }
[channel.chat]
patience = { dist = "exponential", mean = "10m" }
[ai_agent]
channels = ["voice"]
capacity = 1000
resolution = 0.5
handle_time = { dist = "exponential", mean = "2m" }
[ai_agent.escalation]
ask_for_human = 0.3
[[team]]
name = "t"
agents = 30
channels = ["voice", "chat"]
handle_time = { dist = "exponential", mean = "6m" }
[routing]
strategy = "STRATEGY"
"#;

#[test]
fn ai_first_serves_escalated_customers_before_first_time_callers() {
    let run = |strategy: &str| {
        let s = scenario(&AI_FRONT.replace("STRATEGY", strategy));
        let r = run_replication(&s, 0);
        let voice = r.channel_total(s.channel_index("voice").unwrap());
        let chat = r.channel_total(s.channel_index("chat").unwrap());
        (
            voice.handoff_wait_s().unwrap(),
            chat.human_asa_s().unwrap(),
            r.arrivals,
        )
    };
    let (fifo_escalated, fifo_chat, offered_a) = run("fifo");
    let (first_escalated, first_chat, offered_b) = run("ai_first");
    assert_eq!(offered_a, offered_b, "same first arrivals (retries differ)");
    assert!(fifo_chat > 10.0, "the human queue must matter: {fifo_chat}");
    assert!(
        first_escalated < 0.5 * fifo_escalated,
        "escalated wait {first_escalated} vs fifo {fifo_escalated}"
    );
    assert!(
        first_chat > fifo_chat,
        "first-time callers pay: chat ASA {first_chat} vs {fifo_chat}"
    );
}

/// Two equal teams on one channel; only `tired` has a fatigue model (its
/// agents carry load after work), so `fresh` agents always show zero load.
const TWO_TEAMS: &str = r#"
name = "two-teams"
[simulation]
seed = 6
horizon = "2d"
warmup = "2h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 150
[channel.voice]
patience = { dist = "exponential", mean = "5m" }
[[team]]
name = "tired"
agents = 12
PROFICIENCY_A
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }
FATIGUE
[[team]]
name = "fresh"
agents = 12
PROFICIENCY_B
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }
[routing]
strategy = "STRATEGY"
"#;

#[test]
fn least_fatigued_prefers_agents_without_load() {
    let run = |strategy: &str| {
        let text = TWO_TEAMS
            .replace("STRATEGY", strategy)
            .replace(
                "FATIGUE",
                "fatigue = { per_shift_hour = 0.0, per_busy_hour = 0.05 }",
            )
            .replace("PROFICIENCY_A\n", "")
            .replace("PROFICIENCY_B\n", "");
        let s = scenario(&text);
        let r = run_replication(&s, 0);
        (
            r.team_total(|t| t == 0).started as f64,
            r.team_total(|t| t == 1).started as f64,
        )
    };
    let (fifo_tired, fifo_fresh) = run("fifo");
    let (lf_tired, lf_fresh) = run("least_fatigued");
    // 10 Erlangs on 24 agents: fifo spreads contacts about evenly.
    assert!(
        fifo_fresh < 1.3 * fifo_tired,
        "fifo: {fifo_fresh} / {fifo_tired}"
    );
    assert!(
        lf_fresh > 2.0 * lf_tired,
        "least_fatigued: fresh {lf_fresh} vs tired {lf_tired}"
    );
}

#[test]
fn balanced_evens_out_occupancy_between_fast_and_slow_teams() {
    let run = |strategy: &str| {
        let text = TWO_TEAMS
            .replace("STRATEGY", strategy)
            .replace("FATIGUE\n", "")
            .replace("PROFICIENCY_A", "proficiency = 0.6")
            .replace("PROFICIENCY_B", "proficiency = 1.4");
        let s = scenario(&text);
        let r = run_replication(&s, 0);
        let fast = r.team_total(|t| t == 0).occupancy().unwrap();
        let slow = r.team_total(|t| t == 1).occupancy().unwrap();
        slow / fast
    };
    let fifo = run("fifo");
    let balanced = run("balanced");
    // Longest-idle-first gives each agent about the same number of contacts,
    // so the slow team (1.4 / 0.6 the handle time) is far busier.
    assert!(fifo > 1.5, "fifo slow/fast occupancy {fifo}");
    assert!(
        balanced < 1.25 && balanced < fifo - 0.3,
        "balanced slow/fast occupancy {balanced} vs fifo {fifo}"
    );
}
