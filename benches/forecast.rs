//! `cxsim forecast` on a year of 15-minute history for 4 channels: parsing
//! and checking the CSV, then the full forecast (rolling-origin backtest of
//! every method from 8 origins, the chosen method, intervals).
//! Target (issue 18): under 10 s on 2 cores.
//!
//! Run: `cargo bench --bench forecast`

use criterion::{Criterion, criterion_group, criterion_main};
use cxsim::forecast::synthetic::{Spec, generate};
use cxsim::forecast::{self, Options, parse_history};
use std::hint::black_box;
use std::path::Path;

fn year_of_four_channels() -> (String, cxsim::forecast::SpecialDays) {
    let mut spec = Spec::bank(1, 364, 15);
    spec.channels = vec![
        ("voice".into(), 3000.0),
        ("chat".into(), 1200.0),
        ("messaging".into(), 800.0),
        ("email".into(), 500.0),
    ];
    let syn = generate(&spec);
    (syn.csv(364), syn.special_days())
}

fn bench(c: &mut Criterion) {
    let (csv, specials) = year_of_four_channels();
    let options = Options {
        horizon_s: 7 * 86_400,
    };
    let mut group = c.benchmark_group("forecast");
    group.sample_size(10);
    group.bench_function("parse_year_15min_4ch", |b| {
        b.iter(|| parse_history(Path::new("bench.csv"), black_box(&csv)).unwrap())
    });
    let history = parse_history(Path::new("bench.csv"), &csv).unwrap();
    group.bench_function("forecast_year_15min_4ch", |b| {
        b.iter(|| forecast::forecast(black_box(&history), &specials, &options, None))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
