//! Strict non-preemptive priority against queueing theory: two classes with
//! the same exponential service rate on c agents, the M/M/c non-preemptive
//! priority queue (Cobham 1954; for c servers with equal μ, e.g. Gross &
//! Harris, *Fundamentals of Queueing Theory*, §3.4):
//!
//! W_k = C(c, a) / (c μ (1 − σ_{k−1}) (1 − σ_k)),   σ_k = Σ_{i ≤ k} λ_i / (c μ),
//!
//! with C(c, a) the Erlang C probability of waiting at offered load a = λ/μ.
//!
//! Strict priority is `priority` with `ageing_per_min = 0` and a larger
//! weight for the high tier (ties go to the longest waiting, so each class is
//! served first-come first-served). Tolerance rule: each class's mean wait
//! over the replications gives a mean and a two-sided 95% Student-t
//! half-width h; the test requires |simulated − closed form| ≤ h. The seeds
//! are fixed, so the outcome is reproducible.

use cxsim::analytic::{QueueInput, erlang_c};
use cxsim::engine::{RunOptions, simulate};
use cxsim::metrics::mean_ci;
use cxsim::scenario::Scenario;

/// One case: agents, total load per agent, share of the high class, AHT.
struct Case {
    agents: u32,
    load: f64,
    high_share: f64,
    aht_s: f64,
    horizon: &'static str,
    replications: u32,
}

fn text(case: &Case) -> String {
    let rate_per_hour = case.load * f64::from(case.agents) / case.aht_s * 3600.0;
    format!(
        r#"
name = "priority-validation"
[simulation]
seed = {seed}
horizon = "{horizon}"
warmup = "6h"
replications = {reps}
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = {rate_per_hour}
value_mix = {{ gold = {high}, standard = {low} }}
[[team]]
name = "agents"
agents = {agents}
channels = ["voice"]
handle_time = {{ dist = "exponential", mean = "{aht}s" }}
[routing]
strategy = "priority"
tier_weights = {{ gold = 2 }}
ageing_per_min = 0
"#,
        seed = 4200 + case.agents,
        horizon = case.horizon,
        reps = case.replications,
        high = case.high_share,
        low = 1.0 - case.high_share,
        agents = case.agents,
        aht = case.aht_s,
    )
}

/// Closed-form mean waits (high, low), seconds.
fn cobham(case: &Case, rate_per_s: f64) -> (f64, f64) {
    let c = f64::from(case.agents);
    let mu = 1.0 / case.aht_s;
    let p_wait = erlang_c(&QueueInput {
        arrival_rate_per_s: rate_per_s,
        aht_s: case.aht_s,
        agents: case.agents,
        patience_mean_s: None,
        within_s: 0.0,
    })
    .expect("stable queue")
    .p_wait;
    let sigma1 = case.high_share * rate_per_s / (c * mu);
    let sigma2 = rate_per_s / (c * mu);
    let w = |lo: f64, hi: f64| p_wait / (c * mu * (1.0 - lo) * (1.0 - hi));
    (w(0.0, sigma1), w(sigma1, sigma2))
}

fn check(case: Case) -> Vec<String> {
    let s = Scenario::from_toml_str(&text(&case), "priority.toml").expect("valid scenario");
    let rate = s.sources[0].rate.rates_per_s[0];
    let (high_w, low_w) = cobham(&case, rate);
    let reps = simulate(&s, &RunOptions::default()).expect("runs");
    let gold = s.tiers.iter().position(|t| t == "gold").unwrap();
    let standard = s.tiers.iter().position(|t| t == "standard").unwrap();
    let mut failures = Vec::new();
    for (label, tier, expected) in [("high", gold, high_w), ("low", standard, low_w)] {
        let xs: Vec<f64> = reps.iter().filter_map(|r| r.tier[tier].asa_s()).collect();
        let (mean, half) = mean_ci(&xs, 0.95);
        let (mean, half) = (mean.unwrap(), half.unwrap());
        let ok = (mean - expected).abs() <= half;
        eprintln!(
            "c={} load={} {label:4} sim {mean:9.3} ± {half:7.3} s  Cobham {expected:9.3} s {}",
            case.agents,
            case.load,
            if ok { "ok" } else { "FAIL" }
        );
        if !ok {
            failures.push(format!(
                "c={} {label}: simulated {mean} ± {half} (95%), closed form {expected}",
                case.agents
            ));
        }
    }
    failures
}

#[test]
fn strict_priority_matches_the_mmc_nonpreemptive_priority_queue() {
    let cases = [
        Case {
            agents: 1,
            load: 0.7,
            high_share: 0.4,
            aht_s: 180.0,
            horizon: "40d",
            replications: 10,
        },
        Case {
            agents: 5,
            load: 0.85,
            high_share: 0.3,
            aht_s: 240.0,
            horizon: "30d",
            replications: 10,
        },
    ];
    let failures: Vec<String> = cases.into_iter().flat_map(check).collect();
    assert!(failures.is_empty(), "{failures:#?}");
}
