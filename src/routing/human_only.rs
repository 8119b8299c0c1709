//! `human_only`: a baseline with the AI agent and IVR switched off.

use super::Router;
use crate::scenario::Scenario;

/// Fifo routing, every contact to humans.
pub struct HumanOnly;

impl Router for HumanOnly {
    fn new(_: &Scenario) -> Self {
        HumanOnly
    }

    fn uses_front_line(&self) -> bool {
        false
    }
}
