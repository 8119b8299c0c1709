//! `[[team]]`: skills, schedules, concurrency, wrap-up, assist, fatigue, attrition.

use super::checker::{Checker, quoted};
use crate::scenario::limits::MAX_AGENTS_PER_TEAM;
use crate::scenario::people::*;
use crate::scenario::raw::{RawShift, RawTeam};
use crate::scenario::{Channel, Intent};

const DAY_S: f64 = 86_400.0;
const WEEK_S: f64 = 7.0 * DAY_S;
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Parses `"HH:MM"` into seconds after midnight.
pub(super) fn clock_s(text: &str) -> Option<f64> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then(|| f64::from(h * 3600 + m * 60))
}

pub fn team(
    ck: &mut Checker<'_>,
    path: &str,
    rt: &RawTeam,
    channels: &[Channel],
    intents: &[Intent],
    languages: &[String],
    sim_interval_s: f64,
) -> Team {
    let p = |k: &str| format!("{path}.{k}");
    let mut team_channels: Vec<usize> = Vec::new();
    if rt.channels.is_empty() {
        ck.fail(
            &p("channels"),
            "empty; list the channels this team answers, e.g. [\"voice\"]".into(),
        );
    }
    for (j, cname) in rt.channels.iter().enumerate() {
        match channels.iter().position(|c| &c.name == cname) {
            Some(id) if !team_channels.contains(&id) => team_channels.push(id),
            Some(_) => {}
            None => ck.fail(&format!("{path}.channels[{j}]"), format!("channel {cname:?} has no demand and no [channel.{cname}] table; known channels: {}", quoted(channels.iter().map(|c| c.name.as_str())))),
        }
    }
    let skill_mask = |ck: &mut Checker<'_>,
                      key: &str,
                      list: &Option<Vec<String>>,
                      known: &[&str]|
     -> Vec<bool> {
        match list {
            None => vec![true; known.len()],
            Some(names) => {
                let mut mask = vec![false; known.len()];
                for (j, n) in names.iter().enumerate() {
                    match known.iter().position(|k| k == n) {
                        Some(i) => mask[i] = true,
                        None => ck.fail(
                            &format!("{path}.{key}[{j}]"),
                            format!(
                                "unknown {} {n:?}; known: {}",
                                &key[..key.len() - 1],
                                quoted(known.iter().copied())
                            ),
                        ),
                    }
                }
                mask
            }
        }
    };
    let intent_names: Vec<&str> = intents.iter().map(|i| i.name.as_str()).collect();
    let language_names: Vec<&str> = languages.iter().map(|l| l.as_str()).collect();
    let intent_mask = skill_mask(ck, "intents", &rt.intents, &intent_names);
    let language_mask = skill_mask(ck, "languages", &rt.languages, &language_names);
    let proficiency = match rt.proficiency {
        Some(v) => ck.positive(&p("proficiency"), v, 10.0),
        None => 1.0,
    };
    let handle_time = rt
        .handle_time
        .as_ref()
        .map(|d| ck.dist(&p("handle_time"), d));
    if handle_time.is_none() {
        'outer: for &c in &team_channels {
            for (i, intent) in intents.iter().enumerate() {
                if intent_mask[i] && intent.handle_time[c].is_none() {
                    ck.fail(path, format!("no handle_time: team {:?} answers {:?}, and intent {:?} gives no handle_time for it; add handle_time to the team or to the intent", rt.name, channels[c].name, intent.name));
                    break 'outer;
                }
            }
        }
    }
    let mut wrap_up = vec![None; channels.len()];
    for (cname, rd) in &rt.wrap_up {
        match channels.iter().position(|c| &c.name == cname) {
            Some(c) => wrap_up[c] = Some(ck.dist(&format!("{path}.wrap_up.{cname}"), rd)),
            None => ck.fail(
                &format!("{path}.wrap_up.{cname}"),
                format!("unknown channel {cname:?}"),
            ),
        }
    }
    let mut concurrency = vec![1u8; channels.len()];
    for (cname, &n) in &rt.concurrency {
        let key = format!("{path}.concurrency.{cname}");
        match channels.iter().position(|c| &c.name == cname) {
            Some(_) if cname == "voice" && n != 1 => ck.fail(
                &key,
                format!("got {n}; voice is one contact at a time (allowed: 1)"),
            ),
            Some(c) if (1..=16).contains(&n) => concurrency[c] = n as u8,
            Some(_) => ck.fail(&key, format!("got {n}; allowed: 1 to 16 sessions")),
            None => ck.fail(&key, format!("unknown channel {cname:?}")),
        }
    }
    // Per-session slow-down 0.25 per extra session [convention, DOMAIN.md: Goes et al.
    // 2018, Tezcan & Zhang 2014 find longer in-service delays with concurrency].
    let concurrency_slowdown = match rt.concurrency_slowdown {
        Some(v) => ck.non_negative(&p("concurrency_slowdown"), v, 5.0),
        None => 0.25,
    };
    let shrinkage = match rt.shrinkage {
        Some(v) if v.is_finite() && (0.0..1.0).contains(&v) => v,
        Some(v) => {
            ck.fail(
                &p("shrinkage"),
                format!("got {v}; allowed: a share >= 0 and < 1"),
            );
            0.0
        }
        None => 0.0,
    };
    let assist = assist(ck, path, rt);
    let fatigue = rt.fatigue.as_ref().map(|f| Fatigue {
        per_shift_hour: f.per_shift_hour.map_or(0.00625, |v| {
            ck.non_negative(&p("fatigue.per_shift_hour"), v, 1.0)
        }),
        per_busy_hour: f.per_busy_hour.map_or(0.02, |v| {
            ck.non_negative(&p("fatigue.per_busy_hour"), v, 1.0)
        }),
        recovery_s: f.recovery.as_ref().map_or(1200.0, |r| {
            ck.duration(&p("fatigue.recovery"), r, 1.0, DAY_S)
        }),
        unresolved_per_busy_hour: f.unresolved_per_busy_hour.map_or(0.02, |v| {
            ck.non_negative(&p("fatigue.unresolved_per_busy_hour"), v, 1.0)
        }),
    });
    let attrition = rt.attrition.as_ref().map(|a| {
        let annual_rate = if a.annual_rate.is_finite() && (0.0..1.0).contains(&a.annual_rate) {
            a.annual_rate
        } else {
            ck.fail(
                &p("attrition.annual_rate"),
                format!(
                    "got {}; allowed: a share >= 0 and < 1 per year",
                    a.annual_rate
                ),
            );
            0.0
        };
        let threshold = a.occupancy_threshold.map_or(0.85, |v| {
            ck.non_negative(&p("attrition.occupancy_threshold"), v, 0.99)
        });
        Attrition {
            annual_rate,
            occupancy_threshold: threshold,
            occupancy_factor: a.occupancy_factor.map_or(1.0, |v| {
                ck.non_negative(&p("attrition.occupancy_factor"), v, 100.0)
            }),
            repetitive_factor: a.repetitive_factor.map_or(0.5, |v| {
                ck.non_negative(&p("attrition.repetitive_factor"), v, 100.0)
            }),
            hire_lead_s: a.hire_lead.as_ref().map_or(6.0 * WEEK_S, |t| {
                ck.duration(&p("attrition.hire_lead"), t, 0.0, 104.0 * WEEK_S)
            }),
            ramp_s: a.ramp.as_ref().map_or(7.0 * WEEK_S, |t| {
                ck.duration(&p("attrition.ramp"), t, 0.0, 104.0 * WEEK_S)
            }),
            ramp_start: a
                .ramp_start
                .map_or(0.72, |v| ck.positive(&p("attrition.ramp_start"), v, 1.0)),
            replace: a.replace.unwrap_or(true),
        }
    });
    let load_speed = rt.load_speed.as_ref().map(|l| LoadSpeed {
        queue_per_agent: ck.non_negative(
            &p("load_speed.queue_per_agent"),
            l.queue_per_agent,
            1000.0,
        ),
        factor: ck.positive(&p("load_speed.factor"), l.factor, 10.0),
    });
    let given = usize::from(rt.agents.is_some())
        + usize::from(!rt.shift.is_empty())
        + usize::from(rt.agents_per_interval.is_some());
    let staffing = if given != 1 {
        ck.fail(path, "give exactly one of `agents` (always on duty), `agents_per_interval` (net staffing per interval) or [[team.shift]] templates".into());
        Staffing::AlwaysOn { agents: 0 }
    } else if let Some(n) = rt.agents {
        if (0..=i64::from(MAX_AGENTS_PER_TEAM)).contains(&n) {
            Staffing::AlwaysOn { agents: n as u32 }
        } else {
            ck.fail(
                &p("agents"),
                format!("got {n}; allowed: 0 to {MAX_AGENTS_PER_TEAM}"),
            );
            Staffing::AlwaysOn { agents: 0 }
        }
    } else if let Some(list) = &rt.agents_per_interval {
        let interval_s = rt.staffing_interval.as_ref().map_or(sim_interval_s, |t| {
            ck.duration(&p("staffing_interval"), t, 60.0, DAY_S)
        });
        if list.is_empty() {
            ck.fail(
                &p("agents_per_interval"),
                "empty; give the agents on duty for each interval".into(),
            );
        }
        if list.len() > crate::scenario::limits::MAX_INTERVALS {
            ck.fail(
                &p("agents_per_interval"),
                format!(
                    "{} entries; allowed: at most {}",
                    list.len(),
                    crate::scenario::limits::MAX_INTERVALS
                ),
            );
        }
        let agents = list
            .iter()
            .enumerate()
            .map(|(j, &n)| {
                if (0..=i64::from(MAX_AGENTS_PER_TEAM)).contains(&n) {
                    n as u32
                } else {
                    ck.fail(
                        &format!("{path}.agents_per_interval[{j}]"),
                        format!("got {n}; allowed: 0 to {MAX_AGENTS_PER_TEAM}"),
                    );
                    0
                }
            })
            .collect::<Vec<_>>();
        let agents = if agents.is_empty() { vec![0] } else { agents };
        Staffing::PerInterval { agents, interval_s }
    } else {
        Staffing::Shifts(
            rt.shift
                .iter()
                .enumerate()
                .flat_map(|(i, s)| {
                    let path = format!("{path}.shift[{i}]");
                    let (template, rules) = shift(ck, &path, s);
                    rotate(ck, &path, s, template)
                        .into_iter()
                        .flat_map(move |t| crate::scenario::breaks::expand(t, &rules))
                })
                .collect(),
        )
    };
    let team = Team {
        name: rt.name.clone(),
        channels: team_channels,
        intents: intent_mask,
        languages: language_mask,
        proficiency,
        handle_time,
        wrap_up,
        concurrency,
        concurrency_slowdown,
        shrinkage,
        assist,
        fatigue,
        attrition,
        load_speed,
        staffing,
        shift_family: rt
            .shift_family
            .as_ref()
            .map(|f| super::family::family(ck, &p("shift_family"), f)),
    };
    if team.headcount() > MAX_AGENTS_PER_TEAM {
        ck.fail(
            path,
            format!(
                "{} agents in the team; allowed: at most {MAX_AGENTS_PER_TEAM}",
                team.headcount()
            ),
        );
    }
    team
}

fn assist(ck: &mut Checker<'_>, path: &str, rt: &RawTeam) -> Assist {
    let mode = match rt.assist.as_deref() {
        None | Some("none") => AssistMode::None,
        Some("post_call") => AssistMode::PostCall,
        Some("realtime") => AssistMode::Realtime,
        Some(other) => {
            ck.fail(
                &format!("{path}.assist"),
                format!("got {other:?}; allowed: \"none\", \"post_call\", \"realtime\""),
            );
            AssistMode::None
        }
    };
    let mut a = Assist::defaults(mode);
    if let Some(e) = &rt.assist_effects {
        let k = |name: &str| format!("{path}.assist_effects.{name}");
        if let Some(v) = e.handle_time {
            a.handle_time = ck.positive(&k("handle_time"), v, 2.0);
        }
        if let Some(v) = e.new_hire_handle_time {
            a.new_hire_handle_time = ck.positive(&k("new_hire_handle_time"), v, 2.0);
        }
        if let Some(v) = e.wrap_up {
            a.wrap_up = ck.non_negative(&k("wrap_up"), v, 2.0);
        }
        if let Some(v) = e.resolution {
            if !(v.is_finite() && (-1.0..=1.0).contains(&v)) {
                ck.fail(
                    &k("resolution"),
                    format!("got {v}; allowed: a change in probability between -1 and 1"),
                );
            } else {
                a.resolution = v;
            }
        }
        if let Some(v) = e.context {
            a.context = ck.non_negative(&k("context"), v, 2.0);
        }
        if let Some(v) = e.ramp {
            a.ramp = ck.non_negative(&k("ramp"), v, 2.0);
        }
    }
    a
}

fn shift(
    ck: &mut Checker<'_>,
    path: &str,
    rs: &RawShift,
) -> (Shift, Vec<crate::scenario::breaks::BreakRule>) {
    let start_s = clock_s(&rs.start).unwrap_or_else(|| {
        ck.fail(
            &format!("{path}.start"),
            format!(
                "got {:?}; allowed: a clock time \"HH:MM\" (00:00 to 23:59)",
                rs.start
            ),
        );
        0.0
    });
    let length_s = ck.duration(&format!("{path}.length"), &rs.length, 60.0, DAY_S);
    let mut days = [true; 7];
    no_working_days(ck, path, rs.days.as_deref());
    if let Some(list) = &rs.days {
        days = [false; 7];
        for (j, d) in list.iter().enumerate() {
            match DAY_NAMES
                .iter()
                .position(|n| d.to_ascii_lowercase().starts_with(n))
            {
                Some(i) => days[i] = true,
                None => ck.fail(
                    &format!("{path}.days[{j}]"),
                    format!("got {d:?}; allowed: mon, tue, wed, thu, fri, sat, sun"),
                ),
            }
        }
    }
    let agents = if (0..=i64::from(MAX_AGENTS_PER_TEAM)).contains(&rs.agents) {
        rs.agents as u32
    } else {
        ck.fail(
            &format!("{path}.agents"),
            format!("got {}; allowed: 0 to {MAX_AGENTS_PER_TEAM}", rs.agents),
        );
        0
    };
    // Breaks are placed per agent when the template is expanded (`breaks::expand`).
    let rules =
        super::family::break_rules(ck, &format!("{path}.breaks"), &rs.breaks, length_s, false);
    let template = Shift {
        start_s,
        length_s,
        days,
        agents,
        breaks: Vec::new(),
        break_paid: Vec::new(),
    };
    (template, rules)
}

/// `days = []` is a shift nobody ever works: refused rather than a team
/// that silently never comes on duty.
fn no_working_days(ck: &mut Checker<'_>, path: &str, days: Option<&[String]>) {
    if days.is_some_and(<[String]>::is_empty) {
        ck.fail(
            &format!("{path}.days"),
            "got [] (no working day: this shift never comes on duty); allowed: at least one of mon, tue, wed, thu, fri, sat, sun, or leave `days` out for every day".into(),
        );
    }
}

/// `days_per_week = k`: the template's agents work k days a week with
/// rotating days off. They are split into seven groups as evenly as possible;
/// group g works the k consecutive days from weekday g, so every day has
/// about `agents × k / 7` on duty and each agent's days off are consecutive.
/// Expanded here into one template per non-empty group, so the engine and
/// the roster see plain templates.
fn rotate(ck: &mut Checker<'_>, path: &str, rs: &RawShift, template: Shift) -> Vec<Shift> {
    let Some(k) = rs.days_per_week else {
        return vec![template];
    };
    let key = format!("{path}.days_per_week");
    if !(1..=7).contains(&k) {
        ck.fail(
            &key,
            format!("got {k}; allowed: 1 to 7 working days a week"),
        );
        return vec![template];
    }
    if rs.days.is_some() {
        ck.fail(
            &key,
            "set either days (fixed weekdays) or days_per_week (rotating days off), not both"
                .into(),
        );
        return vec![template];
    }
    (0..7u32)
        .filter_map(|g| {
            // Groups 0..extra get one agent more than the others.
            let agents = template.agents / 7 + u32::from(g < template.agents % 7);
            let mut days = [false; 7];
            for d in 0..k as u32 {
                days[((g + d) % 7) as usize] = true;
            }
            (agents > 0).then(|| Shift {
                days,
                agents,
                ..template.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::clock_s;

    #[test]
    fn clock_times() {
        assert_eq!(clock_s("08:30"), Some(30_600.0));
        assert_eq!(clock_s("23:59"), Some(86_340.0));
        assert_eq!(clock_s("24:00"), None);
        assert_eq!(clock_s("8"), None);
    }
}
