//! Engine throughput on the Erlang A validation case: 100 agents at offered
//! load 0.95 (λ = 1,900/h, AHT 3 min, patience 3 min), one replication of
//! two simulated days. Criterion reports contacts simulated per second.
//!
//! Run: `cargo bench --bench engine`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxsim::engine::run_replication;
use cxsim::scenario::Scenario;
use std::hint::black_box;

const ERLANG_A_100: &str = r#"
name = "bench-erlang-a"
[simulation]
seed = 1
horizon = "2d"
warmup = "0s"
replications = 1
interval = "30m"
[[demand.stream]]
channel = "voice"
rate_per_hour = 1900
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[[team]]
name = "agents"
agents = 100
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

fn engine(c: &mut Criterion) {
    let scenario = Scenario::from_toml_str(ERLANG_A_100, "bench").expect("bench scenario is valid");
    let contacts = run_replication(&scenario, 0).contact_total().offered;
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(contacts));
    group.sample_size(20);
    group.bench_function("erlang_a_100_agents_load_0.95", |b| {
        b.iter(|| black_box(run_replication(black_box(&scenario), 0)))
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
