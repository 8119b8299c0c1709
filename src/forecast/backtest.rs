//! Rolling-origin backtest: at each origin every method is fitted on the days
//! before it only and forecasts the next `horizon_days`; the error is scored
//! on the intervals that have a row in the history. Special days are not
//! scored (every method treats them alike, with the same multiplier).

use super::calendar::SpecialDays;
use super::context::Context;
use super::history::History;
use super::methods::Method;
use chrono::NaiveDate;

/// Origins tried, one week apart, the last ending where the forecast starts.
pub const MAX_ORIGINS: usize = 8;
/// Fewest training days before an origin.
pub const MIN_TRAINING_DAYS: usize = 7;

/// Errors of one method from one origin.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginScore {
    /// The method.
    pub method: Method,
    /// First forecast day of this origin.
    pub origin: NaiveDate,
    /// Σ |forecast − actual| over scored intervals.
    pub abs_error: f64,
    /// Σ (forecast − actual).
    pub error: f64,
    /// Σ actual.
    pub actual: f64,
    /// Per scored day: (actual total, forecast total of the same intervals).
    pub days: Vec<(f64, f64)>,
}

impl OriginScore {
    /// Weighted absolute percentage error: Σ|e| ÷ Σ actual.
    pub fn wape(&self) -> f64 {
        ratio(self.abs_error, self.actual)
    }

    /// Bias: Σ e ÷ Σ actual (positive: over-forecast).
    pub fn bias(&self) -> f64 {
        ratio(self.error, self.actual)
    }
}

/// `num / den`, NaN when there is nothing to divide by.
pub fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { f64::NAN }
}

/// Origins (grid days) for a forecast starting at day `end`, newest last.
pub fn origins(end: usize, horizon_days: usize) -> Vec<usize> {
    let mut out: Vec<usize> = (0..MAX_ORIGINS)
        .filter_map(|k| end.checked_sub(horizon_days + 7 * k))
        .filter(|&o| o >= MIN_TRAINING_DAYS)
        .collect();
    out.reverse();
    out
}

/// Scores every method on `series` from each of `origins`.
pub fn score(
    history: &History,
    series: usize,
    specials: &SpecialDays,
    origin: usize,
    horizon_days: usize,
) -> Vec<OriginScore> {
    let ctx = Context::new(history, series, specials, origin);
    let slots = history.slots_per_day;
    Method::ALL
        .iter()
        .map(|&method| {
            let forecast = method.forecast(&ctx, horizon_days);
            let mut s = OriginScore {
                method,
                origin: history.date(origin),
                abs_error: 0.0,
                error: 0.0,
                actual: 0.0,
                days: Vec::new(),
            };
            for (i, day) in forecast.iter().enumerate() {
                let d = origin + i;
                if d >= history.days || specials.name(history.date(d)).is_some() {
                    continue;
                }
                let mut day_actual = 0.0;
                let mut day_forecast = 0.0;
                let mut present = 0;
                for slot in 0..slots {
                    let a = history.value(series, d, slot);
                    if a.is_nan() {
                        continue;
                    }
                    let f = day.as_ref().map_or(0.0, |v| v[slot]);
                    s.abs_error += (f - a).abs();
                    s.error += f - a;
                    s.actual += a;
                    day_actual += a;
                    day_forecast += f;
                    present += 1;
                }
                if present > 0 {
                    s.days.push((day_actual, day_forecast));
                }
            }
            s
        })
        .collect()
}
