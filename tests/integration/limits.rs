//! One test per limit (src/scenario/limits.rs): a valid but absurd file fails
//! fast with a message naming the key and the limit.

use super::support::*;
use cxsim::scenario::{Scenario, limits};

fn rejects(text: &str, needles: &[&str]) {
    let err = Scenario::from_toml_str(text, "limits.toml").expect_err("must be rejected");
    let msg = err.to_string();
    for n in needles {
        assert!(msg.contains(n), "expected {n:?} in: {msg}");
    }
}

fn small_with(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "fixture lacks {from:?}");
    SMALL.replacen(from, to, 1)
}

#[test]
fn horizon_limit() {
    rejects(
        &small_with("horizon = \"2d\"", "horizon = \"800d\""),
        &["simulation.horizon", "732d"],
    );
    rejects(
        &small_with("warmup = \"2h\"", "warmup = \"700d\"\n")
            .replace("horizon = \"2d\"", "horizon = \"60d\""),
        &["simulation.warmup"],
    );
}

#[test]
fn interval_limits() {
    rejects(
        &small_with("interval = \"1h\"", "interval = \"10s\""),
        &["simulation.interval", "1m"],
    );
    rejects(
        &small_with("interval = \"1h\"", "interval = \"2d\""),
        &["simulation.interval", "1d"],
    );
    rejects(
        &small_with("interval = \"1h\"", "interval = \"1m\"")
            .replace("horizon = \"2d\"", "horizon = \"700d\""),
        &["simulation.interval", &limits::MAX_INTERVALS.to_string()],
    );
}

#[test]
fn replications_limit() {
    rejects(
        &small_with("replications = 4", "replications = 10001"),
        &["simulation.replications", "10000"],
    );
}

#[test]
fn agents_and_teams_limits() {
    rejects(
        &small_with("agents = 20", "agents = 100001"),
        &["team[0].agents", "100000"],
    );
    let mut many =
        String::from("name = \"t\"\n[[demand.stream]]\nchannel = \"voice\"\nrate_per_hour = 1\n");
    for i in 0..=limits::MAX_TEAMS {
        many.push_str(&format!("[[team]]\nname = \"t{i}\"\nagents = 1\nchannels = [\"voice\"]\nhandle_time = {{ dist = \"fixed\", value = \"1m\" }}\n"));
    }
    rejects(&many, &["team", "at most 1000"]);
}

#[test]
fn streams_and_channels_limits() {
    let mut streams = String::from("name = \"s\"\n");
    for _ in 0..=limits::MAX_STREAMS {
        streams.push_str("[[demand.stream]]\nchannel = \"voice\"\nrate_per_hour = 1\n");
    }
    streams.push_str("[[team]]\nname = \"t\"\nagents = 1\nchannels = [\"voice\"]\nhandle_time = { dist = \"fixed\", value = \"1m\" }\n");
    rejects(&streams, &["demand", "at most 10000"]);
    let mut channels = String::from("name = \"c\"\n");
    let mut names = Vec::new();
    for i in 0..=limits::MAX_CHANNELS {
        channels.push_str(&format!(
            "[[demand.stream]]\nchannel = \"c{i}\"\nrate_per_hour = 1\n"
        ));
        names.push(format!("\"c{i}\""));
    }
    channels.push_str(&format!("[[team]]\nname = \"t\"\nagents = 1\nchannels = [{}]\nhandle_time = {{ dist = \"fixed\", value = \"1m\" }}\n", names.join(",")));
    rejects(&channels, &["channel", "at most 64"]);
}

#[test]
fn rate_volume_and_duration_limits() {
    rejects(
        &small_with("rate_per_hour = 360", "rate_per_hour = 1e9"),
        &["demand.stream[0].rate_per_hour", "10000000"],
    );
    rejects(
        &small_with(
            "mean = \"3m\" }\nservice_level",
            "mean = \"60d\" }\nservice_level",
        ),
        &["channel.voice.patience.mean", "30d"],
    );
    let region = "name = \"v\"\n[[demand.region]]\nname = \"r\"\nvolume_per_week = 1e12\nchannel_mix = { voice = 1.0 }\n[[team]]\nname = \"t\"\nagents = 1\nchannels = [\"voice\"]\nhandle_time = { dist = \"fixed\", value = \"1m\" }\n";
    rejects(region, &["demand.region[0].volume_per_week", "100000000"]);
}

#[test]
fn file_size_limit() {
    let dir = scratch("limits-size");
    let path = dir.join("huge.toml");
    let mut text = SMALL.to_string();
    text.push_str(&format!(
        "# {}\n",
        "x".repeat(limits::MAX_FILE_BYTES as usize)
    ));
    std::fs::write(&path, text).unwrap();
    let err = Scenario::from_path(&path).unwrap_err().to_string();
    assert!(
        err.contains("huge.toml") && err.contains("limited to"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn trace_limits() {
    let dir = scratch("limits-trace");
    // Rows: one more than allowed would be a 30 MB file; check the cell bound instead,
    // and the byte bound with a sparse file of the right size.
    let mut csv = String::from("interval_start,channel,region,contacts\n");
    for r in 0..200 {
        csv.push_str(&format!("2026-11-02 00:00,voice,r{r},1\n"));
    }
    csv.push_str("2026-11-02 00:05,voice,r0,1\n2028-10-01 00:05,voice,r0,1\n");
    std::fs::write(dir.join("t.csv"), csv).unwrap();
    let s = "name = \"t\"\n[demand]\ntrace = \"t.csv\"\n[[team]]\nname = \"a\"\nagents = 1\nchannels = [\"voice\"]\nhandle_time = { dist = \"fixed\", value = \"1m\" }\n";
    std::fs::write(dir.join("s.toml"), s).unwrap();
    let err = Scenario::from_path(dir.join("s.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("demand.trace") && err.contains("rate cells"),
        "{err}"
    );
    let big = vec![b'x'; (limits::MAX_TRACE_BYTES + 1) as usize];
    std::fs::write(dir.join("t.csv"), big).unwrap();
    let err = Scenario::from_path(dir.join("s.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("demand.trace") && err.contains("at most"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
