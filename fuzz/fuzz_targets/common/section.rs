//! Shared by the section targets (shift_family, costs, routing, sensitivity):
//! a fuzzed TOML fragment is embedded into a valid base scenario and the
//! whole text goes through the library's validating loader, as a file would.
//! An error must name the file and list an issue; an accepted scenario small
//! enough to simulate quickly runs one replication (horizon capped at 6 h),
//! its bookkeeping is checked and its costs are priced.
#![allow(dead_code)]

use cxsim::scenario::Scenario;

/// The file name errors must mention.
pub const FILE: &str = "fuzz.toml";

/// Fragments longer than this are skipped: the interesting inputs are
/// short, and whole-file limits are the `scenario` target's business.
pub const MAX_FRAGMENT_BYTES: usize = 64 * 1024;

/// The fragment as text, if it is UTF-8 and short enough.
pub fn fragment(data: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(data).ok()?;
    (text.len() <= MAX_FRAGMENT_BYTES).then_some(text)
}

/// An error must name the file and hold at least one issue.
pub fn check_error(err: &cxsim::scenario::ScenarioError) {
    let shown = err.to_string();
    assert!(
        shown.contains(FILE),
        "error does not name the file: {shown}"
    );
    assert!(!err.issues().is_empty(), "error lists no issue: {shown}");
}

/// Validates `text`; an accepted scenario is run when small.
pub fn load_and_run(text: &str) {
    match Scenario::from_toml_str(text, FILE) {
        Ok(scenario) => run_small(scenario),
        Err(err) => check_error(&err),
    }
}

/// One replication of `scenario` with its horizon capped, when it expects
/// at most 5,000 contacts and has at most 2,000 agents.
pub fn run_small(mut scenario: Scenario) {
    let sim = &mut scenario.simulation;
    sim.horizon_s = sim.horizon_s.min(6.0 * 3600.0);
    sim.warmup_s = sim.warmup_s.min(3600.0);
    sim.replications = 1;
    let hours = (sim.horizon_s + sim.warmup_s) / 3600.0;
    let peak_per_h: f64 = scenario
        .sources
        .iter()
        .map(|s| s.rate.rates_per_s.iter().copied().fold(0.0, f64::max) * 3600.0)
        .sum();
    let agents: u64 = scenario
        .teams
        .iter()
        .map(|t| u64::from(t.headcount()))
        .sum();
    if peak_per_h * hours > 5_000.0 || agents > 2_000 {
        return;
    }
    let Ok(stats) = cxsim::engine::try_run_replication(&scenario, 0) else {
        return; // a runaway guard stop is an answer, not a crash
    };
    let total = stats.contact_total();
    assert!(total.answered + total.abandoned <= total.offered);
    assert!(total.answered_within <= total.answered);
    // Pricing runs on whatever [costs] the validator let through.
    let _ = cxsim::metrics::summarize_costs(&scenario, std::slice::from_ref(&stats));
}
