//! The time axis: intervals grouped into at most [`MAX_BUCKETS`] buckets,
//! calendar-aligned ticks, and their labels.

use super::MAX_BUCKETS;
use chrono::{Datelike, NaiveDate, TimeDelta};

/// A value for one interval and its weight when intervals are aggregated.
pub(super) type Cell = (Option<f64>, f64);

/// The time axis: intervals grouped into buckets of `per_bucket` intervals.
#[derive(Debug, Clone, Copy)]
pub(super) struct Grid {
    /// Reporting interval, seconds.
    pub interval_s: f64,
    /// Intervals.
    pub n: usize,
    /// Intervals per bucket.
    pub per_bucket: usize,
    /// Buckets drawn.
    pub buckets: usize,
    /// Right end of the axis, hours from the start of the horizon.
    pub total_h: f64,
    /// Calendar date of the horizon's first day; without one, day 0 is a Monday.
    pub start: Option<NaiveDate>,
}

/// Weighted mean of the defined, finite values; the plain mean when every
/// weight is zero; `None` when nothing is defined.
pub(super) fn weighted_mean(cells: impl IntoIterator<Item = Cell>) -> Option<f64> {
    let (mut sw, mut swv, mut count, mut sum) = (0.0, 0.0, 0usize, 0.0);
    for (v, w) in cells {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            count += 1;
            sum += v;
            if w > 0.0 {
                sw += w;
                swv += w * v;
            }
        }
    }
    if sw > 0.0 {
        Some(swv / sw)
    } else {
        (count > 0).then(|| sum / count as f64)
    }
}

impl Grid {
    /// The axis for `n` intervals of `interval_s` covering `horizon_s`.
    pub fn new(interval_s: f64, horizon_s: f64, n: usize) -> Grid {
        let interval_s = if interval_s > 0.0 { interval_s } else { 3600.0 };
        let per_bucket = bucket_len(n, interval_s);
        let full_h = n as f64 * interval_s / 3600.0;
        let horizon_h = horizon_s / 3600.0;
        // The last interval may be partial: end the axis at the horizon.
        let last_start_h = n.saturating_sub(1) as f64 * interval_s / 3600.0;
        let total_h = if horizon_h > last_start_h && horizon_h < full_h {
            horizon_h
        } else {
            full_h
        };
        Grid {
            interval_s,
            n,
            per_bucket,
            buckets: n.div_ceil(per_bucket),
            total_h,
            start: None,
        }
    }

    /// Start and end of bucket `b`, hours.
    pub fn span(&self, b: usize) -> (f64, f64) {
        let bucket_h = self.per_bucket as f64 * self.interval_s / 3600.0;
        let start = b as f64 * bucket_h;
        (start, (start + bucket_h).min(self.total_h))
    }

    /// [`weighted_mean`] per bucket, for series held in memory (run charts
    /// stream into buckets with the same arithmetic: `charts::Acc`).
    pub fn aggregate(&self, cells: &[Cell]) -> Vec<Option<f64>> {
        cells
            .chunks(self.per_bucket)
            .map(|chunk| weighted_mean(chunk.iter().copied()))
            .collect()
    }

    /// Tick positions (hours) and the step between them.
    pub fn ticks(&self) -> (Vec<f64>, f64) {
        const STEPS_H: [f64; 19] = [
            1.0 / 60.0,
            5.0 / 60.0,
            0.25,
            0.5,
            1.0,
            2.0,
            3.0,
            4.0,
            6.0,
            12.0,
            24.0,
            48.0,
            168.0,
            336.0,
            672.0,
            1344.0,
            2184.0,
            4368.0,
            8736.0,
        ];
        let step = STEPS_H
            .iter()
            .copied()
            .find(|s| self.total_h / s <= 8.0)
            .unwrap_or(8736.0);
        let count = (self.total_h / step + 1e-9).floor() as usize;
        ((0..=count).map(|i| i as f64 * step).collect(), step)
    }
}

/// Intervals per bucket: 1 when there are at most [`MAX_BUCKETS`] intervals,
/// otherwise the smallest calendar-friendly multiple of the interval (30 min,
/// 1 h, …, 4 weeks) that fits, falling back to a plain quotient.
fn bucket_len(n: usize, interval_s: f64) -> usize {
    if n <= MAX_BUCKETS {
        return 1;
    }
    const NICE_S: [f64; 14] = [
        1800.0, 3600.0, 7200.0, 10800.0, 14400.0, 21600.0, 28800.0, 43200.0, 86400.0, 172800.0,
        604800.0, 1209600.0, 2419200.0, 4838400.0,
    ];
    NICE_S
        .iter()
        .map(|d| d / interval_s)
        .filter(|k| *k >= 1.0 && (k - k.round()).abs() < 1e-9)
        .map(|k| k.round() as usize)
        .find(|k| n.div_ceil(*k) <= MAX_BUCKETS)
        .unwrap_or_else(|| n.div_ceil(MAX_BUCKETS))
}

impl Grid {
    /// Label of a tick `h` hours into the horizon, `step_h` hours apart:
    /// weekday and time for sub-day steps, weekday (and date, or day number on
    /// horizons over a week) for day steps, date or week number beyond.
    pub fn tick_label(&self, h: f64, step_h: f64) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let secs = (h * 3600.0).round() as i64;
        let day = secs.div_euclid(86_400);
        let minute = secs.rem_euclid(86_400) / 60;
        let date = self
            .start
            .and_then(|d| d.checked_add_signed(TimeDelta::try_days(day)?));
        let weekday = match date {
            Some(d) => DAYS[d.weekday().num_days_from_monday() as usize],
            None => DAYS[day.rem_euclid(7) as usize],
        };
        match date {
            _ if step_h < 24.0 => format!("{weekday} {:02}:{:02}", minute / 60, minute % 60),
            Some(d) if step_h >= 168.0 => d.format("%-d %b %Y").to_string(),
            Some(d) => format!("{weekday} {}", d.format("%-d %b")),
            None if step_h >= 168.0 => format!("Week {}", day / 7 + 1),
            None if self.total_h <= 168.0 => weekday.to_string(),
            None => format!("{weekday} (day {})", day + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_of_quarter_hours_fits_in_calendar_buckets() {
        let n = 365 * 96;
        let k = bucket_len(n, 900.0);
        assert!(n.div_ceil(k) <= MAX_BUCKETS, "{k}");
        assert_eq!(k * 900, 43_200, "12-hour buckets");
        assert_eq!(bucket_len(672, 900.0), 1, "a week at 15 min is drawn as is");
        // An interval that divides no calendar length still gets a bound.
        let odd = bucket_len(5000, 7.0 * 60.0);
        assert!(5000usize.div_ceil(odd) <= MAX_BUCKETS);
    }

    #[test]
    fn aggregation_weights_and_skips_undefined() {
        let grid = Grid {
            interval_s: 900.0,
            n: 4,
            per_bucket: 2,
            buckets: 2,
            total_h: 1.0,
            start: None,
        };
        let cells = [
            (Some(100.0), 1.0),
            (Some(0.0), 3.0),
            (None, 0.0),
            (None, 5.0),
        ];
        assert_eq!(grid.aggregate(&cells), vec![Some(25.0), None]);
        let unweighted = [(Some(2.0), 0.0), (Some(4.0), 0.0)];
        assert_eq!(grid.aggregate(&unweighted), vec![Some(3.0)]);
    }

    #[test]
    fn partial_last_interval_ends_the_axis_at_the_horizon() {
        let grid = Grid::new(3600.0, 2.5 * 3600.0, 3);
        assert_eq!(grid.total_h, 2.5);
        assert_eq!(grid.span(2), (2.0, 2.5));
    }

    #[test]
    fn ticks_are_calendar_aligned_and_labelled() {
        let week = Grid::new(3600.0, 7.0 * 86400.0, 168);
        let (ticks, step) = week.ticks();
        assert_eq!(step, 24.0);
        assert_eq!(ticks.len(), 8);
        assert_eq!(week.tick_label(24.0, step), "Tue");
        let two_days = Grid::new(3600.0, 2.0 * 86400.0, 48);
        let (_, step) = two_days.ticks();
        assert_eq!(step, 6.0);
        assert_eq!(two_days.tick_label(30.0, step), "Tue 06:00");
        let year = Grid::new(900.0, 365.0 * 86400.0, 365 * 96);
        let (ticks, step) = year.ticks();
        assert!(ticks.len() <= 9, "{}", ticks.len());
        assert_eq!(year.tick_label(step, step), "Week 9");
        let twenty_days = Grid::new(3600.0, 20.0 * 86400.0, 480);
        assert_eq!(twenty_days.tick_label(24.0 * 8.0, 48.0), "Tue (day 9)");
    }

    #[test]
    fn ticks_use_the_calendar_when_the_start_date_is_known() {
        let mut grid = Grid::new(3600.0, 20.0 * 86400.0, 480);
        // 2026-03-03 is a Tuesday.
        grid.start = NaiveDate::from_ymd_opt(2026, 3, 3);
        assert_eq!(grid.tick_label(0.0, 6.0), "Tue 00:00");
        assert_eq!(grid.tick_label(24.0 * 6.0 + 8.0, 6.0), "Mon 08:00");
        assert_eq!(grid.tick_label(48.0, 48.0), "Thu 5 Mar");
        assert_eq!(grid.tick_label(24.0 * 29.0, 336.0), "1 Apr 2026");
    }
}
