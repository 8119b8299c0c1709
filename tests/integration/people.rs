//! The people model against its specification: shifts and breaks, shrinkage,
//! fatigue, concurrency, assist and attrition.
//!
//! Statistical rules (fixed seeds): binomial and Poisson counts within
//! z(0.9995) = 3.29 standard deviations; ratios of means within their 99.9%
//! Student-t interval over replications.

use super::support::{Z_999, scenario};
use cxsim::engine::{RunOptions, run_replication, simulate};
use cxsim::metrics::{ReplicationStats, TeamStats, mean_ci};

fn team_cell(r: &ReplicationStats, interval: usize, team: usize) -> &TeamStats {
    &r.team_cells()[interval * r.teams + team]
}

const OFFICE: &str = r#"
name = "office"
[simulation]
seed = 4
start = 2026-11-02
horizon = "14d"
warmup = "0s"
replications = 1
interval = "30m"
[[demand.stream]]
channel = "voice"
rate_per_hour = 100
[[team]]
name = "office"
channels = ["voice"]
handle_time = { dist = "fixed", value = "1m" }
shrinkage = SHRINK
[[team.shift]]
start = "09:00"
length = "8h"
days = ["mon", "tue", "wed", "thu", "fri"]
agents = 12
breaks = [ { after = "3h", length = "30m" } ]
"#;

#[test]
fn nobody_starts_work_off_shift_or_on_break() {
    let s = scenario(&OFFICE.replace("SHRINK", "0.0"));
    let r = run_replication(&s, 0);
    let mut worked = 0;
    for i in 0..r.intervals() {
        let minute = (i * 30) % (24 * 60);
        let day = i * 30 / (24 * 60) % 7;
        let on_shift = day < 5 && (9 * 60..17 * 60).contains(&minute) && minute != 12 * 60;
        let cell = team_cell(&r, i, 0);
        if on_shift {
            worked += cell.started;
            assert!(cell.available_s > 0.0, "interval {i} should have agents");
        } else {
            assert_eq!(
                cell.started, 0,
                "contact started at interval {i} (day {day}, minute {minute})"
            );
            // Only a contact begun before the shift end or break may still run: ≤ 1 min each.
            assert!(
                cell.busy_s <= 12.0 * 60.0 + 1e-6,
                "interval {i}: busy {} s",
                cell.busy_s
            );
        }
    }
    assert!(worked > 10_000, "the shift did work: {worked}");
    // Night demand waits for the morning: the queue drains after 09:00, so nothing is stranded.
    assert_eq!(r.stranded, 0);
}

#[test]
fn shrinkage_removes_its_share_of_scheduled_time() {
    let share: f64 = 0.3;
    let s = scenario(
        &OFFICE
            .replace("SHRINK", &share.to_string())
            .replace("horizon = \"14d\"", "horizon = \"70d\""),
    );
    let r = run_replication(&s, 0);
    let total = r.team_total(|_| true);
    // Every agent-shift is 8 h: absences ~ Binomial(n, share) with n agent-shifts.
    let n = 12.0 * 50.0;
    let got = total.absent_s / total.scheduled_s;
    let sd = (share * (1.0 - share) / n).sqrt();
    assert!(
        (got - share).abs() <= Z_999 * sd,
        "realised shrinkage {got}, configured {share}"
    );
    assert!((total.scheduled_s - n * 8.0 * 3600.0).abs() < 1e-6);
}

const FATIGUE: &str = r#"
name = "fatigue"
[simulation]
seed = 9
start = 2026-11-02
horizon = "1d"
warmup = "0s"
replications = 1
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 2000
[[team]]
name = "t"
channels = ["voice"]
handle_time = { dist = "fixed", value = "2m" }
FATIGUE_LINE
[[team.shift]]
start = "08:00"
length = "9h"
agents = 10
"#;

#[test]
fn fatigue_off_is_byte_identical_and_on_raises_handle_time_with_hours() {
    let plain = scenario(&FATIGUE.replace("FATIGUE_LINE", ""));
    let zero = scenario(&FATIGUE.replace(
        "FATIGUE_LINE",
        "fatigue = { per_shift_hour = 0.0, per_busy_hour = 0.0, unresolved_per_busy_hour = 0.0 }",
    ));
    let a = run_replication(&plain, 0);
    let b = run_replication(&zero, 0);
    // Fatigue never draws random numbers, so a zero effect changes nothing at all.
    let stats_a = format!("{a:?}");
    let stats_b = format!("{b:?}");
    assert_eq!(stats_a, stats_b);

    let on = scenario(&FATIGUE.replace(
        "FATIGUE_LINE",
        "fatigue = { per_shift_hour = 0.01, per_busy_hour = 0.02 }",
    ));
    let r = run_replication(&on, 0);
    // Overloaded all shift: mean handle time by hour on shift (08:00 → hour 8).
    let aht: Vec<f64> = (8..17)
        .map(|h| team_cell(&r, h, 0).aht_s().unwrap())
        .collect();
    for w in aht.windows(2) {
        assert!(w[1] > w[0], "handle time must rise hour by hour: {aht:?}");
    }
    // First hour: at least 2 min; last hour: ≈ 2 min × (1 + 0.01·8.5 + 0.02·8.5) ≈ 2.5 min.
    assert!(
        aht[0] >= 120.0 && aht[8] > 140.0 && aht[8] < 160.0,
        "{aht:?}"
    );
}

fn chat_throughput(concurrency: u32) -> f64 {
    let s = scenario(&format!(
        r#"
name = "chat"
[simulation]
seed = 2
horizon = "2d"
warmup = "2h"
replications = 1
interval = "1h"
[[demand.stream]]
channel = "chat"
rate_per_hour = 2000
[[team]]
name = "chat"
agents = 10
channels = ["chat"]
handle_time = {{ dist = "fixed", value = "10m" }}
concurrency = {{ chat = {concurrency} }}
concurrency_slowdown = 0.25
"#
    ));
    let r = run_replication(&s, 0);
    let total = r.team_total(|_| true);
    assert!(
        total.max_sessions <= u64::from(concurrency),
        "{} sessions > {concurrency}",
        total.max_sessions
    );
    assert_eq!(
        total.max_sessions,
        u64::from(concurrency),
        "saturated: every slot is used"
    );
    // Contacts started per agent-hour over the 48 h horizon.
    total.started as f64 / (10.0 * 48.0)
}

#[test]
fn concurrency_caps_sessions_and_raises_throughput_as_the_slowdown_predicts() {
    for n in [1u32, 2, 3] {
        let got = chat_throughput(n);
        // Saturated: every session starts with n sessions held, so each lasts
        // 10 min × (1 + 0.25 (n − 1)) and an agent completes n of them per that time.
        let expected = 60.0 / 10.0 * f64::from(n) / (1.0 + 0.25 * f64::from(n - 1));
        // Boundary effects: at most n sessions per agent at each end of 48 h.
        let tol = 2.0 * f64::from(n) / 48.0;
        assert!(
            (got - expected).abs() <= tol,
            "N={n}: {got} per agent-hour, expected {expected}"
        );
    }
}

const ASSIST: &str = r#"
name = "assist"
[simulation]
seed = 17
horizon = "3d"
warmup = "0s"
replications = 10
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 200
[[intent]]
name = "general"
share = 1.0
handle_time = { voice = { dist = "lognormal", mean = "6m", cv = 0.8 } }
[[team]]
name = "t"
agents = 60
channels = ["voice"]
wrap_up = { voice = { dist = "exponential", mean = "45s" } }
assist = "MODE"
"#;

#[test]
fn assist_reduces_handle_and_wrap_up_by_the_configured_factors() {
    let run = |mode: &str| {
        simulate(
            &scenario(&ASSIST.replace("MODE", mode)),
            &RunOptions::default(),
        )
        .unwrap()
    };
    let none = run("none");
    let realtime = run("realtime");
    // Handle time: the intent's work content is drawn per contact at arrival
    // (common random numbers), so with no waiting every contact's handle time is
    // scaled exactly.
    for (n, r) in none.iter().zip(&realtime) {
        let (a, b) = (n.contact_total(), r.contact_total());
        assert_eq!(a.answered, b.answered);
        let ratio = b.handle_sum_s / a.handle_sum_s;
        assert!((ratio - 0.915).abs() < 1e-9, "handle ratio {ratio}");
    }
    // Wrap-up is drawn from the team's stream: compare means over replications.
    let wrap_ratio: Vec<f64> = none
        .iter()
        .zip(&realtime)
        .map(|(n, r)| r.contact_total().wrap_s().unwrap() / n.contact_total().wrap_s().unwrap())
        .collect();
    let (mean, half) = mean_ci(&wrap_ratio, 0.999);
    assert!(
        (mean.unwrap() - 0.6).abs() <= half.unwrap(),
        "wrap ratio {mean:?} ± {half:?}"
    );
    // none leaves handle and wrap at their configured means (6 min, 45 s).
    let aht: Vec<f64> = none
        .iter()
        .map(|r| r.contact_total().aht_s().unwrap())
        .collect();
    let (m, h) = mean_ci(&aht, 0.999);
    assert!(
        (m.unwrap() - 360.0).abs() <= h.unwrap(),
        "aht {m:?} ± {h:?}"
    );
    let wrap: Vec<f64> = none
        .iter()
        .map(|r| r.contact_total().wrap_s().unwrap())
        .collect();
    let (m, h) = mean_ci(&wrap, 0.999);
    assert!(
        (m.unwrap() - 45.0).abs() <= h.unwrap(),
        "wrap {m:?} ± {h:?}"
    );
}

fn attrition_run(rate_per_hour: f64, occupancy_factor: f64, seed: u64) -> (u64, f64) {
    let s = scenario(&format!(
        r#"
name = "attrition"
[simulation]
seed = {seed}
horizon = "52w"
warmup = "0s"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = {rate_per_hour}
[[team]]
name = "t"
agents = 200
channels = ["voice"]
handle_time = {{ dist = "exponential", mean = "5m" }}
attrition = {{ annual_rate = 0.4, occupancy_factor = {occupancy_factor}, repetitive_factor = 0.0, hire_lead = "0s", ramp = "0s" }}
"#
    ));
    let r = run_replication(&s, 0);
    let total = r.team_total(|_| true);
    (total.quits, total.occupancy().unwrap())
}

#[test]
fn quits_follow_the_hazard_and_rise_with_occupancy() {
    // Fixed hazard: 200 seats refilled at once, 52 weekly draws each.
    let (quits, _) = attrition_run(120.0, 0.0, 31);
    let p = 1.0 - (0.6f64.ln() / (365.25 / 7.0)).exp();
    let expected = 200.0 * 52.0 * p;
    assert!(
        (quits as f64 - expected).abs() <= Z_999 * expected.sqrt(),
        "{quits} quits, expected {expected:.1}"
    );
    // Burnout: at ≈ 97% occupancy with factor 3 the hazard is ≈ 3.4× the baseline.
    let (low, occ_low) = attrition_run(1200.0, 3.0, 32);
    let (high, occ_high) = attrition_run(2330.0, 3.0, 32);
    assert!(
        occ_low < 0.6 && occ_high > 0.93,
        "occupancies {occ_low} {occ_high}"
    );
    // Poisson counts: the difference exceeds 3.29 sd of the difference.
    let diff = high as f64 - low as f64;
    assert!(
        diff > Z_999 * ((high + low) as f64).sqrt(),
        "quits {low} (low load) vs {high} (high load)"
    );
}

#[test]
fn per_interval_staffing_follows_its_profile() {
    let base = |staffing: &str| {
        scenario(&format!(
            r#"
name = "per-interval"
[simulation]
seed = 12
horizon = "2d"
warmup = "2h"
replications = 1
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 360
[channel.voice]
patience = {{ dist = "exponential", mean = "3m" }}
[[team]]
name = "t"
{staffing}
channels = ["voice"]
handle_time = {{ dist = "exponential", mean = "3m" }}
"#
        ))
    };
    // A constant profile is the always-on team: same contacts, same outcomes.
    let flat = run_replication(&base("agents_per_interval = [20]"), 0);
    let always = run_replication(&base("agents = 20"), 0);
    assert_eq!(flat.contact_cells(), always.contact_cells());
    // A day profile: nobody from 00:00 to 06:00, 25 agents otherwise.
    let profile: Vec<String> = (0..24)
        .map(|h| if h < 6 { "0".into() } else { "25".into() })
        .collect();
    let r = run_replication(
        &base(&format!("agents_per_interval = [{}]", profile.join(", "))),
        0,
    );
    for i in 0..r.intervals() {
        let cell = team_cell(&r, i, 0);
        let on = i % 24 >= 6;
        assert_eq!(
            cell.started > 0,
            on,
            "interval {i}: started {}",
            cell.started
        );
        // Off intervals: only agents finishing a contact begun before 00:00
        // (overtime, which counts as available time) are logged in.
        let expected_available = if on { 25.0 * 3600.0 } else { cell.overtime_s };
        assert!(
            (cell.available_s - expected_available).abs() < 1e-6,
            "interval {i}: {cell:?}"
        );
    }
}

/// The weekly ledger adds up: headcount at a week's end is the previous
/// week's (the seats before the first) minus the week's quits plus its hires,
/// in every replication — with hires arriving days after a quit, agents who
/// quit mid-contact, shifts, and a horizon that is not whole weeks.
#[test]
fn weekly_headcount_ledger_adds_up() {
    let s = scenario(
        r#"
name = "ledger"
[simulation]
seed = 5
horizon = "38d"
warmup = "2d"
replications = 4
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 200
[[demand.stream]]
channel = "chat"
rate_per_hour = 60
[[team]]
name = "voice"
agents = 30
channels = ["voice"]
handle_time = { dist = "exponential", mean = "6m" }
attrition = { annual_rate = 0.95, occupancy_factor = 2.0, hire_lead = "3d", ramp = "5d" }
[[team]]
name = "chat"
agents = 12
channels = ["chat"]
concurrency = { chat = 2 }
handle_time = { dist = "exponential", mean = "10m" }
attrition = { annual_rate = 0.95, hire_lead = "9d" }
[[team]]
name = "instant"
agents = 10
channels = ["voice"]
handle_time = { dist = "exponential", mean = "6m" }
attrition = { annual_rate = 0.95, hire_lead = "0s", ramp = "0s" }
"#,
    );
    let reps = simulate(&s, &RunOptions::default()).unwrap();
    let teams = s.teams.len();
    let mut moves = 0;
    for r in &reps {
        let weeks = r.weeks.len() / teams;
        assert_eq!(weeks, 5, "whole weeks in 38 days");
        for t in 0..teams {
            let mut expected = s.teams[t].headcount();
            for w in 0..weeks {
                let cell = r.weeks[w * teams + t];
                expected = expected - cell.quits + cell.hires;
                moves += cell.quits + cell.hires;
                assert_eq!(cell.headcount, expected, "team {t} week {w}: {cell:?}");
            }
        }
    }
    assert!(moves > 20, "the test needs quits and hires: {moves}");
}

/// Net staffing (`agents_per_interval`) keeps seats on duty for days; hours-on-
/// shift fatigue must restart with each nominal shift (8.5 h), not grow without
/// bound: the per-interval fatigue multiplier never exceeds
/// 1 + per_shift_hour × 8.5 (busy-load fatigue off).
#[test]
fn net_staffing_fatigue_stays_within_a_shift() {
    let s = scenario(
        r#"
name = "net-fatigue"
[simulation]
seed = 3
horizon = "4d"
warmup = "0s"
replications = 1
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 100
[[team]]
name = "t"
agents_per_interval = [12]
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
fatigue = { per_shift_hour = 0.02, per_busy_hour = 0.0, unresolved_per_busy_hour = 0.0 }
"#,
    );
    let r = run_replication(&s, 0);
    let cap = 1.0 + 0.02 * cxsim::scenario::NOMINAL_SHIFT_H;
    let mut block = cxsim::metrics::Block::default();
    let mut reader = r.reader();
    let (mut max, mut last_day_max) = (0.0f64, 0.0f64);
    let mut i = 0;
    while reader.next_into(&mut block).unwrap() {
        if let Some(f) = block.team[0].mean_fatigue() {
            max = max.max(f);
            if i >= 72 {
                last_day_max = last_day_max.max(f);
            }
        }
        i += 1;
    }
    assert!(max <= cap + 1e-12, "fatigue multiplier {max} > {cap}");
    // The sawtooth restarts: day 4 reaches about as high as any day, not higher.
    assert!(last_day_max > 1.0 + 0.02 * 6.0, "day 4 max {last_day_max}");
}

/// `days_per_week` rotates days off: 100 agents on a six-day week are split
/// into seven groups (15, 15, 14, 14, 14, 14, 14), group g working the six days
/// from weekday g, so each day has 100 minus one group on duty (85 or 86),
/// and the engine schedules exactly that many shifts each day.
#[test]
fn days_per_week_rotates_days_off() {
    let s = scenario(
        r#"
name = "rotation"
[simulation]
seed = 1
horizon = "7d"
warmup = "0s"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[[team]]
name = "t"
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
[[team.shift]]
start = "09:00"
length = "8h"
agents = 100
days_per_week = 6
"#,
    );
    let cxsim::scenario::Staffing::Shifts(shifts) = &s.teams[0].staffing else {
        panic!("shift staffing");
    };
    let sizes: Vec<u32> = shifts.iter().map(|x| x.agents).collect();
    assert_eq!(sizes, [15, 15, 14, 14, 14, 14, 14]);
    assert_eq!(s.teams[0].headcount(), 100);
    let r = run_replication(&s, 0);
    let mut block = cxsim::metrics::Block::default();
    let mut reader = r.reader();
    for day in 0..7 {
        assert!(reader.next_into(&mut block).unwrap());
        let expected = 100 - sizes[(day + 1) % 7];
        for x in shifts {
            assert_eq!(x.days.iter().filter(|&&d| d).count(), 6);
        }
        assert_eq!(
            block.team[0].scheduled_s,
            f64::from(expected) * 8.0 * 3600.0,
            "day {day}"
        );
    }
    for (bad, what) in [
        ("days_per_week = 0", "1 to 7"),
        ("days_per_week = 8", "1 to 7"),
        ("days_per_week = 5\ndays = [\"mon\"]", "not both"),
    ] {
        let text = format!(
            "name = \"x\"\n[[demand.stream]]\nchannel = \"voice\"\nrate_per_hour = 1\n[[team]]\nname = \"t\"\nchannels = [\"voice\"]\nhandle_time = {{ dist = \"fixed\", value = \"1m\" }}\n[[team.shift]]\nstart = \"09:00\"\nlength = \"8h\"\nagents = 10\n{bad}\n"
        );
        let err = cxsim::scenario::Scenario::from_toml_str(&text, "r.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("days_per_week") && err.contains(what),
            "{bad}: {err}"
        );
    }
}
