//! Journey-true figures: abandonment anywhere in the journey, and a service
//! level that is about reaching the handler who ends it — not the bot's pickup.

use super::support::*;

fn summary(scenario_text: &str, tag: &str) -> serde_json::Value {
    let dir = scratch(tag);
    std::fs::write(dir.join("s.toml"), scenario_text).unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "run",
        dir.join("s.toml").to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{:?}", text(&r));
    let v = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    v.unwrap()
}

fn mean(v: &serde_json::Value, key: &str) -> f64 {
    v["overall"][key]["mean"].as_f64().unwrap()
}

#[test]
fn without_a_front_line_journey_figures_are_the_classic_ones() {
    let v = summary(SMALL, "journey-classic");
    for (journey, classic) in [
        ("journey_service_level", "service_level"),
        ("journey_abandon_rate", "abandon_rate"),
    ] {
        assert_eq!(v["overall"][journey], v["overall"][classic], "{journey}");
    }
}

/// An AI that escalates every call to a team far too small, with impatient
/// callers: the bot "answers" everyone at once, so the classic figures say
/// 100% service and no abandonment, while most customers hang up in the
/// human queue after the escalation.
const LOST_AFTER_ESCALATION: &str = r#"
name = "lost-after-escalation"
[simulation]
seed = 5
horizon = "2d"
warmup = "2h"
replications = 3
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 300
[channel.voice]
patience = { dist = "exponential", mean = "2m" }
service_level = { within = "20s", target = 0.8 }
[[team]]
name = "humans"
agents = 8
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
[ai_agent]
channels = ["voice"]
capacity = 1000
resolution = 0.0
false_containment = 0.0
[ai_agent.escalation]
ask_for_human = 0.0
failure = 0.0
misroute = 0.0
[customers]
recontact = 0.0
"#;

#[test]
fn customers_lost_after_escalation_are_counted_end_to_end() {
    let v = summary(LOST_AFTER_ESCALATION, "journey-lost");
    // Classic: the AI picked everyone up at once.
    assert!(mean(&v, "service_level") > 0.99);
    assert!(mean(&v, "abandon_rate") < 0.01);
    // 8 agents × 12 calls/h serve 96 of 300 calls an hour: about two thirds
    // of callers must leave; every abandon happens after the escalation.
    let lost = mean(&v, "journey_abandon_rate");
    assert!(lost > 0.5, "journey abandonment {lost}");
    let human = mean(&v, "human_abandon_rate");
    assert!(
        (lost - human).abs() < 0.02,
        "journey {lost} vs human queue {human}"
    );
    assert!(mean(&v, "journey_service_level") < 0.3);
}

#[test]
fn short_abandons_and_the_service_level_basis_change_only_what_they_say() {
    let base = summary(SMALL, "journey-basis-base");
    let with = |sl: &str, tag: &str| {
        summary(
            &SMALL.replace(
                "service_level = { within = \"20s\", target = 0.80 }",
                &format!("service_level = {{ within = \"20s\", target = 0.80, {sl} }}"),
            ),
            tag,
        )
    };
    // Leaving out abandons within 5 s lowers abandonment and raises service
    // level; the counts of answered and abandoned contacts do not change.
    let short = with("short_abandon = \"5s\"", "journey-short");
    assert_eq!(short["overall"]["answered"], base["overall"]["answered"]);
    assert_eq!(short["overall"]["abandoned"], base["overall"]["abandoned"]);
    assert!(mean(&short, "abandon_rate") < mean(&base, "abandon_rate"));
    assert!(mean(&short, "service_level") > mean(&base, "service_level"));
    // On answered contacts only, service level can only rise.
    let answered = with("basis = \"answered\"", "journey-answered");
    assert!(mean(&answered, "service_level") > mean(&base, "service_level"));
    // "offered" counts every abandon: the classic figure when there is no
    // short-abandon threshold.
    let offered = with("basis = \"offered\"", "journey-offered");
    assert_eq!(
        offered["overall"]["service_level"],
        base["overall"]["service_level"]
    );
}
