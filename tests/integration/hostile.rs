//! Hostile input: mutated scenarios give `Ok` or an error naming the file and a
//! key path — never a panic — and every `Ok` scenario runs in the engine.
//!
//! Seeds are [`SMALL`] and every bundled `scenarios/*.toml`, parsed as a
//! `toml::Table`. Each case applies one to four mutations (delete a key or
//! array element, replace a value with a hostile one, swap a value's type,
//! insert a key, repeat an array element up to 2,000 times, put a random
//! duration in a string, put an extreme number in a number), serialises the
//! result and loads it with [`Scenario::from_toml_str`]. See docs/ROBUSTNESS.md.
//!
//! Reproducibility: the proptest RNG seed is fixed (so every run and CI tries
//! the same cases, and a failure reproduces on any machine by rerunning the
//! test) and failure persistence is off (a persistence file would only matter
//! with a random seed). To explore new cases locally, set `PROPTEST_RNG_SEED`
//! and `PROPTEST_CASES`; turn anything found into a named test at the end of
//! this file.

use super::support::*;
use cxsim::engine::run_replication;
use cxsim::scenario::{Scenario, ScenarioError};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use toml::{Table, Value};

/// The file name passed to the parser; every error must name it.
const FILE: &str = "x.toml";
/// Default proptest seed: fixed so that CI runs are repeatable.
const DEFAULT_SEED: u64 = 0x00c0_ffee_2026;
/// Engine runs are skipped when the capped scenario expects more contacts than this.
const MAX_EXPECTED_CONTACTS: f64 = 200_000.0;
/// ... or has more agents than this (the validator allows 10^8; memory, not a bug).
const MAX_AGENTS: u64 = 20_000;
/// Rough bound on a mutated document's TOML size, bytes. Real files are capped at
/// `limits::MAX_FILE_BYTES` (10 MiB) by `Scenario::from_path`, but
/// `from_toml_str` takes any string, so the generator keeps documents small.
const MAX_DOC_WEIGHT: usize = 2 * 1024 * 1024;
/// Horizon and warm-up caps for engine runs, seconds.
const CAP_HORIZON_S: f64 = 2.0 * 86_400.0;
const CAP_WARMUP_S: f64 = 6.0 * 3600.0;

fn config(default_cases: u32) -> ProptestConfig {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    ProptestConfig {
        cases: env("PROPTEST_CASES").map_or(default_cases, |c| c as u32),
        rng_seed: RngSeed::Fixed(env("PROPTEST_RNG_SEED").unwrap_or(DEFAULT_SEED)),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// (name, text) of every seed scenario: SMALL, then scenarios/*.toml by name.
fn seeds() -> &'static [(String, String)] {
    static SEEDS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
            .expect("scenarios folder")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut seeds = vec![("SMALL".to_string(), SMALL.to_string())];
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read bundled scenario");
            seeds.push((path.display().to_string(), absolute_trace(&text, &path)));
        }
        seeds
    })
}

/// `from_toml_str` resolves `demand.trace` against the working folder, not the
/// scenario's: a seed with a relative trace path gets it made absolute.
fn absolute_trace(text: &str, path: &std::path::Path) -> String {
    let mut table: Table = text.parse().expect("bundled scenario is TOML");
    let Some(Value::Table(demand)) = table.get_mut("demand") else {
        return text.to_string();
    };
    let Some(Value::String(trace)) = demand.get_mut("trace") else {
        return text.to_string();
    };
    let dir = path.parent().expect("scenario folder");
    *trace = dir.join(&*trace).display().to_string();
    toml::to_string(&table).expect("a toml::Table always serialises")
}

fn seed_table(index: &Index) -> Table {
    let (name, text) = index.get(seeds());
    text.parse::<Table>()
        .unwrap_or_else(|e| panic!("seed {name} is not TOML: {e}"))
}

// ---------------------------------------------------------------- mutations

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove any key or array element.
    Delete(Index),
    /// Replace any value (tables and arrays included) with a hostile one.
    Replace(Index, Value),
    /// Turn any value into another type carrying the same content where possible.
    SwapType(Index, u8),
    /// Add a key (known or not) to any table.
    Insert(Index, String, Value),
    /// Append copies of an array's first element (or of `Value`) to any array.
    Repeat(Index, usize, Value),
    /// Replace a string leaf with a duration-like string.
    Retime(Index, String),
    /// Replace a number leaf with an extreme number.
    Renumber(Index, Value),
}

/// Every value's path, depth first, parents before children.
fn value_paths(value: &Value, prefix: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match value {
        Value::Table(t) => {
            for (k, v) in t {
                prefix.push(Seg::Key(k.clone()));
                out.push(prefix.clone());
                value_paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(Seg::Index(i));
                out.push(prefix.clone());
                value_paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(mut value: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        value = match (seg, value) {
            (Seg::Key(k), Value::Table(t)) => t.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

fn get<'a>(mut value: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    for seg in path {
        value = match (seg, value) {
            (Seg::Key(k), Value::Table(t)) => t.get(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Paths (root included as the empty path) whose value satisfies `keep`.
fn paths_where(root: &Value, keep: &dyn Fn(&Value) -> bool) -> Vec<Vec<Seg>> {
    let mut all = vec![Vec::new()];
    value_paths(root, &mut Vec::new(), &mut all);
    all.into_iter()
        .filter(|p| get(root, p).is_some_and(keep))
        .collect()
}

fn apply(root: &mut Value, mutation: &Mutation) {
    let pick = |index: &Index, keep: &dyn Fn(&Value) -> bool, root: &Value| {
        let paths = paths_where(root, keep);
        (!paths.is_empty()).then(|| index.get(&paths).clone())
    };
    match mutation {
        Mutation::Delete(at) => {
            let mut all = Vec::new();
            value_paths(root, &mut Vec::new(), &mut all);
            if all.is_empty() {
                return;
            }
            let path = at.get(&all);
            let (last, parent) = path.split_last().expect("non-root path");
            match (last, get_mut(root, parent)) {
                (Seg::Key(k), Some(Value::Table(t))) => {
                    t.remove(k);
                }
                (Seg::Index(i), Some(Value::Array(a))) => {
                    a.remove(*i);
                }
                _ => {}
            }
        }
        Mutation::Replace(at, value) => {
            let mut all = Vec::new();
            value_paths(root, &mut Vec::new(), &mut all);
            if !all.is_empty() {
                let path = at.get(&all).clone();
                *get_mut(root, &path).expect("path exists") = value.clone();
            }
        }
        Mutation::SwapType(at, choice) => {
            let mut all = Vec::new();
            value_paths(root, &mut Vec::new(), &mut all);
            if !all.is_empty() {
                let path = at.get(&all).clone();
                let slot = get_mut(root, &path).expect("path exists");
                *slot = swap_type(slot, *choice);
            }
        }
        Mutation::Insert(at, key, value) => {
            if let Some(path) = pick(at, &|v| v.is_table(), &*root)
                && let Some(Value::Table(t)) = get_mut(root, &path)
            {
                t.insert(key.clone(), value.clone());
            }
        }
        Mutation::Repeat(at, times, filler) => {
            if let Some(path) = pick(at, &|v| v.is_array(), &*root)
                && let Some(Value::Array(a)) = get_mut(root, &path)
            {
                let item = a.first().cloned().unwrap_or_else(|| filler.clone());
                let times = (*times).min(MAX_DOC_WEIGHT / 2 / weight(&item));
                a.extend(std::iter::repeat_n(item, times));
            }
        }
        Mutation::Retime(at, text) => {
            if let Some(path) = pick(at, &|v| v.is_str(), &*root) {
                *get_mut(root, &path).expect("path exists") = Value::String(text.clone());
            }
        }
        Mutation::Renumber(at, number) => {
            let numeric = |v: &Value| v.is_integer() || v.is_float();
            if let Some(path) = pick(at, &numeric, &*root) {
                *get_mut(root, &path).expect("path exists") = number.clone();
            }
        }
    }
}

/// Approximate serialised size of a value, bytes.
fn weight(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len() + 2,
        Value::Array(items) => 2 + items.iter().map(weight).sum::<usize>(),
        Value::Table(t) => {
            2 + t
                .iter()
                .map(|(k, v)| k.len() + 4 + weight(v))
                .sum::<usize>()
        }
        _ => 24,
    }
}

/// The same content in another TOML type, where that makes sense.
fn swap_type(value: &Value, choice: u8) -> Value {
    let options: Vec<Value> = match value {
        Value::Integer(i) => vec![
            Value::Float(*i as f64),
            Value::String(i.to_string()),
            Value::Boolean(*i != 0),
            Value::Array(vec![Value::Integer(*i)]),
        ],
        Value::Float(f) => vec![
            Value::Integer(*f as i64),
            Value::String(f.to_string()),
            Value::Array(vec![Value::Float(*f)]),
        ],
        Value::String(s) => vec![
            Value::Integer(s.len() as i64),
            Value::Float(
                s.trim_end_matches(char::is_alphabetic)
                    .parse()
                    .unwrap_or(0.0),
            ),
            Value::Array(vec![Value::String(s.clone())]),
            Value::Table(Table::from_iter([("value".to_string(), value.clone())])),
            Value::Boolean(true),
        ],
        Value::Boolean(b) => vec![Value::Integer(i64::from(*b)), Value::String(b.to_string())],
        Value::Datetime(d) => vec![Value::String(d.to_string())],
        Value::Array(items) => vec![
            items.first().cloned().unwrap_or(Value::Table(Table::new())),
            Value::Table(Table::new()),
            Value::String(String::new()),
        ],
        Value::Table(t) => vec![
            Value::Array(vec![Value::Table(t.clone())]),
            Value::Array(vec![Value::Table(t.clone()), Value::Table(t.clone())]),
            Value::Array(Vec::new()),
            Value::String(String::new()),
        ],
    };
    options[usize::from(choice) % options.len()].clone()
}

// ---------------------------------------------------------------- value strategies

fn extreme_integer() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => prop::sample::select(vec![
            0,
            -1,
            1,
            2,
            i64::MAX,
            i64::MIN,
            i64::from(u32::MAX),
            100_000,
            100_001,
            10_000,
            10_001,
            1_000_000_000,
        ]),
        1 => any::<i64>(),
        1 => 0i64..200,
    ]
}

fn extreme_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => prop::sample::select(vec![
            0.0,
            -0.0,
            -1.0,
            1.0,
            1e308,
            -1e308,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            5e-324,
            1e-300,
            1e-160,
            10.0,
            10.000_000_001,
            1e7,
            1e7 + 1.0,
        ]),
        1 => any::<f64>(),
        1 => 0.0f64..2.0,
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        extreme_integer().prop_map(Value::Integer),
        extreme_float().prop_map(Value::Float),
    ]
}

/// Strings that look like durations: valid ones with odd numbers, and broken ones.
fn duration_text() -> BoxedStrategy<String> {
    let number = prop_oneof![
        (0u32..100_000).prop_map(|n| n.to_string()),
        (0.0f64..100_000.0).prop_map(|x| x.to_string()),
        (0.0f64..1000.0).prop_map(|x| format!("{x:.7}")),
        prop::sample::select(vec![
            "0",
            ".5",
            "5.",
            ".",
            "1..2",
            "60.0000004",
            "0.0000001",
            "1e3",
            "-5",
            "",
            "99999999999999999999999999999999999999",
            "1797693134862315708145274284953720000000000000000000000000000000000000000000000\
             0000000000000000000000000000000000000000000000000000000000000000000000000000000\
             0000000000000000000000000000000000000000000000000000000000000000000000000000000\
             0000000000000000000000000000000000000000000000000000000000000000000000000000000",
        ])
        .prop_map(str::to_string),
    ];
    let unit = prop_oneof![
        4 => prop::sample::select(vec!["ms", "s", "m", "h", "d", "w"]),
        1 => prop::sample::select(vec!["", "x", "M", "µs", " s", "sec", "é", "mss"]),
    ];
    let part = (number, unit).prop_map(|(n, u)| format!("{n}{u}"));
    let pad = prop::sample::select(vec!["", " ", "\t", "\n"]);
    (pad.clone(), prop::collection::vec(part, 1..4), pad)
        .prop_map(|(a, parts, b)| format!("{a}{}{b}", parts.concat()))
        .boxed()
}

fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        2 => duration_text(),
        1 => prop::collection::vec(any::<char>(), 0..40).prop_map(String::from_iter),
        1 => (1usize..20_000, any::<char>()).prop_map(|(n, c)| c.to_string().repeat(n)),
        2 => prop::sample::select(vec![
            "", " ", ".", "..", "a/b", "a\\b", "\u{0}", "\u{202e}evil", "voice", "chat",
            "email", "messaging", "exponential", "lognormal", "gamma", "fixed", "uniform",
            "fifo", "Voice", "vo ice", "🦀", "null", "nan", "inf",
        ])
        .prop_map(str::to_string),
    ]
    .boxed()
}

fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => number(),
        3 => hostile_string().prop_map(Value::String),
        1 => any::<bool>().prop_map(Value::Boolean),
        1 => prop::sample::select(vec![
            "1979-05-27T07:32:00Z",
            "1979-05-27",
            "07:32:00",
            "1979-05-27T00:32:00.999999-07:00",
        ])
        .prop_map(|d| Value::Datetime(d.parse().expect("valid datetime"))),
    ]
    .boxed()
}

/// Keys the scenario format knows (anywhere), plus unknown ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "name", "description", "simulation", "seed", "horizon", "warmup",
            "replications", "interval", "demand", "stream", "channel", "rate_per_hour",
            "patience", "service_level", "within", "target", "team", "agents",
            "channels", "handle_time", "dist", "mean", "cv", "value", "min", "max",
            "routing", "strategy", "voice", "chat", "email",
        ])
        .prop_map(str::to_string),
        1 => hostile_string(),
    ]
}

fn hostile_value() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => scalar(),
        1 => Just(Value::Table(Table::new())),
        1 => Just(Value::Array(Vec::new())),
        1 => prop::collection::vec(scalar(), 1..8).prop_map(Value::Array),
        1 => (0usize..2000, scalar()).prop_map(|(n, v)| {
            let n = n.min(MAX_DOC_WEIGHT / 4 / weight(&v));
            Value::Array(vec![v; n])
        }),
        1 => prop::collection::btree_map(key(), scalar(), 1..4)
            .prop_map(|m| Value::Table(m.into_iter().collect())),
    ]
    .boxed()
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => any::<Index>().prop_map(Mutation::Delete),
        2 => (any::<Index>(), hostile_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, c)| Mutation::SwapType(i, c)),
        1 => (any::<Index>(), key(), hostile_value())
            .prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
        1 => (any::<Index>(), 1usize..2000, scalar())
            .prop_map(|(i, n, v)| Mutation::Repeat(i, n, v)),
        3 => (any::<Index>(), duration_text()).prop_map(|(i, t)| Mutation::Retime(i, t)),
        3 => (any::<Index>(), number()).prop_map(|(i, n)| Mutation::Renumber(i, n)),
    ]
}

/// A seed scenario with one to four mutations, serialised back to TOML text.
fn mutated_document() -> impl Strategy<Value = String> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..5)).prop_map(|(seed, mutations)| {
        let mut root = Value::Table(seed_table(&seed));
        for m in &mutations {
            if weight(&root) > MAX_DOC_WEIGHT {
                break;
            }
            apply(&mut root, m);
        }
        let Value::Table(table) = root else {
            unreachable!("the root stays a table")
        };
        toml::to_string(&table).expect("a toml::Table always serialises")
    })
}

// ---------------------------------------------------------------- valid but weird

/// A duration in seconds as text: shortest float form, or fixed 7 decimals
/// (sub-microsecond fractions are where the engine's µs clock rounds).
fn seconds_text(s: f64, fixed: bool) -> String {
    if fixed {
        format!("{s:.7}s")
    } else {
        format!("{s}s")
    }
}

/// (horizon, warm-up, interval) as text: the horizon is a whole number of
/// intervals plus a jitter of a fraction of a microsecond or more, the
/// boundary where a float count of intervals and the engine's integer clock
/// can disagree. The horizon stays within [`CAP_HORIZON_S`] so the engine run
/// sees it unchanged.
fn simulation_times() -> impl Strategy<Value = (String, String, String)> {
    let interval_s = prop_oneof![
        prop::sample::select(vec![60.0, 300.0, 900.0, 1800.0, 3600.0, 86_400.0]),
        60.0f64..86_400.0,
        (
            60u32..3600,
            prop::sample::select(vec![1e-7, 4e-7, 5e-7, 6e-7, 1e-6])
        )
            .prop_map(|(s, f)| f64::from(s) + f),
    ];
    let jitter_s = prop::sample::select(vec![
        0.0, 1e-7, -1e-7, 4e-7, 6e-7, 1e-6, -1e-6, 1.3e-6, 0.5, -0.5,
    ]);
    let warmup = prop_oneof![
        prop::sample::select(vec!["0s", "1h", "30m", "0.0000004s"]).prop_map(str::to_string),
        (0.0f64..CAP_WARMUP_S, any::<bool>()).prop_map(|(s, f)| seconds_text(s, f)),
    ];
    (
        interval_s,
        any::<u32>(),
        jitter_s,
        warmup,
        any::<[bool; 2]>(),
    )
        .prop_map(|(interval_s, k, jitter_s, warmup, [fixed_h, fixed_i])| {
            let max_k = (CAP_HORIZON_S / interval_s).floor().max(1.0) as u32;
            let k = 1 + k % max_k;
            let horizon_s = (f64::from(k) * interval_s + jitter_s).clamp(60.0, CAP_HORIZON_S);
            (
                seconds_text(horizon_s, fixed_h),
                warmup,
                seconds_text(interval_s, fixed_i),
            )
        })
}

/// A duration parameter in (0, 30 days], as text.
fn param_s() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "1ms",
            "0.5s",
            "20s",
            "3m",
            "6m20s",
            "1h",
            "30d",
            "0.0000004s"
        ])
        .prop_map(str::to_string),
        (0.001f64..3600.0, any::<bool>()).prop_map(|(s, f)| seconds_text(s, f)),
        (0.001f64..2_592_000.0, any::<bool>()).prop_map(|(s, f)| seconds_text(s, f)),
    ]
}

fn cv() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(vec![1e-9, 1e-3, 0.5, 1.0, 3.0, 10.0]),
        0.01f64..=10.0,
    ]
}

/// A valid distribution table of any kind, with odd but allowed parameters.
fn valid_dist() -> impl Strategy<Value = Value> {
    let table = |pairs: Vec<(&str, Value)>| {
        Value::Table(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    let s = |t: String| Value::String(t);
    prop_oneof![
        param_s().prop_map(move |m| table(vec![("dist", s("exponential".into())), ("mean", s(m))])),
        (
            prop::sample::select(vec!["lognormal", "gamma"]),
            param_s(),
            cv()
        )
            .prop_map(move |(d, m, cv)| table(vec![
                ("dist", s(d.into())),
                ("mean", s(m)),
                ("cv", Value::Float(cv)),
            ])),
        prop_oneof![Just("0s".to_string()), param_s()]
            .prop_map(move |v| table(vec![("dist", s("fixed".into())), ("value", s(v))])),
        (0.0f64..3600.0, 0.0f64..3600.0, any::<bool>()).prop_map(move |(a, b, f)| {
            let (lo, hi) = if f { (a, a) } else { (a.min(b), a.max(b)) };
            table(vec![
                ("dist", s("uniform".into())),
                ("min", s(seconds_text(lo, true))),
                ("max", s(seconds_text(hi, true))),
            ])
        }),
    ]
}

fn rate() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![0.0, 1e-9, 0.5, 1.0, 360.0]).prop_map(Value::Float),
        (0.0f64..2000.0).prop_map(Value::Float),
        (0i64..2000).prop_map(Value::Integer),
    ]
}

#[derive(Debug, Clone)]
struct Weird {
    seed: Index,
    times: (String, String, String),
    sim_seed: i64,
    rates: Vec<Value>,
    agents: Vec<i64>,
    handle: Vec<Value>,
    patience: Vec<Option<Value>>,
    within: Vec<(String, f64)>,
}

fn weird() -> impl Strategy<Value = Weird> {
    (
        any::<Index>(),
        simulation_times(),
        0i64..=i64::MAX,
        prop::collection::vec(rate(), 1..4),
        prop::collection::vec(prop_oneof![Just(0i64), 1i64..80], 1..4),
        prop::collection::vec(valid_dist(), 1..4),
        prop::collection::vec(prop::option::of(valid_dist()), 1..4),
        prop::collection::vec((param_s(), 0.0f64..=1.0), 1..4),
    )
        .prop_map(
            |(seed, times, sim_seed, rates, agents, handle, patience, within)| Weird {
                seed,
                times,
                sim_seed,
                rates,
                agents,
                handle,
                patience,
                within,
            },
        )
}

/// Puts the weird-but-valid values into a seed scenario.
fn weird_document(w: &Weird) -> String {
    let mut doc = seed_table(&w.seed);
    let pick = |list: &[Value], i: usize| list[i % list.len()].clone();
    let sim = doc
        .entry("simulation")
        .or_insert_with(|| Value::Table(Table::new()));
    if let Value::Table(sim) = sim {
        let (h, wu, i) = w.times.clone();
        sim.insert("horizon".into(), Value::String(h));
        sim.insert("warmup".into(), Value::String(wu));
        sim.insert("interval".into(), Value::String(i));
        sim.insert("seed".into(), Value::Integer(w.sim_seed));
    }
    if let Some(Value::Table(demand)) = doc.get_mut("demand")
        && let Some(Value::Array(streams)) = demand.get_mut("stream")
    {
        for (i, stream) in streams.iter_mut().enumerate() {
            if let Value::Table(t) = stream {
                t.insert("rate_per_hour".into(), pick(&w.rates, i));
            }
        }
    }
    if let Some(Value::Array(teams)) = doc.get_mut("team") {
        for (i, team) in teams.iter_mut().enumerate() {
            // Only keys the seed already uses: a team on shifts takes no
            // `agents`, one whose handle times come from intents no `handle_time`.
            if let Value::Table(t) = team {
                if t.contains_key("agents") {
                    let agents = w.agents[i % w.agents.len()];
                    t.insert("agents".into(), Value::Integer(agents));
                }
                if t.contains_key("handle_time") {
                    t.insert("handle_time".into(), pick(&w.handle, i));
                }
            }
        }
    }
    if let Some(Value::Table(channels)) = doc.get_mut("channel") {
        for (i, (_, channel)) in channels.iter_mut().enumerate() {
            if let Value::Table(t) = channel {
                match &w.patience[i % w.patience.len()] {
                    Some(d) => t.insert("patience".into(), d.clone()),
                    None => t.remove("patience"),
                };
                let (within, target) = &w.within[i % w.within.len()];
                let sl = Table::from_iter([
                    ("within".to_string(), Value::String(within.clone())),
                    ("target".to_string(), Value::Float(*target)),
                ]);
                t.insert("service_level".into(), Value::Table(sl));
            }
        }
    }
    toml::to_string(&doc).expect("a toml::Table always serialises")
}

// ---------------------------------------------------------------- checks

/// Loads `text`; on error checks the message, on success runs the engine.
fn check_document(text: &str) -> Result<(), TestCaseError> {
    let loaded = catch_unwind(|| Scenario::from_toml_str(text, FILE));
    let Ok(result) = loaded else {
        return Err(TestCaseError::fail(format!(
            "from_toml_str panicked on:\n{text}"
        )));
    };
    match result {
        Err(err) => check_error(&err, text, true),
        Ok(scenario) => run_capped(scenario, text),
    }
}

/// The error names the file; with `needs_path`, every issue names a key path
/// and the rendered message shows it (the brief asks for at least one; every
/// one holds, so the stronger check is made).
fn check_error(err: &ScenarioError, text: &str, needs_path: bool) -> Result<(), TestCaseError> {
    let shown = err.to_string();
    prop_assert!(shown.contains(FILE), "file not named: {shown}\n---\n{text}");
    prop_assert!(!err.issues().is_empty(), "no issue listed: {shown}");
    if needs_path {
        // An empty path is only acceptable for a key that is itself empty
        // (`"" = 0` at the top level), and then the position must be given.
        for issue in err.issues() {
            let named = !issue.path.is_empty() && shown.contains(&format!("`{}`", issue.path));
            let located_empty_key = issue.path.is_empty()
                && issue.position.is_some()
                && issue.message.contains("unknown field ``");
            prop_assert!(
                named || located_empty_key,
                "issue without a key path: {issue}\n--- in:\n{shown}\n--- for:\n{text}"
            );
        }
    }
    Ok(())
}

/// Runs replication 0 with a capped horizon and checks its bookkeeping.
fn run_capped(mut scenario: Scenario, text: &str) -> Result<(), TestCaseError> {
    let sim = &mut scenario.simulation;
    sim.horizon_s = sim.horizon_s.min(CAP_HORIZON_S);
    sim.warmup_s = sim.warmup_s.min(CAP_WARMUP_S);
    sim.replications = 1;
    let simulated_h = (sim.horizon_s + sim.warmup_s) / 3600.0;
    // A generous bound on contacts: every source at its peak rate, times the
    // largest special-day multiplier, with room for day-to-day noise.
    let peak_per_h: f64 = scenario
        .sources
        .iter()
        .map(|s| s.rate.rates_per_s.iter().copied().fold(0.0, f64::max) * 3600.0)
        .sum();
    let special = scenario
        .regions
        .iter()
        .flat_map(|r| r.special_days.iter().map(|d| d.1))
        .fold(1.0, f64::max);
    let day_cv = scenario
        .regions
        .iter()
        .map(|r| r.day_cv)
        .fold(0.0, f64::max);
    let expected = peak_per_h * special * (1.0 + 4.0 * day_cv) * simulated_h;
    let agents: u64 = scenario
        .teams
        .iter()
        .map(|t| u64::from(t.headcount()))
        .sum();
    if expected.is_nan() || expected > MAX_EXPECTED_CONTACTS || agents > MAX_AGENTS {
        return Ok(());
    }
    let ran = catch_unwind(AssertUnwindSafe(|| run_replication(&scenario, 0)));
    let Ok(stats) = ran else {
        return Err(TestCaseError::fail(format!(
            "run_replication panicked on a valid scenario (capped: {:?}):\n{text}",
            scenario.simulation
        )));
    };
    let total = stats.contact_total();
    let ended = total.answered + total.abandoned;
    prop_assert!(ended <= total.offered, "{total:?}\n{text}");
    prop_assert!(total.answered_within <= total.answered, "{total:?}\n{text}");
    if stats.stranded == 0 {
        prop_assert_eq!(ended, total.offered, "contacts lost\n{}", text);
    }
    // An always-on team without absence or attrition is available agents ×
    // horizon over all intervals; busy time never exceeds available time.
    let horizon_s = scenario.simulation.horizon_s;
    for (t, team) in scenario.teams.iter().enumerate() {
        let Some(agents) = team.always_on() else {
            continue;
        };
        if team.shrinkage != 0.0 || team.attrition.is_some() {
            continue;
        }
        let available_s = stats.team_total(|i| i == t).available_s;
        let expected_s = f64::from(agents) * horizon_s;
        prop_assert!(
            (available_s - expected_s).abs() <= 1e-6 * (1.0 + expected_s),
            "team {} available {} s, expected {} s\n{}",
            t,
            available_s,
            expected_s,
            text
        );
    }
    for cell in stats.team_cells() {
        prop_assert!(
            cell.busy_s <= cell.available_s * (1.0 + 1e-9) + 1e-6,
            "busy {} > available {}\n{}",
            cell.busy_s,
            cell.available_s,
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// Structured mutations of valid scenarios.
    #[test]
    fn mutated_scenarios_load_or_explain(text in mutated_document()) {
        check_document(&text)?;
    }

    /// Valid scenarios with odd but allowed values (sub-microsecond durations,
    /// horizons at a whole number of intervals ± a jitter, every distribution
    /// kind, zero agents or rates): must load, and must run in the engine.
    #[test]
    fn weird_but_valid_scenarios_run(w in weird()) {
        let text = weird_document(&w);
        match Scenario::from_toml_str(&text, FILE) {
            Ok(scenario) => run_capped(scenario, &text)?,
            Err(err) => prop_assert!(false, "valid scenario rejected: {}\n---\n{}", err, text),
        }
    }

    /// Text-level damage (truncation, insertion, deletion) of valid scenarios:
    /// mostly syntax errors, which must still name the file.
    #[test]
    fn damaged_text_never_panics(
        seed in any::<Index>(),
        cut in any::<Index>(),
        len in 0usize..64,
        insert in prop::option::of(hostile_string()),
    ) {
        let (_, original) = seed.get(seeds());
        let chars: Vec<char> = original.chars().collect();
        let at = cut.index(chars.len() + 1);
        let end = (at + len).min(chars.len());
        let mut text: String = chars[..at].iter().collect();
        text.extend(insert.as_deref());
        text.extend(&chars[end..]);
        let loaded = catch_unwind(|| Scenario::from_toml_str(&text, FILE));
        let Ok(result) = loaded else {
            return Err(TestCaseError::fail(format!("from_toml_str panicked on:\n{text}")));
        };
        match result {
            Err(err) => check_error(&err, &text, false)?,
            Ok(scenario) => run_capped(scenario, &text)?,
        }
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// The CLI maps every mutated or damaged file to exit 0 or 2, never a panic (101).
    #[test]
    fn cli_validate_exits_0_or_2(
        doc in mutated_document(),
        junk in prop::option::of((any::<Index>(), prop::collection::vec(any::<u8>(), 1..16))),
    ) {
        let mut bytes = doc.into_bytes();
        if let Some((at, junk)) = junk {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, junk);
        }
        let dir = scratch("hostile-cli");
        let file = dir.join("h.toml");
        std::fs::write(&file, &bytes).expect("write scenario");
        let out = cxsim(&["validate", file.to_str().expect("utf-8 path")]);
        let (_, stderr) = text(&out);
        let code = out.status.code();
        prop_assert!(
            code == Some(0) || code == Some(2),
            "exit {:?}; stderr: {}\n--- file:\n{}",
            code,
            stderr,
            String::from_utf8_lossy(&bytes)
        );
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        if code == Some(2) {
            prop_assert!(stderr.contains("h.toml"), "file not named: {}", stderr);
        }
    }
}

// ---------------------------------------------------------------- pinned cases

/// The unmutated seeds load and run: the properties above start from valid input.
#[test]
fn every_seed_loads_and_runs() {
    for (name, text) in seeds() {
        let scenario = Scenario::from_toml_str(text, FILE)
            .unwrap_or_else(|e| panic!("seed {name} should be valid: {e}"));
        run_capped(scenario, text).unwrap_or_else(|e| panic!("seed {name}: {e}"));
    }
}

/// Deep nesting hits the TOML parser's recursion limit: an error, not a stack overflow.
#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    for text in [
        format!("name = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        format!("name = {}1{}\n", "{a=".repeat(depth), "}".repeat(depth)),
        format!("{} = 1\n", vec!["a"; depth].join(".")),
        format!("[{}]\n", vec!["a"; depth].join(".")),
    ] {
        let err = Scenario::from_toml_str(&text, FILE).expect_err("deep nesting is rejected");
        assert!(err.to_string().contains(FILE), "{err}");
    }
}

/// SMALL with the given horizon and interval (no warm-up).
fn small_with_times(horizon: &str, interval: &str) -> String {
    SMALL
        .replacen("horizon = \"2d\"", &format!("horizon = \"{horizon}\""), 1)
        .replacen("warmup = \"2h\"", "warmup = \"0s\"", 1)
        .replacen(
            "interval = \"1h\"",
            &format!("interval = \"{interval}\""),
            1,
        )
}

/// Found by `weird_but_valid_scenarios_run`. The interval's sub-microsecond
/// fraction is rounded away on the engine's µs clock (60.0000004 s → 60 s), so
/// the horizon (120.0000008 s → 120,000,001 µs) spans three tick intervals while
/// `Simulation::intervals()` counted two in floating point: busy time and
/// arrivals in the last microsecond indexed interval 2 of 2 and panicked.
#[test]
fn interval_rounded_down_by_the_clock_does_not_overflow_the_stats() {
    let text = small_with_times("120.0000008s", "60.0000004s");
    let scenario = Scenario::from_toml_str(&text, FILE).expect("valid scenario");
    run_capped(scenario, &text).unwrap_or_else(|e| panic!("{e}"));
}

/// The mirror case: the interval rounds *up* (60.0000006 s → 60,000,001 µs), so
/// the horizon (120,000,001 µs) holds two clock intervals, but the float count
/// was three: a phantom third interval starting after the horizon's end (an
/// empty row in the reports; in the first engine its available time underflowed).
#[test]
fn interval_rounded_up_by_the_clock_adds_no_phantom_interval() {
    let text = small_with_times("120.0000013s", "60.0000006s");
    let scenario = Scenario::from_toml_str(&text, FILE).expect("valid scenario");
    assert_eq!(scenario.simulation.intervals(), 2);
    run_capped(scenario, &text).unwrap_or_else(|e| panic!("{e}"));
}

/// Finding, not fixed (src/scenario/validate/demand.rs, `trace_sources`): a
/// trace's cycle runs from its first to its last interval, at the smallest gap
/// between rows, for *every* series. One row two years out and one 60 s gap
/// make each (region, channel) series ~1,000,000 slots (8 MB); 300 regions in
/// a 9 KB file hold 2.4 GB, and `cxsim run` on it peaks at 2.4 GB for one
/// replication of one day (3,000 regions in 90 KB: ~24 GB, out of memory).
/// The validator should bound the total slots (or store series sparsely).
#[test]
fn sparse_trace_spanning_two_years_is_bounded() {
    let dir = scratch("hostile-sparse-trace");
    let mut csv = String::from("interval_start,channel,region,contacts\n");
    csv.push_str("2026-11-02 00:01,voice,r0,1\n2028-10-01 00:00,voice,r0,1\n");
    for r in 0..300 {
        csv.push_str(&format!("2026-11-02 00:00,voice,r{r},1\n"));
    }
    std::fs::write(dir.join("t.csv"), csv).expect("write trace");
    let scenario = "name = \"t\"\n[simulation]\nhorizon = \"1d\"\n[demand]\ntrace = \"t.csv\"\n\
        [[team]]\nname = \"a\"\nagents = 1\nchannels = [\"voice\"]\n\
        handle_time = { dist = \"exponential\", mean = \"3m\" }\n";
    let file = dir.join("s.toml");
    std::fs::write(&file, scenario).expect("write scenario");
    match Scenario::from_path(&file) {
        Err(err) => assert!(err.to_string().contains("demand.trace"), "{err}"),
        Ok(s) => {
            let slots: usize = s.sources.iter().map(|x| x.rate.rates_per_s.len()).sum();
            assert!(
                slots <= 10_000_000,
                "{slots} rate slots (8 bytes each) in memory"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
