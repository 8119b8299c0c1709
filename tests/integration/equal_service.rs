//! `compare --equal-service`: every arm planned to the same targets, then
//! compared on what that takes (FTE, paid hours, cost) and what it achieves.

use super::support::*;

#[test]
fn equal_service_staffs_each_arm_to_the_targets_and_prices_the_difference() {
    let dir = scratch("equal-service");
    let path = dir.join("arms.toml");
    std::fs::write(&path, EQUAL_ARMS).unwrap();
    let out = dir.join("out");
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
    // Both arms planned to the targets.
    let plans = read("equal_service.json");
    let plans = plans.as_array().unwrap();
    assert_eq!(plans.len(), 2);
    for p in plans {
        assert_eq!(p["termination"], "met", "{p}");
    }
    let json = read("compare.json");
    let arm = |name: &str| {
        json["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no arm {name}: {json}"))
            .clone()
    };
    let (base, slow) = (arm("base"), arm("slow"));
    for key in ["fte", "paid_hours", "cost_total", "cost_per_resolved"] {
        for a in [&base, &slow] {
            assert!(a[key]["mean"].as_f64().unwrap() > 0.0, "{key}: {a}");
            assert!(a[key]["ci95"].as_f64().is_some(), "{key}: {a}");
        }
    }
    let row = |kpi: &str, variant: &str| {
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["scope"] == "overall" && r["kpi"] == kpi && r["variant"] == variant)
            .unwrap_or_else(|| panic!("no {kpi} row for {variant}"))
            .clone()
    };
    // Longer calls need more people: the paired difference in FTE is
    // positive beyond its interval, and so is the cost per resolved problem.
    for kpi in ["fte", "cost_per_resolved"] {
        let d = row(kpi, "slow");
        let (m, h) = (
            d["diff_mean"].as_f64().unwrap(),
            d["diff_ci95"].as_f64().unwrap(),
        );
        assert!(m - h > 0.0, "{kpi}: Δ {m} ± {h}");
    }
    // Each arm, on seeds the planner did not see, delivers the target:
    // its human-queue service level is not below 80% beyond its interval.
    for name in ["base", "slow"] {
        let sl = row("human_service_level", name);
        let (m, h) = (sl["mean"].as_f64().unwrap(), sl["ci95"].as_f64().unwrap());
        assert!(m + h >= 0.80, "{name}: service level {m} ± {h}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
