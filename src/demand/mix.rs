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
        let u: f64 = rng.random();
        let last = self.cumulative.len() - 1;
        let i = self.cumulative[..last]
            .iter()
            .position(|&c| u < c)
            .unwrap_or(last);
        self.categories[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::{Purpose, stream};

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
        assert_eq!(Mix::single(4).sample(&mut rng), 4);
    }
}
