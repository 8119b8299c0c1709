//! The time axis: intervals grouped into at most [`MAX_BUCKETS`] buckets,
//! calendar-aligned ticks, and their labels.

use super::MAX_BUCKETS;
use crate::report::day_and_time;

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
}

impl Grid {
    pub fn new(interval_s: f64, horizon_s: f64, n: usize) -> Grid {
        let interval_s = if interval_s > 0.0 { interval_s } else { 3600.0 };
        let per_bucket = bucket_len(n, interval_s);
        let full_h = n as f64 * interval_s / 3600.0;
        let horizon_h = horizon_s / 3600.0;
        // The last interval may be partial: end the axis at the horizon.
        let last_start_h = (n - 1) as f64 * interval_s / 3600.0;
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
        }
    }

    /// Start and end of bucket `b`, hours.
    pub fn span(&self, b: usize) -> (f64, f64) {
        let bucket_h = self.per_bucket as f64 * self.interval_s / 3600.0;
        let start = b as f64 * bucket_h;
        (start, (start + bucket_h).min(self.total_h))
    }

    /// Weighted mean per bucket of the defined, finite values; the plain mean
    /// when every weight is zero; `None` when nothing is defined.
    pub fn aggregate(&self, cells: &[Cell]) -> Vec<Option<f64>> {
        cells
            .chunks(self.per_bucket)
            .map(|chunk| {
                let (mut sw, mut swv, mut count, mut sum) = (0.0, 0.0, 0usize, 0.0);
                for &(v, w) in chunk {
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
            })
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

/// Label of a tick `h` hours into the horizon (which starts Monday 00:00).
pub(super) fn tick_label(h: f64, step_h: f64, total_h: f64) -> String {
    let (day, time) = day_and_time((h * 3600.0).round());
    if step_h >= 168.0 {
        format!("Week {}", (h / 168.0).round() as u64 + 1)
    } else if step_h >= 24.0 && total_h <= 168.0 {
        day.to_string()
    } else if step_h >= 24.0 {
        format!("{day} (day {})", (h / 24.0).round() as u64 + 1)
    } else {
        format!("{day} {time}")
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
        assert_eq!(tick_label(24.0, step, week.total_h), "Tue");
        let two_days = Grid::new(3600.0, 2.0 * 86400.0, 48);
        let (_, step) = two_days.ticks();
        assert_eq!(step, 6.0);
        assert_eq!(tick_label(30.0, step, two_days.total_h), "Tue 06:00");
        let year = Grid::new(900.0, 365.0 * 86400.0, 365 * 96);
        let (ticks, step) = year.ticks();
        assert!(ticks.len() <= 9, "{}", ticks.len());
        assert_eq!(tick_label(step, step, year.total_h), "Week 9");
        assert_eq!(tick_label(24.0 * 8.0, 48.0, 480.0), "Tue (day 9)");
    }
}
