//! Validated quality programme (scoring, detection, feedback to the AI,
//! coaching) and back-office dependencies (systems, outages). The model and
//! its defaults are described in docs/QUALITY.md.

use super::Dist;

/// `[quality]`: how contacts are scored and what is done with what is found.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    /// Probability that a finished contact is scored.
    pub share_scored: f64,
    /// Money per scored contact.
    pub cost_per_contact: f64,
    /// Analyst minutes per scored contact (manual scoring).
    pub analyst_minutes: f64,
    /// Probability that scoring a failed contact detects the failure.
    pub detection: f64,
    /// Detected AI failures improve the AI's resolution at each week's end.
    pub feedback: bool,
    /// Largest share of the gap to the ceiling closed in one weekly review,
    /// reached with full evidence: 1 − e^(−1/τ), τ = `learning_time` in weeks
    /// (or `learning_rate` itself when the old key is given).
    pub max_step: f64,
    /// Detected AI failures of an intent in a week that make a full step
    /// (fewer make a proportionally smaller one).
    pub learning_evidence: f64,
    /// Ceiling of the AI's resolution probability, per intent index.
    pub ceiling: Vec<f64>,
    /// Coaching after each detected human failure, if any.
    pub coaching: Option<Coaching>,
}

impl Quality {
    /// One weekly review of an intent: the gap to the ceiling shrinks by
    /// Δ = `max_step` × min(1, detected / `learning_evidence`), so the AI
    /// moves toward the ceiling with diminishing returns (the gap closes
    /// geometrically) at a pace set by a time constant, not by the size of
    /// the centre. Returns the new resolution probability.
    pub fn learn(&self, p: f64, ceiling: f64, detected: u64) -> f64 {
        let evidence = (detected as f64 / self.learning_evidence).min(1.0);
        ceiling - (ceiling - p) * (1.0 - self.max_step * evidence)
    }
}

/// `coaching = { time, uplift, decay, max_uplift }`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coaching {
    /// Off-phone time of one session, seconds.
    pub time_s: f64,
    /// Added to the agent's resolution probability when a session ends.
    pub uplift: f64,
    /// Time constant of the uplift's exponential decay, seconds.
    pub decay_s: f64,
    /// Most uplift an agent can carry when sessions stack (default: `uplift`,
    /// so a new session refreshes the uplift rather than adding to it
    /// \[convention\]: there is no evidence that repeated coaching compounds).
    pub max_uplift: f64,
    /// Most coaching time an agent is booked for per month (30 days from the
    /// start of the measured horizon), seconds: once a session would exceed
    /// it, further detected failures that month book no session.
    pub max_per_month_s: f64,
}

/// A back-office system some intents need.
#[derive(Debug, Clone, PartialEq)]
pub struct System {
    /// System name.
    pub name: String,
    /// Delay added each time the system is used (`None`: no delay).
    pub latency: Option<Dist>,
    /// Probability that a use of the system fails.
    pub failure: f64,
    /// Longest time a human waits for the system during an outage, seconds.
    pub max_wait_s: f64,
}

/// A period when a system is down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outage {
    /// Index into [`BackOffice::systems`].
    pub system: usize,
    /// Start, seconds from the start of the horizon.
    pub start_s: f64,
    /// Length, seconds.
    pub length_s: f64,
}

/// `[[system]]`, `[[outage]]` and each intent's `systems`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BackOffice {
    /// Systems in file order.
    pub systems: Vec<System>,
    /// Outages in file order.
    pub outages: Vec<Outage>,
    /// Per intent index: the systems it needs.
    pub intent_systems: Vec<Vec<usize>>,
}

impl BackOffice {
    /// True when no intent needs any system.
    pub fn is_empty(&self) -> bool {
        self.intent_systems.iter().all(|s| s.is_empty())
    }
}
