//! `ai_triage`: at the front door of a channel the AI agent serves, decide
//! per contact whether the AI agent takes it or it goes straight to a person,
//! and in the human queue keep customers the AI agent handed over ahead of
//! first-time callers.
//!
//! A contact goes straight to a person when its value tier is in
//! `bypass_tiers`, its intent in `bypass_intents`, the AI agent's own
//! escalation rules would hand it over at triage anyway (intent too complex,
//! an escalated tier, an emotional intent with `emotional = true`), or its
//! predicted AI resolution is below `min_ai_resolution`. The prediction
//! \[convention\] is what the scenario says of the AI agent: the intent's
//! resolution probability times the chance the conversation neither fails
//! nor ends with a request for a person, (1 − failure)(1 − ask_for_human).
//! It is the scenario's prior, not the replication's: weekly quality feedback
//! may raise the AI's resolution during a run, and triage does not see that.
//!
//! Reference: the "triage then route" design of hybrid front lines (Gans,
//! Koole & Mandelbaum, "Telephone call centers: tutorial, review, and
//! research prospects", MSOM 5, 2003, on skills-based routing by call type
//! and value), with escalated-first ordering as in `ai_first`. Known
//! behaviour: bypassing intents the AI rarely resolves spares those
//! customers the AI's triage and conversation and the handoff friction, at
//! the price of more human load; bypassing high tiers buys them shorter
//! journeys. Without an AI agent nothing is triaged and this is `ai_first`
//! (which is then `fifo`).

use super::{ContactView, Router};
use crate::scenario::{AiTriageParams, Scenario};

/// Per (intent, tier): AI agent or straight to a person; escalated first.
pub struct AiTriage {
    /// Indexed `intent * tiers + tier`: send to the AI agent.
    to_ai: Vec<bool>,
    tiers: usize,
    escalated_first: bool,
}

impl AiTriage {
    /// The strategy for `scenario`'s intents, tiers and AI agent.
    pub fn new(scenario: &Scenario, p: &AiTriageParams) -> Self {
        let tiers = scenario.tiers.len();
        let to_ai = (0..scenario.intents.len())
            .flat_map(|i| (0..tiers).map(move |t| (i, t)))
            .map(|(i, t)| {
                !(p.bypass_intents[i] || p.bypass_tiers[t])
                    && predicted_ai_resolution(scenario, i, t)
                        .is_some_and(|r| r >= p.min_ai_resolution)
            })
            .collect();
        AiTriage {
            to_ai,
            tiers,
            escalated_first: p.escalated_first,
        }
    }
}

/// The resolution the AI agent is expected to reach on intent `i` for a
/// customer of tier `t`: `None` when there is no AI agent or its escalation
/// rules hand the contact over at triage.
pub fn predicted_ai_resolution(scenario: &Scenario, i: usize, t: usize) -> Option<f64> {
    let ai = scenario.ai_agent.as_ref()?;
    let intent = &scenario.intents[i];
    let e = &ai.escalation;
    let by_rule =
        intent.complexity > e.max_complexity || e.tiers[t] || (e.emotional && intent.emotional);
    (!by_rule).then(|| ai.resolution[i] * (1.0 - e.failure) * (1.0 - e.ask_for_human))
}

impl Router for AiTriage {
    fn contact_priority(&self, c: &ContactView) -> f64 {
        // The flag dominates; earlier queueing breaks ties (scaled far below it).
        let first = self.escalated_first && c.escalated;
        f64::from(u8::from(first)) * 1e12 - c.queued_at_s
    }

    fn fifo_contacts(&self) -> bool {
        !self.escalated_first
    }

    fn sends_to_ai(&self, c: &ContactView) -> bool {
        self.to_ai[c.intent * self.tiers + c.tier]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(intent: usize, tier: usize, escalated: bool, queued_at_s: f64) -> ContactView {
        ContactView {
            channel: 0,
            intent,
            tier,
            wait_s: 0.0,
            queued_at_s,
            escalated,
            queue_len: 0,
            queued_total: 0,
        }
    }

    #[test]
    fn triage_table_and_escalated_first() {
        let r = AiTriage {
            to_ai: vec![true, false, false, false],
            tiers: 2,
            escalated_first: true,
        };
        assert!(r.sends_to_ai(&view(0, 0, false, 0.0)));
        assert!(!r.sends_to_ai(&view(0, 1, false, 0.0)));
        assert!(!r.sends_to_ai(&view(1, 0, false, 0.0)));
        let late_escalated = r.contact_priority(&view(0, 0, true, 9e6));
        assert!(late_escalated > r.contact_priority(&view(0, 0, false, 1.0)));
        let plain = AiTriage {
            escalated_first: false,
            ..r
        };
        assert!(plain.fifo_contacts());
        assert!(
            plain.contact_priority(&view(0, 0, false, 1.0))
                > plain.contact_priority(&view(0, 0, true, 2.0))
        );
    }
}
