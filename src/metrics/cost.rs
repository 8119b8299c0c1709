//! What a replication cost, from its accumulated counts and the scenario's
//! `[costs]` prices (docs/OUTPUTS.md, "Costs").
//!
//! Cost per resolved problem divides every cost of the period by the
//! contacts that resolved a problem (the AI's true resolutions and the
//! humans' resolutions). A falsely contained contact is not a resolution, and
//! the repeat contact it causes is one more contact to pay for: deflection
//! that comes back is not cheap.

use super::estimate::Estimate;
use super::replication::ReplicationStats;
use super::stats::{ContactStats, TeamStats};
use crate::scenario::{Scenario, Staffing};
use serde::Serialize;

/// Seconds in a week (platform cost is pro rata over the measured horizon).
const WEEK_S: f64 = 7.0 * 86_400.0;
/// Paid hours of one full-time equivalent per week \[convention: a 40-hour week\].
pub const FTE_HOURS_PER_WEEK: f64 = 40.0;

/// One replication's costs, in the scenario's currency.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CostBreakdown {
    /// Paid human agent-hours (shift time present or absent, plus overtime;
    /// time on duty for teams without shifts).
    pub paid_hours: f64,
    /// Paid hours ÷ (40 h × weeks measured).
    pub fte: f64,
    /// Paid hours × each team's price.
    pub human: f64,
    /// AI sessions × price per session + AI session-minutes × price per minute.
    pub ai: f64,
    /// Voice minutes on the line × price per minute.
    pub telephony: f64,
    /// Platform cost per week × weeks measured.
    pub platform: f64,
    /// Quality scoring (`[quality]` scored contacts × cost per contact).
    pub quality: f64,
    /// Repeat contacts × `repeat_contact`.
    pub repeat: f64,
    /// All of the above.
    pub total: f64,
    /// Contacts offered.
    pub offered: f64,
    /// Contacts that resolved a problem (AI true resolutions + human resolutions).
    pub resolved: f64,
}

impl CostBreakdown {
    /// Total ÷ contacts offered.
    pub fn per_contact(&self) -> Option<f64> {
        (self.offered > 0.0).then(|| self.total / self.offered)
    }

    /// Total ÷ problems resolved.
    pub fn per_resolved(&self) -> Option<f64> {
        (self.resolved > 0.0).then(|| self.total / self.resolved)
    }
}

/// Paid agent-seconds of one team's accumulated time.
fn paid_s(t: &TeamStats, shifts: bool) -> f64 {
    if shifts {
        t.scheduled_s - t.unpaid_s + t.overtime_s
    } else {
        t.available_s + t.break_s + t.coaching_s
    }
}

/// The costs of one replication.
pub fn replication_costs(scenario: &Scenario, rep: &ReplicationStats) -> CostBreakdown {
    let prices = &scenario.costs;
    let weeks = scenario.simulation.horizon_s / WEEK_S;
    let mut paid_hours = 0.0;
    let mut human = 0.0;
    for (ti, team) in scenario.teams.iter().enumerate() {
        let shifts = matches!(team.staffing, Staffing::Shifts(_));
        let hours = paid_s(&rep.team_total(|t| t == ti), shifts) / 3600.0;
        paid_hours += hours;
        human += hours * prices.team_rate(ti).unwrap_or(0.0);
    }
    let all: ContactStats = rep.contact_total();
    let ai_s = rep.ai_busy_total_s();
    let ai = all.ai_taken as f64 * prices.ai_per_session + ai_s / 60.0 * prices.ai_per_minute;
    let telephony = match scenario.channel_index("voice") {
        Some(voice) => {
            let v = rep.channel_total(voice);
            // AI session time is not kept per channel: voice's share of it is
            // taken as its share of the AI's sessions.
            let ai_voice_s = if all.ai_taken > 0 {
                ai_s * v.ai_taken as f64 / all.ai_taken as f64
            } else {
                0.0
            };
            // First waits (AI or human queue), the human-queue wait after an
            // escalation, human talk time and the AI's share.
            let line_s = v.wait_sum_s + v.handoff_wait_s + v.handle_sum_s + ai_voice_s;
            line_s / 60.0 * prices.telephony_per_minute
        }
        None => 0.0,
    };
    let platform = weeks * prices.platform_per_week;
    let quality = scenario.quality.as_ref().map_or(0.0, |q| {
        rep.quality.total().scored as f64 * q.cost_per_contact
    });
    let repeat = all.recontacts as f64 * prices.repeat_contact;
    let total = human + ai + telephony + platform + quality + repeat;
    CostBreakdown {
        paid_hours,
        fte: if weeks > 0.0 {
            paid_hours / (FTE_HOURS_PER_WEEK * weeks)
        } else {
            0.0
        },
        human,
        ai,
        telephony,
        platform,
        quality,
        repeat,
        total,
        offered: all.offered as f64,
        resolved: (all.ai_resolved + all.resolved) as f64,
    }
}

/// How a cost figure is read from one replication's costs.
pub type CostFigure = fn(&CostBreakdown) -> Option<f64>;

/// The cost figures reported by `summary.json` and `compare`, defined once:
/// name, and the per-replication value.
pub const COST_KPIS: [(&str, CostFigure); 11] = [
    ("paid_hours", |c| Some(c.paid_hours)),
    ("fte", |c| Some(c.fte)),
    ("cost_total", |c| Some(c.total)),
    ("cost_per_contact", CostBreakdown::per_contact),
    ("cost_per_resolved", CostBreakdown::per_resolved),
    ("cost_human", |c| Some(c.human)),
    ("cost_ai", |c| Some(c.ai)),
    ("cost_telephony", |c| Some(c.telephony)),
    ("cost_platform", |c| Some(c.platform)),
    ("cost_quality", |c| Some(c.quality)),
    ("cost_repeat", |c| Some(c.repeat)),
];

/// `summary.json`'s `costs`: each figure of [`COST_KPIS`] as mean and 95% CI
/// over replications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostSummary {
    /// Currency label from `[costs]`.
    pub currency: String,
    /// Figure name → estimate, in [`COST_KPIS`] order.
    #[serde(flatten)]
    pub figures: Figures,
}

/// Named estimates, serialised as one JSON object in their order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures(pub Vec<(&'static str, Estimate)>);

impl Figures {
    /// The estimate called `name`.
    pub fn get(&self, name: &str) -> Option<&Estimate> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, e)| e)
    }
}

impl Serialize for Figures {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The cost summary over replications, or `None` when the scenario has no
/// `[costs]`.
pub fn summarize_costs(scenario: &Scenario, reps: &[ReplicationStats]) -> Option<CostSummary> {
    if !scenario.costs.priced {
        return None;
    }
    let per_rep: Vec<CostBreakdown> = reps
        .iter()
        .map(|r| replication_costs(scenario, r))
        .collect();
    let figures = COST_KPIS
        .iter()
        .map(|(name, f)| (*name, Estimate::from_samples(per_rep.iter().map(f))))
        .collect();
    Some(CostSummary {
        currency: scenario.costs.currency.clone(),
        figures: Figures(figures),
    })
}
