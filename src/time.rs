//! Simulation time: integer microseconds, and conversions to and from seconds.
//!
//! A leaf module (it imports nothing from the crate) so that `demand`,
//! `scenario`, `routing` and `engine` can all use the same time type without
//! depending on one another.

/// Simulation time: integer microseconds since the start of the warm-up.
pub type SimTime = u64;

/// Microseconds per second.
pub const TICKS_PER_S: f64 = 1_000_000.0;

/// Converts seconds to ticks, rounding once (durations are sampled as `f64`).
/// Negative or NaN inputs give 0. (`f64::round` is a libm call; adding ½ and
/// truncating is exact enough for non-negative values and inlines.)
#[inline]
pub fn ticks(seconds: f64) -> SimTime {
    (seconds * TICKS_PER_S + 0.5) as SimTime
}

/// Converts ticks to seconds.
#[inline]
pub fn seconds(t: SimTime) -> f64 {
    t as f64 / TICKS_PER_S
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_once_to_the_nearest_microsecond() {
        assert_eq!(ticks(1.5), 1_500_000);
        assert_eq!(ticks(0.000_000_4), 0);
        assert_eq!(ticks(0.000_000_6), 1);
        assert_eq!(ticks(-3.0), 0);
        assert_eq!(ticks(f64::NAN), 0);
        assert_eq!(seconds(ticks(4.25)), 4.25);
    }
}
