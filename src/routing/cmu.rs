//! `cmu`: the cμ rule and the generalized cμ (Gcμ) rule.
//!
//! Reference: the cμ rule is optimal for a single server with linear delay
//! costs (Cox & Smith, *Queues*, 1961); van Mieghem, "Dynamic scheduling with
//! convex delay costs: the generalized cμ rule", Ann. Appl. Prob. 5 (1995)
//! extends it to convex costs C_k(w), serving the class with the largest
//! μ_k · C_k'(w_k); Mandelbaum & Stolyar, "Scheduling flexible servers with
//! convex delay costs: heavy-traffic optimality of the generalized cμ-rule",
//! Oper. Res. 52 (2004) prove its asymptotic optimality with many servers.
//!
//! Parameters: `class` (`"channel"`, `"intent"` or `"tier"`; default
//! channel), `costs` (weight c_k per class name, unlisted 1) and
//! `cost_exponent` p in 1..=4 (default 1). The delay cost of a class-k contact
//! that waited w is c_k · w^p, so its index is c_k · μ_k · p · w^(p−1):
//! with p = 1 a static priority by c_k μ_k (cμ), above 1 a dynamic one in
//! which long waits catch up (Gcμ, no class starves).
//!
//! μ_k is estimated from the scenario: 1 / the mean handle time of class k,
//! averaged over the teams serving it and intents by share, times each
//! team's proficiency. Known behaviour: cμ minimises the (linear) waiting
//! cost but can starve cheap, slow classes at high load; Gcμ trades a little
//! of that cost for bounded waits. Agents are chosen as in `fifo`.

use super::{ContactView, Router};
use crate::scenario::{ClassKey, CmuParams, Scenario};

/// cμ / Gcμ priority between classes.
pub struct Cmu {
    class: ClassKey,
    /// c_k · μ_k (μ per hour) per class index.
    cost_mu: Vec<f64>,
    exponent: f64,
}

impl Cmu {
    /// The strategy for `scenario` with its validated parameters.
    pub fn new(scenario: &Scenario, p: &CmuParams) -> Self {
        let cost_mu = p
            .costs
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let mean_s = match p.class {
                    ClassKey::Channel => mean_handle_s(scenario, Some(k), None),
                    ClassKey::Intent => mean_handle_s(scenario, None, Some(k)),
                    ClassKey::Tier => mean_handle_s(scenario, None, None),
                };
                c * 3600.0 / mean_s
            })
            .collect();
        Cmu {
            class: p.class,
            cost_mu,
            exponent: p.cost_exponent,
        }
    }
}

/// Mean human handle time, seconds, over teams and the channels they serve
/// (only `channel` when given) and intents by share (only `intent` when
/// given), scaled by team proficiency; 1 when the scenario gives none.
fn mean_handle_s(s: &Scenario, channel: Option<usize>, intent: Option<usize>) -> f64 {
    let (mut sum, mut weight) = (0.0, 0.0);
    for team in &s.teams {
        for &c in &team.channels {
            if channel.is_some_and(|k| k != c) {
                continue;
            }
            for (i, it) in s.intents.iter().enumerate() {
                if intent.is_some_and(|k| k != i) {
                    continue;
                }
                let share = if intent.is_some() { 1.0 } else { it.share };
                if let Some(d) = it.handle_time[c].or(team.handle_time) {
                    sum += share * d.mean_s() * team.proficiency;
                    weight += share;
                }
            }
            if s.intents.is_empty()
                && let Some(d) = team.handle_time
            {
                sum += d.mean_s() * team.proficiency;
                weight += 1.0;
            }
        }
    }
    if weight > 0.0 && sum > 0.0 {
        sum / weight
    } else {
        1.0
    }
}

impl Router for Cmu {
    fn contact_priority(&self, c: &ContactView) -> f64 {
        let k = match self.class {
            ClassKey::Channel => c.channel,
            ClassKey::Intent => c.intent,
            ClassKey::Tier => c.tier,
        };
        let w = c.wait_s.max(0.0);
        let marginal = if self.exponent == 1.0 {
            1.0
        } else {
            self.exponent * w.powf(self.exponent - 1.0)
        };
        // The tiny wait term makes ties (equal index) go to the longest waiting.
        self.cost_mu[k] * (marginal + 1e-12 * w)
    }

    fn fifo_contacts(&self) -> bool {
        // Within one channel's queue every contact is of one class and the
        // index grows with the wait: queue order is priority order.
        self.class == ClassKey::Channel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(channel: usize, wait_s: f64) -> ContactView {
        ContactView {
            channel,
            intent: 0,
            tier: 0,
            wait_s,
            queued_at_s: 0.0,
            escalated: false,
            queue_len: 0,
            queued_total: 0,
        }
    }

    #[test]
    fn linear_cost_is_static_and_convex_cost_lets_long_waits_catch_up() {
        let cmu = |exponent| Cmu {
            class: ClassKey::Channel,
            cost_mu: vec![4.0, 1.0],
            exponent,
        };
        let plain = cmu(1.0);
        assert!(plain.contact_priority(&view(0, 1.0)) > plain.contact_priority(&view(1, 900.0)));
        assert!(plain.contact_priority(&view(1, 9.0)) > plain.contact_priority(&view(1, 8.0)));
        let gcmu = cmu(2.0);
        assert!(gcmu.contact_priority(&view(0, 10.0)) > gcmu.contact_priority(&view(1, 30.0)));
        assert!(gcmu.contact_priority(&view(1, 50.0)) > gcmu.contact_priority(&view(0, 10.0)));
    }
}
