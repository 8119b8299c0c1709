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

use crate::planner::{self, Plan, PlanOptions};
use crate::scenario::overrides::variant_document;
use crate::scenario::{Overrides, Scenario, ScenarioError, Variant};
use serde::Serialize;
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
#[derive(Debug, Clone, Serialize)]
pub struct ArmPlan {
    /// Arm name.
    pub arm: String,
    /// `met`, `infeasible` or `max_iterations`.
    pub termination: planner::Termination,
    /// Per team: name, agents rostered, paid hours per week of the plan.
    pub teams: Vec<TeamPlan>,
}

/// One team of a planned arm.
#[derive(Debug, Clone, Serialize)]
pub struct TeamPlan {
    /// Team name.
    pub name: String,
    /// Agents on the roster.
    pub agents: u32,
    /// Paid hours of the roster over the plan's horizon.
    pub paid_hours: f64,
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
        let fresh = Overrides {
            seed: Some(
                arm.scenario.simulation.seed.wrapping_add(FRESH_SEED_OFFSET) % (i64::MAX as u64),
            ),
            ..Overrides::default()
        };
        let label = format!("{file} (arm {:?} as planned)", arm.name);
        let scenario = Scenario::from_toml_str_with(&text, &label, base_dir, &fresh)?;
        plans.push(ArmPlan {
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
        });
        planned.push(Variant {
            scenario,
            ..arm.clone()
        });
    }
    Ok((planned, plans))
}
