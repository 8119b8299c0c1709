//! The labelled conventions `cxsim sensitivity` puts on trial: each one is a
//! modelling assumption with no study behind its exact value (or a paper's
//! point estimate with a wide interval), its default, and a documented
//! low–high range (../shared/DOMAIN.md gives the sources and labels).
//!
//! A convention is written into the scenario's TOML at one or more paths,
//! so a variant built from it is validated like any `[[variant]]`: a range
//! outside a parameter's domain is reported with the key, the value and what
//! is allowed.

use crate::scenario::{Scenario, people::AssistMode};

/// How a convention's value is written at its paths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// A plain number.
    Number,
    /// A duration written as a lognormal distribution's mean, with this CV
    /// (the shape of the built-in default it replaces).
    LognormalMean {
        /// Coefficient of variation of the distribution.
        cv: f64,
    },
    /// A duration written as an exponential distribution's mean.
    ExponentialMean,
    /// A multiplier applied to each path's current value (per-intent values
    /// differ; the multiplier keeps their ratios).
    Scale,
}

/// Where a convention is written, and the bounds its value is kept in there.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The TOML path (the `[[variant]]` grammar).
    pub path: String,
    /// The value there now (for [`Shape::Scale`]).
    pub current: f64,
    /// Smallest value written (e.g. a learning ceiling never below the
    /// intent's starting resolution).
    pub min: f64,
    /// Largest value written (e.g. an AI resolution never above its ceiling).
    pub max: f64,
}

/// One assumption on trial.
#[derive(Debug, Clone, PartialEq)]
pub struct Convention {
    /// Short name, used by `--only` and `--range`.
    pub name: &'static str,
    /// What it means, for the report.
    pub label: &'static str,
    /// Where the value comes from (DOMAIN.md label).
    pub source: &'static str,
    /// The value the model uses when the scenario sets none.
    pub default: f64,
    /// Low and high ends of the range tried.
    pub low: f64,
    /// See `low`.
    pub high: f64,
    /// How the value is written.
    pub shape: Shape,
    /// Values a range may take, inclusive, where the written value is kept
    /// in bounds at its paths (a factor or a ceiling clamped per intent) and
    /// the scenario's validation therefore never sees a value outside them.
    /// `None`: the value is written as given and validated like any key.
    pub allowed: Option<(f64, f64)>,
}

/// Every convention cxsim knows, in report order. Durations are seconds.
pub const CONVENTIONS: &[Convention] = &[
    Convention {
        name: "context_time_none",
        label: "Time to re-establish context when none is handed over (s)",
        source: "convention: repeating and re-authenticating ≈ 2 min",
        default: 120.0,
        low: 60.0,
        high: 240.0,
        shape: Shape::LognormalMean { cv: 0.5 },
        allowed: None,
    },
    Convention {
        name: "context_time_summary",
        label: "Time to check a handed-over summary (s)",
        source: "convention: ≈ 45 s",
        default: 45.0,
        low: 20.0,
        high: 90.0,
        shape: Shape::LognormalMean { cv: 0.5 },
        allowed: None,
    },
    Convention {
        name: "context_patience_none",
        label: "Patience left after a handoff without context (factor)",
        source: "convention: 0.7",
        default: 0.7,
        low: 0.5,
        high: 0.9,
        shape: Shape::Number,
        allowed: None,
    },
    Convention {
        name: "context_resolution_none",
        label: "Human resolution change after a handoff without context",
        source: "convention: −0.05 (Zhang & Narayandas [paper]: a bot-failed handoff lowers sentiment)",
        default: -0.05,
        low: -0.10,
        high: 0.0,
        shape: Shape::Number,
        allowed: None,
    },
    Convention {
        name: "ai_resolution",
        label: "AI true resolution, every intent (× factor)",
        source: "vendor: 40% default, 15–65% range",
        default: 1.0,
        low: 0.7,
        high: 1.3,
        shape: Shape::Scale,
        allowed: Some((0.0, f64::INFINITY)),
    },
    Convention {
        name: "false_containment",
        label: "Unresolved AI sessions ended by the AI (false containment)",
        source: "convention: 0.15 (15–25% of contained sessions, vendor definition)",
        default: 0.15,
        low: 0.08,
        high: 0.25,
        shape: Shape::Number,
        allowed: None,
    },
    Convention {
        name: "ask_for_human",
        label: "Customers who ask the AI for a person",
        source: "convention: 20% (20–30% from the Gartner 2024 survey figures)",
        default: 0.20,
        low: 0.10,
        high: 0.30,
        shape: Shape::Number,
        allowed: None,
    },
    Convention {
        name: "assist_handle_time",
        label: "Handle-time factor of real-time assist",
        source: "paper: × 0.915 (Brynjolfsson, Li & Raymond 2025); range a convention",
        default: 0.915,
        low: 0.85,
        high: 1.0,
        shape: Shape::Number,
        allowed: None,
    },
    Convention {
        name: "assist_wrap_up",
        label: "Wrap-up factor of assist (automatic summaries)",
        source: "convention: × 0.6 (30–50% cut)",
        default: 0.6,
        low: 0.5,
        high: 0.8,
        shape: Shape::Number,
        allowed: None,
    },
    Convention {
        name: "recontact",
        label: "Unresolved customers who come back",
        source: "convention: 0.7",
        default: 0.7,
        low: 0.5,
        high: 0.9,
        shape: Shape::Number,
        allowed: None,
    },
    Convention {
        name: "voice_patience",
        label: "Mean voice patience (s)",
        source: "convention: exponential, mean 180 s (Zohar, Mandelbaum & Shimkin 2002: patience adapts)",
        default: 180.0,
        low: 120.0,
        high: 300.0,
        shape: Shape::ExponentialMean,
        allowed: None,
    },
    Convention {
        name: "learning_rate",
        label: "AI learning rate from detected failures (per week)",
        source: "convention",
        default: 0.2,
        low: 0.1,
        high: 0.4,
        shape: Shape::Number,
        allowed: None,
    },
    Convention {
        name: "ai_ceiling",
        label: "Ceiling of AI resolution under learning",
        source: "convention",
        default: 0.75,
        low: 0.6,
        high: 0.9,
        shape: Shape::Number,
        allowed: Some((0.0, 1.0)),
    },
];

/// The convention called `name`.
pub fn find(name: &str) -> Option<&'static Convention> {
    CONVENTIONS.iter().find(|c| c.name == name)
}

/// Where a convention is written in `scenario` (empty when the scenario has
/// nothing it applies to, e.g. no AI agent).
pub fn paths(c: &Convention, scenario: &Scenario) -> Vec<Target> {
    let ai = scenario.ai_agent.as_ref();
    let has_channel = |name: &str| scenario.channel_index(name).is_some();
    match c.name {
        "context_time_none" if ai.is_some() => one("ai_agent.context_time.none"),
        "context_time_summary" if ai.is_some() => one("ai_agent.context_time.summary"),
        "context_patience_none" if ai.is_some() => one("ai_agent.context_patience.none"),
        "context_resolution_none" if ai.is_some() => one("ai_agent.context_resolution.none"),
        "false_containment" if ai.is_some() => one("ai_agent.false_containment"),
        "ask_for_human" if ai.is_some() => one("ai_agent.escalation.ask_for_human"),
        // Per intent, kept at or under the learning ceiling (validation
        // requires the start to be at or under it).
        "ai_resolution" => match ai {
            Some(ai) => scenario
                .intents
                .iter()
                .enumerate()
                .map(|(i, intent)| Target {
                    path: format!("intent.{}.ai_resolution", intent.name),
                    current: ai.resolution[i],
                    min: 0.0,
                    max: scenario.quality.as_ref().map_or(1.0, |q| q.ceiling[i]),
                })
                .collect(),
            None => Vec::new(),
        },
        "assist_handle_time" => team_paths(scenario, "handle_time", |m| m == AssistMode::Realtime),
        "assist_wrap_up" => team_paths(scenario, "wrap_up", |m| m != AssistMode::None),
        "recontact" if ai.is_some() || scenario.ivr.is_some() => one("customers.recontact"),
        "voice_patience" if has_channel("voice") => {
            match &scenario.channels[scenario.channel_index("voice").unwrap_or(0)].patience {
                Some(_) => one("channel.voice.patience"),
                None => Vec::new(),
            }
        }
        "learning_rate" if scenario.quality.as_ref().is_some_and(|q| q.feedback) => {
            one("quality.learning_rate")
        }
        // Per intent, never below the intent's starting resolution.
        "ai_ceiling" if scenario.quality.as_ref().is_some_and(|q| q.feedback) => match ai {
            Some(ai) => scenario
                .intents
                .iter()
                .enumerate()
                .map(|(i, intent)| Target {
                    path: format!("intent.{}.ai_ceiling", intent.name),
                    current: f64::NAN,
                    min: ai.resolution[i],
                    max: 1.0,
                })
                .collect(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn one(path: &str) -> Vec<Target> {
    vec![Target {
        path: path.to_string(),
        current: f64::NAN,
        min: f64::NEG_INFINITY,
        max: f64::INFINITY,
    }]
}

fn team_paths(scenario: &Scenario, effect: &str, with: impl Fn(AssistMode) -> bool) -> Vec<Target> {
    scenario
        .teams
        .iter()
        .filter(|t| with(t.assist.mode))
        .flat_map(|t| one(&format!("team.{}.assist_effects.{effect}", t.name)))
        .collect()
}

/// The TOML value written at `target` for `value`.
pub fn render(shape: Shape, value: f64, target: &Target) -> toml::Value {
    let keep = |x: f64| x.clamp(target.min, target.max);
    let duration = |x: f64| crate::scenario::format_duration(x).into();
    match shape {
        Shape::Number => toml::Value::Float(keep(value)),
        Shape::Scale => toml::Value::Float(keep(target.current * value)),
        Shape::LognormalMean { cv } => {
            let mut t = toml::Table::new();
            t.insert("dist".into(), "lognormal".into());
            t.insert("mean".into(), duration(keep(value)));
            t.insert("cv".into(), toml::Value::Float(cv));
            toml::Value::Table(t)
        }
        Shape::ExponentialMean => {
            let mut t = toml::Table::new();
            t.insert("dist".into(), "exponential".into());
            t.insert("mean".into(), duration(keep(value)));
            toml::Value::Table(t)
        }
    }
}
