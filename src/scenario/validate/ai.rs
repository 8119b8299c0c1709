//! `[ai_agent]`, `[ivr]` and `[customers]`.

use super::checker::{Checker, quoted};
use crate::scenario::ai::*;
use crate::scenario::raw::{RawAiAgent, RawCustomers, RawIntent, RawIvr};
use crate::scenario::{Channel, Complexity, Dist};

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

fn channel_mask(
    ck: &mut Checker<'_>,
    path: &str,
    names: &[String],
    channels: &[Channel],
) -> Vec<bool> {
    let mut mask = vec![false; channels.len()];
    if names.is_empty() {
        ck.fail(
            path,
            "empty; list the channels it serves, e.g. [\"chat\"]".into(),
        );
    }
    for (j, n) in names.iter().enumerate() {
        match channels.iter().position(|c| &c.name == n) {
            Some(i) => mask[i] = true,
            None => ck.fail(
                &format!("{path}[{j}]"),
                format!(
                    "unknown channel {n:?}; known: {}",
                    quoted(channels.iter().map(|c| c.name.as_str()))
                ),
            ),
        }
    }
    mask
}

const LEVELS: [&str; 3] = ["full", "summary", "none"];

/// Validates `[ai_agent]` (None when absent or `enabled = false`).
pub fn ai_agent(
    ck: &mut Checker<'_>,
    raw: &RawAiAgent,
    raw_intents: &[RawIntent],
    channels: &[Channel],
    intents: usize,
    languages: &[String],
    tiers: &[String],
) -> Option<AiAgent> {
    let p = |k: &str| format!("ai_agent.{k}");
    let channel_mask = channel_mask(ck, &p("channels"), &raw.channels, channels);
    let languages_mask = match &raw.languages {
        None => vec![true; languages.len()],
        Some(list) => {
            let mut mask = vec![false; languages.len()];
            for (j, n) in list.iter().enumerate() {
                match languages.iter().position(|l| l == n) {
                    Some(i) => mask[i] = true,
                    // A language no demand uses is harmless: the AI simply never meets it.
                    None if n.trim().is_empty() => ck.fail(
                        &format!("ai_agent.languages[{j}]"),
                        "empty language name".into(),
                    ),
                    None => {}
                }
            }
            mask
        }
    };
    let capacity = if (1..=10_000_000).contains(&raw.capacity) {
        raw.capacity as u32
    } else {
        ck.fail(
            &p("capacity"),
            format!(
                "got {}; allowed: 1 to 10000000 concurrent sessions",
                raw.capacity
            ),
        );
        1
    };
    let overflow_to_human = match raw.overflow.as_deref() {
        None | Some("wait") => false,
        Some("human") => true,
        Some(other) => {
            ck.fail(
                &p("overflow"),
                format!("got {other:?}; allowed: \"wait\" (for the AI) or \"human\""),
            );
            false
        }
    };
    // Triage 20 s [convention]; conversation ≈ 2 min: a large fintech's bot took
    // chats in under 2 min (Klarna 2024, as reported) [secondary].
    let triage_time = raw
        .triage_time
        .as_ref()
        .map_or(Dist::Fixed { value_s: 20.0 }, |d| {
            ck.dist(&p("triage_time"), d)
        });
    let default_handle = raw.handle_time.as_ref().map_or_else(
        || Dist::lognormal(120.0, 0.6).expect("valid"),
        |d| ck.dist(&p("handle_time"), d),
    );
    // Default true resolution 0.40: retrieval-augmented bots contain 40–60% [vendor].
    let default_resolution = probability(ck, &p("resolution"), raw.resolution, 0.4);
    let mut handle_time = vec![default_handle; intents];
    let mut resolution = vec![default_resolution; intents];
    for (i, ri) in raw_intents.iter().enumerate() {
        if let Some(d) = &ri.ai_handle_time {
            handle_time[i] = ck.dist(&format!("intent[{i}].ai_handle_time"), d);
        }
        if ri.ai_resolution.is_some() {
            resolution[i] = probability(
                ck,
                &format!("intent[{i}].ai_resolution"),
                ri.ai_resolution,
                default_resolution,
            );
        }
    }
    // 0.15 of unresolved sessions ended by the AI: with resolution 0.4 that makes
    // ≈ 18% of "contained" sessions false, inside the 15–25% of DOMAIN.md [convention].
    let false_containment = probability(ck, &p("false_containment"), raw.false_containment, 0.15);
    let context = match raw.context.as_deref() {
        Some("full") => Context::Full,
        None | Some("summary") => Context::Summary,
        Some("none") => Context::None,
        Some(other) => {
            ck.fail(
                &p("context"),
                format!("got {other:?}; allowed: \"full\", \"summary\", \"none\""),
            );
            Context::Summary
        }
    };
    let memory = match raw.memory.as_deref() {
        None | Some("shared") => Memory::Shared,
        Some("per_channel") => Memory::PerChannel,
        Some("none") => Memory::None,
        Some(other) => {
            ck.fail(
                &p("memory"),
                format!("got {other:?}; allowed: \"shared\" (one AI remembers every channel), \"per_channel\" (a bot per channel: switching channel starts over), \"none\""),
            );
            Memory::Shared
        }
    };
    // Re-establishing context [convention]: a summary costs ≈ 45 s of checking,
    // none ≈ 2 min of repeating and re-authenticating; patience left 1 / 0.9 / 0.7;
    // resolution 0 / −0.02 / −0.05 (a bot-failed handoff lowers sentiment: Zhang &
    // Narayandas, Management Science, forthcoming [paper]).
    let mut context_time = [
        None,
        Dist::lognormal(45.0, 0.5),
        Dist::lognormal(120.0, 0.5),
    ];
    let mut context_patience = [1.0, 0.9, 0.7];
    let mut context_resolution = [0.0, -0.02, -0.05];
    let level_keys = [
        (
            "context_time",
            raw.context_time
                .as_ref()
                .map(|m| m.keys().cloned().collect::<Vec<_>>()),
        ),
        (
            "context_patience",
            raw.context_patience
                .as_ref()
                .map(|m| m.keys().cloned().collect()),
        ),
        (
            "context_resolution",
            raw.context_resolution
                .as_ref()
                .map(|m| m.keys().cloned().collect()),
        ),
    ];
    for (key, keys) in level_keys {
        for k in keys.into_iter().flatten() {
            if !LEVELS.contains(&k.as_str()) {
                ck.fail(
                    &format!("ai_agent.{key}.{k}"),
                    format!(
                        "unknown context level {k:?}; allowed: \"full\", \"summary\", \"none\""
                    ),
                );
            }
        }
    }
    for (level, name) in LEVELS.iter().enumerate() {
        if let Some(d) = raw.context_time.as_ref().and_then(|m| m.get(*name)) {
            context_time[level] = Some(ck.dist(&format!("ai_agent.context_time.{name}"), d));
        }
        if let Some(&v) = raw.context_patience.as_ref().and_then(|m| m.get(*name)) {
            context_patience[level] = probability(
                ck,
                &format!("ai_agent.context_patience.{name}"),
                Some(v),
                1.0,
            );
        }
        if let Some(&v) = raw.context_resolution.as_ref().and_then(|m| m.get(*name)) {
            if v.is_finite() && (-1.0..=1.0).contains(&v) {
                context_resolution[level] = v;
            } else {
                ck.fail(
                    &format!("ai_agent.context_resolution.{name}"),
                    format!("got {v}; allowed: a change in probability between -1 and 1"),
                );
            }
        }
    }
    let e = raw.escalation.clone().unwrap_or_default();
    let max_complexity = match e.max_complexity.as_deref() {
        None | Some("high") => Complexity::High,
        Some("medium") => Complexity::Medium,
        Some("low") => Complexity::Low,
        Some(other) => {
            ck.fail(
                "ai_agent.escalation.max_complexity",
                format!("got {other:?}; allowed: \"low\", \"medium\", \"high\""),
            );
            Complexity::High
        }
    };
    let mut tier_mask = vec![false; tiers.len()];
    for (j, t) in e.tiers.iter().flatten().enumerate() {
        match tiers.iter().position(|x| x == t) {
            Some(i) => tier_mask[i] = true,
            None => ck.fail(
                &format!("ai_agent.escalation.tiers[{j}]"),
                format!(
                    "unknown value tier {t:?}; known: {}",
                    quoted(tiers.iter().map(|s| s.as_str()))
                ),
            ),
        }
    }
    let escalation = Escalation {
        max_complexity,
        tiers: tier_mask,
        emotional: e.emotional.unwrap_or(false),
        // 20% ask for a person [convention from the 64% / 60% Gartner survey figures].
        ask_for_human: probability(
            ck,
            "ai_agent.escalation.ask_for_human",
            e.ask_for_human,
            0.2,
        ),
        failure: probability(ck, "ai_agent.escalation.failure", e.failure, 0.02),
        timeout_s: e
            .timeout
            .as_ref()
            .map(|t| ck.duration("ai_agent.escalation.timeout", t, 1.0, 86_400.0)),
        misroute: probability(ck, "ai_agent.escalation.misroute", e.misroute, 0.05),
        misroute_time: e
            .misroute_time
            .as_ref()
            .map_or(Dist::Fixed { value_s: 90.0 }, |d| {
                ck.dist("ai_agent.escalation.misroute_time", d)
            }),
    };
    if raw.enabled == Some(false) {
        return None;
    }
    Some(AiAgent {
        channels: channel_mask,
        languages: languages_mask,
        capacity,
        overflow_to_human,
        triage_time,
        handle_time,
        resolution,
        false_containment,
        context,
        memory,
        context_time,
        context_patience,
        context_resolution,
        escalation,
    })
}

/// Validates `[ivr]` (None when absent or disabled).
pub fn ivr(ck: &mut Checker<'_>, raw: &RawIvr, channels: &[Channel]) -> Option<Ivr> {
    let mask = channel_mask(ck, "ivr.channels", &raw.channels, channels);
    let time = ck.dist("ivr.time", &raw.time);
    // A menu misroutes ≈ 10% [convention].
    let misroute = probability(ck, "ivr.misroute", raw.misroute, 0.1);
    let misroute_time = raw
        .misroute_time
        .as_ref()
        .map_or(Dist::Fixed { value_s: 90.0 }, |d| {
            ck.dist("ivr.misroute_time", d)
        });
    (raw.enabled != Some(false)).then_some(Ivr {
        channels: mask,
        time,
        misroute,
        misroute_time,
    })
}

/// Validates `[customers]`. `front_line` tells whether an AI agent or IVR is
/// configured: only then do unresolved customers come back by default, so that
/// plain queueing scenarios (the Erlang validation contract) stay plain.
pub fn customers(
    ck: &mut Checker<'_>,
    raw: &RawCustomers,
    channels: &[Channel],
    front_line: bool,
) -> Customers {
    // 70% of unresolved customers come back [convention]; false containment is
    // defined by a same-issue recontact within 24 h [vendor], so the delay
    // defaults to a lognormal with mean 6 h.
    let default_recontact = if front_line { 0.7 } else { 0.0 };
    let recontact = probability(ck, "customers.recontact", raw.recontact, default_recontact);
    let recontact_delay = raw.recontact_delay.as_ref().map_or_else(
        || Dist::lognormal(6.0 * 3600.0, 1.0).expect("valid"),
        |d| ck.dist("customers.recontact_delay", d),
    );
    let mut redial = vec![None; channels.len()];
    for (name, r) in &raw.redial {
        let path = format!("customers.redial.{name}");
        let Some(c) = channels.iter().position(|x| &x.name == name) else {
            ck.fail(&path, format!("unknown channel {name:?}"));
            continue;
        };
        let probability = probability(ck, &format!("{path}.probability"), Some(r.probability), 0.0);
        let delay = ck.dist(&format!("{path}.delay"), &r.delay);
        let mut switch = Vec::new();
        let mut total = 0.0;
        for (to, &share) in &r.switch {
            match channels.iter().position(|x| &x.name == to) {
                Some(t) if share.is_finite() && (0.0..=1.0).contains(&share) => {
                    total += share;
                    switch.push((t, share));
                }
                Some(_) => ck.fail(
                    &format!("{path}.switch.{to}"),
                    format!("got {share}; allowed: a probability between 0 and 1"),
                ),
                None => ck.fail(
                    &format!("{path}.switch.{to}"),
                    format!("unknown channel {to:?}"),
                ),
            }
        }
        if total > 1.0 + 1e-9 {
            ck.fail(
                &format!("{path}.switch"),
                format!("switch probabilities sum to {total}; allowed: at most 1"),
            );
        }
        redial[c] = Some(Redial {
            probability,
            delay,
            switch,
        });
    }
    zero_time_redial_loops(ck, channels, &redial);
    let mut callback = vec![None; channels.len()];
    for (name, cb) in &raw.callback {
        let path = format!("customers.callback.{name}");
        let Some(c) = channels.iter().position(|x| &x.name == name) else {
            ck.fail(&path, format!("unknown channel {name:?}"));
            continue;
        };
        callback[c] = Some(Callback {
            threshold_s: ck.duration(&format!("{path}.threshold"), &cb.threshold, 0.0, 86_400.0),
            accept: probability(ck, &format!("{path}.accept"), Some(cb.accept), 0.0),
        });
    }
    Customers {
        recontact,
        recontact_delay,
        redial,
        callback,
    }
}

/// Whether `d` gives 0 s on every draw.
fn always_zero(d: &Dist) -> bool {
    match *d {
        Dist::Fixed { value_s } => value_s == 0.0,
        Dist::Uniform { max_s, .. } => max_s == 0.0,
        _ => false,
    }
}

/// Rejects redials that loop in zero simulated time: a customer with
/// patience always 0 s abandons at once, redials with probability 1 after
/// 0 s, and (directly or through channel switches) can never reach a channel
/// where time passes. The engine would create contacts forever without the
/// clock moving.
fn zero_time_redial_loops(ck: &mut Checker<'_>, channels: &[Channel], redial: &[Option<Redial>]) {
    // Channels where an abandoned contact comes back at once, surely.
    let instant = |c: usize| {
        channels[c].patience.as_ref().is_some_and(always_zero)
            && redial[c]
                .as_ref()
                .is_some_and(|r| r.probability >= 1.0 && always_zero(&r.delay))
    };
    // Where a redial from `c` may go: each switch target, and `c` itself
    // unless the switches always move it.
    let next = |c: usize| -> Vec<usize> {
        let r = redial[c].as_ref().expect("instant channels redial");
        let mut to: Vec<usize> = r.switch.iter().filter(|s| s.1 > 0.0).map(|s| s.0).collect();
        if r.switch.iter().map(|s| s.1).sum::<f64>() < 1.0 {
            to.push(c);
        }
        to
    };
    // A channel escapes when some path of redials reaches a channel where
    // time passes; iterate to the fixed point.
    let n = channels.len();
    let mut escapes: Vec<bool> = (0..n).map(|c| !instant(c)).collect();
    loop {
        let mut changed = false;
        for c in 0..n {
            if !escapes[c] && next(c).iter().any(|&t| escapes[t]) {
                escapes[c] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for c in (0..n).filter(|&c| !escapes[c]) {
        let name = &channels[c].name;
        ck.fail(
            &format!("customers.redial.{name}"),
            format!(
                "a redial loop in zero time: `channel.{name}.patience` is always 0 s, `customers.redial.{name}.probability` is 1 and `customers.redial.{name}.delay` is always 0 s{}, so an abandoned contact comes back at the same instant forever; allowed: patience or redial delay above 0 s, or a redial probability below 1",
                if redial[c].as_ref().is_some_and(|r| !r.switch.is_empty()) {
                    " (its channel switches lead only to such channels)"
                } else {
                    ""
                }
            ),
        );
    }
}
