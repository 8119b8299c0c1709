//! Synthetic histories with known structure, for tests and benches: weekday
//! effects, a weekday-dependent intraday shape per channel, a linear trend,
//! an optional turn-of-month cycle,
//! closed hours and days, named special days, missing days, and gamma day
//! multipliers (mean 1, CV `day_cv`, shared by all channels of a day) on top
//! of Poisson counts — the doubly stochastic model of Avramidis et al. (2004).
//! The true means are kept, so a test can compute the error floor: the WAPE
//! of forecasting each interval by its true mean.

use super::calendar::SpecialDays;
use chrono::{Datelike, NaiveDate};
use rand::SeedableRng;
use rand_distr::{Distribution, Gamma, Poisson};
use rand_pcg::Pcg64Mcg;
use std::fmt::Write;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Seed of the generator (Pcg64Mcg).
    pub seed: u64,
    /// First date.
    pub start: NaiveDate,
    /// Days generated (history and, beyond it, a future to score against).
    pub days: usize,
    /// Interval length, minutes (divides 60).
    pub interval_min: u32,
    /// (channel, mean contacts on an average open day at the start).
    pub channels: Vec<(String, f64)>,
    /// Weekday factors, Monday first; 0 closes the weekday.
    pub weekday: [f64; 7],
    /// Opening hours per weekday, [from, to) in whole hours.
    pub hours: [(u32, u32); 7],
    /// Relative growth per year (0.2: +20% a year).
    pub trend_per_year: f64,
    /// Amplitude of a turn-of-month cycle: a day's mean × (1 + this ×
    /// cos(2π (day of month − 2) / 30.5)), highest on the 2nd, lowest in
    /// mid-month (0: none).
    pub month_effect: f64,
    /// CV of the gamma day multiplier.
    pub day_cv: f64,
    /// (day index, name, multiplier): 0 closes the day (no rows).
    pub special: Vec<(usize, String, f64)>,
    /// Days whose rows are missing from the export (open, but no data).
    pub missing: Vec<usize>,
}

impl Spec {
    /// A bank-like centre: weekdays 07–21 h, Saturday 08–16 h, Sunday closed;
    /// Monday high; `channels` voice and chat; 20%/year growth; day CV 0.15;
    /// a closed public holiday and a promotion day that recur by name.
    pub fn bank(seed: u64, days: usize, interval_min: u32) -> Spec {
        Spec {
            seed,
            start: NaiveDate::from_ymd_opt(2025, 1, 6).expect("valid date"),
            days,
            interval_min,
            channels: vec![("voice".into(), 3000.0), ("chat".into(), 1200.0)],
            weekday: [1.25, 1.05, 1.0, 0.98, 0.95, 0.55, 0.0],
            hours: [(7, 21), (7, 21), (7, 21), (7, 21), (7, 21), (8, 16), (0, 0)],
            trend_per_year: 0.2,
            month_effect: 0.0,
            day_cv: 0.15,
            special: [
                (45, "Holiday", 0.0),
                (100, "Promo", 1.6),
                (226, "Holiday", 0.0),
                (268, "Promo", 1.6),
            ]
            .into_iter()
            .filter(|s| s.0 < days)
            .map(|(d, n, m)| (d, n.to_string(), m))
            .collect(),
            missing: vec![30.min(days.saturating_sub(1))],
        }
    }
}

/// A generated history.
#[derive(Debug, Clone)]
pub struct Synthetic {
    /// The spec it came from.
    pub spec: Spec,
    /// Intervals a day.
    pub slots_per_day: usize,
    /// Per channel, `days × slots` true means (NaN when closed), excluding the day multiplier.
    pub means: Vec<Vec<f64>>,
    /// Per channel, `days × slots` counts (NaN when no row).
    pub counts: Vec<Vec<f64>>,
}

/// Intraday weight at hour-of-day `h` (fractional) for a channel and weekday:
/// voice peaks mid-morning and after lunch, chat in the evening; Saturday
/// has one late-morning peak.
fn shape(channel: usize, w: usize, h: f64) -> f64 {
    let bump = |c: f64, width: f64| (-((h - c) / width).powi(2)).exp();
    match (channel % 2, w) {
        (0, 5) => 0.2 + bump(11.5, 2.0),
        (0, _) => 0.15 + bump(10.5, 1.5) + 0.7 * bump(14.5, 1.5),
        (_, 5) => 0.3 + bump(13.0, 2.5),
        (_, _) => 0.2 + 0.5 * bump(12.0, 2.0) + bump(19.0, 1.5),
    }
}

/// Generates `spec`.
pub fn generate(spec: &Spec) -> Synthetic {
    let slots = (24 * 60 / spec.interval_min) as usize;
    let mut rng = Pcg64Mcg::seed_from_u64(spec.seed);
    let shape_k = 1.0 / (spec.day_cv * spec.day_cv).max(1e-12);
    let gamma = Gamma::new(shape_k, 1.0 / shape_k).expect("positive shape");
    let mut means = vec![vec![f64::NAN; spec.days * slots]; spec.channels.len()];
    let mut counts = means.clone();
    for d in 0..spec.days {
        let date = spec.start + chrono::Days::new(d as u64);
        let w = date.weekday().num_days_from_monday() as usize;
        let g: f64 = if spec.day_cv > 0.0 {
            gamma.sample(&mut rng)
        } else {
            1.0
        };
        let special = spec.special.iter().find(|s| s.0 == d).map_or(1.0, |s| s.2);
        let (from, to) = spec.hours[w];
        if spec.weekday[w] <= 0.0 || special <= 0.0 || to <= from {
            continue;
        }
        let growth = 1.0 + spec.trend_per_year * d as f64 / 365.0;
        let month_phase = 2.0 * std::f64::consts::PI * (f64::from(date.day()) - 2.0) / 30.5;
        let month = 1.0 + spec.month_effect * month_phase.cos();
        for (c, (_, base)) in spec.channels.iter().enumerate() {
            let open: Vec<usize> = (0..slots)
                .filter(|&s| {
                    let h = s as u32 * spec.interval_min / 60;
                    h >= from && h < to
                })
                .collect();
            let weights: Vec<f64> = open
                .iter()
                .map(|&s| shape(c, w, (s as f64 + 0.5) * f64::from(spec.interval_min) / 60.0))
                .collect();
            let sum: f64 = weights.iter().sum();
            let day_mean = base * spec.weekday[w] * growth * month * special;
            for (&s, wt) in open.iter().zip(&weights) {
                let mean = day_mean * wt / sum;
                means[c][d * slots + s] = mean;
                let n: f64 = Poisson::new(mean * g).map_or(0.0, |p| p.sample(&mut rng));
                if !spec.missing.contains(&d) {
                    counts[c][d * slots + s] = n;
                }
            }
        }
    }
    Synthetic {
        spec: spec.clone(),
        slots_per_day: slots,
        means,
        counts,
    }
}

impl Synthetic {
    /// The first `days` days as a trace-format CSV (rows in time order).
    pub fn csv(&self, days: usize) -> String {
        let mut out = String::from("interval_start,channel,contacts\n");
        for d in 0..days.min(self.spec.days) {
            let date = self.spec.start + chrono::Days::new(d as u64);
            for s in 0..self.slots_per_day {
                let minute = s as u32 * self.spec.interval_min;
                for (c, (name, _)) in self.spec.channels.iter().enumerate() {
                    let v = self.counts[c][d * self.slots_per_day + s];
                    if !v.is_nan() {
                        let _ = writeln!(
                            out,
                            "{date} {:02}:{:02},{name},{v}",
                            minute / 60,
                            minute % 60
                        );
                    }
                }
            }
        }
        out
    }

    /// The special days as a `--special-days` file.
    pub fn special_days_csv(&self) -> String {
        let mut out = String::from("date,name\n");
        for (d, name, _) in &self.spec.special {
            let _ = writeln!(
                out,
                "{},{name}",
                self.spec.start + chrono::Days::new(*d as u64)
            );
        }
        out
    }

    /// The special days.
    pub fn special_days(&self) -> SpecialDays {
        SpecialDays::from_pairs(
            self.spec
                .special
                .iter()
                .map(|(d, n, _)| (self.spec.start + chrono::Days::new(*d as u64), n.clone())),
        )
    }
}
