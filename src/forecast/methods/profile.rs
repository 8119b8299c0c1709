//! Weekday profile with a recent level: daily total = level × weekday factor,
//! spread over the day by that weekday's intraday shares. The level is an
//! exponentially weighted mean of deseasonalised daily totals; its weight is
//! chosen from a small grid by one-step-ahead error on the training days.

use crate::forecast::context::Context;

/// Weeks of history the weekday factors average over.
const FACTOR_WEEKS: usize = 12;
/// Level smoothing weights tried.
const ALPHAS: [f64; 5] = [0.03, 0.06, 0.1, 0.2, 0.4];
/// Days of history the level runs over (older days carry no weight left).
const LEVEL_WINDOW_DAYS: usize = 365;

/// Weekday factors (mean 1 over open weekdays; 0 when closed): per 7-day
/// block before the origin whose open days are all usable, each day's total
/// over the block's mean, averaged over the last 12 such blocks.
/// Ratios within a block cancel the level and most of any trend.
pub fn weekday_factors(ctx: &Context<'_>) -> [f64; 7] {
    let open: Vec<usize> = (0..7).filter(|&w| ctx.open_weekday(w)).collect();
    let mut sums = [0.0; 7];
    let mut blocks = 0;
    let mut end = ctx.origin;
    while end >= 7 && blocks < FACTOR_WEEKS {
        let days: Vec<usize> = (end - 7..end)
            .filter(|&d| ctx.open_weekday(ctx.weekday(d)))
            .collect();
        end -= 7;
        if days.is_empty() || !days.iter().all(|&d| ctx.usable[d]) {
            continue;
        }
        let mean = days.iter().map(|&d| ctx.totals[d]).sum::<f64>() / days.len() as f64;
        if mean <= 0.0 {
            continue;
        }
        for &d in &days {
            sums[ctx.weekday(d)] += ctx.totals[d] / mean;
        }
        blocks += 1;
    }
    let mut f = [0.0; 7];
    if blocks > 0 {
        for &w in &open {
            f[w] = sums[w] / blocks as f64;
        }
    } else {
        // No complete week: plain weekday means over every usable day.
        let mut all = (0.0, 0);
        for &w in &open {
            let v: Vec<f64> = ctx
                .recent(w)
                .take(FACTOR_WEEKS)
                .map(|d| ctx.totals[d])
                .collect();
            if !v.is_empty() {
                f[w] = v.iter().sum::<f64>() / v.len() as f64;
                all.0 += f[w];
                all.1 += 1;
            }
        }
        if all.0 > 0.0 {
            let mean = all.0 / all.1 as f64;
            f.iter_mut().for_each(|x| *x /= mean);
        }
    }
    let mean = open.iter().map(|&w| f[w]).sum::<f64>() / open.len().max(1) as f64;
    if mean > 0.0 {
        f.iter_mut().for_each(|x| *x /= mean);
    }
    f
}

/// The fitted level at the origin, and its one-step squared error scaled by
/// the prediction (a Poisson-like deviance, so big days do not dominate).
fn run_level(ctx: &Context<'_>, f: &[f64; 7], alpha: f64) -> (f64, f64) {
    let start = ctx.origin.saturating_sub(LEVEL_WINDOW_DAYS);
    let mut level = f64::NAN;
    let mut seen = Vec::new();
    let mut sse = 0.0;
    for d in start..ctx.origin {
        let fw = f[ctx.weekday(d)];
        if !ctx.usable[d] || fw <= 0.0 {
            continue;
        }
        let y = ctx.totals[d] / fw;
        if seen.len() < 7 {
            // Start from the mean of the first week rather than one noisy day.
            seen.push(y);
            level = seen.iter().sum::<f64>() / seen.len() as f64;
            continue;
        }
        let pred = level * fw;
        if pred > 0.0 {
            sse += (ctx.totals[d] - pred).powi(2) / pred;
        }
        level = alpha * y + (1.0 - alpha) * level;
    }
    (level, sse)
}

/// See the module docs.
pub fn forecast(ctx: &Context<'_>, days: usize) -> Vec<Vec<f64>> {
    let f = weekday_factors(ctx);
    let level = ALPHAS
        .iter()
        .map(|&a| run_level(ctx, &f, a))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0.0, |(l, _)| if l.is_finite() { l } else { 0.0 });
    (0..days)
        .map(|i| {
            let w = ctx.weekday(ctx.origin + i);
            ctx.spread(w, level * f[w])
        })
        .collect()
}
