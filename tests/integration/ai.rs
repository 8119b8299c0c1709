//! The AI layer against its specification: conservation, context transfer,
//! false containment and recontacts, capacity, residual complexity, redials.
//!
//! Statistical rules (fixed seeds): binomial counts within z(0.9995) = 3.29
//! standard deviations; means within their 99.9% Student-t interval.

use super::support::{Z_999, scenario};
use cxsim::engine::{RunOptions, run_replication, simulate};
use cxsim::metrics::{ContactStats, mean_ci};
use cxsim::scenario::Scenario;

/// Two intents, an AI on chat, and a human team; `AI` and `EXTRA` are replaced.
const BASE: &str = r#"
name = "ai"
[simulation]
seed = 23
horizon = "5d"
warmup = "2h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "chat"
rate_per_hour = 400
[[intent]]
name = "easy"
share = 0.5
complexity = "low"
handle_time = { chat = { dist = "fixed", value = "3m" } }
EASY_AI
[[intent]]
name = "hard"
share = 0.5
complexity = "high"
handle_time = { chat = { dist = "fixed", value = "9m" } }
HARD_AI
[channel.chat]
patience = { dist = "exponential", mean = "20m" }
[[team]]
name = "humans"
agents = 60
channels = ["chat"]
[ai_agent]
channels = ["chat"]
capacity = 1000
AI
[ai_agent.escalation]
ask_for_human = 0.0
failure = 0.0
misroute = 0.0
[customers]
recontact = 0.0
EXTRA
"#;

fn build(ai: &str, easy: &str, hard: &str, extra: &str) -> Scenario {
    scenario(
        &BASE
            .replace("EASY_AI", easy)
            .replace("HARD_AI", hard)
            .replace("\nAI\n", &format!("\n{ai}\n"))
            .replace("EXTRA", extra),
    )
}

fn check_conservation(t: &ContactStats) {
    // Every contact ends exactly once at each stage it reaches.
    assert_eq!(t.offered, t.answered + t.abandoned, "first answers: {t:?}");
    assert_eq!(
        t.ai_taken,
        t.ai_resolved + t.ai_false + t.escalated,
        "AI outcomes: {t:?}"
    );
    assert_eq!(
        t.human_offered,
        t.human_answered + t.human_abandoned,
        "human stage: {t:?}"
    );
}

#[test]
fn perfect_ai_sends_nothing_to_humans() {
    let s = build("resolution = 1.0\nfalse_containment = 0.0", "", "", "");
    let r = run_replication(&s, 0);
    let t = r.contact_total();
    check_conservation(&t);
    assert!(t.ai_taken > 40_000);
    assert_eq!(t.human_offered, 0);
    assert_eq!(t.ai_resolved, t.ai_taken);
    assert_eq!(t.fcr(), Some(1.0));
}

#[test]
fn humans_get_the_unresolved_share_and_counts_add_up() {
    let p = 0.35;
    let s = build(
        &format!("resolution = {p}\nfalse_containment = 0.0"),
        "",
        "",
        "",
    );
    let r = run_replication(&s, 0);
    let t = r.contact_total();
    check_conservation(&t);
    let n = t.ai_taken as f64;
    let expected = (1.0 - p) * n;
    let sd = (n * p * (1.0 - p)).sqrt();
    assert!(
        (t.human_offered as f64 - expected).abs() <= Z_999 * sd,
        "{} to humans, expected {expected:.0}",
        t.human_offered
    );
    assert_eq!(t.human_offered, t.escalated);
    assert!(r.ai_peak <= 1000);
}

#[test]
fn ai_capacity_is_never_exceeded() {
    let text = BASE
        .replace("EASY_AI", "")
        .replace("HARD_AI", "")
        .replace("capacity = 1000\nAI", "capacity = 25\nresolution = 0.5")
        .replace("EXTRA", "");
    let r = run_replication(&scenario(&text), 0);
    assert_eq!(
        r.ai_peak, 25,
        "the AI is saturated but never above capacity"
    );
    check_conservation(&r.contact_total());
}

#[test]
fn context_none_adds_its_time_and_changes_nothing_else() {
    let ai = |context: &str| {
        format!(
            "resolution = 0.4\nfalse_containment = 0.0\ncontext = \"{context}\"\ncontext_time = {{ none = {{ dist = \"fixed\", value = \"2m\" }} }}\ncontext_patience = {{ none = 1.0 }}\ncontext_resolution = {{ none = 0.0 }}"
        )
    };
    let full = simulate(&build(&ai("full"), "", "", ""), &RunOptions::default()).unwrap();
    let none = simulate(&build(&ai("none"), "", "", ""), &RunOptions::default()).unwrap();
    let mut extra = Vec::new();
    for (f, n) in full.iter().zip(&none) {
        let (a, b) = (f.contact_total(), n.contact_total());
        // Same arrivals and AI outcomes: common random numbers.
        assert_eq!(
            (a.offered, a.ai_taken, a.escalated),
            (b.offered, b.ai_taken, b.escalated)
        );
        assert_eq!(a.handoff_extra_s, 0.0);
        extra.push(b.handoff_extra_s().unwrap());
        assert_eq!(b.context_lost, b.escalated);
    }
    // Fixed 2 min per escalation, no assist: exactly 120 s.
    let (m, _) = mean_ci(&extra, 0.999);
    assert!((m.unwrap() - 120.0).abs() < 1e-9, "{m:?}");
}

#[test]
fn false_containment_comes_back_and_lowers_fcr() {
    let p_false = 0.5;
    let recontact = 0.8;
    let s = build(
        &format!("resolution = 0.4\nfalse_containment = {p_false}"),
        "",
        "",
        "",
    );
    let text_with_recontact = |r: f64| format!("{r}");
    let _ = text_with_recontact;
    // Turn recontacts on, with a short delay so almost none fall past the horizon.
    let s_on = scenario(
        &BASE
            .replace("EASY_AI", "")
            .replace("HARD_AI", "")
            .replace("\nAI\n", &format!("\nresolution = 0.4\nfalse_containment = {p_false}\n"))
            .replace("recontact = 0.0", &format!("recontact = {recontact}\nrecontact_delay = {{ dist = \"fixed\", value = \"10m\" }}"))
            .replace("EXTRA", ""),
    );
    let off = run_replication(&s, 0).contact_total();
    let on = run_replication(&s_on, 0).contact_total();
    check_conservation(&on);
    // Humans do not resolve everything either (0.8 by default), and their failures
    // come back too: expected recontacts = recontact × (false + human unresolved).
    let failures = on.ai_false + (on.human_answered - on.resolved);
    let n = failures as f64;
    let expected = recontact * n;
    let sd = (n * recontact * (1.0 - recontact)).sqrt();
    // Failures in the last 10 minutes cannot come back inside the horizon: allow them.
    let edge = 400.0 * 10.0 / 60.0;
    assert!(
        (on.recontacts as f64 - expected).abs() <= Z_999 * sd + edge,
        "{} recontacts, expected {expected:.0}",
        on.recontacts
    );
    assert_eq!(off.recontacts, 0);
    // FCR counts problems: false containment is not resolution.
    let fcr = on.fcr().unwrap();
    let containment = on.containment().unwrap();
    assert!(
        fcr < containment,
        "fcr {fcr} must be below containment {containment}"
    );
}

#[test]
fn residual_complexity_raises_human_handle_time_as_the_mix_predicts() {
    let run = |easy_resolution: f64| {
        let s = build(
            "resolution = 0.0\nfalse_containment = 0.0\ncontext = \"full\"",
            &format!("ai_resolution = {easy_resolution}"),
            "ai_resolution = 0.0",
            "",
        );
        let r = run_replication(&s, 0);
        let easy = r.intent_total(0);
        let hard = r.intent_total(1);
        let human_aht = (easy.handle_sum_s + hard.handle_sum_s)
            / (easy.human_answered + hard.human_answered) as f64;
        let easy_share =
            easy.human_answered as f64 / (easy.human_answered + hard.human_answered) as f64;
        (human_aht, easy_share)
    };
    let (aht0, share0) = run(0.0);
    let (aht8, share8) = run(0.8);
    // Fixed handle times: AHT = 3 min × easy share + 9 min × hard share, exactly.
    for (aht, share) in [(aht0, share0), (aht8, share8)] {
        assert!((aht - (180.0 * share + 540.0 * (1.0 - share))).abs() < 1e-6);
    }
    // The mix predicts the easy share reaching humans: 0.5 (1 − r) / (0.5 (1 − r) + 0.5).
    let predicted = |r: f64| 0.5 * (1.0 - r) / (0.5 * (1.0 - r) + 0.5);
    let n = 0.6 * 400.0 * 120.0;
    for (r, share) in [(0.0, share0), (0.8, share8)] {
        let p = predicted(r);
        assert!(
            (share - p).abs() <= Z_999 * (p * (1.0 - p) / n).sqrt(),
            "r={r}: {share} vs {p}"
        );
    }
    assert!(aht8 > aht0 + 90.0, "human AHT must rise: {aht0} → {aht8}");
}

#[test]
fn redials_follow_their_probability() {
    let s = scenario(
        r#"
name = "redial"
[simulation]
seed = 5
horizon = "5d"
warmup = "1h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 600
[channel.voice]
patience = { dist = "exponential", mean = "1m" }
[[team]]
name = "t"
agents = 8
channels = ["voice"]
handle_time = { dist = "exponential", mean = "1m" }
[customers]
redial = { voice = { probability = 0.4, delay = { dist = "fixed", value = "5m" } } }
"#,
    );
    let t = run_replication(&s, 0).contact_total();
    let n = t.abandoned as f64;
    let expected = 0.4 * n;
    let sd = (n * 0.4 * 0.6).sqrt();
    // Abandons in the last 5 min (≤ 600 × 5/60 arrivals) cannot redial inside the horizon.
    let edge = 50.0;
    assert!(t.abandoned > 1000);
    assert!(
        (t.redials as f64 - expected).abs() <= Z_999 * sd + edge,
        "{} redials of {} abandoned",
        t.redials,
        t.abandoned
    );
}

/// Chat customers the AI falsely contains (half of them) all come back
/// (recontact 1, same channel) after 10 minutes; `MEMORY` is replaced.
const RETURNING: &str = r#"
name = "memory"
[simulation]
seed = 31
horizon = "2d"
warmup = "1h"
replications = 1
interval = "1d"
[[demand.stream]]
channel = "chat"
rate_per_hour = 200
[channel.chat]
patience = { dist = "exponential", mean = "30m" }
[channel.voice]
patience = { dist = "exponential", mean = "30m" }
[[team]]
name = "humans"
agents = 30
channels = ["chat", "voice"]
handle_time = { dist = "exponential", mean = "4m" }
[ai_agent]
channels = ["chat", "voice"]
capacity = 1000
resolution = 0.5
false_containment = 1.0
MEMORY
[ai_agent.escalation]
ask_for_human = 0.0
failure = 0.0
misroute = 0.0
[customers]
recontact = 1.0
recontact_delay = { dist = "fixed", value = "10m" }
"#;

#[test]
fn a_bot_without_memory_hears_the_story_again_and_a_shared_one_does_not() {
    let run = |memory: &str| {
        let s = scenario(&RETURNING.replace("MEMORY", memory));
        run_replication(&s, 0).contact_total()
    };
    // Recontacts come back on the same channel: a per-channel bot remembers.
    let shared = run("memory = \"shared\"");
    let per_channel = run("memory = \"per_channel\"");
    let none = run("memory = \"none\"");
    for t in [&shared, &per_channel, &none] {
        check_conservation(t);
        assert!(t.recontacts > 5000, "{t:?}");
    }
    assert_eq!(shared.retold, 0);
    assert_eq!(per_channel.retold, 0);
    // Without memory every returning customer reaches the AI (no queue:
    // capacity to spare) and retells.
    assert_eq!(none.abandoned, 0, "{none:?}");
    assert_eq!(none.retold, none.recontacts, "{none:?}");
    assert!(none.effort().unwrap() > shared.effort().unwrap() + 0.5);
    // The default is a shared memory: byte-identical to saying so.
    assert_eq!(run("").retold, 0);
    assert_eq!(
        format!("{:?}", run("")),
        format!("{shared:?}"),
        "default = shared"
    );
}

#[test]
fn a_per_channel_bot_starts_over_when_the_customer_switches_channel() {
    // Chat customers abandon the AI's queue (capacity 2, no overflow) and
    // every one redials on voice, where a different bot takes them.
    let text = RETURNING
        .replace("capacity = 1000", "capacity = 2\noverflow = \"wait\"")
        .replace("patience = { dist = \"exponential\", mean = \"30m\" }\n[channel.voice]", "patience = { dist = \"exponential\", mean = \"30s\" }\n[channel.voice]")
        .replace("recontact = 1.0", "recontact = 0.0\nredial = { chat = { probability = 1.0, delay = { dist = \"fixed\", value = \"5m\" }, switch = { voice = 1.0 } } }");
    let run = |memory: &str| {
        run_replication(&scenario(&text.replace("MEMORY", memory)), 0).contact_total()
    };
    let (shared, per_channel) = (run("memory = \"shared\""), run("memory = \"per_channel\""));
    assert!(shared.redials > 100, "{shared:?}");
    assert_eq!(shared.retold, 0);
    // Every redial switches channel; those the voice bot takes retell.
    assert!(
        per_channel.retold > 0 && per_channel.retold <= per_channel.redials,
        "{per_channel:?}"
    );
    // An unknown memory is refused with what is allowed.
    let err = Scenario::from_toml_str(&text.replace("MEMORY", "memory = \"global\""), "m.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ai_agent.memory") && err.contains("per_channel"),
        "{err}"
    );
}
