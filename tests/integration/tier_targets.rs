//! Targets per value tier (`[targets.tier.<name>]`): validation, `run`'s
//! tier report, and the planner staffing to a tier's target.
//!
//! Tolerances. A tier is judged over the horizon with a Student-t interval
//! at the targets' confidence (95%) over the replications; the assertions
//! below require the whole interval on one side of the target, where the
//! distance to it is several half-widths (figures in the comments), so a
//! seed change would have to move a mean by more than that to flip them.

use super::support::{cxsim, scenario, scratch, text};
use cxsim::planner::{self, Plan, PlanOptions, Termination};

/// One queue, 600 calls an hour of 3 minutes (30 erlangs), FIFO: every tier
/// sees the channel's service level. With 35 agents Erlang C gives about
/// 84% within 20 s, far from a 95% gold target.
const RUN: &str = r#"
name = "tiered"
[simulation]
seed = 11
horizon = "2d"
warmup = "6h"
replications = 8
interval = "4h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 600
value_mix = { gold = 0.2, standard = 0.8 }
[channel.voice]
service_level = { within = "20s", target = 0.8 }
[[team]]
name = "agents"
agents = 35
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

/// A day of voice and chat with an intraday profile (as `plan.rs`'s DAY),
/// a fifth of it gold; `TIERS` is replaced by the tier targets.
const DAY: &str = r#"
name = "day-tiers"
[simulation]
seed = 5
horizon = "1d"
warmup = "1d"
replications = 16
interval = "1h"

[[demand.profile]]
name = "day"
intraday = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 10, 11, 12, 12, 10, 8, 7, 6, 4, 2, 1]

[[demand.region]]
name = "all"
volume_per_day = 12000
profile = "day"
channel_mix = { voice = 0.7, chat = 0.3 }
value_mix = { gold = 0.2, standard = 0.8 }

[channel.voice]
patience = { dist = "exponential", mean = "3m" }
service_level = { within = "20s", target = 0.80 }

[channel.chat]
patience = { dist = "exponential", mean = "5m" }
service_level = { within = "60s", target = 0.80 }

[targets]
max_abandon = 0.08
TIERS

[[team]]
name = "voice"
agents = 80
channels = ["voice"]
handle_time = { dist = "lognormal", mean = "5m", cv = 0.8 }

[[team]]
name = "chat"
agents = 40
channels = ["chat"]
handle_time = { dist = "lognormal", mean = "8m", cv = 0.7 }
"#;

fn day(tiers: &str) -> cxsim::scenario::Scenario {
    scenario(&DAY.replace("TIERS", tiers))
}

fn plan(tiers: &str) -> Plan {
    planner::plan(&day(tiers), &PlanOptions::default()).expect("plan")
}

fn agent_hours(p: &Plan) -> u32 {
    p.teams.iter().flat_map(|t| t.agents.iter()).sum()
}

#[test]
fn bad_tier_targets_exit_2_naming_file_key_value_and_tiers() {
    let dir = scratch("tier-targets-bad");
    for (table, key, needles) in [
        (
            "[targets.tier.platinum]\nservice_level = 0.9",
            "targets.tier.platinum",
            &["\"platinum\"", "\"gold\"", "\"standard\""][..],
        ),
        (
            "[targets.tier.gold]\nservice_level = 0.0",
            "targets.tier.gold.service_level",
            &["got 0", "greater than 0 and at most 1"][..],
        ),
        (
            "[targets.tier.gold]\nservice_level = 1.5",
            "targets.tier.gold.service_level",
            &["got 1.5"][..],
        ),
        (
            "[targets.tier.gold]\nmax_abandon = nan",
            "targets.tier.gold.max_abandon",
            &["got NaN"][..],
        ),
        (
            "[targets.tier.standard]\nmax_abandon = -0.1",
            "targets.tier.standard.max_abandon",
            &["got -0.1"][..],
        ),
        (
            "[targets.tier.gold]",
            "targets.tier.gold",
            &["no target given"][..],
        ),
        ("[targets.tier.gold]\nwithin = \"20s\"", "within", &[][..]),
    ] {
        let path = dir.join("bad.toml");
        std::fs::write(&path, format!("{RUN}\n{table}\n")).unwrap();
        let out = dir.join("out");
        for command in ["run", "plan"] {
            let r = cxsim(&[
                command,
                path.to_str().unwrap(),
                "-q",
                "--out",
                out.to_str().unwrap(),
            ]);
            let (_, err) = text(&r);
            assert_eq!(r.status.code(), Some(2), "{command} {table}: {err}");
            assert!(err.contains("bad.toml"), "{table}: {err}");
            assert!(err.contains(key), "{table}: no {key} in {err}");
            for needle in needles {
                assert!(err.contains(needle), "{table}: no {needle} in {err}");
            }
            assert!(!out.exists(), "nothing written for {table}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_reports_each_tier_against_its_target_and_flags_a_miss() {
    let dir = scratch("tier-targets-run");
    let path = dir.join("tiered.toml");
    let tiers = "[targets.tier.gold]\nservice_level = 0.95\n\
                 [targets.tier.standard]\nservice_level = 0.5\nmax_abandon = 0.05\n";
    std::fs::write(&path, format!("{RUN}\n{tiers}")).unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "run",
        path.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", text(&r).1);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let gold = &json["tier_targets"]["gold"];
    let (mean, half) = (
        gold["service_level"]["mean"].as_f64().unwrap(),
        gold["service_level"]["half"].as_f64().unwrap(),
    );
    // Measured: 84.2% ± 1.7 against 95%: about six half-widths short.
    assert!(mean + half < 0.95, "gold {mean} ± {half}");
    assert_eq!(gold["verdict"], "miss");
    assert_eq!(gold["missed"], true);
    assert_eq!(gold["sl_target"], 0.95);
    // The figure judged is the tier's own human-queue service level.
    let kpi = json["tiers"]["gold"]["human_service_level"]["mean"]
        .as_f64()
        .unwrap();
    assert!((kpi - mean).abs() < 1e-12, "{kpi} vs {mean}");
    // Standard: 84% ± 1.7 against 50%, no abandonment (no patience): clear.
    let standard = &json["tier_targets"]["standard"];
    assert_eq!(standard["verdict"], "clear", "{standard}");
    assert_eq!(standard["missed"], false);
    assert_eq!(standard["max_abandon"], 0.05);
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    let row = md.lines().find(|l| l.starts_with("| gold |")).expect(&md);
    assert!(row.contains("95%") && row.contains("**missed**"), "{row}");
    let row = md.lines().find(|l| l.starts_with("| standard |")).unwrap();
    assert!(row.ends_with("| met |"), "{row}");
    // report.html has the same table, with the channel targets' status marks.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let table = html
        .split("<h3>Value tier targets</h3>")
        .nth(1)
        .expect("report.html has the tier table")
        .split("</table>")
        .next()
        .unwrap();
    let gold = table.split("<tr><td>gold</td>").nth(1).unwrap();
    assert!(
        gold.split("</tr>")
            .next()
            .unwrap()
            .contains("status missed"),
        "{table}"
    );
    let standard = table.split("<tr><td>standard</td>").nth(1).unwrap();
    assert!(
        standard
            .split("</tr>")
            .next()
            .unwrap()
            .contains("status met\">met<"),
        "{table}"
    );
    // Without tier targets there is no tier_targets key and no table.
    std::fs::write(&path, RUN).unwrap();
    let r = cxsim(&[
        "run",
        path.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success());
    let plain = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(!plain.contains("tier_targets"));
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(!md.contains("Value tiers with targets"), "{md}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("Value tier targets"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plan_staffs_more_for_a_gold_target_and_then_meets_it() {
    // A target that can never bind (gold may abandon 100%) reports gold's
    // figures without touching the plan: identical to no tier target.
    let none = plan("");
    let loose = plan("[targets.tier.gold]\nmax_abandon = 1.0");
    assert_eq!(
        none.teams.iter().map(|t| &t.agents).collect::<Vec<_>>(),
        loose.teams.iter().map(|t| &t.agents).collect::<Vec<_>>()
    );
    assert_eq!(none.paid_hours(), loose.paid_hours());
    assert!(none.tiers.is_empty());
    // Planned to the channels' 80% only, gold gets what its channels get,
    // on the plan's own fresh seeds: measured 86.7% ± 1.1, short of 92%.
    assert_eq!(loose.termination, Termination::Met);
    let gold = &loose.tiers[0];
    let (mean, half) = (
        gold.service_level.mean.unwrap(),
        gold.service_level.half.unwrap(),
    );
    assert!(
        mean + half < 0.92,
        "gold under the plain plan: {mean} ± {half}"
    );
    // With gold at 92%, the plan needs more people and meets it on its own
    // simulated figures (measured 94.9% ± 0.6; 1270 → 1396 agent-hours).
    let tight = plan("[targets.tier.gold]\nservice_level = 0.92");
    assert_eq!(
        tight.termination,
        Termination::Met,
        "{:?}",
        tight.roster_rounds
    );
    let gold = &tight.tiers[0];
    assert!(!gold.missed, "{gold:?}");
    let (mean, half) = (
        gold.service_level.mean.unwrap(),
        gold.service_level.half.unwrap(),
    );
    assert!(
        mean - half >= 0.92,
        "gold under the tier plan: {mean} ± {half}"
    );
    assert!(
        agent_hours(&tight) > agent_hours(&loose),
        "{} vs {}",
        agent_hours(&tight),
        agent_hours(&loose)
    );
    assert!(tight.paid_hours() > loose.paid_hours());
    // The channel targets still hold.
    for c in &tight.channels {
        assert!(c.service_level.mean.unwrap() >= c.sl_target, "{}", c.name);
    }
}

#[test]
fn plan_json_and_md_report_the_tiers() {
    let dir = scratch("tier-targets-plan-cli");
    let path = dir.join("day.toml");
    std::fs::write(
        &path,
        DAY.replace("TIERS", "[targets.tier.gold]\nservice_level = 0.92"),
    )
    .unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "plan",
        path.to_str().unwrap(),
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (stdout, stderr) = text(&r);
    assert!(r.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["termination"], "met");
    let gold = &json["tiers"]["gold"];
    assert_eq!(gold["sl_target"], 0.92);
    assert_eq!(gold["missed"], false);
    assert!(gold["service_level"]["mean"].as_f64().unwrap() >= 0.92);
    let md = std::fs::read_to_string(out.join("plan.md")).unwrap();
    assert!(md.contains("## Value tiers with targets"), "{md}");
    let row = md.lines().find(|l| l.starts_with("| gold |")).unwrap();
    assert!(row.contains("92%") && row.ends_with("| met |"), "{row}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn equal_service_arms_are_planned_to_the_tier_target_too() {
    // Two arms (voice calls of 5 and 6 minutes), priced, each planned to the
    // targets before it is measured; the gold target must cost each arm
    // people, and each arm's plan must end met, i.e. with gold at 92%.
    let dir = scratch("tier-targets-equal");
    let arms = "\n[costs]\nhuman_per_hour = 10\n[[variant]]\nname = \"slow\"\n\
                set = { \"team.voice.handle_time.mean\" = \"6m\" }\n";
    let fte = |tiers: &str, name: &str| -> Vec<f64> {
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, format!("{}{arms}", DAY.replace("TIERS", tiers))).unwrap();
        let out = dir.join(name);
        let r = cxsim(&[
            "compare",
            path.to_str().unwrap(),
            "--equal-service",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(r.status.success(), "{:?}", text(&r));
        let read = |f: &str| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(out.join(f)).unwrap()).unwrap()
        };
        for p in read("equal_service.json").as_array().unwrap() {
            assert_eq!(p["termination"], "met", "{name}: {p}");
        }
        read("compare.json")["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["fte"]["mean"].as_f64().unwrap())
            .collect()
    };
    let plain = fte("", "plain");
    let gold = fte("[targets.tier.gold]\nservice_level = 0.92", "gold");
    // Measured: base 253.7 → 284.7 FTE, slow 282.2 → 326.7 (each ± 0.1).
    for (p, g) in plain.iter().zip(&gold) {
        assert!(g > &(p * 1.05), "FTE {p} → {g}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
