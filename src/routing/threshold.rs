//! `threshold`: trunk reservation. A team keeps its last k idle agents for
//! protected contacts: a contact of an unprotected tier may take an idle agent
//! only when at least k others of the team stay idle; protected tiers and
//! (by default) contacts escalated by the AI agent may take any idle agent.
//!
//! Reference: trunk reservation in loss networks (Key, "Optimal control and
//! trunk reservation in loss networks", Prob. Eng. Inf. Sci. 4, 1990; Ross,
//! *Multiservice Loss Models for Broadband Telecommunication Networks*, 1995),
//! applied to call centres as threshold reservation (Gans, Koole & Mandelbaum,
//! "Telephone call centers: tutorial, review, and research prospects", MSOM
//! 5, 2003, §5). Parameters: `reserve = { team = k }` (0 ≤ k < team size,
//! unlisted 0), `protected_tiers = ["platinum"]`, `protect_escalated`
//! (default true). Known behaviour: protected contacts almost never wait
//! while unprotected ones wait longer; k trades one against the other.
//! Contacts are otherwise taken in `fifo` order and agents chosen longest idle.

use super::{ContactView, Router};
use crate::scenario::ThresholdParams;

/// Keep k idle agents per team for protected contacts.
pub struct Threshold {
    reserve: Vec<usize>,
    protected_tiers: Vec<bool>,
    protect_escalated: bool,
}

impl Threshold {
    /// The strategy with its validated parameters.
    pub fn new(p: &ThresholdParams) -> Self {
        Threshold {
            reserve: p.reserve.iter().map(|&k| k as usize).collect(),
            protected_tiers: p.protected_tiers.clone(),
            protect_escalated: p.protect_escalated,
        }
    }

    fn protected(&self, c: &ContactView) -> bool {
        self.protected_tiers.get(c.tier).copied().unwrap_or(false)
            || (self.protect_escalated && c.escalated)
    }
}

impl Router for Threshold {
    fn reserves_agents(&self) -> bool {
        true
    }

    fn may_take_reserved(&self, team: usize, c: &ContactView, idle_left: usize) -> bool {
        idle_left >= self.reserve[team] || self.protected(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_protected_contacts_reach_the_last_k_idle_agents() {
        let t = Threshold {
            reserve: vec![2],
            protected_tiers: vec![false, true],
            protect_escalated: true,
        };
        let view = |tier, escalated| ContactView {
            channel: 0,
            intent: 0,
            tier,
            wait_s: 0.0,
            queued_at_s: 0.0,
            escalated,
            queue_len: 0,
            queued_total: 0,
        };
        assert!(t.may_take_reserved(0, &view(0, false), 2));
        assert!(!t.may_take_reserved(0, &view(0, false), 1));
        assert!(t.may_take_reserved(0, &view(1, false), 0));
        assert!(t.may_take_reserved(0, &view(0, true), 0));
    }
}
