//! `fastest_server_first`: an arriving contact goes to an idle agent of the
//! most proficient team (lowest handle-time multiplier), the longest idle
//! among them.
//!
//! Reference: Armony, "Dynamic routing in large-scale service systems with
//! heterogeneous servers", Queueing Systems 51 (2005): in the
//! quality-and-efficiency-driven regime, fastest-server-first is
//! asymptotically optimal for waiting time (it minimises the delay
//! probability and mean wait), at the price of working fast agents hardest
//! (unfair to them). No parameters; team proficiency comes from `[[team]]`.
//! Contacts are taken in `fifo` order.

use super::{AgentView, Router};

/// Most proficient idle agent first.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastestServerFirst;

impl Router for FastestServerFirst {
    fn agent_preference(&self, a: &AgentView) -> f64 {
        // Proficiency dominates; idle time breaks ties (scaled far below 1).
        -a.proficiency * 1e12 - a.idle_since_s
    }
}
