//! Planner outputs: `plan.csv`, `roster.csv`, `plan.md`,
//! `charts/staffing.svg`, `charts/coverage_<team>.svg`,
//! `charts/service_level_heatmap.svg` and the JSON summary, rendered in memory and
//! written atomically. Columns are documented in docs/OUTPUTS.md.

use super::{Interval, Plan, Status, coverage};
use crate::report::coverage::file_names;
use crate::report::heatmap;
use crate::report::staffing::{FILE_NAME, TeamStaffing, staffing_chart};
use crate::report::{CHARTS_DIR, Chart, Outputs, WriteError};
use crate::scenario::Scenario;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Header of `plan.csv`.
pub const PLAN_HEADER: [&str; 17] = [
    "interval",
    "start_s",
    "day",
    "time",
    "team",
    "channel",
    "offered",
    "erlang_agents",
    "analytic_agents",
    "simulated_agents",
    "sl_target",
    "service_level",
    "service_level_ci",
    "abandon_rate",
    "abandon_rate_ci",
    "status",
    "unmet",
];

/// Header of `roster.csv`.
pub const ROSTER_HEADER: [&str; 7] = [
    "team",
    "start",
    "length_h",
    "days",
    "breaks",
    "agents",
    "paid_hours",
];

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Weekday and clock time of an interval's start.
pub fn day_time(plan: &Plan, interval: usize) -> (&'static str, String) {
    let start_min = (interval as f64 * plan.interval_s / 60.0).round() as u64;
    let day = (plan.start_weekday as u64 + start_min / 1440) % 7;
    let m = start_min % 1440;
    (DAYS[day as usize], format!("{:02}:{:02}", m / 60, m % 60))
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// `plan.csv`: one row per (interval, team, channel the team serves).
pub fn plan_csv(plan: &Plan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(PLAN_HEADER).expect("in-memory CSV");
    let n_channels = plan.channels.len();
    for i in 0..plan.intervals {
        let (day, time) = day_time(plan, i);
        for team in &plan.teams {
            for &c in &team.channels {
                let cell = &plan.achieved[i * n_channels + c];
                w.write_record([
                    i.to_string(),
                    (i as f64 * plan.interval_s).to_string(),
                    day.to_string(),
                    time.clone(),
                    team.name.clone(),
                    plan.channels[c].name.clone(),
                    plan.load.offered[i * n_channels + c].to_string(),
                    team.erlang[i].to_string(),
                    team.analytic[i].to_string(),
                    team.agents[i].to_string(),
                    // The goal the interval was judged against (a tier's
                    // target may have tightened the channel's).
                    (plan.channels[c].tier_goal)
                        .unwrap_or(plan.channels[c].sl_target)
                        .to_string(),
                    opt(cell.service_level.mean),
                    opt(cell.service_level.half),
                    opt(cell.abandon_rate.mean),
                    opt(cell.abandon_rate.half),
                    team.status[i].label().to_string(),
                    cell.unmet.to_string(),
                ])
                .expect("in-memory CSV");
            }
        }
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8 CSV")
}

/// `roster.csv`: one row per (team, template with agents).
pub fn roster_csv(plan: &Plan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(ROSTER_HEADER).expect("in-memory CSV");
    for team in &plan.teams {
        for line in &team.roster.lines {
            let t = &line.template;
            let breaks: Vec<String> = t
                .breaks
                .iter()
                .map(|(a, l)| format!("{}m+{}m", (a / 60.0).round(), (l / 60.0).round()))
                .collect();
            w.write_record([
                team.name.clone(),
                t.start_text(),
                (t.length_s / 3600.0).to_string(),
                t.days_text(),
                breaks.join(" "),
                line.agents.to_string(),
                line.paid_hours.to_string(),
            ])
            .expect("in-memory CSV");
        }
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8 CSV")
}

fn pct(x: &Interval) -> String {
    crate::report::format::pct_ci(x.mean, x.half)
}

/// Agent-hours of `agents` over the plan's intervals.
fn hours(plan: &Plan, agents: &[u32]) -> f64 {
    agents
        .iter()
        .zip(&plan.load.interval_len_s)
        .map(|(&n, l)| f64::from(n) * l)
        .sum::<f64>()
        / 3600.0
}

/// `plan.md`: the plan for people.
pub fn plan_md(plan: &Plan) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Capacity plan: {}\n", plan.scenario);
    let repairs = if plan.repairs.is_empty() {
        "no repair needed after the fresh-seed check".to_string()
    } else {
        format!(
            "{} repair round(s) after fresh-seed checks raised {} (interval, team) cell(s)",
            plan.repairs.len(),
            plan.repairs
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(" + ")
        )
    };
    let _ = writeln!(
        s,
        "Plan: **{}** after {} round(s) of simulating the rosters themselves on fresh seeds (cells raised per round: {}). Net-staffing refinement: {} after {} iteration(s) of {} replications (seed {}); {repairs}; figures below are from the last roster round's {} fresh replications; confidence {:.0}%; {} intervals of {} min.\n",
        plan.termination.label(),
        plan.roster_rounds.len(),
        plan.roster_rounds
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        plan.refinement.label(),
        plan.iterations.len(),
        plan.replications,
        plan.seed,
        plan.replications,
        100.0 * plan.confidence,
        plan.intervals,
        plan.interval_s / 60.0
    );
    s.push_str("## Teams\n\n| team | agent-h analytic | agent-h planned | peak analytic | peak planned | met | missed | infeasible | paid h | LP bound h | FTE | cost |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for t in &plan.teams {
        let count = |st: Status| t.status.iter().filter(|&&x| x == st).count();
        let _ = writeln!(
            s,
            "| {} | {:.0} | {:.0} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.1} | {} |",
            t.name,
            hours(plan, &t.analytic),
            hours(plan, &t.agents),
            t.analytic.iter().max().unwrap_or(&0),
            t.agents.iter().max().unwrap_or(&0),
            count(Status::Met),
            count(Status::Missed),
            count(Status::Infeasible),
            t.roster.paid_hours,
            t.roster.lp_bound_hours,
            t.roster.fte,
            t.roster.cost.map_or("–".into(), |c| format!("{c:.0}")),
        );
    }
    s.push_str("\n## Channels (whole horizon, fresh seeds)\n\n| channel | target | achieved service level | abandonment |\n|---|---|---:|---:|\n");
    for c in &plan.channels {
        let _ = writeln!(
            s,
            "| {}{} | {:.0}% within {} s{}{} | {} | {} |",
            c.name,
            if c.deferred { " (deferred)" } else { "" },
            100.0 * c.sl_target,
            c.within_s,
            c.max_abandon
                .map_or(String::new(), |a| format!(", abandon ≤ {:.0}%", 100.0 * a)),
            tier_goal_text(c),
            pct(&c.service_level),
            pct(&c.abandon_rate)
        );
    }
    tiers_md(&mut s, plan);
    if heatmap::WeekGrid::new(plan.interval_s, plan.start_weekday).is_some()
        && !plan.channels.is_empty()
    {
        let _ = writeln!(
            s,
            "\n![Service level by weekday and time of day]({CHARTS_DIR}/{0})\n\nHeat map: `{CHARTS_DIR}/{0}` (the rosters' human-queue service level on the same fresh seeds, per weekday and time of day).",
            heatmap::FILE_NAME
        );
    }
    s.push_str("\n## Pure Erlang against the plan\n\nAgent-hours on duty over the plan's cycle: pure Erlang on the expected load; what day-level over-dispersion adds (analytic); what the simulation refinement adds where Erlang under-staffs and removes where it over-staffs; the plan.\n\n| team | pure Erlang | + over-dispersion | + refinement (under-staffed intervals) | − refinement (over-staffed intervals) | plan |\n|---|---:|---:|---:|---:|---:|\n");
    for t in &plan.teams {
        let (mut up, mut up_h, mut down, mut down_h) = (0, 0.0, 0, 0.0);
        for i in 0..plan.intervals {
            let base = t.analytic[i].min(t.max_agents);
            let d = i64::from(t.agents[i]) - i64::from(base);
            let h = d as f64 * plan.load.interval_len_s[i] / 3600.0;
            if d > 0 {
                up += 1;
                up_h += h;
            } else if d < 0 {
                down += 1;
                down_h -= h;
            }
        }
        let _ = writeln!(
            s,
            "| {} | {:.0} | {:.0} | {:.0} in {up} intervals | {:.0} in {down} intervals | {:.0} |",
            t.name,
            hours(plan, &t.erlang),
            hours(plan, &t.analytic) - hours(plan, &t.erlang),
            up_h,
            down_h,
            hours(plan, &t.agents)
        );
    }
    let infeasible: Vec<_> = plan
        .teams
        .iter()
        .flat_map(|t| {
            (0..plan.intervals)
                .filter(|&i| t.status[i] != Status::Met)
                .map(move |i| (t, i))
        })
        .collect();
    if !infeasible.is_empty() {
        s.push_str("\n## Intervals not met\n\n`infeasible`: below target at the team's `max_agents` (best achievable figures shown); `missed`: below target on fresh seeds with room under the cap. Details per channel in plan.csv (`unmet`).\n\n| interval | day | time | team | status | agents | cap |\n|---:|---|---|---|---|---:|---:|\n");
        for (t, i) in infeasible.iter().take(50) {
            let (day, time) = day_time(plan, *i);
            let _ = writeln!(
                s,
                "| {i} | {day} | {time} | {} | {} | {} | {} |",
                t.name,
                t.status[*i].label(),
                t.agents[*i],
                t.max_agents
            );
        }
        if infeasible.len() > 50 {
            let _ = writeln!(s, "\n… and {} more (plan.csv).", infeasible.len() - 50);
        }
    }
    s.push_str("\n## Iterations\n\n| iteration | agent-h | missed | short | raised | lowered | infeasible |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    for it in &plan.iterations {
        let c = &it.counts;
        let _ = writeln!(
            s,
            "| {} | {:.0} | {} | {} | {} | {} | {} |",
            it.iteration, it.agent_hours, c.missed, c.short, c.raised, c.lowered, c.infeasible
        );
    }
    let _ = writeln!(
        s,
        "\n## Rosters\n\nScheduled agents per shift template (on duty = scheduled × (1 − shrinkage)); paid hours over the plan's cycle; FTE = paid hours per week ÷ 40. Chart: `{CHARTS_DIR}/{FILE_NAME}` (agents required on duty per interval against the roster's, per team)."
    );
    // Written by `write` for every team of a plan with intervals.
    let charts = if plan.intervals > 0 {
        file_names(plan.teams.iter().map(|t| t.name.as_str()))
    } else {
        Vec::new()
    };
    for (k, t) in plan.teams.iter().enumerate() {
        let r = &t.roster;
        let _ = writeln!(
            s,
            "\n### {}\n\n{} agents on {} templates (breaks placed; {} columns in the programme), **{:.0} paid hours against an LP bound of {:.0} (+{:.1}%)**, {:.1} FTE{}.\n",
            t.name,
            r.lines.iter().map(|l| l.agents).sum::<u32>(),
            r.lines.len(),
            r.columns,
            r.paid_hours,
            r.lp_bound_hours,
            100.0 * r.gap(),
            r.fte,
            r.cost.map_or(String::new(), |c| format!(", cost {c:.0}"))
        );
        if !r.uncovered.is_empty() {
            let _ = writeln!(
                s,
                "**{} interval(s) with a requirement no shift covers: {:.0} agent-hours on duty unmet** (first: interval {}).\n",
                r.uncovered.len(),
                r.unmet_agent_hours,
                r.uncovered[0]
            );
        }
        roster_mix(&mut s, plan, t, charts.get(k).map(String::as_str));
    }
    s
}

/// A team's coverage chart, shift mix (agents by start, length and tour)
/// and its over-coverage per weekday (`coverage`).
fn roster_mix(s: &mut String, plan: &Plan, t: &super::TeamPlan, chart: Option<&str>) {
    if let Some(file) = chart {
        let _ = writeln!(
            s,
            "![Coverage of {}]({CHARTS_DIR}/{file})\n\nCoverage: `{CHARTS_DIR}/{file}` (required on duty against the roster on shift and on duty; breaks show as the strip between the two).\n",
            t.name
        );
    }
    let mix = coverage::shift_mix(&t.roster);
    let join = |m: &[(String, u32)]| {
        m.iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        s,
        "Shift mix (agents) — lengths: {}. Tours (working days): {}.\n",
        join(&mix.lengths),
        join(&mix.tours)
    );
    let _ = writeln!(s, "Starts: {}.\n", join(&mix.starts));
    let days = coverage::daily_cover(
        &t.agents,
        &t.roster.on_duty,
        &plan.load.interval_len_s,
        plan.interval_s,
        plan.start_weekday,
    );
    s.push_str("Over-coverage per day: expected agent-hours on duty (placed breaks and shrinkage taken out) minus the plan's requirement; surplus and short split it by interval.\n\n| day | required on-duty agent-h | on duty agent-h | over-coverage agent-h | surplus agent-h | short agent-h |\n|---|---:|---:|---:|---:|---:|\n");
    for (d, c) in days.iter().enumerate() {
        if c.required_h > 0.0 || c.on_duty_h > 0.0 {
            let share = if c.required_h > 0.0 {
                format!(" ({:+.1}%)", 100.0 * c.over_h() / c.required_h)
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "| {} | {:.0} | {:.0} | {:+.0}{share} | {:.0} | {:.0} |",
                DAYS[d],
                c.required_h,
                c.on_duty_h,
                c.over_h(),
                c.surplus_h,
                c.short_h
            );
        }
    }
}

/// What a value tier's target made of a channel's per-interval goals
/// (empty when nothing).
fn tier_goal_text(c: &super::ChannelPlan) -> String {
    match (c.tier_goal, c.tier_max_abandon) {
        (None, None) => String::new(),
        (sl, ab) => format!(
            "; for a value tier, per interval: {}{}",
            sl.map_or(String::new(), |g| format!("{:.1}%", 100.0 * g)),
            ab.map_or(String::new(), |a| format!(
                "{}abandon ≤ {:.1}%",
                if sl.is_some() { ", " } else { "" },
                100.0 * a
            ))
        ),
    }
}

/// `plan.md`'s value-tier table (only with `[targets.tier]`).
fn tiers_md(s: &mut String, plan: &Plan) {
    if plan.tiers.is_empty() {
        return;
    }
    s.push_str("\n## Value tiers with targets (whole horizon, all the tier's channels, fresh seeds)\n\n| tier | target | achieved service level | abandonment | verdict |\n|---|---|---:|---:|---|\n");
    for t in &plan.tiers {
        let target = match (t.sl_target, t.max_abandon) {
            (Some(sl), Some(a)) => format!("{:.0}%, abandon ≤ {:.0}%", 100.0 * sl, 100.0 * a),
            (Some(sl), None) => format!("{:.0}%", 100.0 * sl),
            (None, Some(a)) => format!("abandon ≤ {:.0}%", 100.0 * a),
            (None, None) => "–".into(),
        };
        let _ = writeln!(
            s,
            "| {} | {target} | {} | {} | {} |",
            t.name,
            pct(&t.service_level),
            pct(&t.abandon_rate),
            if t.missed { "**missed**" } else { "met" }
        );
    }
}

/// The `--json` summary.
#[derive(Debug, Serialize)]
pub struct PlanSummary<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// Why the plan stopped (`met`, `max_iterations`, `infeasible`): the
    /// loop that simulates the rosters themselves.
    pub termination: super::Termination,
    /// Why the net-staffing refinement stopped.
    pub refinement: super::Termination,
    /// (interval, team) cells raised per round of simulating the rosters.
    pub roster_rounds: &'a [usize],
    /// Refinement iterations run.
    pub iterations: usize,
    /// Cells raised per repair round after fresh-seed checks.
    pub repairs: &'a [usize],
    /// FTE over all teams.
    pub fte: f64,
    /// Paid hours over all teams (plan cycle).
    pub paid_hours: f64,
    /// Roster cost, if priced.
    pub cost: Option<f64>,
    /// All channels pooled, fresh seeds.
    pub service_level: Interval,
    /// All channels pooled, fresh seeds.
    pub abandon_rate: Interval,
    /// Intervals met / missed / infeasible over teams.
    pub met: usize,
    /// See `met`.
    pub missed: usize,
    /// See `met`.
    pub infeasible: usize,
    /// Per team.
    pub teams: Vec<TeamSummary<'a>>,
    /// Per channel.
    pub channels: &'a [super::ChannelPlan],
    /// Per value tier with a target, by name (absent without
    /// `[targets.tier]`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tiers: BTreeMap<&'a str, &'a crate::metrics::TierCheck>,
}

/// One team in the `--json` summary.
#[derive(Debug, Serialize)]
pub struct TeamSummary<'a> {
    /// Team name.
    pub name: &'a str,
    /// Agent-hours on duty, pure Erlang.
    pub erlang_agent_hours: f64,
    /// Agent-hours on duty, analytic with over-dispersion.
    pub analytic_agent_hours: f64,
    /// Agent-hours on duty, planned.
    pub planned_agent_hours: f64,
    /// Agents on the roster (scheduled, before shrinkage).
    pub agents: u32,
    /// Paid hours of the roster.
    pub paid_hours: f64,
    /// Lower bound on paid hours: the LP relaxation of the roster programme.
    pub lp_bound_hours: f64,
    /// `paid_hours / lp_bound_hours − 1`.
    pub gap: f64,
    /// Columns (shift templates) of the roster programme.
    pub columns: usize,
    /// FTE of the roster.
    pub fte: f64,
    /// Cost of the roster, if priced.
    pub cost: Option<f64>,
    /// Intervals needing agents that no shift of the family covers.
    pub uncovered_intervals: &'a [usize],
    /// Agent-hours on duty required in those intervals.
    pub unmet_agent_hours: f64,
}

/// The `--json` summary of a plan.
pub fn summary(plan: &Plan) -> PlanSummary<'_> {
    PlanSummary {
        scenario: &plan.scenario,
        termination: plan.termination,
        refinement: plan.refinement,
        roster_rounds: &plan.roster_rounds,
        iterations: plan.iterations.len(),
        repairs: &plan.repairs,
        fte: plan.fte(),
        paid_hours: plan.paid_hours(),
        cost: plan.cost(),
        service_level: plan.service_level,
        abandon_rate: plan.abandon_rate,
        met: plan.count(Status::Met),
        missed: plan.count(Status::Missed),
        infeasible: plan.count(Status::Infeasible),
        teams: plan
            .teams
            .iter()
            .map(|t| TeamSummary {
                name: &t.name,
                erlang_agent_hours: hours(plan, &t.erlang),
                analytic_agent_hours: hours(plan, &t.analytic),
                planned_agent_hours: hours(plan, &t.agents),
                agents: t.roster.lines.iter().map(|l| l.agents).sum(),
                paid_hours: t.roster.paid_hours,
                lp_bound_hours: t.roster.lp_bound_hours,
                gap: t.roster.gap(),
                columns: t.roster.columns,
                fte: t.roster.fte,
                cost: t.roster.cost,
                uncovered_intervals: &t.roster.uncovered,
                unmet_agent_hours: t.roster.unmet_agent_hours,
            })
            .collect(),
        channels: &plan.channels,
        tiers: plan.tiers.iter().map(|t| (t.name.as_str(), t)).collect(),
    }
}

/// The `--json` summary as pretty JSON text (also `plan.json`).
pub fn summary_json(plan: &Plan) -> String {
    let mut text = serde_json::to_string_pretty(&summary(plan)).expect("plan summary serialises");
    text.push('\n');
    text
}

/// `charts/staffing.svg`: per team, the plan's agents on duty per interval
/// against the agents its roster puts on duty. `scenario` is the one
/// planned (team colours and the calendar of the time axis).
pub fn staffing_svg(scenario: &Scenario, plan: &Plan) -> Option<Chart> {
    let teams: Vec<TeamStaffing> = plan
        .teams
        .iter()
        .filter_map(|t| {
            Some(TeamStaffing {
                team: scenario.teams.iter().position(|s| s.name == t.name)?,
                required: &t.agents,
                rostered: Some(&t.roster.on_duty),
            })
        })
        .collect();
    let horizon_s = plan.load.interval_len_s.iter().sum::<f64>();
    staffing_chart(scenario, plan.interval_s, plan.intervals, horizon_s, &teams)
}

/// Writes `plan.csv`, `roster.csv`, `plan.md`, `plan.json` (the `--json`
/// summary), `charts/staffing.svg`, `charts/coverage_<team>.svg` per team,
/// `charts/service_level_heatmap.svg`, for teams with attrition
/// `hiring.csv`, and `planned.toml` when given (its text:
/// [`super::planned::planned_toml`]) into `dir`, all or nothing; returns
/// the paths.
pub fn write(
    dir: &Path,
    scenario: &Scenario,
    plan: &Plan,
    hiring: &[super::hiring::HiringRow],
    planned: Option<String>,
) -> Result<Vec<PathBuf>, WriteError> {
    let mut out = Outputs::new();
    out.add("plan.csv", plan_csv(plan))
        .add("roster.csv", roster_csv(plan))
        .add("plan.md", plan_md(plan))
        .add("plan.json", summary_json(plan));
    if !hiring.is_empty() {
        out.add("hiring.csv", super::hiring::hiring_csv(hiring));
    }
    let charts = staffing_svg(scenario, plan)
        .into_iter()
        .chain(coverage::coverage_svgs(scenario, plan))
        .chain(coverage::heatmap_svg(plan));
    for chart in charts {
        out.add(Path::new(CHARTS_DIR).join(&chart.file_name), chart.svg);
    }
    if let Some(text) = planned {
        out.add("planned.toml", text);
    }
    out.write(dir)
}
