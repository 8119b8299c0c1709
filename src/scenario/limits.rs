//! Hard limits that make a valid but absurd scenario fail fast with a clear
//! message instead of eating the machine's memory or time.
//!
//! Each limit is generous for real planning work (a year of 15-minute intervals
//! for a few thousand agents) and small enough that a typo cannot take the
//! machine down: memory grows with intervals × channels × replications and
//! with agents, so those are bounded; run time grows with contacts, so the
//! horizon and the arrival rates are bounded.

/// Largest scenario file accepted: 10 MiB (a hand-written file is a few KiB).
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Longest warm-up plus horizon: two years, in seconds.
pub const MAX_SIMULATED_S: f64 = 2.0 * 366.0 * 86_400.0;
/// Shortest reporting interval: one minute.
pub const MIN_INTERVAL_S: f64 = 60.0;
/// Longest reporting interval: one day.
pub const MAX_INTERVAL_S: f64 = 86_400.0;
/// Most reporting intervals in the horizon (a year at 5 minutes is 105,408).
pub const MAX_INTERVALS: usize = 110_000;
/// Most replications.
pub const MAX_REPLICATIONS: u32 = 10_000;
/// Most agents in one team.
pub const MAX_AGENTS_PER_TEAM: u32 = 100_000;
/// Most teams.
pub const MAX_TEAMS: usize = 1_000;
/// Most arrival streams.
pub const MAX_STREAMS: usize = 10_000;
/// Most channels.
pub const MAX_CHANNELS: usize = 64;
/// Highest arrival rate of one stream, per hour (a very large centre takes ~20,000).
pub const MAX_RATE_PER_HOUR: f64 = 10_000_000.0;
/// Longest sampled duration parameter (mean, value, bounds): 30 days.
pub const MAX_DURATION_PARAM_S: f64 = 30.0 * 86_400.0;
/// Largest weekly volume of one region (a 10,000-seat centre takes ~3 million).
pub const MAX_WEEKLY_VOLUME: f64 = 100_000_000.0;
/// Largest trace file: 64 MiB (a year of 15-minute rows for 50 series is ~100 MB
/// of CSV only with very long names; typical exports are a few MB).
pub const MAX_TRACE_BYTES: u64 = 64 * 1024 * 1024;
/// Most rate cells (series × slots of the span) a trace may expand to:
/// 8 million × 8 bytes = 64 MB, e.g. a year of 5-minute slots for 75 series.
pub const MAX_TRACE_CELLS: usize = 8_000_000;
/// Largest shard file `cxsim merge` reads: 512 MiB, so that reading one stays
/// well under 1 GiB of memory (a year of 15-minute cells for a few channels is
/// ~20 MB per replication: split a bigger run into more shards).
pub const MAX_SHARD_BYTES: u64 = 512 * 1024 * 1024;
/// Most shards one command can be split into (`--shard K/N`, N at most this):
/// the replication limit, so that no shard set outgrows what one run allows.
pub const MAX_SHARDS: u32 = MAX_REPLICATIONS;
/// Shortest trace interval, given (`demand.trace_interval`) or inferred: one
/// minute, as the reporting interval.
pub const MIN_TRACE_INTERVAL_S: f64 = 60.0;
/// Smallest non-zero coefficient of variation (gamma and lognormal
/// distributions, a region's `day_cv`): the gamma's shape is 1/cv², which must
/// stay a finite, usable number.
pub const MIN_CV: f64 = 1e-9;
/// Most worker threads (`--threads`): each is an OS thread with its own stack.
pub const MAX_THREADS: usize = 1024;
/// Most contacts waiting at once in one replication (human and AI queues).
/// Each costs about 150 bytes with its timers, so this bounds a replication's
/// queue memory near 150 MB; a real centre has at most a few thousand waiting.
/// A run that reaches it (demand with no capacity and no patience) stops
/// with exit 1 naming the channel (`engine::Runaway`).
pub const MAX_WAITING_CONTACTS: usize = 1_000_000;
/// Most contacts between attempts at once (in the IVR menu or waiting to
/// recontact or redial) in one replication.
pub const MAX_PENDING_CONTACTS: usize = 1_000_000;
/// Most scheduled events at once in one replication (about 32 bytes each).
pub const MAX_SCHEDULED_EVENTS: usize = 8_000_000;
/// Most retries (recontacts, redials) within one simulated second: more is a
/// loop in zero time (patience 0 s, redial probability 1 after 0 s), stopped
/// with exit 1.
pub const MAX_RETRIES_PER_SIM_SECOND: u32 = 1_000_000;
