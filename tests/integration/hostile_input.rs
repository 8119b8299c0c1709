//! Hostile input, round two (issue 20): bounded reads of every input file,
//! limits on every path, derived quantities, no silent acceptance, shard
//! file integrity and interrupts. Each test fails without its fix.

use super::support::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs cxsim and asserts exit code 2 within `secs`, with every `needle` on stderr.
fn refused(args: &[&str], needles: &[&str]) -> String {
    let t0 = Instant::now();
    let r = cxsim(args);
    let (_, err) = text(&r);
    assert_eq!(r.status.code(), Some(2), "cxsim {args:?}: {err}");
    assert!(
        t0.elapsed() < Duration::from_secs(20),
        "cxsim {args:?} took {:?}",
        t0.elapsed()
    );
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in: {err}");
    }
    err
}

/// A FIFO at `path` fed with endless bytes by a thread (until the reader closes it).
#[cfg(unix)]
fn endless_fifo(path: &Path) -> std::thread::JoinHandle<()> {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        use std::io::{ErrorKind, Write};
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking, so that the thread gives up (instead of hanging the
        // test) if cxsim never opens the FIFO.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut f = loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&path)
            {
                Ok(f) => break f,
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(_) => return,
            }
        };
        let block = vec![b'#'; 64 * 1024];
        loop {
            match f.write(&block) {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                // The reader closed it (EPIPE), or the deadline passed.
                Err(_) => return,
            }
        }
    })
}

#[cfg(unix)]
#[test]
fn endless_scenario_files_are_refused_after_the_limit() {
    refused(&["validate", "/dev/zero"], &["/dev/zero", "more than"]);
    refused(
        &["run", "/dev/urandom", "-q"],
        &["/dev/urandom", "more than"],
    );
    let dir = scratch("hostile2-fifo");
    let fifo = dir.join("s.toml");
    let writer = endless_fifo(&fifo);
    refused(&["validate", s(&fifo)], &["s.toml", "more than"]);
    writer.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn endless_trace_files_are_refused_after_the_limit() {
    let dir = scratch("hostile2-trace-fifo");
    let fifo = dir.join("t.csv");
    let writer = endless_fifo(&fifo);
    let text = SMALL.replace(
        "[[demand.stream]]\nname = \"calls\"\nchannel = \"voice\"\nrate_per_hour = 360\n",
        "[demand]\ntrace = \"t.csv\"\n",
    );
    assert_ne!(text, SMALL);
    std::fs::write(dir.join("s.toml"), &text).unwrap();
    refused(
        &["validate", s(&dir.join("s.toml"))],
        &["demand.trace", "t.csv", "more than"],
    );
    writer.join().unwrap();
    std::fs::write(dir.join("z.toml"), text.replace("t.csv", "/dev/zero")).unwrap();
    refused(
        &["validate", s(&dir.join("z.toml"))],
        &["demand.trace", "/dev/zero", "more than"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn an_endless_file_in_a_leaderboard_suite_is_refused_after_the_limit() {
    // The leaderboard reads each suite file's objective line before the
    // scenario loader sees it: that read is bounded too.
    let dir = scratch("hostile2-suite-fifo");
    let suite = dir.join("suite");
    std::fs::create_dir_all(&suite).unwrap();
    let writer = endless_fifo(&suite.join("endless.toml"));
    let out = dir.join("out");
    refused(
        &["leaderboard", s(&suite), "-q", "--out", s(&out)],
        &["endless.toml", "more than"],
    );
    writer.join().unwrap();
    assert!(!out.exists(), "refused input wrote {}", out.display());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `small` as N shards into `dir/parts`; returns the folder.
fn shards(dir: &Path, n: u32) -> PathBuf {
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let parts = dir.join("parts");
    for k in 1..=n {
        let r = cxsim(&[
            "run",
            s(&file),
            "-q",
            "--shard",
            &format!("{k}/{n}"),
            "--out",
            s(&parts),
        ]);
        assert!(r.status.success(), "{:?}", text(&r));
    }
    parts
}

#[cfg(unix)]
#[test]
fn merge_scenario_from_an_endless_device_is_refused() {
    let dir = scratch("hostile2-merge-zero");
    let parts = shards(&dir, 1);
    let out = dir.join("out");
    refused(
        &[
            "merge",
            s(&parts),
            "--scenario",
            "/dev/zero",
            "-q",
            "--out",
            s(&out),
        ],
        &["/dev/zero", "more than"],
    );
    assert!(!out.exists(), "refused input wrote {}", out.display());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shard_counts_are_bounded_by_the_replication_limit() {
    let dir = scratch("hostile2-shard-count");
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out = dir.join("out");
    for bad in ["1/4000000000", "1/10001"] {
        refused(
            &["run", s(&file), "-q", "--shard", bad, "--out", s(&out)],
            &[bad, "10000"],
        );
    }
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn edited_shard_files_are_refused() {
    let dir = scratch("hostile2-shard-edit");
    let parts = shards(&dir, 2);
    let path = parts.join("shard-1-of-2.json");
    let original = std::fs::read(&path).unwrap();
    let out = dir.join("out");
    let merge = |needles: &[&str]| {
        refused(&["merge", s(&parts), "-q", "--out", s(&out)], needles);
        assert!(!out.exists(), "refused input wrote {}", out.display());
    };
    // A cell edited in place: answered raised above offered.
    let mut json: serde_json::Value = serde_json::from_slice(&original).unwrap();
    let cell = &mut json["results"][0]["stats"]["contact"][3];
    let offered = cell["offered"].as_u64().unwrap();
    cell["answered"] = (offered + 5).into();
    let edited = serde_json::to_vec(&json).unwrap();
    std::fs::write(&path, &edited).unwrap();
    merge(&["shard-1-of-2.json", "checksum"]);
    // The same edit with the checksum recomputed: the consistency check.
    std::fs::write(&path, cxsim::shard::seal(&edited)).unwrap();
    merge(&[
        "shard-1-of-2.json",
        "answered + abandoned",
        "at most offered",
    ]);
    // A non-finite or negative time.
    let mut json: serde_json::Value = serde_json::from_slice(&original).unwrap();
    json["results"][0]["stats"]["team"][0]["busy_s"] = (-3.0).into();
    std::fs::write(
        &path,
        cxsim::shard::seal(&serde_json::to_vec(&json).unwrap()),
    )
    .unwrap();
    merge(&["shard-1-of-2.json", "busy_s", "-3", ">= 0"]);
    // A truncated file.
    std::fs::write(&path, &original[..original.len() / 2]).unwrap();
    merge(&["shard-1-of-2.json", "not a cxsim shard file"]);
    // As written, it merges.
    std::fs::write(&path, &original).unwrap();
    let r = cxsim(&["merge", s(&parts), "-q", "--out", s(&out)]);
    assert!(r.status.success(), "{:?}", text(&r));
    let _ = std::fs::remove_dir_all(&dir);
}

/// SMALL with its stream replaced by `demand.trace = "t.csv"` holding `csv`;
/// returns the validation error's text, or "" when the scenario is valid.
fn trace_error(name: &str, csv: &str) -> String {
    let dir = scratch(name);
    std::fs::write(dir.join("t.csv"), csv).unwrap();
    let text = SMALL.replace(
        "[[demand.stream]]\nname = \"calls\"\nchannel = \"voice\"\nrate_per_hour = 360\n",
        "[demand]\ntrace = \"t.csv\"\n",
    );
    std::fs::write(dir.join("s.toml"), text).unwrap();
    let got = match cxsim::scenario::Scenario::from_path(dir.join("s.toml")) {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    };
    let _ = std::fs::remove_dir_all(&dir);
    got
}

/// A clean 15-minute trace of one day for voice, from 08:00, 20 rows.
fn clean_trace() -> Vec<String> {
    (0..20)
        .map(|i| {
            let m = 8 * 60 + 15 * i;
            format!("2026-11-02 {:02}:{:02},voice,{}", m / 60, m % 60, 30 + i)
        })
        .collect()
}

fn csv(rows: &[String]) -> String {
    format!("interval_start,channel,contacts\n{}\n", rows.join("\n"))
}

#[test]
fn trace_rows_and_headers_that_would_be_guessed_are_refused() {
    let rows = clean_trace();
    assert_eq!(trace_error("hostile2-trace-ok", &csv(&rows)), "");
    // The same (interval, channel) twice: line 2 and line 7 (row 5 repeated).
    let mut twice = rows.clone();
    twice.insert(5, rows[0].clone());
    let err = trace_error("hostile2-trace-dup", &csv(&twice));
    assert!(
        err.contains("t.csv line 7") && err.contains("as line 2") && err.contains("allowed"),
        "{err}"
    );
    // Two contacts columns (and two names for the contacts).
    for header in [
        "interval_start,channel,contacts,contacts",
        "interval_start,channel,contacts,volume",
    ] {
        let body: Vec<String> = rows.iter().map(|r| format!("{r},5")).collect();
        let err = trace_error(
            "hostile2-trace-header",
            &format!("{header}\n{}\n", body.join("\n")),
        );
        assert!(
            err.contains("line 1") && err.contains("contacts") && err.contains("allowed"),
            "{header}: {err}"
        );
    }
    // One row a second off the grid: that row is named, not the interval.
    for (i, off) in [(7, "2026-11-02 09:45:01"), (0, "2026-11-02 08:00:01")] {
        let mut skew = rows.clone();
        let count = skew[i].rsplit(',').next().unwrap().to_string();
        skew[i] = format!("{off},voice,{count}");
        let err = trace_error("hostile2-trace-skew", &csv(&skew));
        let line = format!("t.csv line {}", i + 2);
        assert!(
            err.contains(&line) && err.contains("not aligned to the 900 s"),
            "{off}: {err}"
        );
        assert!(!err.contains("trace_interval`"), "{err}");
    }
    // A row a second apart from another series' row: no 1-second interval.
    let mut extra = rows.clone();
    extra.push("2026-11-02 08:15:01,chat,3".into());
    let err = trace_error("hostile2-trace-second", &csv(&extra));
    assert!(
        err.contains("t.csv line 22") && err.contains("not aligned"),
        "{err}"
    );
    // A volume far beyond the per-stream rate limit.
    let mut huge = rows.clone();
    huge[3] = "2026-11-02 08:45,voice,1000000000000".into();
    let err = trace_error("hostile2-trace-huge", &csv(&huge));
    assert!(
        err.contains("t.csv line 5")
            && err.contains("1000000000000")
            && err.contains("10000000 per hour"),
        "{err}"
    );
}

fn invalid(text: &str, needles: &[&str]) {
    let err = cxsim::scenario::Scenario::from_toml_str(text, "h.toml")
        .expect_err("must be rejected")
        .to_string();
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in: {err}");
    }
}

const REGION: &str = r#"
name = "weights"
[simulation]
horizon = "1d"
replications = 1
[[demand.region]]
name = "metro"
volume_per_week = 7000
profile = "flat"
channel_mix = { voice = 1.0 }
DAYCV
[[demand.profile]]
name = "flat"
intraday = INTRADAY
weekday = WEEKDAY
[[team]]
name = "agents"
agents = 5
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

fn region(intraday: &str, weekday: &str, day_cv: &str) -> String {
    REGION
        .replace("INTRADAY", intraday)
        .replace("WEEKDAY", weekday)
        .replace("DAYCV", day_cv)
}

#[test]
fn derived_quantities_are_validated() {
    let flat = format!("[{}]", vec!["1.0"; 24].join(", "));
    let week = "[1, 1, 1, 1, 1, 1, 1]";
    cxsim::scenario::Scenario::from_toml_str(&region(&flat, week, ""), "h.toml").unwrap();
    // Weights whose sum overflows to infinity: every share would be 0.
    let huge = format!("[{}]", vec!["1e308"; 24].join(", "));
    invalid(
        &region(&huge, week, ""),
        &["demand.profile[0].intraday", "inf", "finite"],
    );
    invalid(
        &region(&flat, "[1e308, 1e308, 1, 1, 1, 1, 1]", ""),
        &["demand.profile[0].weekday", "inf"],
    );
    // Subnormal sums.
    let tiny = format!("[{}]", vec!["1e-320"; 24].join(", "));
    invalid(
        &region(&tiny, week, ""),
        &["demand.profile[0].intraday", "allowed"],
    );
    // Day-level CVs whose square underflows or inverse square overflows.
    for cv in ["1e-160", "1e-155", "1e-12"] {
        invalid(
            &region(&flat, week, &format!("day_cv = {cv}")),
            &["demand.region[0].day_cv", "between 1e-9 and 2"],
        );
    }
    cxsim::scenario::Scenario::from_toml_str(&region(&flat, week, "day_cv = 1e-9"), "h.toml")
        .unwrap();
    // A region whose profile puts a week's volume into one hour: beyond the
    // per-stream rate limit the engine would have to generate.
    let spike = format!("[1e300, {}]", vec!["0"; 23].join(", "));
    invalid(
        &region(&spike, "[1, 0, 0, 0, 0, 0, 0]", "")
            .replace("volume_per_week = 7000", "volume_per_week = 90000000"),
        &["demand.region[0].volume_per_week", "per hour"],
    );
    // A gamma handle time whose cv makes the shape infinite.
    invalid(
        &SMALL.replace(
            "handle_time = { dist = \"exponential\", mean = \"3m\" }",
            "handle_time = { dist = \"gamma\", mean = \"3m\", cv = 1e-200 }",
        ),
        &["team[0].handle_time.cv", "between 1e-9 and 10"],
    );
}

#[test]
fn zero_time_redial_loops_are_refused_at_validation() {
    let looped = SMALL.replace(
        "patience = { dist = \"exponential\", mean = \"3m\" }",
        "patience = { dist = \"fixed\", value = \"0s\" }",
    ) + "[customers.redial.voice]\nprobability = 1.0\ndelay = { dist = \"fixed\", value = \"0s\" }\n";
    invalid(
        &looped,
        &[
            "customers.redial.voice",
            "channel.voice.patience",
            "customers.redial.voice.probability",
            "customers.redial.voice.delay",
            "zero time",
        ],
    );
    // Any of the three broken, and there is no loop.
    for (from, to) in [
        ("probability = 1.0", "probability = 0.9"),
        (
            "delay = { dist = \"fixed\", value = \"0s\" }",
            "delay = { dist = \"fixed\", value = \"1s\" }",
        ),
        (
            "patience = { dist = \"fixed\", value = \"0s\" }",
            "patience = { dist = \"fixed\", value = \"1s\" }",
        ),
    ] {
        let text = looped.replacen(from, to, 1);
        assert_ne!(text, looped, "{from}");
        cxsim::scenario::Scenario::from_toml_str(&text, "h.toml").unwrap();
    }
    // Across channels: voice switches every redial to chat, which loops too.
    let two = looped.replace(
        "delay = { dist = \"fixed\", value = \"0s\" }\n",
        "delay = { dist = \"fixed\", value = \"0s\" }\nswitch = { chat = 1.0 }\n\
         [customers.redial.chat]\nprobability = 1.0\ndelay = { dist = \"uniform\", min = \"0s\", max = \"0s\" }\n\
         [channel.chat]\npatience = { dist = \"fixed\", value = \"0s\" }\n",
    ) .replace("channels = [\"voice\"]", "channels = [\"voice\", \"chat\"]");
    invalid(
        &two,
        &[
            "customers.redial.voice",
            "customers.redial.chat",
            "zero time",
        ],
    );
}

#[test]
fn a_shift_without_working_days_is_refused() {
    let text = SMALL.replace(
        "agents = 20\n",
        "shift = [{ start = \"08:00\", length = \"8h\", agents = 5, days = [] }]\n",
    );
    invalid(&text, &["team[0].shift[0].days", "[]", "allowed"]);
}

#[test]
fn counts_from_the_command_line_are_bounded() {
    use cxsim::planner::sweep;
    for spec in [
        "simulation.seed=0:1:1e-300",
        "simulation.seed=0:1e308:1e-308",
        "x=0:1:1e-9",
    ] {
        let err = sweep::parse(spec).expect_err(spec);
        assert!(err.to_string().contains("at most 1000"), "{err}");
    }
    assert_eq!(
        sweep::parse("x=0:1:0.5").unwrap().values,
        vec![0.0, 0.5, 1.0]
    );
    let dir = scratch("hostile2-counts");
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out = dir.join("out");
    refused(
        &[
            "plan",
            s(&file),
            "-q",
            "--sweep",
            "simulation.seed=1:2:1e-300",
            "--out",
            s(&out),
        ],
        &["--sweep", "at most 1000"],
    );
    refused(
        &[
            "run",
            s(&file),
            "-q",
            "--threads",
            "1000000000",
            "--out",
            s(&out),
        ],
        &["--threads 1000000000", "allowed"],
    );
    refused(
        &[
            "erlang",
            "--model",
            "c",
            "--rate-per-hour",
            "360",
            "--aht",
            "3m",
            "--agents",
            "4000000000",
        ],
        &["--agents 4000000000", "allowed"],
    );
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// SIGINT at several moments of a run whose write phase is long (150 days of
/// 5-minute intervals, ~13 MB of CSV): either exit 0 with every output
/// complete, or exit 130 with nothing written — never 0 with a partial
/// folder, never 130 with files left behind.
#[cfg(unix)]
#[test]
fn ctrl_c_ends_with_complete_outputs_or_nothing() {
    let dir = scratch("hostile2-sigint");
    let file = dir.join("long.toml");
    std::fs::write(
        &file,
        SMALL
            .replace("horizon = \"2d\"", "horizon = \"150d\"")
            .replace("interval = \"1h\"", "interval = \"5m\"")
            .replace("replications = 4", "replications = 2")
            .replace("rate_per_hour = 360", "rate_per_hour = 30")
            .replace("agents = 20", "agents = 3"),
    )
    .unwrap();
    let delays_ms = [150u64, 500, 900, 1300, 1700, 2200, 3000];
    let runs: Vec<_> = delays_ms
        .iter()
        .map(|&ms| {
            let out = dir.join(format!("out-{ms}"));
            let file = file.clone();
            std::thread::spawn(move || {
                let child = std::process::Command::new(bin())
                    .args(["run", s(&file), "-q", "--threads", "1", "--out", s(&out)])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                std::thread::sleep(Duration::from_millis(ms));
                // SAFETY: kill(2) with a child's pid and a valid signal number.
                unsafe {
                    libc::kill(child.id() as libc::pid_t, libc::SIGINT);
                }
                let r = child.wait_with_output().unwrap();
                (ms, out, r)
            })
        })
        .collect();
    let mut interrupted = 0;
    for run in runs {
        let (ms, out, r) = run.join().unwrap();
        let err = String::from_utf8_lossy(&r.stderr).into_owned();
        let listed: Vec<String> = std::fs::read_dir(&out)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        match r.status.code() {
            Some(0) => {
                for name in [
                    "summary.json",
                    "intervals.csv",
                    "agents.csv",
                    "summary.md",
                    "report.html",
                ] {
                    let len = std::fs::metadata(out.join(name))
                        .map(|m| m.len())
                        .unwrap_or(0);
                    assert!(
                        len > 0,
                        "SIGINT at {ms} ms: exit 0 without a complete {name}"
                    );
                }
                assert!(
                    listed.iter().all(|n| !n.starts_with('.')),
                    "SIGINT at {ms} ms: temporary files left: {listed:?}"
                );
            }
            Some(130) => {
                interrupted += 1;
                assert!(
                    listed.is_empty(),
                    "SIGINT at {ms} ms: exit 130 but wrote {listed:?}"
                );
                assert!(err.contains("interrupted"), "{err}");
            }
            other => panic!("SIGINT at {ms} ms: exit {other:?}: {err}"),
        }
    }
    assert!(
        interrupted > 0,
        "no run was interrupted: make the run longer"
    );

    // SIGINT once the write phase has begun (a temporary output file exists):
    // the promise is 130 and nothing written, not a completed run.
    let out = dir.join("out-write");
    let child = std::process::Command::new(bin())
        .args(["run", s(&file), "-q", "--threads", "1", "--out", s(&out)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    let writing = || {
        std::fs::read_dir(&out).is_ok_and(|d| {
            d.flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".intervals.csv")
            })
        })
    };
    while !writing() {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the write phase never began"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    // SAFETY: kill(2) with a child's pid and a valid signal number.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let r = child.wait_with_output().unwrap();
    assert_eq!(
        r.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(
        !out.exists(),
        "an interrupted write phase left {}",
        out.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn deeply_nested_keys_are_reported_with_their_line() {
    let depth = 100_000;
    let chain = vec!["a"; depth].join(".");
    for (text, line) in [
        (format!("name = \"x\"\n\n{chain} = 1\n"), "line 3"),
        (format!("name = \"x\"\n[{chain}]\n"), "line 2"),
        (
            format!(
                "name = \"x\"\nb = {}{}\n",
                "[".repeat(depth),
                "]".repeat(depth)
            ),
            "line 2",
        ),
    ] {
        let err = cxsim::scenario::Scenario::from_toml_str(&text, "deep.toml")
            .expect_err("deep nesting is rejected")
            .to_string();
        assert!(
            err.contains("deep.toml") && err.contains(line),
            "{}",
            &err[..err.len().min(400)]
        );
    }
}

// The property `one_row_off_the_grid_is_named` lives in trace_grid.rs.
