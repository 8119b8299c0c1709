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
    pub routing: Option<RawRouting>,
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
}

/// `[demand]`
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    #[serde(default)]
    pub stream: Vec<RawStream>,
}

/// `[[demand.stream]]`: a constant-rate Poisson stream.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStream {
    pub name: Option<String>,
    pub channel: String,
    pub rate_per_hour: f64,
}

/// `[channel.<name>]`
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    pub patience: Option<RawDist>,
    pub service_level: Option<RawServiceLevel>,
}

/// `service_level = { within = "20s", target = 0.8 }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServiceLevel {
    pub within: String,
    pub target: f64,
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
    pub agents: i64,
    pub channels: Vec<String>,
    pub handle_time: RawDist,
}

/// `[routing]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRouting {
    pub strategy: String,
}
