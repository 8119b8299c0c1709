//! `priority`: contacts carry a weight from their value tier and intent
//! (`tier_weights = { platinum = 3, gold = 2 }`, `intent_weights = { fraud = 5 }`,
//! unlisted = 1); an agent takes the waiting contact with the highest
//! weight × (1 + `ageing_per_min` × minutes waited), so low-priority contacts
//! age into service instead of starving (default ageing 0.1 per minute).

use super::{ContactView, Router};
use crate::scenario::PriorityParams;

/// Weighted priority with ageing.
pub struct Priority {
    tier: Vec<f64>,
    intent: Vec<f64>,
    ageing_per_min: f64,
}

impl Priority {
    /// The strategy with its validated weights.
    pub fn new(p: &PriorityParams) -> Self {
        Priority {
            tier: p.tier_weights.clone(),
            intent: p.intent_weights.clone(),
            ageing_per_min: p.ageing_per_min,
        }
    }
}

impl Router for Priority {
    fn contact_priority(&self, c: &ContactView) -> f64 {
        let weight = self.tier[c.tier] * self.intent[c.intent];
        weight * (1.0 + self.ageing_per_min * c.wait_s / 60.0)
    }

    fn fifo_contacts(&self) -> bool {
        false
    }
}
