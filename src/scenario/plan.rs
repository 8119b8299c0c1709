//! Planning inputs: `[targets]` (what `cxsim plan` staffs to), `[costs]` (what
//! a roster costs) and `[[backlog]]` (contacts already waiting at the start).
//! See docs/PLANNER.md.

/// `[targets]`: per-interval targets of the capacity planner.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    /// Per channel index: the service-level target (fraction answered within
    /// the channel's threshold). Defaults to the channel's `service_level.target`;
    /// for email the threshold is its deadline (24 h by default).
    pub service_level: Vec<f64>,
    /// Largest abandonment share allowed in an interval, any channel; `None`:
    /// no abandonment target.
    pub max_abandon: Option<f64>,
    /// Confidence level of the per-interval checks (default 0.95).
    pub confidence: f64,
    /// Per team index: most agents on duty in any interval; `None`: the
    /// scenario limit (`limits::MAX_AGENTS_PER_TEAM`).
    pub max_agents: Vec<Option<u32>>,
    /// `[targets.tier.<name>]`: targets of customer value tiers, in tier
    /// order; empty when none is given (then nothing about tiers is judged).
    pub tiers: Vec<TierTarget>,
}

/// One value tier's targets, judged over the whole horizon on the tier's
/// human-queue figures (all its channels pooled, each contact against its
/// own channel's threshold); see docs/PLANNER.md, "Targets per value tier".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierTarget {
    /// Tier index (into `Scenario::tiers`).
    pub tier: usize,
    /// Service-level target of the tier's contacts, if any.
    pub service_level: Option<f64>,
    /// Largest abandonment share allowed for the tier's contacts, if any.
    pub max_abandon: Option<f64>,
}

impl Targets {
    /// Targets with every default: each channel's own service-level target,
    /// no abandonment target, 95% confidence, no agent cap.
    pub fn defaults(sl_targets: Vec<f64>, teams: usize) -> Targets {
        Targets {
            service_level: sl_targets,
            max_abandon: None,
            confidence: 0.95,
            max_agents: vec![None; teams],
            tiers: Vec::new(),
        }
    }
}

/// `[costs]`: prices of the centre's resources (docs/OUTPUTS.md, "Costs").
///
/// Every price is in one currency the user names (`currency`, a label only).
/// Without a `[costs]` table nothing is priced and no cost is reported; with
/// one, each price left out is 0 (not priced) — no hidden default price is
/// added, because prices differ by country and contract by more than any
/// default could cover. The bundled scenarios set theirs with sources.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Costs {
    /// `[costs]` was given: run, compare and plan report costs.
    pub priced: bool,
    /// Currency label (default `"USD"`).
    pub currency: String,
    /// Cost of one paid human agent-hour, all teams; `None`: not priced.
    pub human_per_hour: Option<f64>,
    /// Per team index: its own price per paid agent-hour, overriding
    /// `human_per_hour`.
    pub team_per_hour: Vec<Option<f64>>,
    /// AI agent price per session (per contact it takes).
    pub ai_per_session: f64,
    /// AI agent price per session-minute.
    pub ai_per_minute: f64,
    /// Fixed platform cost per week of the measured horizon (AI platform,
    /// licences), pro rata.
    pub platform_per_week: f64,
    /// Telephony per voice minute on the line (waiting and talking).
    pub telephony_per_minute: f64,
    /// Extra cost booked per repeat contact (a recontact about an unresolved
    /// problem) beyond the handling it causes, e.g. goodwill credits.
    pub repeat_contact: f64,
}

impl Costs {
    /// The price of a paid agent-hour of team `team`, if priced.
    pub fn team_rate(&self, team: usize) -> Option<f64> {
        self.team_per_hour
            .get(team)
            .copied()
            .flatten()
            .or(self.human_per_hour)
    }
}

/// `[[backlog]]`: contacts already waiting in a channel's queue when the
/// simulation starts (at the start of the warm-up, or of the horizon when
/// there is no warm-up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backlog {
    /// Channel index.
    pub channel: usize,
    /// Number of waiting contacts.
    pub contacts: u32,
    /// How long they have already waited at the start, seconds.
    pub waited_s: f64,
}
