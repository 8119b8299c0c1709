//! Fuzz the scenario parser: any UTF-8 text gives `Ok` or an error naming the
//! file — never a panic. Valid scenarios small enough to simulate quickly also
//! run one replication with a capped horizon, so the engine sees what the
//! validator lets through.
#![no_main]

use cxsim::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

const FILE: &str = "fuzz.toml";

fuzz_target!(|data: &[u8]| {
    // Mirrors `Scenario::from_path`: non-UTF-8 files and files over the size
    // limit are rejected before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() as u64 > cxsim::scenario::limits::MAX_FILE_BYTES {
        return;
    }
    let mut scenario = match Scenario::from_toml_str(text, FILE) {
        Ok(scenario) => scenario,
        Err(err) => {
            let shown = err.to_string();
            assert!(
                shown.contains(FILE),
                "error does not name the file: {shown}"
            );
            assert!(!err.issues().is_empty(), "error lists no issue: {shown}");
            return;
        }
    };
    // Keep the engine run to a few milliseconds: a short horizon, few contacts.
    let sim = &mut scenario.simulation;
    sim.horizon_s = sim.horizon_s.min(6.0 * 3600.0);
    sim.warmup_s = sim.warmup_s.min(3600.0);
    sim.replications = 1;
    let hours = (sim.horizon_s + sim.warmup_s) / 3600.0;
    // Peak rates bound the contacts (special days can multiply them up to 100).
    let peak_per_h: f64 = scenario
        .sources
        .iter()
        .map(|s| s.rate.rates_per_s.iter().copied().fold(0.0, f64::max) * 3600.0)
        .sum();
    let special = scenario
        .regions
        .iter()
        .flat_map(|r| r.special_days.iter().map(|d| d.1))
        .fold(1.0, f64::max);
    let day_cv = scenario
        .regions
        .iter()
        .map(|r| r.day_cv)
        .fold(0.0, f64::max);
    let expected = peak_per_h * special * (1.0 + 4.0 * day_cv) * hours;
    let agents: u64 = scenario
        .teams
        .iter()
        .map(|t| u64::from(t.headcount()))
        .sum();
    if expected <= 5_000.0 && agents <= 2_000 {
        let stats = cxsim::engine::run_replication(&scenario, 0);
        let total = stats.contact_total();
        assert!(total.answered + total.abandoned <= total.offered);
    }
});
