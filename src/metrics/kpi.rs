//! Every contact KPI, defined once.
//!
//! One `kpis!` invocation below lists each KPI with its unit, how it is
//! computed from a replication's accumulated counts, and where it is shown.
//! From that one list come: the [`Kpis`] struct (`summary.json`'s key order
//! is the list order), [`Kpis::from_replications`], the [`KPI_DEFS`] table
//! that drives the columns of `intervals.csv` and the KPI rows of `compare`,
//! and [`Kpi`] (an index into the table). Merging shards needs no list at
//! all: [`ContactStats::add`] is generated from the accumulator fields.
//!
//! Adding a KPI (docs/ARCHITECTURE.md has the worked example): if it needs a
//! new count, add one line to `contact_stats!` in `stats.rs`; then add one
//! line here. Every output picks it up.

use super::estimate::Estimate;
use super::stats::{ContactStats, TeamStats};
use serde::Serialize;

/// How a KPI is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Contacts per replication.
    Count,
    /// A fraction in [0, 1].
    Fraction,
    /// Seconds.
    Seconds,
    /// Money or hours (cost figures).
    Amount,
}

impl Unit {
    /// Decimals in human-readable tables.
    pub fn decimals(self) -> usize {
        match self {
            Unit::Count | Unit::Seconds => 1,
            Unit::Fraction => 4,
            Unit::Amount => 2,
        }
    }
}

/// Where `intervals.csv` shows a KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalColumns {
    /// Not in `intervals.csv`.
    None,
    /// The mean only.
    Mean,
    /// The mean and a `<name>_ci95` column.
    MeanCi,
}

/// The description of one KPI.
#[derive(Debug, Clone, Copy)]
pub struct KpiDef {
    /// Name in `summary.json`, `intervals.csv` and `compare`.
    pub name: &'static str,
    /// Display unit.
    pub unit: Unit,
    /// One-line definition (the doc comment of the [`Kpis`] field).
    pub doc: &'static str,
    /// The per-replication value from the accumulated contact counts and agent
    /// time of the scope (`None` when undefined, e.g. a rate with no contacts).
    pub value: fn(&ContactStats, &TeamStats) -> Option<f64>,
    /// Columns in `intervals.csv`.
    pub intervals: IntervalColumns,
    /// Position among the KPIs of `intervals.csv` (unused when not shown).
    pub intervals_pos: u8,
    /// Position in `compare`'s KPI list, or `None` when `compare` leaves it out.
    pub compare: Option<u8>,
}

macro_rules! kpis {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident : $unit:ident, intervals = $iv:ident $ivpos:literal, compare = $cmp:tt,
            |$c:ident, $t:ident| $value:expr;
    )+) => {
        /// The contact KPIs, each as mean and 95% CI over replications.
        #[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
        pub struct Kpis {
            $( $(#[doc = $doc])+ pub $name: Estimate, )+
        }

        /// Every KPI, in `summary.json` order.
        pub const KPI_DEFS: &[KpiDef] = &[
            $( KpiDef {
                name: stringify!($name),
                unit: Unit::$unit,
                doc: concat!($($doc),+),
                value: |$c: &ContactStats, $t: &TeamStats| { let _ = (&$c, &$t); $value },
                intervals: IntervalColumns::$iv,
                intervals_pos: $ivpos,
                compare: kpis!(@pos $cmp),
            }, )+
        ];

        impl Kpis {
            /// The estimate of KPI `KPI_DEFS[i]`.
            pub fn get(&self, i: usize) -> &Estimate {
                let fields = [$( &self.$name ),+];
                fields[i]
            }

            /// KPIs from per-replication contact and agent-time totals.
            pub fn from_replications(cells: &[(ContactStats, TeamStats)]) -> Kpis {
                let mut defs = KPI_DEFS.iter();
                Kpis {
                    $( $name: {
                        let def = defs.next().expect("one definition per field");
                        Estimate::from_samples(cells.iter().map(|(c, t)| (def.value)(c, t)))
                    }, )+
                }
            }
        }
    };
    (@pos -) => { None };
    (@pos $n:literal) => { Some($n) };
}

kpis! {
    /// Contacts arriving in the measured period (per replication).
    offered: Count, intervals = Mean 0, compare = 0, |c, t| Some(c.offered as f64);
    /// Contacts answered.
    answered: Count, intervals = Mean 1, compare = 1, |c, t| Some(c.answered as f64);
    /// Contacts that abandoned while waiting.
    abandoned: Count, intervals = Mean 2, compare = 2, |c, t| Some(c.abandoned as f64);
    /// Answered within the threshold ÷ (answered + abandoned).
    service_level: Fraction, intervals = MeanCi 3, compare = 3, |c, t| c.service_level();
    /// Mean wait of answered contacts, seconds.
    asa_s: Seconds, intervals = MeanCi 4, compare = 4, |c, t| c.asa_s();
    /// Share of (answered + abandoned) that waited more than zero.
    p_wait: Fraction, intervals = MeanCi 5, compare = 5, |c, t| c.p_wait();
    /// Abandoned ÷ (answered + abandoned).
    abandon_rate: Fraction, intervals = MeanCi 6, compare = 6, |c, t| c.abandon_rate();
    /// Mean handle time of answered contacts, seconds.
    aht_s: Seconds, intervals = Mean 7, compare = 7, |c, t| c.aht_s();
    /// Mean wrap-up time of answered contacts, seconds.
    wrap_s: Seconds, intervals = Mean 8, compare = -, |c, t| c.wrap_s();
    /// Human-answered contacts the human resolved ÷ human-answered.
    resolution: Fraction, intervals = Mean 9, compare = 8, |c, t| c.resolution();
    /// Problems resolved at their first contact ÷ problems (FCR).
    fcr: Fraction, intervals = Mean 10, compare = 9, |c, t| c.fcr();
    /// Contacts ended by the AI without a human ÷ contacts the AI took.
    containment: Fraction, intervals = Mean 11, compare = 10, |c, t| c.containment();
    /// AI sessions that truly resolved ÷ contacts the AI took.
    ai_resolution: Fraction, intervals = None 0, compare = -, |c, t| c.ai_resolution();
    /// AI sessions ended without resolving ÷ contacts the AI took.
    false_containment: Fraction, intervals = Mean 12, compare = 11, |c, t| c.false_containment();
    /// Escalations ÷ contacts the AI took.
    escalation_rate: Fraction, intervals = Mean 13, compare = -, |c, t| c.escalation_rate();
    /// Recontacts ÷ offered.
    recontact_rate: Fraction, intervals = None 0, compare = 16, |c, t| c.recontact_rate();
    /// Mean extra human seconds per escalation (context, misroutes).
    handoff_extra_s: Seconds, intervals = Mean 17, compare = 15, |c, t| c.handoff_extra_s();
    /// Mean human-queue wait per escalation, seconds.
    handoff_wait_s: Seconds, intervals = None 0, compare = -, |c, t| c.handoff_wait_s();
    /// Share of escalations that lost context.
    context_lost: Fraction, intervals = None 0, compare = -, |c, t| c.context_lost_share();
    /// Contacts that reached a human queue (per replication).
    human_offered: Count, intervals = Mean 14, compare = 12, |c, t| Some(c.human_offered as f64);
    /// Human-queue service level (from entering the human queue).
    human_service_level: Fraction, intervals = Mean 15, compare = 13,
        |c, t| c.human_service_level();
    /// Human-queue abandonment.
    human_abandon_rate: Fraction, intervals = Mean 16, compare = 14,
        |c, t| c.human_abandon_rate();
    /// Mean human-queue wait of human-answered contacts, seconds.
    human_asa_s: Seconds, intervals = None 0, compare = -, |c, t| c.human_asa_s();
    /// Busy ÷ available time of the agents concerned.
    occupancy: Fraction, intervals = MeanCi 18, compare = 17, |c, t| t.occupancy();
    /// Reached the handler who ended the journey (the AI when it contained
    /// the contact, else a human) with a total wait within the threshold ÷
    /// (those + abandons anywhere in the journey).
    journey_service_level: Fraction, intervals = Mean 19, compare = 18,
        |c, t| c.journey_service_level();
    /// Abandons anywhere in the journey (AI queue, human queue, after an
    /// escalation) ÷ (journeys ended + abandons).
    journey_abandon_rate: Fraction, intervals = Mean 20, compare = 19,
        |c, t| c.journey_abandon_rate();
    /// Customer effort per contact \[convention\]: minutes waited + repeats +
    /// context re-told + half a point per transfer.
    effort: Count, intervals = None 0, compare = 20, |c, t| c.effort();
}

/// How many KPIs `intervals.csv` shows.
pub const N_INTERVAL_KPIS: usize = count(true);

/// How many KPIs `compare` reports.
pub const N_COMPARE_KPIS: usize = count(false);

/// Indices in [`KPI_DEFS`] of the KPIs of `intervals.csv`, in column order.
/// Built at compile time: a gap or a repeat in the positions fails the build.
pub const INTERVAL_KPIS: [usize; N_INTERVAL_KPIS] = order(true);

/// Indices in [`KPI_DEFS`] of the KPIs `compare` reports, in report order.
pub const COMPARE_KPIS: [usize; N_COMPARE_KPIS] = order(false);

/// The position of `KPI_DEFS[i]` in `intervals.csv` (`intervals`) or in
/// `compare` (else), if it is shown there.
const fn position(i: usize, intervals: bool) -> Option<u8> {
    let d = &KPI_DEFS[i];
    if intervals {
        match d.intervals {
            IntervalColumns::None => None,
            _ => Some(d.intervals_pos),
        }
    } else {
        d.compare
    }
}

const fn count(intervals: bool) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < KPI_DEFS.len() {
        if position(i, intervals).is_some() {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn order<const N: usize>(intervals: bool) -> [usize; N] {
    let mut out = [usize::MAX; N];
    let mut i = 0;
    while i < KPI_DEFS.len() {
        if let Some(p) = position(i, intervals) {
            let p = p as usize;
            assert!(p < N, "a KPI position is past the end of its list");
            assert!(out[p] == usize::MAX, "two KPIs share a position");
            out[p] = i;
        }
        i += 1;
    }
    out
}

/// The index in [`KPI_DEFS`] of the KPI called `name`.
pub fn kpi_index(name: &str) -> Option<usize> {
    KPI_DEFS.iter().position(|d| d.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_match_the_struct_fields() {
        let json = serde_json::to_value(Kpis::default()).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let mut names: Vec<&str> = KPI_DEFS.iter().map(|d| d.name).collect();
        names.sort_unstable();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        names.dedup();
        assert_eq!(names.len(), KPI_DEFS.len());
    }

    #[test]
    fn get_follows_the_table() {
        let c = ContactStats {
            offered: 10,
            answered: 6,
            answered_within: 3,
            abandoned: 2,
            sl_denominator: 8,
            ..ContactStats::default()
        };
        let k = Kpis::from_replications(&[(c, TeamStats::default())]);
        let i = kpi_index("service_level").unwrap();
        assert_eq!(k.get(i).mean, Some(3.0 / 8.0));
        assert_eq!(k.get(kpi_index("offered").unwrap()).mean, Some(10.0));
        assert_eq!(k.get(kpi_index("occupancy").unwrap()).mean, None);
    }
}
