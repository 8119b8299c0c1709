//! Holt-Winters on daily totals: damped additive trend, multiplicative
//! weekly season, over open days only (a closed weekday is not a step), then
//! spread by weekday-specific intraday shares — Taylor (2008)'s daily model
//! for call arrivals. Missing and special days update nothing but the clock
//! (the observation is taken to equal its prediction). Parameters come from a
//! grid, by one-step-ahead error on the training days.

use super::profile;
use crate::forecast::context::Context;

const ALPHAS: [f64; 5] = [0.02, 0.05, 0.1, 0.2, 0.35];
const BETAS: [f64; 3] = [0.0, 0.02, 0.08];
const GAMMAS: [f64; 4] = [0.0, 0.05, 0.15, 0.3];
const PHIS: [f64; 2] = [0.85, 0.95];
/// Days the model runs over (and is fitted on).
const WINDOW_DAYS: usize = 365;
/// Days used to initialise level and season (not scored).
const INIT_DAYS: usize = 14;

#[derive(Clone, Copy)]
struct Params {
    alpha: f64,
    beta: f64,
    gamma: f64,
    phi: f64,
}

struct State {
    level: f64,
    trend: f64,
    season: [f64; 7],
}

/// One open day: its weekday and its total when usable.
type Step = (usize, Option<f64>);

fn steps(ctx: &Context<'_>) -> Vec<Step> {
    let start = ctx.origin.saturating_sub(WINDOW_DAYS);
    (start..ctx.origin)
        .filter(|&d| ctx.open_weekday(ctx.weekday(d)))
        .map(|d| (ctx.weekday(d), ctx.usable[d].then(|| ctx.totals[d])))
        .collect()
}

/// Season from the weekday factors of the whole training window (a stable
/// start: two weeks alone would leave each index with two noisy days) and
/// level from the first [`INIT_DAYS`] open days; `None` when they hold no
/// usable day.
fn init(steps: &[Step], factors: &[f64; 7]) -> Option<State> {
    let head = &steps[..steps.len().min(INIT_DAYS)];
    let deseasonalised: Vec<f64> = head
        .iter()
        .filter_map(|&(w, y)| y.filter(|_| factors[w] > 0.0).map(|y| y / factors[w]))
        .collect();
    if deseasonalised.is_empty() || steps.iter().any(|&(w, _)| factors[w] <= 0.0) {
        return None;
    }
    let level = deseasonalised.iter().sum::<f64>() / deseasonalised.len() as f64;
    if level <= 0.0 {
        return None;
    }
    let mut season = [1.0; 7];
    for (w, s) in season.iter_mut().enumerate() {
        if factors[w] > 0.0 {
            *s = factors[w];
        }
    }
    Some(State {
        level,
        trend: 0.0,
        season,
    })
}

/// Runs the recursion; returns the final state and the scored error.
fn run(steps: &[Step], start: &State, p: Params) -> (State, f64) {
    let mut s = State {
        level: start.level,
        trend: start.trend,
        season: start.season,
    };
    let mut err = 0.0;
    for (i, &(w, y)) in steps.iter().enumerate() {
        let base = s.level + p.phi * s.trend;
        let pred = base * s.season[w];
        match y {
            Some(y) => {
                if i >= INIT_DAYS && pred > 0.0 {
                    err += (y - pred).powi(2) / pred;
                }
                let level = (p.alpha * y / s.season[w] + (1.0 - p.alpha) * base).max(1e-9);
                s.trend = p.beta * (level - s.level) + (1.0 - p.beta) * p.phi * s.trend;
                s.season[w] = (p.gamma * y / level + (1.0 - p.gamma) * s.season[w]).max(1e-3);
                s.level = level;
            }
            None => {
                s.level = base.max(1e-9);
                s.trend *= p.phi;
            }
        }
    }
    (s, err)
}

/// See the module docs. Falls back to the weekday profile when the training
/// days cannot initialise the season.
pub fn forecast(ctx: &Context<'_>, days: usize) -> Vec<Vec<f64>> {
    let steps = steps(ctx);
    let factors = profile::weekday_factors(ctx);
    let Some(start) = (steps.len() > INIT_DAYS)
        .then(|| init(&steps, &factors))
        .flatten()
    else {
        return profile::forecast(ctx, days);
    };
    let mut best: Option<(State, f64, Params)> = None;
    for &alpha in &ALPHAS {
        for &beta in &BETAS {
            for &gamma in &GAMMAS {
                for &phi in &PHIS {
                    let p = Params {
                        alpha,
                        beta,
                        gamma,
                        phi,
                    };
                    let (state, err) = run(&steps, &start, p);
                    if best.as_ref().is_none_or(|b| err < b.1) {
                        best = Some((state, err, p));
                    }
                }
            }
        }
    }
    let (state, _, p) = best.expect("the grid is not empty");
    let mut damp_sum = 0.0;
    let mut damp = 1.0;
    (0..days)
        .map(|i| {
            let w = ctx.weekday(ctx.origin + i);
            if !ctx.open_weekday(w) {
                return vec![0.0; ctx.history.slots_per_day];
            }
            damp *= p.phi;
            damp_sum += damp;
            let total = ((state.level + damp_sum * state.trend) * state.season[w]).max(0.0);
            ctx.spread(w, total)
        })
        .collect()
}
