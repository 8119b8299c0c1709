//! What happened to a contact, in domain terms. Handlers report events here
//! (`offered`, `abandoned`, `ai_answered`, `escalated`, `human_answered`,
//! …); these methods alone update the contact accumulators of
//! `ReplicationStats` and feed the journey trace, so a handler never touches
//! a counter and a new observer is added in one file.

use super::queue::{SimTime, seconds};
use super::sim::{Contact, Replication};
use super::trace::{Extra, Step};
use crate::metrics::ContactStats;
use crate::routing::Router;

impl<R: Router> Replication<'_, R> {
    /// Applies `update` to every accumulator a measured contact counts in.
    #[inline(always)]
    fn record(&mut self, c: &Contact, update: impl Fn(&mut ContactStats)) {
        let stats = &mut self.stats;
        update(stats.contact_mut(c.interval as usize, c.channel as usize, c.region as usize));
        update(stats.intent_mut(c.intent as usize, c.channel as usize));
        update(&mut stats.tier[c.tier as usize]);
        update(&mut stats.language[c.language as usize]);
    }

    /// A contact arrives (a first contact, a recontact or a redial); `direct`
    /// when it goes straight to the human queue (no front line).
    #[inline(always)]
    pub(super) fn report_offered(&mut self, now: SimTime, c: &Contact, direct: bool) {
        if self.tracing() && c.problem_first {
            self.trace(now, Step::Arrived, c, Extra::default());
        }
        if c.measured() {
            let first = c.problem_first;
            self.record(c, |cell| {
                cell.offered += 1;
                cell.problems += u64::from(first);
                cell.human_offered += u64::from(direct);
            });
        }
    }

    /// A `[[backlog]]` contact is in the human queue at the start.
    pub(super) fn report_backlog_offered(&mut self, now: SimTime, c: &Contact) {
        self.trace(now, Step::Arrived, c, Extra::default());
        if c.measured() {
            self.record(c, |cell| {
                cell.offered += 1;
                cell.problems += 1;
                cell.human_offered += 1;
            });
        }
    }

    /// The front line hands a contact to the human queue (escalation, IVR).
    #[inline(always)]
    pub(super) fn report_to_humans(&mut self, c: &Contact) {
        if c.measured() {
            self.record(c, |cell| cell.human_offered += 1);
        }
    }

    /// A waiting contact's patience ran out (in the human queue, or waiting for the AI).
    #[inline(always)]
    pub(super) fn report_abandoned(&mut self, now: SimTime, c: &Contact, for_ai: bool) {
        self.trace(now, Step::Abandoned, c, Extra::default());
        if c.measured() {
            let waited = now > c.arrival;
            let first = !c.answered_once;
            let human = !for_ai;
            let handoff_wait = if c.escalated {
                seconds(now - c.queued_at)
            } else {
                0.0
            };
            self.record(c, |cell| {
                if first {
                    cell.record_abandon(waited);
                }
                if human {
                    cell.human_abandoned += 1;
                    cell.handoff_wait_s += handoff_wait;
                }
            });
        }
    }

    /// The AI agent starts a conversation with `c`.
    pub(super) fn report_ai_answered(&mut self, now: SimTime, c: &Contact) {
        self.trace(now, Step::AiStart, c, Extra::default());
        if c.measured() {
            let wait = now - c.arrival;
            let within = wait <= self.sl_within[c.channel as usize];
            let first = !c.answered_once;
            self.record(c, |cell| {
                if first {
                    cell.record_answer(seconds(wait), within, 0.0);
                }
                cell.ai_taken += 1;
            });
        }
    }

    /// The AI agent resolved `c`.
    pub(super) fn report_ai_resolved(&mut self, now: SimTime, c: &Contact) {
        self.trace(now, Step::AiResolved, c, Extra::default());
        if c.measured() {
            let first = c.problem_first;
            self.record(c, |cell| {
                cell.ai_resolved += 1;
                cell.problems_resolved_first += u64::from(first);
            });
        }
    }

    /// The AI agent ended `c` without resolving it (false containment).
    pub(super) fn report_false_containment(&mut self, now: SimTime, c: &Contact) {
        self.trace(now, Step::FalseContainment, c, Extra::default());
        if c.measured() {
            self.record(c, |cell| cell.ai_false += 1);
        }
    }

    /// The AI front line hands `c` to humans for `cause`; `talked` is false
    /// when it was routed at the door (language, overflow) without a
    /// conversation; `lost` when context was lost on the way.
    pub(super) fn report_escalated(
        &mut self,
        now: SimTime,
        c: &Contact,
        cause: u8,
        talked: bool,
        lost: bool,
    ) {
        let extra = Extra {
            cause: Some(cause),
            ..Extra::default()
        };
        self.trace(now, Step::Escalated, c, extra);
        if c.measured() {
            // Routed at the door: the AI front line took the contact and
            // handed it on without a conversation.
            let routed = !talked;
            self.record(c, |cell| {
                cell.escalated += 1;
                cell.ai_taken += u64::from(routed);
                cell.context_lost += u64::from(lost);
            });
            let n_channels = self.scenario.channels.len();
            self.stats.causes[cause as usize * n_channels + c.channel as usize] += 1;
        }
    }

    /// A human of `team` answers `c`; the contact's handle, wrap-up, extra
    /// (context) seconds and outcome are decided now.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(super) fn report_human_answered(
        &mut self,
        now: SimTime,
        c: &Contact,
        team: usize,
        handle_s: f64,
        wrap_s: f64,
        extra_s: f64,
        resolved: bool,
    ) {
        if self.tracing() {
            let extra = Extra {
                team: Some(team as u32),
                ..Extra::default()
            };
            self.trace(now, Step::Answered, c, extra);
        }
        if c.measured() {
            let channel = c.channel as usize;
            let wait = now - c.arrival;
            let within = wait <= self.sl_within[channel];
            let wait_s = seconds(wait);
            let first = !c.answered_once;
            let human_wait = now - c.queued_at;
            let human_within = human_wait <= self.sl_within[channel];
            let human_wait_s = seconds(human_wait);
            let escalated = c.escalated;
            let problem_first = c.problem_first;
            self.record(c, |cell| {
                if first {
                    cell.record_answer(wait_s, within, handle_s);
                } else {
                    cell.handle_sum_s += handle_s;
                }
                cell.resolved += u64::from(resolved);
                cell.problems_resolved_first += u64::from(resolved && problem_first);
                cell.wrap_sum_s += wrap_s;
                cell.human_answered += 1;
                cell.human_within += u64::from(human_within);
                cell.human_wait_sum_s += human_wait_s;
                if escalated {
                    cell.handoff_wait_s += human_wait_s;
                    cell.handoff_extra_s += extra_s;
                }
            });
        }
    }

    /// A customer comes back: a redial after abandoning, else a recontact.
    pub(super) fn report_retry(&mut self, now: SimTime, c: &Contact, redial: bool) {
        if c.measured() {
            self.record(c, |cell| {
                if redial {
                    cell.redials += 1;
                } else {
                    cell.recontacts += 1;
                }
            });
        }
        let step = if redial {
            Step::Redial
        } else {
            Step::Recontact
        };
        self.trace(now, step, c, Extra::default());
    }

    /// The customer accepted a callback instead of waiting on the line.
    pub(super) fn report_callback(&mut self, now: SimTime, c: &Contact) {
        if c.measured() {
            self.record(c, |cell| cell.callbacks += 1);
        }
        self.trace(now, Step::Callback, c, Extra::default());
    }
}
