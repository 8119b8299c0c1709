//! The front line: the AI agent (triage, conversation, resolution, false
//! containment, escalation with context), a legacy IVR, and customers trying
//! again (recontacts after unresolved contacts, redials after abandoning,
//! callbacks).

use super::service::contact_view;
use super::{Contact, Event, Replication};
use crate::engine::front_line::{AiSession, Outcome};
use crate::engine::queue::{SimTime, seconds, ticks};
use crate::engine::record::{AiEnd, Recorder};
use crate::routing::Router;
use crate::scenario::ai::{Cause, Context, Memory};
use rand::RngExt;

impl<R: Router> Replication<'_, R> {
    /// Routes a newly arrived contact to its channel's front line.
    pub(super) fn front_door(&mut self, now: SimTime, c: Contact, patience: Option<f64>) {
        let channel = c.channel as usize;
        if !self.router.uses_front_line() {
            self.queue_for_humans(now, c, patience);
            return;
        }
        if let Some(ai) = &self.scenario.ai_agent
            && ai.channels[channel]
        {
            if !self.router.sends_to_ai(&contact_view(&c, channel, 0.0)) {
                // Triaged straight to a person: a first-time human contact,
                // not an escalation (no handoff friction, no AI session).
                self.queue_for_humans(now, c, patience);
            } else if !ai.languages[c.language as usize] {
                self.escalate(now, c, Cause::Language as u8, false);
            } else if self.front_line.ai_busy() < ai.capacity {
                self.start_ai(now, c);
            } else if ai.overflow_to_human {
                self.escalate(now, c, Cause::Overflow as u8, false);
            } else {
                self.enqueue(now, c, patience, true);
            }
            return;
        }
        if let Some(ivr) = &self.scenario.ivr
            && ivr.channels[channel]
        {
            let s = self.arrivals.streams(c.source);
            let menu_s = ivr.time.sample(&mut s.escalation);
            let misrouted = s.escalation.random::<f64>() < ivr.misroute;
            let lost_s = ivr.misroute_time.sample(&mut s.escalation);
            let mut c = c;
            if misrouted {
                c.misroute_s = lost_s as f32;
            }
            let Some(pending) = self.front_line.hold(c) else {
                self.pending_full();
                return;
            };
            self.rec.ivr(now, &c);
            self.events
                .push(now + ticks(menu_s), Event::IvrEnd { pending });
            return;
        }
        self.queue_for_humans(now, c, patience);
    }

    pub(super) fn on_ivr_end(&mut self, now: SimTime, pending: u32) {
        let c = self.front_line.release(pending);
        // The time in the menu used part of the customer's patience.
        let patience = self
            .draw_patience(c, 1.0)
            .map(|p| (p - seconds(now - c.arrival)).max(0.0));
        self.queue_for_humans(now, c, patience);
    }

    /// Starts an AI session and decides its outcome from the source's AI stream.
    fn start_ai(&mut self, now: SimTime, mut c: Contact) {
        let ai = self.scenario.ai_agent.as_ref().expect("AI path");
        let intent = &self.scenario.intents[c.intent as usize];
        let i = c.intent as usize;
        // The replication's own copy: weekly feedback may have raised it.
        let p_resolve = self.quality.ai_resolution(i);
        let s = self.arrivals.streams(c.source);
        let mut triage_s = ai.triage_time.sample(&mut s.ai);
        let talk_s = ai.handle_time[i].sample(&mut s.ai);
        let retold = c.retell;
        if retold {
            // Telling the story again takes what it takes with a person
            // who has no context [convention: the same distribution].
            triage_s +=
                ai.context_time[Context::None as usize].map_or(0.0, |d| d.sample(&mut s.ai));
        }
        let [u_fail, u_ask, u_res, u_false, u_when] = [(); 5].map(|_| s.ai.random::<f64>());
        let e = &ai.escalation;
        let by_rule = if intent.complexity > e.max_complexity {
            Some(Cause::Complexity)
        } else if e.tiers[c.tier as usize] {
            Some(Cause::ValueTier)
        } else if e.emotional && intent.emotional {
            Some(Cause::Emotional)
        } else {
            None
        };
        let (mut outcome, mut duration_s) = if let Some(cause) = by_rule {
            (Outcome::Escalate(cause as u8), triage_s)
        } else if u_fail < e.failure {
            (
                Outcome::Escalate(Cause::Failure as u8),
                triage_s + u_when * talk_s,
            )
        } else if u_ask < e.ask_for_human {
            (
                Outcome::Escalate(Cause::AskedForHuman as u8),
                triage_s + u_when * talk_s,
            )
        } else if e.timeout_s.is_some_and(|t| talk_s > t) {
            (
                Outcome::Escalate(Cause::Failure as u8),
                triage_s + e.timeout_s.unwrap_or(0.0),
            )
        } else if u_res < p_resolve {
            (Outcome::Resolved, triage_s + talk_s)
        } else if u_false < ai.false_containment {
            (Outcome::FalseContainment, triage_s + talk_s)
        } else {
            (
                Outcome::Escalate(Cause::Unresolved as u8),
                triage_s + talk_s,
            )
        };
        if by_rule.is_none() {
            // Systems are used past triage; a hit ends what would have been
            // resolved, falsely contained or left unresolved in an escalation.
            let (latency_s, hit) = self.ai_back_office(now, &c);
            let overridable = matches!(outcome, Outcome::Resolved | Outcome::FalseContainment)
                || outcome == Outcome::Escalate(Cause::Unresolved as u8);
            if hit && overridable {
                outcome = Outcome::Escalate(Cause::BackOffice as u8);
                duration_s = triage_s + u_when * talk_s + latency_s;
            } else {
                duration_s += latency_s;
            }
        }
        self.note_ai_start(now, c.intent, outcome == Outcome::Resolved);
        // The AI ends the journey when it contains the contact: that is
        // the resolution path it reached.
        let ends = matches!(outcome, Outcome::Resolved | Outcome::FalseContainment);
        self.rec.ai_answered(now, &c, ends, retold);
        c.waited_before_s += seconds(now - c.queued_at) as f32;
        c.answered_once = true;
        let session = self.front_line.start_ai(AiSession {
            contact: c,
            outcome,
            start: now,
        });
        self.rec.ai_in_progress(self.front_line.ai_busy());
        self.events
            .push(now + ticks(duration_s), Event::AiEnd { session });
    }

    pub(super) fn on_ai_end(&mut self, now: SimTime, session: u32) {
        let s = self.front_line.end_ai(session);
        self.rec.ai_busy(s.start, now);
        let c = s.contact;
        match s.outcome {
            Outcome::Resolved => {
                self.rec.ai_ended(now, &c, AiEnd::Resolved);
                self.score(now, &c, false, None);
            }
            Outcome::FalseContainment => {
                self.rec.ai_ended(now, &c, AiEnd::FalseContainment);
                self.score(now, &c, true, None);
                self.recontact(now, c);
            }
            Outcome::Escalate(cause) => self.escalate(now, c, cause, true),
        }
        self.ai_pull(now);
    }

    /// Takes the next contact waiting for the AI, if capacity allows.
    fn ai_pull(&mut self, now: SimTime) {
        let Some(ai) = &self.scenario.ai_agent else {
            return;
        };
        let capacity = ai.capacity;
        while self.front_line.ai_busy() < capacity {
            // Contacts that abandoned while waiting for the AI are skipped.
            let Some(c) = self.room.next_for_ai() else {
                return;
            };
            self.start_ai(now, c);
        }
    }

    /// Hands a contact from the AI agent to the human queue of its channel.
    /// `talked` is false for contacts routed before any AI conversation
    /// (language not served, overflow): they carry no AI context to lose.
    fn escalate(&mut self, now: SimTime, mut c: Contact, cause: u8, talked: bool) {
        let ai = self.scenario.ai_agent.as_ref().expect("AI path");
        let level = if talked {
            match ai.context {
                Context::Full => 0,
                Context::Summary => 1,
                Context::None => 2,
            }
        } else {
            0
        };
        let s = self.arrivals.streams(c.source);
        let context_s = ai.context_time[level].map_or(0.0, |d| d.sample(&mut s.escalation));
        let misrouted = s.escalation.random::<f64>() < ai.escalation.misroute;
        let misroute_s = ai.escalation.misroute_time.sample(&mut s.escalation);
        c.escalated = true;
        c.context = level as u8;
        c.context_s = context_s as f32;
        c.misroute_s = if misrouted { misroute_s as f32 } else { 0.0 };
        c.resolution_delta = ai.context_resolution[level] as f32;
        let factor = ai.context_patience[level];
        self.rec.escalated(now, &c, cause, talked);
        let patience = self.draw_patience(c, factor);
        self.queue_for_humans(now, c, patience);
    }

    /// A fresh patience draw for a contact entering a human queue, × `factor`.
    fn draw_patience(&mut self, c: Contact, factor: f64) -> Option<f64> {
        self.arrivals.redraw_patience(&c, factor)
    }

    /// An unresolved customer may come back about the same problem later.
    pub(super) fn recontact(&mut self, now: SimTime, c: Contact) {
        let customers = &self.scenario.customers;
        let s = self.arrivals.streams(c.source);
        let u: f64 = s.retry.random();
        let delay_s = customers.recontact_delay.sample(&mut s.retry);
        if u < customers.recontact {
            self.retry_later(now, delay_s, c, c.channel, false);
        }
    }

    /// An abandoning customer may redial, possibly on another channel.
    pub(super) fn redial(&mut self, now: SimTime, c: Contact) {
        let Some(r) = &self.scenario.customers.redial[c.channel as usize] else {
            return;
        };
        let s = self.arrivals.streams(c.source);
        let u: f64 = s.retry.random();
        let delay_s = r.delay.sample(&mut s.retry);
        let v: f64 = s.retry.random();
        if u >= r.probability {
            return;
        }
        let mut channel = c.channel;
        let mut acc = 0.0;
        for &(to, p) in &r.switch {
            acc += p;
            if v < acc {
                channel = to as u16;
                break;
            }
        }
        self.retry_later(now, delay_s, c, channel, true);
    }

    fn retry_later(&mut self, now: SimTime, delay_s: f64, c: Contact, channel: u16, redial: bool) {
        let at = now + ticks(delay_s);
        if at >= self.clock.horizon_end() {
            return; // arrivals stop at the horizon
        }
        let mut again = c;
        again.retell = self
            .scenario
            .ai_agent
            .as_ref()
            .is_some_and(|ai| match ai.memory {
                Memory::Shared => false,
                Memory::PerChannel => channel != c.channel,
                Memory::None => true,
            });
        again.channel = channel;
        again.problem_first = false;
        again.answered_once = false;
        again.escalated = false;
        again.context = 0;
        again.context_s = 0.0;
        again.misroute_s = 0.0;
        again.resolution_delta = 0.0;
        again.waited_before_s = 0.0;
        again.redial = redial;
        let Some(pending) = self.front_line.hold(again) else {
            self.pending_full();
            return;
        };
        self.events.push(at, Event::Retry { pending });
    }

    #[cold]
    fn pending_full(&mut self) {
        self.guard.fail(crate::engine::guard::Runaway::Pending {
            limit: crate::scenario::limits::MAX_PENDING_CONTACTS,
        });
    }

    pub(super) fn on_retry(&mut self, now: SimTime, pending: u32) {
        self.guard.retry(now);
        let mut c = self.front_line.release(pending);
        c.arrival = now;
        c.queued_at = now;
        c.interval = self.clock.interval_of(now);
        // A new attempt has new work content when its intent sets one.
        let channel = c.channel as usize;
        let s = self.arrivals.streams(c.source);
        c.work_s = match self.scenario.intents[c.intent as usize].handle_time[channel] {
            Some(d) => d.sample(&mut s.retry),
            None => -1.0,
        };
        self.rec.retried(now, &c);
        let patience = self.draw_patience(c, 1.0);
        self.admit(now, c, patience);
    }

    /// Offers a callback when the expected wait is long; an accepted callback
    /// never abandons (the customer is called back when an agent is free).
    pub(super) fn maybe_callback(
        &mut self,
        now: SimTime,
        c: &mut Contact,
        patience: Option<f64>,
    ) -> Option<f64> {
        let channel = c.channel as usize;
        let Some(cb) = self.scenario.customers.callback[channel] else {
            return patience;
        };
        let on_duty = self.staff.on_duty_for(channel);
        let expected_s = f64::from(self.room.waiting(channel) + 1)
            * self.staff.recent_aht_s(channel)
            / f64::from(on_duty.max(1));
        if expected_s <= cb.threshold_s {
            return patience;
        }
        let u: f64 = self.arrivals.streams(c.source).retry.random();
        if u < cb.accept {
            self.rec.callback(now, c);
            None
        } else {
            patience
        }
    }
}
