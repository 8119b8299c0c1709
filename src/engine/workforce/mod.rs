//! The workforce component: the seats and the agents in them, the team
//! pools routing draws from, the sessions agents serve, each team's random
//! streams, the shift calendar, and the recent handle times callbacks are
//! estimated from.
//!
//! Its state is private. The handlers (`engine/sim/agents.rs`,
//! `service.rs`, `quality.rs`) read agents by shared reference and change
//! them only through the verbs here, which return what the handler must
//! do next (schedule an event, dispatch work, sign the agent off) rather
//! than doing it: the workforce never sees the event queue, the waiting
//! room or the router. The verbs that end a period of an agent's time
//! report it to the recorder they are given.
//!
//! - `seat.rs`: the agent, the team pools, building seats from teams;
//! - `duty.rs`: the duty state machine: shifts, breaks, sign-off,
//!   coaching, attrition and hiring;
//! - `work.rs`: sessions and the pools: who is idle, who has spare
//!   concurrent capacity, fatigue;
//! - `sessions.rs`: the slab of sessions in progress.
//!
//! An agent *accepts* new work when its seat is filled, it is on duty, not on
//! break, and no break, shift end, quit or coaching is pending. Idle agents
//! wait in a per-team deque in the order they became idle (longest idle at
//! the front); entries are validated lazily by an epoch counter, so leaving
//! for a break needs no search. Agents holding concurrent sessions with
//! spare capacity sit in a per-team `partial` list (O(1) insert and removal
//! by position).

mod duty;
mod seat;
mod sessions;
mod work;

pub(in crate::engine) use duty::{Next, ShiftOpened};
pub(in crate::engine) use seat::Agent;
pub(in crate::engine) use sessions::Session;

use crate::engine::calendar::Calendar;
use crate::rng::{Purpose, SimRng, stream};
use crate::scenario::{Scenario, Staffing, Team};
use chrono::Datelike;
use seat::Pool;
use sessions::Sessions;

/// Per-team random streams.
pub(in crate::engine) struct TeamRngs {
    pub service: SimRng,
    pub wrap: SimRng,
    pub outcome: SimRng,
    pub roster: SimRng,
}

/// Agents, pools, sessions and what routing needs to find them.
pub(in crate::engine) struct Workforce<'a> {
    teams: &'a [Team],
    agents: Vec<Agent>,
    pools: Vec<Pool>,
    sessions: Sessions,
    /// Teams serving each channel.
    channel_teams: Vec<Vec<u32>>,
    rngs: Vec<TeamRngs>,
    calendar: Calendar,
    /// Recent mean handle time per channel, for callback wait estimates.
    recent_aht_s: Vec<f64>,
}

impl<'a> Workforce<'a> {
    /// The workforce of replication `rep` of `scenario`; the calendar's
    /// origin is the warm-up start `origin_s` (simulation seconds).
    pub fn new(scenario: &'a Scenario, rep: u32, origin_s: f64) -> Self {
        let seed = scenario.simulation.seed;
        let n_channels = scenario.channels.len();
        let channel_teams = (0..n_channels)
            .map(|c| {
                (0..scenario.teams.len() as u32)
                    .filter(|&t| scenario.teams[t as usize].channels.contains(&c))
                    .collect()
            })
            .collect();
        let rngs = (0..scenario.teams.len() as u32)
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
        let (agents, pools) = seat::build(&scenario.teams);
        let n_agents = agents.len();
        Workforce {
            teams: &scenario.teams,
            agents,
            pools,
            sessions: Sessions::with_capacity(n_agents),
            channel_teams,
            rngs,
            calendar: Calendar::new(origin_s, start_weekday),
            recent_aht_s: vec![300.0; n_channels],
        }
    }

    /// Seats in the replication (whether or not filled or on duty).
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// Agent `a`, read-only.
    #[inline]
    pub fn agent(&self, a: u32) -> &Agent {
        &self.agents[a as usize]
    }

    /// The seats of `team` (agents of a team are contiguous).
    #[inline]
    pub fn seats(&self, team: usize) -> std::ops::Range<u32> {
        let pool = &self.pools[team];
        pool.first..pool.first + pool.seats
    }

    /// Teams that serve `channel`.
    #[inline]
    pub fn teams_for(&self, channel: usize) -> &[u32] {
        &self.channel_teams[channel]
    }

    /// Agents of `team` on duty now.
    #[inline]
    pub fn on_duty(&self, team: usize) -> u32 {
        self.pools[team].on_duty
    }

    /// Agents on duty now in the teams serving `channel`.
    #[inline]
    pub fn on_duty_for(&self, channel: usize) -> u32 {
        self.teams_for(channel)
            .iter()
            .map(|&t| self.on_duty(t as usize))
            .sum()
    }

    /// The team takes every intent and language.
    #[inline]
    pub fn all_skills(&self, team: usize) -> bool {
        self.pools[team].all_skills
    }

    /// Team `team`'s random streams.
    #[inline]
    pub fn rngs(&mut self, team: usize) -> &mut TeamRngs {
        &mut self.rngs[team]
    }

    /// Recent mean handle time on `channel`, seconds.
    #[inline]
    pub fn recent_aht_s(&self, channel: usize) -> f64 {
        self.recent_aht_s[channel]
    }

    /// Folds one handle time into `channel`'s recent mean (an exponential
    /// average, for callback wait estimates).
    #[inline]
    pub fn note_handle_time(&mut self, channel: usize, handle_s: f64) {
        self.recent_aht_s[channel] = 0.99 * self.recent_aht_s[channel] + 0.01 * handle_s;
    }

    /// True when `team` staffs its seats around the clock.
    #[inline]
    pub fn always_on(&self, team: usize) -> bool {
        matches!(self.teams[team].staffing, Staffing::AlwaysOn { .. })
    }
}

#[cfg(test)]
pub(super) mod tests;
