//! End-to-end CLI behaviour: outputs, JSON shapes, the erlang calculator.

use super::support::*;

#[test]
fn run_writes_every_output_and_json_has_contract_keys() {
    let dir = scratch("cli-run");
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "run",
        file.to_str().unwrap(),
        "--json",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (stdout, stderr) = text(&r);
    assert!(r.status.success(), "{stderr}");
    for name in ["summary.json", "intervals.csv", "agents.csv", "summary.md"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json, on_disk, "--json prints what summary.json holds");
    for scope in [&json["overall"], &json["channels"]["voice"]] {
        for key in [
            "offered",
            "answered",
            "abandoned",
            "service_level",
            "asa_s",
            "p_wait",
            "abandon_rate",
            "occupancy",
        ] {
            assert!(
                scope[key]["mean"].is_number(),
                "{key}.mean missing: {scope}"
            );
            assert!(
                scope[key]["ci95"].is_number(),
                "{key}.ci95 missing: {scope}"
            );
        }
    }
    // Conservation: every measured contact ended (no agents can be short forever here).
    let o = &json["overall"];
    let offered = o["offered"]["mean"].as_f64().unwrap();
    let ended = o["answered"]["mean"].as_f64().unwrap() + o["abandoned"]["mean"].as_f64().unwrap();
    assert!(
        (offered - ended).abs() < 1e-9,
        "offered {offered} vs ended {ended}"
    );
    // intervals.csv: one row per interval × channel (2 days of 1 h, one channel) plus header.
    let csv = std::fs::read_to_string(out.join("intervals.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 48);
    assert!(csv.starts_with("interval,start_s,day,time,channel,region,offered,"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn default_output_folder_is_named_after_the_scenario() {
    let dir = scratch("cli-default-out");
    std::fs::write(dir.join("s.toml"), SMALL).unwrap();
    let r = std::process::Command::new(bin())
        .current_dir(&dir)
        .args(["run", "s.toml", "-q"])
        .output()
        .unwrap();
    assert!(r.status.success());
    assert!(dir.join("output/small/summary.json").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

fn erlang_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["erlang", "--json"];
    all.extend_from_slice(args);
    let r = cxsim(&all);
    let (stdout, stderr) = text(&r);
    assert!(r.status.success(), "{stderr}");
    serde_json::from_str(&stdout).expect("JSON")
}

#[test]
fn erlang_command_prints_summary_names() {
    let a = erlang_json(&[
        "--model",
        "a",
        "--rate-per-hour",
        "360",
        "--aht",
        "3m",
        "--patience",
        "3m",
        "--agents",
        "20",
        "--within",
        "20s",
    ]);
    for key in [
        "service_level",
        "asa_s",
        "p_wait",
        "abandon_rate",
        "occupancy",
    ] {
        assert!(a[key].is_number(), "{key}: {a}");
    }
    // Erlang C with 1 agent is M/M/1: P(wait) = rho.
    let c = erlang_json(&[
        "--model",
        "c",
        "--rate-per-hour",
        "10",
        "--aht",
        "3m",
        "--agents",
        "1",
        "--within",
        "20s",
    ]);
    assert!((c["p_wait"].as_f64().unwrap() - 0.5).abs() < 1e-12, "{c}");
    // Erlang B with load 10 E, 10 servers: 0.2146 (standard Erlang B tables).
    let b = erlang_json(&[
        "--model",
        "b",
        "--rate-per-hour",
        "200",
        "--aht",
        "3m",
        "--agents",
        "10",
    ]);
    assert!(
        (b["blocking"].as_f64().unwrap() - 0.2146).abs() < 1e-4,
        "{b}"
    );
}

#[test]
fn erlang_target_finds_smallest_staffing() {
    let found = erlang_json(&[
        "--model",
        "c",
        "--rate-per-hour",
        "360",
        "--aht",
        "3m",
        "--within",
        "20s",
        "--target-sl",
        "0.8",
    ]);
    let n = found["agents"].as_u64().unwrap() as u32;
    assert!(found["service_level"].as_f64().unwrap() >= 0.8);
    let below = erlang_json(&[
        "--model",
        "c",
        "--rate-per-hour",
        "360",
        "--aht",
        "3m",
        "--within",
        "20s",
        "--agents",
        &(n - 1).to_string(),
    ]);
    assert!(
        below["service_level"].as_f64().unwrap() < 0.8,
        "{n} is not the smallest"
    );
    let ab = erlang_json(&[
        "--model",
        "a",
        "--rate-per-hour",
        "360",
        "--aht",
        "3m",
        "--patience",
        "1m",
        "--within",
        "20s",
        "--target-abandon",
        "0.05",
    ]);
    assert!(ab["abandon_rate"].as_f64().unwrap() <= 0.05);
}

#[test]
fn erlang_bad_arguments_exit_2() {
    for args in [
        vec![
            "erlang",
            "--model",
            "a",
            "--rate-per-hour",
            "360",
            "--aht",
            "3m",
            "--agents",
            "20",
        ],
        vec![
            "erlang",
            "--model",
            "c",
            "--rate-per-hour",
            "360",
            "--aht",
            "3x",
            "--agents",
            "20",
        ],
        vec![
            "erlang",
            "--model",
            "c",
            "--rate-per-hour",
            "-1",
            "--aht",
            "3m",
            "--agents",
            "20",
        ],
        vec![
            "erlang",
            "--model",
            "c",
            "--rate-per-hour",
            "360",
            "--aht",
            "3m",
            "--agents",
            "10",
        ],
        vec![
            "erlang",
            "--model",
            "q",
            "--rate-per-hour",
            "360",
            "--aht",
            "3m",
            "--agents",
            "20",
        ],
    ] {
        let r = cxsim(&args);
        let (_, stderr) = text(&r);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn bundled_scenarios_validate() {
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let r = cxsim(&["validate", path.to_str().unwrap()]);
            assert!(r.status.success(), "{}: {:?}", path.display(), text(&r));
        }
    }
}

#[test]
fn ctrl_c_stops_cleanly_and_leaves_no_partial_output() {
    let dir = scratch("sigint");
    // A long run: a year of the small scenario, 16 replications.
    let text = SMALL
        .replace("horizon = \"2d\"", "horizon = \"365d\"")
        .replace("replications = 4", "replications = 16");
    std::fs::write(dir.join("long.toml"), text).unwrap();
    let out = dir.join("out");
    let mut child = std::process::Command::new(bin())
        .args([
            "run",
            dir.join("long.toml").to_str().unwrap(),
            "-q",
            "--threads",
            "1",
            "--out",
            out.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "interrupted runs exit 130");
    // Nothing written: no output folder, or one with no files at all (no partial, no temp file).
    if out.exists() {
        let leftovers: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Printing into a closed pipe (`cxsim … | head`) ends the process quietly,
/// without a panic message.
#[cfg(unix)]
#[test]
fn closed_stdout_pipe_is_not_a_panic() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxsim"))
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the child writes.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A long run spills interval results to the temporary folder; when that
/// cannot be written the run fails with exit 1, names the folder and TMPDIR,
/// and writes nothing.
#[cfg(unix)]
#[test]
fn unwritable_temporary_folder_is_a_clear_error() {
    let out = scratch("no-tmpdir");
    let _ = std::fs::remove_dir_all(&out);
    let year =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/year_1000_seats.toml");
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_cxsim"))
        .args([
            "run",
            year.to_str().unwrap(),
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("TMPDIR", "/nonexistent-cxsim-tmp")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("/nonexistent-cxsim-tmp") && stderr.contains("TMPDIR"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}
