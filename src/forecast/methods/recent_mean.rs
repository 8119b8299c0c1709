//! Four-week same-weekday mean: each interval as the mean of the last four
//! usable same weekdays — the habit of many planning spreadsheets.

use super::day_values;
use crate::forecast::context::Context;

const WEEKS: usize = 4;

/// See the module docs.
pub fn forecast(ctx: &Context<'_>, days: usize) -> Vec<Vec<f64>> {
    let slots = ctx.history.slots_per_day;
    (0..days)
        .map(|i| {
            let w = ctx.weekday(ctx.origin + i);
            let mut sum = vec![0.0; slots];
            let mut n = 0;
            for d in ctx.recent(w).take(WEEKS) {
                for (acc, v) in sum.iter_mut().zip(day_values(ctx, d)) {
                    *acc += v;
                }
                n += 1;
            }
            if n > 0 {
                sum.iter_mut().for_each(|v| *v /= n as f64);
            }
            sum
        })
        .collect()
}
