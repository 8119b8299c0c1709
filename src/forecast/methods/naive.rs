//! Seasonal naive: each interval as on the most recent usable same weekday
//! (a week ago for the first week of the horizon). The baseline to beat.

use super::day_values;
use crate::forecast::context::Context;

/// See the module docs.
pub fn forecast(ctx: &Context<'_>, days: usize) -> Vec<Vec<f64>> {
    let slots = ctx.history.slots_per_day;
    (0..days)
        .map(|i| {
            let w = ctx.weekday(ctx.origin + i);
            match ctx.recent(w).next() {
                Some(d) => day_values(ctx, d),
                None => vec![0.0; slots],
            }
        })
        .collect()
}
