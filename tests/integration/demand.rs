//! Demand generation against its specification: profiles, mixes, dispersion,
//! volumes, common random numbers and malformed inputs.
//!
//! Statistical rules (fixed seeds): counts per interval pass a chi-square
//! goodness-of-fit test at the 0.1% level (both tails: too regular is as
//! suspicious as too noisy); shares lie within z(0.9995) = 3.29 binomial standard
//! deviations; the daily-total variance lies in its 99.9% chi-square interval.

use super::support::*;
use cxsim::engine::run_replication;
use cxsim::metrics::{ReplicationStats, summarize};
use cxsim::scenario::Scenario;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// A team large and fast enough that staffing never matters here.
fn fast_team(channels: &str) -> String {
    format!(
        "[[team]]\nname = \"all\"\nagents = 400\nchannels = [{channels}]\nhandle_time = {{ dist = \"fixed\", value = \"1s\" }}\n"
    )
}

fn chi_square_check(scenario: &Scenario, stats: &ReplicationStats) {
    let interval_s = scenario.simulation.interval_s;
    let mut chi2 = 0.0;
    let mut cells = 0usize;
    for interval in 0..stats.intervals() {
        for (ci, _) in scenario.channels.iter().enumerate() {
            // Expected count: the sum over sources on this channel of rate × interval
            // (profiles are piecewise constant on slots that the interval aligns to).
            let offset = interval as f64 * interval_s;
            let expected: f64 = scenario
                .sources
                .iter()
                .filter(|s| s.channel == ci)
                .map(|s| {
                    let slots = (interval_s / s.rate.slot_s).round().max(1.0) as usize;
                    (0..slots)
                        .map(|k| {
                            s.rate.rate_at(offset + k as f64 * s.rate.slot_s)
                                * s.rate.slot_s.min(interval_s)
                        })
                        .sum::<f64>()
                })
                .sum();
            if expected <= 0.0 {
                continue;
            }
            let observed = stats.interval_channel(interval, ci).offered as f64;
            chi2 += (observed - expected).powi(2) / expected;
            cells += 1;
        }
    }
    let dist = ChiSquared::new(cells as f64).unwrap();
    let (lo, hi) = (dist.inverse_cdf(0.0005), dist.inverse_cdf(0.9995));
    assert!(
        (lo..=hi).contains(&chi2),
        "chi-square {chi2:.1} with {cells} df outside [{lo:.1}, {hi:.1}]"
    );
}

#[test]
fn counts_per_interval_follow_the_builtin_profiles() {
    let s = scenario(&format!(
        r#"
name = "profile-fit"
[simulation]
seed = 5
horizon = "7d"
warmup = "0s"
replications = 1
interval = "1h"
[[demand.region]]
name = "metro"
volume_per_week = 60000
profile = "metro"
channel_mix = {{ voice = 0.6, chat = 0.4 }}
[[demand.region]]
name = "tier2"
volume_per_week = 30000
profile = "tier2"
channel_mix = {{ voice = 0.7, chat = 0.3 }}
{}"#,
        fast_team("\"voice\", \"chat\"")
    ));
    let stats = run_replication(&s, 0);
    chi_square_check(&s, &stats);
    // Total volume: Poisson with mean 90,000; 4 standard deviations = 1,200.
    let total = stats.contact_total().offered as f64;
    assert!(
        (total - 90_000.0).abs() < 4.0 * 90_000f64.sqrt(),
        "total {total}"
    );
}

#[test]
fn counts_follow_a_custom_quarter_hour_profile_with_weekday_weights() {
    let intraday: Vec<String> = (0..96).map(|k| format!("{}", 1 + (k * 7) % 11)).collect();
    let s = scenario(&format!(
        r#"
name = "custom-fit"
[simulation]
seed = 8
start = 2026-11-04   # a Wednesday: the profile must start on its Wednesday column
horizon = "7d"
warmup = "3h"
replications = 1
interval = "15m"
[[demand.profile]]
name = "shop"
intraday = [{}]
weekday = [1, 1, 2, 1, 1, 3, 0.5]
[[demand.region]]
name = "online"
volume_per_day = 8000
profile = "shop"
channel_mix = {{ chat = 1.0 }}
{}"#,
        intraday.join(", "),
        fast_team("\"chat\"")
    ));
    // Wednesday weight 2 of 9.5 total: the first horizon day holds 7 × 8000 × 2 / 9.5.
    let first_day: f64 = (0..96)
        .map(|k| s.sources[0].rate.rate_at(k as f64 * 900.0) * 900.0)
        .sum();
    assert!(
        (first_day - 56_000.0 * 2.0 / 9.5).abs() < 1e-6,
        "{first_day}"
    );
    let stats = run_replication(&s, 0);
    chi_square_check(&s, &stats);
}

#[test]
fn attribute_shares_match_their_mixes() {
    let s = scenario(&format!(
        r#"
name = "mixes"
[simulation]
seed = 13
horizon = "7d"
warmup = "0s"
replications = 1
interval = "1d"
[[demand.region]]
name = "metro"
volume_per_week = 100000
channel_mix = {{ voice = 0.55, chat = 0.45 }}
language_mix = {{ english = 0.5, hindi = 0.3, tamil = 0.2 }}
value_mix = {{ standard = 0.8, gold = 0.15, platinum = 0.05 }}
[[intent]]
name = "billing"
share = 0.6
[[intent]]
name = "complaint"
share = 0.3
emotional = true
[[intent]]
name = "fraud"
share = 0.1
complexity = "high"
{}"#,
        fast_team("\"voice\", \"chat\"")
    ));
    let reps = vec![run_replication(&s, 0)];
    let summary = summarize(&s, &reps);
    let total = summary.overall.offered.mean.unwrap();
    let check = |what: &str, observed: f64, share: f64| {
        let sd = (total * share * (1.0 - share)).sqrt();
        assert!(
            (observed - total * share).abs() <= Z_999 * sd,
            "{what}: {observed} of {total}, expected share {share}"
        );
    };
    for (name, share) in [("voice", 0.55), ("chat", 0.45)] {
        check(
            name,
            summary.channels[name].kpis.offered.mean.unwrap(),
            share,
        );
    }
    for (name, share) in [("english", 0.5), ("hindi", 0.3), ("tamil", 0.2)] {
        check(name, summary.languages[name].offered.mean.unwrap(), share);
    }
    for (name, share) in [("standard", 0.8), ("gold", 0.15), ("platinum", 0.05)] {
        check(name, summary.tiers[name].offered.mean.unwrap(), share);
    }
    for (name, share) in [("billing", 0.6), ("complaint", 0.3), ("fraud", 0.1)] {
        check(name, summary.intents[name].offered.mean.unwrap(), share);
    }
}

#[test]
fn daily_totals_have_the_configured_over_dispersion() {
    let cv = 0.2;
    let per_day = 2000.0;
    let s = scenario(&format!(
        r#"
name = "dispersion"
[simulation]
seed = 21
horizon = "300d"
warmup = "0s"
replications = 1
interval = "1d"
[[demand.profile]]
name = "flat"
intraday = [{}]
[[demand.region]]
name = "r"
volume_per_day = {per_day}
profile = "flat"
day_cv = {cv}
channel_mix = {{ voice = 1.0 }}
{}"#,
        vec!["1"; 24].join(", "),
        fast_team("\"voice\"")
    ));
    let stats = run_replication(&s, 0);
    let days: Vec<f64> = (0..stats.intervals())
        .map(|d| stats.interval_channel(d, 0).offered as f64)
        .collect();
    let n = days.len() as f64;
    let mean = days.iter().sum::<f64>() / n;
    let var = days.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    // Poisson with a gamma(mean 1, cv) multiplier: Var = Λ + Λ² cv².
    let expected_var = per_day + per_day * per_day * cv * cv;
    let chi = ChiSquared::new(n - 1.0).unwrap();
    let lo = (n - 1.0) * var / chi.inverse_cdf(0.9995);
    let hi = (n - 1.0) * var / chi.inverse_cdf(0.0005);
    assert!(
        (lo..=hi).contains(&expected_var),
        "variance {var:.0}: 99.9% interval for the true variance [{lo:.0}, {hi:.0}] excludes {expected_var:.0}"
    );
    let mean_sd = (expected_var / n).sqrt();
    assert!((mean - per_day).abs() < Z_999 * mean_sd, "mean {mean}");
}

#[test]
fn staffing_and_patience_do_not_change_arrivals() {
    let base = std::fs::read_to_string(root().join("scenarios/metro_tier2_week.toml")).unwrap();
    let variant = base.replacen("agents = 118", "agents = 60", 1).replacen(
        "patience = { dist = \"exponential\", mean = \"3m\" }",
        "patience = { dist = \"exponential\", mean = \"1m\" }",
        1,
    );
    assert_ne!(base, variant);
    let a = run_replication(&scenario(&base), 2);
    let b = run_replication(&scenario(&variant), 2);
    let offered = |r: &ReplicationStats| -> Vec<u64> {
        r.contact_cells().iter().map(|c| c.offered).collect()
    };
    assert_eq!(
        offered(&a),
        offered(&b),
        "offered per interval × channel × region changed"
    );
    let by =
        |v: &[cxsim::metrics::ContactStats]| -> Vec<u64> { v.iter().map(|c| c.offered).collect() };
    assert_eq!(by(&a.intent), by(&b.intent));
    assert_eq!(by(&a.tier), by(&b.tier));
    assert_eq!(by(&a.language), by(&b.language));
    assert_ne!(
        a.contact_total().answered_within,
        b.contact_total().answered_within,
        "the variant must matter"
    );
}

fn validate_fails_with(text: &str, trace: Option<&str>, needles: &[&str]) {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = scratch(&format!("demand-bad-{n}"));
    std::fs::write(dir.join("s.toml"), text).unwrap();
    if let Some(t) = trace {
        std::fs::write(dir.join("t.csv"), t).unwrap();
    }
    let r = cxsim(&["validate", dir.join("s.toml").to_str().unwrap()]);
    let (_, stderr) = text_of(&r);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "expected {n:?} in: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn text_of(o: &std::process::Output) -> (String, String) {
    text(o)
}

const HEAD: &str = "name = \"bad\"\n[simulation]\nhorizon = \"1d\"\n";
const TEAM: &str = "[[team]]\nname = \"t\"\nagents = 5\nchannels = [\"voice\"]\nhandle_time = { dist = \"exponential\", mean = \"3m\" }\n";

#[test]
fn malformed_profiles_name_the_key() {
    let region = "[[demand.region]]\nname = \"r\"\nvolume_per_week = 1000\nprofile = \"p\"\nchannel_mix = { voice = 1.0 }\n";
    validate_fails_with(
        &format!(
            "{HEAD}[[demand.profile]]\nname = \"p\"\nintraday = [{}]\n{region}{TEAM}",
            vec!["1"; 23].join(",")
        ),
        None,
        &["demand.profile[0].intraday", "23 points", "24, 48 or 96"],
    );
    validate_fails_with(
        &format!(
            "{HEAD}[[demand.profile]]\nname = \"p\"\nintraday = [{}]\nweekday = [1,1,1]\n{region}{TEAM}",
            vec!["1"; 24].join(",")
        ),
        None,
        &["demand.profile[0].weekday", "exactly 7"],
    );
    validate_fails_with(
        &format!(
            "{HEAD}[[demand.region]]\nname = \"r\"\nvolume_per_week = -5\nchannel_mix = {{ voice = 1.0 }}\n{TEAM}"
        ),
        None,
        &["demand.region[0].volume_per_week", "-5"],
    );
    validate_fails_with(
        &format!(
            "{HEAD}[[demand.region]]\nname = \"r\"\nvolume_per_week = 100\nchannel_mix = {{ voice = 0.7, chat = 0.1 }}\n{TEAM}"
        ),
        None,
        &["demand.region[0].channel_mix", "sum to 0.8"],
    );
    validate_fails_with(
        &format!(
            "{HEAD}[[demand.region]]\nname = \"r\"\nvolume_per_week = 100\nprofile = \"suburb\"\nchannel_mix = {{ voice = 1.0 }}\n{TEAM}"
        ),
        None,
        &["demand.region[0].profile", "\"suburb\"", "metro"],
    );
    validate_fails_with(
        &format!(
            "{HEAD}[[demand.region]]\nname = \"r\"\nvolume_per_week = 100\nchannel_mix = {{ voice = 1.0 }}\nspecial_days = [{{ date = 2026-11-14, multiplier = 1.5 }}]\n{TEAM}"
        ),
        None,
        &["demand.region[0].special_days[0].date", "simulation.start"],
    );
    validate_fails_with(
        &format!(
            "{HEAD}[[demand.region]]\nname = \"r\"\nvolume_per_week = 100\nchannel_mix = {{ voice = 1.0 }}\nintent_mix = {{ refunds = 1.0 }}\n{TEAM}"
        ),
        None,
        &["demand.region[0].intent_mix.refunds", "unknown intent"],
    );
}

#[test]
fn malformed_traces_name_line_and_column() {
    let scenario = format!("{HEAD}[demand]\ntrace = \"t.csv\"\n{TEAM}");
    validate_fails_with(
        &scenario,
        Some(
            "interval_start,channel,contacts\n2026-11-02 00:00,voice,10\n2026-11-02 00:3O,voice,12\n",
        ),
        &["t.csv line 3, column 1", "not a timestamp"],
    );
    validate_fails_with(
        &scenario,
        Some("interval_start,channel,contacts\n2026-11-02 00:00,voice,-4\n"),
        &["t.csv line 2, column 3", "\"-4\""],
    );
    validate_fails_with(
        &scenario,
        Some("when,channel,contacts\n2026-11-02 00:00,voice,4\n"),
        &["t.csv line 1", "interval_start"],
    );
    validate_fails_with(
        &scenario,
        Some("interval_start,channel,contacts\n2026-11-02 00:00,fax,4\n"),
        &["no team serves channel \"fax\""],
    );
    validate_fails_with(
        &scenario,
        Some(
            "interval_start,channel,contacts\n2026-11-02 00:00,voice,4\n2026-11-02 00:10,voice,4\n2026-11-02 00:25,voice,4\n",
        ),
        &["line 4", "not aligned"],
    );
    validate_fails_with(
        &format!("{HEAD}[demand]\ntrace = \"missing.csv\"\n{TEAM}"),
        None,
        &["demand.trace", "missing.csv"],
    );
}
