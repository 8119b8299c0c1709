//! The contact: what travels with a customer's contact from arrival to the
//! end of its service. A leaf of the engine: every component that holds
//! contacts (waiting room, front line, workforce sessions) imports it from
//! here, and it imports nothing from them.

use super::queue::SimTime;

/// What travels with a contact from arrival to the end of its service.
#[derive(Debug, Clone, Copy, Default)]
pub(in crate::engine) struct Contact {
    /// Journey number in the trace (0 when not tracing); kept by retries.
    pub id: u32,
    pub arrival: SimTime,
    /// Interval of arrival, or `u32::MAX` when not measured.
    pub interval: u32,
    pub channel: u16,
    pub region: u16,
    pub intent: u16,
    pub language: u16,
    pub tier: u16,
    /// Base handle time from the intent (seconds), or negative when the team's applies.
    pub work_s: f64,
    /// Demand source (for its random streams).
    pub source: u16,
    /// When it entered its current queue.
    pub queued_at: SimTime,
    /// Already answered once (by the AI): later answers are not first answers.
    pub answered_once: bool,
    /// The first contact about this problem (not a recontact or redial).
    pub problem_first: bool,
    /// Handed over by the AI agent.
    pub escalated: bool,
    /// Context level on escalation: 0 full, 1 summary, 2 none.
    pub context: u8,
    /// Extra human seconds re-establishing context (before the team's assist factor).
    pub context_s: f32,
    /// Extra human seconds lost to a misroute and transfer.
    pub misroute_s: f32,
    /// Change in the human's resolution probability (context lost).
    pub resolution_delta: f32,
    /// This attempt is a redial after abandoning (else a recontact, when not first).
    pub redial: bool,
    /// A back-office system failed during the human's handling: not resolved.
    pub back_office_failed: bool,
    /// Seconds waited in earlier queues of this attempt (the AI's queue
    /// before an escalation): the journey's wait is this plus the current one.
    pub waited_before_s: f32,
    /// A returning customer the AI does not remember (`ai_agent.memory`):
    /// the story is told again at the AI's front door.
    pub retell: bool,
}

impl Contact {
    /// Arrived inside the measured window (counted in the statistics).
    pub fn measured(&self) -> bool {
        self.interval != u32::MAX
    }
}
