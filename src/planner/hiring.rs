//! Weekly hiring plan for teams with attrition (`hiring.csv`).
//!
//! Expected-value projection (a renewal process, Whitt 2006): each week the
//! employed headcount loses h = −ln(1 − annual_rate)/52.18 of itself
//! (baseline hazard; the burnout terms depend on the occupancy the plan
//! produces and are left to simulation); hires ordered in week w arrive in
//! week w + lead. The order in week w tops the projected headcount at its
//! arrival back up to the roster's FTE requirement. New hires work at
//! `ramp_start` speed rising linearly to 1 over the ramp (shortened by assist),
//! which is reported as effective FTE. The requirement is the roster's FTE
//! (shrinkage included); the starting headcount is the team's seats.

use super::Plan;
use crate::scenario::Scenario;

const WEEK_S: f64 = 7.0 * 86_400.0;

/// Header of `hiring.csv`.
pub const HIRING_HEADER: [&str; 9] = [
    "team",
    "week",
    "required_fte",
    "headcount_start",
    "expected_quits",
    "hires_arriving",
    "hires_to_order",
    "headcount_end",
    "effective_fte",
];

/// One team's week.
#[derive(Debug, Clone, PartialEq)]
pub struct HiringRow {
    /// Team name.
    pub team: String,
    /// Week number, 1-based.
    pub week: usize,
    /// Headcount the roster needs.
    pub required_fte: f64,
    /// Employed at the start of the week.
    pub headcount_start: f64,
    /// Expected quits during the week.
    pub expected_quits: f64,
    /// Hires ordered `lead` weeks earlier starting this week.
    pub hires_arriving: f64,
    /// Hires to order this week (they start `lead` weeks later).
    pub hires_to_order: f64,
    /// Employed at the end of the week.
    pub headcount_end: f64,
    /// Headcount weighted by new hires' ramp speed.
    pub effective_fte: f64,
}

/// The weekly hiring plan of every team with attrition, over the horizon.
pub fn hiring_plan(scenario: &Scenario, plan: &Plan) -> Vec<HiringRow> {
    let weeks = ((scenario.simulation.horizon_s / WEEK_S).ceil() as usize).max(1);
    let mut rows = Vec::new();
    for (ti, team) in scenario.teams.iter().enumerate() {
        let Some(att) = team.attrition else {
            continue;
        };
        let required = plan.teams.get(ti).map_or(0.0, |t| t.roster.fte);
        let quit_share = 1.0 - (-(-(1.0 - att.annual_rate).ln() / (365.25 / 7.0))).exp();
        let lead = (att.hire_lead_s / WEEK_S).ceil() as usize;
        let ramp_weeks = att.ramp_s * team.assist.ramp / WEEK_S;
        let seats = f64::from(team.headcount());
        for mut row in project(
            seats,
            required,
            quit_share,
            lead,
            ramp_weeks,
            att.ramp_start,
            weeks,
        ) {
            row.team = team.name.clone();
            rows.push(row);
        }
    }
    rows
}

/// The expected-value projection for one team (see the module docs).
pub fn project(
    seats: f64,
    required: f64,
    quit_share: f64,
    lead: usize,
    ramp_weeks: f64,
    ramp_start: f64,
    weeks: usize,
) -> Vec<HiringRow> {
    // Cohorts: (weeks employed, headcount); the initial staff is tenured.
    let mut cohorts: Vec<(f64, f64)> = vec![(f64::INFINITY, seats)];
    let mut arriving = vec![0.0; weeks + lead + 1];
    let mut rows = Vec::with_capacity(weeks);
    for week in 0..weeks {
        let start: f64 = cohorts.iter().map(|c| c.1).sum();
        let quits = start * quit_share;
        for c in &mut cohorts {
            c.1 *= 1.0 - quit_share;
            c.0 += 1.0;
        }
        let arrive = arriving[week];
        if arrive > 0.0 {
            cohorts.push((0.0, arrive));
        }
        let end: f64 = cohorts.iter().map(|c| c.1).sum();
        // Project to the week an order would arrive in: today's staff and the
        // pipeline, less expected quits until then.
        let keep = (1.0 - quit_share).powi(lead as i32);
        let pipeline: f64 = (week + 1..=week + lead)
            .map(|w| arriving[w] * (1.0 - quit_share).powi((week + lead - w) as i32))
            .sum();
        let order = (required - (end * keep + pipeline)).max(0.0).ceil();
        arriving[week + lead] += order;
        let effective: f64 = cohorts
            .iter()
            .map(|&(age, n)| {
                let progress = if ramp_weeks > 0.0 {
                    (age / ramp_weeks).min(1.0)
                } else {
                    1.0
                };
                n * (ramp_start + (1.0 - ramp_start) * progress)
            })
            .sum();
        rows.push(HiringRow {
            team: String::new(),
            week: week + 1,
            required_fte: required,
            headcount_start: start,
            expected_quits: quits,
            hires_arriving: arrive,
            hires_to_order: order,
            headcount_end: end,
            effective_fte: effective,
        });
    }
    rows
}

/// `hiring.csv` text.
pub fn hiring_csv(rows: &[HiringRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HIRING_HEADER).expect("in-memory write");
    for r in rows {
        let f = |x: f64| format!("{:.2}", x);
        w.write_record([
            r.team.clone(),
            r.week.to_string(),
            f(r.required_fte),
            f(r.headcount_start),
            f(r.expected_quits),
            f(r.hires_arriving),
            f(r.hires_to_order),
            f(r.headcount_end),
            f(r.effective_fte),
        ])
        .expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_replace_expected_quits_after_the_lead_time() {
        let q = 1.0 - (0.4f64.ln() / (365.25 / 7.0)).exp(); // 60% a year
        let rows = project(100.0, 100.0, q, 3, 4.0, 0.72, 26);
        // Week 1 loses seats × q.
        assert!((rows[0].expected_quits - 100.0 * q).abs() < 1e-9);
        // Orders start at once and arrive `lead` weeks later.
        assert!(rows[0].hires_to_order >= 1.0);
        assert_eq!(rows[3].hires_arriving, rows[0].hires_to_order);
        // From the first arrival on, the headcount stays at the requirement
        // within one week of quits and the ceiling of whole hires.
        for r in &rows[3..] {
            assert!(r.headcount_end >= 100.0 - 100.0 * q - 1e-9, "{r:?}");
            assert!(r.headcount_end <= 100.0 + 2.0, "{r:?}");
        }
        // New hires work at ramp speed: effective FTE below headcount while ramping.
        assert!(rows[4].effective_fte < rows[4].headcount_end);
        // No attrition, no need: no orders.
        assert!(
            project(50.0, 40.0, 0.0, 2, 4.0, 0.72, 10)
                .iter()
                .all(|r| r.hires_to_order == 0.0)
        );
    }
}
