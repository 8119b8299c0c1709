//! An N design, and a two-pool overflow system under the built-in
//! `fastest_server_first` / `slowest_server_first`, against their
//! numerically solved Markov chains (issue 19, item 2).
//!
//! Two classes, two pools of two agents: voice (class 1) is served by pool
//! `a` and overflows to the cross-trained pool `b` only when no `a` agent is
//! idle; chat (class 2) is served by `b` alone, and a freed `b` agent takes
//! waiting chat before waiting voice. Arrivals are Poisson, handle times and
//! patience exponential, so the system is a CTMC (built and solved in
//! `markov.rs`). The simulator runs the same rule through the public
//! `Router` trait (pool order for agents, channel priority for contacts),
//! which exercises exactly the engine paths the built-in strategies use:
//! overflow to a second pool by idle agents, a freed agent choosing among
//! queues, lazy abandonment.
//!
//! Tolerance rule: per class, three measures (mean wait of answered
//! contacts, P(wait > 0), abandonment), six comparisons in all. Each is
//! checked against the Student-t interval of the replications' means at
//! level 1 − 0.05/6 (Bonferroni), so the whole test has at least 95%
//! confidence of passing when the engine is right; the seed is fixed, so the
//! outcome is reproducible.

use super::markov::NDesign;
use super::support::scenario;
use cxsim::engine::run_replication_with;
use cxsim::metrics::{ContactStats, mean_ci};
use cxsim::routing::{AgentView, ContactView, Router};

/// A per-class measure of the simulator's counts.
type Measure = fn(&ContactStats) -> Option<f64>;

const N_DESIGN: &str = r#"
name = "n-design-markov"
[simulation]
seed = 1919
horizon = "40d"
warmup = "1d"
replications = 10
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 30
[[demand.stream]]
channel = "chat"
rate_per_hour = 20
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[channel.chat]
patience = { dist = "exponential", mean = "5m" }
[[team]]
name = "a"
agents = 2
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }
[[team]]
name = "b"
agents = 2
channels = ["voice", "chat"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

/// The chain's routing rule: pool `a` before pool `b` for an arriving
/// contact (longest idle within a pool: agents of a pool are exchangeable,
/// so the chain does not see it), chat before voice for a freed agent (each
/// queue first come first served).
struct NDesignRule {
    first_team: usize,
    priority_channel: usize,
}

impl Router for NDesignRule {
    fn contact_priority(&self, c: &ContactView) -> f64 {
        let boost = if c.channel == self.priority_channel {
            1e12
        } else {
            0.0
        };
        boost - c.queued_at_s
    }

    fn agent_preference(&self, a: &AgentView) -> f64 {
        let boost = if a.team == self.first_team { 1e12 } else { 0.0 };
        boost - a.idle_since_s
    }
}

#[test]
fn n_design_matches_its_markov_chain() {
    let s = scenario(N_DESIGN);
    let channel = |name: &str| s.channels.iter().position(|c| c.name == name).unwrap();
    let (voice, chat) = (channel("voice"), channel("chat"));
    let team_a = s.teams.iter().position(|t| t.name == "a").unwrap();
    let chain = NDesign {
        lambda: [30.0 / 3600.0, 20.0 / 3600.0],
        theta: [1.0 / 180.0, 1.0 / 300.0],
        mu: [1.0 / 240.0, 1.0 / 180.0],
        agents: [2, 2],
        cap: 80,
    };
    let exact = chain.measures();
    for m in &exact {
        // The truncation must not matter, and the tagged chain must agree
        // with the stationary law on P(answered).
        assert!(m.p_blocked < 1e-12, "{m:?}");
        assert!(
            (m.p_answered_tagged - (1.0 - m.abandon_rate)).abs() < 1e-9,
            "{m:?}"
        );
    }
    let reps: Vec<_> = (0..s.simulation.replications)
        .map(|rep| {
            let rule = NDesignRule {
                first_team: team_a,
                priority_channel: chat,
            };
            run_replication_with(&s, rule, rep).expect("runs")
        })
        .collect();
    let level = 1.0 - 0.05 / 6.0;
    let mut failures = Vec::new();
    for (class, ch, m) in [("voice", voice, exact[0]), ("chat", chat, exact[1])] {
        let measures: [(&str, Measure, f64); 3] = [
            ("asa_s", ContactStats::asa_s, m.asa_s),
            ("p_wait", ContactStats::p_wait, m.p_wait),
            ("abandon_rate", ContactStats::abandon_rate, m.abandon_rate),
        ];
        for (name, get, expected) in measures {
            let xs: Vec<f64> = reps
                .iter()
                .map(|r| get(&r.channel_total(ch)).expect("contacts"))
                .collect();
            let (mean, half) = mean_ci(&xs, level);
            let (mean, half) = (mean.unwrap(), half.unwrap());
            let ok = (mean - expected).abs() <= half;
            eprintln!(
                "{class:5} {name:12} sim {mean:10.5} ± {half:8.5}  chain {expected:10.5} {}",
                if ok { "ok" } else { "FAIL" }
            );
            if !ok {
                failures.push(format!(
                    "{class} {name}: simulated {mean} ± {half} ({level:.4} CI), chain {expected}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// One class, two pools of two agents at different speeds (`proficiency`
/// multiplies the handle time): a single-class overflow system.
const TWO_POOLS: &str = r#"
name = "two-pool-markov"
[simulation]
seed = 2005
horizon = "40d"
warmup = "1d"
replications = 10
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 40
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[[team]]
name = "fast"
agents = 2
proficiency = 0.75
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }
[[team]]
name = "slow"
agents = 2
proficiency = 1.5
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }
[routing]
strategy = "STRATEGY"
"#;

/// The built-in `fastest_server_first` and `slowest_server_first` on a
/// two-pool overflow system: with one class and one first-come first-served
/// queue, their rule (preferred pool's idle agent, else the other's; a freed
/// agent takes the head of the queue) is Markovian, and it is the N design's
/// chain with no class 2, the preferred pool as pool A. Tolerance as above:
/// six comparisons at level 1 − 0.05/6 each.
#[test]
fn fastest_and_slowest_server_first_match_the_two_pool_overflow_chain() {
    let (fast_mu, slow_mu) = (1.0 / 180.0, 1.0 / 360.0);
    let chain = |mu: [f64; 2]| NDesign {
        lambda: [40.0 / 3600.0, 0.0],
        theta: [1.0 / 180.0, 1.0],
        mu,
        agents: [2, 2],
        cap: 80,
    };
    let level = 1.0 - 0.05 / 6.0;
    let mut failures = Vec::new();
    for (strategy, mu) in [
        ("fastest_server_first", [fast_mu, slow_mu]),
        ("slowest_server_first", [slow_mu, fast_mu]),
    ] {
        let m = chain(mu).measures()[0];
        assert!(m.p_blocked < 1e-12, "{m:?}");
        assert!((m.p_answered_tagged - (1.0 - m.abandon_rate)).abs() < 1e-9);
        let s = scenario(&TWO_POOLS.replace("STRATEGY", strategy));
        let reps =
            cxsim::engine::simulate(&s, &cxsim::engine::RunOptions::default()).expect("runs");
        let measures: [(&str, Measure, f64); 3] = [
            ("asa_s", ContactStats::asa_s, m.asa_s),
            ("p_wait", ContactStats::p_wait, m.p_wait),
            ("abandon_rate", ContactStats::abandon_rate, m.abandon_rate),
        ];
        for (name, get, expected) in measures {
            let xs: Vec<f64> = reps
                .iter()
                .map(|r| get(&r.contact_total()).expect("contacts"))
                .collect();
            let (mean, half) = mean_ci(&xs, level);
            let (mean, half) = (mean.unwrap(), half.unwrap());
            let ok = (mean - expected).abs() <= half;
            eprintln!(
                "{strategy:20} {name:12} sim {mean:10.5} ± {half:8.5}  chain {expected:10.5} {}",
                if ok { "ok" } else { "FAIL" }
            );
            if !ok {
                failures.push(format!(
                    "{strategy} {name}: simulated {mean} ± {half} ({level:.4} CI), chain {expected}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
