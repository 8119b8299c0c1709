//! Raw scenario structs: a 1:1 image of the TOML, only syntactically checked.
//!
//! Every table denies unknown keys so a typo is an error, not a silently
//! ignored setting. Semantic checks live in `validate.rs`, which turns these
//! into a [`super::Scenario`] that cannot be invalid.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole scenario file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub description: Option<String>,
    pub simulation: Option<RawSimulation>,
    pub demand: Option<RawDemand>,
    #[serde(default)]
    pub channel: BTreeMap<String, RawChannel>,
    #[serde(default)]
    pub team: Vec<RawTeam>,
    #[serde(default)]
    pub intent: Vec<RawIntent>,
    pub routing: Option<RawRouting>,
    pub ai_agent: Option<RawAiAgent>,
    pub ivr: Option<RawIvr>,
    pub customers: Option<RawCustomers>,
    pub quality: Option<RawQuality>,
    #[serde(default)]
    pub system: Vec<RawSystem>,
    #[serde(default)]
    pub outage: Vec<RawOutage>,
    pub targets: Option<RawTargets>,
    pub costs: Option<RawCosts>,
    #[serde(default)]
    pub backlog: Vec<RawBacklog>,
    /// `[[variant]]`: only its structure is checked here; `variant.rs` applies it.
    #[serde(default)]
    #[allow(dead_code)]
    pub variant: Vec<super::variant::RawVariant>,
}

/// `[ai_agent]`: the autonomous front line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAiAgent {
    pub enabled: Option<bool>,
    pub channels: Vec<String>,
    pub languages: Option<Vec<String>>,
    pub capacity: i64,
    pub overflow: Option<String>,
    pub triage_time: Option<RawDist>,
    pub handle_time: Option<RawDist>,
    pub resolution: Option<f64>,
    pub false_containment: Option<f64>,
    pub context: Option<String>,
    pub memory: Option<String>,
    pub context_time: Option<BTreeMap<String, RawDist>>,
    pub context_patience: Option<BTreeMap<String, f64>>,
    pub context_resolution: Option<BTreeMap<String, f64>>,
    pub escalation: Option<RawEscalation>,
}

/// `[ai_agent.escalation]`: each cause of a handoff to a person.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawEscalation {
    pub max_complexity: Option<String>,
    pub tiers: Option<Vec<String>>,
    pub emotional: Option<bool>,
    pub ask_for_human: Option<f64>,
    pub failure: Option<f64>,
    pub timeout: Option<String>,
    pub misroute: Option<f64>,
    pub misroute_time: Option<RawDist>,
}

/// `[ivr]`: a legacy menu front end that only routes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIvr {
    pub enabled: Option<bool>,
    pub channels: Vec<String>,
    pub time: RawDist,
    pub misroute: Option<f64>,
    pub misroute_time: Option<RawDist>,
}

/// `[customers]`: behaviour after a failed contact.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCustomers {
    pub recontact: Option<f64>,
    pub recontact_delay: Option<RawDist>,
    #[serde(default)]
    pub redial: BTreeMap<String, RawRedial>,
    #[serde(default)]
    pub callback: BTreeMap<String, RawCallback>,
}

/// Redials after abandonment, per channel.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    pub probability: f64,
    pub delay: RawDist,
    #[serde(default)]
    pub switch: BTreeMap<String, f64>,
}

/// A callback (virtual hold) offer, per channel.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallback {
    pub threshold: String,
    pub accept: f64,
}

/// `[simulation]`
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub seed: Option<i64>,
    pub horizon: Option<String>,
    pub warmup: Option<String>,
    pub replications: Option<i64>,
    pub interval: Option<String>,
    pub start: Option<toml::value::Datetime>,
}

/// `[demand]`
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    #[serde(default)]
    pub stream: Vec<RawStream>,
    #[serde(default)]
    pub region: Vec<RawRegion>,
    #[serde(default)]
    pub profile: Vec<RawProfile>,
    pub trace: Option<String>,
    pub trace_interval: Option<String>,
    /// Day-level over-dispersion of the trace's regions (`demand.day_cv`).
    pub day_cv: Option<f64>,
}

/// A category → share table, e.g. `{ voice = 0.6, chat = 0.4 }`.
pub type RawShares = BTreeMap<String, f64>;

/// `[[demand.region]]`: a region's weekly demand, shape and mixes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub name: String,
    pub volume_per_week: Option<f64>,
    pub volume_per_day: Option<f64>,
    pub profile: Option<String>,
    pub channel_mix: RawShares,
    pub language_mix: Option<RawShares>,
    pub intent_mix: Option<RawShares>,
    pub value_mix: Option<RawShares>,
    pub day_cv: Option<f64>,
    #[serde(default)]
    pub special_days: Vec<RawSpecialDay>,
}

/// `[[demand.profile]]`: a custom arrival shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub name: String,
    pub intraday: RawIntraday,
    pub weekday: Option<Vec<f64>>,
    #[serde(default)]
    pub special_days: Vec<RawSpecialDay>,
}

/// Intraday weights: one curve for every channel, or one per channel name
/// (with an optional `default`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawIntraday {
    All(Vec<f64>),
    PerChannel(BTreeMap<String, Vec<f64>>),
}

/// A dated demand multiplier (festival, holiday, campaign).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpecialDay {
    pub date: toml::value::Datetime,
    pub multiplier: f64,
    /// A label for people (e.g. "Diwali"); the model does not use it.
    #[allow(dead_code)]
    pub name: Option<String>,
}

/// `[[intent]]`: why customers contact.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntent {
    pub name: String,
    pub share: f64,
    pub complexity: Option<String>,
    #[serde(default)]
    pub emotional: bool,
    #[serde(default)]
    pub repetitive: bool,
    #[serde(default)]
    pub handle_time: BTreeMap<String, RawDist>,
    #[serde(default)]
    pub wrap_up: BTreeMap<String, RawDist>,
    pub human_resolution: Option<f64>,
    pub ai_resolution: Option<f64>,
    pub ai_handle_time: Option<RawDist>,
    pub ai_ceiling: Option<f64>,
    pub systems: Option<Vec<String>>,
}

/// `[[demand.stream]]`: a constant-rate Poisson stream.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStream {
    pub name: Option<String>,
    pub channel: String,
    pub rate_per_hour: f64,
    pub intent_mix: Option<RawShares>,
    pub language_mix: Option<RawShares>,
    pub value_mix: Option<RawShares>,
}

/// `[channel.<name>]`
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    pub patience: Option<RawDist>,
    pub service_level: Option<RawServiceLevel>,
    pub deferred: Option<bool>,
}

/// `service_level = { within = "20s", target = 0.8 }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServiceLevel {
    pub within: String,
    pub target: f64,
    pub short_abandon: Option<String>,
    pub basis: Option<String>,
}

/// A distribution table such as `{ dist = "lognormal", mean = "5m", cv = 0.6 }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: String,
    pub mean: Option<String>,
    pub cv: Option<f64>,
    pub value: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
}

/// `[[team]]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    pub name: String,
    pub agents: Option<i64>,
    pub agents_per_interval: Option<Vec<i64>>,
    pub staffing_interval: Option<String>,
    pub channels: Vec<String>,
    pub intents: Option<Vec<String>>,
    pub languages: Option<Vec<String>>,
    pub proficiency: Option<f64>,
    pub handle_time: Option<RawDist>,
    #[serde(default)]
    pub wrap_up: BTreeMap<String, RawDist>,
    #[serde(default)]
    pub concurrency: BTreeMap<String, i64>,
    pub concurrency_slowdown: Option<f64>,
    pub shrinkage: Option<f64>,
    pub assist: Option<String>,
    pub assist_effects: Option<RawAssistEffects>,
    pub fatigue: Option<RawFatigue>,
    pub attrition: Option<RawAttrition>,
    pub load_speed: Option<RawLoadSpeed>,
    #[serde(default)]
    pub shift: Vec<RawShift>,
    pub shift_family: Option<RawShiftFamily>,
}

/// `[team.shift_family]`: the shifts the planner may roster the team on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShiftFamily {
    pub earliest_start: Option<String>,
    pub latest_start: Option<String>,
    pub step: Option<String>,
    pub lengths: Option<Vec<String>>,
    #[serde(default)]
    pub part_time_lengths: Vec<String>,
    pub days_per_week: Option<i64>,
    pub split_days_off: Option<bool>,
    pub min_week_hours: Option<f64>,
    pub max_week_hours: Option<f64>,
    pub max_part_time_share: Option<f64>,
    pub max_night_share: Option<f64>,
    pub breaks: Option<Vec<RawBreak>>,
}

/// `[[team.shift]]`: a shift template worked by `agents` agents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    pub start: String,
    pub length: String,
    pub days: Option<Vec<String>>,
    pub days_per_week: Option<i64>,
    pub agents: i64,
    #[serde(default)]
    pub breaks: Vec<RawBreak>,
}

/// A break inside a shift.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreak {
    pub after: Option<String>,
    pub window: Option<Vec<String>>,
    pub length: String,
    pub step: Option<String>,
    pub paid: Option<bool>,
    pub min_shift: Option<String>,
}

/// Overrides of an assist mode's effects.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssistEffects {
    pub handle_time: Option<f64>,
    pub wrap_up: Option<f64>,
    pub resolution: Option<f64>,
    pub context: Option<f64>,
    pub new_hire_handle_time: Option<f64>,
    pub ramp: Option<f64>,
}

/// `fatigue = { ... }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFatigue {
    pub per_shift_hour: Option<f64>,
    pub per_busy_hour: Option<f64>,
    pub recovery: Option<String>,
    pub unresolved_per_busy_hour: Option<f64>,
}

/// `attrition = { ... }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttrition {
    pub annual_rate: f64,
    pub occupancy_threshold: Option<f64>,
    pub occupancy_factor: Option<f64>,
    pub repetitive_factor: Option<f64>,
    pub hire_lead: Option<String>,
    pub ramp: Option<String>,
    pub ramp_start: Option<f64>,
    pub replace: Option<bool>,
}

/// `load_speed = { ... }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoadSpeed {
    pub queue_per_agent: f64,
    pub factor: f64,
}

/// `[routing]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRouting {
    pub strategy: String,
    pub tier_weights: Option<BTreeMap<String, f64>>,
    pub intent_weights: Option<BTreeMap<String, f64>>,
    pub ageing_per_min: Option<f64>,
    pub overflow_after: Option<String>,
    pub class: Option<String>,
    pub costs: Option<BTreeMap<String, f64>>,
    pub cost_exponent: Option<f64>,
    pub reserve: Option<BTreeMap<String, i64>>,
    pub protected_tiers: Option<Vec<String>>,
    pub protect_escalated: Option<bool>,
    pub min_ai_resolution: Option<f64>,
    pub bypass_tiers: Option<Vec<String>>,
    pub bypass_intents: Option<Vec<String>>,
    pub escalated_first: Option<bool>,
    pub queue_ratios: Option<BTreeMap<String, f64>>,
    pub idle_ratios: Option<BTreeMap<String, f64>>,
}

/// `[quality]`: scoring, detection, feedback and coaching.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuality {
    pub share_scored: f64,
    pub cost_per_contact: Option<f64>,
    pub analyst_minutes: Option<f64>,
    pub detection: Option<f64>,
    pub feedback: Option<bool>,
    pub learning_rate: Option<f64>,
    pub learning_time: Option<String>,
    pub learning_evidence: Option<f64>,
    pub ceiling: Option<f64>,
    pub coaching: Option<RawCoaching>,
}

/// `coaching = { time = "30m", uplift = 0.05, decay = "4w" }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoaching {
    pub time: String,
    pub uplift: f64,
    pub decay: String,
    pub max_uplift: Option<f64>,
    pub max_per_month: Option<String>,
}

/// `[[system]]`: a back-office system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSystem {
    pub name: String,
    pub latency: Option<RawDist>,
    pub failure: Option<f64>,
    pub max_wait: Option<String>,
}

/// `[[outage]]`: a system down from `start` (after the horizon's start) for `length`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutage {
    pub system: String,
    pub start: String,
    pub length: String,
}

/// `[targets]`: what `cxsim plan` staffs to.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    pub service_level: Option<BTreeMap<String, f64>>,
    pub max_abandon: Option<f64>,
    pub confidence: Option<f64>,
    pub max_agents: Option<BTreeMap<String, i64>>,
    pub tier: Option<BTreeMap<String, RawTierTarget>>,
}

/// `[targets.tier.<name>]`: one customer value tier's own targets.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTierTarget {
    pub service_level: Option<f64>,
    pub max_abandon: Option<f64>,
}

/// `[costs]`
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    pub currency: Option<String>,
    pub human_per_hour: Option<f64>,
    pub team_per_hour: Option<BTreeMap<String, f64>>,
    pub ai_per_session: Option<f64>,
    pub ai_per_minute: Option<f64>,
    pub platform_per_week: Option<f64>,
    pub telephony_per_minute: Option<f64>,
    pub repeat_contact: Option<f64>,
}

/// `[[backlog]]`: contacts already waiting at the start.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBacklog {
    pub channel: String,
    pub contacts: i64,
    pub waited: Option<String>,
}
