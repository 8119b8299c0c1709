//! `[routing]` → [`Routing`]: the strategy by name, then only its own parameters.

use super::checker::{Checker, quoted};
use crate::scenario::raw::RawRouting;
use crate::scenario::routing::{
    AiTriageParams, ClassKey, CmuParams, PriorityParams, QueueRatioParams, Routing, STRATEGIES,
    ThresholdParams, strategy_info,
};
use crate::scenario::{Channel, Intent, Team};
use std::collections::BTreeMap;

/// Validates `[routing]` (absent: `fifo`). Every problem is reported: an
/// unknown strategy, and each parameter the chosen strategy does not take
/// (naming the strategy, the value given and what it takes).
pub(super) fn routing(
    ck: &mut Checker<'_>,
    raw: Option<&RawRouting>,
    intents: &[Intent],
    tiers: &[String],
    channels: &[Channel],
    teams: &[Team],
) -> Routing {
    let Some(raw) = raw else {
        return Routing::Fifo;
    };
    let name = raw.strategy.as_str();
    let Some(info) = strategy_info(name) else {
        ck.fail(
            "routing.strategy",
            format!(
                "got {name:?}; allowed: {}",
                quoted(STRATEGIES.iter().map(|s| s.name))
            ),
        );
        return Routing::Fifo;
    };
    let given = [
        (
            "tier_weights",
            raw.tier_weights.as_ref().map(|m| format!("{m:?}")),
        ),
        (
            "intent_weights",
            raw.intent_weights.as_ref().map(|m| format!("{m:?}")),
        ),
        ("ageing_per_min", raw.ageing_per_min.map(|a| a.to_string())),
        (
            "overflow_after",
            raw.overflow_after.as_ref().map(|t| format!("{t:?}")),
        ),
        ("class", raw.class.as_ref().map(|c| format!("{c:?}"))),
        ("costs", raw.costs.as_ref().map(|m| format!("{m:?}"))),
        ("cost_exponent", raw.cost_exponent.map(|p| p.to_string())),
        ("reserve", raw.reserve.as_ref().map(|m| format!("{m:?}"))),
        (
            "protected_tiers",
            raw.protected_tiers.as_ref().map(|t| format!("{t:?}")),
        ),
        (
            "protect_escalated",
            raw.protect_escalated.map(|b| b.to_string()),
        ),
        (
            "min_ai_resolution",
            raw.min_ai_resolution.map(|r| r.to_string()),
        ),
        (
            "bypass_tiers",
            raw.bypass_tiers.as_ref().map(|t| format!("{t:?}")),
        ),
        (
            "bypass_intents",
            raw.bypass_intents.as_ref().map(|t| format!("{t:?}")),
        ),
        (
            "escalated_first",
            raw.escalated_first.map(|b| b.to_string()),
        ),
        (
            "queue_ratios",
            raw.queue_ratios.as_ref().map(|m| format!("{m:?}")),
        ),
        (
            "idle_ratios",
            raw.idle_ratios.as_ref().map(|m| format!("{m:?}")),
        ),
    ];
    for (key, value) in given {
        if let Some(value) = value
            && !info.params.contains(&key)
        {
            let takes = if info.params.is_empty() {
                "no parameters".to_string()
            } else {
                quoted(info.params.iter().copied())
            };
            ck.fail(
                &format!("routing.{key}"),
                format!("got {value}, but strategy {name:?} does not take it; allowed: {takes}"),
            );
        }
    }
    match name {
        "fifo" => Routing::Fifo,
        "ai_first" => Routing::AiFirst,
        "human_only" => Routing::HumanOnly,
        "least_fatigued" => Routing::LeastFatigued,
        "balanced" => Routing::Balanced,
        "skills" => Routing::Skills {
            overflow_after_s: raw.overflow_after.as_ref().map_or(60.0, |t| {
                ck.duration("routing.overflow_after", t, 0.0, 86_400.0)
            }),
        },
        "priority" => Routing::Priority(priority(ck, raw, intents, tiers)),
        "fastest_server_first" => Routing::FastestServerFirst,
        "slowest_server_first" => Routing::SlowestServerFirst,
        "cmu" => Routing::Cmu(cmu(ck, raw, intents, tiers, channels)),
        "threshold" => Routing::Threshold(threshold(ck, raw, tiers, teams)),
        "ai_triage" => Routing::AiTriage(ai_triage(ck, raw, intents, tiers)),
        "queue_ratio" => Routing::QueueRatio(QueueRatioParams {
            queue_ratios: ratios(
                ck,
                "queue_ratios",
                raw.queue_ratios.as_ref(),
                &channels.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ),
            idle_ratios: raw.idle_ratios.as_ref().map(|m| {
                ratios(
                    ck,
                    "idle_ratios",
                    Some(m),
                    &teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
                )
            }),
        }),
        _ => unreachable!("every name in STRATEGIES has a variant (unit-tested)"),
    }
}

/// Target shares by name (`routing.KEY.NAME`), normalised to sum to 1:
/// each ≥ 0 for a known name, unlisted names 0; absent, equal shares.
fn ratios(
    ck: &mut Checker<'_>,
    key: &str,
    map: Option<&BTreeMap<String, f64>>,
    names: &[&str],
) -> Vec<f64> {
    let n = names.len().max(1) as f64;
    let Some(map) = map else {
        return vec![1.0 / n; names.len()];
    };
    let mut out = vec![0.0; names.len()];
    for (k, &r) in map {
        let path = format!("routing.{key}.{k}");
        match names.iter().position(|n| n == k) {
            Some(i) if r.is_finite() && (0.0..=1e6).contains(&r) => out[i] = r,
            Some(_) => ck.fail(
                &path,
                format!("got {r}; allowed: a share ≥ 0 (shares are normalised to sum to 1)"),
            ),
            None => ck.fail(
                &path,
                format!(
                    "unknown name {k:?}; known: {}",
                    quoted(names.iter().copied())
                ),
            ),
        }
    }
    let sum: f64 = out.iter().sum();
    if sum > 0.0 {
        out.iter_mut().for_each(|r| *r /= sum);
    } else if !map.is_empty() {
        ck.fail(
            &format!("routing.{key}"),
            "every share is 0; allowed: at least one share > 0".into(),
        );
    }
    out
}

/// Weights by name (`routing.KEY.NAME`): a weight > 0 for a known name,
/// 1 for names left out.
fn weights(
    ck: &mut Checker<'_>,
    key: &str,
    map: Option<&BTreeMap<String, f64>>,
    names: &[&str],
) -> Vec<f64> {
    let mut out = vec![1.0; names.len()];
    for (k, &w) in map.into_iter().flatten() {
        let path = format!("routing.{key}.{k}");
        match names.iter().position(|n| n == k) {
            Some(i) if w.is_finite() && w > 0.0 => out[i] = w,
            Some(_) => ck.fail(&path, format!("got {w}; allowed: a weight > 0")),
            None => ck.fail(
                &path,
                format!(
                    "unknown name {k:?}; known: {}",
                    quoted(names.iter().copied())
                ),
            ),
        }
    }
    out
}

fn cmu(
    ck: &mut Checker<'_>,
    raw: &RawRouting,
    intents: &[Intent],
    tiers: &[String],
    channels: &[Channel],
) -> CmuParams {
    let class = match raw.class.as_deref() {
        None | Some("channel") => ClassKey::Channel,
        Some("intent") => ClassKey::Intent,
        Some("tier") => ClassKey::Tier,
        Some(other) => {
            ck.fail(
                "routing.class",
                format!("got {other:?}; allowed: \"channel\", \"intent\", \"tier\""),
            );
            ClassKey::Channel
        }
    };
    let names: Vec<&str> = match class {
        ClassKey::Channel => channels.iter().map(|c| c.name.as_str()).collect(),
        ClassKey::Intent => intents.iter().map(|i| i.name.as_str()).collect(),
        ClassKey::Tier => tiers.iter().map(|t| t.as_str()).collect(),
    };
    let costs = weights(ck, "costs", raw.costs.as_ref(), &names);
    let cost_exponent = raw.cost_exponent.map_or(1.0, |p| {
        if p.is_finite() && (1.0..=4.0).contains(&p) {
            p
        } else {
            ck.fail(
                "routing.cost_exponent",
                format!("got {p}; allowed: 1 to 4 (1: linear cost, cμ; above 1: convex, Gcμ)"),
            );
            1.0
        }
    });
    CmuParams {
        class,
        costs,
        cost_exponent,
    }
}

fn threshold(
    ck: &mut Checker<'_>,
    raw: &RawRouting,
    tiers: &[String],
    teams: &[Team],
) -> ThresholdParams {
    let mut reserve = vec![0; teams.len()];
    for (name, &k) in raw.reserve.iter().flatten() {
        let path = format!("routing.reserve.{name}");
        let Some(i) = teams.iter().position(|t| &t.name == name) else {
            ck.fail(
                &path,
                format!(
                    "unknown team {name:?}; known: {}",
                    quoted(teams.iter().map(|t| t.name.as_str()))
                ),
            );
            continue;
        };
        let pool = i64::from(teams[i].headcount());
        if (0..pool).contains(&k) {
            reserve[i] = k as u32;
        } else {
            ck.fail(
                &path,
                format!(
                    "got {k}; allowed: 0 to {} (fewer idle agents than team {name:?} has)",
                    (pool - 1).max(0)
                ),
            );
        }
    }
    let mut protected_tiers = vec![false; tiers.len()];
    for name in raw.protected_tiers.iter().flatten() {
        match tiers.iter().position(|t| t == name) {
            Some(i) => protected_tiers[i] = true,
            None => ck.fail(
                &format!("routing.protected_tiers.{name}"),
                format!(
                    "unknown tier {name:?}; known: {}",
                    quoted(tiers.iter().map(|t| t.as_str()))
                ),
            ),
        }
    }
    ThresholdParams {
        reserve,
        protected_tiers,
        protect_escalated: raw.protect_escalated.unwrap_or(true),
    }
}

/// Per-name flags from a list of names (`routing.KEY.NAME` for an unknown one).
fn flags(
    ck: &mut Checker<'_>,
    key: &str,
    what: &str,
    list: Option<&Vec<String>>,
    names: &[&str],
) -> Vec<bool> {
    let mut out = vec![false; names.len()];
    for name in list.into_iter().flatten() {
        match names.iter().position(|n| n == name) {
            Some(i) => out[i] = true,
            None => ck.fail(
                &format!("routing.{key}.{name}"),
                format!(
                    "unknown {what} {name:?}; known: {}",
                    quoted(names.iter().copied())
                ),
            ),
        }
    }
    out
}

fn ai_triage(
    ck: &mut Checker<'_>,
    raw: &RawRouting,
    intents: &[Intent],
    tiers: &[String],
) -> AiTriageParams {
    let tier_names: Vec<&str> = tiers.iter().map(|t| t.as_str()).collect();
    let intent_names: Vec<&str> = intents.iter().map(|i| i.name.as_str()).collect();
    // 0.25 [convention]: a bot worth meeting resolves at least one contact
    // in four of an intent; below that its triage time and the handoff
    // friction cost more than the deflection saves (docs/ROUTING.md).
    let min_ai_resolution = raw.min_ai_resolution.map_or(0.25, |r| {
        if (0.0..=1.0).contains(&r) {
            r
        } else {
            ck.fail(
                "routing.min_ai_resolution",
                format!("got {r}; allowed: a probability, 0 to 1"),
            );
            0.25
        }
    });
    AiTriageParams {
        min_ai_resolution,
        bypass_tiers: flags(
            ck,
            "bypass_tiers",
            "tier",
            raw.bypass_tiers.as_ref(),
            &tier_names,
        ),
        bypass_intents: flags(
            ck,
            "bypass_intents",
            "intent",
            raw.bypass_intents.as_ref(),
            &intent_names,
        ),
        escalated_first: raw.escalated_first.unwrap_or(true),
    }
}

fn priority(
    ck: &mut Checker<'_>,
    raw: &RawRouting,
    intents: &[Intent],
    tiers: &[String],
) -> PriorityParams {
    let tier_names: Vec<&str> = tiers.iter().map(|t| t.as_str()).collect();
    let intent_names: Vec<&str> = intents.iter().map(|i| i.name.as_str()).collect();
    let tier_weights = weights(ck, "tier_weights", raw.tier_weights.as_ref(), &tier_names);
    let intent_weights = weights(
        ck,
        "intent_weights",
        raw.intent_weights.as_ref(),
        &intent_names,
    );
    let ageing_per_min = raw.ageing_per_min.map_or(0.1, |a| {
        ck.non_negative("routing.ageing_per_min", a, 1000.0)
    });
    PriorityParams {
        tier_weights,
        intent_weights,
        ageing_per_min,
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Routing, Scenario};

    const BASE: &str = r#"
name = "r"
[simulation]
seed = 1
horizon = "1d"
warmup = "1h"
replications = 1
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[[team]]
name = "t"
agents = 2
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

    fn parse(routing: &str) -> Result<Scenario, String> {
        Scenario::from_toml_str(&format!("{BASE}[routing]\n{routing}\n"), "r.toml")
            .map_err(|e| e.to_string())
    }

    #[test]
    fn each_strategy_parses_into_its_variant() {
        assert_eq!(parse("strategy = \"fifo\"").unwrap().routing, Routing::Fifo);
        assert_eq!(
            parse("strategy = \"ai_first\"").unwrap().routing,
            Routing::AiFirst
        );
        assert_eq!(
            parse("strategy = \"skills\"").unwrap().routing,
            Routing::Skills {
                overflow_after_s: 60.0
            }
        );
        assert_eq!(
            parse("strategy = \"skills\"\noverflow_after = \"45s\"")
                .unwrap()
                .routing,
            Routing::Skills {
                overflow_after_s: 45.0
            }
        );
        let Routing::Priority(p) = parse("strategy = \"priority\"\nageing_per_min = 0.5")
            .unwrap()
            .routing
        else {
            panic!("priority expected")
        };
        assert_eq!(p.ageing_per_min, 0.5);
    }

    #[test]
    fn a_parameter_of_another_strategy_names_the_strategy_value_and_allowed() {
        let err = parse("strategy = \"balanced\"\nageing_per_min = 0.5").unwrap_err();
        assert!(err.contains("routing.ageing_per_min"), "{err}");
        assert!(err.contains("strategy \"balanced\""), "{err}");
        assert!(err.contains("got 0.5"), "{err}");
        assert!(err.contains("no parameters"), "{err}");
        let err = parse("strategy = \"skills\"\ntier_weights = { gold = 2 }").unwrap_err();
        assert!(err.contains("allowed: \"overflow_after\""), "{err}");
    }

    #[test]
    fn unknown_strategy_lists_every_name() {
        let err = parse("strategy = \"lifo\"").unwrap_err();
        assert!(err.contains("\"lifo\""), "{err}");
        assert!(err.contains("\"least_fatigued\""), "{err}");
    }
}
