//! What a planner looks at: the service-level heat map (weekday × time of
//! day) of `cxsim run` and `cxsim plan`, the coverage chart per team, and
//! the over-coverage and shift mix of plan.md.
//!
//! The plan here is small (one day of hourly intervals, few contacts, no
//! refinement iterations) so that the rosters' simulation loop stays quick;
//! the charts do not depend on how good the plan is.

use super::support::{scenario, scratch};
use cxsim::engine::{RunOptions, simulate};
use cxsim::metrics::summarize;
use cxsim::planner::{self, PlanOptions};
use cxsim::report::write_run;

/// Two channels on two teams, hourly intervals, starting on a Tuesday.
const RUN: &str = r#"
name = "heat"
[simulation]
seed = 3
horizon = "9d"
warmup = "1h"
replications = 2
interval = "1h"
start = 2026-03-03
[[demand.stream]]
channel = "voice"
rate_per_hour = 60
[[demand.stream]]
channel = "chat"
rate_per_hour = 20
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
service_level = { within = "20s", target = 0.80 }
[channel.chat]
patience = { dist = "exponential", mean = "5m" }
service_level = { within = "60s", target = 0.70 }
[[team]]
name = "voice desk"
agents = 5
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }
[[team]]
name = "chat"
agents = 4
channels = ["chat"]
handle_time = { dist = "exponential", mean = "6m" }
"#;

/// A day with a daytime peak; two teams with a 30% shrinkage.
const PLAN: &str = r#"
name = "plan-charts"
[simulation]
seed = 5
horizon = "1d"
warmup = "2h"
replications = 4
interval = "1h"

[[demand.profile]]
name = "day"
intraday = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 10, 11, 12, 12, 10, 8, 7, 6, 4, 2, 1]

[[demand.region]]
name = "all"
volume_per_day = 2400
profile = "day"
channel_mix = { voice = 0.7, chat = 0.3 }

[channel.voice]
patience = { dist = "exponential", mean = "3m" }
service_level = { within = "20s", target = 0.80 }

[channel.chat]
patience = { dist = "exponential", mean = "5m" }
service_level = { within = "60s", target = 0.80 }

[[team]]
name = "voice"
agents = 20
shrinkage = 0.3
channels = ["voice"]
handle_time = { dist = "exponential", mean = "4m" }

[[team]]
name = "chat desk"
agents = 10
shrinkage = 0.3
channels = ["chat"]
handle_time = { dist = "exponential", mean = "6m" }
"#;

/// Height of a heat-map cell in the SVG (a weekday row less its gap): no
/// other rectangle of the chart has it.
const CELL_HEIGHT: &str = "height=\"18\"";
/// Fill of a heat-map cell without contacts.
const NO_DATA: &str = "fill=\"#E5E7EB\"";

/// Text elements of an SVG, trimmed.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

/// The heat-map cells of an SVG: (fill colour) in drawing order, which is
/// facet by facet, Monday to Sunday, then time of day.
fn cells(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("height") == Some("18"))
        .map(|n| n.attribute("fill").unwrap_or("").to_string())
        .collect()
}

fn assert_weekday_axes(svg: &str, facets: usize) {
    let t = texts(svg);
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] {
        let n = t.iter().filter(|x| *x == day).count();
        assert_eq!(n, facets, "{day} labels: one per facet");
    }
    for hhmm in ["00:00", "06:00", "12:00", "18:00", "24:00"] {
        assert_eq!(t.iter().filter(|x| *x == hhmm).count(), facets, "{hhmm}");
    }
    for pct in ["0%", "40%", "100%"] {
        let legend = t.iter().any(|x| x == pct);
        assert!(legend, "colour scale label {pct} missing: {t:?}");
    }
    assert!(t.iter().any(|x| x == "no contacts"));
}

#[test]
fn run_heat_map_has_a_cell_per_weekday_and_hour_and_folds_weeks() {
    let s = scenario(RUN);
    let reps = simulate(&s, &RunOptions::default()).expect("simulates");
    let summary = summarize(&s, &reps);
    let dir = scratch("plan-charts-run");
    let written = write_run(&dir, &s, &summary, &reps).expect("writes");
    let path = dir.join("charts").join("service_level_heatmap.svg");
    assert!(written.contains(&path));
    // The old line chart is still written (other reports link it).
    assert!(dir.join("charts").join("service_level.svg").is_file());
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert_weekday_axes(&svg, 2);
    let t = texts(&svg);
    assert!(
        t.iter()
            .any(|x| x.starts_with("voice · target 80% in 20s · ")),
        "{t:?}"
    );
    assert!(
        t.iter()
            .any(|x| x.starts_with("chat · target 70% in 1m · "))
    );
    assert!(
        t.iter().any(|x| x.contains("over 2 weeks")),
        "a 9-day run folds onto one week: {t:?}"
    );
    // 2 channels × 7 weekdays × 24 hours, every cell drawn.
    assert_eq!(svg.matches(CELL_HEIGHT).count(), 2 * 7 * 24);
    let fills = cells(&svg);
    assert_eq!(fills.len(), 2 * 7 * 24);
    // Contacts arrive around the clock on all 9 days (Tue 3 Mar to Wed 11
    // Mar): every weekday has service, so no cell is empty.
    assert!(fills.iter().all(|f| f != "#E5E7EB"), "{fills:?}");
    // The page shows the heat map before the interval lines.
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let heat = html.find("<figure id=\"chart-service_level_heatmap\">");
    let lines = html.find("<figure id=\"chart-service_level\">");
    assert!(heat.is_some() && heat < lines, "{heat:?} {lines:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_heat_map_leaves_days_outside_the_horizon_empty() {
    // Two days from a Tuesday: only the Tuesday and Wednesday rows have contacts.
    let s = scenario(&RUN.replace("horizon = \"9d\"", "horizon = \"2d\""));
    let reps = simulate(&s, &RunOptions::default()).expect("simulates");
    let summary = summarize(&s, &reps);
    let dir = scratch("plan-charts-run-2d");
    write_run(&dir, &s, &summary, &reps).expect("writes");
    let svg =
        std::fs::read_to_string(dir.join("charts").join("service_level_heatmap.svg")).unwrap();
    let fills = cells(&svg);
    assert_eq!(fills.len(), 2 * 7 * 24);
    for (k, fill) in fills.iter().enumerate() {
        let weekday = (k / 24) % 7;
        let has_contacts = weekday == 1 || weekday == 2;
        assert_eq!(
            fill != "#E5E7EB",
            has_contacts,
            "cell {k} (weekday {weekday}): {fill}"
        );
    }
    assert_eq!(
        svg.matches(NO_DATA).count(),
        2 * 5 * 24 + 1,
        "+1: the legend key"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// plan.csv's `simulated_agents` per (interval, team name).
fn required_from_csv(path: &std::path::Path) -> Vec<(usize, String, u32)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (i, team, agents) = (col("interval"), col("team"), col("simulated_agents"));
    let mut rows: Vec<(usize, String, u32)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[i].parse().unwrap(),
                r[team].to_string(),
                r[agents].parse().unwrap(),
            )
        })
        .collect();
    // One row per channel the team serves, each with the team's figure.
    rows.dedup();
    rows
}

/// The y pixel of each step of the longest polyline stroked in `stroke`.
fn step_heights(svg: &str, stroke: &str) -> Vec<f64> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let line = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(stroke))
        .max_by_key(|n| {
            n.attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .count()
        })
        .expect("a line in the colour");
    let points: Vec<f64> = line
        .attribute("points")
        .unwrap()
        .split_whitespace()
        .map(|p| p.split_once(',').unwrap().1.parse().unwrap())
        .collect();
    // Two points per interval (its start and end).
    points.chunks(2).map(|c| c[0]).collect()
}

#[test]
fn plan_writes_coverage_charts_heat_map_and_daily_cover() {
    let s = scenario(PLAN);
    let options = PlanOptions {
        max_iterations: 0,
        ..PlanOptions::default()
    };
    let p = planner::plan(&s, &options).expect("plan");
    let dir = scratch("plan-charts-plan");
    let written = planner::output::write(&dir, &s, &p, &[], None).unwrap();
    let charts = dir.join("charts");
    let required = required_from_csv(&dir.join("plan.csv"));
    for (team, file) in [
        ("voice", "coverage_voice.svg"),
        ("chat desk", "coverage_chat_desk.svg"),
    ] {
        let path = charts.join(file);
        assert!(written.contains(&path), "{file} not written");
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let t = texts(&svg);
        for label in [
            "on shift: scheduled × (1 − 30% shrinkage)",
            "on duty (after breaks; the grey strip above is on break)",
            "required on duty (plan)",
            "Agents",
        ] {
            assert!(
                t.iter().any(|x| x == label),
                "{file}: {label} missing: {t:?}"
            );
        }
        assert!(
            t.iter()
                .any(|x| x.contains(&format!("Coverage of team {team}")))
        );
        // The required line is plan.csv's figure, interval by interval: its
        // heights are an affine image of the CSV's values.
        let want: Vec<f64> = required
            .iter()
            .filter(|r| r.1 == team)
            .map(|r| f64::from(r.2))
            .collect();
        assert_eq!(want.len(), 24);
        let got = step_heights(&svg, "#1F2937");
        assert_eq!(got.len(), 24, "{file}: one step per interval");
        let (lo, hi) = (0..24).fold((0, 0), |(lo, hi), i| {
            (
                if want[i] < want[lo] { i } else { lo },
                if want[i] > want[hi] { i } else { hi },
            )
        });
        assert!(
            want[hi] > want[lo],
            "{file}: a flat requirement tests nothing"
        );
        let px_per_agent = (got[lo] - got[hi]) / (want[hi] - want[lo]);
        assert!(px_per_agent > 0.0, "{file}: more agents are drawn higher");
        for i in 0..24 {
            let y = got[lo] - (want[i] - want[lo]) * px_per_agent;
            assert!(
                (got[i] - y).abs() <= 1.5,
                "{file} interval {i}: {} vs {y}",
                got[i]
            );
        }
    }
    // The plan's heat map: the rosters' fresh-seed check, one facet per
    // channel; a one-day plan starting on Monday fills only Monday.
    let heat = charts.join("service_level_heatmap.svg");
    assert!(written.contains(&heat));
    let svg = std::fs::read_to_string(&heat).unwrap();
    assert_weekday_axes(&svg, 2);
    let fills = cells(&svg);
    assert_eq!(fills.len(), 2 * 7 * 24);
    let monday_filled = fills
        .iter()
        .enumerate()
        .filter(|(k, f)| (k / 24) % 7 == 0 && *f != "#E5E7EB")
        .count();
    assert!(
        monday_filled >= 2 * 20,
        "{monday_filled} Monday cells with contacts"
    );
    assert!(
        fills
            .iter()
            .enumerate()
            .all(|(k, f)| (k / 24) % 7 == 0 || f == "#E5E7EB"),
        "only Monday has contacts"
    );
    // plan.md embeds the charts and tables the planner reads.
    let md = std::fs::read_to_string(dir.join("plan.md")).unwrap();
    for needle in [
        "![Coverage of voice](charts/coverage_voice.svg)",
        "![Coverage of chat desk](charts/coverage_chat_desk.svg)",
        "(charts/service_level_heatmap.svg)",
        "against an LP bound of",
        "Shift mix (agents) — lengths: ",
        "Starts: ",
        "| day | required on-duty agent-h | on duty agent-h | over-coverage agent-h | surplus agent-h | short agent-h |",
    ] {
        assert!(md.contains(needle), "plan.md lacks {needle:?}:\n{md}");
    }
    // The daily table's required agent-hours are plan.csv's, and its
    // on-duty hours the roster's.
    for (t, team) in p.teams.iter().enumerate() {
        let csv_hours: f64 = required
            .iter()
            .filter(|r| r.1 == team.name)
            .map(|r| f64::from(r.2))
            .sum();
        let days = planner::coverage::daily_cover(
            &team.agents,
            &team.roster.on_duty,
            &p.load.interval_len_s,
            p.interval_s,
            p.start_weekday,
        );
        assert!((days[0].required_h - csv_hours).abs() < 1e-9, "team {t}");
        let on_duty: f64 = team.roster.on_duty.iter().sum();
        assert!((days[0].on_duty_h - on_duty).abs() < 1e-6, "team {t}");
        let row = format!("| Mon | {csv_hours:.0} | {on_duty:.0} |");
        assert!(md.contains(&row), "plan.md lacks {row:?}");
        // The mix counts every rostered agent once per key.
        let mix = planner::coverage::shift_mix(&team.roster);
        let agents: u32 = team.roster.lines.iter().map(|l| l.agents).sum();
        for part in [&mix.starts, &mix.lengths, &mix.tours] {
            assert_eq!(part.iter().map(|(_, n)| n).sum::<u32>(), agents);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
