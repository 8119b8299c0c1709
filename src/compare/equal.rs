//! `compare --equal-service`: every arm staffed by the planner to the same
//! `[targets]` first, then compared on what that takes (FTE, paid hours,
//! cost, cost per resolved problem) and what it then achieves.
//!
//! # Contract
//! - Each arm's TOML (the base document with the arm's own overrides) is
//!   planned with `planner::plan`; its roster is written into the TOML
//!   (`planner::planned::planned_toml`, the same text as `planned.toml`),
//!   which is validated again: a planned arm is a new scenario, never an
//!   edited one.
//! - The planned arms are then simulated like any comparison, on common
//!   random numbers, with a seed the planner did not see (the arm's seed +
//!   [`FRESH_SEED_OFFSET`]), so the service they achieve is judged on fresh
//!   customers, not on the ones the roster was tuned to.
//! - An arm whose plan does not end `met` is reported with its termination:
//!   its figures are not at equal service, and the report says so.
//! - A scenario reported by the day or over more than two weeks is planned
//!   on one representative week of 30-minute intervals ([`planning_set`]):
//!   a roster needs intervals a shift can follow, and a quarter of
//!   30-minute intervals would take the planner far longer for the same
//!   weekly roster. `compare` and `sensitivity` share this rule.

use crate::planner::{self, Plan, PlanOptions};
use crate::scenario::overrides::variant_document;
use crate::scenario::{Overrides, Scenario, ScenarioError, Simulation, Variant};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Added to an arm's seed for the comparison runs after planning.
pub const FRESH_SEED_OFFSET: u64 = 1_000_003;

/// Why an arm could not be planned.
#[derive(Debug, thiserror::Error)]
pub enum EqualServiceError {
    /// The planner failed.
    #[error("arm {arm:?}: {source}")]
    Plan {
        /// Arm name.
        arm: String,
        /// What failed.
        #[source]
        source: planner::PlanError,
    },
    /// The planned roster could not be written into the arm's TOML.
    #[error("arm {arm:?}: {message}")]
    Planned {
        /// Arm name.
        arm: String,
        /// What failed.
        message: String,
    },
    /// The planned arm is not a valid scenario (a bug if it happens).
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
}

/// What planning one arm gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmPlan {
    /// Arm name.
    pub arm: String,
    /// `met`, `infeasible` or `max_iterations`.
    pub termination: planner::Termination,
    /// Per team: name, agents rostered, paid hours per week of the plan.
    pub teams: Vec<TeamPlan>,
}

/// One team of a planned arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamPlan {
    /// Team name.
    pub name: String,
    /// Agents on the roster.
    pub agents: u32,
    /// Paid hours of the roster over the plan's horizon.
    pub paid_hours: f64,
}

/// The `--set` overrides an equal-service run plans with: `set` itself when
/// the scenario's intervals are an hour or shorter and its horizon two weeks
/// or shorter (`None`), else `set` plus `simulation.interval = "30m"` and
/// `simulation.horizon = "7d"` (each unless `set` already sets that key, so
/// the user can choose another planning window).
pub fn planning_set(sim: &Simulation, set: &[String]) -> Option<Vec<String>> {
    // A staffing plan needs intervals a shift can follow: a quarter reported
    // by the day is planned on a representative week of 30-minute intervals.
    if sim.interval_s <= 3600.0 && sim.horizon_s <= 14.0 * 86_400.0 {
        return None;
    }
    let mut set = set.to_vec();
    for (key, value) in [
        ("simulation.interval", "\"30m\""),
        ("simulation.horizon", "\"7d\""),
    ] {
        if !set.iter().any(|s| s.trim_start().starts_with(key)) {
            set.push(format!("{key}={value}"));
        }
    }
    Some(set)
}

/// Checks that `scenario` gives the planner something to staff to: some
/// channel has a service-level target above 0 (its `service_level.target`,
/// or `[targets].service_level.<channel>`) or `[targets]` sets
/// `max_abandon`. Without either, every staffing "meets" the targets and
/// equal service means nothing. The message says what is allowed.
pub fn check_targets(scenario: &Scenario) -> Result<(), String> {
    let any_sl = scenario.targets.service_level.iter().any(|&t| t > 0.0);
    if !any_sl && scenario.targets.max_abandon.is_none() {
        return Err(format!(
            "--equal-service: scenario {:?}: every channel's service-level target is 0 and \
             targets.max_abandon is not set, so there is no target to plan every arm to; \
             allowed: a service-level target in (0, 1] for some channel \
             (channel.<name>.service_level.target or targets.service_level.<name>), or \
             targets.max_abandon in [0, 1]",
            scenario.name
        ));
    }
    Ok(())
}

/// Plans one arm to its targets (with its own seed: the planner is
/// deterministic) and returns its roster written into the arm's TOML (the
/// text of `planned.toml`) with what the plan gave. The text becomes a
/// scenario through [`planned_variant`].
pub fn plan_arm(
    arm: &Variant,
    document: &toml::Table,
    options: &PlanOptions<'_>,
) -> Result<(String, ArmPlan), EqualServiceError> {
    let plan: Plan =
        planner::plan(&arm.scenario, options).map_err(|source| EqualServiceError::Plan {
            arm: arm.name.clone(),
            source,
        })?;
    let planned_err = |message: String| EqualServiceError::Planned {
        arm: arm.name.clone(),
        message,
    };
    let text = toml::to_string(&variant_document(document, arm))
        .map_err(|e| planned_err(e.to_string()))?;
    let text =
        planner::planned::planned_toml(&text, &plan).map_err(|e| planned_err(e.to_string()))?;
    let plan = ArmPlan {
        arm: arm.name.clone(),
        termination: plan.termination,
        teams: plan
            .teams
            .iter()
            .map(|t| TeamPlan {
                name: t.name.clone(),
                agents: t.roster.lines.iter().map(|l| l.agents).sum(),
                paid_hours: t.roster.paid_hours,
            })
            .collect(),
    };
    Ok((text, plan))
}

/// The planned arm: `text` (from [`plan_arm`]) validated again as a new
/// scenario, with the arm's seed + [`FRESH_SEED_OFFSET`]. A merge of shards
/// re-creates the same arm from the same text.
pub fn planned_variant(
    arm: &Variant,
    text: &str,
    file: &str,
    base_dir: &Path,
) -> Result<Variant, ScenarioError> {
    let fresh = Overrides {
        seed: Some(
            arm.scenario.simulation.seed.wrapping_add(FRESH_SEED_OFFSET) % (i64::MAX as u64),
        ),
        ..Overrides::default()
    };
    let label = format!("{file} (arm {:?} as planned)", arm.name);
    let scenario = Scenario::from_toml_str_with(text, &label, base_dir, &fresh)?;
    Ok(Variant {
        scenario,
        ..arm.clone()
    })
}

/// Plans every arm to the same targets and returns the planned arms (to be
/// simulated and compared) with what each plan gave. `file` and `base_dir`
/// name the scenario in errors and resolve relative paths.
pub fn plan_arms(
    arms: &[Variant],
    document: &toml::Table,
    file: &str,
    base_dir: &Path,
    options: &PlanOptions<'_>,
) -> Result<(Vec<Variant>, Vec<ArmPlan>), EqualServiceError> {
    let mut planned = Vec::with_capacity(arms.len());
    let mut plans = Vec::with_capacity(arms.len());
    for arm in arms {
        let (text, plan) = plan_arm(arm, document, options)?;
        planned.push(planned_variant(arm, &text, file, base_dir)?);
        plans.push(plan);
    }
    Ok((planned, plans))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(interval_s: f64, horizon_s: f64) -> Simulation {
        Simulation {
            seed: 1,
            horizon_s,
            warmup_s: 0.0,
            replications: 1,
            interval_s,
        }
    }

    #[test]
    fn a_quarter_by_the_day_is_planned_on_a_week_of_half_hours() {
        assert_eq!(planning_set(&sim(1800.0, 7.0 * 86_400.0), &[]), None);
        assert_eq!(planning_set(&sim(3600.0, 14.0 * 86_400.0), &[]), None);
        let set = planning_set(&sim(86_400.0, 91.0 * 86_400.0), &["a.b=1".into()]).unwrap();
        assert_eq!(
            set,
            [
                "a.b=1",
                "simulation.interval=\"30m\"",
                "simulation.horizon=\"7d\""
            ]
        );
        // The user's own planning window wins.
        let own = ["simulation.horizon=\"14d\"".to_string()];
        let set = planning_set(&sim(86_400.0, 91.0 * 86_400.0), &own).unwrap();
        assert_eq!(set, [own[0].as_str(), "simulation.interval=\"30m\""]);
    }
}
