//! cxsim: a deterministic discrete-event contact-centre simulator.
#![warn(missing_docs)]

pub mod analytic;
pub mod compare;
pub mod demand;
pub mod engine;
pub mod forecast;
pub mod input;
pub mod leaderboard;
pub mod metrics;
pub mod planner;
pub mod report;
pub mod rng;
pub mod routing;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod time;
