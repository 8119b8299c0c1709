//! The KPIs `compare` reports, per replication, for the whole centre or one channel.
//!
//! Each is the per-replication value that `summarize` averages (DESIGN.md §5),
//! so a variant's mean here equals the `summary.json` mean of the same run.

use crate::metrics::{
    COMPARE_KPIS, ContactStats, KPI_DEFS, N_COMPARE_KPIS, ReplicationStats, TeamStats, Unit,
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
    COMPARE_KPIS.map(|i| (KPI_DEFS[i].value)(c, t))
}
