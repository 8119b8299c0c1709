//! The columns of a team's roster programme: shift templates from its
//! `[team.shift_family]`, its fixed `[[team.shift]]` templates, or the
//! default family ([`ShiftFamily::default_family`]), with each template's
//! coverage of every interval of the plan's cycle and its paid hours.

use super::roster::Template;
use crate::scenario::breaks::{self, BreakRule};
use crate::scenario::family::ShiftFamily;
use crate::scenario::{Scenario, Staffing};

const DAY_S: f64 = 86_400.0;

/// Largest number of agents over which a template's placed breaks are
/// averaged to get its expected coverage (a multiple of every slot count up
/// to 8, so small windows average exactly).
const AVERAGE_OVER: u32 = 840;

/// The templates a team is rostered on: its family, else its fixed
/// templates (their `agents` counts are ignored), else the default family.
pub fn templates(scenario: &Scenario, team: usize) -> Vec<Template> {
    let t = &scenario.teams[team];
    if let Some(family) = &t.shift_family {
        return family_templates(family);
    }
    if let Staffing::Shifts(shifts) = &t.staffing
        && !shifts.is_empty()
    {
        let mut out: Vec<Template> = shifts
            .iter()
            .map(|s| Template {
                unpaid_s: s.unpaid_s(),
                break_paid: s.break_paid.clone(),
                ..Template::fixed(s.start_s, s.length_s, s.days, s.breaks.clone())
            })
            .collect();
        // Templates split only by their agents' break placements are one
        // column each; the roster places breaks again over its own agents.
        out.dedup();
        return out;
    }
    family_templates(&ShiftFamily::default_family())
}

/// Every (tour, start, length) of a family within its weekly-hour limits.
pub fn family_templates(family: &ShiftFamily) -> Vec<Template> {
    let lengths: Vec<(f64, bool)> = family
        .lengths_s
        .iter()
        .map(|&l| (l, false))
        .chain(family.part_time_lengths_s.iter().map(|&l| (l, true)))
        .collect();
    let mut out = Vec::new();
    for days in family.tours() {
        let worked = days.iter().filter(|&&d| d).count() as f64;
        for start_s in family.starts() {
            for &(length_s, part_time) in &lengths {
                let rules = family.breaks_for(length_s);
                let unpaid_s: f64 = rules.iter().filter(|r| !r.paid).map(|r| r.length_s).sum();
                let week_h = (length_s - unpaid_s) / 3600.0 * worked;
                if week_h < family.min_week_hours - 1e-9 || week_h > family.max_week_hours + 1e-9 {
                    continue;
                }
                out.push(Template {
                    start_s,
                    length_s,
                    days,
                    breaks: Vec::new(),
                    break_paid: rules.iter().map(|r| r.paid).collect(),
                    rules,
                    unpaid_s,
                    part_time,
                    night: ShiftFamily::is_night(start_s, length_s),
                });
            }
        }
    }
    out
}

/// Coverage of each interval by one agent on `template` over the cycle
/// (expected over the break placements when its breaks have windows), and
/// its paid hours over the cycle.
pub fn coverage(
    template: &Template,
    interval_s: f64,
    intervals: usize,
    start_weekday: u32,
) -> (Vec<f64>, f64) {
    let placements: Vec<Vec<(f64, f64)>> = if template.rules.is_empty() {
        vec![template.breaks.clone()]
    } else {
        let n = template
            .rules
            .iter()
            .map(BreakRule::slots)
            .fold(1, lcm)
            .min(AVERAGE_OVER);
        breaks::place(&template.rules, n)
            .into_iter()
            .flat_map(|(p, k)| std::iter::repeat_n(p, k as usize))
            .collect()
    };
    let weight = 1.0 / placements.len() as f64;
    let cycle_s = interval_s * intervals as f64;
    let mut cover = vec![0.0; intervals];
    let mut paid_s = 0.0;
    let days = (cycle_s / DAY_S).ceil() as i64;
    // A cycle of whole weeks repeats with the calendar: a shift running past
    // its end wraps to its start. Otherwise the cycle is read as the
    // horizon itself: nothing wraps; the day before it contributes the part
    // of its night shifts that runs into the first day (the engine starts a
    // shift already running at its start), paid for that part only; a shift
    // starting inside the cycle is paid in full, even when it runs past the
    // end (else starts just before the end would cover it for almost free).
    let weeks = cycle_s / (7.0 * DAY_S);
    let wrap = (weeks - weeks.round()).abs() < 1e-9;
    for day in if wrap { 0 } else { -1 }..days {
        let weekday = (i64::from(start_weekday) + day).rem_euclid(7) as usize;
        let start = day as f64 * DAY_S + template.start_s;
        if !template.days[weekday] || start >= cycle_s {
            continue;
        }
        let inside = if start >= 0.0 {
            1.0
        } else {
            ((start + template.length_s).min(cycle_s)).max(0.0) / template.length_s
        };
        paid_s += (template.length_s - template.unpaid_s) * inside;
        for placed in &placements {
            let mut from = 0.0;
            let mut pieces = Vec::new();
            for &(after, len) in placed {
                pieces.push((from, after.min(template.length_s)));
                from = (after + len).min(template.length_s);
            }
            pieces.push((from, template.length_s));
            for (a, b) in pieces {
                let span = Span {
                    from: start + a,
                    to: start + b,
                    weight,
                    wrap,
                };
                add_span(&mut cover, span, interval_s, cycle_s);
            }
        }
    }
    (cover, paid_s / 3600.0)
}

fn lcm(a: u32, b: u32) -> u32 {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    a / x.max(1) * b
}

/// Time worked in `[from, to)` seconds of the cycle, counted with `weight`;
/// with `wrap`, the part past the cycle's end wraps to its start, otherwise
/// the part outside the cycle is dropped.
struct Span {
    from: f64,
    to: f64,
    weight: f64,
    wrap: bool,
}

/// Adds a span to each interval it covers, as a share of the interval's length.
fn add_span(cover: &mut [f64], span: Span, interval_s: f64, cycle_s: f64) {
    let mut t = if span.wrap {
        span.from
    } else {
        span.from.max(0.0)
    };
    let to = if span.wrap {
        span.to
    } else {
        span.to.min(cycle_s)
    };
    while t < to - 1e-9 {
        let pos = t.rem_euclid(cycle_s);
        let i = ((pos / interval_s) as usize).min(cover.len() - 1);
        let interval_end = (i + 1) as f64 * interval_s;
        let piece = (interval_end - pos).min(to - t);
        cover[i] += span.weight * piece / interval_s;
        t += piece;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_wrap_around_the_cycle() {
        let mut cover = vec![0.0; 4];
        // Cycle of 4 h in 1-h intervals; 3:30 to 5:30 wraps to 0:00–1:30.
        let span = |wrap| Span {
            from: 3.5 * 3600.0,
            to: 5.5 * 3600.0,
            weight: 1.0,
            wrap,
        };
        add_span(&mut cover, span(true), 3600.0, 4.0 * 3600.0);
        assert_eq!(cover, vec![1.0, 0.5, 0.0, 0.5]);
        // Not a whole week: nothing wraps.
        let mut cover = vec![0.0; 4];
        add_span(&mut cover, span(false), 3600.0, 4.0 * 3600.0);
        assert_eq!(cover, vec![0.0, 0.0, 0.0, 0.5]);
    }

    #[test]
    fn breaks_are_not_covered() {
        let t = Template::fixed(0.0, 4.0 * 3600.0, [true; 7], vec![(3600.0, 1800.0)]);
        let (cover, paid) = coverage(&t, 3600.0, 24, 0);
        assert_eq!(&cover[..5], &[1.0, 0.5, 1.0, 1.0, 0.0]);
        assert_eq!(paid, 4.0);
    }

    #[test]
    fn placed_breaks_are_spread_over_their_window_and_unpaid_ones_not_paid() {
        // 30-min unpaid break within 1h–3h of a 4-h shift: starts 1:00,
        // 1:15, …, 2:30 (7 slots), each equally likely.
        let rule = BreakRule {
            earliest_s: 3600.0,
            latest_end_s: 3.0 * 3600.0,
            length_s: 1800.0,
            step_s: 900.0,
            paid: false,
            min_shift_s: 0.0,
        };
        let t = Template {
            rules: vec![rule],
            unpaid_s: 1800.0,
            ..Template::fixed(0.0, 4.0 * 3600.0, [true; 7], Vec::new())
        };
        let (cover, paid) = coverage(&t, 3600.0, 24, 0);
        assert!((cover[..4].iter().sum::<f64>() - 3.5).abs() < 1e-9);
        // Sums of seven 1/7 weights: equal to 1 up to rounding.
        assert!((cover[0] - 1.0).abs() < 1e-9 && (cover[3] - 1.0).abs() < 1e-9);
        assert!((cover[1] - cover[2]).abs() < 1e-9, "{cover:?}");
        assert_eq!(paid, 3.5);
    }

    #[test]
    fn default_family_has_672_columns_a_week() {
        assert_eq!(family_templates(&ShiftFamily::default_family()).len(), 672);
    }
}
