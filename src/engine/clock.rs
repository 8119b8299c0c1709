//! The horizon: where the warm-up, the measured window and the reporting
//! intervals fall in simulation time, and the arithmetic on them.
//!
//! Time 0 is the start of the warm-up, or earlier when a `[[backlog]]` needs
//! arrival times in the past (its longest wait, `lead`). The measured window
//! is `[warmup_end, horizon_end)`; intervals are counted from `warmup_end`.
//! Weeks (attrition reviews, quality reviews) are also counted from there.

use crate::time::{SimTime, seconds, ticks};

/// One week in ticks.
pub(super) const WEEK: SimTime = 7 * DAY;
/// One day in ticks (the period of the engine's daily bookkeeping).
pub(super) const DAY: SimTime = 86_400 * 1_000_000;

/// Warm-up, horizon and interval boundaries of one replication.
#[derive(Debug, Clone, Copy)]
pub(super) struct Horizon {
    start: SimTime,
    warmup_end: SimTime,
    horizon_end: SimTime,
    interval: SimTime,
}

impl Horizon {
    /// A warm-up of `warmup_s` after `lead_s` of backlog past, then a measured
    /// window of `horizon_s` cut into intervals of `interval_s`.
    pub fn new(lead_s: f64, warmup_s: f64, horizon_s: f64, interval_s: f64) -> Self {
        let warmup_end = ticks(warmup_s + lead_s);
        Horizon {
            start: warmup_end - ticks(warmup_s),
            warmup_end,
            horizon_end: warmup_end + ticks(horizon_s),
            interval: ticks(interval_s),
        }
    }

    /// When the warm-up starts (arrivals and agents start here).
    pub fn start(&self) -> SimTime {
        self.start
    }

    /// When the measured window starts.
    #[inline]
    pub fn warmup_end(&self) -> SimTime {
        self.warmup_end
    }

    /// When the measured window ends (arrivals stop; the system drains).
    #[inline]
    pub fn horizon_end(&self) -> SimTime {
        self.horizon_end
    }

    /// The interval of `t`, or `u32::MAX` outside the measured window.
    #[inline]
    pub fn interval_of(&self, t: SimTime) -> u32 {
        if t >= self.warmup_end && t < self.horizon_end {
            ((t - self.warmup_end) / self.interval) as u32
        } else {
            u32::MAX
        }
    }

    /// Whole weeks in the measured window.
    pub fn weeks(&self) -> usize {
        ((self.horizon_end - self.warmup_end) / WEEK) as usize
    }

    /// Intervals that ended at least `lag` before `now` (all closed ones).
    pub fn intervals_ended_before(&self, now: SimTime, lag: SimTime) -> usize {
        ((now - lag - self.warmup_end) / self.interval) as usize
    }

    /// Splits `[from, to)`, clipped to the measured window, at interval
    /// boundaries: `add(interval, seconds)` for each piece, in order.
    /// Returns the seconds of `[from, to)` inside the window (0 when none),
    /// converted once: a run total takes it in one addition.
    #[inline(always)]
    pub fn split(&self, from: SimTime, to: SimTime, mut add: impl FnMut(usize, f64)) -> f64 {
        let from = from.max(self.warmup_end);
        let to = to.min(self.horizon_end);
        if to <= from {
            return 0.0;
        }
        let total_s = seconds(to - from);
        let mut interval = (from - self.warmup_end) / self.interval;
        let mut end = self.warmup_end + (interval + 1) * self.interval;
        if to <= end {
            // Most spans fit in one interval: a single piece, the whole span.
            add(interval as usize, total_s);
            return total_s;
        }
        let mut t = from;
        while t < to {
            let piece_end = end.min(to);
            add(interval as usize, seconds(piece_end - t));
            t = piece_end;
            interval += 1;
            end += self.interval;
        }
        total_s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_starts_after_warmup_and_backlog_lead() {
        let h = Horizon::new(600.0, 3600.0, 86_400.0, 900.0);
        assert_eq!(h.start(), ticks(600.0));
        assert_eq!(h.warmup_end(), ticks(4200.0));
        assert_eq!(h.horizon_end(), ticks(4200.0 + 86_400.0));
        assert_eq!(h.interval_of(ticks(4199.0)), u32::MAX, "warm-up");
        assert_eq!(h.interval_of(ticks(4200.0)), 0);
        assert_eq!(h.interval_of(ticks(4200.0 + 900.0)), 1);
        assert_eq!(
            h.interval_of(h.horizon_end()),
            u32::MAX,
            "after the horizon"
        );
        assert_eq!(h.weeks(), 0);
        assert_eq!(Horizon::new(0.0, 0.0, 15.0 * 86_400.0, 900.0).weeks(), 2);
    }

    #[test]
    fn split_clips_to_the_window_and_cuts_at_boundaries() {
        let h = Horizon::new(0.0, 100.0, 1000.0, 300.0);
        let mut pieces = Vec::new();
        h.split(ticks(50.0), ticks(800.0), |i, s| pieces.push((i, s)));
        assert_eq!(pieces, vec![(0, 300.0), (1, 300.0), (2, 100.0)]);
        pieces.clear();
        h.split(ticks(1000.0), ticks(2000.0), |i, s| pieces.push((i, s)));
        assert_eq!(pieces, vec![(3, 100.0)], "clipped at the horizon's end");
        pieces.clear();
        h.split(ticks(10.0), ticks(20.0), |i, s| pieces.push((i, s)));
        assert!(pieces.is_empty(), "warm-up time is not measured");
    }

    #[test]
    fn split_returns_the_part_inside_the_window() {
        let h = Horizon::new(0.0, 3600.0, 7200.0, 3600.0);
        let clipped = |from: f64, to: f64| h.split(ticks(from), ticks(to), |_, _| ());
        assert_eq!(clipped(1800.0, 5400.0), 1800.0);
        assert_eq!(clipped(0.0, 20_000.0), 7200.0);
        assert_eq!(clipped(3700.0, 3760.0), 60.0, "inside one interval");
        assert_eq!(clipped(100.0, 200.0), 0.0);
        assert_eq!(clipped(12_000.0, 11_000.0), 0.0);
        let mut pieces = 0.0;
        let total = h.split(ticks(1800.0), ticks(9000.0), |_, s| pieces += s);
        assert_eq!(total, pieces);
    }

    #[test]
    fn intervals_ended_before_counts_closed_intervals() {
        let h = Horizon::new(0.0, 0.0, 86_400.0 * 3.0, 3600.0);
        let day = ticks(86_400.0);
        assert_eq!(h.intervals_ended_before(2 * day, day), 24);
    }
}
