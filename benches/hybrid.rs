//! Engine throughput on the bundled hybrid scenario with every model on
//! (`scenarios/hybrid_metro_tier2.toml`: metro and tier-2 demand, AI agent,
//! escalation, shifts, breaks, shrinkage, concurrency, assist, fatigue,
//! attrition, recontacts and redials): one replication of its week.
//! Criterion reports contacts simulated per second (warm-up included), the
//! figure `cxsim bench` prints.
//!
//! Run: `cargo bench --bench hybrid`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxsim::engine::run_replication;
use cxsim::scenario::Scenario;
use std::hint::black_box;

fn hybrid(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/hybrid_metro_tier2.toml"
    );
    let scenario = Scenario::from_path(path).expect("bundled scenario is valid");
    let contacts = run_replication(&scenario, 0).arrivals;
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(contacts));
    group.sample_size(10);
    group.bench_function("hybrid_metro_tier2_week", |b| {
        b.iter(|| black_box(run_replication(black_box(&scenario), 0)))
    });
    group.finish();
}

criterion_group!(benches, hybrid);
criterion_main!(benches);
