//! Shared helpers: run the built binary, make scratch folders.

use cxsim::scenario::Scenario;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of the cxsim binary built for these tests.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_cxsim")
}

/// Runs cxsim with `args` and returns its output.
pub fn cxsim(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("cxsim binary runs")
}

/// A fresh, empty scratch folder unique to `name` and this process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cxsim-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

/// Project root (for bundled scenarios).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Stdout and stderr as text.
pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The validation-contract scenario with a short horizon, for quick CLI tests.
pub const SMALL: &str = r#"
name = "small"
[simulation]
seed = 3
horizon = "2d"
warmup = "2h"
replications = 4
interval = "1h"
[[demand.stream]]
name = "calls"
channel = "voice"
rate_per_hour = 360
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
service_level = { within = "20s", target = 0.80 }
[[team]]
name = "agents"
agents = 20
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
[routing]
strategy = "fifo"
"#;

/// Two-sided 99.9% standard-normal critical value, for binomial and Poisson
/// bounds in the statistical tests.
pub const Z_999: f64 = 3.2905;

/// Parses test scenario text that must be valid.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str(text, "test.toml").expect("valid test scenario")
}

/// Equal-service arms: one day of voice in 1-hour intervals (plans in well
/// under a second), priced; the `slow` arm's calls take 30% longer, so it
/// needs more people for the same service.
pub const EQUAL_ARMS: &str = r#"
name = "equal"
[simulation]
seed = 11
horizon = "1d"
warmup = "1d"
replications = 4
interval = "1h"

[[demand.profile]]
name = "day"
intraday = [1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 10, 11, 12, 12, 10, 8, 7, 6, 4, 2, 1]

[[demand.region]]
name = "all"
volume_per_day = 6000
profile = "day"
channel_mix = { voice = 1.0 }

[channel.voice]
patience = { dist = "exponential", mean = "3m" }
service_level = { within = "20s", target = 0.80 }

[targets]
max_abandon = 0.08
max_agents = { voice = 500 }

[[team]]
name = "voice"
agents = 60
channels = ["voice"]
handle_time = { dist = "lognormal", mean = "5m", cv = 0.8 }

[costs]
human_per_hour = 20.0

[[variant]]
name = "slow"
set = { "team.voice.handle_time" = { dist = "lognormal", mean = "6m30s", cv = 0.8 } }
"#;
