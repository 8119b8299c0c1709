//! `[quality]`, `[[system]]`, `[[outage]]` and the intents' `ai_ceiling` and
//! `systems`. Defaults and their reasoning are in docs/QUALITY.md.

use super::checker::{Checker, quoted};
use crate::scenario::ai::AiAgent;
use crate::scenario::limits::{MAX_DURATION_PARAM_S, MAX_SIMULATED_S};
use crate::scenario::quality::*;
use crate::scenario::raw::{RawIntent, RawOutage, RawQuality, RawSystem};

/// Default AI resolution ceiling [convention]: even a well-fed AI leaves some
/// problems it cannot solve (policy exceptions, missing data).
pub const DEFAULT_CEILING: f64 = 0.9;
/// Default detection probability [convention]: a scorer misses some failures.
pub const DEFAULT_DETECTION: f64 = 0.8;
/// Default learning time constant [convention]: 8 weeks. With full evidence
/// every week the gap to the ceiling falls to e^(−1) ≈ 37% in 8 weeks and to
/// ≈ 20% over a quarter: a model improved by a weekly review cycle, not in one
/// release. No study of AI-agent learning curves was found.
pub const DEFAULT_LEARNING_TIME_S: f64 = 8.0 * WEEK_S;
/// Default evidence for a full weekly step [convention]: 50 detected AI
/// failures of an intent in a week (a reviewer's working sample of an intent's
/// failure modes). Fewer make a proportionally smaller step.
pub const DEFAULT_LEARNING_EVIDENCE: f64 = 50.0;
/// Default cap on coaching per agent per month [convention]: 1.5 hours, in
/// the one-to-two hours a month that coaching programmes commonly budget.
pub const DEFAULT_COACHING_PER_MONTH_S: f64 = 1.5 * 3600.0;
const WEEK_S: f64 = 7.0 * 86_400.0;
/// Default longest human wait for a system during an outage [convention]:
/// after 20 min an agent parks the case and finishes later.
pub const DEFAULT_MAX_WAIT_S: f64 = 1200.0;

fn probability(ck: &mut Checker<'_>, path: &str, value: Option<f64>, default: f64) -> f64 {
    match value {
        Some(v) if v.is_finite() && (0.0..=1.0).contains(&v) => v,
        Some(v) => {
            ck.fail(
                path,
                format!("got {v}; allowed: a probability between 0 and 1"),
            );
            default
        }
        None => default,
    }
}

/// Validates `[quality]` and the intents' `ai_ceiling`.
pub fn quality(
    ck: &mut Checker<'_>,
    raw: Option<&RawQuality>,
    raw_intents: &[RawIntent],
    intents: usize,
    ai: Option<&AiAgent>,
) -> Option<Quality> {
    let Some(raw) = raw else {
        for (i, ri) in raw_intents.iter().enumerate() {
            if ri.ai_ceiling.is_some() {
                ck.fail(
                    &format!("intent[{i}].ai_ceiling"),
                    "set without [quality]; add a [quality] table (the ceiling bounds its feedback)"
                        .into(),
                );
            }
        }
        return None;
    };
    let p = |k: &str| format!("quality.{k}");
    let share_scored = probability(ck, &p("share_scored"), Some(raw.share_scored), 0.0);
    let cost_per_contact = raw
        .cost_per_contact
        .map_or(0.0, |c| ck.non_negative(&p("cost_per_contact"), c, 1e9));
    let analyst_minutes = raw
        .analyst_minutes
        .map_or(0.0, |m| ck.non_negative(&p("analyst_minutes"), m, 1e4));
    let detection = probability(ck, &p("detection"), raw.detection, DEFAULT_DETECTION);
    let max_step = learning_step(ck, raw);
    let learning_evidence = raw
        .learning_evidence
        .map_or(DEFAULT_LEARNING_EVIDENCE, |n| {
            ck.positive(&p("learning_evidence"), n, 1e9)
        });
    let default_ceiling = probability(ck, &p("ceiling"), raw.ceiling, DEFAULT_CEILING);
    let mut ceiling = vec![default_ceiling; intents];
    for (i, ri) in raw_intents.iter().enumerate() {
        if ri.ai_ceiling.is_some() {
            ceiling[i] = probability(
                ck,
                &format!("intent[{i}].ai_ceiling"),
                ri.ai_ceiling,
                default_ceiling,
            );
        }
    }
    if let Some(ai) = ai {
        for (i, (&c, &r)) in ceiling.iter().zip(&ai.resolution).enumerate() {
            if c < r {
                let path = if raw_intents.get(i).is_some_and(|ri| ri.ai_ceiling.is_some()) {
                    format!("intent[{i}].ai_ceiling")
                } else {
                    p("ceiling")
                };
                ck.fail(
                    &path,
                    format!("got {c}, below the AI's resolution {r} for this intent; allowed: a ceiling >= the starting resolution"),
                );
            }
        }
    }
    let coaching = raw.coaching.as_ref().map(|c| {
        let uplift = probability(ck, &p("coaching.uplift"), Some(c.uplift), 0.0);
        let max_uplift = probability(ck, &p("coaching.max_uplift"), c.max_uplift, uplift);
        if max_uplift < uplift {
            ck.fail(
                &p("coaching.max_uplift"),
                format!("got {max_uplift}, below uplift {uplift}; allowed: max_uplift >= uplift (at most 1)"),
            );
        }
        Coaching {
            time_s: ck.duration(&p("coaching.time"), &c.time, 0.0, MAX_DURATION_PARAM_S),
            uplift,
            decay_s: ck.duration(&p("coaching.decay"), &c.decay, 1.0, MAX_SIMULATED_S),
            max_uplift,
            max_per_month_s: c.max_per_month.as_ref().map_or(DEFAULT_COACHING_PER_MONTH_S, |m| {
                ck.duration(&p("coaching.max_per_month"), m, 0.0, MAX_DURATION_PARAM_S)
            }),
        }
    });
    Some(Quality {
        share_scored,
        cost_per_contact,
        analyst_minutes,
        detection,
        feedback: raw.feedback.unwrap_or(false),
        max_step,
        learning_evidence,
        ceiling,
        coaching,
    })
}

/// The largest weekly share of the gap closed: from `learning_time` (τ) as
/// 1 − e^(−1 week/τ), or from the older `learning_rate`, kept as that share
/// directly (it no longer scales with the count of failures). Setting both is
/// an error: they say the same thing.
fn learning_step(ck: &mut Checker<'_>, raw: &RawQuality) -> f64 {
    let tau = |ck: &mut Checker<'_>, t: &str| {
        ck.duration("quality.learning_time", t, 3600.0, MAX_SIMULATED_S)
    };
    match (raw.learning_rate, raw.learning_time.as_deref()) {
        (Some(_), Some(_)) => {
            ck.fail(
                "quality.learning_rate",
                "set together with quality.learning_time; allowed: one of them (learning_rate is the weekly share of the gap closed with full evidence, 1 − e^(−1 week / learning_time))".into(),
            );
            0.0
        }
        (Some(lr), None) => probability(ck, "quality.learning_rate", Some(lr), 0.0),
        (None, Some(t)) => 1.0 - (-WEEK_S / tau(ck, t)).exp(),
        (None, None) => 1.0 - (-WEEK_S / DEFAULT_LEARNING_TIME_S).exp(),
    }
}

/// Validates `[[system]]`, `[[outage]]` and the intents' `systems`.
pub fn back_office(
    ck: &mut Checker<'_>,
    raw_systems: &[RawSystem],
    raw_outages: &[RawOutage],
    raw_intents: &[RawIntent],
    intents: usize,
) -> BackOffice {
    let mut systems: Vec<System> = Vec::new();
    for (i, rs) in raw_systems.iter().enumerate() {
        let path = format!("system[{i}]");
        if rs.name.trim().is_empty() {
            ck.fail(
                &format!("{path}.name"),
                "empty; give each system a name".into(),
            );
        }
        if systems.iter().any(|s| s.name == rs.name) {
            ck.fail(
                &format!("{path}.name"),
                format!("duplicate system {:?}", rs.name),
            );
        }
        systems.push(System {
            name: rs.name.clone(),
            latency: rs
                .latency
                .as_ref()
                .map(|d| ck.dist(&format!("{path}.latency"), d)),
            failure: probability(ck, &format!("{path}.failure"), rs.failure, 0.0),
            max_wait_s: rs.max_wait.as_ref().map_or(DEFAULT_MAX_WAIT_S, |w| {
                ck.duration(&format!("{path}.max_wait"), w, 0.0, MAX_DURATION_PARAM_S)
            }),
        });
    }
    let names = || quoted(systems.iter().map(|s| s.name.as_str()));
    let mut outages = Vec::new();
    for (i, ro) in raw_outages.iter().enumerate() {
        let path = format!("outage[{i}]");
        let Some(system) = systems.iter().position(|s| s.name == ro.system) else {
            let known = names();
            ck.fail(
                &format!("{path}.system"),
                format!("unknown system {:?}; known: {known}", ro.system),
            );
            continue;
        };
        // An outage after the horizon is allowed (it never happens): horizons are
        // often shortened by variants or overrides, and the outage stays harmless.
        let start_s = ck.duration(&format!("{path}.start"), &ro.start, 0.0, MAX_SIMULATED_S);
        let length_s = ck.duration(&format!("{path}.length"), &ro.length, 0.0, MAX_SIMULATED_S);
        outages.push(Outage {
            system,
            start_s,
            length_s,
        });
    }
    let mut intent_systems = vec![Vec::new(); intents];
    for (i, ri) in raw_intents.iter().enumerate() {
        for (j, n) in ri.systems.iter().flatten().enumerate() {
            match systems.iter().position(|s| &s.name == n) {
                Some(s) if !intent_systems[i].contains(&s) => intent_systems[i].push(s),
                Some(_) => {}
                None => {
                    let known = names();
                    ck.fail(
                        &format!("intent[{i}].systems[{j}]"),
                        format!("unknown system {n:?}; known: {known}"),
                    );
                }
            }
        }
    }
    BackOffice {
        systems,
        outages,
        intent_systems,
    }
}
