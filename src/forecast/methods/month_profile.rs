//! Weekday × day-of-month profile: daily total = level × weekday factor ×
//! day-of-month factor, spread by the weekday's intraday shares.
//!
//! Many centres — banks, utilities, insurers — see volume rise around the
//! turn of the month (statements, salaries, direct debits) and sag in
//! mid-month: on the US bank history of Weinberg, Brown & Stroud (2007) the
//! first days of a month run ≈ 8% above their neighbours, days 20–26 ≈ 3%
//! below. A method that knows only weekdays reads that as level noise.
//!
//! The factors: each usable day's deseasonalised total (÷ weekday factor)
//! over the mean of its [`NEIGHBOURS`] usable neighbours either side (a local
//! level, so trend and level shifts cancel), pooled by day of month with the
//! [`SMOOTH_DAYS`] days either side (the month wraps: the 31st neighbours the
//! 1st) and shrunk towards 1 by empirical Bayes: each keeps the share of its
//! distance from 1 that the spread of all factors, beyond their sampling
//! noise, supports. With no monthly pattern the factors stay at 1 and the
//! method is a weekday profile with a 4-week level; the backtest decides
//! whether it pays.

use super::profile;
use crate::forecast::context::Context;
use chrono::Datelike;

/// Usable days either side whose mean is a day's local level.
const NEIGHBOURS: usize = 10;
/// Days of the month either side pooled into each factor.
const SMOOTH_DAYS: i64 = 2;
/// Fewest days with a full neighbourhood (about two months of a five-day
/// centre) before any factor departs from 1.
const MIN_DAYS: f64 = 40.0;
/// Calendar days whose usable days make the level (four weeks).
const LEVEL_DAYS: usize = 28;
/// Days of history the factors are estimated over.
const WINDOW_DAYS: usize = 365;

/// Day of the month (1–31) of grid day `day`.
fn day_of_month(ctx: &Context<'_>, day: usize) -> usize {
    ctx.history.date(day).day() as usize
}

/// Day-of-month factors, indexed 1–31 (index 0 unused, 1), from the training
/// days; see the module docs.
pub fn month_factors(ctx: &Context<'_>, weekday: &[f64; 7]) -> [f64; 32] {
    let start = ctx.origin.saturating_sub(WINDOW_DAYS);
    let days: Vec<(usize, f64)> = (start..ctx.origin)
        .filter(|&d| ctx.usable[d] && weekday[ctx.weekday(d)] > 0.0)
        .map(|d| (d, ctx.totals[d] / weekday[ctx.weekday(d)]))
        .collect();
    let mut sums = [0.0; 32];
    let mut squares = 0.0;
    let mut counts = [0.0; 32];
    // Only days with a full neighbourhood on both sides: a one-sided level
    // at either end would mistake a trend for a day-of-month effect.
    for i in NEIGHBOURS..days.len().saturating_sub(NEIGHBOURS) {
        let local = days[i - NEIGHBOURS..=i + NEIGHBOURS]
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != NEIGHBOURS)
            .map(|(_, &(_, z))| z)
            .sum::<f64>()
            / (2 * NEIGHBOURS) as f64;
        if local > 0.0 {
            let (d, z) = days[i];
            let k = day_of_month(ctx, d);
            sums[k] += z / local;
            squares += (z / local - 1.0).powi(2);
            counts[k] += 1.0;
        }
    }
    let n_all: f64 = counts.iter().sum();
    if n_all < MIN_DAYS {
        return [1.0; 32];
    }
    // Pooled over neighbouring days of the month (the month wraps).
    let mut pooled = [(0.0, 0.0); 32];
    for (k, p) in pooled.iter_mut().enumerate().skip(1) {
        for offset in -SMOOTH_DAYS..=SMOOTH_DAYS {
            let q = (k as i64 - 1 + offset).rem_euclid(31) as usize + 1;
            p.0 += sums[q];
            p.1 += counts[q];
        }
    }
    // Empirical Bayes: a day's ratio has variance `noise` around its factor;
    // the factors vary around 1 with variance `signal` (what the pooled means
    // spread beyond their own noise). Each factor keeps the share
    // signal / (signal + noise / n) of its distance from 1, so without a
    // monthly pattern every factor stays at 1.
    let noise = squares / n_all;
    let used: Vec<(f64, f64)> = pooled[1..]
        .iter()
        .filter(|p| p.1 > 0.0)
        .map(|&(s, n)| (s / n, n))
        .collect();
    let spread = used.iter().map(|(m, _)| (m - 1.0).powi(2)).sum::<f64>() / used.len() as f64;
    let own = used.iter().map(|(_, n)| noise / n).sum::<f64>() / used.len() as f64;
    let signal = (spread - own).max(0.0);
    let mut factors = [1.0; 32];
    for (f, &(s, n)) in factors.iter_mut().zip(&pooled).skip(1) {
        if n > 0.0 && signal > 0.0 {
            *f = 1.0 + signal / (signal + noise / n) * (s / n - 1.0);
        }
    }
    factors
}

/// See the module docs. Falls back to the weekday profile when the last four
/// weeks hold no usable day.
pub fn forecast(ctx: &Context<'_>, days: usize) -> Vec<Vec<f64>> {
    let weekday = profile::weekday_factors(ctx);
    let month = month_factors(ctx, &weekday);
    let level_days: Vec<f64> = (ctx.origin.saturating_sub(LEVEL_DAYS)..ctx.origin)
        .filter(|&d| ctx.usable[d] && weekday[ctx.weekday(d)] > 0.0)
        .map(|d| ctx.totals[d] / (weekday[ctx.weekday(d)] * month[day_of_month(ctx, d)]))
        .collect();
    if level_days.is_empty() {
        return profile::forecast(ctx, days);
    }
    let level = level_days.iter().sum::<f64>() / level_days.len() as f64;
    (0..days)
        .map(|i| {
            let d = ctx.origin + i;
            let w = ctx.weekday(d);
            ctx.spread(w, level * weekday[w] * month[day_of_month(ctx, d)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::synthetic::{Spec, generate};
    use crate::forecast::{SpecialDays, parse_history};
    use std::path::Path;

    /// Day-of-month factors of the voice channel after `days` days of a
    /// bank-like history with the given turn-of-month amplitude and day CV.
    fn factors(month_effect: f64, day_cv: f64, seed: u64) -> [f64; 32] {
        let days = 300;
        let syn = generate(&Spec {
            month_effect,
            day_cv,
            special: vec![],
            ..Spec::bank(seed, days, 60)
        });
        let h = parse_history(Path::new("t.csv"), &syn.csv(days)).expect("valid history");
        let voice = h
            .series
            .iter()
            .position(|s| s.key.channel == "voice")
            .expect("voice");
        let specials = SpecialDays::default();
        let ctx = Context::new(&h, voice, &specials, h.days);
        month_factors(&ctx, &profile::weekday_factors(&ctx))
    }

    /// A known ±8% cycle is recovered. Each factor pools ≈ 5 days of the
    /// month × 9 months ≈ 45 days whose ratios have a CV ≈ 0.05 (day noise),
    /// so its standard error is ≈ 0.008, and the ±2-day pooling flattens a
    /// cosine of period 30.5 days by ≈ 3% of its amplitude: ±0.025 leaves
    /// ≥ 2 standard errors.
    #[test]
    fn a_turn_of_month_cycle_is_recovered() {
        let f = factors(0.08, 0.05, 7);
        for day in [2, 9, 17, 25] {
            let phase = 2.0 * std::f64::consts::PI * (day as f64 - 2.0) / 30.5;
            let want = 1.0 + 0.08 * phase.cos();
            assert!(
                (f[day] - want).abs() < 0.025,
                "day {day}: factor {} vs {want}",
                f[day]
            );
        }
    }

    /// Without a monthly pattern the empirical-Bayes shrinkage keeps every
    /// factor near 1, even with noisy days (CV 0.15): the method is then a
    /// weekday profile with a 4-week level.
    #[test]
    fn factors_stay_near_one_without_a_monthly_pattern() {
        for seed in [1, 2, 3] {
            let f = factors(0.0, 0.15, seed);
            let worst = f[1..].iter().map(|x| (x - 1.0).abs()).fold(0.0, f64::max);
            assert!(worst < 0.02, "seed {seed}: a factor is {worst} from 1");
        }
    }
}
