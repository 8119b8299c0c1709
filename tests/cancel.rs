//! The engine's cancellation request is process-wide, so these tests live in
//! a binary of their own: in the shared integration binary a request made
//! here could stop another test's run. (Issue 15: a cancel must not poison
//! later runs of the same process.)

use cxsim::engine::{
    self, EngineError, RunOptions, cancel_requested, clear_cancel, request_cancel,
};
use cxsim::scenario::Scenario;

const TEXT: &str = r#"
name = "cancel"
[simulation]
seed = 4
horizon = "3d"
warmup = "1h"
replications = 2
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 3000
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[[team]]
name = "t"
agents = 60
channels = ["voice"]
handle_time = { dist = "exponential", mean = "1m" }
"#;

/// One test function, so its steps run in order and alone in this process.
#[test]
fn a_cancel_stops_one_run_and_is_then_consumed() {
    let s = Scenario::from_toml_str(TEXT, "cancel.toml").unwrap();
    let clean = engine::simulate(&s, &RunOptions::default()).unwrap();

    // Requested before a run: the next run stops at once and consumes it.
    request_cancel();
    assert!(matches!(
        engine::simulate(&s, &RunOptions::default()),
        Err(EngineError::Interrupted)
    ));
    assert!(!cancel_requested(), "the stopped run consumed the request");
    assert_eq!(engine::simulate(&s, &RunOptions::default()).unwrap(), clean);

    // Requested during a run (from its day callback): that run stops with
    // no partial statistics, and the next one is whole and identical.
    let on_day = || request_cancel();
    let options = RunOptions {
        threads: Some(1),
        on_day: Some(&on_day),
        ..RunOptions::default()
    };
    assert!(matches!(
        engine::simulate(&s, &options),
        Err(EngineError::Interrupted)
    ));
    assert!(!cancel_requested());
    assert_eq!(engine::simulate(&s, &RunOptions::default()).unwrap(), clean);

    // The single-replication entry points: an error, never truncated
    // statistics, and the request is consumed.
    request_cancel();
    assert!(matches!(
        engine::try_run_replication(&s, 0),
        Err(EngineError::Interrupted)
    ));
    assert_eq!(engine::try_run_replication(&s, 0).unwrap(), clean[0]);

    // A request no run consumed can be withdrawn.
    request_cancel();
    clear_cancel();
    assert_eq!(engine::try_run_replication(&s, 1).unwrap(), clean[1]);
}
