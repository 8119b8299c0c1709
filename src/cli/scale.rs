//! `run --shard` and `bench`: running one scenario across machines, and
//! measuring speed. Printing and argv only; the checks live in
//! `cxsim::shard` (`merge` is in merge.rs).

use super::{Common, load_overridden, progress_bar, reps_done};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::engine::{self, RunOptions};
use cxsim::metrics::Retention;
use cxsim::report;
use cxsim::scenario::Scenario;
use cxsim::shard::{self, FORMAT, FORMAT_VERSION, Partial, Shard, ShardReplication};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args)]
pub(super) struct BenchArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Override the scenario's number of replications.
    #[arg(long)]
    replications: Option<u32>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs one shard's replications and writes `<out>/shard-K-of-N.json`.
pub(super) fn run_shard(
    file: &Path,
    scenario: &Scenario,
    shard: Shard,
    out: &Path,
    threads: Option<usize>,
    common: &Common,
) -> Result<ExitCode> {
    let bytes = super::read_scenario_bytes(file)?;
    let fingerprint = shard::fingerprint(&bytes, scenario);
    let total = scenario.simulation.replications;
    let indices = shard.replications(total);
    let bar = progress_bar(
        common.quiet,
        indices.len() as u64,
        indices.len() as u64 * engine::days_per_replication(scenario),
        &format!("{} shard {shard}", scenario.name),
    );
    let tick = |done: u32, total: u32| reps_done(&bar, u64::from(done), u64::from(total));
    let day = || bar.inc(1);
    // Partial files carry every interval of every replication.
    let options = RunOptions {
        threads,
        progress: Some(&tick),
        retention: Retention::Memory,
        on_day: Some(&day),
    };
    let stats = engine::run_indices(scenario, &indices, &options)?;
    bar.finish_and_clear();
    let scenario_path = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let partial = Partial {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        cxsim_version: env!("CARGO_PKG_VERSION").into(),
        fingerprint,
        scenario_path: scenario_path.to_string_lossy().into_owned(),
        scenario_name: scenario.name.clone(),
        seed: scenario.simulation.seed,
        replications: total,
        shard: shard.index,
        shards: shard.count,
        results: indices
            .iter()
            .zip(stats)
            .map(|(&replication, stats)| ShardReplication {
                replication,
                stats: shard::WireStats::from_stats(&stats)
                    .expect("shard runs keep every interval in memory"),
            })
            .collect(),
    };
    let path = out.join(shard.file_name());
    // Staged, then committed unless Ctrl-C came first (exit 130, nothing written).
    let mut stage = report::Staging::default();
    stage
        .dir(out)
        .and_then(|()| {
            let mut file = report::AtomicFile::create(&path)?;
            partial
                .write_json(&mut file)
                .map_err(|source| file.error(source))?;
            stage.add(file);
            Ok(())
        })
        .with_context(|| format!("writing shard results to {}", out.display()))?;
    if engine::cancel_requested() {
        return Err(engine::EngineError::Interrupted.into());
    }
    stage
        .commit()
        .with_context(|| format!("writing shard results to {}", out.display()))?;
    if common.json {
        println!(
            "{}",
            serde_json::json!({
                "shard": shard.index,
                "shards": shard.count,
                "replications": indices,
                "fingerprint": partial.fingerprint,
                "file": path.display().to_string(),
            })
        );
    } else if !common.quiet {
        println!(
            "shard {shard}: {} of {total} replications ({})",
            indices.len(),
            preview(&indices)
        );
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn preview(indices: &[u32]) -> String {
    let shown: Vec<String> = indices.iter().take(8).map(u32::to_string).collect();
    match indices.len() {
        0 => "none".into(),
        n if n > 8 => format!("{} …", shown.join(", ")),
        _ => shown.join(", "),
    }
}

/// Times the replications (not loading or reporting) and prints throughput.
pub(super) fn bench(args: BenchArgs) -> Result<ExitCode> {
    let scenario = load_overridden(&args.file, None, args.replications, &[], args.threads)?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    // The same retention as `cxsim run`, so the figures match a real run.
    let options = RunOptions {
        threads: Some(threads),
        progress: None,
        retention: Retention::Auto,
        on_day: None,
    };
    let started = Instant::now();
    let reps = engine::simulate(&scenario, &options)?;
    let wall_s = started.elapsed().as_secs_f64().max(1e-9);
    let contacts: u64 = reps.iter().map(|r| r.arrivals).sum();
    let events: u64 = reps.iter().map(|r| r.events).sum();
    let replications = scenario.simulation.replications;
    // A replication runs on one thread: fewer replications than threads leave some idle.
    let busy_threads = threads.min(replications as usize).max(1);
    let contacts_per_s = contacts as f64 / wall_s;
    let events_per_s = events as f64 / wall_s;
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "scenario": scenario.name,
                "replications": replications,
                "threads": threads,
                "busy_threads": busy_threads,
                "wall_s": wall_s,
                "contacts": contacts,
                "events": events,
                "contacts_per_s": contacts_per_s,
                "events_per_s": events_per_s,
                "contacts_per_s_per_thread": contacts_per_s / busy_threads as f64,
            })
        );
    } else {
        println!("{:>26}  {}", "scenario", scenario.name);
        println!("{:>26}  {replications}", "replications");
        println!("{:>26}  {threads} ({busy_threads} busy)", "threads");
        println!("{:>26}  {wall_s:.3} s", "wall time");
        println!("{:>26}  {contacts} (warm-up included)", "contacts");
        println!("{:>26}  {events}", "events");
        println!("{:>26}  {}", "contacts/s", group(contacts_per_s));
        println!("{:>26}  {}", "events/s", group(events_per_s));
        println!(
            "{:>26}  {}",
            "contacts/s per busy thread",
            group(contacts_per_s / busy_threads as f64)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// 1234567.8 → "1,234,568".
fn group(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_thousands() {
        assert_eq!(super::group(0.0), "0");
        assert_eq!(super::group(999.4), "999");
        assert_eq!(super::group(1_234_567.8), "1,234,568");
    }
}
