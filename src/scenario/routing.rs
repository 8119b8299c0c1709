//! `[routing]`: the strategy and its own parameters, as one validated enum.
//!
//! The TOML stays flat (`strategy = "skills"`, `overflow_after = "45s"`): the
//! raw struct mirrors it, and validation turns it into [`Routing`], where
//! each strategy carries only the parameters it takes. A parameter the chosen
//! strategy does not take, or an unknown strategy, is a parse-time error; the
//! engine matches the enum once per replication into a monomorphised loop, so
//! nothing is looked up by name at run time and nothing falls back silently.

/// A validated routing strategy with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Routing {
    /// `fifo`: the longest-waiting contact to the longest-idle agent.
    Fifo,
    /// `ai_first`: the AI agent takes first contact on its channels, and a
    /// customer it handed over (escalated) goes ahead of first-time callers
    /// in the human queue (fifo among each group).
    AiFirst,
    /// `human_only`: AI agent and IVR off, every contact to humans.
    HumanOnly,
    /// `priority`: weights by value tier and intent, with ageing.
    Priority(PriorityParams),
    /// `skills`: the most proficient team first, others after a wait.
    Skills {
        /// Wait after which every team may take a contact, seconds (default 60).
        overflow_after_s: f64,
    },
    /// `least_fatigued`: the least fatigued idle agent first.
    LeastFatigued,
    /// `balanced`: the team with the largest idle share first.
    Balanced,
    /// `cmu`: the class with the largest (generalized) cμ index first.
    Cmu(CmuParams),
    /// `fastest_server_first`: the idle agent of the most proficient team.
    FastestServerFirst,
    /// `slowest_server_first`: the idle agent of the least proficient team.
    SlowestServerFirst,
    /// `threshold`: trunk reservation, k idle agents of a team kept for
    /// protected tiers and escalated contacts.
    Threshold(ThresholdParams),
    /// `queue_ratio`: fixed-queue-ratio (FQR) contact choice and, with idle
    /// ratios, queue-and-idleness-ratio (QIR) agent choice (Gurvich & Whitt).
    QueueRatio(QueueRatioParams),
    /// `ai_triage`: per contact, the AI agent or straight to a person (by
    /// intent, predicted AI resolution and value tier); escalated first.
    AiTriage(AiTriageParams),
}

/// Parameters of the `ai_triage` strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct AiTriageParams {
    /// Contacts whose predicted AI resolution is below this go straight to
    /// a person (0 to 1, default 0.25).
    pub min_ai_resolution: f64,
    /// Per tier index: straight to a person.
    pub bypass_tiers: Vec<bool>,
    /// Per intent index: straight to a person.
    pub bypass_intents: Vec<bool>,
    /// Escalated contacts before first-time callers in the human queue
    /// (default true).
    pub escalated_first: bool,
}

/// What a `cmu` class is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassKey {
    /// One class per channel.
    Channel,
    /// One class per intent.
    Intent,
    /// One class per value tier.
    Tier,
}

/// Parameters of the `cmu` strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct CmuParams {
    /// What a class is (default channel).
    pub class: ClassKey,
    /// Waiting cost weight c_k per class index (1 when unlisted).
    pub costs: Vec<f64>,
    /// Exponent p of the delay cost c_k · wait^p (1: linear cost, plain cμ;
    /// above 1: convex cost, generalized cμ).
    pub cost_exponent: f64,
}

/// Parameters of the `queue_ratio` strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRatioParams {
    /// Target share r_k of the waiting contacts per channel index (sums to 1).
    pub queue_ratios: Vec<f64>,
    /// Target share p_j of the idle agents per team index (sums to 1), when
    /// given: the agent choice then follows the idleness ratios (QIR).
    pub idle_ratios: Option<Vec<f64>>,
}

/// Parameters of the `threshold` strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdParams {
    /// Idle agents kept per team index for protected contacts (0 when unlisted).
    pub reserve: Vec<u32>,
    /// Protected value tiers, by tier index.
    pub protected_tiers: Vec<bool>,
    /// Whether escalated contacts (handed over by the AI agent) are protected.
    pub protect_escalated: bool,
}

/// Parameters of the `priority` strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorityParams {
    /// Weight per value-tier index (1 when unlisted).
    pub tier_weights: Vec<f64>,
    /// Weight per intent index (1 when unlisted).
    pub intent_weights: Vec<f64>,
    /// Ageing: weight × (1 + this × minutes waited) (default 0.1).
    pub ageing_per_min: f64,
}

/// What users may write in `[routing]`: one row per strategy, the single
/// place that lists names, parameters and their one-line description.
pub struct StrategyInfo {
    /// Name used in `[routing] strategy = "…"`.
    pub name: &'static str,
    /// `[routing]` keys the strategy takes (any other is an error).
    pub params: &'static [&'static str],
    /// One line for error messages and docs.
    pub about: &'static str,
}

/// Every strategy. Adding one: a row here, a variant of [`Routing`], its
/// construction in `validate/routing.rs`, and its `Router` in `src/routing/`.
pub const STRATEGIES: &[StrategyInfo] = &[
    StrategyInfo {
        name: "fifo",
        params: &[],
        about: "longest-waiting contact to the longest-idle agent",
    },
    StrategyInfo {
        name: "ai_first",
        params: &[],
        about: "the AI agent first; customers it escalated go ahead of first-time callers",
    },
    StrategyInfo {
        name: "human_only",
        params: &[],
        about: "AI agent and IVR off: every contact to humans (a baseline)",
    },
    StrategyInfo {
        name: "priority",
        params: &["tier_weights", "intent_weights", "ageing_per_min"],
        about: "highest weight first, weights by value tier and intent, ageing against starvation",
    },
    StrategyInfo {
        name: "skills",
        params: &["overflow_after"],
        about: "most proficient team first; other teams after a wait threshold",
    },
    StrategyInfo {
        name: "least_fatigued",
        params: &[],
        about: "the least fatigued idle agent takes the contact",
    },
    StrategyInfo {
        name: "balanced",
        params: &[],
        about: "the team with the largest idle share first (balances utilisation across groups)",
    },
    StrategyInfo {
        name: "cmu",
        params: &["class", "costs", "cost_exponent"],
        about: "the class with the largest c·μ index first (generalized cμ with cost_exponent > 1)",
    },
    StrategyInfo {
        name: "fastest_server_first",
        params: &[],
        about: "the idle agent of the most proficient team takes the contact",
    },
    StrategyInfo {
        name: "slowest_server_first",
        params: &[],
        about: "the idle agent of the least proficient team takes the contact",
    },
    StrategyInfo {
        name: "threshold",
        params: &["reserve", "protected_tiers", "protect_escalated"],
        about: "trunk reservation: keep idle agents of a team for protected tiers and escalated contacts",
    },
    StrategyInfo {
        name: "ai_triage",
        params: &[
            "min_ai_resolution",
            "bypass_tiers",
            "bypass_intents",
            "escalated_first",
        ],
        about: "the AI agent or straight to a person by intent, predicted AI resolution and tier; escalated first",
    },
    StrategyInfo {
        name: "queue_ratio",
        params: &["queue_ratios", "idle_ratios"],
        about: "a freed agent serves the channel whose queue most exceeds its target share (FQR); with idle_ratios a contact goes to the team whose idle agents most exceed theirs (QIR)",
    },
];

/// The strategy called `name`, if any.
pub fn strategy_info(name: &str) -> Option<&'static StrategyInfo> {
    STRATEGIES.iter().find(|s| s.name == name)
}

impl Routing {
    /// The name users write in `[routing] strategy`.
    pub fn name(&self) -> &'static str {
        match self {
            Routing::Fifo => "fifo",
            Routing::AiFirst => "ai_first",
            Routing::HumanOnly => "human_only",
            Routing::Priority(_) => "priority",
            Routing::Skills { .. } => "skills",
            Routing::LeastFatigued => "least_fatigued",
            Routing::Balanced => "balanced",
            Routing::Cmu(_) => "cmu",
            Routing::FastestServerFirst => "fastest_server_first",
            Routing::SlowestServerFirst => "slowest_server_first",
            Routing::Threshold(_) => "threshold",
            Routing::AiTriage(_) => "ai_triage",
            Routing::QueueRatio(_) => "queue_ratio",
        }
    }
}

impl Default for Routing {
    /// `fifo`, the strategy of a scenario without `[routing]`.
    fn default() -> Self {
        Routing::Fifo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_table_row() {
        let all = [
            Routing::Fifo,
            Routing::AiFirst,
            Routing::HumanOnly,
            Routing::Priority(PriorityParams {
                tier_weights: vec![],
                intent_weights: vec![],
                ageing_per_min: 0.1,
            }),
            Routing::Skills {
                overflow_after_s: 60.0,
            },
            Routing::LeastFatigued,
            Routing::Balanced,
            Routing::Cmu(CmuParams {
                class: ClassKey::Channel,
                costs: vec![],
                cost_exponent: 1.0,
            }),
            Routing::FastestServerFirst,
            Routing::SlowestServerFirst,
            Routing::Threshold(ThresholdParams {
                reserve: vec![],
                protected_tiers: vec![],
                protect_escalated: true,
            }),
            Routing::AiTriage(AiTriageParams {
                min_ai_resolution: 0.25,
                bypass_tiers: vec![],
                bypass_intents: vec![],
                escalated_first: true,
            }),
            Routing::QueueRatio(QueueRatioParams {
                queue_ratios: vec![],
                idle_ratios: None,
            }),
        ];
        assert_eq!(all.len(), STRATEGIES.len());
        for r in &all {
            assert!(strategy_info(r.name()).is_some(), "{}", r.name());
        }
    }
}
