//! Streaming metrics: per-interval accumulators filled by the engine, and their
//! reduction over replications into means with 95% confidence intervals.
//!
//! Definitions follow DESIGN.md §5. Contacts count in the interval in which
//! they arrived; only arrivals after the warm-up and before the horizon's end
//! are measured, and the run drains after the horizon so every measured
//! contact ends (answered or abandoned) before statistics are taken.

mod cost;
mod estimate;
mod kpi;
mod quality;
mod replication;
mod spill;
mod stats;
mod summary;
mod tiers;
mod verdict;
mod window;

pub use cost::{
    COST_KPIS, CostBreakdown, CostSummary, FTE_HOURS_PER_WEEK, Figures, replication_costs,
    summarize_costs,
};
pub use estimate::{Estimate, mean_ci, t_quantile};
pub use kpi::{
    COMPARE_KPIS, INTERVAL_KPIS, IntervalColumns, KPI_DEFS, KpiDef, Kpis, N_COMPARE_KPIS,
    N_INTERVAL_KPIS, Unit, kpi_index,
};
pub use quality::{
    AiWeek, BackOfficeStats, BackOfficeSummary, QualityCell, QualityStats, QualitySummary, RateWeek,
};
pub use replication::{ReplicationStats, WeekStats};
pub use stats::{AgentTime, ContactStats, TeamStats, jain_index};
pub use summary::{
    CauseSummary, ChannelSummary, IntervalRow, Summary, TeamIntervalRow, TeamSummary, WeekSummary,
    for_each_interval_rows, interval_rows, summarize, team_interval_rows,
};
pub use tiers::{TierCheck, tier_checks};
pub use verdict::{Interval, Verdict, judge};
pub use window::{
    Block, IntervalReader, Retention, SPILL_ABOVE_BYTES, Totals, Window, for_each_interval,
};
