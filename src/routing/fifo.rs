//! `fifo`: the longest-waiting contact goes to the longest-idle agent — every
//! default of [`Router`].

use super::Router;

/// First in, first out; longest idle first.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fifo;

impl Router for Fifo {}
