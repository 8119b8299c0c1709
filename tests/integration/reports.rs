//! Charts and the HTML report: valid SVG with every series, a self-contained
//! page, bounded size on long horizons, deterministic bytes.

use super::support::*;
use cxsim::engine::{RunOptions, simulate};
use cxsim::metrics::{Summary, interval_rows, summarize, team_interval_rows};
use cxsim::report::{Chart, render_charts, report_html, write_run};
use cxsim::scenario::Scenario;

/// Two channels, two teams (one blended), names that need escaping.
const TWO_CHANNELS: &str = r#"
name = "Two & <channels>"
description = "Escaping check: <script>alert('x')</script> & \"quotes\""
[simulation]
seed = 11
horizon = "1d"
warmup = "1h"
replications = 3
interval = "1h"
[[demand.stream]]
name = "calls"
channel = "voice"
rate_per_hour = 120
[[demand.stream]]
name = "chats"
channel = "chat"
rate_per_hour = 40
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
service_level = { within = "20s", target = 0.80 }
[channel.chat]
patience = { dist = "exponential", mean = "5m" }
service_level = { within = "60s", target = 0.70 }
[[team]]
name = "Tier <1> & 'co'"
agents = 8
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
[[team]]
name = "blended"
agents = 5
channels = ["chat", "voice"]
handle_time = { dist = "exponential", mean = "6m" }
[routing]
strategy = "fifo"
"#;

struct Run {
    scenario: Scenario,
    summary: Summary,
    charts: Vec<Chart>,
}

fn run(toml: &str) -> Run {
    let scenario = Scenario::from_toml_str(toml, "test.toml").expect("valid scenario");
    let reps = simulate(&scenario, &RunOptions::default()).expect("simulates");
    let summary = summarize(&scenario, &reps);
    let charts = render_charts(
        &scenario,
        &summary,
        &interval_rows(&scenario, &reps).expect("rows"),
        &team_interval_rows(&scenario, &reps).expect("team rows"),
    );
    Run {
        scenario,
        summary,
        charts,
    }
}

fn chart<'a>(charts: &'a [Chart], file: &str) -> &'a Chart {
    charts
        .iter()
        .find(|c| c.file_name == file)
        .unwrap_or_else(|| panic!("{file} missing"))
}

/// Data lines drawn in the colour of `name`'s legend key: solid polylines
/// of that stroke other than the key itself (targets are drawn translucent).
fn data_lines(svg: &str, name: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("chart is well-formed XML");
    let text = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.trim() == name))
        .unwrap_or_else(|| panic!("no legend text for {name:?}"));
    // The key: polylines just left of the text, on its line.
    let at = |n: roxmltree::Node, a| n.attribute(a).and_then(|v| v.parse::<i32>().ok());
    let (tx, ty) = (at(text, "x").unwrap(), at(text, "y").unwrap());
    let in_key = |n: &roxmltree::Node| {
        let points = n.attribute("points").unwrap_or("");
        !points.trim().is_empty()
            && points.split_whitespace().all(|p| {
                let (x, y) = p.split_once(',').unwrap();
                let (x, y): (i32, i32) = (x.parse().unwrap(), y.parse().unwrap());
                (tx - 40..tx).contains(&x) && (ty - 10..=ty + 10).contains(&y)
            })
    };
    let key: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && in_key(n))
        .map(|n| n.id())
        .collect();
    let first = doc
        .get_node(*key.first().expect("a legend key before its text"))
        .unwrap();
    let stroke = first.attribute("stroke").expect("key has a stroke");
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") && !key.contains(&n.id()))
        .filter(|n| n.attribute("stroke") == Some(stroke) && n.attribute("opacity") == Some("1"))
        .filter(|n| n.attribute("points").is_some_and(|p| !p.trim().is_empty()))
        .count()
}

/// Asserts `name` has a legend entry and at least one data line in its colour.
fn assert_series(svg: &str, name: &str) {
    let lines = data_lines(svg, name);
    assert!(lines >= 1, "{name:?}: no data line in its legend colour");
}

fn polyline_points(svg: &str) -> Vec<usize> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") || n.has_tag_name("polygon"))
        .map(|n| {
            n.attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .count()
        })
        .collect()
}

#[test]
fn every_chart_is_valid_svg_with_every_series() {
    let r = run(TWO_CHANNELS);
    let names: Vec<_> = r.charts.iter().map(|c| c.file_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "demand.svg",
            "service_level_heatmap.svg",
            "service_level.svg",
            "asa.svg",
            "occupancy.svg"
        ]
    );
    for c in &r.charts {
        let doc = roxmltree::Document::parse(&c.svg)
            .unwrap_or_else(|e| panic!("{} is not valid XML: {e}", c.file_name));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{}", c.file_name);
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        assert!(root.attribute("viewBox").is_some());
        assert!(
            c.svg.contains(&c.title),
            "{} lacks its title caption",
            c.file_name
        );
        assert!(!c.svg.contains("NaN") && !c.svg.contains("inf"));
    }
    for file in ["demand.svg", "asa.svg"] {
        for channel in &r.scenario.channels {
            assert_series(&chart(&r.charts, file).svg, &channel.name);
        }
    }
    let sl = &chart(&r.charts, "service_level.svg").svg;
    assert_series(sl, "voice (target 80% in 20s)");
    assert_series(sl, "chat (target 70% in 1m)");
    let occupancy = &chart(&r.charts, "occupancy.svg").svg;
    // Plotters escapes the name; roxmltree unescapes it back.
    assert_series(occupancy, "Tier <1> & 'co' (8 agents)");
    assert_series(occupancy, "blended (5 agents)");
}

/// No reference to anything outside the page.
fn assert_self_contained(html: &str) {
    for forbidden in [
        "http://",
        "https://",
        "src=",
        "href=",
        "@import",
        "url(",
        "<script",
        "<link",
        "@font-face",
    ] {
        assert!(
            !html.contains(forbidden),
            "report.html contains {forbidden:?}"
        );
    }
}

#[test]
fn report_is_self_contained_and_holds_every_chart() {
    let r = run(TWO_CHANNELS);
    let html = report_html(&r.scenario, &r.summary, &r.charts);
    assert_self_contained(&html);
    assert_eq!(html.matches("<svg ").count(), r.charts.len());
    for c in &r.charts {
        let id = c.file_name.trim_end_matches(".svg");
        assert!(
            html.contains(&format!("<figure id=\"chart-{id}\">")),
            "{id}"
        );
        assert!(
            html.contains(&format!("aria-label=\"{}\"", c.title)),
            "{id}"
        );
    }
    // Scenario text is escaped, never markup.
    assert!(html.contains("<h1>Two &amp; &lt;channels&gt;</h1>"));
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
    );
    assert!(html.contains("Tier &lt;1&gt; &amp; &#39;co&#39;"));
    // Structure: the headline first, then charts, then tables; per channel a card
    // with its service level against target.
    let order: Vec<_> = [
        "<section id=\"channels\">",
        "<section id=\"teams\">",
        "<section id=\"charts\">",
        "<section id=\"tables\">",
        "</html>",
    ]
    .iter()
    .map(|s| html.find(s).unwrap_or_else(|| panic!("{s} missing")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(html.matches("<article class=\"card\"").count(), 4);
    for label in [
        "target 80% answered in 20s",
        "target 70% answered in 1m",
        "<dt>Offered</dt>",
        "<dt>ASA</dt>",
        "<dt>Abandoned</dt>",
        "<dt>Occupancy</dt>",
        "all channels",
    ] {
        assert!(html.contains(label), "{label} missing");
    }
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</body>\n</html>\n"));
}

#[test]
fn write_run_writes_report_and_charts_deterministically() {
    let dir = scratch("reports-write");
    let scenario = Scenario::from_toml_str(SMALL, "small.toml").unwrap();
    let reps = simulate(&scenario, &RunOptions::default()).unwrap();
    let summary = summarize(&scenario, &reps);
    let mut bytes = Vec::new();
    for round in ["a", "b"] {
        let out = dir.join(round);
        let written = write_run(&out, &scenario, &summary, &reps).unwrap();
        let mut files = vec![out.join("report.html")];
        for name in [
            "demand",
            "service_level_heatmap",
            "service_level",
            "asa",
            "occupancy",
        ] {
            files.push(out.join("charts").join(format!("{name}.svg")));
        }
        for f in &files {
            assert!(written.contains(f), "{} not reported", f.display());
        }
        assert!(out.join("summary.md").is_file());
        bytes.push(
            files
                .iter()
                .map(|f| std::fs::read(f).unwrap())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(bytes[0], bytes[1], "same input must give the same bytes");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_year_of_quarter_hours_stays_small() {
    let year = SMALL
        .replace("horizon = \"2d\"", "horizon = \"365d\"")
        .replace("interval = \"1h\"", "interval = \"15m\"")
        .replace("replications = 4", "replications = 1")
        .replace("rate_per_hour = 360", "rate_per_hour = 6");
    let r = run(&year);
    for c in &r.charts {
        let max = polyline_points(&c.svg).into_iter().max().unwrap_or(0);
        // A bucket is two points; a stacked band's outline is both edges.
        assert!(max <= 4 * 1000 + 4, "{}: {max} points", c.file_name);
        assert!(
            c.svg.len() < 400_000,
            "{}: {} bytes",
            c.file_name,
            c.svg.len()
        );
        // The heat map has no time axis: it folds the year onto one week.
        if c.file_name == "service_level_heatmap.svg" {
            assert!(c.svg.contains("over 53 weeks"), "{}", c.file_name);
        } else {
            assert!(c.svg.contains("each step averages 12h"), "{}", c.file_name);
        }
    }
}

#[test]
fn single_interval_and_sparse_intervals_render() {
    let one = SMALL.replace("horizon = \"2d\"", "horizon = \"1h\"");
    let r = run(&one);
    assert_eq!(
        data_lines(
            &chart(&r.charts, "service_level.svg").svg,
            "voice (target 80% in 20s)"
        ),
        1
    );
    assert_eq!(
        data_lines(&chart(&r.charts, "occupancy.svg").svg, "agents (20 agents)"),
        1
    );
    // Rare contacts leave most intervals undefined: service level breaks into pieces.
    let sparse = SMALL
        .replace("rate_per_hour = 360", "rate_per_hour = 0.3")
        .replace("replications = 4", "replications = 1");
    let r = run(&sparse);
    let sl = &chart(&r.charts, "service_level.svg").svg;
    assert!(roxmltree::Document::parse(sl).is_ok());
    let pieces = data_lines(sl, "voice (target 80% in 20s)");
    assert!(pieces > 3, "{pieces} pieces: gaps are not drawn as gaps");
}

#[test]
fn regions_are_tabled_and_a_start_date_labels_the_axis() {
    let toml = r#"
name = "regions"
[simulation]
horizon = "2d"
interval = "30m"
replications = 2
start = 2026-03-03
[[demand.region]]
name = "north"
volume_per_day = 2000
profile = "metro"
channel_mix = { voice = 0.7, chat = 0.3 }
[[demand.region]]
name = "south"
volume_per_day = 1000
profile = "tier2"
channel_mix = { voice = 1.0 }
[[team]]
name = "voice"
agents = 25
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
[[team]]
name = "chat"
agents = 10
channels = ["chat"]
handle_time = { dist = "exponential", mean = "8m" }
"#;
    let r = run(toml);
    for c in &r.charts {
        roxmltree::Document::parse(&c.svg).expect("valid SVG");
    }
    let demand = &chart(&r.charts, "demand.svg").svg;
    assert_series(demand, "voice");
    assert_series(demand, "chat");
    let by_region = &chart(&r.charts, "demand_regions.svg").svg;
    assert_series(by_region, "north");
    assert_series(by_region, "south");
    // 2026-03-03 is a Tuesday: the axis names real days.
    assert!(demand.contains("Tue 00:00") && demand.contains("Wed 00:00"));
    let html = report_html(&r.scenario, &r.summary, &r.charts);
    assert!(html.contains("the horizon starts on Tue 3 Mar 2026"));
    assert!(html.contains("<h3>Regions</h3>"));
    assert!(html.contains("<td>north</td>") && html.contains("<td>south</td>"));
}

/// A team with fatigue gets a fatigue chart (one series per team); the streamed charts written by `write_run`
/// from spill-mode replications are the same bytes as charts rendered from
/// rows held in memory.
#[test]
fn fatigue_chart_and_streamed_charts_match_in_memory_ones() {
    use cxsim::metrics::Retention;
    let toml = TWO_CHANNELS.replacen(
        "channels = [\"voice\"]",
        "channels = [\"voice\"]\nfatigue = {}",
        1,
    );
    let r = run(&toml);
    let names: Vec<_> = r.charts.iter().map(|c| c.file_name.as_str()).collect();
    assert!(names.contains(&"fatigue.svg"), "{names:?}");
    let fatigue = &chart(&r.charts, "fatigue.svg").svg;
    assert_series(fatigue, "Tier <1> & 'co' (8 agents)");
    assert_series(fatigue, "blended (5 agents)");
    assert!(fatigue.contains("0 = rested"));

    let s = r.scenario;
    let spilled = simulate(
        &s,
        &RunOptions {
            retention: Retention::Spill,
            ..RunOptions::default()
        },
    )
    .expect("simulates");
    let dir = scratch("streamed-charts");
    write_run(&dir, &s, &r.summary, &spilled).expect("writes");
    for c in &r.charts {
        let written = std::fs::read_to_string(dir.join("charts").join(&c.file_name)).unwrap();
        assert!(written == c.svg, "{} differs when streamed", c.file_name);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Three weeks, one team with attrition replacing its quits, one without,
/// one with attrition and no replacement; little traffic, so it runs fast.
const ATTRITION: &str = r#"
name = "attrition"
[simulation]
seed = 3
horizon = "21d"
warmup = "1h"
replications = 3
interval = "1d"
[[demand.stream]]
channel = "voice"
rate_per_hour = 20
[[demand.stream]]
channel = "chat"
rate_per_hour = 10
[[team]]
name = "voice"
agents = 12
channels = ["voice"]
handle_time = { dist = "exponential", mean = "5m" }
attrition = { annual_rate = 0.95, hire_lead = "1w" }
[[team]]
name = "chat"
agents = 6
channels = ["chat"]
handle_time = { dist = "exponential", mean = "5m" }
[[team]]
name = "back office"
agents = 4
channels = ["chat"]
handle_time = { dist = "exponential", mean = "5m" }
attrition = { annual_rate = 0.9, replace = false }
"#;

/// Every `<text>` of an SVG, trimmed.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

#[test]
fn attrition_chart_shows_teams_with_attrition_and_is_in_the_report() {
    let r = run(ATTRITION);
    let names: Vec<_> = r.charts.iter().map(|c| c.file_name.as_str()).collect();
    assert_eq!(names.last(), Some(&"attrition.svg"), "{names:?}");
    let svg = &chart(&r.charts, "attrition.svg").svg;
    let doc = roxmltree::Document::parse(svg).expect("attrition.svg is valid XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    // Quits happen at this rate (12 + 4 agents, ~90%/year, 3 weeks, 3
    // replications): the chart has something to show.
    let voice = &r.summary.teams["voice"].weeks;
    assert_eq!(voice.len(), 3);
    let quits: f64 = ["voice", "back office"]
        .iter()
        .flat_map(|t| r.summary.teams[*t].weeks.iter().map(|w| w.quits))
        .sum();
    assert!(quits > 0.0, "no quit in three weeks");
    // Headcount (with the seats dashed), hires solid and quits dashed, per
    // team with attrition, each with a data line in its colour.
    for name in [
        "voice (dashed: 12 seats)",
        "back office (dashed: 4 seats)",
        "voice hires",
        "back office hires",
    ] {
        assert_series(svg, name);
    }
    let labels = texts(svg);
    for name in ["voice quits", "back office quits"] {
        assert!(labels.iter().any(|t| t == name), "{name} missing");
    }
    // A team without attrition has weekly rows of zeros: not drawn.
    assert!(!labels.iter().any(|t| t.starts_with("chat")), "{labels:?}");
    for axis in [
        "Agents employed at week end",
        "Agents per week (solid: hires, dashed: quits)",
        "Week (one step per week; means over 3 replications)",
    ] {
        assert!(labels.iter().any(|t| t == axis), "{axis} missing");
    }
    let html = report_html(&r.scenario, &r.summary, &r.charts);
    assert_self_contained(&html);
    assert!(html.contains("<figure id=\"chart-attrition\">"));
    assert!(html.contains("aria-label=\"Headcount, quits and hires per week\""));
    // `cxsim run` writes it beside the other charts, the same bytes each time.
    let dir = scratch("reports-attrition");
    let reps = simulate(&r.scenario, &RunOptions::default()).unwrap();
    let written = write_run(&dir, &r.scenario, &r.summary, &reps).unwrap();
    let path = dir.join("charts").join("attrition.svg");
    assert!(written.contains(&path));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), *svg);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_attrition_chart_without_attrition_or_a_whole_week() {
    // Attrition configured, but the horizon holds no whole week.
    let short = ATTRITION.replace("horizon = \"21d\"", "horizon = \"6d\"");
    let r = run(&short);
    assert!(r.charts.iter().all(|c| c.file_name != "attrition.svg"));
    // Three weeks without attrition.
    let none = ATTRITION
        .replace(
            "attrition = { annual_rate = 0.95, hire_lead = \"1w\" }\n",
            "",
        )
        .replace("attrition = { annual_rate = 0.9, replace = false }\n", "");
    assert!(!none.contains("attrition ="));
    let r = run(&none);
    assert!(r.charts.iter().all(|c| c.file_name != "attrition.svg"));
}
