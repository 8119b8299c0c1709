//! Fuzz the sensitivity ranges (`cxsim sensitivity --only … --range …`):
//! the first line of the input is the `--only` list (comma-separated, empty
//! for all conventions; a leading `versus:` also sets `--versus bolt-on-bot`),
//! every further line one `--range NAME=LOW:HIGH`. They go through the
//! library's `parse_range` and `trials`; accepted trials build the variants
//! of the bundled bolt_on_vs_ai_native scenario, which are validated by the
//! loader as `[[variant]]`s. Every refusal is an error (a message naming the
//! option, or a scenario error naming the file and an issue), never a panic.
#![no_main]

#[path = "common/section.rs"]
mod section;

use cxsim::scenario::{Scenario, Variant};
use cxsim::sensitivity;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const BASE: &str = include_str!("../../scenarios/bolt_on_vs_ai_native.toml");

/// The bundled scenario's arms and its document without `[[variant]]`,
/// validated once per process.
fn base() -> &'static (Vec<Variant>, toml::Table) {
    static BASE_ARMS: OnceLock<(Vec<Variant>, toml::Table)> = OnceLock::new();
    BASE_ARMS.get_or_init(|| {
        let arms =
            Scenario::variants_from_toml_str(BASE, section::FILE).expect("the base is valid");
        let mut document: toml::Table = BASE.parse().expect("the base is TOML");
        document.remove("variant");
        (arms, document)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = section::fragment(data) else {
        return;
    };
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let (versus, only) = match first.strip_prefix("versus:") {
        Some(rest) => (Some("bolt-on-bot"), rest),
        None => (None, first),
    };
    let only: Option<Vec<String>> =
        (!only.trim().is_empty()).then(|| only.split(',').map(str::to_string).collect());
    let mut ranges = Vec::new();
    for line in lines.take(64) {
        match sensitivity::parse_range(line) {
            Ok(r) => ranges.push(r),
            Err(message) => {
                assert!(message.contains("--range"), "{message}");
                return;
            }
        }
    }
    let trials = match sensitivity::trials(only.as_deref(), &ranges) {
        Ok(trials) => trials,
        Err(message) => {
            assert!(message.starts_with("--"), "{message}");
            return;
        }
    };
    let (arms, document) = base();
    let other = versus.map(|name| {
        arms.iter()
            .find(|v| v.name == name)
            .expect("bundled variant")
    });
    let mut document = document.clone();
    let base = &arms[0];
    let extra = sensitivity::variants(&document, base, other, &trials);
    // The built variants, validated as the file's [[variant]]s would be.
    let list: Vec<toml::Value> = extra
        .iter()
        .map(|v| {
            let mut t = toml::Table::new();
            t.insert("name".into(), v.name.clone().into());
            t.insert("set".into(), toml::Value::Table(v.set.clone()));
            toml::Value::Table(t)
        })
        .collect();
    document.insert("variant".into(), toml::Value::Array(list));
    let text = toml::to_string(&document).expect("encodes");
    if let Err(err) = Scenario::variants_from_toml_str(&text, section::FILE) {
        section::check_error(&err);
    }
});
