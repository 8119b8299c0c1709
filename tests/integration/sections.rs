//! The stable-toolchain twin of the section fuzz targets (fuzz/fuzz_targets/
//! {shift_family,costs,routing,sensitivity}.rs): random fragments of those
//! sections, built from their own keys and hostile values, embedded into the
//! same valid base scenario and loaded by the validating loader. An error
//! names the file and lists an issue; an accepted scenario runs one short
//! replication; nothing panics. The sensitivity ranges go through
//! `sensitivity::parse_range`, `trials` and `variants`, and the variants
//! built are validated as `[[variant]]`s. Fixed seed, so every run tries the
//! same cases (docs/ROBUSTNESS.md).

use super::support::root;
use cxsim::scenario::{Scenario, ScenarioError};
use cxsim::sensitivity;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

const FILE: &str = "sections.toml";
const BASE: &str = include_str!("../../fuzz/fuzz_targets/common/base.toml");

/// (table header, keys of that table) for each section.
const SECTIONS: [(&str, &[&str]); 3] = [
    (
        "[team.shift_family]",
        &[
            "earliest_start",
            "latest_start",
            "step",
            "lengths",
            "part_time_lengths",
            "days_per_week",
            "split_days_off",
            "min_week_hours",
            "max_week_hours",
            "max_part_time_share",
            "max_night_share",
            "breaks",
            "nosuch",
        ],
    ),
    (
        "[costs]",
        &[
            "currency",
            "human_per_hour",
            "team_per_hour",
            "ai_per_session",
            "ai_per_minute",
            "platform_per_week",
            "telephony_per_minute",
            "repeat_contact",
            "nosuch",
        ],
    ),
    (
        "[routing]",
        &[
            "strategy",
            "strategy",
            "tier_weights",
            "intent_weights",
            "ageing_per_min",
            "overflow_after",
            "class",
            "costs",
            "cost_exponent",
            "reserve",
            "protected_tiers",
            "protect_escalated",
            "nosuch",
        ],
    ),
];

/// Values of every type, in and out of each key's domain.
const VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "5",
    "7",
    "48",
    "9223372036854775807",
    "0.2",
    "1.5",
    "-0.5",
    "1e308",
    "5e-324",
    "nan",
    "inf",
    "-inf",
    "true",
    "false",
    "\"\"",
    "\"0s\"",
    "\"1s\"",
    "\"15m\"",
    "\"30m\"",
    "\"8h\"",
    "\"25h\"",
    "\"00:00\"",
    "\"07:30\"",
    "\"23:59\"",
    "\"24:00\"",
    "\"7:5\"",
    "\"INR\"",
    "\"fifo\"",
    "\"priority\"",
    "\"skills\"",
    "\"cmu\"",
    "\"threshold\"",
    "\"balanced\"",
    "\"least_fatigued\"",
    "\"ai_first\"",
    "\"human_only\"",
    "\"fastest_server_first\"",
    "\"slowest_server_first\"",
    "\"nosuch\"",
    "\"channel\"",
    "\"intent\"",
    "\"tier\"",
    "[]",
    "[\"8h\"]",
    "[\"4h\", \"9h\", \"12h\"]",
    "[\"0s\", \"-1h\"]",
    "[\"gold\"]",
    "[\"nosuch\"]",
    "[1, \"a\"]",
    "{}",
    "{ front = 2 }",
    "{ front = 8 }",
    "{ back = 1, front = 1 }",
    "{ nosuch = 1 }",
    "{ gold = 3.0, standard = 1.0 }",
    "{ gold = -1.0 }",
    "{ billing = 1.0, tech = 2.0 }",
    "{ voice = 1e308 }",
    "{ front = 10.0, back = 14.5 }",
    "[{ window = [\"1h\", \"2h\"], length = \"15m\" }]",
    "[{ window = [\"2h\", \"1h\"], length = \"15m\" }]",
    "[{ window = [\"1h\", \"3h\"], length = \"30m\", paid = false, min_shift = \"6h\" }]",
    "[{ window = [\"0s\", \"30h\"], length = \"0s\" }]",
    "[{ after = \"2h\", length = \"15m\" }]",
];

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(20_261_220),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn check_error(err: &ScenarioError) -> Result<(), TestCaseError> {
    let shown = err.to_string();
    prop_assert!(
        shown.contains(FILE),
        "error does not name the file: {}",
        shown
    );
    prop_assert!(!err.issues().is_empty(), "no issue listed: {}", shown);
    Ok(())
}

/// One replication of an accepted scenario, its horizon capped at 6 hours
/// (the base expects ~1,000 contacts in that time).
fn run_small(mut s: Scenario) -> Result<(), TestCaseError> {
    s.simulation.horizon_s = s.simulation.horizon_s.min(6.0 * 3600.0);
    s.simulation.replications = 1;
    let stats = cxsim::engine::try_run_replication(&s, 0)
        .map_err(|e| TestCaseError::fail(format!("accepted scenario does not run: {e}")))?;
    let t = stats.contact_total();
    prop_assert!(t.answered + t.abandoned <= t.offered);
    let _ = cxsim::metrics::summarize_costs(&s, std::slice::from_ref(&stats));
    Ok(())
}

proptest! {
    #![proptest_config(config(192))]

    /// `[team.shift_family]`, `[costs]` and `[routing]` fragments: load or
    /// explain, and what loads runs.
    #[test]
    fn section_fragments_load_or_explain(
        section in 0usize..SECTIONS.len(),
        entries in prop::collection::vec((0usize..16, 0usize..VALUES.len()), 0..6),
    ) {
        let (header, keys) = SECTIONS[section];
        let mut fragment = String::new();
        for (k, v) in entries {
            fragment.push_str(&format!("{} = {}\n", keys[k % keys.len()], VALUES[v]));
        }
        let text = format!("{BASE}\n{header}\n{fragment}");
        match Scenario::from_toml_str(&text, FILE) {
            Ok(s) => run_small(s)?,
            Err(e) => check_error(&e)?,
        }
    }
}

/// Range arguments: well-formed, malformed and out-of-domain.
fn range_arg() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "voice_patience",
        "recontact",
        "ai_resolution",
        "ask_for_human",
        "false_containment",
        "learning_rate",
        "ai_ceiling",
        "assist_handle_time",
        "context_time_none",
        "nosuch",
        "",
    ]);
    let number = prop::sample::select(vec![
        "0", "-1", "0.1", "0.9", "1", "2", "90", "360", "1e308", "-1e308", "nan", "inf", "", "x",
    ]);
    (names, number.clone(), number, 0u8..4).prop_map(|(n, lo, hi, form)| match form {
        0 => format!("{n}={lo}:{hi}"),
        1 => format!("{n}={lo}"),
        2 => format!("{n}:{lo}={hi}"),
        _ => format!(" {n} = {lo} : {hi} "),
    })
}

proptest! {
    #![proptest_config(config(48))]

    /// `--only` and `--range` of `cxsim sensitivity`, on the bundled
    /// bolt_on_vs_ai_native scenario: refused with a message naming the
    /// option, or built into variants the loader accepts or explains.
    #[test]
    fn sensitivity_ranges_are_refused_or_validated(
        only in prop::option::of(prop::collection::vec(
            prop::sample::select(vec!["voice_patience", "recontact", "ai_resolution", "nosuch", ""]),
            1..3,
        )),
        ranges in prop::collection::vec(range_arg(), 0..3),
        versus in any::<bool>(),
    ) {
        let path = root().join("scenarios/bolt_on_vs_ai_native.toml");
        let base_text = std::fs::read_to_string(&path).unwrap();
        let arms = Scenario::variants_from_toml_str(&base_text, FILE).unwrap();
        let mut parsed = Vec::new();
        for r in &ranges {
            match sensitivity::parse_range(r) {
                Ok(x) => parsed.push(x),
                Err(m) => {
                    prop_assert!(m.contains("--range") && m.contains("NAME=LOW:HIGH"), "{}", m);
                    return Ok(());
                }
            }
        }
        let only: Option<Vec<String>> = only.map(|v| v.into_iter().map(String::from).collect());
        let trials = match sensitivity::trials(only.as_deref(), &parsed) {
            Ok(t) => t,
            Err(m) => {
                prop_assert!(m.starts_with("--range") || m.starts_with("--only"), "{}", m);
                return Ok(());
            }
        };
        let mut doc: toml::Table = base_text.parse().unwrap();
        doc.remove("variant");
        let other = versus.then(|| arms.iter().find(|v| v.name == "bolt-on-bot").unwrap());
        let extra = sensitivity::variants(&doc, &arms[0], other, &trials);
        let list: Vec<toml::Value> = extra
            .iter()
            .map(|v| {
                let mut t = toml::Table::new();
                t.insert("name".into(), v.name.clone().into());
                t.insert("set".into(), toml::Value::Table(v.set.clone()));
                toml::Value::Table(t)
            })
            .collect();
        doc.insert("variant".into(), toml::Value::Array(list));
        let text = toml::to_string(&doc).unwrap();
        if let Err(e) = Scenario::variants_from_toml_str(&text, FILE) {
            check_error(&e)?;
        }
    }
}

/// The fuzz seeds are valid sections (except those named bad/degenerate),
/// so the targets and the properties above start from inputs that load.
#[test]
fn fuzz_seed_sections_load_and_run() {
    let mut ok = 0;
    for (dir, header) in [
        ("shift_family", "[team.shift_family]"),
        ("costs", "[costs]"),
        ("routing", "[routing]"),
    ] {
        for entry in std::fs::read_dir(root().join("fuzz/seeds").join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let fragment = std::fs::read_to_string(&path).unwrap();
            let loaded = Scenario::from_toml_str(&format!("{BASE}\n{header}\n{fragment}"), FILE);
            if name.starts_with("bad") || name.starts_with("degenerate") {
                assert!(loaded.is_err(), "{dir}/{name} should be refused");
            } else {
                let s = loaded.unwrap_or_else(|e| panic!("{dir}/{name}: {e}"));
                run_small(s).unwrap();
                ok += 1;
            }
        }
    }
    assert!(ok >= 14, "{ok}");
}
