//! The load humans see, measured from a simulation of the scenario as given.
//!
//! Humans see only what reaches their queues: the human-offered contacts of
//! an (interval, channel) cell are `human_answered + human_abandoned` there
//! (contacts an AI agent contains never reach a human queue; contacts still
//! waiting at the very end are left out). The planner's arrival rate is the
//! demand model's *expected* arrivals in the cell times the measured **human
//! share** `Σ(human_answered + human_abandoned) ÷ Σ problems` (first contacts)
//! over the replications: exactly 1 without an AI layer and retries, and
//! otherwise whatever the engine reports — AI containment lowers it,
//! escalations, recontacts and redials raise it. (Using
//! the expectation rather than the replications' own counts keeps their
//! day-level noise out of the analytic start.) Work per contact is the mean
//! handle plus wrap-up time of answered contacts, so every multiplier the
//! engine applies (proficiency, assist, fatigue, concurrency slow-down…) is
//! included. Each interval's estimate is shrunk towards the channel's mean
//! by empirical Bayes: with `s_i²` the squared standard error of interval
//! `i`'s mean over replications and `τ²` the variance of the true interval
//! means, `ŵ_i = w̄ + τ²/(τ² + s_i²) · (w_i − w̄)`. `τ²` is 0 unless Cochran's
//! `Q = Σ (w_i − w̄)²/s_i²` shows heterogeneity at the 1% level, and then the
//! DerSimonian–Laird (1986) estimate. Stationary handle times thus get the
//! precise channel mean in every interval; fatigue or a changing intent mix
//! keep their own.
//!
//! Day-level over-dispersion (`day_cv`) is kept as the cell's effective
//! coefficient of variation of the day multiplier,
//! `cv = √(Σ_r (E_r c_r)²) ÷ Σ_r E_r` over regions `r` with expected
//! arrivals `E_r` and day CV `c_r`.
//!
//! The offered load per interval is then the *modified offered load* (MOL) of
//! Jennings, Mandelbaum, Massey & Whitt (1996): the mean number of busy
//! servers in an infinite-server system fed by the same time-varying
//! arrivals, `m(t) = ∫ λ(s) P(S > t − s) ds`. With exponential work of mean
//! `w` in an interval of constant rate `λ`, `m' = λ − m/w`, so over an
//! interval of length `L` starting from `m₀` the mean is
//! `λw + (m₀ − λw)(1 − e^{−L/w}) w/L`. It lags the rate by about one handle
//! time, which matters when the handle time is long relative to the interval;
//! when it is short, it equals `λw` except just after a change of rate.

use super::PlanError;
use crate::demand::RateProfile;
use crate::metrics::ReplicationStats;
use crate::scenario::Scenario;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Human-offered load per (interval, channel), interval-major.
#[derive(Debug, Clone, PartialEq)]
pub struct HumanLoad {
    /// Number of intervals.
    pub intervals: usize,
    /// Number of channels.
    pub channels: usize,
    /// Length of each interval, seconds (the last may be partial).
    pub interval_len_s: Vec<f64>,
    /// Human-offered contacts (answered + abandoned) per replication, measured.
    pub offered: Vec<f64>,
    /// Expected human-offered contacts: the demand model's expected arrivals
    /// times the measured human share.
    pub expected: Vec<f64>,
    /// Effective coefficient of variation of the day-level demand multiplier.
    pub cv: Vec<f64>,
    /// Agent time per answered contact (handle + wrap-up), seconds.
    pub work_s: Vec<f64>,
    /// Modified offered load: mean busy servers over the interval, Erlangs.
    pub mol: Vec<f64>,
}

impl HumanLoad {
    /// Index of the (interval, channel) cell.
    pub fn at(&self, interval: usize, channel: usize) -> usize {
        interval * self.channels + channel
    }
}

/// Measures the human load from replications of the scenario.
pub fn measure(scenario: &Scenario, reps: &[ReplicationStats]) -> Result<HumanLoad, PlanError> {
    let sim = &scenario.simulation;
    let intervals = sim.intervals();
    let channels = scenario.channels.len();
    let interval_len_s: Vec<f64> = (0..intervals)
        .map(|i| (sim.horizon_s - i as f64 * sim.interval_s).min(sim.interval_s))
        .collect();
    let n = reps.len().max(1) as f64;
    let mut offered = vec![0.0; intervals * channels];
    let mut arrived = vec![0.0; intervals * channels];
    let mut answered = vec![0.0; intervals * channels];
    let mut work = vec![0.0; intervals * channels];
    for r in reps {
        for i in 0..intervals {
            for c in 0..channels {
                let cell = r.interval_channel(i, c);
                let k = i * channels + c;
                offered[k] += human_finished(&cell) as f64 / n;
                arrived[k] += cell.problems as f64 / n;
                answered[k] += cell.human_answered as f64;
                work[k] += cell.handle_sum_s + cell.wrap_sum_s;
            }
        }
    }
    let (demand, cv) = expected_arrivals(scenario, &interval_len_s);
    // Human contacts per first contact (AI containment, recontacts and
    // redials included); where no first contact arrived, the measured count.
    let expected: Vec<f64> = (0..intervals * channels)
        .map(|k| {
            if arrived[k] > 0.0 {
                demand[k] * offered[k] / arrived[k]
            } else {
                offered[k]
            }
        })
        .collect();
    let mut work_s = vec![0.0; intervals * channels];
    let mut mol = vec![0.0; intervals * channels];
    for c in 0..channels {
        let cells = |v: &[f64]| {
            (0..intervals)
                .map(|i| v[i * channels + c])
                .collect::<Vec<_>>()
        };
        let (total_answered, total_work): (f64, f64) =
            (cells(&answered).iter().sum(), cells(&work).iter().sum());
        let total_offered: f64 = cells(&offered).iter().sum();
        if total_offered > 0.0 && total_answered == 0.0 {
            return Err(PlanError::NoHandleTime {
                channel: scenario.channels[c].name.clone(),
            });
        }
        let channel_work = if total_answered > 0.0 {
            total_work / total_answered
        } else {
            0.0
        };
        let w = shrink_work(reps, c, intervals, channel_work);
        let rates: Vec<f64> = (0..intervals)
            .map(|i| expected[i * channels + c] / interval_len_s[i])
            .collect();
        let backlog: f64 = scenario
            .backlog
            .iter()
            .filter(|b| b.channel == c)
            .map(|b| f64::from(b.contacts))
            .sum();
        // Backlog contacts are in the system at the warm-up's start; by the
        // horizon's start an infinite-server system has cleared all but e^{−W/w}.
        let carried = match w.first() {
            Some(&w0) if w0 > 0.0 => backlog * (-sim.warmup_s / w0).exp(),
            _ => 0.0,
        };
        let m = modified_offered_load(&rates, &w, &interval_len_s, carried);
        for i in 0..intervals {
            work_s[i * channels + c] = w[i];
            mol[i * channels + c] = m[i];
        }
    }
    Ok(HumanLoad {
        intervals,
        channels,
        interval_len_s,
        offered,
        expected,
        cv,
        work_s,
        mol,
    })
}

/// Work per contact per interval of channel `c`, shrunk towards the
/// channel mean `mean` by empirical Bayes (see the module docs).
///
/// The squared standard error of interval `i`'s mean is `σ² / N_i`, with
/// `N_i` its answered contacts and `σ²` the per-contact variance estimated
/// once for the channel by one-way ANOVA over (interval, replication) means:
/// `σ² = Σ_i Σ_r n_ir (w_ir − w_i)² / Σ_i (R_i − 1)`. (Variances estimated
/// per interval from a few replications would inflate Cochran's Q by about
/// `ν/(ν − 2)` and find heterogeneity that is not there.)
fn shrink_work(reps: &[ReplicationStats], c: usize, intervals: usize, mean: f64) -> Vec<f64> {
    // Per interval: the pooled mean, the answered contacts, and the
    // within-interval sum of squares of the replication means.
    let mut within = 0.0;
    let mut df = 0.0;
    let per_interval: Vec<Option<(f64, f64)>> = (0..intervals)
        .map(|i| {
            let cells: Vec<(f64, f64)> = reps
                .iter()
                .map(|r| r.interval_channel(i, c))
                .filter(|cell| cell.human_answered > 0)
                .map(|cell| {
                    (
                        cell.handle_sum_s + cell.wrap_sum_s,
                        cell.human_answered as f64,
                    )
                })
                .collect();
            let n: f64 = cells.iter().map(|(_, n)| n).sum();
            if n == 0.0 {
                return None;
            }
            let w = cells.iter().map(|(s, _)| s).sum::<f64>() / n;
            within += cells
                .iter()
                .map(|(s, k)| k * (s / k - w).powi(2))
                .sum::<f64>();
            df += (cells.len() - 1) as f64;
            Some((w, n))
        })
        .collect();
    let sigma2 = if df > 0.0 { within / df } else { 0.0 };
    let known: Vec<(f64, f64)> = per_interval
        .iter()
        .flatten()
        .filter(|_| sigma2 > 0.0)
        .map(|&(w, n)| (w, sigma2 / n))
        .collect();
    let tau2 = heterogeneity(&known, mean);
    per_interval
        .iter()
        .map(|x| match x {
            Some((w, n)) if sigma2 > 0.0 && tau2 > 0.0 => {
                let se2 = sigma2 / n;
                mean + tau2 / (tau2 + se2) * (w - mean)
            }
            _ => mean,
        })
        .collect()
}

/// Contacts that reached a human queue and ended there (answered by a human
/// or abandoned in the human queue).
pub fn human_finished(cell: &crate::metrics::ContactStats) -> u64 {
    cell.human_answered + cell.human_abandoned
}

/// Between-interval variance `τ²` of the true means, from (estimate, squared
/// standard error) pairs around `mean`: 0 unless Cochran's Q exceeds its
/// 99% χ² quantile, then the DerSimonian–Laird estimate.
fn heterogeneity(known: &[(f64, f64)], mean: f64) -> f64 {
    if known.len() < 2 {
        return 0.0;
    }
    let df = (known.len() - 1) as f64;
    let q: f64 = known.iter().map(|(w, s2)| (w - mean).powi(2) / s2).sum();
    let critical = ChiSquared::new(df).map_or(f64::INFINITY, |c| c.inverse_cdf(0.99));
    if q <= critical {
        return 0.0;
    }
    let weights: f64 = known.iter().map(|(_, s2)| 1.0 / s2).sum();
    let squares: f64 = known.iter().map(|(_, s2)| 1.0 / (s2 * s2)).sum();
    ((q - df) / (weights - squares / weights)).max(0.0)
}

/// Expected arrivals per (interval, channel) from the demand sources (rate
/// profiles and special days; day multipliers have mean 1), and the
/// effective day-level CV of each cell.
fn expected_arrivals(scenario: &Scenario, len_s: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let channels = scenario.channels.len();
    let regions = scenario.regions.len().max(1);
    let interval_s = scenario.simulation.interval_s;
    // Per (interval, channel, region).
    let mut by_region = vec![0.0; len_s.len() * channels * regions];
    for source in &scenario.sources {
        let special = scenario
            .regions
            .get(source.region)
            .map_or(&[][..], |r| &r.special_days[..]);
        for (i, &len) in len_s.iter().enumerate() {
            let from = i as f64 * interval_s;
            let volume = integrate(&source.rate, special, from, from + len);
            by_region[(i * channels + source.channel) * regions + source.region] += volume;
        }
    }
    let mut total = vec![0.0; len_s.len() * channels];
    let mut cv = vec![0.0; len_s.len() * channels];
    for k in 0..total.len() {
        let cells = &by_region[k * regions..(k + 1) * regions];
        let sum: f64 = cells.iter().sum();
        let var: f64 = cells
            .iter()
            .enumerate()
            .map(|(r, e)| {
                let c = scenario.regions.get(r).map_or(0.0, |g| g.day_cv);
                (e * c).powi(2)
            })
            .sum();
        total[k] = sum;
        cv[k] = if sum > 0.0 { var.sqrt() / sum } else { 0.0 };
    }
    (total, cv)
}

/// Expected arrivals of a rate profile over horizon offsets `[a, b)`, with
/// special-day multipliers (horizon day index, multiplier).
fn integrate(rate: &RateProfile, special: &[(i64, f64)], a: f64, b: f64) -> f64 {
    const DAY_S: f64 = 86_400.0;
    let mut t = a;
    let mut volume = 0.0;
    while t < b - 1e-9 {
        let p = t + rate.start_offset_s;
        let slot_end = ((p / rate.slot_s).floor() + 1.0) * rate.slot_s - rate.start_offset_s;
        let day = (t / DAY_S).floor();
        let day_end = (day + 1.0) * DAY_S;
        let end = slot_end.min(day_end).min(b).max(t + 1e-9);
        let multiplier: f64 = special
            .iter()
            .filter(|(d, _)| *d as f64 == day)
            .map(|(_, m)| m)
            .product();
        volume += rate.rate_at(t) * multiplier * (end - t);
        t = end;
    }
    volume
}

/// Mean of the modified offered load over each interval, for piecewise-
/// constant rates `rates_per_s` and exponential work of mean `work_s`, over
/// a cyclic profile (staffing repeats from the horizon's start): one pass
/// over the cycle finds the carried-over load at its start, a second pass
/// (with `extra_at_start` contacts added at the start, e.g. a backlog)
/// gives the means.
pub fn modified_offered_load(
    rates_per_s: &[f64],
    work_s: &[f64],
    len_s: &[f64],
    extra_at_start: f64,
) -> Vec<f64> {
    let step = |m0: f64, i: usize| -> (f64, f64) {
        let (lambda, w, len) = (rates_per_s[i], work_s[i], len_s[i]);
        if w <= 0.0 || len <= 0.0 {
            return (0.0, 0.0);
        }
        let a = lambda * w;
        let decay = (-len / w).exp();
        let mean = a + (m0 - a) * (1.0 - decay) * w / len;
        (mean, a + (m0 - a) * decay)
    };
    let mut m = rates_per_s
        .first()
        .zip(work_s.first())
        .map_or(0.0, |(l, w)| l * w);
    for i in 0..rates_per_s.len() {
        m = step(m, i).1;
    }
    m += extra_at_start;
    let mut means = Vec::with_capacity(rates_per_s.len());
    for i in 0..rates_per_s.len() {
        let (mean, end) = step(m, i);
        means.push(mean);
        m = end;
    }
    means
}

#[cfg(test)]
mod tests {
    use super::modified_offered_load;

    #[test]
    fn constant_rate_gives_the_plain_offered_load() {
        let m = modified_offered_load(&[0.1; 4], &[180.0; 4], &[900.0; 4], 0.0);
        for x in m {
            assert!((x - 18.0).abs() < 1e-9, "{x}");
        }
    }

    #[test]
    fn lags_a_step_in_the_rate() {
        // Rate doubles in interval 2; long work (1 h) in 15-min intervals:
        // the load there is well below the new λw and keeps rising afterwards.
        let rates = [0.01, 0.01, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02];
        let m = modified_offered_load(&rates, &[3600.0; 8], &[900.0; 8], 0.0);
        assert!(m[2] > 36.0 && m[2] < 66.0, "{m:?}");
        assert!(m[3] > m[2] && m[4] > m[3]);
    }

    #[test]
    fn heterogeneity_needs_evidence() {
        use super::heterogeneity;
        // Spread within noise: pooled.
        let noise = [(99.0, 4.0), (101.0, 4.0), (100.5, 4.0), (99.5, 4.0)];
        assert_eq!(heterogeneity(&noise, 100.0), 0.0);
        // Real differences: a positive variance.
        let real = [(80.0, 4.0), (120.0, 4.0), (90.0, 4.0), (110.0, 4.0)];
        assert!(heterogeneity(&real, 100.0) > 100.0);
    }

    #[test]
    fn a_backlog_decays_with_the_work_time() {
        let m = modified_offered_load(&[0.0; 3], &[600.0; 3], &[600.0; 3], 100.0);
        // Mean of 100 e^{−t/600} over the first 600 s: 100 (1 − e^{−1}).
        assert!((m[0] - 100.0 * (1.0 - (-1.0f64).exp())).abs() < 1e-9);
        assert!(m[1] < m[0] && m[2] < m[1]);
    }
}
