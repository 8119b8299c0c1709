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
        }
    }
}

/// `[costs]`: prices used by the planner's roster.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Costs {
    /// Cost of one paid human agent-hour (any currency); `None`: costs not reported.
    pub human_per_hour: Option<f64>,
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
