//! Break rules (`breaks = [...]` of a `[[team.shift]]` or a
//! `[team.shift_family]`) and shift families. Kept apart from `team.rs` so
//! the schedule checks live in one place; every issue names its key.

use super::checker::Checker;
use super::team::clock_s;
use crate::scenario::breaks::{BreakRule, DEFAULT_STEP_S};
use crate::scenario::family::ShiftFamily;
use crate::scenario::raw::{RawBreak, RawShiftFamily};

const DAY_S: f64 = 86_400.0;

/// Break rules of a fixed shift of `shift_s` (`family: None`) or of a
/// family whose shortest length is `shift_s`. Each break gives either
/// `after` (fixed) or `window = [from, to]` (placed: the break lies within).
pub fn break_rules(
    ck: &mut Checker<'_>,
    path: &str,
    raws: &[RawBreak],
    shift_s: f64,
    family: bool,
) -> Vec<BreakRule> {
    let mut out: Vec<BreakRule> = Vec::with_capacity(raws.len());
    for (j, b) in raws.iter().enumerate() {
        let bp = format!("{path}[{j}]");
        let length_s = ck.duration(&format!("{bp}.length"), &b.length, 60.0, DAY_S);
        let step_s = b.step.as_ref().map_or(DEFAULT_STEP_S, |t| {
            ck.duration(&format!("{bp}.step"), t, 60.0, DAY_S)
        });
        if !family && b.min_shift.is_some() {
            ck.fail(
                &format!("{bp}.min_shift"),
                "allowed only in a [team.shift_family] break (a fixed shift's breaks always apply)"
                    .into(),
            );
        }
        let min_shift_s = b.min_shift.as_ref().map_or(0.0, |t| {
            ck.duration(&format!("{bp}.min_shift"), t, 60.0, DAY_S)
        });
        // The shortest shift this rule applies to.
        let applies_to_s = min_shift_s.max(shift_s);
        let (earliest_s, latest_end_s) = match (&b.after, &b.window) {
            (Some(after), None) => {
                let a = ck.duration(&format!("{bp}.after"), after, 0.0, DAY_S);
                (a, a + length_s)
            }
            (None, Some(w)) if w.len() == 2 => {
                let from = ck.duration(&format!("{bp}.window[0]"), &w[0], 0.0, DAY_S);
                let to = ck.duration(&format!("{bp}.window[1]"), &w[1], 0.0, DAY_S);
                if to - from < length_s {
                    ck.fail(
                        &format!("{bp}.window"),
                        format!(
                            "got [{:?}, {:?}] ({from} s to {to} s), shorter than the break ({length_s} s); allowed: a window at least as long as `length`",
                            w[0], w[1]
                        ),
                    );
                }
                (from, to.max(from + length_s))
            }
            (None, Some(w)) => {
                ck.fail(
                    &format!("{bp}.window"),
                    format!(
                        "got {} entries; allowed: [from, to], two durations after the shift start, e.g. [\"1h30m\", \"3h\"]",
                        w.len()
                    ),
                );
                (0.0, length_s)
            }
            _ => {
                ck.fail(
                    &bp,
                    "give exactly one of `after` (a fixed break) or `window = [from, to]` (placed inside the window)".into(),
                );
                (0.0, length_s)
            }
        };
        if latest_end_s > applies_to_s + 1e-9 {
            let what = if family {
                "the shortest shift it applies to (the family's shortest length, or `min_shift`)"
            } else {
                "the shift"
            };
            ck.fail(
                &bp,
                format!(
                    "break ends by {latest_end_s} s after the start, outside {what} ({applies_to_s} s); allowed: breaks within the shift"
                ),
            );
        }
        if let Some(prev) = out.last()
            && latest_end_s < prev.latest_end_s + length_s - 1e-9
        {
            ck.fail(
                &bp,
                format!(
                    "break may end by {latest_end_s} s but the previous break may end as late as {} s: allowed: each break's window (or `after`) ends at least its length ({length_s} s) after the previous one's, so breaks never overlap",
                    prev.latest_end_s
                ),
            );
        }
        out.push(BreakRule {
            earliest_s,
            latest_end_s,
            length_s,
            step_s,
            paid: b.paid.unwrap_or(true),
            min_shift_s,
        });
    }
    out
}

/// `[team.shift_family]`; unset keys take the default family's values
/// ([`ShiftFamily::default_family`]).
pub fn family(ck: &mut Checker<'_>, path: &str, raw: &RawShiftFamily) -> ShiftFamily {
    let d = ShiftFamily::default_family();
    let p = |k: &str| format!("{path}.{k}");
    let clock = |ck: &mut Checker<'_>, key: &str, text: &Option<String>, default: f64| {
        text.as_ref().map_or(default, |t| {
            clock_s(t).unwrap_or_else(|| {
                ck.fail(
                    &p(key),
                    format!("got {t:?}; allowed: a clock time \"HH:MM\" (00:00 to 23:59)"),
                );
                default
            })
        })
    };
    let earliest_start_s = clock(
        ck,
        "earliest_start",
        &raw.earliest_start,
        d.earliest_start_s,
    );
    let latest_start_s = clock(ck, "latest_start", &raw.latest_start, d.latest_start_s);
    if latest_start_s < earliest_start_s {
        ck.fail(
            &p("latest_start"),
            format!(
                "got {latest_start_s} s after midnight, before earliest_start ({earliest_start_s} s); allowed: a clock time at or after earliest_start"
            ),
        );
    }
    let step_s = raw
        .step
        .as_ref()
        .map_or(d.step_s, |t| ck.duration(&p("step"), t, 60.0, DAY_S));
    let mut lengths = |key: &str, list: &[String]| -> Vec<f64> {
        list.iter()
            .enumerate()
            .map(|(j, t)| ck.duration(&format!("{path}.{key}[{j}]"), t, 3600.0, 16.0 * 3600.0))
            .collect()
    };
    let lengths_s = match &raw.lengths {
        Some(list) => lengths("lengths", list),
        None => d.lengths_s.clone(),
    };
    let part_time_lengths_s = lengths("part_time_lengths", &raw.part_time_lengths);
    if lengths_s.is_empty() && part_time_lengths_s.is_empty() {
        ck.fail(
            &p("lengths"),
            "empty; allowed: at least one shift length, e.g. [\"8h\", \"9h\"]".into(),
        );
    }
    let days_per_week = match raw.days_per_week {
        None => d.days_per_week,
        Some(k) if (1..=7).contains(&k) => k as u32,
        Some(k) => {
            ck.fail(
                &p("days_per_week"),
                format!("got {k}; allowed: 1 to 7 working days a week"),
            );
            d.days_per_week
        }
    };
    let share = |ck: &mut Checker<'_>, key: &str, v: Option<f64>| {
        v.map_or(1.0, |v| ck.non_negative(&p(key), v, 1.0))
    };
    let max_part_time_share = share(ck, "max_part_time_share", raw.max_part_time_share);
    let max_night_share = share(ck, "max_night_share", raw.max_night_share);
    let hours = |ck: &mut Checker<'_>, key: &str, v: Option<f64>, default: f64| {
        v.map_or(default, |v| ck.non_negative(&p(key), v, 7.0 * 24.0))
    };
    let min_week_hours = hours(ck, "min_week_hours", raw.min_week_hours, d.min_week_hours);
    let max_week_hours = hours(ck, "max_week_hours", raw.max_week_hours, d.max_week_hours);
    if min_week_hours > max_week_hours {
        ck.fail(
            &p("min_week_hours"),
            format!(
                "got {min_week_hours}, above max_week_hours ({max_week_hours}); allowed: min_week_hours <= max_week_hours"
            ),
        );
    }
    let shortest = lengths_s
        .iter()
        .chain(&part_time_lengths_s)
        .copied()
        .fold(f64::INFINITY, f64::min);
    let breaks = match &raw.breaks {
        Some(list) => break_rules(ck, &p("breaks"), list, shortest.min(DAY_S), true),
        None => d.breaks.clone(),
    };
    let family = ShiftFamily {
        earliest_start_s,
        latest_start_s,
        step_s,
        lengths_s,
        part_time_lengths_s,
        days_per_week,
        split_days_off: raw.split_days_off.unwrap_or(d.split_days_off),
        min_week_hours,
        max_week_hours,
        max_part_time_share,
        max_night_share,
        breaks,
    };
    let in_limits = family
        .lengths_s
        .iter()
        .chain(&family.part_time_lengths_s)
        .any(|l| {
            let week_h = l / 3600.0 * f64::from(family.days_per_week);
            week_h >= min_week_hours - 1e-9 && week_h <= max_week_hours + 1e-9
        });
    if min_week_hours <= max_week_hours && !in_limits {
        ck.fail(
            path,
            format!(
                "no length × days_per_week ({days_per_week}) falls within min_week_hours..max_week_hours ({min_week_hours}..{max_week_hours}); allowed: limits that at least one shift length meets"
            ),
        );
    }
    family
}
