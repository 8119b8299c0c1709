//! `slowest_server_first`: an arriving contact goes to an idle agent of the
//! least proficient team (highest handle-time multiplier), the longest idle
//! among them.
//!
//! Reference: Armony, "Dynamic routing in large-scale service systems with
//! heterogeneous servers", Queueing Systems 51 (2005), where it is the
//! counterpart of fastest-server-first: it keeps fast agents free and loads
//! slow ones, which lengthens waits (worse for customers) but spreads
//! work towards the slower, often newer, agents. A research baseline. No
//! parameters; contacts are taken in `fifo` order.

use super::{AgentView, Router};

/// Least proficient idle agent first.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlowestServerFirst;

impl Router for SlowestServerFirst {
    fn agent_preference(&self, a: &AgentView) -> f64 {
        a.proficiency * 1e12 - a.idle_since_s
    }
}
