//! Quality programme and back-office accumulators, and their summary.
//!
//! Weekly cells are kept per (week, intent), with weeks counted from the
//! horizon's start (the last may be partial) and events attributed to the week
//! in which they happen: scoring when a contact finishes, AI outcomes when the
//! AI session starts (its outcome is decided then, with the probability in
//! effect that week).

use super::estimate::Estimate;
use super::replication::ReplicationStats;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One (week, intent) cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityCell {
    /// Contacts that finished (AI resolved or falsely contained, human service ended).
    pub finished: u64,
    /// Finished contacts that were scored.
    pub scored: u64,
    /// Finished contacts that failed (false containment or unresolved by a human).
    pub failures: u64,
    /// Failures that were scored.
    pub failures_scored: u64,
    /// Failures detected by scoring.
    pub detected: u64,
    /// AI failures (false containments) detected: the feedback signal.
    pub ai_detected: u64,
    /// AI false containments.
    pub ai_failures: u64,
    /// Human contacts that ended (talk over).
    pub human_finished: u64,
    /// Human contacts resolved.
    pub human_resolved: u64,
    /// AI sessions started.
    pub ai_started: u64,
    /// AI sessions started that resolved the problem.
    pub ai_resolved: u64,
}

impl QualityCell {
    /// Adds another cell into this one.
    pub fn add(&mut self, o: &QualityCell) {
        self.finished += o.finished;
        self.scored += o.scored;
        self.failures += o.failures;
        self.failures_scored += o.failures_scored;
        self.detected += o.detected;
        self.ai_detected += o.ai_detected;
        self.ai_failures += o.ai_failures;
        self.human_finished += o.human_finished;
        self.human_resolved += o.human_resolved;
        self.ai_started += o.ai_started;
        self.ai_resolved += o.ai_resolved;
    }
}

/// Contacts touched by back-office systems (measured contacts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BackOfficeStats {
    /// AI sessions that used a system.
    pub ai_uses: u64,
    /// AI sessions delayed by system latency.
    pub ai_latency: u64,
    /// AI seconds of system latency.
    pub ai_latency_s: f64,
    /// AI sessions escalated by a system failure.
    pub ai_failures: u64,
    /// AI sessions escalated by an outage.
    pub ai_outages: u64,
    /// Human contacts that used a system.
    pub human_uses: u64,
    /// Human contacts delayed by system latency.
    pub human_latency: u64,
    /// Human seconds of system latency.
    pub human_latency_s: f64,
    /// Human contacts left unresolved by a system failure.
    pub human_failures: u64,
    /// Human contacts that waited out an outage.
    pub human_outages: u64,
    /// Human seconds spent waiting for a system during outages.
    pub human_outage_wait_s: f64,
}

/// Everything one replication measured about quality and back-office systems.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityStats {
    /// Weeks (the last may be partial); 0 without `[quality]`.
    pub weeks: usize,
    /// Intents.
    pub intents: usize,
    /// `weeks × intents` cells, week-major.
    pub cells: Vec<QualityCell>,
    /// AI resolution probability in effect during each (week, intent), week-major.
    pub ai_probability: Vec<f64>,
    /// Coaching sessions held.
    pub coaching_sessions: u64,
    /// Back-office counters.
    pub back_office: BackOfficeStats,
}

impl QualityStats {
    /// The cell for (week, intent).
    #[inline]
    pub fn cell_mut(&mut self, week: usize, intent: usize) -> &mut QualityCell {
        &mut self.cells[week * self.intents + intent]
    }

    /// The cell for (week, intent).
    pub fn cell(&self, week: usize, intent: usize) -> &QualityCell {
        &self.cells[week * self.intents + intent]
    }

    /// Totals over weeks and intents.
    pub fn total(&self) -> QualityCell {
        let mut t = QualityCell::default();
        for c in &self.cells {
            t.add(c);
        }
        t
    }

    /// Totals over intents for one week.
    pub fn week_total(&self, week: usize) -> QualityCell {
        let mut t = QualityCell::default();
        for i in 0..self.intents {
            t.add(self.cell(week, i));
        }
        t
    }
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Quality KPIs over replications (in summary.json as `quality`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualitySummary {
    /// Finished contacts per replication (the scoring population).
    pub finished: Estimate,
    /// Scored contacts per replication.
    pub scored: Estimate,
    /// Scored ÷ finished.
    pub coverage: Estimate,
    /// Scoring cost per replication (scored × cost_per_contact).
    pub cost: Estimate,
    /// Analyst hours per replication (scored × analyst_minutes ÷ 60).
    pub analyst_hours: Estimate,
    /// Actual failures ÷ finished.
    pub failure_rate: Estimate,
    /// Detected failures ÷ finished (what the programme sees).
    pub detected_failure_rate: Estimate,
    /// Detected ÷ actual failures.
    pub detected_share: Estimate,
    /// Per intent: AI resolution by week.
    pub ai_resolution_by_week: BTreeMap<String, Vec<AiWeek>>,
    /// Human resolution (resolved ÷ human contacts ended) by week.
    pub human_resolution_by_week: Vec<RateWeek>,
    /// Coaching sessions per replication.
    pub coaching_sessions: Estimate,
    /// Coaching agent-hours per replication.
    pub coaching_h: Estimate,
}

/// One intent's AI resolution in one week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiWeek {
    /// Week number, 1-based.
    pub week: usize,
    /// Probability in effect (mean over replications).
    pub probability: f64,
    /// Actual: AI sessions that resolved ÷ AI sessions started.
    pub actual: Estimate,
    /// Detected AI failures that week (mean over replications).
    pub detected: f64,
}

/// A rate in one week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateWeek {
    /// Week number, 1-based.
    pub week: usize,
    /// The rate over replications.
    pub actual: Estimate,
}

/// Back-office KPIs over replications (in summary.json as `back_office`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackOfficeSummary {
    /// AI sessions that used a system.
    pub ai_uses: Estimate,
    /// AI sessions delayed by latency.
    pub ai_latency: Estimate,
    /// AI sessions escalated by a system failure.
    pub ai_failures: Estimate,
    /// AI sessions escalated by an outage.
    pub ai_outages: Estimate,
    /// Human contacts that used a system.
    pub human_uses: Estimate,
    /// Human contacts delayed by latency.
    pub human_latency: Estimate,
    /// Human contacts left unresolved by a system failure.
    pub human_failures: Estimate,
    /// Human contacts that waited out an outage.
    pub human_outages: Estimate,
    /// Human hours waiting for systems in outages.
    pub human_outage_wait_h: Estimate,
}

/// The quality summary, or `None` without `[quality]`.
pub fn summarize_quality(scenario: &Scenario, reps: &[ReplicationStats]) -> Option<QualitySummary> {
    let q = scenario.quality.as_ref()?;
    let totals: Vec<_> = reps.iter().map(|r| r.quality.total()).collect();
    let est =
        |f: &dyn Fn(&QualityCell) -> Option<f64>| Estimate::from_samples(totals.iter().map(f));
    let weeks = reps.first().map_or(0, |r| r.quality.weeks);
    let n = reps.len().max(1) as f64;
    let mut ai_resolution_by_week = BTreeMap::new();
    if scenario.ai_agent.is_some() {
        for (i, intent) in scenario.intents.iter().enumerate() {
            let rows = (0..weeks)
                .map(|w| AiWeek {
                    week: w + 1,
                    probability: reps
                        .iter()
                        .map(|r| r.quality.ai_probability[w * r.quality.intents + i])
                        .sum::<f64>()
                        / n,
                    actual: Estimate::from_samples(reps.iter().map(|r| {
                        let c = r.quality.cell(w, i);
                        ratio(c.ai_resolved, c.ai_started)
                    })),
                    detected: reps
                        .iter()
                        .map(|r| r.quality.cell(w, i).ai_detected as f64)
                        .sum::<f64>()
                        / n,
                })
                .collect();
            ai_resolution_by_week.insert(intent.name.clone(), rows);
        }
    }
    let human_resolution_by_week = (0..weeks)
        .map(|w| RateWeek {
            week: w + 1,
            actual: Estimate::from_samples(reps.iter().map(|r| {
                let c = r.quality.week_total(w);
                ratio(c.human_resolved, c.human_finished)
            })),
        })
        .collect();
    let coaching_s = |r: &ReplicationStats| r.team_total(|_| true).coaching_s;
    Some(QualitySummary {
        finished: est(&|c| Some(c.finished as f64)),
        scored: est(&|c| Some(c.scored as f64)),
        coverage: est(&|c| ratio(c.scored, c.finished)),
        cost: est(&|c| Some(c.scored as f64 * q.cost_per_contact)),
        analyst_hours: est(&|c| Some(c.scored as f64 * q.analyst_minutes / 60.0)),
        failure_rate: est(&|c| ratio(c.failures, c.finished)),
        detected_failure_rate: est(&|c| ratio(c.detected, c.finished)),
        detected_share: est(&|c| ratio(c.detected, c.failures)),
        ai_resolution_by_week,
        human_resolution_by_week,
        coaching_sessions: Estimate::from_samples(
            reps.iter()
                .map(|r| Some(r.quality.coaching_sessions as f64)),
        ),
        coaching_h: Estimate::from_samples(reps.iter().map(|r| Some(coaching_s(r) / 3600.0))),
    })
}

/// The back-office summary, or `None` when no intent needs a system.
pub fn summarize_back_office(
    scenario: &Scenario,
    reps: &[ReplicationStats],
) -> Option<BackOfficeSummary> {
    if scenario.back_office.is_empty() {
        return None;
    }
    let est = |f: &dyn Fn(&BackOfficeStats) -> f64| {
        Estimate::from_samples(reps.iter().map(|r| Some(f(&r.quality.back_office))))
    };
    Some(BackOfficeSummary {
        ai_uses: est(&|b| b.ai_uses as f64),
        ai_latency: est(&|b| b.ai_latency as f64),
        ai_failures: est(&|b| b.ai_failures as f64),
        ai_outages: est(&|b| b.ai_outages as f64),
        human_uses: est(&|b| b.human_uses as f64),
        human_latency: est(&|b| b.human_latency as f64),
        human_failures: est(&|b| b.human_failures as f64),
        human_outages: est(&|b| b.human_outages as f64),
        human_outage_wait_h: est(&|b| b.human_outage_wait_s / 3600.0),
    })
}
