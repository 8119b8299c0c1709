//! `queue_ratio`: fixed-queue-ratio (FQR) and queue-and-idleness-ratio (QIR)
//! rules for skill-based routing.
//!
//! Reference: Gurvich & Whitt, "Queue-and-idleness-ratio controls in
//! many-server service systems", Math. Oper. Res. 34 (2009), and
//! "Service-level differentiation in many-server service systems via
//! queue-ratio routing", Oper. Res. 58 (2010).
//!
//! - **FQR** (the agent's choice): a freed agent serves the class (channel)
//!   i maximising `Q_i − r_i · Q_Σ`, where `Q_i` is the class's queue length,
//!   `Q_Σ` the contacts waiting in all classes the agent's team serves, and
//!   `r_i` the target shares (`queue_ratios`, normalised to 1; equal by
//!   default). The queues are held near the ratios `r`; with the ratios set
//!   from the arrival rates and target waits (`r_i ∝ λ_i · w_i`, Little's
//!   law), the classes' waits are held near their targets. Ties go to the
//!   longest-waiting contact.
//! - **QIR** (with `idle_ratios`, the contact's choice): an arriving contact
//!   goes to the team j maximising `I_j − p_j · I_Σ` over the teams that may
//!   take it (`I_j` idle agents of team j), so idleness is shared in the
//!   ratios `p` — the "idleness" half of Gurvich & Whitt's QIR, which makes
//!   the rule asymptotically optimal for convex costs in the Halfin–Whitt
//!   regime. Without `idle_ratios`, agents are chosen as in `fifo`
//!   (longest idle first).
//!
//! Known behaviour: FQR holds queue ratios, not waits; with very unequal
//! arrival rates, equal ratios make the small class wait longest.

use super::{AgentView, ContactView, Router};
use crate::scenario::QueueRatioParams;

/// The FQR / QIR rule.
pub struct QueueRatio {
    queue_ratios: Vec<f64>,
    idle_ratios: Option<Vec<f64>>,
}

impl QueueRatio {
    /// The strategy with its validated parameters.
    pub fn new(p: &QueueRatioParams) -> Self {
        QueueRatio {
            queue_ratios: p.queue_ratios.clone(),
            idle_ratios: p.idle_ratios.clone(),
        }
    }
}

impl Router for QueueRatio {
    fn contact_priority(&self, c: &ContactView) -> f64 {
        let r = self.queue_ratios.get(c.channel).copied().unwrap_or(0.0);
        let excess = f64::from(c.queue_len) - r * f64::from(c.queued_total);
        // Within one queue, and between equal excesses, the longest waiting.
        excess - 1e-9 * c.queued_at_s
    }

    fn fifo_contacts(&self) -> bool {
        // Every contact of one queue has the same excess: the head (the
        // longest waiting) is the queue's best.
        true
    }

    fn needs_queue_lengths(&self) -> bool {
        true
    }

    fn agent_preference(&self, a: &AgentView) -> f64 {
        match &self.idle_ratios {
            Some(p) => {
                let share = p.get(a.team).copied().unwrap_or(0.0);
                let excess = f64::from(a.team_idle) - share * f64::from(a.idle_total);
                // Within a team: the longest idle.
                excess - 1e-9 * a.idle_since_s
            }
            None => -a.idle_since_s,
        }
    }

    fn needs_idle_counts(&self) -> bool {
        self.idle_ratios.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(channel: usize, queue_len: u32, queued_total: u32, queued_at_s: f64) -> ContactView {
        ContactView {
            channel,
            intent: 0,
            tier: 0,
            wait_s: 0.0,
            queued_at_s,
            escalated: false,
            queue_len,
            queued_total,
        }
    }

    fn agent(team: usize, team_idle: u32, idle_total: u32) -> AgentView {
        AgentView {
            team,
            idle_since_s: 0.0,
            fatigue_h: 0.0,
            proficiency: 1.0,
            team_idle_share: 0.0,
            team_idle,
            idle_total,
        }
    }

    #[test]
    fn a_freed_agent_serves_the_queue_furthest_above_its_share() {
        // Targets 3:1. Queues 6 and 4 of 10: channel 0 is 1.5 below its
        // share (7.5), channel 1 is 1.5 above (2.5): channel 1 goes first.
        let r = QueueRatio::new(&QueueRatioParams {
            queue_ratios: vec![0.75, 0.25],
            idle_ratios: None,
        });
        assert!(
            r.contact_priority(&contact(1, 4, 10, 50.0))
                > r.contact_priority(&contact(0, 6, 10, 10.0))
        );
        // At 9 and 1, channel 0 is above its share.
        assert!(
            r.contact_priority(&contact(0, 9, 10, 50.0))
                > r.contact_priority(&contact(1, 1, 10, 10.0))
        );
        // Without idle ratios, agents longest idle first.
        assert!(!r.needs_idle_counts());
    }

    #[test]
    fn with_idle_ratios_a_contact_goes_to_the_team_with_most_excess_idleness() {
        let r = QueueRatio::new(&QueueRatioParams {
            queue_ratios: vec![1.0],
            idle_ratios: Some(vec![0.2, 0.8]),
        });
        assert!(r.needs_idle_counts());
        // 3 idle of 5 in team 0 (share 1.0 → excess 2) against 2 in team 1
        // (share 4 → −2): team 0's agent.
        assert!(r.agent_preference(&agent(0, 3, 5)) > r.agent_preference(&agent(1, 2, 5)));
        // 1 and 4: team 0 at 1 − 1 = 0, team 1 at 4 − 4 = 0: a tie, broken by idle time.
        let (a, b) = (
            r.agent_preference(&agent(0, 1, 5)),
            r.agent_preference(&agent(1, 4, 5)),
        );
        assert!((a - b).abs() < 1e-6);
    }
}
