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
