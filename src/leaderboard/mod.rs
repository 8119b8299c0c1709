//! The routing leaderboard: every strategy on one benchmark scenario, ranked
//! by the scenario's objective, with paired differences to `fifo`.
//!
//! # Contract
//! - The arms are `compare` arms (the scenario with `[routing]` replaced,
//!   re-validated), all on the base's seed and replication indices: common
//!   random numbers, so differences are paired by replication. Arm 0 is
//!   `fifo`, the baseline.
//! - Everything here reads only each replication's run totals
//!   ([`crate::metrics::Totals`]), so a board built from the totals of
//!   `compare`-format shards equals the unsharded one bit for bit.
//! - Ranking: by the objective's mean, best first; ties keep arm order
//!   (fifo first). A strategy whose objective is undefined ranks last.
//! - Classes are the channels (`channel:<name>`) and, when the scenario has
//!   more than one intent, the intents (`intent:<name>`, e.g. the call types
//!   of a multi-skill centre): per-class ASA is the class's `asa_s`, and its
//!   `human_asa_s` (the wait for a person, which is what routing moves when
//!   an AI agent answers first). Intent figures need each replication's
//!   intent cells, which compare shards carry since they were added
//!   (earlier shard files merge with those figures left empty).
//! - Occupancy spread \[convention\]: per replication, the largest minus the
//!   smallest occupancy among the scenario's teams (0 with one team). The
//!   engine routes within a team longest-idle-first, which spreads work
//!   evenly between a team's agents, so the unevenness a strategy creates
//!   is between teams.
//! - Agent fairness: per replication, Jain's index of per-seat utilisation
//!   (busy ÷ available over the measured window) over every seat with
//!   available time, across all teams ([`crate::metrics::jain_index`];
//!   Jain, Chiu & Hawe 1984): 1 when every agent is equally utilised, 1/n
//!   when one agent does all the work; it equals 1 ÷ (1 + CV²) of the
//!   utilisations. It sees unevenness inside a team (a policy that prefers
//!   some agents of a pool) as well as between teams. Shard files written
//!   before per-seat time was recorded merge with it left empty.

mod chart;
mod render;

pub use chart::{FILE_NAME as CHART_FILE_NAME, leaderboard_chart};
pub use render::{
    CLASSES_CSV_HEADER, CSV_HEADER, classes_csv, leaderboard_csv, leaderboard_md, write_unless,
};

use crate::compare::{self, Arm, LEVEL, Row};
use crate::metrics::{ContactStats, ReplicationStats, mean_ci};
use crate::scenario::Variant;

/// What a benchmark scenario is ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Objective {
    /// Name written in the scenario's `# objective = "…"` line.
    pub name: &'static str,
    /// The `compare` KPI it reads.
    pub kpi: &'static str,
    /// Whether a larger value is better.
    pub higher_is_better: bool,
}

/// Every objective a suite scenario may state.
pub const OBJECTIVES: [Objective; 5] = [
    Objective {
        name: "service_level",
        kpi: "service_level",
        higher_is_better: true,
    },
    Objective {
        name: "abandonment",
        kpi: "abandon_rate",
        higher_is_better: false,
    },
    Objective {
        name: "asa",
        kpi: "asa_s",
        higher_is_better: false,
    },
    Objective {
        name: "journey_service_level",
        kpi: "journey_service_level",
        higher_is_better: true,
    },
    Objective {
        name: "effort",
        kpi: "effort",
        higher_is_better: false,
    },
];

/// KPIs reported beside the objective (overall).
pub const SHOWN: [&str; 4] = [
    "service_level",
    "abandon_rate",
    "asa_s",
    "journey_service_level",
];

/// The objective stated in a scenario's text (`# objective = "…"`; absent:
/// service level), or the message naming what was found and what is allowed.
pub fn objective_in(text: &str) -> Result<Objective, String> {
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("# objective =") else {
            continue;
        };
        let name = rest.trim().trim_matches('"');
        return OBJECTIVES
            .iter()
            .find(|o| o.name == name)
            .copied()
            .ok_or_else(|| {
                let allowed: Vec<String> =
                    OBJECTIVES.iter().map(|o| format!("{:?}", o.name)).collect();
                format!("objective {name:?}; allowed: {}", allowed.join(", "))
            });
    }
    Ok(OBJECTIVES[0])
}

/// A statistic over replications with its paired difference to fifo.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Paired {
    /// Mean over the replications where it is defined.
    pub mean: Option<f64>,
    /// 95% Student-t half-width of `mean`.
    pub ci95: Option<f64>,
    /// Mean of the paired differences to fifo.
    pub diff_mean: Option<f64>,
    /// 95% Student-t half-width of `diff_mean`.
    pub diff_ci95: Option<f64>,
}

impl From<&Row> for Paired {
    fn from(r: &Row) -> Self {
        Paired {
            mean: r.mean,
            ci95: r.ci95,
            diff_mean: r.diff_mean,
            diff_ci95: r.diff_ci95,
        }
    }
}

/// One strategy on one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Strategy name (the arm's name).
    pub strategy: String,
    /// 1 is best.
    pub rank: usize,
    /// The objective KPI.
    pub objective: Paired,
    /// The [`SHOWN`] KPIs, in order.
    pub shown: Vec<Paired>,
    /// Per class (see [`Board::classes`]): ASA of answered contacts (first
    /// answer, by the AI agent or a person).
    pub class_asa: Vec<Paired>,
    /// Per class: mean wait in the human queue of contacts a person
    /// answered (escalated or not); equals `class_asa` without a front line.
    pub class_human_asa: Vec<Paired>,
    /// Occupancy spread across teams (see the module docs).
    pub occupancy_spread: Paired,
    /// Jain's index of per-agent utilisation (see the module docs; higher
    /// is fairer).
    pub agent_fairness: Paired,
}

/// Every strategy on one scenario, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    /// Scenario name.
    pub scenario: String,
    /// What it is ranked by.
    pub objective: Objective,
    /// Replications per strategy.
    pub replications: u32,
    /// Class labels, `channel:<name>` then `intent:<name>` (the classes of
    /// `Entry::class_asa`).
    pub classes: Vec<String>,
    /// Ranked entries.
    pub entries: Vec<Entry>,
}

/// A class: its label and how to total its contacts in a replication.
#[derive(Clone, Copy)]
enum Class {
    Channel(usize),
    Intent(usize),
}

impl Class {
    fn stats(self, r: &ReplicationStats, intents: usize) -> Option<ContactStats> {
        match self {
            Class::Channel(c) => Some(r.channel_total(c)),
            // Merged from shard files without intent cells: unknown.
            Class::Intent(i) => (r.intent.len() == intents * r.channels).then(|| r.intent_total(i)),
        }
    }
}

/// Per replication, `f` of class `class`'s contacts.
fn per_class(
    reps: &[ReplicationStats],
    class: Class,
    intents: usize,
    f: fn(&ContactStats) -> Option<f64>,
) -> Vec<Option<f64>> {
    reps.iter()
        .map(|r| class.stats(r, intents).as_ref().and_then(f))
        .collect()
}

/// Occupancy of the most minus the least occupied team, per replication.
fn occupancy_spread(arm: &Variant, reps: &[ReplicationStats]) -> Vec<Option<f64>> {
    let teams = arm.scenario.teams.len();
    reps.iter()
        .map(|r| {
            let occ: Vec<f64> = (0..teams)
                .filter_map(|t| r.team_total(|i| i == t).occupancy())
                .collect();
            let max = occ
                .iter()
                .copied()
                .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))?;
            let min = occ.iter().copied().fold(f64::INFINITY, f64::min);
            Some(max - min)
        })
        .collect()
}

/// Mean, CI and paired difference to `base` of per-replication values.
fn paired(base: &[Option<f64>], values: &[Option<f64>]) -> Paired {
    let defined: Vec<f64> = values.iter().flatten().copied().collect();
    let diffs: Vec<f64> = base
        .iter()
        .zip(values)
        .filter_map(|(b, v)| Some((*v)? - (*b)?))
        .collect();
    let (mean, ci95) = mean_ci(&defined, LEVEL);
    let (diff_mean, diff_ci95) = mean_ci(&diffs, LEVEL);
    Paired {
        mean,
        ci95,
        diff_mean,
        diff_ci95,
    }
}

/// Ranks `arms` (fifo first; each arm's name is its strategy) by
/// `objective`, from each arm's replications in index order.
///
/// # Panics
/// If `arms` is empty or `reps` does not have one list per arm.
pub fn board(arms: &[Variant], reps: &[Vec<ReplicationStats>], objective: Objective) -> Board {
    assert_eq!(arms.len(), reps.len(), "one list of replications per arm");
    let runs: Vec<Arm<'_>> = arms
        .iter()
        .zip(reps)
        .map(|(variant, reps)| Arm { variant, reps })
        .collect();
    let comparison = compare::compare(&runs);
    let row = |arm: usize, scope: &str, kpi: &str| {
        comparison
            .rows
            .iter()
            .find(|r| r.scope == scope && r.kpi == kpi && r.variant == arms[arm].name)
            .expect("compare reports every KPI of every arm in every scope")
    };
    let s = &arms[0].scenario;
    let intents = s.intents.len();
    let mut classes: Vec<(String, Class)> = s
        .channels
        .iter()
        .enumerate()
        .map(|(c, ch)| (format!("channel:{}", ch.name), Class::Channel(c)))
        .collect();
    if intents > 1 {
        classes.extend(
            s.intents
                .iter()
                .enumerate()
                .map(|(i, it)| (format!("intent:{}", it.name), Class::Intent(i))),
        );
    }
    let class_figures = |i: usize, f: fn(&ContactStats) -> Option<f64>| -> Vec<Paired> {
        classes
            .iter()
            .map(|&(_, class)| {
                paired(
                    &per_class(&reps[0], class, intents, f),
                    &per_class(&reps[i], class, intents, f),
                )
            })
            .collect()
    };
    let base_spread = occupancy_spread(&arms[0], &reps[0]);
    let fairness = |reps: &[ReplicationStats]| -> Vec<Option<f64>> {
        reps.iter().map(ReplicationStats::agent_fairness).collect()
    };
    let base_fairness = fairness(&reps[0]);
    let mut entries: Vec<Entry> = arms
        .iter()
        .enumerate()
        .map(|(i, arm)| Entry {
            strategy: arm.name.clone(),
            rank: 0,
            objective: row(i, "overall", objective.kpi).into(),
            shown: SHOWN.iter().map(|k| row(i, "overall", k).into()).collect(),
            class_asa: class_figures(i, ContactStats::asa_s),
            class_human_asa: class_figures(i, ContactStats::human_asa_s),
            occupancy_spread: paired(&base_spread, &occupancy_spread(arm, &reps[i])),
            agent_fairness: paired(&base_fairness, &fairness(&reps[i])),
        })
        .collect();
    let key = |e: &Entry| match e.objective.mean {
        Some(m) if objective.higher_is_better => -m,
        Some(m) => m,
        None => f64::INFINITY,
    };
    let mut order: Vec<usize> = (0..entries.len()).collect();
    // Stable: ties keep the arm order (fifo first).
    order.sort_by(|&a, &b| key(&entries[a]).total_cmp(&key(&entries[b])));
    for (rank, &i) in order.iter().enumerate() {
        entries[i].rank = rank + 1;
    }
    entries.sort_by_key(|e| e.rank);
    Board {
        scenario: arms[0].scenario.name.clone(),
        objective,
        replications: arms[0].scenario.simulation.replications,
        classes: classes.into_iter().map(|(label, _)| label).collect(),
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objective_line_is_read_and_checked() {
        assert_eq!(
            objective_in("x\n# objective = \"effort\"\n").unwrap().kpi,
            "effort"
        );
        assert_eq!(objective_in("name = \"x\"").unwrap().name, "service_level");
        let err = objective_in("# objective = \"speed\"").unwrap_err();
        assert!(
            err.contains("\"speed\"") && err.contains("\"effort\""),
            "{err}"
        );
    }

    #[test]
    fn paired_differences_skip_undefined_replications() {
        let p = paired(
            &[Some(1.0), None, Some(3.0)],
            &[Some(2.0), Some(5.0), Some(3.0)],
        );
        assert_eq!(p.diff_mean, Some(0.5));
        assert_eq!(p.mean, Some(10.0 / 3.0));
    }
}
