//! The workforce component: the agents and their pools, the sessions they
//! serve, which teams serve which channel, each team's random streams, the
//! shift calendar and the recent handle times callbacks are estimated from.
//! The handlers in `agents.rs` and `service.rs` work on it; nothing else in
//! the replication owns agent state.

use super::agents::{self, Agent, Pool};
use super::service::Sessions;
use crate::engine::calendar::Calendar;
use crate::rng::{Purpose, SimRng, stream};
use crate::scenario::Scenario;
use chrono::Datelike;

/// Per-team random streams.
pub(in crate::engine) struct TeamRngs {
    pub service: SimRng,
    pub wrap: SimRng,
    pub outcome: SimRng,
    pub roster: SimRng,
}

/// Agents, pools, sessions and what routing needs to find them.
pub(in crate::engine) struct Workforce {
    pub agents: Vec<Agent>,
    pub pools: Vec<Pool>,
    pub sessions: Sessions,
    /// Teams serving each channel.
    pub channel_teams: Vec<Vec<u32>>,
    pub rngs: Vec<TeamRngs>,
    pub calendar: Calendar,
    /// Recent mean handle time per channel, for callback wait estimates.
    pub recent_aht_s: Vec<f64>,
}

impl Workforce {
    /// The workforce of replication `rep` of `scenario`; the calendar's
    /// origin is the warm-up start `origin_s` (simulation seconds).
    pub fn new(scenario: &Scenario, rep: u32, origin_s: f64) -> Self {
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
        let (agents, pools) = agents::build(scenario);
        let n_agents = agents.len();
        Workforce {
            agents,
            pools,
            sessions: Sessions::with_capacity(n_agents),
            channel_teams,
            rngs,
            calendar: Calendar::new(origin_s, start_weekday),
            recent_aht_s: vec![300.0; n_channels],
        }
    }

    /// Agents in the replication (seats, whether or not on duty).
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// Teams that serve `channel`.
    pub fn teams_for(&self, channel: usize) -> &[u32] {
        &self.channel_teams[channel]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_TEAMS: &str = r#"
name = "w"
[simulation]
seed = 1
horizon = "1d"
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[[demand.stream]]
channel = "chat"
rate_per_hour = 10
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[channel.chat]
patience = { dist = "exponential", mean = "3m" }
[[team]]
name = "voice"
agents = 3
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
[[team]]
name = "both"
agents = 2
channels = ["chat", "voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

    #[test]
    fn builds_one_seat_per_agent_and_the_teams_of_each_channel() {
        let s = Scenario::from_toml_str(TWO_TEAMS, "w.toml").unwrap();
        let w = Workforce::new(&s, 0, 0.0);
        assert_eq!(w.len(), 5);
        assert_eq!(w.rngs.len(), 2);
        let voice = s.channel_index("voice").unwrap();
        let chat = s.channel_index("chat").unwrap();
        assert_eq!(w.teams_for(voice), &[0, 1]);
        assert_eq!(w.teams_for(chat), &[1]);
        assert_eq!(w.recent_aht_s.len(), s.channels.len());
    }

    #[test]
    fn team_streams_differ_by_team_and_replication() {
        use rand::RngExt;
        let s = Scenario::from_toml_str(TWO_TEAMS, "w.toml").unwrap();
        let mut a = Workforce::new(&s, 0, 0.0);
        let mut b = Workforce::new(&s, 1, 0.0);
        let (x0, x1): (u64, u64) = (a.rngs[0].service.random(), a.rngs[1].service.random());
        let y0: u64 = b.rngs[0].service.random();
        assert_ne!(x0, x1, "teams draw from their own streams");
        assert_ne!(x0, y0, "replications draw from their own streams");
    }
}
