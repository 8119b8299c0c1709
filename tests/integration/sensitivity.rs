//! `cxsim sensitivity`: conventions at both ends of their range, paired on
//! common random numbers, ranked by swing.

use super::support::*;

fn sensitivity(
    file: &std::path::Path,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "sensitivity",
        file.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    cxsim(&args)
}

#[test]
fn patience_moves_abandonment_the_right_way_and_ranks_first() {
    let dir = scratch("sens-patience");
    let file = dir.join("s.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out = dir.join("out");
    let r = sensitivity(
        &file,
        &out,
        &[
            "--kpi",
            "abandon_rate",
            "--only",
            "voice_patience,recontact,ask_for_human",
        ],
    );
    assert!(r.status.success(), "{:?}", text(&r));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sensitivity.json")).unwrap())
            .unwrap();
    let rows = json["rows"].as_array().unwrap();
    let first = &rows[0];
    assert_eq!(first["convention"], "voice_patience");
    assert_eq!(first["rank"], 1);
    // Less patient callers (2 min) abandon more, more patient (5 min) less;
    // both changes are paired on the same customers, so their intervals
    // exclude zero at this load.
    let (low, high) = (&first["change_low"], &first["change_high"]);
    assert!(
        low["mean"].as_f64().unwrap() > low["ci95"].as_f64().unwrap(),
        "{first}"
    );
    assert!(
        -high["mean"].as_f64().unwrap() > high["ci95"].as_f64().unwrap(),
        "{first}"
    );
    // No front line: the AI and recontact conventions do not apply.
    for row in &rows[1..] {
        assert_eq!(row["applies"], false, "{row}");
        assert!(row["rank"].is_null());
    }
    for file in ["sensitivity.csv", "sensitivity.md", "charts/tornado.svg"] {
        assert!(out.join(file).exists(), "{file}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_ranges_names_and_kpis_exit_2_and_write_nothing() {
    let dir = scratch("sens-bad");
    let file = dir.join("s.toml");
    std::fs::write(&file, SMALL).unwrap();
    for (args, expect) in [
        (vec!["--range", "voice_patience=300:100"], "low < high"),
        (vec!["--range", "voice_patience=abc"], "NAME=LOW:HIGH"),
        (vec!["--range", "nothing=1:2"], "no such convention"),
        (vec!["--only", "nothing"], "no such convention"),
        (
            vec!["--kpi", "nothing", "--only", "voice_patience"],
            "--kpi nothing",
        ),
        (vec!["--scope", "chanel:voice"], "--scope"),
        (vec!["--versus", "nobody"], "--versus"),
        // A clamped convention outside its domain: named with what is allowed.
        (
            vec!["--range", "ai_ceiling=0.5:1.5"],
            "1.5 is outside the domain of ai_ceiling",
        ),
        (
            vec!["--range", "ai_resolution=-1:1.2"],
            "allowed: 0 or more",
        ),
        // Outside the parameter's domain: the variant's validation says so.
        (
            vec![
                "--range",
                "voice_patience=-60:100",
                "--only",
                "voice_patience",
            ],
            "channel.voice.patience",
        ),
    ] {
        let out = dir.join("out");
        let r = sensitivity(&file, &out, &args);
        let (_, err) = text(&r);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote output");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The equal-service arms of `support`, plus a `capped` arm that may not
/// roster more than 20 agents, too few.
fn arms() -> String {
    format!(
        "{EQUAL_ARMS}\n[[variant]]\nname = \"capped\"\nset = {{ \"targets.max_agents.voice\" = 20 }}\n"
    )
}

fn arms_file(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("arms.toml");
    std::fs::write(&file, arms()).unwrap();
    file
}

fn read_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn at_equal_service_the_headline_is_the_fte_each_arm_needs() {
    let dir = scratch("sens-equal");
    let file = arms_file(&dir);
    let out = dir.join("out");
    let r = sensitivity(
        &file,
        &out,
        &[
            "--equal-service",
            "--versus",
            "slow",
            "--only",
            "voice_patience",
        ],
    );
    assert!(r.status.success(), "{:?}", text(&r));
    let json = read_json(&out.join("sensitivity.json"));
    let h = &json["headline"];
    assert_eq!(h["kpi"], "fte", "{h}");
    assert_eq!(h["equal_service"], true);
    assert_eq!(h["not_met"].as_array().unwrap().len(), 0, "{h}");
    // Longer calls need more people at equal service: slow − base > 0
    // beyond its paired interval.
    let (m, ci) = (
        h["nominal"]["mean"].as_f64().unwrap(),
        h["nominal"]["ci95"].as_f64().unwrap(),
    );
    assert!(m - ci > 0.0, "Δ FTE {m} ± {ci}");
    // Every run was planned (nominal 2 + patience low/high in both arms), and met.
    let plans = json["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 6, "{plans:?}");
    assert!(plans.iter().all(|p| p["termination"] == "met"), "{plans:?}");
    let row = &json["rows"][0];
    assert_eq!(row["convention"], "voice_patience");
    assert_eq!(row["rank"], 1);
    assert!(row["swing"].as_f64().unwrap() > 0.0, "{row}");
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().ends_with(",equal_service,not_met"));
    assert!(lines.next().unwrap().ends_with(",true,"), "{csv}");
    let md = std::fs::read_to_string(out.join("sensitivity.md")).unwrap();
    assert!(md.contains("at equal service"), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_arm_whose_plan_misses_the_targets_is_reported_not_silently() {
    let dir = scratch("sens-unmet");
    let file = arms_file(&dir);
    let out = dir.join("out");
    let r = sensitivity(
        &file,
        &out,
        &[
            "--equal-service",
            "--versus",
            "capped",
            "--only",
            "voice_patience",
        ],
    );
    let (_, err) = text(&r);
    assert!(r.status.success(), "{err}");
    assert!(
        err.contains("\"capped\"") && err.contains("not at equal service"),
        "{err}"
    );
    let json = read_json(&out.join("sensitivity.json"));
    assert_eq!(json["headline"]["not_met"], serde_json::json!(["capped"]));
    let row = &json["rows"][0];
    let not_met: Vec<&str> = row["not_met"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        not_met.iter().all(|n| n.ends_with(":capped")) && not_met.len() == 2,
        "{row}"
    );
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    assert!(csv.lines().nth(1).unwrap().contains("capped;"), "{csv}");
    let md = std::fs::read_to_string(out.join("sensitivity.md")).unwrap();
    assert!(md.contains("Not at equal service"), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn equal_service_without_a_target_or_a_price_exits_2() {
    let dir = scratch("sens-equal-bad");
    let out = dir.join("out");
    // Every service-level target 0 and no max_abandon: nothing to staff to.
    let untargeted = arms()
        .replace("target = 0.80", "target = 0.0")
        .replace("max_abandon = 0.08\n", "");
    // No [costs]: FTE is not reported.
    let unpriced = arms().replace("[costs]\nhuman_per_hour = 20.0\n", "");
    for (toml, expect) in [
        (untargeted, "no target to plan every arm to"),
        (unpriced, "need a [costs] table"),
    ] {
        let file = dir.join("s.toml");
        std::fs::write(&file, toml).unwrap();
        let r = sensitivity(&file, &out, &["--equal-service"]);
        let (_, err) = text(&r);
        assert_eq!(r.status.code(), Some(2), "{err}");
        assert!(err.contains(expect), "{err}");
        assert!(!out.exists());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shards_merge_into_the_unsharded_outputs_byte_for_byte() {
    let dir = scratch("sens-shards");
    let file = arms_file(&dir);
    for (mode, extra) in [
        (
            "fixed",
            vec!["--versus", "slow", "--only", "voice_patience"],
        ),
        (
            "equal",
            vec![
                "--equal-service",
                "--versus",
                "slow",
                "--only",
                "voice_patience",
            ],
        ),
    ] {
        let whole = dir.join(format!("{mode}-whole"));
        let r = sensitivity(&file, &whole, &extra);
        assert!(r.status.success(), "{mode}: {:?}", text(&r));
        let shards = dir.join(format!("{mode}-shards"));
        for k in 1..=4 {
            let mut args = extra.clone();
            let shard = format!("{k}/4");
            args.extend_from_slice(&["--shard", &shard]);
            let r = sensitivity(&file, &shards, &args);
            assert!(r.status.success(), "{mode} {shard}: {:?}", text(&r));
            assert!(
                shards
                    .join(format!("sensitivity-shard-{k}-of-4.json"))
                    .exists()
            );
        }
        // A missing shard is named, not merged.
        let partial = dir.join(format!("{mode}-partial"));
        std::fs::create_dir_all(&partial).unwrap();
        for k in 1..=3 {
            let name = format!("sensitivity-shard-{k}-of-4.json");
            std::fs::copy(shards.join(&name), partial.join(&name)).unwrap();
        }
        let merged = dir.join(format!("{mode}-merged"));
        let r = cxsim(&[
            "merge",
            partial.to_str().unwrap(),
            "-q",
            "--out",
            merged.to_str().unwrap(),
        ]);
        let (_, err) = text(&r);
        assert!(!r.status.success() && err.contains("4"), "{mode}: {err}");
        let r = cxsim(&[
            "merge",
            shards.to_str().unwrap(),
            "-q",
            "--out",
            merged.to_str().unwrap(),
        ]);
        assert!(r.status.success(), "{mode}: {:?}", text(&r));
        for name in ["sensitivity.csv", "sensitivity.json", "sensitivity.md"] {
            let a = std::fs::read(whole.join(name)).unwrap();
            let b = std::fs::read(merged.join(name)).unwrap();
            assert!(a == b, "{mode}: {name} differs after the merge");
        }
        // A shard edited by hand fails its checksum.
        let one = shards.join("sensitivity-shard-1-of-4.json");
        let text1 = std::fs::read_to_string(&one).unwrap();
        std::fs::write(&one, text1.replacen("\"shards\":4", "\"shards\":4 ", 1)).unwrap();
        let r = cxsim(&[
            "merge",
            shards.to_str().unwrap(),
            "-q",
            "--out",
            merged.to_str().unwrap(),
        ]);
        assert_eq!(r.status.code(), Some(2), "{mode}: {:?}", text(&r));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
