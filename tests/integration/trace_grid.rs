//! Issue 20, class 3: a trace row off the grid (a second, or whole minutes)
//! is an error naming the file, the line, the value and the allowed grid; it
//! never makes the inferred interval finer (which squeezed every row's
//! contacts into the shorter interval).

use crate::support::{SMALL, scratch};
use cxsim::scenario::Scenario;

/// SMALL with its stream replaced by `demand.trace = "t.csv"` (plus `extra`
/// lines in `[demand]`) holding `csv`.
fn load(name: &str, csv: &str, extra: &str) -> Result<Scenario, String> {
    let dir = scratch(name);
    std::fs::write(dir.join("t.csv"), csv).unwrap();
    let text = SMALL
        .replace("channels = [\"voice\"]", "channels = [\"voice\", \"chat\"]")
        .replace(
            "[[demand.stream]]\nname = \"calls\"\nchannel = \"voice\"\nrate_per_hour = 360\n",
            &format!("[demand]\ntrace = \"t.csv\"\n{extra}"),
        );
    let text =
        format!("{text}[channel.chat]\nservice_level = {{ within = \"60s\", target = 0.80 }}\n");
    std::fs::write(dir.join("s.toml"), text).unwrap();
    let got = Scenario::from_path(dir.join("s.toml")).map_err(|e| e.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    got
}

/// One day of rows every `step_min` minutes from 08:00 to 20:00, for voice
/// (and chat when `two`), with `moved` rows' start times replaced.
fn trace(step_min: u32, two: bool, moved: &[(usize, &str)]) -> String {
    let mut out = String::from("interval_start,channel,contacts\n");
    let mut i = 0;
    for m in (8 * 60..20 * 60).step_by(step_min as usize) {
        for channel in if two {
            &["voice", "chat"][..]
        } else {
            &["voice"][..]
        } {
            let start = moved
                .iter()
                .find(|(k, _)| *k == i)
                .map(|(_, t)| t.to_string())
                .unwrap_or_else(|| format!("2026-11-02 {:02}:{:02}", m / 60, m % 60));
            out.push_str(&format!("{start},{channel},{}\n", 20 + i % 7));
            i += 1;
        }
    }
    out
}

fn slot_s(s: &Scenario) -> f64 {
    s.sources[0].rate.slot_s
}

#[test]
fn a_row_whole_minutes_or_a_second_off_a_30_minute_grid_is_named() {
    // Row index 4 is 10:00 (line 6); rows 0 and 23 are the first and last.
    for (row, value) in [
        (4, "2026-11-02 10:05"),
        (4, "2026-11-02 10:01"),
        (4, "2026-11-02 10:00:01"),
        (4, "2026-11-02 10:15"),
        (0, "2026-11-02 08:10"),
        (23, "2026-11-02 19:35"),
    ] {
        let err = load("grid-30", &trace(30, false, &[(row, value)]), "").unwrap_err();
        let line = format!("t.csv line {}, column 1", row + 2);
        for needle in [
            line.as_str(),
            &value[11..],
            "not aligned to the 1800 s trace interval",
            "allowed: starts at whole multiples of 1800 s from midnight",
            "demand.trace_interval = \"15m\"",
        ] {
            assert!(err.contains(needle), "{value}: missing {needle:?} in {err}");
        }
        // The row is named, not the interval; no other row is blamed.
        assert_eq!(err.matches("not aligned").count(), 1, "{value}: {err}");
    }
    // With two channels the same: the other series does not hide it.
    let err = load(
        "grid-30-two",
        &trace(30, true, &[(9, "2026-11-02 10:05")]),
        "",
    )
    .unwrap_err();
    assert!(
        err.contains("t.csv line 11, column 1") && err.contains("1800 s"),
        "{err}"
    );
}

#[test]
fn genuine_grids_still_read_with_their_own_interval() {
    for step in [5, 10, 15, 30, 60] {
        let s = load("grid-ok", &trace(step, true, &[]), "").unwrap();
        assert_eq!(slot_s(&s), f64::from(step * 60), "{step}-minute trace");
        // Each row's contacts over its own interval: 20 contacts at 08:00.
        let voice = s
            .sources
            .iter()
            .find(|x| x.name.ends_with("/voice"))
            .unwrap();
        let first = voice.rate.rates_per_s[8 * 60 / step as usize];
        assert!(
            (first * f64::from(step * 60) - 20.0).abs() < 1e-9,
            "{step}: {first}"
        );
    }
    // A 15-minute trace with rows missing (zero-volume intervals left out,
    // closed hours): the most common gap is still 15 minutes.
    let text = trace(15, false, &[]);
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i == 0 || i % 4 != 2)
        .map(|(_, l)| l)
        .collect();
    let s = load("grid-sparse", &(kept.join("\n") + "\n"), "").unwrap();
    assert_eq!(slot_s(&s), 900.0);
}

#[test]
fn a_declared_interval_is_the_grid() {
    let moved = trace(30, false, &[(4, "2026-11-02 10:05")]);
    // Declared finer: the row is on it, and each row counts over 5 minutes.
    let s = load("grid-declared-5", &moved, "trace_interval = \"5m\"\n").unwrap();
    assert_eq!(slot_s(&s), 300.0);
    // Declared 30 minutes: the row is off it, and the message says so.
    let err = load("grid-declared-30", &moved, "trace_interval = \"30m\"\n").unwrap_err();
    assert!(
        err.contains("t.csv line 6, column 1")
            && err.contains("10:05")
            && err.contains("declared demand.trace_interval = \"30m\""),
        "{err}"
    );
}

#[test]
fn many_rows_off_the_grid_are_listed_up_to_a_limit() {
    // Ten days of rows at :00 and :37 of every hour.
    let mut out = String::from("interval_start,channel,contacts\n");
    for d in 0..10 {
        for h in 0..24 {
            for (m, channel) in [(0, "voice"), (37, "voice")] {
                out.push_str(&format!("2026-11-{:02} {h:02}:{m:02},{channel},5\n", 2 + d));
            }
        }
    }
    // Gaps 37 and 23 minutes: neither divides a day, so nothing is guessed.
    let err = load("grid-none", &out, "").unwrap_err();
    assert!(err.contains("cannot infer the trace interval"), "{err}");
    // Declared hourly: the 240 rows at :37 are off it; 50 are listed and the
    // rest counted, so a huge bad file does not make a huge message.
    let err = load("grid-many", &out, "trace_interval = \"1h\"\n").unwrap_err();
    assert_eq!(err.matches("not aligned").count(), 50, "{err}");
    assert!(err.contains("190 more rows with problems"), "{err}");
}

/// The most common gap between consecutive starts (ties: the smaller), as
/// the reader infers it.
fn most_common_gap(starts: &[chrono::NaiveDateTime]) -> i64 {
    let mut counts = std::collections::BTreeMap::new();
    for w in starts.windows(2) {
        *counts.entry((w[1] - w[0]).num_seconds()).or_insert(0usize) += 1;
    }
    let best = counts.values().copied().max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map_or(900, |(g, _)| g)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 48,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// A trace on a 5-, 15-, 30- or 60-minute grid with rows missing reads
    /// on that grid when its most common gap is the step, and always when
    /// the step is declared (`trace_interval`); when rows are so sparse that
    /// a longer gap is the most common, the finer grid is ambiguous (it
    /// could be rows off the grid) and the error names the rows and says
    /// how to declare it. The same trace with one row moved 1–59 s is
    /// refused naming that row's line, declared or not (never a guessed
    /// shorter interval).
    #[test]
    fn one_row_off_the_grid_is_named(
        step in proptest::sample::select(vec![300i64, 900, 1800, 3600]),
        keep in proptest::collection::vec(proptest::bool::weighted(0.8), 8..40),
        pick in 0usize..1000,
        shift in 1i64..60,
    ) {
        let base = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let starts: Vec<_> = keep
            .iter()
            .enumerate()
            .filter(|(_, k)| **k)
            .map(|(i, _)| base + chrono::Duration::seconds(i as i64 * step))
            .collect();
        proptest::prop_assume!(starts.len() >= 5);
        let rows = |moved: Option<usize>| -> String {
            let body: Vec<String> = starts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let t = if moved == Some(i) { *t + chrono::Duration::seconds(shift) } else { *t };
                    format!("{},voice,{}", t.format("%Y-%m-%d %H:%M:%S"), 10 + i)
                })
                .collect();
            format!("interval_start,channel,contacts\n{}\n", body.join("\n"))
        };
        let declared = format!("trace_interval = \"{step}s\"\n");
        let clean = load("prop-clean", &rows(None), "");
        if most_common_gap(&starts) == step {
            proptest::prop_assert_eq!(clean.map(|s| slot_s(&s)), Ok(step as f64));
        } else {
            let err = clean.unwrap_err();
            proptest::prop_assert!(err.contains("not aligned") && err.contains("demand.trace_interval = "), "{}", err);
        }
        let clean = load("prop-declared", &rows(None), &declared);
        proptest::prop_assert_eq!(clean.map(|s| slot_s(&s)), Ok(step as f64));
        let i = pick % starts.len();
        let line = format!("t.csv line {}, column 1", i + 2);
        for extra in ["", declared.as_str()] {
            let err = load("prop-skew", &rows(Some(i)), extra).unwrap_err();
            proptest::prop_assert!(err.contains(&line) || err.contains("cannot infer"), "{}", err);
            proptest::prop_assert!(!err.contains("trace_interval`"), "{}", err);
        }
    }
}
