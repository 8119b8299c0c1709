//! `least_fatigued`: an arriving contact goes to the idle agent carrying the
//! least unrecovered fatigue (ties: longest idle), protecting tired agents.
//! Without a fatigue model every load is 0 and this is `fifo`.

use super::{AgentView, Router};

/// Least fatigued idle agent first.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeastFatigued;

impl Router for LeastFatigued {
    fn agent_preference(&self, a: &AgentView) -> f64 {
        -a.fatigue_h * 1e12 - a.idle_since_s
    }

    fn team_front_only(&self) -> bool {
        false
    }

    fn needs_fatigue(&self) -> bool {
        true
    }
}
