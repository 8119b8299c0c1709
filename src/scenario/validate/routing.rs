//! `[routing]` → [`Routing`]: the strategy by name, then only its own parameters.

use super::checker::{Checker, quoted};
use crate::scenario::Intent;
use crate::scenario::raw::RawRouting;
use crate::scenario::routing::{PriorityParams, Routing, STRATEGIES, strategy_info};
use std::collections::BTreeMap;

/// Validates `[routing]` (absent: `fifo`). Every problem is reported: an
/// unknown strategy, and each parameter the chosen strategy does not take
/// (naming the strategy, the value given and what it takes).
pub(super) fn routing(
    ck: &mut Checker<'_>,
    raw: Option<&RawRouting>,
    intents: &[Intent],
    tiers: &[String],
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
        _ => unreachable!("every name in STRATEGIES has a variant (unit-tested)"),
    }
}

fn priority(
    ck: &mut Checker<'_>,
    raw: &RawRouting,
    intents: &[Intent],
    tiers: &[String],
) -> PriorityParams {
    let mut weights = |key: &str, map: &Option<BTreeMap<String, f64>>, names: &[&str]| {
        let mut out = vec![1.0; names.len()];
        for (k, &w) in map.iter().flatten() {
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
    };
    let tier_names: Vec<&str> = tiers.iter().map(|t| t.as_str()).collect();
    let intent_names: Vec<&str> = intents.iter().map(|i| i.name.as_str()).collect();
    let tier_weights = weights("tier_weights", &raw.tier_weights, &tier_names);
    let intent_weights = weights("intent_weights", &raw.intent_weights, &intent_names);
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
