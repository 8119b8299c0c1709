//! `--set`, `--seed` and `--replications` change the scenario's TOML before
//! validation: the result is exactly the scenario a file with the same values
//! would give, and a bad value is reported like a bad file value.

use super::support::*;
use std::path::Path;

fn run(file: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    cxsim(&args)
}

#[test]
fn set_seed_and_replications_equal_the_same_values_written_in_the_file() {
    let dir = scratch("overrides-equal");
    let base = dir.join("base.toml");
    std::fs::write(&base, SMALL).unwrap();
    let edited = dir.join("edited.toml");
    std::fs::write(
        &edited,
        SMALL
            .replace("agents = 20", "agents = 22")
            .replace("seed = 3", "seed = 11")
            .replace("replications = 4", "replications = 3")
            .replace(
                "mean = \"3m\" }\nservice_level",
                "mean = \"4m\" }\nservice_level",
            ),
    )
    .unwrap();
    let (a, b) = (dir.join("a"), dir.join("b"));
    let r = run(
        &base,
        &a,
        &[
            "--set",
            "team.agents.agents=22",
            "--set",
            "channel.voice.patience.mean=4m",
            "--seed",
            "11",
            "--replications",
            "3",
        ],
    );
    assert!(r.status.success(), "{:?}", text(&r));
    let r = run(&edited, &b, &[]);
    assert!(r.status.success(), "{:?}", text(&r));
    for file in ["summary.json", "intervals.csv", "agents.csv"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_overrides_exit_2_naming_the_option_and_write_nothing() {
    let dir = scratch("overrides-bad");
    let base = dir.join("base.toml");
    std::fs::write(&base, SMALL).unwrap();
    for (args, expect) in [
        (vec!["--set", "team.agents.agnets=22"], "agnets"),
        (vec!["--set", "team.agents.agents=-3"], "team[0].agents"),
        (vec!["--set", "no-equals"], "PATH=VALUE"),
        (vec!["--set", "team.nobody.agents=3"], "nobody"),
        (vec!["--seed", "18446744073709551615"], "--seed"),
        (vec!["--replications", "0"], "--replications 0"),
        (vec!["--set", "variant.x=1"], "variant"),
    ] {
        let out = dir.join("out");
        let r = run(&base, &out, &args);
        let (_, err) = text(&r);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote output");
    }
    let out = dir.join("out");
    let r = run(
        &base,
        &out,
        &["--set", "team.agents.agents=22", "--shard", "1/2"],
    );
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r).1.contains("--set cannot be combined with --shard"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_pins_the_command_line_seed_on_every_arm() {
    let dir = scratch("overrides-compare");
    let file = dir.join("cmp.toml");
    // The variant sets its own seed; --seed overrides it (common random
    // numbers), so an arm identical to the base differs by exactly 0.
    std::fs::write(
        &file,
        format!("{SMALL}\n[[variant]]\nname = \"same\"\nset = {{ \"simulation.seed\" = 99 }}\n"),
    )
    .unwrap();
    let out = dir.join("out");
    let r = cxsim(&[
        "compare",
        file.to_str().unwrap(),
        "-q",
        "--seed",
        "5",
        "--set",
        "team.agents.agents=21",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (_, err) = text(&r);
    assert!(r.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).unwrap()).unwrap();
    assert_eq!(json["seed"], 5);
    for row in json["rows"].as_array().unwrap() {
        if row["variant"] == "same" && row["diff_mean"].is_number() {
            assert_eq!(row["diff_mean"].as_f64(), Some(0.0), "{row}");
        }
    }
    // Without --seed the variant keeps its own seed, and says what it costs.
    let r = cxsim(&[
        "compare",
        file.to_str().unwrap(),
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success());
    assert!(text(&r).1.contains("not paired"), "{:?}", text(&r));
    let _ = std::fs::remove_dir_all(&dir);
}
