//! Scenario files: TOML in, a validated [`Scenario`] out.
//!
//! Loading is two-phase (as in ripgrep's low/high arguments): `raw` mirrors the
//! TOML one to one and rejects unknown keys; `validate` checks meaning and
//! collects *every* violation with its key path, value and what is allowed.
//! A [`Scenario`] that exists is valid: the engine never re-checks it.

pub mod ai;
pub mod breaks;
mod dist;
mod duration;
mod error;
pub mod family;
pub mod limits;
pub(crate) mod overrides;
pub mod people;
mod plan;
pub mod quality;
mod raw;
mod routing;
mod validate;
pub(crate) mod variant;

pub use dist::{DIST_NAMES, Dist};
pub use duration::{DURATION_HELP, format_duration, parse_duration_s};
pub use error::{Issue, ScenarioError, SourceMap};
pub use overrides::Overrides;
pub use people::{
    Assist, AssistMode, Attrition, Fatigue, LoadSpeed, NOMINAL_SHIFT_H, Shift, Staffing, Team,
};
pub use plan::{Backlog, Costs, Targets, TierTarget};
pub use routing::{
    AiTriageParams, ClassKey, CmuParams, PriorityParams, QueueRatioParams, Routing, STRATEGIES,
    StrategyInfo, ThresholdParams, strategy_info,
};
pub use variant::{BASE_NAME, MAX_VARIANTS, Override, RawVariant, Variant};

use crate::demand::{Mix, RateProfile};
use std::path::Path;

/// A validated scenario, ready to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Scenario name; names the default output folder.
    pub name: String,
    /// Free text shown in reports.
    pub description: String,
    /// Run control: seed, horizon, warm-up, replications, interval.
    pub simulation: Simulation,
    /// Calendar date of the horizon's first day (a Monday when not given).
    pub start_date: Option<chrono::NaiveDate>,
    /// Channels in first-use order; everything else refers to them by index.
    pub channels: Vec<Channel>,
    /// Demand regions (`default` for streams and traces without a region).
    pub regions: Vec<Region>,
    /// Contact intents; one implicit `general` intent when none are given.
    pub intents: Vec<Intent>,
    /// Languages named by any mix (`default` when none).
    pub languages: Vec<String>,
    /// Customer value tiers named by any mix (`standard` when none).
    pub tiers: Vec<String>,
    /// Arrival sources: constant streams, region × channel profiles, trace series.
    pub sources: Vec<Source>,
    /// Human teams.
    pub teams: Vec<Team>,
    /// The AI agent in front, if any.
    pub ai_agent: Option<ai::AiAgent>,
    /// A legacy IVR in front, if any (channels the AI does not take).
    pub ivr: Option<ai::Ivr>,
    /// Customer behaviour after failed contacts.
    pub customers: ai::Customers,
    /// Routing policy.
    pub routing: Routing,
    /// Quality programme (`[quality]`), if any.
    pub quality: Option<quality::Quality>,
    /// Back-office systems, outages and the intents that need them.
    pub back_office: quality::BackOffice,
    /// `[targets]`: what `cxsim plan` staffs to.
    pub targets: Targets,
    /// `[costs]`: prices for the planner's roster.
    pub costs: Costs,
    /// `[[backlog]]`: contacts already waiting at the start.
    pub backlog: Vec<Backlog>,
}

/// `[simulation]`: how long, how often, how reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Simulation {
    /// Master seed; replication seeds derive from it and the replication index.
    pub seed: u64,
    /// Measured simulated time after warm-up, seconds.
    pub horizon_s: f64,
    /// Simulated but unmeasured time before the horizon, seconds.
    pub warmup_s: f64,
    /// Independent replications.
    pub replications: u32,
    /// Reporting interval, seconds.
    pub interval_s: f64,
}

impl Simulation {
    /// Number of reporting intervals covering the horizon (the last may be partial).
    ///
    /// Counted in whole microseconds, rounded as the engine's clock rounds them
    /// (`engine::ticks`), so it is exactly the number of intervals the engine
    /// indexes. A float count disagrees when a duration has a sub-microsecond
    /// fraction: "60.0000004s" intervals over a "120.0000008s" horizon are two
    /// in `f64` but three on the clock (see tests/integration/hostile.rs).
    pub fn intervals(&self) -> usize {
        let micros = |s: f64| (s * 1_000_000.0).round() as u64;
        micros(self.horizon_s).div_ceil(micros(self.interval_s).max(1)) as usize
    }
}

/// A contact channel (voice, chat, messaging, email, or any other name).
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    /// Channel name as written in the scenario.
    pub name: String,
    /// Time a customer is willing to wait; `None`: customers never abandon.
    pub patience: Option<Dist>,
    /// Service-level threshold and target.
    pub service_level: ServiceLevel,
    /// Deferred work (email by default): agents take it only when no real-time
    /// contact of theirs is waiting.
    pub deferred: bool,
}

/// A service-level target: `target` of contacts answered within `within_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceLevel {
    /// Threshold in seconds.
    pub within_s: f64,
    /// Target fraction in [0, 1].
    pub target: f64,
    /// True when the scenario gave it; false when it is the channel's conventional default.
    pub explicit: bool,
    /// Abandons after a wait shorter than this (seconds) are left out of
    /// service level and abandonment (a common WFM convention for callers
    /// who hang up at once: misdials, a change of mind); 0 by default.
    pub short_abandon_s: f64,
    /// What service level divides by.
    pub basis: SlBasis,
}

/// What a service level divides answered-within-threshold by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlBasis {
    /// Answered + abandoned, short abandons left out (DESIGN.md §5; the default).
    #[default]
    Finished,
    /// Every contact offered (short abandons included).
    Offered,
    /// Answered contacts only (abandons ignored).
    Answered,
}

impl ServiceLevel {
    /// Conventional default target per channel (\[convention\], see DOMAIN.md
    /// "80/20 is a habit"): voice 80% in 20 s, chat 80% in 60 s, messaging 80% in
    /// 15 min, email 90% in 24 h; any other channel 80% in 20 s.
    pub fn conventional(channel: &str) -> ServiceLevel {
        let (within_s, target) = match channel {
            "chat" => (60.0, 0.8),
            "messaging" => (900.0, 0.8),
            "email" => (86_400.0, 0.9),
            _ => (20.0, 0.8),
        };
        ServiceLevel {
            within_s,
            target,
            explicit: false,
            short_abandon_s: 0.0,
            basis: SlBasis::Finished,
        }
    }
}

/// One source of arrivals: a Poisson process with a periodic piecewise-constant
/// rate, whose contacts carry intent, language and value tier drawn from mixes.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Source name (stream name, `region/channel`, or `trace/region/channel[/intent]`).
    pub name: String,
    /// Index into [`Scenario::regions`].
    pub region: usize,
    /// Index into [`Scenario::channels`].
    pub channel: usize,
    /// The arrival rate over one cycle.
    pub rate: RateProfile,
    /// Intent mix (indices into [`Scenario::intents`]).
    pub intent_mix: Mix,
    /// Language mix (indices into [`Scenario::languages`]).
    pub language_mix: Mix,
    /// Value-tier mix (indices into [`Scenario::tiers`]).
    pub tier_mix: Mix,
}

/// A demand region: its day-level over-dispersion and special days.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Region name.
    pub name: String,
    /// Coefficient of variation of the gamma day multiplier (0: none).
    pub day_cv: f64,
    /// (horizon day index, multiplier) for dated special days.
    pub special_days: Vec<(i64, f64)>,
}

/// How hard an intent is to handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Complexity {
    /// Simple, scriptable.
    Low,
    /// Ordinary.
    Medium,
    /// Needs judgement or several systems.
    High,
}

/// Why a customer contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Intent {
    /// Intent name.
    pub name: String,
    /// Default share of contacts.
    pub share: f64,
    /// Complexity class.
    pub complexity: Complexity,
    /// Emotionally charged (complaints, bereavement…).
    pub emotional: bool,
    /// Repetitive, routine work (feeds burnout).
    pub repetitive: bool,
    /// Human handle time per channel index, where the intent sets one.
    pub handle_time: Vec<Option<Dist>>,
    /// Human wrap-up per channel index, where the intent sets one (else the team's).
    pub wrap_up: Vec<Option<Dist>>,
    /// Probability that a human resolves the contact on this contact
    /// (default 0.8 [convention: commonly quoted FCR 70–80%]).
    pub human_resolution: f64,
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let (text, file) = read_text(path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        validate::parse(&text, &file, base)
    }

    /// Parses and validates scenario text; `file` names it in errors, and
    /// relative paths in it resolve against the current folder.
    pub fn from_toml_str(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
        validate::parse(text, file, Path::new("."))
    }

    /// Parses and validates scenario text whose relative paths (traces)
    /// resolve against `base_dir` (e.g. an edited copy of a file's text).
    pub fn from_toml_str_in(
        text: &str,
        file: &str,
        base_dir: &Path,
    ) -> Result<Scenario, ScenarioError> {
        validate::parse(text, file, base_dir)
    }

    /// Index of the channel called `name`.
    pub fn channel_index(&self, name: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.name == name)
    }
}

/// Reads a scenario file as text within the size limit; returns the text and
/// the file name for messages.
fn read_text(path: &Path) -> Result<(String, String), ScenarioError> {
    let file = path.display().to_string();
    // Bounded whatever the file is (a FIFO or /dev/zero has no useful size).
    let bytes = crate::input::read_bounded(path, limits::MAX_FILE_BYTES).map_err(|e| match e {
        crate::input::ReadError::Io(source) => ScenarioError::Io {
            file: file.clone(),
            source,
        },
        crate::input::ReadError::TooLarge { limit } => ScenarioError::TooLarge {
            file: file.clone(),
            limit,
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ScenarioError::NotUtf8 {
        file: file.clone(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok((text, file))
}
