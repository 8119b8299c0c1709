//! Forecasting interval volumes from history (`cxsim forecast`).
//!
//! Flow: [`history::parse_history`] checks a trace-format CSV and lays every
//! series on a day × interval grid; for each series, a rolling-origin
//! [`backtest`] scores every [`Method`] (each origin fits on the days before
//! it only); the method with the lowest WAPE forecasts the horizon, with 80%
//! prediction intervals from Poisson noise and the day-level over-dispersion
//! ([`uncertainty`]); [`output`] renders the files.
//!
//! Determinism: no randomness; series, methods and origins are visited in a
//! fixed order, so the same input gives the same bytes.

pub mod backtest;
pub mod calendar;
pub mod chart;
mod context;
pub mod error;
pub mod history;
pub mod methods;
pub mod output;
pub mod synthetic;
pub mod uncertainty;

pub use calendar::{SpecialDays, parse_special_days};
pub use error::ForecastError;
pub use history::{History, SeriesKey, parse_history, read_bounded};
pub use methods::Method;

use backtest::OriginScore;
use chrono::{Duration, NaiveDateTime};
use context::Context;

/// Longest horizon accepted, in days.
pub const MAX_HORIZON_DAYS: u64 = 366;
/// Lower and upper quantiles of the prediction interval (80%).
pub const INTERVAL_QUANTILES: (f64, f64) = (0.1, 0.9);

/// What to forecast.
#[derive(Debug, Clone)]
pub struct Options {
    /// Horizon length, seconds, from the first interval after the history.
    pub horizon_s: u64,
}

/// One forecast interval of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Interval start.
    pub start: NaiveDateTime,
    /// Expected contacts.
    pub mean: f64,
    /// Lower end of the 80% prediction interval.
    pub lo: f64,
    /// Upper end of the 80% prediction interval.
    pub hi: f64,
}

/// Backtest summary of one method on one series.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodScore {
    /// The method.
    pub method: Method,
    /// WAPE over every origin's scored intervals.
    pub wape: f64,
    /// Bias over the same intervals (positive: over-forecast).
    pub bias: f64,
}

/// The forecast of one series.
#[derive(Debug, Clone)]
pub struct SeriesForecast {
    /// Its identity.
    pub key: SeriesKey,
    /// The method chosen by the backtest.
    pub method: Method,
    /// Per method, over all origins (empty when the history is too short to backtest).
    pub scores: Vec<MethodScore>,
    /// Per origin and method.
    pub backtest: Vec<OriginScore>,
    /// Fitted day-level over-dispersion of the history.
    pub day_cv: f64,
    /// Relative day-level error used for the intervals: the larger of
    /// `day_cv` and the chosen method's backtest over-dispersion.
    pub interval_cv: f64,
    /// Forecast intervals (open intervals only), in time order.
    pub rows: Vec<Row>,
}

/// Everything `cxsim forecast` writes.
#[derive(Debug, Clone)]
pub struct Forecast {
    /// Interval length, seconds.
    pub interval_s: u32,
    /// First forecast interval (the first after the history).
    pub start: NaiveDateTime,
    /// Horizon, seconds.
    pub horizon_s: u64,
    /// Days of history.
    pub history_days: usize,
    /// Day-level over-dispersion of all series summed (what one region's
    /// `day_cv` multiplies).
    pub day_cv: f64,
    /// Whether to write region / intent columns.
    pub has_region: bool,
    /// See `has_region`.
    pub has_intent: bool,
    /// Per series, in key order.
    pub series: Vec<SeriesForecast>,
}

/// The first grid day not trained on: the day after the history, or its last
/// day when that day stopped early (fewer than 80% of the rows of the same
/// weekdays before it), so that a partial day is forecast, not trusted.
fn forecast_origin(h: &History) -> usize {
    let last = h.days - 1;
    let rows = |d: usize| -> usize {
        h.series
            .iter()
            .map(|s| {
                s.values[d * h.slots_per_day..(d + 1) * h.slots_per_day]
                    .iter()
                    .filter(|v| !v.is_nan())
                    .count()
            })
            .sum()
    };
    let before: Vec<usize> = (1..=4)
        .filter_map(|k| last.checked_sub(7 * k))
        .map(rows)
        .collect();
    if before.is_empty() {
        return h.days;
    }
    let typical = before.iter().sum::<usize>() as f64 / before.len() as f64;
    if (rows(last) as f64) < 0.8 * typical {
        last
    } else {
        h.days
    }
}

/// Forecasts every series of `history`. `progress(done, total)` is called
/// after each series × origin of the backtest.
pub fn forecast(
    history: &History,
    specials: &SpecialDays,
    options: &Options,
    progress: Option<&(dyn Fn(usize, usize) + Sync)>,
) -> Forecast {
    let interval = Duration::seconds(i64::from(history.interval_s));
    let start = history.last_start + interval;
    let origin = forecast_origin(history);
    // At least one interval, at most the documented maximum.
    let horizon_s = options
        .horizon_s
        .clamp(u64::from(history.interval_s), MAX_HORIZON_DAYS * 86_400);
    let end = start + Duration::seconds(horizon_s as i64);
    let last_day = ((end - interval).date() - history.first_date).num_days() as usize;
    let days = (last_day + 1).saturating_sub(origin).max(1);
    let backtest_days = days.clamp(1, 28);
    let origins = backtest::origins(origin, backtest_days);
    let total = origins.len() * history.series.len();
    let mut done = 0;
    let series = (0..history.series.len())
        .map(|s| {
            let mut scores = Vec::new();
            for &o in &origins {
                scores.extend(backtest::score(history, s, specials, o, backtest_days));
                done += 1;
                if let Some(p) = progress {
                    p(done, total);
                }
            }
            forecast_series(history, s, specials, origin, days, (start, end), scores)
        })
        .collect();
    Forecast {
        interval_s: history.interval_s,
        start,
        horizon_s,
        history_days: history.days,
        day_cv: overall_day_cv(history, specials, origin),
        has_region: history.has_region,
        has_intent: history.has_intent,
        series,
    }
}

fn summarise(backtest: &[OriginScore]) -> Vec<MethodScore> {
    Method::ALL
        .iter()
        .filter_map(|&method| {
            let of: Vec<&OriginScore> = backtest.iter().filter(|s| s.method == method).collect();
            let actual: f64 = of.iter().map(|s| s.actual).sum();
            (!of.is_empty() && actual > 0.0).then(|| MethodScore {
                method,
                wape: of.iter().map(|s| s.abs_error).sum::<f64>() / actual,
                bias: of.iter().map(|s| s.error).sum::<f64>() / actual,
            })
        })
        .collect()
}

fn forecast_series(
    history: &History,
    s: usize,
    specials: &SpecialDays,
    origin: usize,
    days: usize,
    (start, end): (NaiveDateTime, NaiveDateTime),
    backtest: Vec<OriginScore>,
) -> SeriesForecast {
    let scores = summarise(&backtest);
    // Strictly lower WAPE wins, so ties keep the simpler method.
    let method = scores
        .iter()
        .fold(None::<&MethodScore>, |best, m| match best {
            Some(b) if b.wape <= m.wape => Some(b),
            _ => Some(m),
        })
        .map_or(Method::WeekdayProfile, |m| m.method);
    let ctx = Context::new(history, s, specials, origin);
    let day_cv = uncertainty::day_cv(&ctx);
    let chosen_days: Vec<(f64, f64)> = backtest
        .iter()
        .filter(|b| b.method == method)
        .flat_map(|b| b.days.iter().copied())
        .collect();
    let interval_cv = day_cv.max(uncertainty::over_dispersion(&chosen_days));
    let (q_lo, q_hi) = INTERVAL_QUANTILES;
    let interval = Duration::seconds(i64::from(history.interval_s));
    let mut rows = Vec::new();
    for (i, day) in method.forecast(&ctx, days).into_iter().enumerate() {
        let Some(slots) = day else { continue };
        let w = ctx.weekday(origin + i);
        let midnight = history
            .date(origin + i)
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists");
        for (slot, mean) in slots.into_iter().enumerate() {
            let t = midnight + interval * slot as i32;
            if !ctx.mask[w][slot] || t < start || t >= end {
                continue;
            }
            rows.push(Row {
                start: t,
                mean,
                lo: uncertainty::quantile(mean, interval_cv, q_lo),
                hi: uncertainty::quantile(mean, interval_cv, q_hi),
            });
        }
    }
    SeriesForecast {
        key: history.series[s].key.clone(),
        method,
        scores,
        backtest,
        day_cv,
        interval_cv,
        rows,
    }
}

/// `day_cv` of the sum of all series: the simulator draws one multiplier per
/// region and day for all its channels, so that is the figure it needs.
fn overall_day_cv(history: &History, specials: &SpecialDays, origin: usize) -> f64 {
    let mut values = vec![f64::NAN; history.days * history.slots_per_day];
    for s in &history.series {
        for (acc, v) in values.iter_mut().zip(&s.values) {
            if !v.is_nan() {
                *acc = if acc.is_nan() { *v } else { *acc + v };
            }
        }
    }
    let mut total = history.clone();
    total.series = vec![history::Series {
        key: SeriesKey {
            region: None,
            channel: "all".into(),
            intent: None,
        },
        values,
    }];
    uncertainty::day_cv(&Context::new(&total, 0, specials, origin))
}
