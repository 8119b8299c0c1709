//! Validated, ready-to-sample duration distributions.
//!
//! A [`Dist`] is built once from a scenario table and sampled in the hot loop
//! with no allocation and no dynamic dispatch: the `rand_distr` objects are
//! prepared at validation time.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, Open01};

/// Names accepted for `dist`.
pub const DIST_NAMES: &str = "\"exponential\", \"lognormal\", \"gamma\", \"fixed\", \"uniform\"";

/// A distribution of durations in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    /// Exponential with the given mean.
    Exponential {
        /// Mean in seconds.
        mean_s: f64,
    },
    /// Lognormal parameterised by mean and coefficient of variation.
    LogNormal {
        /// Mean in seconds.
        mean_s: f64,
        /// Coefficient of variation (std dev / mean).
        cv: f64,
        /// Prepared sampler.
        sampler: LogNormal<f64>,
    },
    /// Gamma parameterised by mean and coefficient of variation.
    Gamma {
        /// Mean in seconds.
        mean_s: f64,
        /// Coefficient of variation (std dev / mean).
        cv: f64,
        /// Prepared sampler.
        sampler: Gamma<f64>,
    },
    /// Always the same value.
    Fixed {
        /// The value in seconds.
        value_s: f64,
    },
    /// Uniform between two values.
    Uniform {
        /// Lower bound in seconds.
        min_s: f64,
        /// Upper bound in seconds.
        max_s: f64,
    },
}

impl Dist {
    /// Exponential with mean `mean_s` (> 0).
    pub fn exponential(mean_s: f64) -> Dist {
        Dist::Exponential { mean_s }
    }

    /// Lognormal from mean (> 0) and cv (> 0); `None` when the parameters are unusable.
    pub fn lognormal(mean_s: f64, cv: f64) -> Option<Dist> {
        let sampler = LogNormal::from_mean_cv(mean_s, cv).ok()?;
        Some(Dist::LogNormal {
            mean_s,
            cv,
            sampler,
        })
    }

    /// Gamma from mean (> 0) and cv (> 0): shape 1/cv², scale mean·cv².
    pub fn gamma(mean_s: f64, cv: f64) -> Option<Dist> {
        let shape = 1.0 / (cv * cv);
        let sampler = Gamma::new(shape, mean_s / shape).ok()?;
        Some(Dist::Gamma {
            mean_s,
            cv,
            sampler,
        })
    }

    /// The distribution's mean in seconds.
    pub fn mean_s(&self) -> f64 {
        match *self {
            Dist::Exponential { mean_s }
            | Dist::LogNormal { mean_s, .. }
            | Dist::Gamma { mean_s, .. } => mean_s,
            Dist::Fixed { value_s } => value_s,
            Dist::Uniform { min_s, max_s } => 0.5 * (min_s + max_s),
        }
    }

    /// Draws one duration in seconds.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Exponential { mean_s } => {
                let e: f64 = Exp1.sample(rng);
                e * mean_s
            }
            Dist::LogNormal { sampler, .. } => sampler.sample(rng),
            Dist::Gamma { sampler, .. } => sampler.sample(rng),
            Dist::Fixed { value_s } => *value_s,
            Dist::Uniform { min_s, max_s } => {
                let u: f64 = Open01.sample(rng);
                min_s + (max_s - min_s) * u
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    fn sample_mean_cv(dist: Dist, n: usize) -> (f64, f64) {
        let mut rng = Pcg64Mcg::seed_from_u64(11);
        let xs: Vec<f64> = (0..n).map(|_| dist.sample(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        (mean, var.sqrt() / mean)
    }

    #[test]
    fn sample_moments_match_parameters() {
        // n = 200k: the standard error of the mean is cv/sqrt(n) ≈ 0.2% of the mean;
        // 1% tolerance is > 4 standard errors for every case here.
        let n = 200_000;
        for (dist, cv) in [
            (Dist::exponential(180.0), 1.0),
            (Dist::lognormal(300.0, 0.6).unwrap(), 0.6),
            (Dist::gamma(300.0, 0.8).unwrap(), 0.8),
        ] {
            let (mean, got_cv) = sample_mean_cv(dist, n);
            assert!(
                (mean / dist.mean_s() - 1.0).abs() < 0.01,
                "{dist:?}: mean {mean}"
            );
            assert!((got_cv / cv - 1.0).abs() < 0.03, "{dist:?}: cv {got_cv}");
        }
        let (mean, _) = sample_mean_cv(
            Dist::Uniform {
                min_s: 60.0,
                max_s: 180.0,
            },
            n,
        );
        assert!((mean / 120.0 - 1.0).abs() < 0.01);
        assert_eq!(
            Dist::Fixed { value_s: 30.0 }.sample(&mut Pcg64Mcg::seed_from_u64(1)),
            30.0
        );
    }
}
