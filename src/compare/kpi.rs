//! The KPIs `compare` reports, per replication, for the whole centre or one channel.
//!
//! Each is the per-replication value that `summarize` averages (DESIGN.md §5),
//! so a variant's mean here equals the `summary.json` mean of the same run.

use crate::metrics::{
    COMPARE_KPIS, COST_KPIS, ContactStats, KPI_DEFS, N_COMPARE_KPIS, ReplicationStats, TeamStats,
    Unit, replication_costs,
};
use crate::scenario::Scenario;

/// KPI names, in report order (`KPI_DEFS`' compare positions).
pub const KPIS: [&str; N_COMPARE_KPIS] = {
    let mut out = [""; N_COMPARE_KPIS];
    let mut n = 0;
    while n < N_COMPARE_KPIS {
        out[n] = KPI_DEFS[COMPARE_KPIS[n]].name;
        n += 1;
    }
    out
};

/// The display unit of `KPIS[k]`.
pub fn unit(k: usize) -> Unit {
    KPI_DEFS[COMPARE_KPIS[k]].unit
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

/// The KPI names a comparison reports in `scope`: [`KPIS`], then, in the
/// overall scope when the base arm prices its resources (`[costs]`), the cost
/// figures of `metrics::COST_KPIS` (FTE, paid hours, cost per contact and per
/// resolved problem, …).
pub fn names(priced: bool, scope: &Scope) -> Vec<&'static str> {
    let mut names = KPIS.to_vec();
    if priced && *scope == Scope::Overall {
        names.extend(COST_KPIS.iter().map(|(n, _)| *n));
    }
    names
}

/// The display unit of a KPI reported by compare.
pub fn unit_of(name: &str) -> Unit {
    match KPIS.iter().position(|n| *n == name) {
        Some(k) => unit(k),
        None => Unit::Amount,
    }
}

/// Per replication, the value of each KPI in `names(priced, scope)` (all
/// `None` for a channel the scenario does not have).
pub fn per_replication(
    scenario: &Scenario,
    reps: &[ReplicationStats],
    scope: &Scope,
    priced: bool,
) -> Vec<Vec<Option<f64>>> {
    let width = names(priced, scope).len();
    let channel = match scope {
        Scope::Overall => None,
        Scope::Channel(name) => match scenario.channel_index(name) {
            Some(ci) => Some(ci),
            None => return vec![vec![None; width]; reps.len()],
        },
    };
    reps.iter()
        .map(|r| {
            let mut row = match channel {
                None => values(&r.contact_total(), &r.team_total(|_| true)),
                Some(ci) => values(
                    &r.channel_total(ci),
                    &r.team_total(|t| scenario.teams[t].channels.contains(&ci)),
                ),
            };
            if width > row.len() {
                // An arm without `[costs]` has no cost figures to pair.
                let costs = scenario
                    .costs
                    .priced
                    .then(|| replication_costs(scenario, r));
                row.extend(COST_KPIS.iter().map(|(_, f)| costs.as_ref().and_then(f)));
            }
            row
        })
        .collect()
}

fn values(c: &ContactStats, t: &TeamStats) -> Vec<Option<f64>> {
    COMPARE_KPIS
        .iter()
        .map(|&i| (KPI_DEFS[i].value)(c, t))
        .collect()
}
