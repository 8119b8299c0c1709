//! One replication: state, setup, the event loop, arrivals and abandonment.
//! The agents' rules are the workforce component's (`engine/workforce/`);
//! its events (shifts, breaks, staffing steps, attrition) are handled in
//! `agents.rs`; service, wrap-up and routing choices in `service.rs`.

use super::arrivals::Arrivals;
use super::clock::{DAY, Horizon};
use super::front_line::FrontLine;
use super::guard::{Guard, Runaway};
use super::quality::QualityState;
use super::queue::{EventQueue, SimTime, ticks};
use super::record::{Recorder, Recorders};
use super::waiting::{Ticket, WaitingRoom};
use crate::metrics::{ReplicationStats, Retention};
use crate::routing::Router;
use crate::scenario::Scenario;

mod agents;
mod backlog;
mod front;
#[cfg(test)]
mod invariants;
mod quality;
mod service;

use super::workforce::Workforce;

pub(super) use super::contact::Contact;

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
    staff: Workforce<'a>,
    /// Warm-up, measured window and intervals.
    clock: Horizon,
    /// Where handlers report what happened: the metrics, the journey trace.
    rec: Recorders<'a>,
    /// Quality programme and back-office state.
    quality: QualityState<'a>,
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
        let arrivals = Arrivals::new(scenario, rep, warmup_end, horizon_end);
        let staff = Workforce::new(scenario, rep, sim.warmup_s + lead_s);
        let n_agents = staff.len();
        let r = Replication {
            scenario,
            router,
            events: EventQueue::with_capacity(2 * n_agents + scenario.sources.len() + 1024),
            arrivals,
            room: WaitingRoom::new(n_channels),
            front_line: FrontLine::default(),
            staff,
            clock,
            rec: Recorders::new(scenario, clock, retention, rep, trace)?,
            quality: QualityState::new(scenario, rep, clock),
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
        self.staff.flush_available(end, &mut self.rec);
        let stranded = self.room.stranded();
        let out = self.rec.finish(events, self.arrivals.drawn(), stranded)?;
        // The horizon's last (possibly partial) day.
        if let Some(f) = on_day {
            f();
        }
        Ok(out)
    }

    /// Settles every agent's open availability up to `now`, then closes the
    /// intervals that ended a day or more ago. Runs in both retention modes at
    /// the same instants, so both see the same sequence of additions. Writes
    /// to a closed interval remain correct (see `metrics::window`); settling
    /// keeps the common one — agents on duty for days — from reaching it.
    fn on_day_close(&mut self, now: SimTime) {
        self.staff.flush_available(now, &mut self.rec);
        self.rec.day_closed(now);
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
        let id = self.rec.new_journey();
        let interval = self.clock.interval_of(now);
        self.arrivals.draw(self.scenario, source, now, interval, id)
    }

    fn on_arrival(&mut self, now: SimTime, source: u32) {
        self.schedule_arrival(source, now);
        let (contact, patience) = self.new_contact(now, source);
        self.admit(now, contact, patience);
    }

    /// A contact arrives (first time or again): counted, then sent to the
    /// front line of its channel (AI agent, IVR, or straight to humans).
    pub fn admit(&mut self, now: SimTime, contact: Contact, patience: Option<f64>) {
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
        self.rec.offered(now, &contact, direct);
        if direct {
            self.place_with_humans(now, contact, patience);
        } else {
            self.front_door(now, contact, patience);
        }
    }

    /// Puts a contact in the human queue of its channel, or straight to an agent.
    pub fn queue_for_humans(&mut self, now: SimTime, contact: Contact, patience: Option<f64>) {
        self.rec.offered_to_humans(now, &contact);
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
        self.rec.queued(now, &contact, for_ai);
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
                on_duty: self.staff.on_duty_for(channel),
            }
        };
        self.guard.fail(fault);
    }

    fn on_abandon(&mut self, now: SimTime, slot: u32, generation: u32) {
        let Some((c, for_ai)) = self.room.leave(Ticket { slot, generation }) else {
            return; // answered already: the lazy timer is stale
        };
        self.rec.abandoned(now, &c, for_ai);
        // The queue entry stays behind and is skipped when it reaches the front.
        self.redial(now, c);
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
