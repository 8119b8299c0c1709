//! Shift families: the shifts a planner may roster a team on (`[team.shift_family]`),
//! and the default family used when a team gives neither a family nor
//! fixed `[[team.shift]]` templates (docs/PLANNER.md, "Rosters").

use super::breaks::{BreakRule, DEFAULT_STEP_S};

/// The shifts a team may be rostered on: every start in the start window
/// (every `step_s`), every allowed length, on weekly tours of
/// `days_per_week` working days.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftFamily {
    /// Earliest shift start, seconds after midnight.
    pub earliest_start_s: f64,
    /// Latest shift start, seconds after midnight (≥ earliest).
    pub latest_start_s: f64,
    /// Distance between allowed starts, seconds.
    pub step_s: f64,
    /// Full-time shift lengths, seconds (paid, breaks included).
    pub lengths_s: Vec<f64>,
    /// Part-time shift lengths, seconds.
    pub part_time_lengths_s: Vec<f64>,
    /// Working days in a week's tour (1..=7).
    pub days_per_week: u32,
    /// Also allow tours whose days off are not consecutive.
    pub split_days_off: bool,
    /// Least paid hours a week of a tour.
    pub min_week_hours: f64,
    /// Most paid hours a week of a tour.
    pub max_week_hours: f64,
    /// Largest share of rostered agents on part-time lengths.
    pub max_part_time_share: f64,
    /// Largest share of rostered agents on night shifts (any work between
    /// 00:00 and 06:00 \[convention\]).
    pub max_night_share: f64,
    /// Breaks, placed inside their windows (rules for shorter shifts skip).
    pub breaks: Vec<BreakRule>,
}

/// Night hours for `max_night_share`: a shift working any time in
/// `[00:00, 06:00)` is a night shift \[convention\].
pub const NIGHT_END_S: f64 = 6.0 * 3600.0;

impl ShiftFamily {
    /// The documented default family \[convention\]: starts every 30 minutes
    /// around the clock, 8-hour and 9-hour shifts, five consecutive working
    /// days a week; a paid 15-minute break between 1h30 and 3h after the
    /// start, an unpaid 30-minute lunch between 3h30 and 5h30, and a paid
    /// 15-minute break between 5h45 and 7h30 (two paid rest breaks and an
    /// unpaid meal, the common pattern in contact-centre rosters). No
    /// part-time, no limit on weekly hours or night work.
    pub fn default_family() -> ShiftFamily {
        let rule = |from_h: f64, to_h: f64, length_m: f64, paid: bool| BreakRule {
            earliest_s: from_h * 3600.0,
            latest_end_s: to_h * 3600.0,
            length_s: length_m * 60.0,
            step_s: DEFAULT_STEP_S,
            paid,
            min_shift_s: 0.0,
        };
        ShiftFamily {
            earliest_start_s: 0.0,
            latest_start_s: 23.5 * 3600.0,
            step_s: 1800.0,
            lengths_s: vec![8.0 * 3600.0, 9.0 * 3600.0],
            part_time_lengths_s: Vec::new(),
            days_per_week: 5,
            split_days_off: false,
            min_week_hours: 0.0,
            max_week_hours: 7.0 * 24.0,
            max_part_time_share: 1.0,
            max_night_share: 1.0,
            breaks: vec![
                rule(1.5, 3.0, 15.0, true),
                rule(3.5, 5.5, 30.0, false),
                rule(5.75, 7.5, 15.0, true),
            ],
        }
    }

    /// Allowed starts, seconds after midnight.
    pub fn starts(&self) -> Vec<f64> {
        let mut out = Vec::new();
        let mut s = self.earliest_start_s;
        while s <= self.latest_start_s + 1e-9 {
            out.push(s);
            s += self.step_s;
        }
        out
    }

    /// The break rules that apply to a shift of `length_s`.
    pub fn breaks_for(&self, length_s: f64) -> Vec<BreakRule> {
        self.breaks
            .iter()
            .filter(|r| length_s + 1e-9 >= r.min_shift_s && r.latest_end_s <= length_s + 1e-9)
            .copied()
            .collect()
    }

    /// Weekly tours: the working weekdays (Monday 0) of each allowed tour.
    /// Consecutive days off first (the tour starting on weekday `d` is the
    /// `d`-th), then, with `split_days_off`, every other set of days off in
    /// lexicographic order.
    pub fn tours(&self) -> Vec<[bool; 7]> {
        let k = self.days_per_week.clamp(1, 7) as usize;
        let mut out: Vec<[bool; 7]> = (0..7)
            .map(|d| {
                let mut days = [false; 7];
                for j in 0..k {
                    days[(d + j) % 7] = true;
                }
                days
            })
            .collect();
        out.dedup();
        if k == 7 {
            return vec![[true; 7]];
        }
        if self.split_days_off {
            for mask in 0u32..128 {
                if mask.count_ones() as usize != k {
                    continue;
                }
                let days: [bool; 7] = std::array::from_fn(|d| mask & (1 << d) != 0);
                if !out.contains(&days) {
                    out.push(days);
                }
            }
        }
        out
    }

    /// Whether a shift starting at `start_s` for `length_s` works any time
    /// in the night window of some day.
    pub fn is_night(start_s: f64, length_s: f64) -> bool {
        let end = start_s + length_s;
        start_s < NIGHT_END_S || end > 86_400.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_family_has_the_documented_shape() {
        let f = ShiftFamily::default_family();
        assert_eq!(f.starts().len(), 48);
        assert_eq!(f.tours().len(), 7);
        assert!(
            f.tours()
                .iter()
                .all(|t| t.iter().filter(|&&d| d).count() == 5)
        );
        assert_eq!(f.breaks_for(8.0 * 3600.0).len(), 3);
    }

    #[test]
    fn split_days_off_adds_the_other_tours() {
        let f = ShiftFamily {
            split_days_off: true,
            ..ShiftFamily::default_family()
        };
        // C(7, 5) = 21 sets of working days, 7 of them consecutive.
        assert_eq!(f.tours().len(), 21);
    }

    #[test]
    fn night_shifts() {
        assert!(ShiftFamily::is_night(22.0 * 3600.0, 8.0 * 3600.0));
        assert!(ShiftFamily::is_night(5.0 * 3600.0, 8.0 * 3600.0));
        assert!(!ShiftFamily::is_night(6.0 * 3600.0, 9.0 * 3600.0));
        assert!(!ShiftFamily::is_night(14.0 * 3600.0, 9.0 * 3600.0));
    }
}
