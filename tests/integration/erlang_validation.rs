//! The engine against queueing theory: simulated M/M/c (Erlang C) and M/M/c+M
//! (Erlang A) steady states must match the analytic module.
//!
//! Tolerance rule: for each KPI, the replications' per-run values give a mean
//! and a two-sided 99.9% Student-t confidence half-width h; the test requires
//! |simulated mean − analytic value| ≤ h. With 10 cases × 4 KPIs = 40
//! comparisons at 99.9% each, a correct engine fails one by chance with
//! probability ≈ 4% — and the seeds are fixed, so the outcome is reproducible.
//! Warm-up is excluded from statistics, so the start-up bias is negligible next to h.

use cxsim::analytic::{QueueInput, evaluate};
use cxsim::engine::{RunOptions, simulate};
use cxsim::metrics::{ContactStats, mean_ci};
use cxsim::scenario::Scenario;

struct Case {
    agents: u32,
    load: f64,
    aht_s: f64,
    patience_s: Option<f64>,
    within_s: f64,
    horizon: &'static str,
    replications: u32,
}

fn scenario_text(case: &Case) -> String {
    let rate_per_hour = case.load * f64::from(case.agents) / case.aht_s * 3600.0;
    let patience = case
        .patience_s
        .map(|p| format!("patience = {{ dist = \"exponential\", mean = \"{p}s\" }}"))
        .unwrap_or_default();
    format!(
        r#"
name = "validation"
[simulation]
seed = {seed}
horizon = "{horizon}"
warmup = "6h"
replications = {reps}
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = {rate_per_hour}
[channel.voice]
{patience}
service_level = {{ within = "{within}s", target = 0.8 }}
[[team]]
name = "agents"
agents = {agents}
channels = ["voice"]
handle_time = {{ dist = "exponential", mean = "{aht}s" }}
"#,
        seed = 1000 + case.agents,
        horizon = case.horizon,
        reps = case.replications,
        within = case.within_s,
        agents = case.agents,
        aht = case.aht_s,
    )
}

fn check(case: Case) -> Vec<String> {
    let text = scenario_text(&case);
    let scenario = Scenario::from_toml_str(&text, "validation.toml").expect("valid scenario");
    let rate = scenario.sources[0].rate.rates_per_s[0];
    let theory = evaluate(&QueueInput {
        arrival_rate_per_s: rate,
        aht_s: case.aht_s,
        agents: case.agents,
        patience_mean_s: case.patience_s,
        within_s: case.within_s,
    })
    .expect("analytic model applies");
    let reps = simulate(&scenario, &RunOptions::default()).expect("runs");
    let totals: Vec<ContactStats> = reps.iter().map(|r| r.contact_total()).collect();
    let label = format!(
        "c={} load={} patience={:?}",
        case.agents, case.load, case.patience_s
    );
    let mut failures = Vec::new();
    type Kpi = fn(&ContactStats) -> Option<f64>;
    let metrics: [(&str, f64, Kpi); 4] = [
        (
            "service_level",
            theory.service_level,
            ContactStats::service_level,
        ),
        ("asa_s", theory.asa_s, ContactStats::asa_s),
        ("p_wait", theory.p_wait, ContactStats::p_wait),
        (
            "abandon_rate",
            theory.abandon_rate,
            ContactStats::abandon_rate,
        ),
    ];
    for (name, expected, f) in metrics {
        let xs: Vec<f64> = totals.iter().filter_map(f).collect();
        let (mean, half) = mean_ci(&xs, 0.999);
        let (mean, half) = (mean.unwrap(), half.unwrap());
        let ok = (mean - expected).abs() <= half;
        eprintln!(
            "{label:40} {name:14} sim {mean:10.5} ± {half:8.5}  theory {expected:10.5} {}",
            if ok { "ok" } else { "FAIL" }
        );
        if !ok {
            failures.push(format!(
                "{label}: {name} simulated {mean} ± {half} (99.9%), analytic {expected}"
            ));
        }
    }
    failures
}

#[test]
fn engine_reproduces_erlang_c_and_a() {
    let cases = vec![
        // Erlang C (no abandonment)
        Case {
            agents: 1,
            load: 0.5,
            aht_s: 180.0,
            patience_s: None,
            within_s: 20.0,
            horizon: "60d",
            replications: 10,
        },
        Case {
            agents: 3,
            load: 0.7,
            aht_s: 240.0,
            patience_s: None,
            within_s: 30.0,
            horizon: "30d",
            replications: 10,
        },
        Case {
            agents: 10,
            load: 0.8,
            aht_s: 180.0,
            patience_s: None,
            within_s: 20.0,
            horizon: "20d",
            replications: 10,
        },
        Case {
            agents: 50,
            load: 0.9,
            aht_s: 300.0,
            patience_s: None,
            within_s: 20.0,
            horizon: "10d",
            replications: 10,
        },
        Case {
            agents: 500,
            load: 0.98,
            aht_s: 180.0,
            patience_s: None,
            within_s: 10.0,
            horizon: "2d",
            replications: 10,
        },
        // Erlang A (exponential patience 30 s to 10 min)
        Case {
            agents: 1,
            load: 0.9,
            aht_s: 120.0,
            patience_s: Some(30.0),
            within_s: 20.0,
            horizon: "30d",
            replications: 10,
        },
        Case {
            agents: 5,
            load: 0.7,
            aht_s: 300.0,
            patience_s: Some(120.0),
            within_s: 20.0,
            horizon: "20d",
            replications: 10,
        },
        Case {
            agents: 20,
            load: 0.9,
            aht_s: 180.0,
            patience_s: Some(180.0),
            within_s: 20.0,
            horizon: "10d",
            replications: 10,
        },
        Case {
            agents: 100,
            load: 0.95,
            aht_s: 180.0,
            patience_s: Some(600.0),
            within_s: 20.0,
            horizon: "4d",
            replications: 10,
        },
        Case {
            agents: 500,
            load: 0.98,
            aht_s: 240.0,
            patience_s: Some(60.0),
            within_s: 15.0,
            horizon: "4d",
            replications: 10,
        },
    ];
    let failures: Vec<String> = cases.into_iter().flat_map(check).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
