//! Demand: 24/7 arrival profiles, non-homogeneous Poisson generation, contact
//! attribute mixes, and historical traces.
//!
//! Sources of arrivals (constant streams, regions × channels, trace series) all
//! reduce to a periodic piecewise-constant [`RateProfile`], generated exactly by
//! [`ArrivalGenerator`] from the source's own random stream, so that changing
//! staffing, routing or any other part of a scenario leaves arrivals unchanged.

pub mod builtin;
mod mix;
mod rate;
pub mod trace;

pub use mix::{Mix, three_uniforms};
pub use rate::{ArrivalGenerator, DAY_S, RateProfile, days_before_horizon, simulated_days};

use rand::Rng;
use rand_distr::{Distribution, Gamma};

/// Day multipliers for one region and replication: a gamma draw with mean 1
/// and coefficient of variation `cv` per simulated day (none when `cv` is 0),
/// times any special-day multiplier. `special` holds (horizon day index, which
/// may be negative for warm-up days, multiplier).
pub fn day_factors<R: Rng + ?Sized>(
    cv: f64,
    special: &[(i64, f64)],
    days_before: usize,
    total_days: usize,
    rng: &mut R,
) -> Vec<f64> {
    let gamma = (cv > 0.0).then(|| Gamma::new(1.0 / (cv * cv), cv * cv).expect("cv validated > 0"));
    (0..total_days)
        .map(|d| {
            let noise = gamma.map_or(1.0, |g| g.sample(rng));
            let horizon_day = d as i64 - days_before as i64;
            let special: f64 = special
                .iter()
                .filter(|(day, _)| *day == horizon_day)
                .map(|(_, m)| m)
                .product();
            noise * special
        })
        .collect()
}
