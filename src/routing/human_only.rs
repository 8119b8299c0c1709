//! `human_only`: a baseline with the AI agent and IVR switched off.

use super::Router;

/// Fifo routing, every contact to humans.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOnly;

impl Router for HumanOnly {
    fn uses_front_line(&self) -> bool {
        false
    }
}
