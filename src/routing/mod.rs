//! Routing strategies: which agent a contact goes to, and which contact an
//! agent takes next.
//!
//! A strategy is a type implementing [`Router`]; the engine is generic over it,
//! so routing decisions are static calls with no dynamic dispatch in the event
//! loop. Strategies are registered in [`STRATEGIES`]: adding one is one new file
//! in this folder plus one line there (see docs/ARCHITECTURE.md for a worked
//! example). `[routing]` parameters are validated against each strategy's
//! declared parameter names.

mod balanced;
mod fifo;
mod human_only;
mod least_fatigued;
mod priority;
mod skills;

pub use balanced::Balanced;
pub use fifo::Fifo;
pub use human_only::HumanOnly;
pub use least_fatigued::LeastFatigued;
pub use priority::Priority;
pub use skills::Skills;

use crate::engine::ReplicationOptions;
use crate::engine::run_replication_with;
use crate::metrics::ReplicationStats;
use crate::scenario::Scenario;

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
}

/// A routing strategy. Every method has the `fifo` behaviour by default.
pub trait Router: Sized + Sync {
    /// Builds the strategy from the scenario's validated `[routing]` settings.
    fn new(scenario: &Scenario) -> Self;

    /// Higher goes first when an agent picks among waiting contacts.
    fn contact_priority(&self, c: &ContactView) -> f64 {
        -c.queued_at_s
    }

    /// True when queue order is priority order (no scan of the queues needed).
    fn fifo_contacts(&self) -> bool {
        true
    }

    /// Higher is chosen first among idle agents for an arriving contact.
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

    /// False to bypass the AI agent and the IVR (human-only baselines).
    fn uses_front_line(&self) -> bool {
        true
    }
}

/// A registered strategy.
pub struct Strategy {
    /// Name used in `[routing] strategy = "…"`.
    pub name: &'static str,
    /// `[routing]` keys the strategy reads (others are errors).
    pub params: &'static [&'static str],
    /// One line for error messages and docs.
    pub about: &'static str,
    /// Runs one replication with this strategy.
    pub run: fn(&Scenario, u32, &ReplicationOptions<'_>) -> std::io::Result<ReplicationStats>,
}

/// Every strategy, by name. Register a new one here (one line).
pub const STRATEGIES: &[Strategy] = &[
    register::<Fifo>(
        "fifo",
        &[],
        "longest-waiting contact to the longest-idle agent",
    ),
    register::<Fifo>(
        "ai_first",
        &[],
        "the AI agent first, humans on escalation (fifo behind it)",
    ),
    register::<HumanOnly>(
        "human_only",
        &[],
        "AI agent and IVR off: every contact to humans (a baseline)",
    ),
    register::<Priority>(
        "priority",
        &["tier_weights", "intent_weights", "ageing_per_min"],
        "highest weight first, weights by value tier and intent, ageing against starvation",
    ),
    register::<Skills>(
        "skills",
        &["overflow_after"],
        "most proficient team first; other teams after a wait threshold",
    ),
    register::<LeastFatigued>(
        "least_fatigued",
        &[],
        "the least fatigued idle agent takes the contact",
    ),
    register::<Balanced>(
        "balanced",
        &[],
        "the team with the largest idle share first (balances utilisation across groups)",
    ),
];

const fn register<R: Router>(
    name: &'static str,
    params: &'static [&'static str],
    about: &'static str,
) -> Strategy {
    Strategy {
        name,
        params,
        about,
        run: run_replication_with::<R>,
    }
}

/// The registered strategy called `name`.
pub fn strategy(name: &str) -> Option<&'static Strategy> {
    STRATEGIES.iter().find(|s| s.name == name)
}

/// Runs replication `rep` of `scenario` with its configured strategy.
pub fn run_replication(
    scenario: &Scenario,
    rep: u32,
    options: &ReplicationOptions<'_>,
) -> std::io::Result<ReplicationStats> {
    let s = strategy(&scenario.routing.strategy).unwrap_or(&STRATEGIES[0]);
    (s.run)(scenario, rep, options)
}
