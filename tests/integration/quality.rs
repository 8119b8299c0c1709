//! Closing the loop: scoring and detection, weekly feedback to the AI,
//! coaching, back-office outages.
//!
//! Statistical rules (fixed seeds): binomial counts within z(0.9995) = 3.29
//! standard deviations; everything else exact.

use super::support::{Z_999, scenario};
use cxsim::engine::run_replication;
use cxsim::metrics::{ContactStats, ReplicationStats};
use cxsim::scenario::Scenario;
use cxsim::scenario::ai::{CAUSES, Cause};

/// Three weeks of chat with an AI in front; `QUALITY` is replaced.
const BASE: &str = r#"
name = "quality"
[simulation]
seed = 11
horizon = "21d"
warmup = "2h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "chat"
rate_per_hour = 150
[[intent]]
name = "billing"
share = 0.5
complexity = "low"
handle_time = { chat = { dist = "fixed", value = "4m" } }
[[intent]]
name = "delivery"
share = 0.5
complexity = "low"
handle_time = { chat = { dist = "fixed", value = "4m" } }
[[team]]
name = "humans"
agents = 40
channels = ["chat"]
[ai_agent]
channels = ["chat"]
capacity = 1000
resolution = 0.4
false_containment = 0.5
[ai_agent.escalation]
ask_for_human = 0.0
failure = 0.0
misroute = 0.0
[customers]
recontact = 0.0
[quality]
QUALITY
"#;

fn run(quality: &str) -> (Scenario, ReplicationStats) {
    let s = scenario(&BASE.replace("QUALITY", quality));
    let r = run_replication(&s, 0);
    (s, r)
}

fn within_binomial(k: u64, n: u64, p: f64) -> bool {
    let n = n as f64;
    (k as f64 - n * p).abs() <= Z_999 * (n * p * (1.0 - p)).sqrt()
}

#[test]
fn detected_share_of_failures_is_coverage_times_detection() {
    let (coverage, detection) = (0.3, 0.6);
    let (_, r) = run(&format!(
        "share_scored = {coverage}\ndetection = {detection}\ncost_per_contact = 2.5"
    ));
    let t = r.quality.total();
    assert!(t.failures > 10_000, "{t:?}");
    assert!(
        within_binomial(t.detected, t.failures, coverage * detection),
        "{} detected of {} failures, expected share {}",
        t.detected,
        t.failures,
        coverage * detection
    );
    assert!(within_binomial(t.scored, t.finished, coverage));
    // Failures are exactly false containments plus unresolved human contacts.
    assert_eq!(
        t.failures,
        t.ai_failures + (t.human_finished - t.human_resolved)
    );
    assert!(t.detected <= t.failures_scored && t.failures_scored <= t.scored);
}

#[test]
fn without_feedback_ai_resolution_stays_constant() {
    let (s, r) = run("share_scored = 1.0\ndetection = 1.0\nfeedback = false\nlearning_rate = 0.5");
    let q = &r.quality;
    assert_eq!(q.weeks, 3);
    assert!(q.total().ai_detected > 1000, "failures were detected");
    for w in 0..q.weeks {
        for i in 0..s.intents.len() {
            // The replication-held probability never moves.
            assert_eq!(q.ai_probability[w * q.intents + i], 0.4);
            let c = q.cell(w, i);
            assert!(c.ai_started > 5_000);
            assert!(
                within_binomial(c.ai_resolved, c.ai_started, 0.4),
                "week {w} intent {i}: {} of {}",
                c.ai_resolved,
                c.ai_started
            );
        }
    }
}

#[test]
fn with_feedback_the_trajectory_follows_the_formula() {
    // `learning_rate` is kept as the weekly share of the gap closed with full
    // evidence; `learning_evidence` large enough that the evidence is partial.
    let (ceiling, lr, evidence): (f64, f64, f64) = (0.9, 0.3, 4000.0);
    let (s, r) = run(&format!(
        "share_scored = 1.0\ndetection = 0.9\nfeedback = true\nlearning_rate = {lr}\nlearning_evidence = {evidence}\nceiling = {ceiling}"
    ));
    let q = &r.quality;
    for i in 0..s.intents.len() {
        let p = |w: usize| q.ai_probability[w * q.intents + i];
        assert_eq!(p(0), 0.4);
        for w in 0..q.weeks - 1 {
            // gap ← gap × (1 − lr × min(1, detected / evidence)).
            let d = q.cell(w, i).ai_detected as f64;
            assert!(d > 100.0 && d < evidence, "partial evidence: {d}");
            let expected = ceiling - (ceiling - p(w)) * (1.0 - lr * (d / evidence).min(1.0));
            assert_eq!(p(w + 1), expected, "intent {i} week {w}");
            assert!(p(w + 1) > p(w));
        }
        for w in 0..q.weeks {
            let c = q.cell(w, i);
            assert!(
                within_binomial(c.ai_resolved, c.ai_started, p(w)),
                "week {w}: {} of {} at p = {}",
                c.ai_resolved,
                c.ai_started,
                p(w)
            );
        }
    }
}

/// The quality section of `BASE` with demand and staff multiplied by `k`.
fn run_scaled(k: f64, quality: &str) -> ReplicationStats {
    let text = BASE
        .replace(
            "rate_per_hour = 150",
            &format!("rate_per_hour = {}", 150.0 * k),
        )
        .replace("agents = 40", &format!("agents = {}", 40.0 * k))
        .replace("QUALITY", quality);
    run_replication(&scenario(&text), 0)
}

/// Doubling demand and staff leaves the learning trajectory unchanged: the
/// step depends on the time constant and on whether the week's evidence is
/// enough, not on how many failures a bigger centre detects. The old law
/// (gap × (1 − lr)^(detected / 100)) learned about twice as fast per week.
#[test]
fn learning_does_not_scale_with_centre_size() {
    let quality = "share_scored = 1.0\ndetection = 0.9\nfeedback = true\nlearning_time = \"8w\"\nceiling = 0.9";
    let one = run_scaled(1.0, quality);
    let two = run_scaled(2.0, quality);
    let (q1, q2) = (&one.quality, &two.quality);
    let step = 1.0 - (-1.0f64 / 8.0).exp();
    for i in 0..q1.intents {
        for w in 0..q1.weeks {
            let (d1, d2) = (q1.cell(w, i).ai_detected, q2.cell(w, i).ai_detected);
            // Twice the centre, about twice the detections (3.29 sd of a Poisson sum).
            let (d1f, d2f) = (d1 as f64, d2 as f64);
            assert!(
                (d2f - 2.0 * d1f).abs() <= Z_999 * (d2f + 4.0 * d1f).sqrt(),
                "{d1} vs {d2}"
            );
            // Both above the default evidence (50): full steps, same trajectory.
            assert!(d1 >= 50, "{d1}");
            let (p1, p2) = (
                q1.ai_probability[w * q1.intents + i],
                q2.ai_probability[w * q2.intents + i],
            );
            let expected = 0.9 - 0.5 * (1.0 - step).powi(w as i32);
            assert!(
                (p1 - expected).abs() < 1e-12,
                "week {w}: {p1} vs {expected}"
            );
            assert_eq!(p1, p2, "intent {i} week {w}");
        }
        // The old law on the same counts after the first week: the bigger
        // centre would be far ahead.
        let old = |q: &cxsim::metrics::QualityStats| {
            let d = q.cell(0, i).ai_detected as f64;
            0.9 - 0.5 * (1.0f64 - 0.05).powf(d / 100.0)
        };
        let (o1, o2) = (old(q1), old(q2));
        assert!(o2 - o1 > 0.05, "old law: {o1} vs {o2}");
    }
}

/// A time constant of 8 weeks closes 1 − e^(−1/8) ≈ 11.75% of the gap a week
/// with full evidence; `learning_rate` and `learning_time` cannot both be set.
#[test]
fn learning_time_and_learning_rate_are_exclusive() {
    let text = BASE.replace(
        "QUALITY",
        "share_scored = 1.0\nfeedback = true\nlearning_rate = 0.1\nlearning_time = \"8w\"",
    );
    let err = Scenario::from_toml_str(&text, "bad.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("quality.learning_rate") && err.contains("learning_time"),
        "{err}"
    );
    let text = BASE.replace("QUALITY", "share_scored = 1.0\nlearning_evidence = 0");
    let err = Scenario::from_toml_str(&text, "bad.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("quality.learning_evidence"), "{err}");
}

#[test]
fn coaching_is_unavailable_time_of_sessions_times_length() {
    let (_, off) = run("share_scored = 1.0\ndetection = 1.0");
    let (s, on) = run(
        "share_scored = 1.0\ndetection = 1.0\ncoaching = { time = \"10m\", uplift = 0.05, decay = \"4w\" }",
    );
    let sessions = on.quality.coaching_sessions;
    // Each detected failure books a session (by default a session refreshes
    // the 0.05 uplift rather than adding to it).
    assert!(sessions > 100, "{sessions}");
    let team_on = on.team_total(|_| true);
    let team_off = off.team_total(|_| true);
    let booked = sessions as f64 * 600.0;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.max(1.0);
    assert!(
        close(team_on.coaching_s, booked),
        "{} vs {booked}",
        team_on.coaching_s
    );
    // Always-on seats: available + coaching = seats × horizon, so coaching
    // lowers available hours by exactly sessions × length.
    let seat_s = 40.0 * s.simulation.horizon_s;
    assert!(close(team_off.available_s, seat_s));
    assert!(close(team_on.available_s + team_on.coaching_s, seat_s));
    assert!(close(team_off.available_s - team_on.available_s, booked));
    assert_eq!(team_off.coaching_s, 0.0);
    assert_eq!(off.quality.coaching_sessions, 0);
}

/// Coaching is bounded per agent and month (default 1.5 h [convention]): with
/// 10-minute sessions an agent gets at most 9 a month (pro rata for a month
/// cut short by the horizon) however many of their
/// failures are detected, so coaching time stops growing with failures.
#[test]
fn coaching_is_capped_per_agent_per_month() {
    let coaching = |cap: &str| {
        let (_, r) = run(&format!(
            "share_scored = 1.0\ndetection = 1.0\ncoaching = {{ time = \"10m\", uplift = 0.05, decay = \"4w\"{cap} }}"
        ));
        (
            r.quality.coaching_sessions,
            r.team_total(|_| true).coaching_s,
        )
    };
    // 21 days: 0.7 of a 30-day coaching month, so 0.7 × 1.5 h = 63 min per
    // agent: six 10-minute sessions; 40 agents.
    let (capped, capped_s) = coaching("");
    assert!(capped_s <= 40.0 * 0.7 * 1.5 * 3600.0 + 1e-6, "{capped_s}");
    // Every agent fails often enough to use the whole budget.
    assert_eq!(capped, 40 * 6);
    // 0.7 × 2 h = 84 min: eight sessions.
    let (two_hours, _) = coaching(", max_per_month = \"2h\"");
    assert_eq!(two_hours, 40 * 8);
    // Without a binding cap coaching grows with the failures detected.
    let (uncapped, _) = coaching(", max_per_month = \"30d\"");
    assert!(uncapped > 10 * capped, "{uncapped} vs {capped}");
}

/// Four channels so that every (channel, interval) cell holds one intent and one
/// path: AI for billing (needs billing_db) and other, humans for billing and other.
/// Fixed handle times, no waiting, no misroutes, full context and humans who
/// always resolve: with and without the outage, every cell outside its reach
/// is identical (common random numbers).
const OUTAGE: &str = r#"
name = "outage"
[simulation]
seed = 5
horizon = "4d"
warmup = "2h"
replications = 1
interval = "1h"
[[demand.stream]]
channel = "chat_b"
rate_per_hour = 60
intent_mix = { billing = 1.0 }
[[demand.stream]]
channel = "chat_o"
rate_per_hour = 60
intent_mix = { other = 1.0 }
[[demand.stream]]
channel = "voice_b"
rate_per_hour = 40
intent_mix = { billing = 1.0 }
[[demand.stream]]
channel = "voice_o"
rate_per_hour = 40
intent_mix = { other = 1.0 }
[[intent]]
name = "billing"
share = 0.5
systems = ["billing_db"]
human_resolution = 1.0
handle_time = { chat_b = { dist = "fixed", value = "5m" }, voice_b = { dist = "fixed", value = "5m" } }
[[intent]]
name = "other"
share = 0.5
human_resolution = 1.0
handle_time = { chat_o = { dist = "fixed", value = "5m" }, voice_o = { dist = "fixed", value = "5m" } }
[[team]]
name = "humans"
agents = 120
channels = ["chat_b", "chat_o", "voice_b", "voice_o"]
handle_time = { dist = "fixed", value = "5m" }
[ai_agent]
channels = ["chat_b", "chat_o"]
capacity = 10000
resolution = 0.5
false_containment = 0.0
context = "full"
[ai_agent.escalation]
ask_for_human = 0.0
failure = 0.0
misroute = 0.0
[customers]
recontact = 0.0
[[system]]
name = "billing_db"
failure = 0.0
max_wait = "20m"
OUTAGE
"#;

fn cell(r: &ReplicationStats, s: &Scenario, channel: &str, interval: usize) -> ContactStats {
    r.interval_channel(interval, s.channel_index(channel).unwrap())
}

#[test]
fn an_outage_hits_only_its_window_and_intents_needing_the_system() {
    let with = scenario(&OUTAGE.replace(
        "OUTAGE",
        "[[outage]]\nsystem = \"billing_db\"\nstart = \"2d8h\"\nlength = \"3h\"",
    ));
    let without = scenario(&OUTAGE.replace("OUTAGE", ""));
    let (rw, r0) = (run_replication(&with, 0), run_replication(&without, 0));
    let window = 56..59; // [2d8h, 2d11h) in hourly intervals
    let n_ch = with.channels.len();
    let back_office = |r: &ReplicationStats| -> u64 {
        let c = Cause::BackOffice as usize;
        r.causes[c * n_ch..(c + 1) * n_ch].iter().sum()
    };
    assert_eq!(CAUSES, 9);
    assert_eq!(back_office(&r0), 0);
    let mut in_window_ai = 0;
    let mut extra_handle_s = 0.0;
    let mut human_in_window = 0;
    for i in 0..rw.intervals() {
        let inside = window.contains(&i);
        for ch in ["chat_o", "voice_o"] {
            let (a, b) = (cell(&rw, &with, ch, i), cell(&r0, &without, ch, i));
            assert_eq!(
                a, b,
                "{ch} interval {i}: intents without the system are untouched"
            );
        }
        let (a, b) = (
            cell(&rw, &with, "chat_b", i),
            cell(&r0, &without, "chat_b", i),
        );
        assert_eq!(a.ai_taken, b.ai_taken);
        if inside {
            // Every billing AI session started in the outage escalates.
            assert_eq!(a.escalated, a.ai_taken, "interval {i}");
            assert!(a.escalated > b.escalated);
            in_window_ai += a.ai_taken;
        } else {
            assert_eq!(
                (a.escalated, a.ai_resolved),
                (b.escalated, b.ai_resolved),
                "interval {i}"
            );
        }
        let (a, b) = (
            cell(&rw, &with, "voice_b", i),
            cell(&r0, &without, "voice_b", i),
        );
        assert_eq!(a.human_answered, b.human_answered);
        if inside {
            // Humans wait out the outage, at most max_wait (20 min) each.
            let extra = a.handle_sum_s - b.handle_sum_s;
            assert!(extra > 0.0 && extra <= 1200.0 * a.human_answered as f64 + 1e-6);
            extra_handle_s += extra;
            human_in_window += a.human_answered;
        } else {
            assert_eq!(a.handle_sum_s, b.handle_sum_s, "voice_b interval {i}");
        }
    }
    assert_eq!(back_office(&rw), in_window_ai);
    let bo = rw.quality.back_office;
    assert_eq!(bo.ai_outages, in_window_ai);
    assert_eq!(bo.ai_failures, 0);
    // Escalated billing chats reaching humans in the window wait too.
    assert!(bo.human_outages >= human_in_window);
    assert!(bo.human_outage_wait_s >= extra_handle_s - 1e-6);
    assert_eq!(r0.quality.back_office.ai_outages, 0);
    assert_eq!(r0.quality.back_office.human_outages, 0);
}

#[test]
fn quality_parameter_errors_name_their_keys() {
    let bad = BASE
        .replace("QUALITY", "share_scored = 1.5\nceiling = 0.3")
        .replace(
            "name = \"billing\"\n",
            "name = \"billing\"\nsystems = [\"nope\"]\n",
        );
    let err = Scenario::from_toml_str(&bad, "bad.toml")
        .unwrap_err()
        .to_string();
    for needle in [
        "quality.share_scored",
        "quality.ceiling",
        "intent[0].systems[0]",
        "nope",
    ] {
        assert!(err.contains(needle), "{needle} missing from: {err}");
    }
}

/// By default a coaching session refreshes the uplift rather than adding to
/// it, so human resolution rises by at most `uplift`; with `max_uplift`
/// sessions stack up to that ceiling and resolution rises further.
#[test]
fn coaching_uplift_refreshes_by_default_and_stacks_to_its_ceiling() {
    let resolution = |coaching: &str| {
        let (_, r) = run(&format!("share_scored = 1.0\ndetection = 1.0\n{coaching}"));
        let t = r.contact_total();
        (t.resolved, t.human_answered)
    };
    let (k0, n0) = resolution("");
    let p0 = k0 as f64 / n0 as f64;
    let (k1, n1) = resolution(r#"coaching = { time = "1m", uplift = 0.1, decay = "52w" }"#);
    let (k2, n2) =
        resolution(r#"coaching = { time = "1m", uplift = 0.1, decay = "52w", max_uplift = 0.5 }"#);
    let bound = (p0 + 0.1).min(1.0);
    let sd = |n: u64| (bound * (1.0 - bound) / n as f64).sqrt();
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    assert!(p1 > p0, "coaching helps: {p0} -> {p1}");
    assert!(p1 <= bound + Z_999 * sd(n1), "refresh: {p1} > {p0} + 0.1");
    assert!(p2 > bound + Z_999 * sd(n2), "stacking: {p2} <= {p0} + 0.1");
}

#[test]
fn max_uplift_below_uplift_is_named() {
    let text = BASE.replace(
        "QUALITY",
        "share_scored = 1.0\ncoaching = { time = \"1m\", uplift = 0.1, decay = \"4w\", max_uplift = 0.05 }",
    );
    let err = Scenario::from_toml_str(&text, "q.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("quality.coaching.max_uplift") && err.contains("0.05"),
        "{err}"
    );
}
