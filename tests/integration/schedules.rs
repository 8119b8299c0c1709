//! Schedules (issue 16): break windows placed per agent, shift families,
//! the roster programme over a family (HiGHS), the roster simulated in the
//! loop, and `planned.toml` runnable as it is.

use super::support::scenario;
use crate::support::{cxsim, scratch, text};
use cxsim::planner::{self, PlanOptions, Termination};
use cxsim::scenario::{Scenario, Staffing};

/// One day of voice, hourly intervals, rostered on the default family.
const DAY: &str = r#"
name = "sched-day"
[simulation]
seed = 9
horizon = "1d"
warmup = "1d"
replications = 8
interval = "1h"

[[demand.profile]]
name = "day"
intraday = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 10, 11, 12, 12, 10, 8, 7, 6, 4, 2, 1]

[[demand.region]]
name = "all"
volume_per_day = 6000
profile = "day"
channel_mix = { voice = 1.0 }

[channel.voice]
patience = { dist = "exponential", mean = "3m" }
service_level = { within = "20s", target = 0.80 }

[[team]]
name = "voice"
shrinkage = 0.2
channels = ["voice"]
handle_time = { dist = "lognormal", mean = "5m", cv = 0.8 }
agents = 60
"#;

fn errors(text: &str) -> String {
    match Scenario::from_toml_str(text, "bad.toml") {
        Ok(_) => panic!("expected a validation error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn break_windows_are_placed_per_agent_inside_their_windows() {
    let text = DAY.replace(
        "agents = 60\n",
        r#"
[[team.shift]]
start = "08:00"
length = "8h"
agents = 20
breaks = [ { window = ["1h30m", "3h"], length = "15m" }, { after = "4h", length = "30m" } ]
"#,
    );
    let s = scenario(&text);
    let Staffing::Shifts(shifts) = &s.teams[0].staffing else {
        panic!("shifts");
    };
    // 15 min within 1h30–3h: six possible starts, 20 agents → 3 or 4 each.
    assert_eq!(shifts.len(), 6);
    assert_eq!(shifts.iter().map(|t| t.agents).sum::<u32>(), 20);
    for t in shifts {
        assert!(t.agents == 3 || t.agents == 4);
        let (a, l) = t.breaks[0];
        assert!(a >= 5400.0 && a + l <= 10_800.0);
        assert_eq!(t.breaks[1], (14_400.0, 1800.0), "a fixed break stays fixed");
    }
}

#[test]
fn impossible_schedules_name_the_key_value_and_what_is_allowed() {
    let family = |body: &str| DAY.to_string() + "[team.shift_family]\n" + body;
    let cases = [
        (
            family("min_week_hours = 45\nmax_week_hours = 30\n"),
            vec!["team[0].shift_family.min_week_hours", "got 45", "min_week_hours <= max_week_hours"],
        ),
        (
            family("lengths = [\"6h\"]\nbreaks = [ { window = [\"5h\", \"7h\"], length = \"15m\" } ]\n"),
            vec!["team[0].shift_family.breaks[0]", "outside", "within the shift"],
        ),
        (
            family("breaks = [ { window = [\"2h\", \"2h10m\"], length = \"15m\" } ]\n"),
            vec!["team[0].shift_family.breaks[0].window", "shorter than the break", "at least as long"],
        ),
        (
            family("latest_start = \"06:00\"\nearliest_start = \"08:00\"\n"),
            vec!["team[0].shift_family.latest_start", "allowed"],
        ),
        (
            DAY.replace(
                "agents = 60\n",
                "[[team.shift]]\nstart = \"08:00\"\nlength = \"4h\"\nagents = 2\nbreaks = [ { window = [\"3h\", \"5h\"], length = \"15m\" } ]\n",
            ),
            vec!["team[0].shift[0].breaks[0]", "outside the shift"],
        ),
    ];
    for (text, needles) in cases {
        let err = errors(&text);
        for needle in needles {
            assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
        }
    }
    // The CLI: exit 2, the key named.
    let dir = scratch("sched-bad");
    let file = dir.join("bad.toml");
    std::fs::write(&file, family("min_week_hours = 45\nmax_week_hours = 30\n")).unwrap();
    let out = cxsim(&["validate", file.to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("shift_family.min_week_hours"), "{stderr}");
}

#[test]
fn a_family_that_cannot_cover_reports_uncovered_intervals() {
    // Starts only 08:00–12:00, 8-hour shifts: 20:00–08:00 cannot be covered.
    let text = DAY.to_string()
        + "[team.shift_family]\nearliest_start = \"08:00\"\nlatest_start = \"12:00\"\nlengths = [\"8h\"]\n";
    let s = scenario(&text);
    let options = PlanOptions {
        max_iterations: 1,
        ..PlanOptions::default()
    };
    let p = planner::plan(&s, &options).expect("a plan, not a panic");
    let r = &p.teams[0].roster;
    assert!(!r.uncovered.is_empty());
    assert!(
        r.uncovered.iter().all(|&i| !(8..20).contains(&i)),
        "{:?}",
        r.uncovered
    );
    assert!(r.unmet_agent_hours > 0.0);
    assert_ne!(
        p.termination,
        Termination::Met,
        "uncovered intervals cannot be met"
    );
}

#[test]
fn the_plan_rosters_a_family_near_its_lp_bound_and_runs_as_planned_toml() {
    let dir = scratch("sched-plan");
    let file = dir.join("day.toml");
    std::fs::write(&file, DAY).unwrap();
    let out = dir.join("out");
    let result = cxsim(&[
        "plan",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    let (stdout, stderr) = text(&result);
    assert!(result.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let from_file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(json, from_file, "plan.json is the --json summary");
    assert_eq!(json["termination"], "met", "{stdout}");
    let team = &json["teams"][0];
    assert_eq!(team["name"], "voice");
    let (paid, bound) = (
        team["paid_hours"].as_f64().unwrap(),
        team["lp_bound_hours"].as_f64().unwrap(),
    );
    assert!(bound > 0.0 && paid + 1e-6 >= bound, "{paid} vs {bound}");
    assert!(team["agents"].as_u64().unwrap() > 0);
    assert!(
        json["channels"][0]["service_level"]["mean"]
            .as_f64()
            .unwrap()
            >= 0.8
    );
    // planned.toml runs unedited and delivers the target.
    let planned = out.join("planned.toml");
    let run_out = dir.join("run");
    let run = cxsim(&[
        "run",
        planned.to_str().unwrap(),
        "--out",
        run_out.to_str().unwrap(),
        "--json",
        "--seed",
        "77",
    ]);
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let sl = &summary["channels"]["voice"]["service_level"];
    let (mean, half) = (
        sl["mean"].as_f64().unwrap(),
        sl["ci95"].as_f64().unwrap_or(0.0),
    );
    assert!(
        mean + half >= 0.8,
        "planned roster re-simulated: {mean} ± {half}"
    );
    // The planned scenario's shifts are the roster's.
    let s = Scenario::from_path(&planned).unwrap();
    let Staffing::Shifts(shifts) = &s.teams[0].staffing else {
        panic!("planned.toml has shifts");
    };
    assert_eq!(
        shifts.iter().map(|t| t.agents).sum::<u32>() as u64,
        team["agents"].as_u64().unwrap()
    );
    // The default family's 30-minute lunch is unpaid, and stays unpaid in
    // planned.toml (`paid = false`), so a run pays what the plan paid.
    assert!(
        shifts.iter().all(|t| (t.unpaid_s() - 1800.0).abs() < 1e-9),
        "{shifts:?}"
    );
    let planned_text = std::fs::read_to_string(&planned).unwrap();
    assert!(planned_text.contains("paid = false"), "{planned_text}");
}
