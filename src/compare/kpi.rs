//! The KPIs `compare` reports, per replication, for the whole centre or one channel.
//!
//! Each is the per-replication value that `summarize` averages (DESIGN.md §5),
//! so a variant's mean here equals the `summary.json` mean of the same run.

use crate::metrics::{ContactStats, ReplicationStats, TeamStats};
use crate::scenario::Scenario;

/// KPI names, in report order.
pub const KPIS: [&str; 18] = [
    "offered",
    "answered",
    "abandoned",
    "service_level",
    "asa_s",
    "p_wait",
    "abandon_rate",
    "aht_s",
    "resolution",
    "fcr",
    "containment",
    "false_containment",
    "human_offered",
    "human_service_level",
    "human_abandon_rate",
    "handoff_extra_s",
    "recontact_rate",
    "occupancy",
];

/// How a KPI is displayed in the text table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Contacts per replication.
    Count,
    /// A fraction in [0, 1].
    Fraction,
    /// Seconds.
    Seconds,
}

/// The display unit of `KPIS[k]`.
pub fn unit(k: usize) -> Unit {
    match KPIS[k] {
        "offered" | "answered" | "abandoned" | "human_offered" => Unit::Count,
        "asa_s" | "aht_s" | "handoff_extra_s" => Unit::Seconds,
        _ => Unit::Fraction,
    }
}

/// What a row covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// All channels together.
    Overall,
    /// One channel, by name (occupancy: the teams serving it).
    Channel(String),
}

impl Scope {
    /// `overall` or `channel:<name>`.
    pub fn label(&self) -> String {
        match self {
            Scope::Overall => "overall".into(),
            Scope::Channel(name) => format!("channel:{name}"),
        }
    }
}

/// Per replication, every KPI of `scope` (all `None` for a channel the
/// scenario does not have).
pub fn per_replication(
    scenario: &Scenario,
    reps: &[ReplicationStats],
    scope: &Scope,
) -> Vec<[Option<f64>; KPIS.len()]> {
    let channel = match scope {
        Scope::Overall => None,
        Scope::Channel(name) => match scenario.channel_index(name) {
            Some(ci) => Some(ci),
            None => return vec![[None; KPIS.len()]; reps.len()],
        },
    };
    reps.iter()
        .map(|r| match channel {
            None => values(&r.contact_total(), &r.team_total(|_| true)),
            Some(ci) => values(
                &r.channel_total(ci),
                &r.team_total(|t| scenario.teams[t].channels.contains(&ci)),
            ),
        })
        .collect()
}

fn values(c: &ContactStats, t: &TeamStats) -> [Option<f64>; KPIS.len()] {
    [
        Some(c.offered as f64),
        Some(c.answered as f64),
        Some(c.abandoned as f64),
        c.service_level(),
        c.asa_s(),
        c.p_wait(),
        c.abandon_rate(),
        c.aht_s(),
        c.resolution(),
        c.fcr(),
        c.containment(),
        c.false_containment(),
        Some(c.human_offered as f64),
        c.human_service_level(),
        c.human_abandon_rate(),
        c.handoff_extra_s(),
        c.recontact_rate(),
        t.occupancy(),
    ]
}
