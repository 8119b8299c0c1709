//! Routing strategies: which agent a contact goes to, and which contact an
//! agent takes next.
//!
//! A strategy is a type implementing [`Router`], built from its validated
//! parameters ([`crate::scenario::Routing`]); the engine matches that enum
//! once per replication and runs a loop monomorphised for the strategy, so
//! routing decisions are static calls with no dynamic dispatch in the event
//! loop. This module imports nothing from `engine` (tested): it only sees
//! [`ContactView`] and [`AgentView`]. See docs/ARCHITECTURE.md for a worked
//! example of adding a strategy.

mod ai_first;
mod ai_triage;
mod balanced;
mod cmu;
mod fastest_server_first;
mod fifo;
mod human_only;
mod least_fatigued;
mod priority;
mod queue_ratio;
mod skills;
mod slowest_server_first;
mod threshold;

pub use ai_first::AiFirst;
pub use ai_triage::{AiTriage, predicted_ai_resolution};
pub use balanced::Balanced;
pub use cmu::Cmu;
pub use fastest_server_first::FastestServerFirst;
pub use fifo::Fifo;
pub use human_only::HumanOnly;
pub use least_fatigued::LeastFatigued;
pub use priority::Priority;
pub use queue_ratio::QueueRatio;
pub use skills::Skills;
pub use slowest_server_first::SlowestServerFirst;
pub use threshold::Threshold;

/// What a router sees of a waiting contact.
#[derive(Debug, Clone, Copy)]
pub struct ContactView {
    /// Channel index.
    pub channel: usize,
    /// Intent index.
    pub intent: usize,
    /// Value-tier index.
    pub tier: usize,
    /// Seconds waited in the current queue.
    pub wait_s: f64,
    /// When it entered the queue, seconds of simulation time.
    pub queued_at_s: f64,
    /// Handed over by the AI agent (it already tried and failed, or routed it on).
    pub escalated: bool,
    /// Contacts waiting in this contact's queue (it included), when the
    /// router asks for queue lengths ([`Router::needs_queue_lengths`]); else 0.
    pub queue_len: u32,
    /// Contacts waiting in every queue of the same kind (real-time or
    /// deferred) the choosing agent's team serves, when asked for; else 0.
    pub queued_total: u32,
}

/// What a router sees of an idle agent.
#[derive(Debug, Clone, Copy)]
pub struct AgentView {
    /// Team index.
    pub team: usize,
    /// When the agent became idle, seconds of simulation time.
    pub idle_since_s: f64,
    /// Unrecovered fatigue load, hours (0 without a fatigue model).
    pub fatigue_h: f64,
    /// The team's handle-time multiplier for skill (lower is better).
    pub proficiency: f64,
    /// Idle agents ÷ agents on duty in the agent's team.
    pub team_idle_share: f64,
    /// Idle agents of the agent's team, when the router asks for idle counts
    /// ([`Router::needs_idle_counts`]); else 0.
    pub team_idle: u32,
    /// Idle agents over every team that may take the contact, when asked
    /// for; else 0.
    pub idle_total: u32,
}

/// A routing strategy. Every method has the `fifo` behaviour by default.
///
/// Implement it in your own crate to try a policy without editing cxsim, and
/// run it with [`crate::engine::run_replication_with`]; the engine's loop is
/// monomorphised for your type (no dynamic dispatch per event). Scores are
/// compared with `>`, the first best wins (queue order, then team order), so
/// encode lexicographic rules as a dominant term plus a small tie-breaker
/// (see `examples/custom_router.rs`).
pub trait Router: Sized + Sync {
    /// Higher goes first when an agent picks among waiting contacts.
    fn contact_priority(&self, c: &ContactView) -> f64 {
        -c.queued_at_s
    }

    /// True when queue order is priority order (no scan of the queues needed).
    fn fifo_contacts(&self) -> bool {
        true
    }

    /// Higher is chosen first among idle agents for an arriving contact.
    ///
    /// The default, longest-idle-agent-first (LIAF), spreads load fairly
    /// between the agents of a pool (Armony & Ward, "Fair dynamic routing in
    /// large-scale heterogeneous-server systems", Oper. Res. 58, 2010): it is
    /// the agent choice of `fifo` and of every strategy that keeps it.
    fn agent_preference(&self, a: &AgentView) -> f64 {
        -a.idle_since_s
    }

    /// True when only each team's longest-idle agent needs comparing
    /// (preference is monotone in idle time within a team).
    fn team_front_only(&self) -> bool {
        true
    }

    /// True when [`AgentView::team_idle_share`] is used (it costs a scan).
    fn needs_idle_share(&self) -> bool {
        false
    }

    /// True when [`ContactView::queue_len`] and [`ContactView::queued_total`]
    /// are used (they cost a count over the team's queues per decision).
    fn needs_queue_lengths(&self) -> bool {
        false
    }

    /// True when [`AgentView::team_idle`] and [`AgentView::idle_total`] are
    /// used (they cost a scan of the idle agents per arrival).
    fn needs_idle_counts(&self) -> bool {
        false
    }

    /// True when [`AgentView::fatigue_h`] is used (it costs an `exp`).
    fn needs_fatigue(&self) -> bool {
        false
    }

    /// May `team` take a contact of `channel` that has waited `wait_s`?
    fn team_may_take(&self, _team: usize, _channel: usize, _wait_s: f64) -> bool {
        true
    }

    /// When set, a waiting contact is offered again to every team after this wait.
    fn overflow_after_s(&self) -> Option<f64> {
        None
    }

    /// True when [`Router::may_take_reserved`] is consulted (it costs a count
    /// of the team's idle agents per decision).
    fn reserves_agents(&self) -> bool {
        false
    }

    /// May contact `c` take an idle agent of `team`, leaving `idle_left`
    /// other agents of the team idle? (Trunk reservation; consulted only
    /// when [`Router::reserves_agents`].)
    fn may_take_reserved(&self, _team: usize, _c: &ContactView, _idle_left: usize) -> bool {
        true
    }

    /// Does a contact arriving on a channel the AI agent serves go to the AI
    /// agent (true) or straight to the human queue (false)? Consulted once
    /// per arrival on such channels (AI triage; see `ai_triage`).
    fn sends_to_ai(&self, _c: &ContactView) -> bool {
        true
    }

    /// False to bypass the AI agent and the IVR (human-only baselines).
    fn uses_front_line(&self) -> bool {
        true
    }
}
