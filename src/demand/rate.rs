//! Piecewise-constant, periodic arrival rates and their exact Poisson generator.
//!
//! A [`RateProfile`] gives the rate for each slot of one cycle (a week of
//! hourly, half-hourly or quarter-hourly slots for arrival profiles; the whole
//! trace for historical traces; one day for constant streams). The generator
//! inverts the cumulative intensity: it draws one Exp(1) per arrival and walks
//! it across slot boundaries, which is exact for a piecewise-constant rate and
//! costs no rejected samples (unlike thinning).
//!
//! Day-level over-dispersion and special days enter as one multiplier per
//! simulated day. Slots never straddle a day boundary (slot lengths divide a
//! day and cycles start at midnight), so each slot has one multiplier.

use crate::time::{SimTime, TICKS_PER_S, ticks};
use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// Seconds in a day.
pub const DAY_S: f64 = 86_400.0;

/// One cycle of piecewise-constant rates.
#[derive(Debug, Clone, PartialEq)]
pub struct RateProfile {
    /// Slot length in seconds; divides a day.
    pub slot_s: f64,
    /// Arrivals per second in each slot of the cycle.
    pub rates_per_s: Vec<f64>,
    /// Offset into the cycle at the start of the horizon, seconds (e.g. the
    /// weekday of the start date × one day for weekly profiles).
    pub start_offset_s: f64,
}

impl RateProfile {
    /// A constant rate.
    pub fn constant(rate_per_s: f64) -> RateProfile {
        RateProfile {
            slot_s: DAY_S,
            rates_per_s: vec![rate_per_s],
            start_offset_s: 0.0,
        }
    }

    /// Length of one cycle, seconds.
    pub fn cycle_s(&self) -> f64 {
        self.slot_s * self.rates_per_s.len() as f64
    }

    /// Expected arrivals over one cycle (without day multipliers).
    pub fn cycle_volume(&self) -> f64 {
        self.rates_per_s.iter().sum::<f64>() * self.slot_s
    }

    /// Rate at `offset_s` seconds after the start of the horizon (before day multipliers).
    pub fn rate_at(&self, offset_s: f64) -> f64 {
        let cycle = self.cycle_s();
        let p = (offset_s + self.start_offset_s).rem_euclid(cycle);
        let slot = ((p / self.slot_s) as usize).min(self.rates_per_s.len() - 1);
        self.rates_per_s[slot]
    }
}

/// Generates the arrival times of one source in one replication.
#[derive(Debug, Clone)]
pub struct ArrivalGenerator {
    rates_per_tick: Vec<f64>,
    slot_ticks: SimTime,
    /// Profile time minus simulation time, made non-negative modulo the cycle.
    phase: SimTime,
    day_ticks: SimTime,
    /// Added to simulation time before dividing by a day, so warm-up days index from 0.
    day_shift: SimTime,
    day_factors: Vec<f64>,
    end: SimTime,
    slot_end: SimTime,
    rate: f64,
}

impl ArrivalGenerator {
    /// A generator for `profile`, with the horizon starting at `warmup` ticks
    /// and arrivals stopping at `end`. `day_factors[d]` multiplies the rate on
    /// simulated day `d`, where day 0 is the first (possibly partial) day of the
    /// warm-up; see [`days_before_horizon`] for how many precede the horizon.
    pub fn new(
        profile: &RateProfile,
        warmup: SimTime,
        end: SimTime,
        day_factors: Vec<f64>,
    ) -> Self {
        let slot_ticks = ticks(profile.slot_s).max(1);
        let cycle = slot_ticks * profile.rates_per_s.len() as SimTime;
        let offset = ticks(profile.start_offset_s) % cycle;
        // p(t) = t - warmup + offset (mod cycle); keep the phase non-negative.
        let phase = (offset + cycle - warmup % cycle) % cycle;
        let day_ticks = ticks(DAY_S);
        let days_before = warmup.div_ceil(day_ticks);
        let mut g = ArrivalGenerator {
            rates_per_tick: profile
                .rates_per_s
                .iter()
                .map(|r| r / TICKS_PER_S)
                .collect(),
            slot_ticks,
            phase,
            day_ticks,
            day_shift: days_before * day_ticks - warmup,
            day_factors,
            end,
            slot_end: 0,
            rate: 0.0,
        };
        g.enter_slot(0);
        g
    }

    /// Out of line: it runs once per slot, and inlined its loads would be
    /// hoisted into every draw.
    #[inline(never)]
    fn enter_slot(&mut self, t: SimTime) {
        let slot = (t + self.phase) / self.slot_ticks;
        self.slot_end = (slot + 1) * self.slot_ticks - self.phase;
        let index = (slot % self.rates_per_tick.len() as SimTime) as usize;
        let day = ((t + self.day_shift) / self.day_ticks) as usize;
        let factor = self.day_factors.get(day).copied().unwrap_or(1.0);
        self.rate = self.rates_per_tick[index] * factor;
    }

    /// The first arrival after `now`, or `None` when it would fall at or after the end.
    #[inline]
    pub fn next_after<R: Rng + ?Sized>(&mut self, now: SimTime, rng: &mut R) -> Option<SimTime> {
        let mut need: f64 = Exp1.sample(rng);
        let mut t = now;
        loop {
            if t >= self.end {
                return None;
            }
            if t >= self.slot_end {
                self.enter_slot(t);
            }
            let room = (self.slot_end - t) as f64 * self.rate;
            if need < room {
                // In [0, slot length): the signed conversion gives the same
                // value as `as u64` in fewer instructions (no saturation).
                let at = t + (need / self.rate) as i64 as SimTime;
                return (at < self.end).then_some(at);
            }
            need -= room;
            t = self.slot_end;
        }
    }
}

/// Whole or partial days simulated before the horizon starts.
pub fn days_before_horizon(warmup: SimTime) -> usize {
    warmup.div_ceil(ticks(DAY_S)) as usize
}

/// Simulated days in total (warm-up days plus horizon days, partial days counted).
pub fn simulated_days(warmup: SimTime, end: SimTime) -> usize {
    let day = ticks(DAY_S);
    let shift = warmup.div_ceil(day) * day - warmup;
    ((end + shift).div_ceil(day)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

    fn count(profile: &RateProfile, warmup_s: f64, horizon_s: f64, factors: Vec<f64>) -> Vec<u64> {
        let warmup = ticks(warmup_s);
        let end = warmup + ticks(horizon_s);
        let mut g = ArrivalGenerator::new(profile, warmup, end, factors);
        let mut rng = stream(1, 0, Purpose::Arrivals, 0);
        let slots = (horizon_s / profile.slot_s) as usize;
        let mut counts = vec![0; slots];
        let mut t = 0;
        while let Some(next) = g.next_after(t, &mut rng) {
            t = next;
            if t >= warmup {
                counts[((t - warmup) / ticks(profile.slot_s)) as usize] += 1;
            }
        }
        counts
    }

    #[test]
    fn zero_slots_get_no_arrivals_and_offsets_align() {
        // Cycle of 4 one-hour slots: only slot 2 is open.
        let profile = RateProfile {
            slot_s: 3600.0,
            rates_per_s: vec![0.0, 0.0, 1.0, 0.0],
            start_offset_s: 3600.0,
        };
        // Horizon starts one slot into the cycle: horizon hour 1 is cycle slot 2.
        let counts = count(&profile, 5400.0, 8.0 * 3600.0, Vec::new());
        for (h, &c) in counts.iter().enumerate() {
            if h % 4 == 1 {
                assert!(c > 3000, "hour {h}: {c}");
            } else {
                assert_eq!(c, 0, "hour {h}");
            }
        }
    }

    #[test]
    fn day_factors_scale_their_day() {
        let profile = RateProfile::constant(0.1);
        // No warm-up: day 0 is the first horizon day.
        let counts = count(
            &RateProfile {
                slot_s: DAY_S,
                ..profile
            },
            0.0,
            2.0 * DAY_S,
            vec![1.0, 3.0],
        );
        // Means 8,640 and 25,920; 5 standard deviations are < 1,000.
        assert!((counts[0] as f64 - 8640.0).abs() < 500.0, "{counts:?}");
        assert!((counts[1] as f64 - 25_920.0).abs() < 900.0, "{counts:?}");
    }

    #[test]
    fn day_bookkeeping() {
        let day = ticks(DAY_S);
        assert_eq!(days_before_horizon(0), 0);
        assert_eq!(days_before_horizon(day / 4), 1);
        assert_eq!(simulated_days(0, 7 * day), 7);
        assert_eq!(simulated_days(day / 4, day / 4 + 7 * day), 8);
        assert_eq!(simulated_days(day, 8 * day), 8);
    }
}
