//! `balanced`: across skill groups, the team with the largest share of idle
//! agents takes an arriving contact (its longest-idle agent).
//!
//! Why: longest-idle-server-first is fair between *agents* (Armony & Ward,
//! "Fair dynamic routing in large-scale heterogeneous-server systems", OR 2010),
//! but with groups of different sizes it loads small groups more heavily;
//! idleness-share routing equalises utilisation between *groups* (Mandelbaum,
//! Momčilović & Tseytlin, "On fair routing from emergency departments to
//! hospital wards", Mgmt Sci 2012, compare idle-count and idle-share rules).
//! Within one team it is `fifo`.

use super::{AgentView, Router};

/// Largest idle share first across teams.
#[derive(Debug, Clone, Copy, Default)]
pub struct Balanced;

impl Router for Balanced {
    fn agent_preference(&self, a: &AgentView) -> f64 {
        a.team_idle_share * 1e12 - a.idle_since_s
    }

    fn needs_idle_share(&self) -> bool {
        true
    }
}
