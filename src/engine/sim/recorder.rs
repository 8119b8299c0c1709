//! The recorder component: where the handlers' observations go — the
//! per-interval accumulators (`ReplicationStats`), the service-level rules
//! that decide what counts as answered in time, and the opt-in journey
//! trace. Handlers write through `Replication::record`, `record_time`,
//! `team_cell` and `trace`, which add the clock's interval arithmetic.

use crate::engine::queue::SimTime;
use crate::engine::trace::Trace;
use crate::metrics::ReplicationStats;

/// A channel's service-level rules in ticks (see `scenario::ServiceLevel`).
#[derive(Debug, Clone, Copy)]
pub(in crate::engine) struct SlRule {
    /// Answered within this wait counts as within the service level.
    pub within: SimTime,
    /// Abandons after a shorter wait are left out.
    pub short_abandon: SimTime,
    /// Abandons count in the service level's denominator.
    pub abandons_count: bool,
    /// Short abandons count there too (basis `offered`).
    pub short_count: bool,
}

impl SlRule {
    /// The rules of one channel.
    pub fn of(sl: &crate::scenario::ServiceLevel) -> SlRule {
        use crate::scenario::SlBasis;
        use crate::time::ticks;
        SlRule {
            within: ticks(sl.within_s),
            short_abandon: ticks(sl.short_abandon_s),
            abandons_count: sl.basis != SlBasis::Answered,
            short_count: sl.basis == SlBasis::Offered,
        }
    }
}

/// Accumulators, service-level rules and the trace of one replication.
pub(in crate::engine) struct Recorder {
    pub stats: ReplicationStats,
    /// Per channel: its service-level threshold and counting rules.
    pub sl: Vec<SlRule>,
    /// The journey trace, when asked for (`run --trace`).
    pub trace: Option<Trace>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ServiceLevel, SlBasis};

    #[test]
    fn service_level_rules_follow_the_basis() {
        let sl = |basis| ServiceLevel {
            within_s: 20.0,
            target: 0.8,
            explicit: true,
            short_abandon_s: 5.0,
            basis,
        };
        let answered = SlRule::of(&sl(SlBasis::Answered));
        assert!(!answered.abandons_count && !answered.short_count);
        let offered = SlRule::of(&sl(SlBasis::Offered));
        assert!(offered.abandons_count && offered.short_count);
        assert_eq!(offered.within, crate::time::ticks(20.0));
        assert_eq!(offered.short_abandon, crate::time::ticks(5.0));
    }
}
