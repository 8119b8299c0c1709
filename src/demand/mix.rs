//! Categorical mixes (channel, intent, language, value tier) sampled by inversion.

use rand::Rng;
use rand::RngExt;

/// A discrete distribution over indices `0..n`, sampled with one uniform draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix {
    /// Category index for each entry (indices into the scenario's lists).
    pub categories: Vec<usize>,
    /// Probabilities, summing to 1.
    pub shares: Vec<f64>,
    cumulative: Vec<f64>,
}

impl Mix {
    /// A mix from (category, share) pairs; shares are normalised to sum to 1.
    pub fn new(pairs: &[(usize, f64)]) -> Mix {
        let total: f64 = pairs.iter().map(|p| p.1).sum();
        let shares: Vec<f64> = pairs.iter().map(|p| p.1 / total).collect();
        let mut acc = 0.0;
        let cumulative = shares
            .iter()
            .map(|s| {
                acc += s;
                acc
            })
            .collect();
        Mix {
            categories: pairs.iter().map(|p| p.0).collect(),
            shares,
            cumulative,
        }
    }

    /// A mix that always yields `category`.
    pub fn single(category: usize) -> Mix {
        Mix::new(&[(category, 1.0)])
    }

    /// Probability of `category`.
    pub fn share_of(&self, category: usize) -> f64 {
        self.categories
            .iter()
            .zip(&self.shares)
            .filter(|(c, _)| **c == category)
            .map(|(_, s)| s)
            .sum()
    }

    /// Draws a category. Consumes exactly one uniform, even for a single category,
    /// so that streams stay aligned when a mix changes.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        self.pick(rng.random())
    }

    /// The category at quantile `u` in [0, 1).
    #[inline]
    pub fn pick(&self, u: f64) -> usize {
        // Count the cumulative bounds at or below u: branch-free, so random
        // categories cost no mispredictions.
        let last = self.cumulative.len() - 1;
        let i = self.cumulative[..last]
            .iter()
            .map(|&c| usize::from(u >= c))
            .sum::<usize>();
        self.categories[i]
    }
}

/// Three independent uniforms in [0, 1) from one 64-bit draw, 21 bits each:
/// resolution 4.8e-7, ample for category shares, at a third of the cost.
#[inline]
pub fn three_uniforms(bits: u64) -> [f64; 3] {
    const MASK: u64 = (1 << 21) - 1;
    const SCALE: f64 = 1.0 / (1u64 << 21) as f64;
    [
        (bits & MASK) as f64 * SCALE,
        ((bits >> 21) & MASK) as f64 * SCALE,
        ((bits >> 42) & MASK) as f64 * SCALE,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

    #[test]
    fn frequencies_match_shares() {
        let mix = Mix::new(&[(3, 0.5), (0, 0.3), (7, 0.2)]);
        let mut rng = stream(9, 0, Purpose::Attributes, 0);
        let n = 100_000;
        let mut counts = [0u32; 8];
        for _ in 0..n {
            counts[mix.sample(&mut rng)] += 1;
        }
        // Binomial sd ≤ sqrt(n/4) = 158; allow 5 sd.
        for (cat, share) in [(3, 0.5), (0, 0.3), (7, 0.2)] {
            assert!((f64::from(counts[cat]) - share * n as f64).abs() < 5.0 * 158.0);
        }
        assert_eq!(mix.share_of(7), 0.2);
        // The packed uniforms are uniform too: mean 1/2 per lane.
        let mut sums = [0.0; 3];
        for _ in 0..n {
            let us = three_uniforms(rand::Rng::next_u64(&mut rng));
            for k in 0..3 {
                assert!((0.0..1.0).contains(&us[k]));
                sums[k] += us[k];
            }
        }
        // sd of a mean of n uniforms: sqrt(1/12/n) ≈ 0.00091; 5 sd.
        for s in sums {
            assert!((s / n as f64 - 0.5).abs() < 0.0046);
        }
        assert_eq!(Mix::single(4).sample(&mut rng), 4);
    }
}
