//! Fuzz `[costs]` (prices: per agent-hour, per team, AI sessions and minutes, platform, telephony, repeats): arbitrary text becomes the body of that table in a valid base
//! scenario (fuzz_targets/common/base.toml), and the whole goes through the
//! validating loader — an error names the file and lists an issue, never a
//! panic; an accepted scenario runs one short replication.
#![no_main]

#[path = "common/section.rs"]
mod section;

use libfuzzer_sys::fuzz_target;

const BASE: &str = include_str!("common/base.toml");

fuzz_target!(|data: &[u8]| {
    let Some(fragment) = section::fragment(data) else {
        return;
    };
    section::load_and_run(&format!("{BASE}\n[costs]\n{fragment}\n"));
});
