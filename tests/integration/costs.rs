//! `[costs]`: what a run costs, per contact and per resolved problem, and the
//! validation of prices.

use super::support::*;

fn priced(costs: &str) -> String {
    format!("{SMALL}\n[costs]\n{costs}\n")
}

fn run_json(scenario_text: &str, tag: &str) -> serde_json::Value {
    let dir = scratch(tag);
    std::fs::write(dir.join("s.toml"), scenario_text).unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "run",
        dir.join("s.toml").to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{:?}", text(&r));
    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_str(&json).unwrap()
}

fn mean(v: &serde_json::Value, key: &str) -> f64 {
    v["costs"][key]["mean"]
        .as_f64()
        .unwrap_or_else(|| panic!("costs.{key}: {v}"))
}

#[test]
fn an_unpriced_scenario_reports_no_costs() {
    let v = run_json(SMALL, "costs-none");
    assert!(v.get("costs").is_none());
}

#[test]
fn always_on_agents_are_paid_for_every_measured_hour() {
    // 20 agents on duty around the clock for the 2-day horizon: 960 paid
    // hours in every replication (no sampling noise); FTE at 40 h a week
    // over 2/7 of a week.
    let v = run_json(
        &priced("human_per_hour = 10.0\ntelephony_per_minute = 0.0"),
        "costs-human",
    );
    assert!(
        (mean(&v, "paid_hours") - 960.0).abs() < 1e-6,
        "{}",
        v["costs"]
    );
    assert!((mean(&v, "cost_human") - 9_600.0).abs() < 1e-6);
    assert_eq!(v["costs"]["cost_human"]["ci95"].as_f64(), Some(0.0));
    let fte = 960.0 / (40.0 * 2.0 / 7.0);
    assert!((mean(&v, "fte") - fte).abs() < 1e-9);
    assert_eq!(v["costs"]["currency"], "USD");
    // Per contact and per resolved problem divide the same total.
    let offered = v["overall"]["offered"]["mean"].as_f64().unwrap();
    let per_contact = mean(&v, "cost_per_contact");
    // Mean of ratios, not ratio of means: equal within the spread of offered.
    assert!((per_contact - 9_600.0 / offered).abs() / per_contact < 0.02);
    assert!(mean(&v, "cost_per_resolved") >= per_contact);
}

#[test]
fn telephony_and_platform_add_up() {
    let base = run_json(&priced("human_per_hour = 0.0"), "costs-zero");
    assert_eq!(mean(&base, "cost_total"), 0.0);
    let v = run_json(
        &priced("telephony_per_minute = 0.01\nplatform_per_week = 700.0\ncurrency = \"INR\""),
        "costs-tel",
    );
    // Platform: 700 a week for 2 days.
    assert!((mean(&v, "cost_platform") - 200.0).abs() < 1e-9);
    // Telephony: every answered call is on the line for its wait and talk
    // (3 min mean): about 360 × 48 × 3 min × 0.01 ≈ 518 per replication.
    let tel = mean(&v, "cost_telephony");
    assert!((400.0..650.0).contains(&tel), "telephony {tel}");
    assert!((mean(&v, "cost_total") - tel - 200.0).abs() < 1e-6);
    assert_eq!(v["costs"]["currency"], "INR");
}

#[test]
fn bad_prices_are_refused_with_key_value_and_range() {
    let dir = scratch("costs-bad");
    for (costs, key) in [
        ("human_per_hour = -1.0", "costs.human_per_hour"),
        ("ai_per_session = nan", "costs.ai_per_session"),
        ("telephony_per_minute = inf", "costs.telephony_per_minute"),
        (
            "team_per_hour = { nobody = 3.0 }",
            "costs.team_per_hour.nobody",
        ),
        ("currency = \"US Dollar\"", "costs.currency"),
        ("unknown_price = 1.0", "unknown_price"),
    ] {
        let path = dir.join("bad.toml");
        std::fs::write(&path, priced(costs)).unwrap();
        let out = dir.join("out");
        let r = cxsim(&[
            "run",
            path.to_str().unwrap(),
            "-q",
            "--out",
            out.to_str().unwrap(),
        ]);
        let (_, err) = text(&r);
        assert_eq!(r.status.code(), Some(2), "{costs}: {err}");
        assert!(err.contains(key), "{costs}: {err}");
        assert!(err.contains("bad.toml"), "{err}");
        assert!(!out.exists(), "nothing written for {costs}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_reports_cost_and_fte_per_arm_paired() {
    let dir = scratch("costs-compare");
    let scenario_text = format!(
        "{}\n[[variant]]\nname = \"more\"\nset = {{ \"team.agents.agents\" = 22 }}\n",
        priced("human_per_hour = 10.0\nai_per_session = 0.5")
    );
    let path = dir.join("cmp.toml");
    std::fs::write(&path, scenario_text).unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "compare",
        path.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{:?}", text(&r));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).unwrap()).unwrap();
    let row = |kpi: &str, variant: &str| {
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["scope"] == "overall" && r["kpi"] == kpi && r["variant"] == variant)
            .unwrap_or_else(|| panic!("no {kpi} row for {variant}"))
            .clone()
    };
    // Two more always-on agents for 48 hours: 96 paid hours and 960 more,
    // in every replication, so the paired difference has no spread.
    let hours = row("paid_hours", "more");
    assert!(
        (hours["diff_mean"].as_f64().unwrap() - 96.0).abs() < 1e-6,
        "{hours}"
    );
    assert_eq!(hours["diff_ci95"].as_f64(), Some(0.0));
    let cost = row("cost_human", "more");
    assert!((cost["diff_mean"].as_f64().unwrap() - 960.0).abs() < 1e-6);
    // Per channel, no cost rows (costs are not split by channel).
    assert!(
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["scope"] == "overall" || !r["kpi"].as_str().unwrap().starts_with("cost"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unpaid_breaks_are_not_paid_hours() {
    // Three 8-hour shifts cover the day with 10 agents each; each has a
    // 30-minute break at 4h. The same run with the break unpaid simulates
    // identically (same seeds, same breaks) and pays 1/16 less of the
    // 10 × 48 scheduled agent-hours of the measured window: 30 hours.
    let shifts = |paid: bool| {
        let mut team = String::from(
            "channels = [\"voice\"]\nhandle_time = { dist = \"exponential\", mean = \"3m\" }\n",
        );
        for start in ["00:00", "08:00", "16:00"] {
            team.push_str(&format!(
                "[[team.shift]]\nstart = \"{start}\"\nlength = \"8h\"\nagents = 10\nbreaks = [{{ after = \"4h\", length = \"30m\", paid = {paid} }}]\n"
            ));
        }
        let text = SMALL.replace(
            "agents = 20\nchannels = [\"voice\"]\nhandle_time = { dist = \"exponential\", mean = \"3m\" }\n",
            &team,
        );
        assert_ne!(text, SMALL, "the team was replaced");
        let text = text.replace("[routing]", "[costs]\nhuman_per_hour = 10.0\n[routing]");
        run_json(&text, &format!("costs-unpaid-{paid}"))
    };
    let (paid, unpaid) = (shifts(true), shifts(false));
    let diff = mean(&paid, "paid_hours") - mean(&unpaid, "paid_hours");
    assert!((diff - 30.0).abs() < 1e-6, "paid − unpaid = {diff} h");
    assert_eq!(paid["overall"]["answered"], unpaid["overall"]["answered"]);
    assert!((mean(&paid, "cost_human") - mean(&unpaid, "cost_human") - 300.0).abs() < 1e-6);
}
