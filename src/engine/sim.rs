//! One replication: state, setup, the event loop, arrivals and abandonment.
//! Agents (shifts, breaks, attrition) are in `agents.rs`; service, wrap-up and
//! routing choices in `service.rs`.

use super::arrivals::Arrivals;
use super::clock::Horizon;
use super::front_line::FrontLine;
use super::guard::{Guard, Runaway};
use super::queue::{EventQueue, SimTime, seconds, ticks};
use super::trace::{Extra, Step, Trace};
use super::waiting::{Ticket, WaitingRoom};
use crate::metrics::{ContactStats, ReplicationStats, Retention};
use crate::routing::Router;
use crate::scenario::{Scenario, Staffing};

mod agents;
mod backlog;
mod front;
#[cfg(test)]
mod invariants;
mod quality;
mod recorder;
mod service;
mod workforce;

use recorder::{Recorder, SlRule};
use workforce::Workforce;

/// One day in ticks (the period of [`Event::DayClose`]).
const DAY: SimTime = 86_400 * 1_000_000;

/// The closed set of events. Small and `Copy`: no allocation per event.
#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
    /// The next arrival of demand source `source`.
    Arrival { source: u32 },
    /// A waiting contact's patience runs out (ignored if it was answered: lazy).
    Abandon { slot: u32, generation: u32 },
    /// A session's talk time ends.
    ServiceEnd { session: u32 },
    /// A session's wrap-up ends.
    WrapEnd { session: u32 },
    /// An agent's shift starts (ignored if the seat changed hands since).
    ShiftStart { agent: u32, seat_epoch: u32 },
    /// An agent's shift ends.
    ShiftEnd { agent: u32, shift_epoch: u32 },
    /// An agent's break `index` is due.
    BreakStart {
        agent: u32,
        index: u16,
        shift_epoch: u32,
    },
    /// An agent's break ends.
    BreakEnd { agent: u32 },
    /// Weekly attrition review.
    WeekEnd { week: u32 },
    /// A per-interval staffing boundary of a team.
    StaffingStep { team: u32 },
    /// An AI session ends (resolved, falsely contained or escalated).
    AiEnd { session: u32 },
    /// A contact leaves the IVR menu for a human queue.
    IvrEnd { pending: u32 },
    /// A customer tries again (recontact or redial).
    Retry { pending: u32 },
    /// A waiting contact reaches the routing strategy's overflow threshold.
    Overflow { slot: u32, generation: u32 },
    /// A replacement hire starts in `agent`'s seat.
    Hire { agent: u32 },
    /// Weekly quality review (feedback to the AI) at the end of `week`.
    QualityReview { week: u32 },
    /// An agent's coaching session ends.
    CoachingEnd { agent: u32 },
    /// Daily bookkeeping: settle agents' open availability and close the
    /// intervals of the day before (they stream out in spill mode).
    DayClose,
}

/// What travels with a contact from arrival to the end of its service.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Contact {
    /// Journey number in the trace (0 when not tracing); kept by retries.
    pub id: u32,
    pub arrival: SimTime,
    /// Interval of arrival, or `u32::MAX` when not measured.
    pub interval: u32,
    pub channel: u16,
    pub region: u16,
    pub intent: u16,
    pub language: u16,
    pub tier: u16,
    /// Base handle time from the intent (seconds), or negative when the team's applies.
    pub work_s: f64,
    /// Demand source (for its random streams).
    pub source: u16,
    /// When it entered its current queue.
    pub queued_at: SimTime,
    /// Already answered once (by the AI): later answers are not first answers.
    pub answered_once: bool,
    /// The first contact about this problem (not a recontact or redial).
    pub problem_first: bool,
    /// Handed over by the AI agent.
    pub escalated: bool,
    /// Context level on escalation: 0 full, 1 summary, 2 none.
    pub context: u8,
    /// Extra human seconds re-establishing context (before the team's assist factor).
    pub context_s: f32,
    /// Extra human seconds lost to a misroute and transfer.
    pub misroute_s: f32,
    /// Change in the human's resolution probability (context lost).
    pub resolution_delta: f32,
    /// This attempt is a redial after abandoning (else a recontact, when not first).
    pub redial: bool,
    /// A back-office system failed during the human's handling: not resolved.
    pub back_office_failed: bool,
    /// Seconds waited in earlier queues of this attempt (the AI's queue
    /// before an escalation): the journey's wait is this plus the current one.
    pub waited_before_s: f32,
    /// A returning customer the AI does not remember (`ai_agent.memory`):
    /// the story is told again at the AI's front door.
    pub retell: bool,
}

impl Contact {
    pub fn measured(&self) -> bool {
        self.interval != u32::MAX
    }
}

/// Per-replication simulation state: the components, each owning its
/// data; the dispatch handlers (this module's children) are the only code
/// that sees more than one of them.
pub(super) struct Replication<'a, R: Router> {
    scenario: &'a Scenario,
    router: R,
    events: EventQueue<Event>,
    /// Demand sources: generators and their random streams.
    arrivals: Arrivals,
    /// Contacts waiting for a human or the AI agent.
    room: WaitingRoom,
    /// AI sessions in progress; contacts in the IVR or waiting to try again.
    front_line: FrontLine,
    /// Agents, pools, sessions, team streams, shift calendar.
    staff: Workforce,
    /// Warm-up, measured window and intervals.
    clock: Horizon,
    /// Accumulators, service-level rules, the journey trace.
    rec: Recorder,
    /// Quality programme and back-office state.
    quality: quality::QualityState,
    /// Stops a replication that grows without bound (limits in `scenario::limits`).
    guard: Guard,
}

impl<'a, R: Router> Replication<'a, R> {
    /// Sets up replication `rep` of `scenario`.
    pub(super) fn new(
        scenario: &'a Scenario,
        router: R,
        rep: u32,
        retention: Retention,
        trace: Option<std::fs::File>,
    ) -> std::io::Result<Self> {
        let sim = &scenario.simulation;
        let n_channels = scenario.channels.len();
        // A backlog moves the clock origin back by its longest wait, so that
        // its contacts can carry arrival times in the past (0 without one).
        let lead_s = backlog::lead_s(scenario);
        let clock = Horizon::new(lead_s, sim.warmup_s, sim.horizon_s, sim.interval_s);
        let (warmup_end, horizon_end) = (clock.warmup_end(), clock.horizon_end());
        let shape = (
            sim.intervals(),
            n_channels,
            scenario.regions.len(),
            scenario.teams.len(),
            scenario.intents.len(),
        );
        let mut stats = match retention.resolve(scenario) {
            Retention::Memory | Retention::Auto => {
                ReplicationStats::new(shape.0, shape.1, shape.2, shape.3, shape.4)
            }
            Retention::Spill => ReplicationStats::spilled(
                shape.0,
                shape.1,
                shape.2,
                shape.3,
                shape.4,
                sim.interval_s,
            )?,
        };
        stats.tier = vec![ContactStats::default(); scenario.tiers.len()];
        stats.language = vec![ContactStats::default(); scenario.languages.len()];
        stats.quality = quality::stats(scenario);
        stats.weeks = vec![Default::default(); clock.weeks() * scenario.teams.len()];
        stats.causes = vec![0; crate::scenario::ai::CAUSES * n_channels];
        let arrivals = Arrivals::new(scenario, rep, warmup_end, horizon_end);
        let staff = Workforce::new(scenario, rep, sim.warmup_s + lead_s);
        let n_agents = staff.len();
        stats.size_agents(n_agents);
        let r = Replication {
            scenario,
            router,
            events: EventQueue::with_capacity(2 * n_agents + scenario.sources.len() + 1024),
            arrivals,
            room: WaitingRoom::new(n_channels),
            front_line: FrontLine::default(),
            staff,
            clock,
            rec: Recorder {
                stats,
                sl: scenario
                    .channels
                    .iter()
                    .map(|c| SlRule::of(&c.service_level))
                    .collect(),
                trace: trace.map(|file| Trace::new(file, rep)),
            },
            quality: quality::QualityState::new(scenario, rep, warmup_end),
            guard: Guard::default(),
        };
        Ok(r)
    }

    /// Runs to the end (arrivals stop at the horizon; the system then drains).
    pub(super) fn run(
        mut self,
        on_day: Option<&(dyn Fn() + Sync)>,
    ) -> Result<(ReplicationStats, Option<std::fs::File>), super::EngineError> {
        // The warm-up starts at 0, or later when a backlog needs a past.
        let start = self.clock.start();
        for s in 0..self.arrivals.len() as u32 {
            self.schedule_arrival(s, start);
        }
        self.start_agents(start);
        self.start_quality();
        self.inject_backlog(start);
        if self.clock.warmup_end() + DAY < self.clock.horizon_end() {
            self.events
                .push(self.clock.warmup_end() + DAY, Event::DayClose);
        }
        let mut events = 0u64;
        while let Some((now, event)) = self.events.pop() {
            events += 1;
            // Cooperative cancellation: a relaxed load every 65,536 events.
            // The runaway guard's event-queue check rides along.
            if events & 0xFFFF == 0 {
                if super::cancel_requested() {
                    // Partial statistics are never returned as a result.
                    return Err(super::EngineError::Interrupted);
                }
                self.guard.events(self.events.len(), now);
                if self.guard.tripped() {
                    break;
                }
            }
            match event {
                Event::Arrival { source } => self.on_arrival(now, source),
                Event::Abandon { slot, generation } => self.on_abandon(now, slot, generation),
                Event::ServiceEnd { session } => self.on_service_end(now, session),
                Event::WrapEnd { session } => self.finish_session(now, session),
                Event::ShiftStart { agent, seat_epoch } => {
                    self.on_shift_start(now, agent, seat_epoch)
                }
                Event::ShiftEnd { agent, shift_epoch } => {
                    self.on_shift_end(now, agent, shift_epoch)
                }
                Event::BreakStart {
                    agent,
                    index,
                    shift_epoch,
                } => self.on_break_due(now, agent, index, shift_epoch),
                Event::BreakEnd { agent } => self.on_break_end(now, agent),
                Event::WeekEnd { week } => self.on_week_end(now, week),
                Event::Hire { agent } => self.on_hire(now, agent),
                Event::StaffingStep { team } => self.on_staffing_step(now, team),
                Event::AiEnd { session } => self.on_ai_end(now, session),
                Event::IvrEnd { pending } => self.on_ivr_end(now, pending),
                Event::Retry { pending } => self.on_retry(now, pending),
                Event::Overflow { slot, generation } => self.on_overflow(now, slot, generation),
                Event::QualityReview { week } => self.on_quality_review(week),
                Event::CoachingEnd { agent } => self.on_coaching_end(now, agent),
                Event::DayClose => {
                    self.on_day_close(now);
                    if let Some(f) = on_day {
                        f();
                    }
                }
            }
        }
        if let Some(fault) = std::mem::take(&mut self.guard).into_fault() {
            return Err(super::EngineError::Runaway(fault));
        }
        let end = self.clock.horizon_end();
        self.flush_available(end);
        self.rec.stats.stranded = self.room.stranded();
        self.rec.stats.events = events;
        self.rec
            .stats
            .finish()
            .map_err(|e| super::EngineError::Spill(e.to_string()))?;
        let trace = self.rec.trace.take().map(Trace::finish).transpose().map_err(|e| {
            super::EngineError::Spill(format!(
                "cannot write the journey trace to a temporary file: {e} (set TMPDIR to a folder with space)"
            ))
        })?;
        // The horizon's last (possibly partial) day.
        if let Some(f) = on_day {
            f();
        }
        Ok((self.rec.stats, trace))
    }

    /// Reports a journey step to the trace, when tracing (one untaken branch otherwise).
    #[inline]
    pub fn trace(&mut self, now: SimTime, step: Step, c: &Contact, extra: Extra) {
        if let Some(t) = &mut self.rec.trace {
            t.step(self.scenario, &self.clock, now, step, c, extra);
        }
    }

    /// True when a journey trace is being written.
    #[inline]
    pub fn tracing(&self) -> bool {
        self.rec.trace.is_some()
    }

    /// A new journey's number in the trace (0 when not tracing).
    pub fn new_journey(&mut self) -> u32 {
        self.rec.trace.as_mut().map_or(0, Trace::new_journey)
    }

    /// Settles every agent's open availability up to `now`, then closes the
    /// intervals that ended a day or more ago. Runs in both retention modes at
    /// the same instants, so both see the same sequence of additions. Writes
    /// to a closed interval remain correct (see `metrics::window`); settling
    /// keeps the common one — agents on duty for days — from reaching it.
    fn on_day_close(&mut self, now: SimTime) {
        self.flush_available(now);
        let closed = self.clock.intervals_ended_before(now, DAY);
        self.rec.stats.close_before(closed);
        if now + DAY < self.clock.horizon_end() {
            self.events.push(now + DAY, Event::DayClose);
        }
    }

    fn schedule_arrival(&mut self, source: u32, now: SimTime) {
        if let Some(at) = self.arrivals.next_after(source, now) {
            self.events.push(at, Event::Arrival { source });
        }
    }

    /// Draws a new contact's attributes. Every draw is made for every arrival,
    /// whatever happens next, so each stream stays aligned across variants.
    fn new_contact(&mut self, now: SimTime, source: u32) -> (Contact, Option<f64>) {
        let id = self.new_journey();
        let interval = self.clock.interval_of(now);
        self.arrivals.draw(self.scenario, source, now, interval, id)
    }

    fn on_arrival(&mut self, now: SimTime, source: u32) {
        self.rec.stats.arrivals += 1; // throughput counter for `cxsim bench`
        self.schedule_arrival(source, now);
        let (contact, patience) = self.new_contact(now, source);
        self.admit(now, contact, patience);
    }

    /// A contact arrives (first time or again): counted, then sent to the
    /// front line of its channel (AI agent, IVR, or straight to humans).
    pub fn admit(&mut self, now: SimTime, contact: Contact, patience: Option<f64>) {
        if self.tracing() && contact.problem_first {
            self.trace(now, Step::Arrived, &contact, Extra::default());
        }
        let channel = contact.channel as usize;
        // With no front line the contact goes straight to humans: count it
        // there in the same accumulator update (one update per arrival).
        let direct = !self.router.uses_front_line()
            || !(self
                .scenario
                .ai_agent
                .as_ref()
                .is_some_and(|a| a.channels[channel])
                || self
                    .scenario
                    .ivr
                    .as_ref()
                    .is_some_and(|v| v.channels[channel]));
        if contact.measured() {
            let first = contact.problem_first;
            self.record(&contact, |cell| {
                cell.offered += 1;
                cell.problems += u64::from(first);
                cell.human_offered += u64::from(direct);
            });
        }
        if direct {
            self.place_with_humans(now, contact, patience);
        } else {
            self.front_door(now, contact, patience);
        }
    }

    /// Puts a contact in the human queue of its channel, or straight to an agent.
    pub fn queue_for_humans(&mut self, now: SimTime, contact: Contact, patience: Option<f64>) {
        if contact.measured() {
            self.record(&contact, |cell| cell.human_offered += 1);
        }
        self.place_with_humans(now, contact, patience);
    }

    /// Routes a contact (already counted as human-offered) to an agent or the queue.
    fn place_with_humans(&mut self, now: SimTime, mut contact: Contact, patience: Option<f64>) {
        contact.queued_at = now;
        if let Some(agent) = self.agent_for(now, &contact, 0.0) {
            self.start_service(now, agent, contact);
            return;
        }
        let patience = self.maybe_callback(now, &mut contact, patience);
        self.enqueue(now, contact, patience, false);
    }

    /// Parks a contact in a human queue (or the AI queue) with a patience timer.
    pub fn enqueue(&mut self, now: SimTime, contact: Contact, patience: Option<f64>, for_ai: bool) {
        let Some(Ticket { slot, generation }) = self.room.park(contact, for_ai) else {
            // The run stops at the next check; memory stays bounded.
            self.queue_full(contact.channel as usize, for_ai);
            return;
        };
        if self.tracing() {
            let extra = Extra {
                for_ai,
                ..Extra::default()
            };
            self.trace(now, Step::Queued, &contact, extra);
        }
        if let Some(p) = patience {
            self.events
                .push(now + ticks(p), Event::Abandon { slot, generation });
        }
        if !for_ai && let Some(after) = self.router.overflow_after_s() {
            self.events
                .push(now + ticks(after), Event::Overflow { slot, generation });
        }
    }

    /// Records why the waiting room is full (cold: once per runaway run).
    #[cold]
    fn queue_full(&mut self, channel: usize, for_ai: bool) {
        let name = self.scenario.channels[channel].name.clone();
        let limit = crate::scenario::limits::MAX_WAITING_CONTACTS;
        let fault = if for_ai {
            Runaway::AiQueue {
                limit,
                channel: name,
            }
        } else {
            Runaway::Queue {
                limit,
                channel: name,
                on_duty: self
                    .staff
                    .teams_for(channel)
                    .iter()
                    .map(|&t| self.staff.pools[t as usize].on_duty)
                    .sum(),
            }
        };
        self.guard.fail(fault);
    }

    /// Applies `update` to every accumulator a measured contact counts in.
    #[inline]
    pub fn record(&mut self, c: &Contact, update: impl Fn(&mut ContactStats)) {
        let stats = &mut self.rec.stats;
        update(stats.contact_mut(c.interval as usize, c.channel as usize, c.region as usize));
        update(stats.intent_mut(c.intent as usize, c.channel as usize));
        update(&mut stats.tier[c.tier as usize]);
        update(&mut stats.language[c.language as usize]);
    }

    fn on_abandon(&mut self, now: SimTime, slot: u32, generation: u32) {
        let Some((c, for_ai)) = self.room.leave(Ticket { slot, generation }) else {
            return; // answered already: the lazy timer is stale
        };
        self.trace(now, Step::Abandoned, &c, Extra::default());
        if c.measured() {
            let waited = now > c.arrival;
            let first = !c.answered_once;
            let human = !for_ai;
            let handoff_wait = if c.escalated {
                seconds(now - c.queued_at)
            } else {
                0.0
            };
            let rule = self.rec.sl[c.channel as usize];
            let short = now - c.queued_at < rule.short_abandon;
            let in_sl = rule.abandons_count && (!short || rule.short_count);
            self.record(&c, |cell| {
                cell.journey_abandoned += 1;
                if first {
                    cell.record_abandon(waited);
                    cell.abandoned_short += u64::from(short);
                    cell.sl_denominator += u64::from(in_sl);
                }
                if human {
                    cell.human_abandoned += 1;
                    cell.handoff_wait_s += handoff_wait;
                }
            });
        }
        // The queue entry stays behind and is skipped when it reaches the front.
        self.redial(now, c);
    }

    /// Adds agent time `[from, to)` to the intervals it overlaps in the
    /// measured window, through `field`.
    pub fn record_time(
        &mut self,
        team: usize,
        from: SimTime,
        to: SimTime,
        field: fn(&mut crate::metrics::TeamStats) -> &mut f64,
    ) {
        let stats = &mut self.rec.stats;
        self.clock.split(from, to, |interval, s| {
            *field(stats.team_mut(interval, team)) += s
        });
    }

    /// Adds agent `agent`'s time `[from, to)`, clipped to the measured
    /// window, to its per-seat cell through `field` (per-agent fairness).
    pub fn record_agent_time(
        &mut self,
        agent: u32,
        from: SimTime,
        to: SimTime,
        field: fn(&mut crate::metrics::AgentTime) -> &mut f64,
    ) {
        let cell = field(self.rec.stats.agent_mut(agent as usize));
        self.clock.split(from, to, |_, s| *cell += s);
    }

    /// The (interval, team) cell at `t`, if measured.
    #[inline]
    pub fn team_cell(&mut self, team: usize, t: SimTime) -> Option<&mut crate::metrics::TeamStats> {
        let i = self.clock.interval_of(t);
        (i != u32::MAX).then(|| self.rec.stats.team_mut(i as usize, team))
    }

    /// True when the team staffs seats around the clock.
    pub fn always_on(&self, team: usize) -> bool {
        matches!(
            self.scenario.teams[team].staffing,
            Staffing::AlwaysOn { .. }
        )
    }

    /// Live waiting contacts in `channels`.
    pub fn waiting_in(&self, channels: &[usize]) -> u32 {
        self.room.waiting_in(channels)
    }

    /// Contacts waiting anywhere.
    pub fn any_waiting(&self) -> bool {
        self.room.any_waiting()
    }
}
