//! Demand generation alone: arrival times from a built-in 24/7 profile
//! (non-homogeneous Poisson by cumulative-intensity inversion), with and
//! without drawing each contact's intent, language and value tier.
//!
//! Run: `cargo bench --bench demand`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxsim::demand::{ArrivalGenerator, three_uniforms};
use cxsim::engine::rng::{Purpose, stream};
use cxsim::engine::ticks;
use cxsim::scenario::Scenario;
use rand::Rng;
use std::hint::black_box;

const METRO: &str = r#"
name = "bench-demand"
[simulation]
horizon = "28d"
warmup = "0s"
[[demand.region]]
name = "metro"
volume_per_day = 200000
profile = "metro"
day_cv = 0.15
channel_mix = { voice = 1.0 }
language_mix = { english = 0.5, hindi = 0.4, tamil = 0.1 }
value_mix = { standard = 0.8, gold = 0.15, platinum = 0.05 }
[[intent]]
name = "a"
share = 0.5
[[intent]]
name = "b"
share = 0.3
[[intent]]
name = "c"
share = 0.2
[[team]]
name = "t"
agents = 1
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

fn demand(c: &mut Criterion) {
    let scenario = Scenario::from_toml_str(METRO, "bench").expect("bench scenario is valid");
    let source = &scenario.sources[0];
    let end = ticks(scenario.simulation.horizon_s);
    let factors = vec![1.0; 28];
    let generate = |with_attributes: bool| {
        let mut g = ArrivalGenerator::new(&source.rate, 0, end, factors.clone());
        let mut rng = stream(1, 0, Purpose::Arrivals, 0);
        let mut attrs = stream(1, 0, Purpose::Attributes, 0);
        let (mut t, mut n, mut acc) = (0, 0u64, 0usize);
        while let Some(next) = g.next_after(t, &mut rng) {
            t = next;
            n += 1;
            if with_attributes {
                let [a, b, c] = three_uniforms(attrs.next_u64());
                acc += source.intent_mix.pick(a)
                    + source.language_mix.pick(b)
                    + source.tier_mix.pick(c);
            }
        }
        (n, acc)
    };
    let arrivals = generate(false).0;
    let mut group = c.benchmark_group("demand");
    group.throughput(Throughput::Elements(arrivals));
    group.sample_size(20);
    group.bench_function("metro_arrival_times", |b| {
        b.iter(|| black_box(generate(false)))
    });
    group.bench_function("metro_arrivals_with_attributes", |b| {
        b.iter(|| black_box(generate(true)))
    });
    group.finish();
}

criterion_group!(benches, demand);
criterion_main!(benches);
