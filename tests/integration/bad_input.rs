//! Malformed scenarios: exit code 2, a message naming the key, no panic, no output.

use super::support::*;

/// (case name, file contents, text the error must contain)
fn cases() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let base = SMALL.to_string();
    let swap = |from: &str, to: &str| {
        assert!(base.contains(from), "fixture lacks {from:?}");
        base.replacen(from, to, 1).into_bytes()
    };
    vec![
        (
            "unknown key",
            swap("agents = 20", "agents = 20\nagnets = 3"),
            "agnets",
        ),
        (
            "wrong type",
            swap("agents = 20", "agents = \"twenty\""),
            "team[0].agents",
        ),
        (
            "negative rate",
            swap("rate_per_hour = 360", "rate_per_hour = -5"),
            "demand.stream[0].rate_per_hour",
        ),
        (
            "nan rate",
            swap("rate_per_hour = 360", "rate_per_hour = nan"),
            "demand.stream[0].rate_per_hour",
        ),
        (
            "infinite rate",
            swap("rate_per_hour = 360", "rate_per_hour = inf"),
            "demand.stream[0].rate_per_hour",
        ),
        (
            "unknown distribution",
            swap(
                "patience = { dist = \"exponential\"",
                "patience = { dist = \"weibull\"",
            ),
            "channel.voice.patience.dist",
        ),
        (
            "bad duration unit",
            swap(
                "handle_time = { dist = \"exponential\", mean = \"3m\" }",
                "handle_time = { dist = \"exponential\", mean = \"3parsecs\" }",
            ),
            "team[0].handle_time.mean",
        ),
        (
            "missing team for a channel",
            swap("channels = [\"voice\"]", "channels = [\"chat\"]"),
            "team[0].channels[0]",
        ),
        ("empty file", Vec::new(), "name"),
        ("non-UTF-8", vec![b'n', b'a', 0xff, 0xfe, b'\n'], "UTF-8"),
        (
            "huge horizon",
            swap("horizon = \"2d\"", "horizon = \"100000d\""),
            "simulation.horizon",
        ),
        (
            "zero replications",
            swap("replications = 4", "replications = 0"),
            "simulation.replications",
        ),
        (
            "cv missing",
            swap(
                "handle_time = { dist = \"exponential\"",
                "handle_time = { dist = \"lognormal\"",
            ),
            "team[0].handle_time",
        ),
        (
            "unknown routing",
            swap("strategy = \"fifo\"", "strategy = \"random\""),
            "routing.strategy",
        ),
        (
            "target above 1",
            swap("target = 0.80", "target = 1.5"),
            "channel.voice.service_level.target",
        ),
        ("syntax error", swap("[routing]", "[routing"), "line"),
    ]
}

#[test]
fn every_malformed_scenario_exits_2_naming_the_key() {
    let dir = scratch("bad-input");
    for (name, contents, needle) in cases() {
        let file = dir.join("bad.toml");
        std::fs::write(&file, &contents).unwrap();
        let out_dir = dir.join("out");
        let result = cxsim(&[
            "run",
            file.to_str().unwrap(),
            "--quiet",
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        let (_, stderr) = text(&result);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{name}: exit code; stderr: {stderr}"
        );
        assert!(
            stderr.contains(needle),
            "{name}: stderr should name {needle:?}: {stderr}"
        );
        assert!(
            stderr.contains("bad.toml"),
            "{name}: stderr should name the file: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: panicked: {stderr}");
        assert!(
            !out_dir.exists(),
            "{name}: an output folder was left behind"
        );
        // validate agrees with run
        let v = cxsim(&["validate", file.to_str().unwrap()]);
        assert_eq!(v.status.code(), Some(2), "{name}: validate exit code");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_carry_line_and_column() {
    let dir = scratch("bad-position");
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        SMALL.replacen("rate_per_hour = 360", "rate_per_hour = -5", 1),
    )
    .unwrap();
    let (_, stderr) = text(&cxsim(&["validate", file.to_str().unwrap()]));
    // The stream's rate is on line 12 of the fixture (line 1 is the empty first line).
    assert!(stderr.contains("line 12, column 17"), "{stderr}");
    assert!(stderr.contains("-5"), "the bad value is shown: {stderr}");
    assert!(
        stderr.contains("allowed"),
        "what is allowed is shown: {stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = scratch("bad-many");
    let file = dir.join("bad.toml");
    let text_in = SMALL
        .replacen("rate_per_hour = 360", "rate_per_hour = -5", 1)
        .replacen("agents = 20", "agents = -1", 1)
        .replacen("strategy = \"fifo\"", "strategy = \"nope\"", 1);
    std::fs::write(&file, text_in).unwrap();
    let (_, stderr) = text(&cxsim(&["validate", file.to_str().unwrap()]));
    for key in [
        "demand.stream[0].rate_per_hour",
        "team[0].agents",
        "routing.strategy",
    ] {
        assert!(stderr.contains(key), "missing {key}: {stderr}");
    }
    assert!(stderr.contains("3 problems"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_file_is_bad_input() {
    let r = cxsim(&["run", "/nonexistent/cxsim.toml", "-q"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r).1.contains("/nonexistent/cxsim.toml"));
}
