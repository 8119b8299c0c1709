//! `[[backlog]]`: contacts already waiting when the simulation starts.
//!
//! This is the whole engine addition for backlogs (docs/PLANNER.md, "Starting
//! backlog"):
//! - the clock origin moves back by the longest backlog wait `B` ([`lead_s`]):
//!   the warm-up starts at time `B` instead of 0 and everything else keeps its
//!   meaning relative to the warm-up's start (without a backlog `B` = 0 and
//!   nothing changes);
//! - at the start, each entry's contacts are given to idle agents or join their
//!   channel's queue with arrival time `start − waited`, so their waits include
//!   the time already waited and FIFO serves them first.
//!
//! They are already in the human queue, so they skip arrival-side processing.
//! They count as offered in interval 0 when there is no warm-up (their waits
//! then enter interval 0's service level), and are unmeasured otherwise.
//! Region, intent, language and tier follow the channel's first demand source;
//! patience is a fresh draw from the channel's patience, i.e. the *remaining*
//! patience (exact for exponential patience, which is memoryless). Everything
//! is drawn from the entry's own stream (`Purpose::Backlog`), so no other
//! stream shifts.

use super::{Contact, Replication};
use crate::demand::three_uniforms;
use crate::engine::queue::{SimTime, ticks};
use crate::engine::record::Recorder;
use crate::routing::Router;
use crate::scenario::Scenario;
use rand::Rng;

/// Longest wait of a non-empty backlog entry, seconds (0 without a backlog).
pub(super) fn lead_s(scenario: &Scenario) -> f64 {
    scenario
        .backlog
        .iter()
        .filter(|b| b.contacts > 0)
        .map(|b| b.waited_s)
        .fold(0.0, f64::max)
}

impl<R: Router> Replication<'_, R> {
    /// Puts every backlog contact in the system at `start`.
    pub(super) fn inject_backlog(&mut self, start: SimTime) {
        let scenario = self.scenario;
        let interval = if scenario.regions.is_empty() {
            u32::MAX
        } else {
            self.clock.interval_of(start)
        };
        for (bi, b) in scenario.backlog.iter().enumerate() {
            let channel = b.channel;
            let source = scenario.sources.iter().position(|s| s.channel == channel);
            let spec = source.map(|i| &scenario.sources[i]);
            let arrival = start.saturating_sub(ticks(b.waited_s));
            for _ in 0..b.contacts {
                let rng = self.arrivals.backlog_stream(bi);
                let (region, intent, language, tier) = match spec {
                    Some(s) => {
                        let [u_intent, u_language, u_tier] = three_uniforms(rng.next_u64());
                        (
                            s.region,
                            s.intent_mix.pick(u_intent),
                            s.language_mix.pick(u_language),
                            s.tier_mix.pick(u_tier),
                        )
                    }
                    None => (0, 0, 0, 0),
                };
                let (patience, work, rng) = self.arrivals.backlog_draws(bi, channel, intent);
                let patience = patience.map(|d| d.sample(rng));
                let work_s = match work {
                    Some(d) => d.sample(rng),
                    None => -1.0,
                };
                let contact = Contact {
                    id: self.rec.new_journey(),
                    arrival,
                    interval,
                    channel: channel as u16,
                    region: region as u16,
                    intent: intent as u16,
                    language: language as u16,
                    tier: tier as u16,
                    work_s,
                    source: source.unwrap_or(0) as u16,
                    // Already waiting in the human queue since `arrival`.
                    queued_at: arrival,
                    problem_first: true,
                    ..Contact::default()
                };
                self.admit_waiting(start, contact, patience);
            }
        }
    }

    /// Counts a contact as offered (straight to the human queue: a backlog has
    /// passed any front line already), then hands it to an idle agent or
    /// queues it with its patience timer.
    fn admit_waiting(&mut self, now: SimTime, contact: Contact, patience: Option<f64>) {
        // A backlog contact is a first contact that passed any front line.
        self.rec.offered(now, &contact, true);
        let waited_s = crate::engine::seconds(now.saturating_sub(contact.queued_at));
        if let Some(agent) = self.agent_for(now, &contact, waited_s) {
            self.start_service(now, agent, contact);
            return;
        }
        self.enqueue(now, contact, patience, false);
    }
}
