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

    /// Seconds of `[from, to)` inside the measured window (0 when none).
    #[inline]
    pub fn clipped_s(&self, from: SimTime, to: SimTime) -> f64 {
        let (from, to) = (from.max(self.warmup_end), to.min(self.horizon_end));
        if to > from { seconds(to - from) } else { 0.0 }
    }

    /// Splits `[from, to)`, clipped to the measured window, at interval
    /// boundaries: `add(interval, seconds)` for each piece, in order.
    #[inline(always)]
    pub fn split(&self, from: SimTime, to: SimTime, mut add: impl FnMut(usize, f64)) {
        let from = from.max(self.warmup_end);
        let to = to.min(self.horizon_end);
        let mut t = from;
        while t < to {
            let interval = (t - self.warmup_end) / self.interval;
            let end = (self.warmup_end + (interval + 1) * self.interval).min(to);
            add(interval as usize, seconds(end - t));
            t = end;
        }
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
    fn clipped_time_is_the_part_inside_the_window() {
        let h = Horizon::new(0.0, 3600.0, 7200.0, 3600.0);
        assert_eq!(h.clipped_s(ticks(1800.0), ticks(5400.0)), 1800.0);
        assert_eq!(h.clipped_s(ticks(0.0), ticks(20_000.0)), 7200.0);
        assert_eq!(h.clipped_s(ticks(100.0), ticks(200.0)), 0.0);
        assert_eq!(h.clipped_s(ticks(12_000.0), ticks(11_000.0)), 0.0);
        let mut pieces = 0.0;
        h.split(ticks(1800.0), ticks(9000.0), |_, s| pieces += s);
        assert_eq!(h.clipped_s(ticks(1800.0), ticks(9000.0)), pieces);
    }

    #[test]
    fn intervals_ended_before_counts_closed_intervals() {
        let h = Horizon::new(0.0, 0.0, 86_400.0 * 3.0, 3600.0);
        let day = ticks(86_400.0);
        assert_eq!(h.intervals_ended_before(2 * day, day), 24);
    }
}
