//! `fifo`: the longest-waiting contact goes to the longest-idle agent — every
//! default of [`Router`]. Also registered as `ai_first` (the AI agent, when
//! configured, always takes first contact on its channels).

use super::Router;
use crate::scenario::Scenario;

/// First in, first out; longest idle first.
pub struct Fifo;

impl Router for Fifo {
    fn new(_: &Scenario) -> Self {
        Fifo
    }
}
