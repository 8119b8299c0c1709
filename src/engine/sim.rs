//! One replication: state, setup, the event loop, arrivals and abandonment.
//! Agents (shifts, breaks, attrition) are in `agents.rs`; service, wrap-up and
//! routing choices in `service.rs`.

use super::calendar::Calendar;
use super::queue::{EventQueue, SimTime, seconds, ticks};
use super::rng::{Purpose, SimRng, stream};
use crate::demand::{
    ArrivalGenerator, day_factors, days_before_horizon, simulated_days, three_uniforms,
};
use crate::metrics::{ContactStats, ReplicationStats, Retention};
use crate::routing::Router;
use crate::scenario::{Dist, Scenario, Staffing};
use chrono::Datelike;
use rand::Rng;
use std::collections::VecDeque;

mod backlog;

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
}

impl Contact {
    pub fn measured(&self) -> bool {
        self.interval != u32::MAX
    }
}

/// A contact waiting in a channel queue; the slot is freed when it leaves the queue.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Waiting {
    pub contact: Contact,
    pub generation: u32,
    pub active: bool,
    /// Waiting for the AI agent rather than a human.
    pub for_ai: bool,
}

/// A queue entry: the slot and the generation that was current when queued.
#[derive(Debug, Clone, Copy)]
pub(super) struct QueueEntry {
    pub slot: u32,
    pub generation: u32,
}

/// Per-source generator and random streams.
pub(super) struct SourceState {
    generator: ArrivalGenerator,
    channel: u16,
    region: u16,
    arrivals: SimRng,
    attributes: SimRng,
    patience: SimRng,
    pub work: SimRng,
    pub ai: SimRng,
    pub escalation: SimRng,
    pub retry: SimRng,
}

/// Per-team random streams.
pub(super) struct TeamRngs {
    pub service: SimRng,
    pub wrap: SimRng,
    pub outcome: SimRng,
    pub roster: SimRng,
}

/// Per-replication simulation state.
pub(super) struct Replication<'a, R: Router> {
    pub scenario: &'a Scenario,
    pub router: R,
    pub events: EventQueue<Event>,
    pub sources: Vec<SourceState>,
    pub slots: Vec<Waiting>,
    /// The AI agent's queue (when contacts wait for AI capacity).
    pub ai_queue: VecDeque<QueueEntry>,
    /// AI sessions in progress.
    pub ai_busy: u32,
    pub ai_sessions: super::front::AiSessions,
    /// Contacts between events: in the IVR, or waiting to try again.
    pub pending: super::front::Pending,
    /// Recent mean handle time per channel, for callback wait estimates.
    pub recent_aht_s: Vec<f64>,
    free_slots: Vec<u32>,
    pub queues: Vec<VecDeque<QueueEntry>>,
    /// Live waiting contacts per channel (queues also hold stale entries).
    pub waiting: Vec<u32>,
    pub agents: Vec<super::agents::Agent>,
    pub pools: Vec<super::agents::Pool>,
    pub sessions: super::service::Sessions,
    /// Teams serving each channel.
    pub channel_teams: Vec<Vec<u32>>,
    pub patience: Vec<Option<Dist>>,
    /// Intent handle time per (intent, channel), row-major.
    intent_work: Vec<Option<Dist>>,
    pub sl_within: Vec<SimTime>,
    pub team_rngs: Vec<TeamRngs>,
    pub calendar: Calendar,
    pub warmup_end: SimTime,
    pub horizon_end: SimTime,
    pub interval_ticks: SimTime,
    pub stats: ReplicationStats,
    /// Quality programme and back-office state.
    pub quality: super::quality::QualityState,
    /// One stream per `[[backlog]]` entry.
    backlog_rngs: Vec<SimRng>,
}

impl<'a, R: Router> Replication<'a, R> {
    /// Sets up replication `rep` of `scenario`.
    pub(super) fn new(
        scenario: &'a Scenario,
        rep: u32,
        retention: Retention,
    ) -> std::io::Result<Self> {
        let sim = &scenario.simulation;
        let seed = sim.seed;
        let n_channels = scenario.channels.len();
        let channel_teams = (0..n_channels)
            .map(|c| {
                (0..scenario.teams.len() as u32)
                    .filter(|&t| scenario.teams[t as usize].channels.contains(&c))
                    .collect()
            })
            .collect();
        // A backlog moves the clock origin back by its longest wait, so that
        // its contacts can carry arrival times in the past (0 without one).
        let lead_s = backlog::lead_s(scenario);
        let warmup_end = ticks(sim.warmup_s + lead_s);
        let horizon_end = warmup_end + ticks(sim.horizon_s);
        let interval_ticks = ticks(sim.interval_s);
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
        // Day multipliers are drawn per region, so every channel of a region
        // shares a busy day, from a stream that nothing else touches.
        let days_before = days_before_horizon(warmup_end);
        let total_days = simulated_days(warmup_end, horizon_end);
        let region_days: Vec<Vec<f64>> = scenario
            .regions
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let mut rng = stream(seed, rep, Purpose::DayFactor, ri as u32);
                day_factors(r.day_cv, &r.special_days, days_before, total_days, &mut rng)
            })
            .collect();
        let sources = scenario
            .sources
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let i = si as u32;
                SourceState {
                    generator: ArrivalGenerator::new(
                        &s.rate,
                        warmup_end,
                        horizon_end,
                        region_days[s.region].clone(),
                    ),
                    channel: s.channel as u16,
                    region: s.region as u16,
                    arrivals: stream(seed, rep, Purpose::Arrivals, i),
                    attributes: stream(seed, rep, Purpose::Attributes, i),
                    patience: stream(seed, rep, Purpose::Patience, i),
                    work: stream(seed, rep, Purpose::Work, i),
                    ai: stream(seed, rep, Purpose::AiOutcome, i),
                    escalation: stream(seed, rep, Purpose::Escalation, i),
                    retry: stream(seed, rep, Purpose::Retry, i),
                }
            })
            .collect();
        let intent_work = scenario
            .intents
            .iter()
            .flat_map(|it| it.handle_time.iter().copied())
            .collect();
        let team_rngs = (0..scenario.teams.len() as u32)
            .map(|i| TeamRngs {
                service: stream(seed, rep, Purpose::Service, i),
                wrap: stream(seed, rep, Purpose::WrapUp, i),
                outcome: stream(seed, rep, Purpose::Outcome, i),
                roster: stream(seed, rep, Purpose::Roster, i),
            })
            .collect();
        let start_weekday = scenario
            .start_date
            .map_or(0, |d| d.weekday().num_days_from_monday());
        let (agents, pools) = super::agents::build(scenario);
        let n_agents = agents.len();
        let mut r = Replication {
            scenario,
            router: R::new(scenario),
            events: EventQueue::with_capacity(2 * n_agents + scenario.sources.len() + 1024),
            sources,
            slots: Vec::with_capacity(1024),
            ai_queue: VecDeque::new(),
            ai_busy: 0,
            ai_sessions: Default::default(),
            pending: Default::default(),
            recent_aht_s: vec![300.0; n_channels],
            free_slots: Vec::with_capacity(1024),
            queues: vec![VecDeque::with_capacity(1024); n_channels],
            waiting: vec![0; n_channels],
            agents,
            pools,
            sessions: super::service::Sessions::with_capacity(n_agents),
            channel_teams,
            patience: scenario.channels.iter().map(|c| c.patience).collect(),
            intent_work,
            sl_within: scenario
                .channels
                .iter()
                .map(|c| ticks(c.service_level.within_s))
                .collect(),
            team_rngs,
            calendar: Calendar::new(sim.warmup_s + lead_s, start_weekday),
            warmup_end,
            horizon_end,
            interval_ticks,
            stats,
            quality: super::quality::QualityState::new(scenario, rep, warmup_end),
            backlog_rngs: backlog::rngs(scenario, rep),
        };
        r.stats.quality = super::quality::stats(scenario);
        r.stats.weeks = vec![Default::default(); r.weeks() * scenario.teams.len()];
        r.stats.causes = vec![0; crate::scenario::ai::CAUSES * n_channels];
        Ok(r)
    }

    /// Whole weeks in the horizon (attrition is reviewed at each week's end).
    pub fn weeks(&self) -> usize {
        ((self.horizon_end - self.warmup_end) / ticks(7.0 * 86_400.0)) as usize
    }

    /// Runs to the end (arrivals stop at the horizon; the system then drains).
    pub(super) fn run(
        mut self,
        on_day: Option<&(dyn Fn() + Sync)>,
    ) -> std::io::Result<ReplicationStats> {
        // The warm-up starts at 0, or later when a backlog needs a past.
        let start = self.warmup_end - ticks(self.scenario.simulation.warmup_s);
        for s in 0..self.sources.len() as u32 {
            self.schedule_arrival(s, start);
        }
        self.start_agents(start);
        self.start_quality();
        self.inject_backlog(start);
        if self.warmup_end + DAY < self.horizon_end {
            self.events.push(self.warmup_end + DAY, Event::DayClose);
        }
        let mut events = 0u64;
        while let Some((now, event)) = self.events.pop() {
            events += 1;
            // Cooperative cancellation: a relaxed load every 65,536 events.
            if events & 0xFFFF == 0 && super::cancel_requested() {
                break;
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
        let end = self.horizon_end;
        self.flush_available(end);
        self.stats.stranded = self.slots.iter().filter(|w| w.active).count() as u64;
        self.stats.events = events;
        self.stats.finish()?;
        // The horizon's last (possibly partial) day.
        if let Some(f) = on_day {
            f();
        }
        Ok(self.stats)
    }

    /// Settles every agent's open availability up to `now`, then closes the
    /// intervals that ended a day or more ago. Runs in both retention modes at
    /// the same instants, so both see the same sequence of additions. Writes
    /// to a closed interval remain correct (see `metrics::window`); settling
    /// keeps the common one — agents on duty for days — from reaching it.
    fn on_day_close(&mut self, now: SimTime) {
        self.flush_available(now);
        let closed = (now - DAY - self.warmup_end) / self.interval_ticks;
        self.stats.close_before(closed as usize);
        if now + DAY < self.horizon_end {
            self.events.push(now + DAY, Event::DayClose);
        }
    }

    fn schedule_arrival(&mut self, source: u32, now: SimTime) {
        let s = &mut self.sources[source as usize];
        if let Some(at) = s.generator.next_after(now, &mut s.arrivals) {
            self.events.push(at, Event::Arrival { source });
        }
    }

    #[inline]
    pub fn interval_of(&self, t: SimTime) -> u32 {
        if t >= self.warmup_end && t < self.horizon_end {
            ((t - self.warmup_end) / self.interval_ticks) as u32
        } else {
            u32::MAX
        }
    }

    /// Draws a new contact's attributes. Every draw is made for every arrival,
    /// whatever happens next, so each stream stays aligned across variants.
    fn new_contact(&mut self, now: SimTime, source: u32) -> (Contact, Option<f64>) {
        let interval = self.interval_of(now);
        let spec = &self.scenario.sources[source as usize];
        let s = &mut self.sources[source as usize];
        let [u_intent, u_language, u_tier] = three_uniforms(s.attributes.next_u64());
        let intent = spec.intent_mix.pick(u_intent);
        let language = spec.language_mix.pick(u_language);
        let tier = spec.tier_mix.pick(u_tier);
        let channel = s.channel as usize;
        let patience = self.patience[channel].map(|d| d.sample(&mut s.patience));
        let n_channels = self.scenario.channels.len();
        let work_s = match self.intent_work[intent * n_channels + channel] {
            Some(d) => d.sample(&mut s.work),
            None => -1.0,
        };
        let contact = Contact {
            arrival: now,
            interval,
            channel: s.channel,
            region: s.region,
            intent: intent as u16,
            language: language as u16,
            tier: tier as u16,
            work_s,
            source: source as u16,
            queued_at: now,
            problem_first: true,
            ..Contact::default()
        };
        (contact, patience)
    }

    fn on_arrival(&mut self, now: SimTime, source: u32) {
        self.stats.arrivals += 1; // throughput counter for `cxsim bench`
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
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(Waiting::default());
                (self.slots.len() - 1) as u32
            }
        };
        let w = &mut self.slots[slot as usize];
        w.contact = contact;
        w.active = true;
        w.for_ai = for_ai;
        let generation = w.generation;
        let entry = QueueEntry { slot, generation };
        if for_ai {
            self.ai_queue.push_back(entry);
        } else {
            self.queues[contact.channel as usize].push_back(entry);
            self.waiting[contact.channel as usize] += 1;
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

    /// Applies `update` to every accumulator a measured contact counts in.
    #[inline]
    pub fn record(&mut self, c: &Contact, update: impl Fn(&mut ContactStats)) {
        let stats = &mut self.stats;
        update(stats.contact_mut(c.interval as usize, c.channel as usize, c.region as usize));
        update(stats.intent_mut(c.intent as usize, c.channel as usize));
        update(&mut stats.tier[c.tier as usize]);
        update(&mut stats.language[c.language as usize]);
    }

    /// Takes a waiting contact out of its slot (it is being answered).
    pub fn take_waiting(&mut self, slot: u32) -> Contact {
        let w = self.slots[slot as usize];
        self.release_slot(slot);
        if !w.for_ai {
            self.waiting[w.contact.channel as usize] -= 1;
        }
        w.contact
    }

    fn release_slot(&mut self, slot: u32) {
        let w = &mut self.slots[slot as usize];
        w.active = false;
        w.generation = w.generation.wrapping_add(1);
        self.free_slots.push(slot);
    }

    fn on_abandon(&mut self, now: SimTime, slot: u32, generation: u32) {
        let w = self.slots[slot as usize];
        if !w.active || w.generation != generation {
            return; // answered already: the lazy timer is stale
        }
        let c = w.contact;
        if c.measured() {
            let waited = now > c.arrival;
            let first = !c.answered_once;
            let human = !w.for_ai;
            let handoff_wait = if c.escalated {
                seconds(now - c.queued_at)
            } else {
                0.0
            };
            self.record(&c, |cell| {
                if first {
                    cell.record_abandon(waited);
                }
                if human {
                    cell.human_abandoned += 1;
                    cell.handoff_wait_s += handoff_wait;
                }
            });
        }
        // The queue entry stays behind and is skipped when it reaches the front.
        self.release_slot(slot);
        if !w.for_ai {
            self.waiting[c.channel as usize] -= 1;
        }
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
        let from = from.max(self.warmup_end);
        let to = to.min(self.horizon_end);
        let mut t = from;
        while t < to {
            let interval = (t - self.warmup_end) / self.interval_ticks;
            let end = (self.warmup_end + (interval + 1) * self.interval_ticks).min(to);
            *field(self.stats.team_mut(interval as usize, team)) += seconds(end - t);
            t = end;
        }
    }

    /// The (interval, team) cell at `t`, if measured.
    pub fn team_cell(&mut self, team: usize, t: SimTime) -> Option<&mut crate::metrics::TeamStats> {
        let i = self.interval_of(t);
        (i != u32::MAX).then(|| self.stats.team_mut(i as usize, team))
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
        channels.iter().map(|&c| self.waiting[c]).sum()
    }

    /// Contacts waiting anywhere.
    pub fn any_waiting(&self) -> bool {
        self.waiting.iter().any(|&w| w > 0)
    }
}
