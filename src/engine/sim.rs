//! One replication: the event loop.

use super::queue::{EventQueue, SimTime, seconds, ticks};
use super::rng::{Purpose, SimRng, stream};
use crate::metrics::ReplicationStats;
use crate::scenario::{Dist, Scenario};
use rand_distr::{Distribution, Exp1};
use std::collections::VecDeque;

/// The closed set of events. Small and `Copy`: no allocation per event.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// The next arrival of demand stream `stream`.
    Arrival { stream: u32 },
    /// A waiting contact's patience runs out (ignored if it was answered: lazy).
    Abandon { slot: u32, generation: u32 },
    /// An agent finishes its contact.
    ServiceEnd { agent: u32 },
}

/// A contact waiting in a channel queue; the slot is freed when it leaves the queue.
#[derive(Debug, Clone, Copy)]
struct Waiting {
    arrival: SimTime,
    channel: u32,
    generation: u32,
    /// Interval of arrival, or `u32::MAX` when not measured.
    interval: u32,
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

/// Per-replication simulation state.
pub(super) struct Replication<'a> {
    scenario: &'a Scenario,
    events: EventQueue<Event>,
    slots: Vec<Waiting>,
    free_slots: Vec<u32>,
    queues: Vec<VecDeque<QueueEntry>>,
    idle: Vec<VecDeque<u32>>,
    agents: Vec<Agent>,
    /// Teams serving each channel.
    channel_teams: Vec<Vec<u32>>,
    stream_rate_per_s: Vec<f64>,
    stream_channel: Vec<u32>,
    patience: Vec<Option<Dist>>,
    sl_within: Vec<SimTime>,
    arrival_rngs: Vec<SimRng>,
    patience_rngs: Vec<SimRng>,
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
        let mut stats = ReplicationStats::new(sim.intervals(), n_channels, scenario.teams.len());
        // Agents are always on duty: available time is every agent over every interval.
        for i in 0..stats.intervals {
            let start = warmup_end + i as SimTime * interval_ticks;
            let len_s = seconds(horizon_end.min(start + interval_ticks) - start);
            for (ti, team) in scenario.teams.iter().enumerate() {
                stats.team_mut(i, ti).available_s = len_s * f64::from(team.agents);
            }
        }
        let streams = &scenario.streams;
        Replication {
            scenario,
            events: EventQueue::with_capacity(agents.len() + streams.len() + 1024),
            slots: Vec::with_capacity(1024),
            free_slots: Vec::with_capacity(1024),
            queues: vec![VecDeque::with_capacity(1024); n_channels],
            idle,
            agents,
            channel_teams,
            stream_rate_per_s: streams.iter().map(|s| s.rate_per_hour / 3600.0).collect(),
            stream_channel: streams.iter().map(|s| s.channel as u32).collect(),
            patience: scenario.channels.iter().map(|c| c.patience).collect(),
            sl_within: scenario
                .channels
                .iter()
                .map(|c| ticks(c.service_level.within_s))
                .collect(),
            arrival_rngs: (0..streams.len() as u32)
                .map(|i| stream(seed, rep, Purpose::Arrivals, i))
                .collect(),
            patience_rngs: (0..streams.len() as u32)
                .map(|i| stream(seed, rep, Purpose::Patience, i))
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
        for s in 0..self.stream_rate_per_s.len() as u32 {
            self.schedule_arrival(s, 0);
        }
        let mut events = 0u64;
        while let Some((now, event)) = self.events.pop() {
            events += 1;
            match event {
                Event::Arrival { stream } => self.on_arrival(now, stream),
                Event::Abandon { slot, generation } => self.on_abandon(now, slot, generation),
                Event::ServiceEnd { agent } => self.on_service_end(now, agent),
            }
        }
        self.stats.stranded = self.slots.iter().filter(|w| w.active).count() as u64;
        self.stats.events = events;
        self.stats
    }

    fn schedule_arrival(&mut self, stream: u32, now: SimTime) {
        let rate = self.stream_rate_per_s[stream as usize];
        if rate <= 0.0 {
            return;
        }
        let gap: f64 = Exp1.sample(&mut self.arrival_rngs[stream as usize]);
        let at = now + ticks(gap / rate);
        if at < self.horizon_end {
            self.events.push(at, Event::Arrival { stream });
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

    fn on_arrival(&mut self, now: SimTime, stream: u32) {
        self.schedule_arrival(stream, now);
        let channel = self.stream_channel[stream as usize];
        // Patience is drawn for every arrival, waiting or not, so that its stream
        // stays aligned across staffing changes (common random numbers).
        let patience = self.patience[channel as usize]
            .map(|d| d.sample(&mut self.patience_rngs[stream as usize]));
        let interval = self.interval_of(now);
        if interval != u32::MAX {
            self.stats
                .contact_mut(interval as usize, channel as usize)
                .offered += 1;
        }
        if let Some(agent) = self.longest_idle_agent(channel) {
            self.start_service(now, agent, channel, now, interval);
            return;
        }
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(Waiting {
                    arrival: 0,
                    channel: 0,
                    generation: 0,
                    interval: 0,
                    active: false,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let w = &mut self.slots[slot as usize];
        w.arrival = now;
        w.channel = channel;
        w.interval = interval;
        w.active = true;
        let generation = w.generation;
        self.queues[channel as usize].push_back(QueueEntry {
            slot,
            generation,
            arrival: now,
        });
        if let Some(p) = patience {
            self.events
                .push(now + ticks(p), Event::Abandon { slot, generation });
        }
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
        if w.interval != u32::MAX {
            let cell = self
                .stats
                .contact_mut(w.interval as usize, w.channel as usize);
            cell.abandoned += 1;
            if now > w.arrival {
                cell.waited += 1;
            }
        }
        // The queue entry stays behind and is skipped when it reaches the front.
        self.release_slot(slot);
    }

    fn longest_idle_agent(&mut self, channel: u32) -> Option<u32> {
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

    fn start_service(
        &mut self,
        now: SimTime,
        agent: u32,
        channel: u32,
        arrival: SimTime,
        interval: u32,
    ) {
        let team = self.agents[agent as usize].team as usize;
        let handle_s = self.scenario.teams[team]
            .handle_time
            .sample(&mut self.service_rngs[team]);
        self.agents[agent as usize].busy_since = now;
        let wait = now - arrival;
        if interval != u32::MAX {
            let within = self.sl_within[channel as usize];
            let cell = self.stats.contact_mut(interval as usize, channel as usize);
            cell.answered += 1;
            cell.answered_within += u64::from(wait <= within);
            cell.waited += u64::from(wait > 0);
            cell.wait_sum_s += seconds(wait);
            cell.handle_sum_s += handle_s;
        }
        self.events
            .push(now + ticks(handle_s), Event::ServiceEnd { agent });
    }

    fn on_service_end(&mut self, now: SimTime, agent: u32) {
        let a = self.agents[agent as usize];
        self.record_busy(a.team as usize, a.busy_since, now);
        if let Some((slot, channel)) = self.oldest_waiting(a.team as usize) {
            let w = self.slots[slot as usize];
            self.release_slot(slot);
            self.start_service(now, agent, channel, w.arrival, w.interval);
        } else {
            self.agents[agent as usize].idle_since = now;
            self.idle[a.team as usize].push_back(agent);
        }
    }

    /// The longest-waiting live contact among the team's channels, removed from its queue.
    fn oldest_waiting(&mut self, team: usize) -> Option<(u32, u32)> {
        let mut best: Option<(SimTime, u32)> = None;
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
                best = Some((e.arrival, c as u32));
            }
        }
        let (_, channel) = best?;
        let entry = self.queues[channel as usize].pop_front()?;
        Some((entry.slot, channel))
    }

    /// Adds busy time `[from, to)` to the intervals it overlaps in the measured window.
    fn record_busy(&mut self, team: usize, from: SimTime, to: SimTime) {
        let from = from.max(self.warmup_end);
        let to = to.min(self.horizon_end);
        if from >= to {
            return;
        }
        let mut t = from;
        while t < to {
            let interval = (t - self.warmup_end) / self.interval_ticks;
            let end = (self.warmup_end + (interval + 1) * self.interval_ticks).min(to);
            self.stats.team_mut(interval as usize, team).busy_s += seconds(end - t);
            t = end;
        }
    }
}
