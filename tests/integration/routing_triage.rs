//! `ai_triage`: contacts the AI agent rarely resolves, and high tiers, go
//! straight to a person; customers the AI agent handed over go ahead of
//! first-time callers in the human queue. Fixed seeds; the arrivals are the
//! same under every strategy (common random numbers), and the counts asserted
//! are exact (a bypassed contact never reaches the AI agent), so no
//! statistical tolerance is needed except for the wait comparison, whose
//! margin is stated.

use super::support::{cxsim, scenario, scratch, text};
use cxsim::engine::run_replication;
use cxsim::metrics::ReplicationStats;
use cxsim::scenario::Scenario;

/// Chat with an AI agent: `order_status` it resolves 80% of the time,
/// `dispute` 10%; a fifth of customers are gold.
const HYBRID: &str = r#"
name = "triage"
[simulation]
seed = 77
horizon = "10d"
warmup = "6h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "chat"
rate_per_hour = 120
value_mix = { gold = 0.2, standard = 0.8 }
[[intent]]
name = "order_status"
share = 0.6
complexity = "low"
ai_resolution = 0.8
handle_time = { chat = { dist = "exponential", mean = "4m" } }
[[intent]]
name = "dispute"
share = 0.4
complexity = "low"
ai_resolution = 0.1
handle_time = { chat = { dist = "exponential", mean = "4m" } }
[channel.chat]
patience = { dist = "exponential", mean = "10m" }
[[team]]
name = "humans"
agents = 6
channels = ["chat"]
[ai_agent]
channels = ["chat"]
capacity = 100
[ai_agent.escalation]
ask_for_human = 0.0
failure = 0.0
misroute = 0.0
[customers]
recontact = 0.0
[routing]
ROUTING
"#;

fn run(routing: &str) -> (Scenario, ReplicationStats) {
    let s = scenario(&HYBRID.replace("ROUTING", routing));
    let r = run_replication(&s, 0);
    (s, r)
}

fn index(names: impl Iterator<Item = impl AsRef<str>>, name: &str) -> usize {
    names
        .map(|n| n.as_ref().to_string())
        .position(|n| n == name)
        .unwrap()
}

#[test]
fn ai_triage_bypasses_low_resolution_intents_and_gold_and_serves_escalated_first() {
    let triage = "strategy = \"ai_triage\"\nmin_ai_resolution = 0.3\nbypass_tiers = [\"gold\"]";
    let (s, r) = run(triage);
    let dispute = index(s.intents.iter().map(|i| &i.name), "dispute");
    let order = index(s.intents.iter().map(|i| &i.name), "order_status");
    let gold = index(s.tiers.iter(), "gold");
    let d = r.intent_total(dispute);
    let g = &r.tier[gold];
    // Exact: below the resolution threshold or in a bypassed tier, no
    // contact reaches the AI agent and every one is offered to a person.
    assert!(d.offered > 1000, "{d:?}");
    assert_eq!(d.ai_taken, 0, "{d:?}");
    assert_eq!(d.human_offered, d.offered, "{d:?}");
    assert_eq!(g.ai_taken, 0, "{g:?}");
    assert_eq!(g.human_offered, g.offered, "{g:?}");
    let o = r.intent_total(order);
    assert!(o.ai_taken > 0 && o.escalated > 0, "{o:?}");
    // The same arrivals under fifo: every contact meets the AI agent first.
    let (_, fifo) = run("strategy = \"fifo\"");
    let fd = fifo.intent_total(dispute);
    assert_eq!(fd.offered, d.offered, "common random numbers");
    assert_eq!(fd.ai_taken, fd.offered, "{fd:?}");
    // Escalated customers jump first-time callers: their human wait is far
    // below the bypassed (first-time) contacts' wait, and below their own
    // wait when triage keeps plain fifo order in the human queue.
    let escalated_wait = r.contact_total().handoff_wait_s().unwrap();
    let first_time_wait = d.human_asa_s().unwrap();
    assert!(
        first_time_wait > 10.0 && escalated_wait < 0.6 * first_time_wait,
        "escalated {escalated_wait} s vs first-time {first_time_wait} s"
    );
    let (_, plain) = run(&format!("{triage}\nescalated_first = false"));
    let plain_wait = plain.contact_total().handoff_wait_s().unwrap();
    assert!(
        escalated_wait < 0.6 * plain_wait,
        "escalated first {escalated_wait} s vs fifo order {plain_wait} s"
    );
    eprintln!(
        "escalated {escalated_wait:.1} s (fifo order {plain_wait:.1} s), first-time {first_time_wait:.1} s"
    );
}

#[test]
fn ai_triage_without_an_ai_agent_sends_everyone_to_people() {
    let text = HYBRID
        .replace("ROUTING", "strategy = \"ai_triage\"")
        .replace("[ai_agent]\nchannels = [\"chat\"]\ncapacity = 100\n", "")
        .replace(
            "[ai_agent.escalation]\nask_for_human = 0.0\nfailure = 0.0\nmisroute = 0.0\n",
            "",
        );
    let r = run_replication(&scenario(&text), 0);
    let t = r.contact_total();
    assert_eq!(t.ai_taken, 0);
    assert_eq!(t.human_offered, t.offered);
}

#[test]
fn ai_triage_bad_parameters_exit_2_with_key_value_and_allowed() {
    let dir = scratch("routing-triage-bad");
    let cases: &[(&str, &[&str])] = &[
        (
            "strategy = \"ai_triage\"\nmin_ai_resolution = 1.5",
            &["routing.min_ai_resolution", "got 1.5", "0 to 1"],
        ),
        (
            "strategy = \"ai_triage\"\nmin_ai_resolution = \"high\"",
            &["min_ai_resolution", "\"high\"", "expected f64"],
        ),
        (
            "strategy = \"ai_triage\"\nbypass_tiers = [\"diamond\"]",
            &[
                "routing.bypass_tiers.diamond",
                "unknown tier",
                "known: \"gold\", \"standard\"",
            ],
        ),
        (
            "strategy = \"ai_triage\"\nbypass_intents = [\"refund\"]",
            &[
                "routing.bypass_intents.refund",
                "unknown intent",
                "\"dispute\"",
            ],
        ),
        (
            "strategy = \"ai_triage\"\nescalated_first = \"yes\"",
            &["escalated_first", "\"yes\"", "bool"],
        ),
        (
            "strategy = \"ai_triage\"\nreserve = { humans = 1 }",
            &[
                "routing.reserve",
                "strategy \"ai_triage\"",
                "\"min_ai_resolution\"",
            ],
        ),
        (
            "strategy = \"fifo\"\nbypass_tiers = [\"gold\"]",
            &["routing.bypass_tiers", "strategy \"fifo\"", "no parameters"],
        ),
    ];
    for (i, (routing, needles)) in cases.iter().enumerate() {
        let path = dir.join(format!("bad{i}.toml"));
        std::fs::write(&path, HYBRID.replace("ROUTING", routing)).unwrap();
        let out = cxsim(&["validate", path.to_str().unwrap()]);
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{routing}: {err}");
        for n in *needles {
            assert!(err.contains(n), "{routing}: {n:?} missing in {err}");
        }
    }
}
