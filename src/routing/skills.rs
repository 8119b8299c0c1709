//! `skills`: the most proficient team for a channel (lowest handle-time
//! multiplier among teams serving it) is its primary; other teams take a
//! contact only once it has waited `overflow_after` (default 60 s). Among idle
//! agents, the most proficient goes first, then the longest idle.

use super::{AgentView, Router};
use crate::scenario::Scenario;

/// Best-skilled first with timed overflow.
pub struct Skills {
    /// Primary team per channel.
    primary: Vec<Option<usize>>,
    overflow_after_s: f64,
}

impl Skills {
    /// The strategy for `scenario`'s teams, with the validated threshold.
    pub fn new(scenario: &Scenario, overflow_after_s: f64) -> Self {
        let primary = (0..scenario.channels.len())
            .map(|c| {
                scenario
                    .teams
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.channels.contains(&c))
                    .min_by(|a, b| a.1.proficiency.total_cmp(&b.1.proficiency))
                    .map(|(i, _)| i)
            })
            .collect();
        Skills {
            primary,
            overflow_after_s,
        }
    }
}

impl Router for Skills {
    fn agent_preference(&self, a: &AgentView) -> f64 {
        // Proficiency dominates; idle time breaks ties (scaled far below 1).
        -a.proficiency * 1e12 - a.idle_since_s
    }

    fn team_may_take(&self, team: usize, channel: usize, wait_s: f64) -> bool {
        self.primary[channel] == Some(team) || wait_s >= self.overflow_after_s
    }

    fn overflow_after_s(&self) -> Option<f64> {
        Some(self.overflow_after_s)
    }
}
