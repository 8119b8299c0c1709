//! Forecasting methods. Each predicts the mean volume of every interval of
//! the days after its context's origin, from the training days only; special
//! days and closed intervals are applied here, once, for all of them.

mod holt_winters;
mod month_profile;
mod naive;
mod profile;
mod recent_mean;

pub use profile::weekday_factors;

use super::context::Context;

/// A forecasting method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// The same interval on the most recent usable same weekday.
    SeasonalNaive,
    /// The mean of the last four usable same weekdays, interval by interval.
    FourWeekMean,
    /// Weekday factors × an exponentially weighted level, spread by
    /// weekday-specific intraday shares.
    WeekdayProfile,
    /// Holt-Winters (damped additive trend, multiplicative weekly season) on
    /// daily totals, spread by weekday-specific intraday shares (Taylor 2008).
    HoltWinters,
    /// A 4-week level × weekday factors × day-of-month factors (turn-of-month
    /// peaks), spread by weekday-specific intraday shares.
    MonthProfile,
}

impl Method {
    /// Every method, simplest first (ties in the backtest go to the simpler).
    pub const ALL: [Method; 5] = [
        Method::SeasonalNaive,
        Method::FourWeekMean,
        Method::WeekdayProfile,
        Method::HoltWinters,
        Method::MonthProfile,
    ];

    /// Name used in files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Method::SeasonalNaive => "seasonal_naive",
            Method::FourWeekMean => "four_week_mean",
            Method::WeekdayProfile => "weekday_profile",
            Method::HoltWinters => "holt_winters",
            Method::MonthProfile => "month_profile",
        }
    }

    /// Interval means for days `origin .. origin + days`: `None` for a closed
    /// day, otherwise one value per interval (0 where closed).
    pub fn forecast(self, ctx: &Context<'_>, days: usize) -> Vec<Option<Vec<f64>>> {
        let raw: Vec<Vec<f64>> = match self {
            Method::SeasonalNaive => naive::forecast(ctx, days),
            Method::FourWeekMean => recent_mean::forecast(ctx, days),
            Method::WeekdayProfile => profile::forecast(ctx, days),
            Method::HoltWinters => holt_winters::forecast(ctx, days),
            Method::MonthProfile => month_profile::forecast(ctx, days),
        };
        raw.into_iter()
            .enumerate()
            .map(|(i, mut slots)| {
                let day = ctx.origin + i;
                let w = ctx.weekday(day);
                let multiplier = ctx.special_multiplier(day).unwrap_or(1.0);
                if !ctx.open_weekday(w) || multiplier <= 0.0 {
                    return None;
                }
                for (v, &open) in slots.iter_mut().zip(&ctx.mask[w]) {
                    *v = if open {
                        (*v * multiplier).max(0.0)
                    } else {
                        0.0
                    };
                }
                Some(slots)
            })
            .collect()
    }
}

/// The interval values of training day `day`, absent intervals as 0.
fn day_values(ctx: &Context<'_>, day: usize) -> Vec<f64> {
    (0..ctx.history.slots_per_day)
        .map(|s| {
            let v = ctx.value(day, s);
            if v.is_nan() { 0.0 } else { v }
        })
        .collect()
}
