//! Consistency checks on the numbers a shard file holds: what no run can
//! produce (answered above offered, a negative or non-finite time) is an
//! error at the merge, whatever the checksum says.

use super::MergeError;
use crate::metrics::{ContactStats, Totals};
use std::path::Path;

/// Checks one contact cell; `at` names it (e.g. `results[0].stats.contact[3]`).
pub(crate) fn contact(path: &Path, at: &str, c: &ContactStats) -> Result<(), MergeError> {
    let fail = |what: &str, value: String, allowed: String| MergeError::Impossible {
        path: path.to_path_buf(),
        what: format!("{at}.{what}"),
        value,
        allowed,
    };
    let ended = c.answered.checked_add(c.abandoned);
    if ended.is_none_or(|e| e > c.offered) {
        return Err(fail(
            "answered + abandoned",
            format!("{} + {}", c.answered, c.abandoned),
            format!("at most offered ({})", c.offered),
        ));
    }
    if c.answered_within > c.answered {
        return Err(fail(
            "answered_within",
            c.answered_within.to_string(),
            format!("at most answered ({})", c.answered),
        ));
    }
    for (what, v) in [
        ("wait_sum_s", c.wait_sum_s),
        ("handle_sum_s", c.handle_sum_s),
        ("wrap_sum_s", c.wrap_sum_s),
        ("handoff_extra_s", c.handoff_extra_s),
        ("handoff_wait_s", c.handoff_wait_s),
        ("human_wait_sum_s", c.human_wait_sum_s),
    ] {
        seconds(v).map_err(|allowed| fail(what, v.to_string(), allowed))?;
    }
    Ok(())
}

/// Checks the run totals of one replication.
pub(crate) fn totals(path: &Path, at: &str, t: &Totals) -> Result<(), MergeError> {
    for (i, c) in t.contact.iter().enumerate() {
        contact(path, &format!("{at}.contact[{i}]"), c)?;
    }
    for (i, cell) in t.team.iter().enumerate() {
        team(path, &format!("{at}.team[{i}]"), cell)?;
    }
    for (i, a) in t.agents.iter().enumerate() {
        for (what, v) in [("busy_s", a.busy_s), ("available_s", a.available_s)] {
            seconds(v).map_err(|allowed| MergeError::Impossible {
                path: path.to_path_buf(),
                what: format!("{at}.agents[{i}].{what}"),
                value: v.to_string(),
                allowed,
            })?;
        }
    }
    seconds(t.ai_busy_s).map_err(|allowed| MergeError::Impossible {
        path: path.to_path_buf(),
        what: format!("{at}.ai_busy_s"),
        value: t.ai_busy_s.to_string(),
        allowed,
    })
}

/// Checks one team cell's times.
pub(crate) fn team(path: &Path, at: &str, t: &crate::metrics::TeamStats) -> Result<(), MergeError> {
    for (what, v) in [
        ("busy_s", t.busy_s),
        ("available_s", t.available_s),
        ("scheduled_s", t.scheduled_s),
        ("absent_s", t.absent_s),
        ("break_s", t.break_s),
        ("overtime_s", t.overtime_s),
        ("coaching_s", t.coaching_s),
    ] {
        seconds(v).map_err(|allowed| MergeError::Impossible {
            path: path.to_path_buf(),
            what: format!("{at}.{what}"),
            value: v.to_string(),
            allowed,
        })?;
    }
    Ok(())
}

/// A sum of seconds: finite and not negative.
fn seconds(v: f64) -> Result<(), String> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err("a finite number of seconds >= 0".into())
    }
}

/// A planner figure (FTE, hours, cost, rate): finite and not negative.
pub(crate) fn figure(path: &Path, what: String, v: f64) -> Result<(), MergeError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(MergeError::Impossible {
            path: path.to_path_buf(),
            what,
            value: v.to_string(),
            allowed: "a finite number >= 0".into(),
        })
    }
}
