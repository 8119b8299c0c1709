//! Reduction of replications into the KPIs of DESIGN.md §5.

use super::estimate::Estimate;
use super::kpi::Kpis;
use super::replication::ReplicationStats;
use super::stats::{ContactStats, TeamStats};
use super::window::{Block, for_each_interval};
use crate::scenario::Scenario;
use serde::Serialize;
use std::collections::BTreeMap;

/// A channel's KPIs with its service-level target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelSummary {
    /// The KPIs; `occupancy` is that of the teams serving this channel.
    #[serde(flatten)]
    pub kpis: Kpis,
    /// Service-level threshold, seconds.
    pub sl_within_s: f64,
    /// Service-level target (fraction).
    pub sl_target: f64,
}

/// A team's agent-time KPIs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamSummary {
    /// Seats (agents employed at the start).
    pub agents: u32,
    /// Busy ÷ available.
    pub occupancy: Estimate,
    /// Mean handle time of contacts the team started, seconds.
    pub aht_s: Estimate,
    /// Mean concurrent sessions when a contact starts.
    pub sessions: Estimate,
    /// Mean fatigue multiplier on handle time.
    pub fatigue: Estimate,
    /// Realised absence share of scheduled time.
    pub shrinkage: Estimate,
    /// Agent-hours of overtime per replication.
    pub overtime_h: Estimate,
    /// Quits per replication.
    pub quits: Estimate,
    /// Hires per replication.
    pub hires: Estimate,
    /// Per week: headcount at the week's end, quits, hires (means over replications).
    pub weeks: Vec<WeekSummary>,
}

/// One team's week, averaged over replications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekSummary {
    /// Week number, 1-based.
    pub week: usize,
    /// Agents employed at the week's end.
    pub headcount: f64,
    /// Agents who quit during the week.
    pub quits: f64,
    /// New hires who started during the week.
    pub hires: f64,
}

/// Everything `summary.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Master seed used.
    pub seed: u64,
    /// Replications run.
    pub replications: u32,
    /// Measured horizon, seconds.
    pub horizon_s: f64,
    /// Warm-up excluded from statistics, seconds.
    pub warmup_s: f64,
    /// Reporting interval, seconds.
    pub interval_s: f64,
    /// Contacts left waiting at the end, no agent being able to take them (mean per replication).
    pub stranded: f64,
    /// All channels together.
    pub overall: Kpis,
    /// Per channel, by name.
    pub channels: BTreeMap<String, ChannelSummary>,
    /// Per team, by name.
    pub teams: BTreeMap<String, TeamSummary>,
    /// Per demand region, by name (occupancy is not defined per region: null).
    pub regions: BTreeMap<String, Kpis>,
    /// Per intent, by name.
    pub intents: BTreeMap<String, Kpis>,
    /// Per customer value tier, by name.
    pub tiers: BTreeMap<String, Kpis>,
    /// Per value tier with a target (`[targets.tier.<name>]`), by name: the
    /// target, the tier's human-queue service level and abandonment over the
    /// horizon with their confidence interval, and the verdict (absent
    /// without tier targets).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tier_targets: BTreeMap<String, super::tiers::TierCheck>,
    /// Per language, by name.
    pub languages: BTreeMap<String, Kpis>,
    /// Escalations by cause: count per replication and share of all escalations.
    pub escalation_causes: BTreeMap<String, CauseSummary>,
    /// AI session-seconds ÷ (capacity × measured seconds); null without an AI agent.
    pub ai_utilisation: Estimate,
    /// Costs, FTE, cost per contact and per resolved problem (absent without `[costs]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<super::cost::CostSummary>,
    /// Quality programme: coverage, cost, detection, resolution by week (absent without `[quality]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<super::quality::QualitySummary>,
    /// Contacts hit by back-office latency, failures and outages (absent without systems).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub back_office: Option<super::quality::BackOfficeSummary>,
}

/// Escalations of one cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseSummary {
    /// Escalations per replication.
    pub count: Estimate,
    /// Share of all escalations.
    pub share: Estimate,
}

/// One row of the per-interval table: an (interval, channel) cell.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// Interval index from the start of the horizon.
    pub interval: usize,
    /// Channel index.
    pub channel: usize,
    /// Region index.
    pub region: usize,
    /// KPIs over replications for this cell.
    pub kpis: Kpis,
}

/// Reduces replications (in index order) into the overall summary.
pub fn summarize(scenario: &Scenario, reps: &[ReplicationStats]) -> Summary {
    let all_teams = |_: usize| true;
    let overall = Kpis::from_replications(
        &reps
            .iter()
            .map(|r| (r.contact_total(), r.team_total(all_teams)))
            .collect::<Vec<_>>(),
    );
    let mut channels = BTreeMap::new();
    for (ci, channel) in scenario.channels.iter().enumerate() {
        let serves = |t: usize| scenario.teams[t].channels.contains(&ci);
        let cells: Vec<_> = reps
            .iter()
            .map(|r| (r.channel_total(ci), r.team_total(serves)))
            .collect();
        channels.insert(
            channel.name.clone(),
            ChannelSummary {
                kpis: Kpis::from_replications(&cells),
                sl_within_s: channel.service_level.within_s,
                sl_target: channel.service_level.target,
            },
        );
    }
    let mut teams = BTreeMap::new();
    let n_teams = scenario.teams.len();
    for (ti, team) in scenario.teams.iter().enumerate() {
        let totals: Vec<TeamStats> = reps.iter().map(|r| r.team_total(|t| t == ti)).collect();
        let est =
            |f: &dyn Fn(&TeamStats) -> Option<f64>| Estimate::from_samples(totals.iter().map(f));
        let n_weeks = reps.first().map_or(0, |r| r.weeks.len() / n_teams.max(1));
        let weeks = (0..n_weeks)
            .map(|w| {
                let mean = |f: &dyn Fn(&crate::metrics::WeekStats) -> u32| {
                    reps.iter()
                        .map(|r| f64::from(f(&r.weeks[w * n_teams + ti])))
                        .sum::<f64>()
                        / reps.len() as f64
                };
                WeekSummary {
                    week: w + 1,
                    headcount: mean(&|s| s.headcount),
                    quits: mean(&|s| s.quits),
                    hires: mean(&|s| s.hires),
                }
            })
            .collect();
        teams.insert(
            team.name.clone(),
            TeamSummary {
                agents: team.headcount(),
                occupancy: est(&TeamStats::occupancy),
                aht_s: est(&TeamStats::aht_s),
                sessions: est(&TeamStats::mean_sessions),
                fatigue: est(&TeamStats::mean_fatigue),
                shrinkage: est(&TeamStats::shrinkage),
                overtime_h: est(&|t| Some(t.overtime_s / 3600.0)),
                quits: est(&|t| Some(t.quits as f64)),
                hires: est(&|t| Some(t.hires as f64)),
                weeks,
            },
        );
    }
    let contact_only = |f: &dyn Fn(&ReplicationStats) -> ContactStats| {
        let cells: Vec<_> = reps.iter().map(|r| (f(r), TeamStats::default())).collect();
        Kpis::from_replications(&cells)
    };
    let by_name = |names: &[String], f: &dyn Fn(&ReplicationStats, usize) -> ContactStats| {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), contact_only(&|r| f(r, i))))
            .collect::<BTreeMap<_, _>>()
    };
    let n_channels = scenario.channels.len();
    let mut escalation_causes = BTreeMap::new();
    if scenario.ai_agent.is_some() {
        for (cause, name) in crate::scenario::ai::CAUSE_NAMES.iter().enumerate() {
            let counts: Vec<(f64, f64)> = reps
                .iter()
                .map(|r| {
                    let row = &r.causes[cause * n_channels..(cause + 1) * n_channels];
                    let total: u64 = r.causes.iter().sum();
                    (row.iter().sum::<u64>() as f64, total as f64)
                })
                .collect();
            escalation_causes.insert(
                name.to_string(),
                CauseSummary {
                    count: Estimate::from_samples(counts.iter().map(|c| Some(c.0))),
                    share: Estimate::from_samples(
                        counts.iter().map(|c| (c.1 > 0.0).then(|| c.0 / c.1)),
                    ),
                },
            );
        }
    }
    let ai_utilisation = match &scenario.ai_agent {
        Some(ai) => Estimate::from_samples(reps.iter().map(|r| {
            let busy: f64 = r.ai_busy_total_s();
            Some(busy / (f64::from(ai.capacity) * scenario.simulation.horizon_s))
        })),
        None => Estimate::default(),
    };
    let region_names: Vec<String> = scenario.regions.iter().map(|r| r.name.clone()).collect();
    let intent_names: Vec<String> = scenario.intents.iter().map(|i| i.name.clone()).collect();
    let sim = &scenario.simulation;
    Summary {
        scenario: scenario.name.clone(),
        seed: sim.seed,
        replications: reps.len() as u32,
        horizon_s: sim.horizon_s,
        warmup_s: sim.warmup_s,
        interval_s: sim.interval_s,
        stranded: reps.iter().map(|r| r.stranded as f64).sum::<f64>() / reps.len().max(1) as f64,
        overall,
        channels,
        teams,
        regions: by_name(&region_names, &|r, i| r.region_total(i)),
        intents: by_name(&intent_names, &|r, i| r.intent_total(i)),
        tiers: by_name(&scenario.tiers, &|r, i| {
            r.tier.get(i).copied().unwrap_or_default()
        }),
        tier_targets: super::tiers::tier_checks(scenario, &reps.iter().collect::<Vec<_>>())
            .into_iter()
            .map(|t| (t.name.clone(), t))
            .collect(),
        languages: by_name(&scenario.languages, &|r, i| {
            r.language.get(i).copied().unwrap_or_default()
        }),
        escalation_causes,
        ai_utilisation,
        costs: super::cost::summarize_costs(scenario, reps),
        quality: super::quality::summarize_quality(scenario, reps),
        back_office: super::quality::summarize_back_office(scenario, reps),
    }
}

/// Which (channel, region) cells have a demand source, channel-major.
fn demand_cells(scenario: &Scenario) -> Vec<bool> {
    let regions = scenario.regions.len();
    (0..scenario.channels.len() * regions)
        .map(|i| {
            let (channel, region) = (i / regions, i % regions);
            scenario
                .sources
                .iter()
                .any(|s| s.channel == channel && s.region == region)
        })
        .collect()
}

/// Appends interval `interval`'s per-(channel, region) rows to `rows`, from
/// one block per replication. Occupancy is that of the teams serving the
/// channel (the same for every region). Cells with no demand are left out.
fn contact_rows(
    scenario: &Scenario,
    has_demand: &[bool],
    interval: usize,
    blocks: &[Block],
    rows: &mut Vec<IntervalRow>,
) {
    let regions = scenario.regions.len();
    let mut cells = Vec::with_capacity(blocks.len());
    for channel in 0..scenario.channels.len() {
        for region in 0..regions {
            if !has_demand[channel * regions + region] {
                continue;
            }
            cells.clear();
            for block in blocks {
                let mut team = TeamStats::default();
                for (ti, t) in scenario.teams.iter().enumerate() {
                    if t.channels.contains(&channel) {
                        team.add(&block.team[ti]);
                    }
                }
                cells.push((block.contact[channel * regions + region], team));
            }
            rows.push(IntervalRow {
                interval,
                channel,
                region,
                kpis: Kpis::from_replications(&cells),
            });
        }
    }
}

/// Calls `f(contact_rows, team_rows)` once per interval, in order, reading
/// every replication's intervals in step (memory: one interval at a time).
pub fn for_each_interval_rows(
    scenario: &Scenario,
    reps: &[ReplicationStats],
    mut f: impl FnMut(&[IntervalRow], &[TeamIntervalRow]),
) -> std::io::Result<()> {
    let has_demand = demand_cells(scenario);
    let interval_s = scenario.simulation.interval_s;
    let (mut rows, mut team_rows) = (Vec::new(), Vec::new());
    for_each_interval(reps, |interval, blocks| {
        rows.clear();
        team_rows.clear();
        contact_rows(scenario, &has_demand, interval, blocks, &mut rows);
        team_rows_of(interval, blocks, interval_s, &mut team_rows);
        f(&rows, &team_rows);
    })
}

/// Per-(interval, channel, region) KPIs, interval-major, collected in memory
/// (see [`for_each_interval_rows`] to stream them).
pub fn interval_rows(
    scenario: &Scenario,
    reps: &[ReplicationStats],
) -> std::io::Result<Vec<IntervalRow>> {
    let mut out = Vec::new();
    for_each_interval_rows(scenario, reps, |rows, _| out.extend_from_slice(rows))?;
    Ok(out)
}

/// One (interval, team) row over replications.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamIntervalRow {
    /// Interval index.
    pub interval: usize,
    /// Team index.
    pub team: usize,
    /// Busy ÷ available.
    pub occupancy: Estimate,
    /// Mean agents available (logged in, not on break) over the interval.
    pub available_agents: Estimate,
    /// Contacts started (per replication).
    pub started: Estimate,
    /// Mean handle time of contacts started, seconds.
    pub aht_s: Estimate,
    /// Mean concurrent sessions at contact start.
    pub sessions: Estimate,
    /// Mean fatigue multiplier at contact start.
    pub fatigue: Estimate,
    /// Absent ÷ scheduled time.
    pub shrinkage: Estimate,
    /// Overtime, agent-seconds.
    pub overtime_s: Estimate,
    /// Quits in the interval.
    pub quits: Estimate,
    /// Hires in the interval.
    pub hires: Estimate,
}

/// Per-(interval, team) agent KPIs over replications, interval-major,
/// collected in memory (see [`for_each_interval_rows`] to stream them).
pub fn team_interval_rows(
    scenario: &Scenario,
    reps: &[ReplicationStats],
) -> std::io::Result<Vec<TeamIntervalRow>> {
    let mut out = Vec::new();
    for_each_interval_rows(scenario, reps, |_, rows| out.extend_from_slice(rows))?;
    Ok(out)
}

/// Appends interval `interval`'s per-team rows to `out`.
fn team_rows_of(
    interval: usize,
    blocks: &[Block],
    interval_s: f64,
    out: &mut Vec<TeamIntervalRow>,
) {
    let teams = blocks.first().map_or(0, |b| b.team.len());
    for team in 0..teams {
        let cells: Vec<&TeamStats> = blocks.iter().map(|b| &b.team[team]).collect();
        let est = |f: &dyn Fn(&TeamStats) -> Option<f64>| {
            Estimate::from_samples(cells.iter().map(|c| f(c)))
        };
        out.push(TeamIntervalRow {
            interval,
            team,
            occupancy: est(&TeamStats::occupancy),
            available_agents: est(&|t| Some(t.available_s / interval_s)),
            started: est(&|t| Some(t.started as f64)),
            aht_s: est(&TeamStats::aht_s),
            sessions: est(&TeamStats::mean_sessions),
            fatigue: est(&TeamStats::mean_fatigue),
            shrinkage: est(&TeamStats::shrinkage),
            overtime_s: est(&|t| Some(t.overtime_s)),
            quits: est(&|t| Some(t.quits as f64)),
            hires: est(&|t| Some(t.hires as f64)),
        });
    }
}
