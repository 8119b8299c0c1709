//! `[targets]`, `[costs]` and `[[backlog]]`: the planner's inputs.

use super::checker::{Checker, quoted};
use crate::scenario::limits::{MAX_AGENTS_PER_TEAM, MAX_DURATION_PARAM_S};
use crate::scenario::plan::{Backlog, Costs, Targets, TierTarget};
use crate::scenario::raw::{RawBacklog, RawCosts, RawTargets};
use crate::scenario::{Channel, Team};

/// Most contacts in one `[[backlog]]` entry: each becomes a waiting contact
/// at the start, so memory grows with it (a very large centre's overnight
/// email backlog is tens of thousands).
pub const MAX_BACKLOG_CONTACTS: i64 = 1_000_000;

fn fraction(ck: &mut Checker<'_>, path: &str, v: f64) -> f64 {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        v
    } else {
        ck.fail(
            path,
            format!("got {v}; allowed: a fraction between 0 and 1"),
        );
        0.5
    }
}

/// `[targets]`, with each default taken from the channels.
pub fn targets(
    ck: &mut Checker<'_>,
    raw: Option<&RawTargets>,
    channels: &[Channel],
    teams: &[Team],
    tiers: &[String],
) -> Targets {
    let mut t = Targets::defaults(
        channels.iter().map(|c| c.service_level.target).collect(),
        teams.len(),
    );
    let Some(raw) = raw else {
        return t;
    };
    let channel_names = || quoted(channels.iter().map(|c| c.name.as_str()));
    for (name, &v) in raw.service_level.iter().flatten() {
        let path = format!("targets.service_level.{name}");
        match channels.iter().position(|c| &c.name == name) {
            Some(c) => t.service_level[c] = fraction(ck, &path, v),
            None => ck.fail(
                &path,
                format!("unknown channel {name:?}; known: {}", channel_names()),
            ),
        }
    }
    if let Some(v) = raw.max_abandon {
        t.max_abandon = Some(fraction(ck, "targets.max_abandon", v));
    }
    if let Some(v) = raw.confidence {
        if (0.5..1.0).contains(&v) {
            t.confidence = v;
        } else {
            ck.fail(
                "targets.confidence",
                format!("got {v}; allowed: a level >= 0.5 and < 1, e.g. 0.95"),
            );
        }
    }
    for (name, &n) in raw.max_agents.iter().flatten() {
        let path = format!("targets.max_agents.{name}");
        match teams.iter().position(|team| &team.name == name) {
            Some(i) if (0..=i64::from(MAX_AGENTS_PER_TEAM)).contains(&n) => {
                t.max_agents[i] = Some(n as u32)
            }
            Some(_) => ck.fail(
                &path,
                format!("got {n}; allowed: 0 to {MAX_AGENTS_PER_TEAM}"),
            ),
            None => ck.fail(
                &path,
                format!(
                    "unknown team {name:?}; known: {}",
                    quoted(teams.iter().map(|team| team.name.as_str()))
                ),
            ),
        }
    }
    t.tiers = tier_targets(ck, raw, tiers);
    t
}

/// A tier target: a share in (0, 1] — 0 would ask for no contact answered
/// in time (or none abandoned), which no staffing can promise.
fn tier_fraction(ck: &mut Checker<'_>, path: &str, v: f64) -> Option<f64> {
    if v.is_finite() && v > 0.0 && v <= 1.0 {
        Some(v)
    } else {
        ck.fail(
            path,
            format!("got {v}; allowed: a fraction greater than 0 and at most 1"),
        );
        None
    }
}

/// `[targets.tier.<name>]`, in tier order; each name must be a value tier
/// some demand mix uses (`standard` when no mix names one).
fn tier_targets(ck: &mut Checker<'_>, raw: &RawTargets, tiers: &[String]) -> Vec<TierTarget> {
    let mut out = Vec::new();
    for (name, given) in raw.tier.iter().flatten() {
        let path = format!("targets.tier.{name}");
        let Some(tier) = tiers.iter().position(|t| t == name) else {
            ck.fail(
                &path,
                format!(
                    "unknown value tier {name:?}; known: {}",
                    quoted(tiers.iter().map(|s| s.as_str()))
                ),
            );
            continue;
        };
        if given.service_level.is_none() && given.max_abandon.is_none() {
            ck.fail(
                &path,
                "no target given; allowed: service_level and/or max_abandon, each a fraction greater than 0 and at most 1".to_string(),
            );
            continue;
        }
        let service_level = given
            .service_level
            .and_then(|v| tier_fraction(ck, &format!("{path}.service_level"), v));
        let max_abandon = given
            .max_abandon
            .and_then(|v| tier_fraction(ck, &format!("{path}.max_abandon"), v));
        out.push(TierTarget {
            tier,
            service_level,
            max_abandon,
        });
    }
    out.sort_by_key(|t| t.tier);
    out
}

/// Largest price accepted anywhere in `[costs]` (any currency): far above
/// any real price, small enough that sums over a year stay finite and exact
/// enough.
const MAX_PRICE: f64 = 1e9;

/// `[costs]`.
pub fn costs(ck: &mut Checker<'_>, raw: Option<&RawCosts>, team_names: &[String]) -> Costs {
    let Some(raw) = raw else {
        return Costs {
            team_per_hour: vec![None; team_names.len()],
            ..Costs::default()
        };
    };
    let mut price = |key: &str, v: Option<f64>| {
        v.map(|v| ck.non_negative(&format!("costs.{key}"), v, MAX_PRICE))
    };
    let human_per_hour = price("human_per_hour", raw.human_per_hour);
    let ai_per_session = price("ai_per_session", raw.ai_per_session).unwrap_or(0.0);
    let ai_per_minute = price("ai_per_minute", raw.ai_per_minute).unwrap_or(0.0);
    let platform_per_week = price("platform_per_week", raw.platform_per_week).unwrap_or(0.0);
    let telephony_per_minute =
        price("telephony_per_minute", raw.telephony_per_minute).unwrap_or(0.0);
    let repeat_contact = price("repeat_contact", raw.repeat_contact).unwrap_or(0.0);
    let mut team_per_hour = vec![None; team_names.len()];
    for (name, v) in raw.team_per_hour.iter().flatten() {
        let key = format!("costs.team_per_hour.{name}");
        match team_names.iter().position(|t| t == name) {
            Some(i) => team_per_hour[i] = Some(ck.non_negative(&key, *v, MAX_PRICE)),
            None => ck.fail(
                &key,
                format!(
                    "no team is called \"{name}\"; allowed: {}",
                    quoted(team_names.iter().map(String::as_str))
                ),
            ),
        }
    }
    let currency = match raw.currency.as_deref() {
        None => "USD".to_string(),
        Some(c) if !c.is_empty() && c.len() <= 16 && c.chars().all(|ch| ch.is_alphanumeric()) => {
            c.to_string()
        }
        Some(c) => {
            ck.fail(
                "costs.currency",
                format!("got {c:?}; allowed: 1 to 16 letters or digits, e.g. \"USD\" or \"INR\""),
            );
            String::new()
        }
    };
    Costs {
        priced: true,
        currency,
        human_per_hour,
        team_per_hour,
        ai_per_session,
        ai_per_minute,
        platform_per_week,
        telephony_per_minute,
        repeat_contact,
    }
}

/// `[[backlog]]` entries.
pub fn backlog(ck: &mut Checker<'_>, raw: &[RawBacklog], channels: &[Channel]) -> Vec<Backlog> {
    raw.iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let path = format!("backlog[{i}]");
            let channel = channels.iter().position(|c| c.name == b.channel);
            if channel.is_none() {
                ck.fail(
                    &format!("{path}.channel"),
                    format!(
                        "unknown channel {:?}; known: {}",
                        b.channel,
                        quoted(channels.iter().map(|c| c.name.as_str()))
                    ),
                );
            }
            if !(0..=MAX_BACKLOG_CONTACTS).contains(&b.contacts) {
                ck.fail(
                    &format!("{path}.contacts"),
                    format!("got {}; allowed: 0 to {MAX_BACKLOG_CONTACTS}", b.contacts),
                );
            }
            let waited_s = b.waited.as_ref().map_or(0.0, |w| {
                ck.duration(&format!("{path}.waited"), w, 0.0, MAX_DURATION_PARAM_S)
            });
            Some(Backlog {
                channel: channel?,
                contacts: b.contacts.clamp(0, MAX_BACKLOG_CONTACTS) as u32,
                waited_s,
            })
        })
        .collect()
}
