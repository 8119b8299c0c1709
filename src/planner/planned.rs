//! `planned.toml`: the input scenario with each team's staffing replaced by
//! its roster — one `[[team.shift]]` per (start, length, days, placed
//! breaks) with its agents — so that `cxsim run planned.toml` simulates
//! exactly what the plan rostered. Everything else in the file is kept
//! (comments are not: the file is re-serialised).

use super::Plan;
use crate::scenario::format_duration;
use toml::{Table, Value};

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Why `planned.toml` could not be made.
#[derive(Debug, thiserror::Error)]
#[error("planned.toml: the input scenario is not a TOML table of teams: {0}")]
pub struct PlannedError(String);

/// The input scenario `text` with every planned team's staffing keys
/// (`agents`, `agents_per_interval`, `staffing_interval`, `shift`)
/// replaced by its roster's shifts.
pub fn planned_toml(text: &str, plan: &Plan) -> Result<String, PlannedError> {
    let mut doc: Table = text
        .parse()
        .map_err(|e: toml::de::Error| PlannedError(e.to_string()))?;
    let Some(Value::Array(teams)) = doc.get_mut("team") else {
        return Err(PlannedError("no [[team]]".into()));
    };
    for team in teams.iter_mut() {
        let Value::Table(table) = team else {
            return Err(PlannedError("[[team]] entries must be tables".into()));
        };
        let name = table
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(planned) = plan.teams.iter().find(|t| t.name == name) else {
            continue;
        };
        for key in [
            "agents",
            "agents_per_interval",
            "staffing_interval",
            "shift",
        ] {
            table.remove(key);
        }
        let shifts: Vec<Value> = planned
            .roster
            .lines
            .iter()
            .map(|line| {
                let t = &line.template;
                let mut s = Table::new();
                s.insert("start".into(), Value::String(t.start_text()));
                s.insert("length".into(), Value::String(format_duration(t.length_s)));
                let days = (0..7)
                    .filter(|&d| t.days[d])
                    .map(|d| Value::String(DAY_NAMES[d].into()))
                    .collect();
                s.insert("days".into(), Value::Array(days));
                s.insert("agents".into(), Value::Integer(i64::from(line.agents)));
                let breaks = t
                    .breaks
                    .iter()
                    .enumerate()
                    .map(|(k, &(after, len))| {
                        let mut b = Table::new();
                        b.insert("after".into(), Value::String(format_duration(after)));
                        b.insert("length".into(), Value::String(format_duration(len)));
                        if t.break_paid.get(k) == Some(&false) {
                            b.insert("paid".into(), Value::Boolean(false));
                        }
                        Value::Table(b)
                    })
                    .collect();
                s.insert("breaks".into(), Value::Array(breaks));
                Value::Table(s)
            })
            .collect();
        if shifts.is_empty() {
            // A team the plan needs nobody in: no shifts, so no agents.
            table.insert("agents".into(), Value::Integer(0));
        } else {
            table.insert("shift".into(), Value::Array(shifts));
        }
    }
    let body = toml::to_string(&doc).map_err(|e| PlannedError(e.to_string()))?;
    Ok(format!(
        "# Written by `cxsim plan`: the scenario {:?} with each team's shifts replaced by\n# the planned roster (placed breaks, agents per shift). Run it: cxsim run planned.toml\n\n{body}",
        plan.scenario
    ))
}
