//! Calendar arithmetic: simulation ticks ↔ weekdays and shift instances.
//!
//! The horizon starts at simulation time `warmup` on weekday `w0` (Monday = 0)
//! at 00:00. Calendar time `c` counts seconds from 00:00 on the Monday of the
//! start week, so `c = t − warmup + w0·day`; warm-up times have negative days.

use super::queue::{SimTime, ticks};
use crate::scenario::Shift;

const DAY_S: f64 = 86_400.0;

/// Maps simulation ticks to calendar positions.
#[derive(Debug, Clone, Copy)]
pub struct Calendar {
    /// Calendar seconds at simulation time 0.
    origin_s: f64,
}

impl Calendar {
    /// A calendar whose horizon starts at `warmup_s` on weekday `start_weekday` (Monday 0).
    pub fn new(warmup_s: f64, start_weekday: u32) -> Calendar {
        Calendar {
            origin_s: f64::from(start_weekday) * DAY_S - warmup_s,
        }
    }

    fn to_sim(self, calendar_s: f64) -> SimTime {
        ticks((calendar_s - self.origin_s).max(0.0))
    }

    /// The first instance of `shift` that has not ended at `t`: (start, end)
    /// in ticks, the start clamped to `t` when the instance is already running.
    pub fn next_shift(self, shift: &Shift, t: SimTime) -> Option<(SimTime, SimTime)> {
        let c = t as f64 / 1e6 + self.origin_s;
        let first_day = ((c - shift.length_s - shift.start_s) / DAY_S).floor() as i64;
        for day in first_day..first_day + 9 {
            if !shift.days[day.rem_euclid(7) as usize] {
                continue;
            }
            let start = day as f64 * DAY_S + shift.start_s;
            let end = start + shift.length_s;
            let (start_t, end_t) = (self.to_sim(start), self.to_sim(end));
            if end_t > t {
                return Some((start_t.max(t), end_t));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(start_h: f64, len_h: f64, days: [bool; 7]) -> Shift {
        Shift {
            break_paid: Vec::new(),
            start_s: start_h * 3600.0,
            length_s: len_h * 3600.0,
            days,
            agents: 1,
            breaks: Vec::new(),
        }
    }

    const H: SimTime = 3_600_000_000;

    #[test]
    fn weekday_shift_instances() {
        // Horizon starts Monday at sim time 24 h (one day of warm-up, a Sunday).
        let cal = Calendar::new(86_400.0, 0);
        let weekdays = [true, true, true, true, true, false, false];
        let s = shift(9.0, 8.0, weekdays);
        // At t = 0 (Sunday 00:00) the next instance is Monday 09:00 = 33 h.
        assert_eq!(cal.next_shift(&s, 0), Some((33 * H, 41 * H)));
        // During Monday's shift the running instance is returned, clamped.
        assert_eq!(cal.next_shift(&s, 35 * H), Some((35 * H, 41 * H)));
        // After Friday's shift ends, next is the following Monday.
        let friday_end = (24 + 4 * 24 + 17) * H;
        assert_eq!(
            cal.next_shift(&s, friday_end),
            Some(((24 + 7 * 24 + 9) * H, (24 + 7 * 24 + 17) * H))
        );
    }

    #[test]
    fn night_shift_running_at_start() {
        // No warm-up, start on a Wednesday; a 22:00–07:00 shift every day.
        let cal = Calendar::new(0.0, 2);
        let s = shift(22.0, 9.0, [true; 7]);
        assert_eq!(cal.next_shift(&s, 0), Some((0, 7 * H)));
        assert_eq!(cal.next_shift(&s, 7 * H), Some((22 * H, 31 * H)));
    }
}
