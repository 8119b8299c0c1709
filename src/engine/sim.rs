//! One replication: the event loop.

use super::queue::{EventQueue, SimTime, seconds, ticks};
use super::rng::{Purpose, SimRng, stream};
use crate::demand::{
    ArrivalGenerator, day_factors, days_before_horizon, simulated_days, three_uniforms,
};
use crate::metrics::{ContactStats, ReplicationStats};
use crate::scenario::{Dist, Scenario};
use rand::Rng;
use std::collections::VecDeque;

/// The closed set of events. Small and `Copy`: no allocation per event.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// The next arrival of demand source `source`.
    Arrival { source: u32 },
    /// A waiting contact's patience runs out (ignored if it was answered: lazy).
    Abandon { slot: u32, generation: u32 },
    /// An agent finishes its contact.
    ServiceEnd { agent: u32 },
}

/// What travels with a contact from arrival to the end of its service.
#[derive(Debug, Clone, Copy, Default)]
struct Contact {
    arrival: SimTime,
    /// Interval of arrival, or `u32::MAX` when not measured.
    interval: u32,
    channel: u16,
    region: u16,
    intent: u16,
    language: u16,
    tier: u16,
    /// Base handle time from the intent (seconds), or negative when the team's applies.
    work_s: f64,
}

impl Contact {
    fn measured(&self) -> bool {
        self.interval != u32::MAX
    }
}

/// A contact waiting in a channel queue; the slot is freed when it leaves the queue.
#[derive(Debug, Clone, Copy, Default)]
struct Waiting {
    contact: Contact,
    generation: u32,
    active: bool,
}

/// A queue entry: the slot and the generation that was current when queued.
#[derive(Debug, Clone, Copy)]
struct QueueEntry {
    slot: u32,
    generation: u32,
    arrival: SimTime,
}

#[derive(Debug, Clone, Copy)]
struct Agent {
    team: u32,
    idle_since: SimTime,
    busy_since: SimTime,
}

/// Per-source generator and random streams.
struct SourceState {
    generator: ArrivalGenerator,
    channel: u16,
    region: u16,
    arrivals: SimRng,
    attributes: SimRng,
    patience: SimRng,
    work: SimRng,
}

/// Per-replication simulation state.
pub(super) struct Replication<'a> {
    scenario: &'a Scenario,
    events: EventQueue<Event>,
    sources: Vec<SourceState>,
    slots: Vec<Waiting>,
    free_slots: Vec<u32>,
    queues: Vec<VecDeque<QueueEntry>>,
    idle: Vec<VecDeque<u32>>,
    agents: Vec<Agent>,
    /// Teams serving each channel.
    channel_teams: Vec<Vec<u32>>,
    patience: Vec<Option<Dist>>,
    /// Intent handle time per (intent, channel), row-major.
    intent_work: Vec<Option<Dist>>,
    sl_within: Vec<SimTime>,
    service_rngs: Vec<SimRng>,
    warmup_end: SimTime,
    horizon_end: SimTime,
    interval_ticks: SimTime,
    stats: ReplicationStats,
}

impl<'a> Replication<'a> {
    /// Sets up replication `rep` of `scenario` with all agents idle.
    pub(super) fn new(scenario: &'a Scenario, rep: u32) -> Self {
        let sim = &scenario.simulation;
        let seed = sim.seed;
        let n_channels = scenario.channels.len();
        let mut agents = Vec::new();
        let mut idle = Vec::with_capacity(scenario.teams.len());
        for (ti, team) in scenario.teams.iter().enumerate() {
            let mut team_idle = VecDeque::with_capacity(team.agents as usize);
            for _ in 0..team.agents {
                team_idle.push_back(agents.len() as u32);
                agents.push(Agent {
                    team: ti as u32,
                    idle_since: 0,
                    busy_since: 0,
                });
            }
            idle.push(team_idle);
        }
        let channel_teams = (0..n_channels)
            .map(|c| {
                (0..scenario.teams.len() as u32)
                    .filter(|&t| scenario.teams[t as usize].channels.contains(&c))
                    .collect()
            })
            .collect();
        let warmup_end = ticks(sim.warmup_s);
        let horizon_end = warmup_end + ticks(sim.horizon_s);
        let interval_ticks = ticks(sim.interval_s);
        let mut stats = ReplicationStats::new(
            sim.intervals(),
            n_channels,
            scenario.regions.len(),
            scenario.teams.len(),
            scenario.intents.len(),
        );
        stats.tier = vec![ContactStats::default(); scenario.tiers.len()];
        stats.language = vec![ContactStats::default(); scenario.languages.len()];
        // Agents are always on duty: available time is every agent over every interval.
        for i in 0..stats.intervals {
            let start = warmup_end + i as SimTime * interval_ticks;
            let len_s = seconds(horizon_end.min(start + interval_ticks) - start);
            for (ti, team) in scenario.teams.iter().enumerate() {
                stats.team_mut(i, ti).available_s = len_s * f64::from(team.agents);
            }
        }
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
                }
            })
            .collect();
        let intent_work = scenario
            .intents
            .iter()
            .flat_map(|it| it.handle_time.iter().copied())
            .collect();
        Replication {
            scenario,
            events: EventQueue::with_capacity(agents.len() + scenario.sources.len() + 1024),
            sources,
            slots: Vec::with_capacity(1024),
            free_slots: Vec::with_capacity(1024),
            queues: vec![VecDeque::with_capacity(1024); n_channels],
            idle,
            agents,
            channel_teams,
            patience: scenario.channels.iter().map(|c| c.patience).collect(),
            intent_work,
            sl_within: scenario
                .channels
                .iter()
                .map(|c| ticks(c.service_level.within_s))
                .collect(),
            service_rngs: (0..scenario.teams.len() as u32)
                .map(|i| stream(seed, rep, Purpose::Service, i))
                .collect(),
            warmup_end,
            horizon_end,
            interval_ticks,
            stats,
        }
    }

    /// Runs to the end (arrivals stop at the horizon; the system then drains).
    pub(super) fn run(mut self) -> ReplicationStats {
        for s in 0..self.sources.len() as u32 {
            self.schedule_arrival(s, 0);
        }
        let mut events = 0u64;
        while let Some((now, event)) = self.events.pop() {
            events += 1;
            match event {
                Event::Arrival { source } => self.on_arrival(now, source),
                Event::Abandon { slot, generation } => self.on_abandon(now, slot, generation),
                Event::ServiceEnd { agent } => self.on_service_end(now, agent),
            }
        }
        self.stats.stranded = self.slots.iter().filter(|w| w.active).count() as u64;
        self.stats.events = events;
        self.stats
    }

    fn schedule_arrival(&mut self, source: u32, now: SimTime) {
        let s = &mut self.sources[source as usize];
        if let Some(at) = s.generator.next_after(now, &mut s.arrivals) {
            self.events.push(at, Event::Arrival { source });
        }
    }

    #[inline]
    fn interval_of(&self, t: SimTime) -> u32 {
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
        };
        (contact, patience)
    }

    fn on_arrival(&mut self, now: SimTime, source: u32) {
        self.stats.arrivals += 1; // throughput counter for `cxsim bench` (scale branch)
        self.schedule_arrival(source, now);
        let (contact, patience) = self.new_contact(now, source);
        if contact.measured() {
            self.record(&contact, |cell| cell.offered += 1);
        }
        if let Some(agent) = self.longest_idle_agent(contact.channel) {
            self.start_service(now, agent, contact);
            return;
        }
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
        let generation = w.generation;
        self.queues[contact.channel as usize].push_back(QueueEntry {
            slot,
            generation,
            arrival: now,
        });
        if let Some(p) = patience {
            self.events
                .push(now + ticks(p), Event::Abandon { slot, generation });
        }
    }

    /// Applies `update` to every accumulator a measured contact counts in.
    #[inline]
    fn record(&mut self, c: &Contact, update: impl Fn(&mut ContactStats)) {
        let stats = &mut self.stats;
        update(stats.contact_mut(c.interval as usize, c.channel as usize, c.region as usize));
        update(stats.intent_mut(c.intent as usize, c.channel as usize));
        update(&mut stats.tier[c.tier as usize]);
        update(&mut stats.language[c.language as usize]);
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
            self.record(&c, |cell| cell.record_abandon(waited));
        }
        // The queue entry stays behind and is skipped when it reaches the front.
        self.release_slot(slot);
    }

    fn longest_idle_agent(&mut self, channel: u16) -> Option<u32> {
        let teams = &self.channel_teams[channel as usize];
        let mut best: Option<(SimTime, u32)> = None;
        for &t in teams {
            if let Some(&a) = self.idle[t as usize].front() {
                let since = self.agents[a as usize].idle_since;
                if best.is_none_or(|(s, _)| since < s) {
                    best = Some((since, t));
                }
            }
        }
        best.and_then(|(_, t)| self.idle[t as usize].pop_front())
    }

    fn start_service(&mut self, now: SimTime, agent: u32, c: Contact) {
        let team = self.agents[agent as usize].team as usize;
        let handle_s = if c.work_s >= 0.0 {
            c.work_s
        } else {
            // Validation guarantees a team handle time when the intent has none.
            self.scenario.teams[team]
                .handle_time
                .map_or(0.0, |d| d.sample(&mut self.service_rngs[team]))
        };
        self.agents[agent as usize].busy_since = now;
        let wait = now - c.arrival;
        if c.measured() {
            let within = wait <= self.sl_within[c.channel as usize];
            let wait_s = seconds(wait);
            self.record(&c, |cell| cell.record_answer(wait_s, within, handle_s));
        }
        self.events
            .push(now + ticks(handle_s), Event::ServiceEnd { agent });
    }

    fn on_service_end(&mut self, now: SimTime, agent: u32) {
        let a = self.agents[agent as usize];
        self.record_busy(a.team as usize, a.busy_since, now);
        if let Some(slot) = self.oldest_waiting(a.team as usize) {
            let contact = self.slots[slot as usize].contact;
            self.release_slot(slot);
            self.start_service(now, agent, contact);
        } else {
            self.agents[agent as usize].idle_since = now;
            self.idle[a.team as usize].push_back(agent);
        }
    }

    /// The slot of the longest-waiting live contact among the team's channels,
    /// removed from its queue.
    fn oldest_waiting(&mut self, team: usize) -> Option<u32> {
        let mut best: Option<(SimTime, usize)> = None;
        for &c in &self.scenario.teams[team].channels {
            let queue = &mut self.queues[c];
            // Drop stale entries (abandoned contacts) from the front.
            while let Some(e) = queue.front() {
                let w = &self.slots[e.slot as usize];
                if w.active && w.generation == e.generation {
                    break;
                }
                queue.pop_front();
            }
            if let Some(e) = queue.front()
                && best.is_none_or(|(t, _)| e.arrival < t)
            {
                best = Some((e.arrival, c));
            }
        }
        let (_, channel) = best?;
        self.queues[channel].pop_front().map(|e| e.slot)
    }

    /// Adds busy time `[from, to)` to the intervals it overlaps in the measured window.
    fn record_busy(&mut self, team: usize, from: SimTime, to: SimTime) {
        let from = from.max(self.warmup_end);
        let to = to.min(self.horizon_end);
        let mut t = from;
        while t < to {
            let interval = (t - self.warmup_end) / self.interval_ticks;
            let end = (self.warmup_end + (interval + 1) * self.interval_ticks).min(to);
            self.stats.team_mut(interval as usize, team).busy_s += seconds(end - t);
            t = end;
        }
    }
}
