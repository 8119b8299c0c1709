//! Planner speed: a week of 15-minute intervals (672 intervals, two teams,
//! four channels) planned end to end — measurement, analytic start,
//! simulation refinement, fresh-seed check and rosters — on two threads.
//! The target is under 60 s on 2 cores (docs/PERFORMANCE.md).
//!
//! Run: `cargo bench --bench planner` (10 samples of ~15 s each: a few minutes).
//! One-off timing without criterion:
//! `sed 's/interval = "30m"/interval = "15m"/' scenarios/metro_tier2_week.toml > /tmp/metro15.toml`
//! then `time target/release/cxsim plan /tmp/metro15.toml --threads 2 --quiet`.

use criterion::{Criterion, criterion_group, criterion_main};
use cxsim::planner::{PlanOptions, plan};
use cxsim::scenario::Scenario;
use std::hint::black_box;
use std::time::Duration;

fn week_of_15_minute_intervals() -> Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/metro_tier2_week.toml"
    );
    let text = std::fs::read_to_string(path).expect("bundled scenario");
    let text = text.replace("interval = \"30m\"", "interval = \"15m\"");
    let scenario = Scenario::from_toml_str_in(&text, "metro15", std::path::Path::new("scenarios"))
        .expect("valid scenario");
    assert_eq!(scenario.simulation.intervals(), 672);
    scenario
}

fn planner(c: &mut Criterion) {
    let scenario = week_of_15_minute_intervals();
    let options = PlanOptions {
        threads: Some(2),
        ..PlanOptions::default()
    };
    let mut group = c.benchmark_group("planner");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("metro_tier2_week_15m_2_threads", |b| {
        b.iter(|| black_box(plan(black_box(&scenario), &options).expect("plan")))
    });
    group.finish();
}

criterion_group!(benches, planner);
criterion_main!(benches);
