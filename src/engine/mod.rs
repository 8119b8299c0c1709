//! The discrete-event engine.
//!
//! # Contract
//! - **Time** is integer microseconds ([`SimTime`]) from the start of the
//!   warm-up; the measured horizon starts at `warmup` and ends at
//!   `warmup + horizon`. Sampled `f64` durations are rounded once, when scheduled.
//! - **Ordering**: events pop in (time, insertion sequence) order, so events at
//!   the same instant are handled first-in first-out.
//! - **Determinism**: all randomness comes from per-purpose seeded streams
//!   (see [`rng`]); replication `r` depends only on (scenario seed, r), and
//!   replications are reduced in index order, so results are byte-identical for
//!   any thread count.
//! - **Measurement**: contacts arriving during the warm-up are simulated but not
//!   counted; arrivals stop at the horizon's end and the system drains, so every
//!   measured contact ends before statistics are taken.
//! - **Abandonment is lazy**: a waiting contact's patience timer stays in the
//!   heap when the contact is answered, and is discarded when it fires if the
//!   slot's generation no longer matches.

mod arrivals;
mod calendar;
mod clock;
mod contact;
mod front_line;
mod guard;
mod quality;
mod queue;
mod record;
mod sim;
mod waiting;
mod workforce;

pub use crate::rng;
pub use crate::time::{SimTime, TICKS_PER_S, seconds, ticks};
pub use guard::Runaway;
pub use queue::EventQueue;
pub use record::TRACE_HEADER;

use crate::metrics::{ReplicationStats, Retention};
use crate::routing::Router;
use crate::scenario::{Routing, Scenario};
use rayon::prelude::*;

static CANCEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Asks the running replications to stop at their next check (cooperative
/// cancellation, e.g. from a Ctrl-C handler); with none running, the next
/// run to start stops at once. The run it stops returns
/// [`EngineError::Interrupted`] and **clears the request**, so later runs in
/// the same process are not affected (a library can run again after a
/// cancel). The request is process-wide: of two runs in progress at once,
/// both stop.
pub fn request_cancel() {
    CANCEL.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// True while a request is pending: set by [`request_cancel`], not yet
/// consumed by a run it stopped nor cleared. The CLI reads it after the
/// simulations, before committing its outputs.
pub fn cancel_requested() -> bool {
    CANCEL.load(std::sync::atomic::Ordering::Relaxed)
}

/// Withdraws a pending request that no run has consumed.
pub fn clear_cancel() {
    CANCEL.store(false, std::sync::atomic::Ordering::Relaxed);
}

/// A top-level run's result: when it was interrupted, the request that
/// stopped it is consumed.
fn consume_cancel<T>(result: Result<T, EngineError>) -> Result<T, EngineError> {
    if matches!(result, Err(EngineError::Interrupted)) {
        clear_cancel();
    }
    result
}

/// Errors from running the engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The run was cancelled (Ctrl-C) before it finished.
    #[error("interrupted: the run was cancelled before it finished; no results were written")]
    Interrupted,
    /// A replication grew without bound (no capacity for unlimited patience,
    /// a redial loop in zero time…) and was stopped at a documented limit.
    #[error("the simulation stopped: {0}")]
    Runaway(#[from] Runaway),
    /// A temporary file for interval results could not be created or written.
    #[error("{0}")]
    Spill(String),
    /// The worker thread pool could not be created.
    #[error("cannot start {threads} worker threads: {message}")]
    ThreadPool {
        /// Threads requested.
        threads: usize,
        /// Why it failed.
        message: String,
    },
}

/// How to run replications.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Where closed intervals go: memory (random access, the default) or a
    /// temporary file (long horizons; read them with `metrics::for_each_interval`).
    pub retention: Retention,
    /// Called after each replication finishes with (done, total); cold path.
    pub progress: Option<&'a (dyn Fn(u32, u32) + Sync)>,
    /// Called once per simulated day of the horizon, per replication (see
    /// [`days_per_replication`]); cold path, for progress display.
    pub on_day: Option<&'a (dyn Fn() + Sync)>,
}

/// What one replication needs besides the scenario.
#[derive(Clone, Copy, Default)]
pub struct ReplicationOptions<'a> {
    /// Where closed intervals go.
    pub retention: Retention,
    /// Called once per simulated day of the horizon.
    pub on_day: Option<&'a (dyn Fn() + Sync)>,
    /// When set, the replication's journey trace goes to the file this returns.
    pub trace: Option<&'a TraceFiles>,
}

/// Makes the file that replication `r`'s journey trace is streamed into
/// (rows of [`TRACE_HEADER`], no header), e.g. `|_| tempfile::tempfile()`.
pub type TraceFiles = dyn Fn(u32) -> std::io::Result<std::fs::File> + Sync;

/// How many times `on_day` is called per replication: the horizon's days,
/// rounded up (at least one).
pub fn days_per_replication(scenario: &Scenario) -> u64 {
    ((scenario.simulation.horizon_s / 86_400.0).ceil() as u64).max(1)
}

/// Runs one replication of `scenario` (index `rep`) on the calling thread,
/// with the scenario's routing strategy, every interval kept in memory.
///
/// # Panics
/// When the replication runs away ([`EngineError::Runaway`]); use
/// [`try_run_replication`] for scenarios that may.
pub fn run_replication(scenario: &Scenario, rep: u32) -> ReplicationStats {
    try_run_replication(scenario, rep).unwrap_or_else(|e| panic!("replication {rep}: {e}"))
}

/// Runs one replication of `scenario` (index `rep`) on the calling thread,
/// every interval kept in memory; fails only when it runs away or is
/// cancelled ([`request_cancel`]).
pub fn try_run_replication(scenario: &Scenario, rep: u32) -> Result<ReplicationStats, EngineError> {
    consume_cancel(run_one(scenario, rep, &ReplicationOptions::default())).map(|(stats, _)| stats)
}

/// Runs one replication of `scenario` (index `rep`) on the calling thread
/// with a router of your own instead of the scenario's `[routing]` (which is
/// ignored): the entry point for strategies written outside this crate. The
/// event loop is monomorphised for `R`, as for the built-in strategies, and
/// replication `rep` sees the same random numbers whatever the router, so
/// results pair with any built-in strategy's on common random numbers.
pub fn run_replication_with<R: Router>(
    scenario: &Scenario,
    router: R,
    rep: u32,
) -> Result<ReplicationStats, EngineError> {
    consume_cancel(run_with(
        scenario,
        router,
        rep,
        &ReplicationOptions::default(),
    ))
    .map(|(stats, _)| stats)
}

/// Runs one replication with the scenario's strategy: the validated
/// [`Routing`] is matched once here, and each arm runs the event loop
/// monomorphised for its [`Router`] (routing decisions are static calls).
fn run_one(
    scenario: &Scenario,
    rep: u32,
    options: &ReplicationOptions<'_>,
) -> Result<(ReplicationStats, Option<std::fs::File>), EngineError> {
    use crate::routing::*;
    match &scenario.routing {
        Routing::Fifo => run_with(scenario, Fifo, rep, options),
        Routing::AiFirst => run_with(scenario, AiFirst, rep, options),
        Routing::HumanOnly => run_with(scenario, HumanOnly, rep, options),
        Routing::Priority(p) => run_with(scenario, Priority::new(p), rep, options),
        Routing::Skills { overflow_after_s } => run_with(
            scenario,
            Skills::new(scenario, *overflow_after_s),
            rep,
            options,
        ),
        Routing::LeastFatigued => run_with(scenario, LeastFatigued, rep, options),
        Routing::Balanced => run_with(scenario, Balanced, rep, options),
        Routing::Cmu(p) => run_with(scenario, Cmu::new(scenario, p), rep, options),
        Routing::AiTriage(p) => run_with(scenario, AiTriage::new(scenario, p), rep, options),
        Routing::QueueRatio(p) => run_with(scenario, QueueRatio::new(p), rep, options),
        Routing::FastestServerFirst => run_with(scenario, FastestServerFirst, rep, options),
        Routing::SlowestServerFirst => run_with(scenario, SlowestServerFirst, rep, options),
        Routing::Threshold(p) => run_with(scenario, Threshold::new(p), rep, options),
    }
}

/// One replication with router `R`. Fails on spill-file I/O
/// ([`Retention::Spill`]) or when it runs away.
fn run_with<R: Router>(
    scenario: &Scenario,
    router: R,
    rep: u32,
    options: &ReplicationOptions<'_>,
) -> Result<(ReplicationStats, Option<std::fs::File>), EngineError> {
    let trace = options
        .trace
        .map(|make| make(rep))
        .transpose()
        .map_err(|e| {
            EngineError::Spill(format!(
                "cannot create a temporary file for the journey trace: {e} (set TMPDIR to a writable folder)"
            ))
        })?;
    sim::Replication::new(scenario, router, rep, options.retention, trace)
        .map_err(|e| EngineError::Spill(e.to_string()))?
        .run(options.on_day)
}

/// Runs every replication of `scenario`, in parallel, and returns their
/// statistics in replication order.
pub fn simulate(
    scenario: &Scenario,
    options: &RunOptions<'_>,
) -> Result<Vec<ReplicationStats>, EngineError> {
    let reps = scenario.simulation.replications;
    run_replications(scenario, 0..reps, options)
}

/// Runs the given replication indices in parallel, returning them in order.
pub fn run_replications(
    scenario: &Scenario,
    indices: std::ops::Range<u32>,
    options: &RunOptions<'_>,
) -> Result<Vec<ReplicationStats>, EngineError> {
    run_indices(scenario, &indices.collect::<Vec<_>>(), options)
}

/// Runs the listed replication indices (any set, e.g. one shard's) in
/// parallel and returns their statistics in the order listed. Replication `r`
/// is the same whichever other indices run with it.
pub fn run_indices(
    scenario: &Scenario,
    indices: &[u32],
    options: &RunOptions<'_>,
) -> Result<Vec<ReplicationStats>, EngineError> {
    let runs = run_traced(scenario, indices, options, None)?;
    Ok(runs.into_iter().map(|(stats, _)| stats).collect())
}

/// Runs every replication like [`simulate`], each streaming its journey
/// trace (rows of [`TRACE_HEADER`]) into the file `trace_file(r)` makes;
/// returns each replication's statistics and its trace file (positioned at
/// its end), in replication order. Every other result is identical to
/// [`simulate`]'s.
pub fn simulate_traced(
    scenario: &Scenario,
    options: &RunOptions<'_>,
    trace_file: &TraceFiles,
) -> Result<Vec<(ReplicationStats, std::fs::File)>, EngineError> {
    let indices: Vec<u32> = (0..scenario.simulation.replications).collect();
    let runs = run_traced(scenario, &indices, options, Some(trace_file))?;
    Ok(runs
        .into_iter()
        .filter_map(|(stats, file)| file.map(|f| (stats, f)))
        .collect())
}

/// [`run_traced_once`], consuming the cancel request that stopped it.
fn run_traced(
    scenario: &Scenario,
    indices: &[u32],
    options: &RunOptions<'_>,
    trace: Option<&TraceFiles>,
) -> Result<Vec<(ReplicationStats, Option<std::fs::File>)>, EngineError> {
    consume_cancel(run_traced_once(scenario, indices, options, trace))
}

fn run_traced_once(
    scenario: &Scenario,
    indices: &[u32],
    options: &RunOptions<'_>,
    trace: Option<&TraceFiles>,
) -> Result<Vec<(ReplicationStats, Option<std::fs::File>)>, EngineError> {
    let threads = options.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| EngineError::ThreadPool {
            threads,
            message: e.to_string(),
        })?;
    let total = indices.len() as u32;
    if cancel_requested() {
        return Err(EngineError::Interrupted);
    }
    let done = std::sync::atomic::AtomicU32::new(0);
    let runs: Result<Vec<_>, EngineError> = pool.install(|| {
        indices
            .par_iter()
            .map(|&rep| {
                let one = ReplicationOptions {
                    retention: options.retention,
                    on_day: options.on_day,
                    trace,
                };
                let run = run_one(scenario, rep, &one)?;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if let Some(progress) = options.progress {
                    progress(n, total);
                }
                Ok(run)
            })
            .collect()
    });
    if cancel_requested() {
        return Err(EngineError::Interrupted);
    }
    runs
}
