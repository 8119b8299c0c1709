//! Quality handlers: scoring finished contacts, the weekly feedback
//! review, coaching for agents whose failures are detected, and the
//! back-office systems a contact's handling uses. The state (streams,
//! learned resolution, coaching time against the cap) is the quality
//! component's (`engine/quality.rs`); these handlers connect it to the
//! workforce, the event queue and the recorder.

use super::{Contact, Event, Replication};
use crate::engine::queue::{SimTime, ticks};
use crate::engine::record::{Recorder, SystemUse};
use crate::routing::Router;

impl<R: Router> Replication<'_, R> {
    /// Schedules the weekly reviews (feedback).
    pub(super) fn start_quality(&mut self) {
        for (week, at) in self.quality.reviews() {
            self.events.push(at, Event::QualityReview { week });
        }
    }

    /// Week `week` ends: the AI learns from the failures detected in it.
    pub(super) fn on_quality_review(&mut self, week: u32) {
        self.quality.review(week, &mut self.rec);
    }

    /// Counts an AI session start and its decided outcome in its week.
    pub(super) fn note_ai_start(&mut self, now: SimTime, intent: u16, resolved: bool) {
        if let Some(w) = self.quality.week_of(now) {
            self.rec.ai_outcome(w, intent, resolved);
        }
    }

    /// Scores a finished contact; returns whether a failure was detected.
    /// `agent` is the human who handled it (`None` for the AI).
    pub(super) fn score(
        &mut self,
        now: SimTime,
        c: &Contact,
        failure: bool,
        agent: Option<u32>,
    ) -> bool {
        if !self.quality.runs() {
            return false;
        }
        let Some((w, scoring)) =
            self.quality
                .score(now, c.source, c.intent, failure, agent.is_some())
        else {
            return false;
        };
        self.rec.scored(w, c.intent, scoring);
        let coaching = self.scenario.quality.as_ref().and_then(|q| q.coaching);
        if let (Some(a), Some(c)) = (agent, coaching.filter(|_| scoring.detected)) {
            let due = self.staff.agent(a).coaching_due;
            if self
                .quality
                .coaching_fits(now, a, due, c.time_s, c.max_per_month_s)
            {
                self.staff.add_coaching(a);
            }
        }
        scoring.detected
    }

    /// The coaching uplift on agent `a`'s resolution probability at `now`.
    pub(super) fn coaching_uplift(&self, now: SimTime, a: u32) -> f64 {
        match self.scenario.quality.as_ref().and_then(|q| q.coaching) {
            Some(c) => self.staff.coaching_uplift(now, a, c.decay_s),
            None => 0.0,
        }
    }

    /// Starts a pending coaching session if agent `a` is free for it; returns
    /// true when the agent went to coaching. A session that could not end
    /// before the horizon's end is dropped (the programme ends with the horizon).
    pub(super) fn try_coaching(&mut self, now: SimTime, a: u32) -> bool {
        if !self.staff.agent(a).free_for_coaching() {
            return false;
        }
        let Some(c) = self.scenario.quality.as_ref().and_then(|q| q.coaching) else {
            return false;
        };
        self.staff.take_coaching(a);
        let end = now + ticks(c.time_s);
        // Past the horizon, or over this month's cap (sessions pending from
        // an earlier month): the pending sessions are dropped.
        if end > self.clock.horizon_end()
            || !self
                .quality
                .coaching_fits(now, a, 0, c.time_s, c.max_per_month_s)
        {
            self.staff.drop_coaching(a);
            return false;
        }
        self.quality.book_coaching(now, a, c.time_s);
        self.staff.start_coaching(now, a, end, &mut self.rec);
        self.rec.coaching_started();
        self.events.push(end, Event::CoachingEnd { agent: a });
        true
    }

    /// A coaching session ends: book it, apply the uplift, back to work.
    pub(super) fn on_coaching_end(&mut self, now: SimTime, a: u32) {
        if !self.staff.coaching_ends(a, now) {
            return; // cut short (shift end, quit): already booked
        }
        let (uplift, max) = self
            .scenario
            .quality
            .as_ref()
            .and_then(|q| q.coaching)
            .map_or((0.0, 0.0), |c| (c.uplift, c.max_uplift));
        // Sessions stack up to the ceiling (by default a session only refreshes).
        let level = (self.coaching_uplift(now, a) + uplift).min(max);
        self.staff.end_coaching(now, a, level, &mut self.rec);
        self.after_work(now, a);
    }
}

impl<R: Router> Replication<'_, R> {
    /// Back office for a human contact: returns the seconds added to the
    /// handle time (latency, plus the outage's remaining time up to the
    /// system's `max_wait` when a needed system is down) and marks a system
    /// failure on the contact (it will not be resolved).
    pub(super) fn human_back_office(&mut self, now: SimTime, c: &mut Contact) -> f64 {
        c.back_office_failed = false;
        if !self.quality.needs_back_office(c.intent) {
            return 0.0;
        }
        let u = self.quality.use_back_office(now, c.source, c.intent);
        c.back_office_failed = u.failed;
        let wait_s = u.outage_wait_s.unwrap_or(0.0);
        if c.measured() {
            self.rec.system_use(&SystemUse {
                human: true,
                latency_s: u.latency_s,
                failed: u.failed,
                outage_wait_s: u.outage_wait_s,
            });
        }
        u.latency_s + wait_s
    }

    /// Back office for an AI session that got past triage: (latency seconds,
    /// escalate?). A failure or an outage of a needed system makes the AI
    /// escalate (cause `back_office`).
    pub(super) fn ai_back_office(&mut self, now: SimTime, c: &Contact) -> (f64, bool) {
        if !self.quality.needs_back_office(c.intent) {
            return (0.0, false);
        }
        let u = self.quality.use_back_office(now, c.source, c.intent);
        let down = u.outage_wait_s.is_some();
        if c.measured() {
            self.rec.system_use(&SystemUse {
                human: false,
                latency_s: u.latency_s,
                failed: u.failed,
                outage_wait_s: u.outage_wait_s,
            });
        }
        (u.latency_s, u.failed || down)
    }
}
