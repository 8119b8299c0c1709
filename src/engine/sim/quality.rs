//! Closing the loop: scoring finished contacts, detecting failures, weekly
//! feedback to the AI's per-intent resolution, coaching for agents whose
//! failures are detected, and back-office systems (latency, failures, outages).
//!
//! The quality programme runs over the measured horizon: contacts finishing in
//! the warm-up or after the horizon (the drain) are not scored. Every finished
//! contact draws two uniforms from its source's `Quality` stream (scored?
//! detected?) whatever the settings, so variants that change coverage or
//! detection see the same customers and the same draws (common random numbers).
//! Back-office draws come from the source's `BackOffice` stream: for each
//! system an intent needs, one latency draw (when the system has a latency)
//! and one failure uniform, per use.

use super::{Contact, Event, Replication};
use crate::engine::queue::{SimTime, seconds, ticks};
use crate::engine::record::{Recorder, Scoring, SystemUse, quality_weeks};
use crate::engine::rng::{Purpose, SimRng, stream};
use crate::routing::Router;
use crate::scenario::Scenario;
use rand::RngExt;

const WEEK_S: f64 = 7.0 * 86_400.0;
/// The coaching cap's month: 30 days from the start of the measured horizon.
const MONTH_S: f64 = 30.0 * 86_400.0;

/// Per-replication quality and back-office state.
pub(super) struct QualityState {
    /// AI resolution probability per intent, now (starts at the scenario's).
    pub ai_resolution: Vec<f64>,
    /// Scoring draws per source.
    scoring: Vec<SimRng>,
    /// Back-office draws per source.
    back_office: Vec<SimRng>,
    /// (system, start, end) of every outage, in ticks.
    outages: Vec<(usize, SimTime, SimTime)>,
    /// Per agent: (month, coaching seconds started in it), for the cap.
    coached: Vec<(u32, f64)>,
    /// Quality weeks in the horizon (0 without a quality programme).
    weeks: usize,
    /// Detected AI failures per (week, intent): the feedback signal.
    ai_detected: Vec<u64>,
}

/// What one use of the back office did to a contact.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct BackOfficeUse {
    /// Latency added, seconds (sum over the systems used).
    pub latency_s: f64,
    /// Some system failed.
    pub failed: bool,
    /// Some system was down: the time a human would wait (capped), seconds.
    pub outage_wait_s: Option<f64>,
}

impl QualityState {
    pub fn new(scenario: &Scenario, rep: u32, warmup_end: SimTime) -> Self {
        let seed = scenario.simulation.seed;
        let n = scenario.sources.len() as u32;
        let weeks = if scenario.quality.is_some() {
            quality_weeks(scenario)
        } else {
            0
        };
        QualityState {
            ai_resolution: scenario
                .ai_agent
                .as_ref()
                .map_or_else(Vec::new, |ai| ai.resolution.clone()),
            scoring: (0..n)
                .map(|i| stream(seed, rep, Purpose::Quality, i))
                .collect(),
            back_office: (0..n)
                .map(|i| stream(seed, rep, Purpose::BackOffice, i))
                .collect(),
            outages: scenario
                .back_office
                .outages
                .iter()
                .map(|o| {
                    let start = warmup_end + ticks(o.start_s);
                    (o.system, start, start + ticks(o.length_s))
                })
                .collect(),
            coached: Vec::new(),
            weeks,
            ai_detected: vec![0; weeks * scenario.intents.len()],
        }
    }

    /// Coaching seconds agent `a` has started in `month`.
    fn coached_in(&self, a: u32, month: u32) -> f64 {
        match self.coached.get(a as usize) {
            Some(&(m, s)) if m == month => s,
            _ => 0.0,
        }
    }

    /// Books `s` seconds of coaching started by agent `a` in `month`.
    fn book_coaching(&mut self, a: u32, month: u32, s: f64) {
        let a = a as usize;
        if self.coached.len() <= a {
            self.coached.resize(a + 1, (0, 0.0));
        }
        let used = self.coached_in(a as u32, month);
        self.coached[a] = (month, used + s);
    }
}

impl<R: Router> Replication<'_, R> {
    /// The quality week of `t`, if inside the horizon and a programme runs.
    fn quality_week(&self, t: SimTime) -> Option<usize> {
        (self.scenario.quality.is_some()
            && t >= self.clock.warmup_end()
            && t < self.clock.horizon_end())
        .then(|| ((t - self.clock.warmup_end()) / ticks(WEEK_S)) as usize)
    }

    /// The coaching month of `t` (30-day periods from the horizon's start).
    fn coaching_month(&self, t: SimTime) -> u32 {
        (seconds(t.saturating_sub(self.clock.warmup_end())) / MONTH_S) as u32
    }

    /// True when one more coaching session of `time_s` fits agent `a`'s
    /// monthly cap at `now`, counting the sessions already pending.
    /// A month cut short by the horizon's end gets its share of the cap, so
    /// a quarter (91 days) allows 91/30 months' worth, not four.
    fn coaching_fits(&self, now: SimTime, a: u32, pending: u16, time_s: f64, cap_s: f64) -> bool {
        let month = self.coaching_month(now);
        let horizon_s = seconds(self.clock.horizon_end() - self.clock.warmup_end());
        let share = ((horizon_s - f64::from(month) * MONTH_S) / MONTH_S).clamp(0.0, 1.0);
        let used = self.quality.coached_in(a, month);
        used + f64::from(pending + 1) * time_s <= cap_s * share * (1.0 + 1e-12)
    }

    /// Schedules the weekly reviews (feedback).
    pub(super) fn start_quality(&mut self) {
        for week in 0..self.quality.weeks as u32 {
            let at = (self.clock.warmup_end() + ticks(WEEK_S) * SimTime::from(week + 1))
                .min(self.clock.horizon_end());
            self.events.push(at, Event::QualityReview { week });
        }
    }

    /// Week `week` ends: with feedback, each intent's gap to the ceiling
    /// shrinks by `max_step` × min(1, detected AI failures / evidence)
    /// ([`crate::scenario::quality::Quality::learn`]).
    pub(super) fn on_quality_review(&mut self, week: u32) {
        let Some(q) = &self.scenario.quality else {
            return;
        };
        let w = week as usize;
        let qs = &mut self.quality;
        if !q.feedback || w + 1 >= qs.weeks || qs.ai_resolution.is_empty() {
            return;
        }
        let intents = qs.ai_resolution.len();
        for i in 0..intents {
            let detected = qs.ai_detected[w * intents + i];
            let p = q.learn(qs.ai_resolution[i], q.ceiling[i], detected);
            qs.ai_resolution[i] = p;
            self.rec.ai_learned(w + 1, i, p);
        }
    }

    /// Counts an AI session start and its decided outcome in its week.
    pub(super) fn note_ai_start(&mut self, now: SimTime, intent: u16, resolved: bool) {
        if let Some(w) = self.quality_week(now) {
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
        let Some(q) = &self.scenario.quality else {
            return false;
        };
        let Some(w) = self.quality_week(now) else {
            return false;
        };
        let rng = &mut self.quality.scoring[c.source as usize];
        let u_score: f64 = rng.random();
        let u_detect: f64 = rng.random();
        let scored = u_score < q.share_scored;
        let detected = failure && scored && u_detect < q.detection;
        let coaching = q.coaching;
        let scoring = Scoring {
            failure,
            scored,
            detected,
            human: agent.is_some(),
        };
        self.rec.scored(w, c.intent, scoring);
        match agent {
            None => {
                let intents = self.scenario.intents.len();
                self.quality.ai_detected[w * intents + c.intent as usize] += u64::from(detected);
            }
            Some(a) => {
                if let Some(c) = coaching.filter(|_| detected) {
                    let due = self.staff.agent(a).coaching_due;
                    if self.coaching_fits(now, a, due, c.time_s, c.max_per_month_s) {
                        self.staff.add_coaching(a);
                    }
                }
            }
        }
        detected
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
            || !self.coaching_fits(now, a, 0, c.time_s, c.max_per_month_s)
        {
            self.staff.drop_coaching(a);
            return false;
        }
        let month = self.coaching_month(now);
        self.quality.book_coaching(a, month, c.time_s);
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

    /// One use of the systems contact `c`'s intent needs, at `now`.
    pub(super) fn use_back_office(&mut self, now: SimTime, c: &Contact) -> BackOfficeUse {
        let bo = &self.scenario.back_office;
        let mut out = BackOfficeUse::default();
        let rng = &mut self.quality.back_office[c.source as usize];
        for &s in &bo.intent_systems[c.intent as usize] {
            let system = &bo.systems[s];
            if let Some(d) = system.latency {
                out.latency_s += d.sample(rng);
            }
            let u: f64 = rng.random();
            out.failed |= u < system.failure;
            for &(os, start, end) in &self.quality.outages {
                if os == s && start <= now && now < end {
                    let wait = seconds(end - now).min(system.max_wait_s);
                    out.outage_wait_s = Some(out.outage_wait_s.map_or(wait, |w: f64| w.max(wait)));
                }
            }
        }
        out
    }

    /// True when contact `c`'s intent needs a back-office system.
    #[inline]
    pub(super) fn needs_back_office(&self, c: &Contact) -> bool {
        !self.scenario.back_office.intent_systems[c.intent as usize].is_empty()
    }
}

impl<R: Router> Replication<'_, R> {
    /// Back office for a human contact: returns the seconds added to the
    /// handle time (latency, plus the outage's remaining time up to the
    /// system's `max_wait` when a needed system is down) and marks a system
    /// failure on the contact (it will not be resolved).
    pub(super) fn human_back_office(&mut self, now: SimTime, c: &mut Contact) -> f64 {
        c.back_office_failed = false;
        if !self.needs_back_office(c) {
            return 0.0;
        }
        let u = self.use_back_office(now, c);
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
        if !self.needs_back_office(c) {
            return (0.0, false);
        }
        let u = self.use_back_office(now, c);
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
