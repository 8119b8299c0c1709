//! `cxsim merge`: shard files of `run`, `compare`, `plan --sweep`,
//! `sensitivity` or `leaderboard` back into what the unsharded command
//! writes. Argv and printing only; the
//! checks live in `cxsim::shard`.

use super::{Common, compare, leaderboard, plan, sensitivity, write_outputs};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::planner::sweep;
use cxsim::report;
use cxsim::scenario::Scenario;
use cxsim::shard::{self, Partials};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub(super) struct MergeArgs {
    /// Folders holding the shard files of one command (all N of them):
    /// shard-K-of-N.json (run), compare-shard-K-of-N.json (compare),
    /// sweep-shard-K-of-N.json (plan --sweep),
    /// sensitivity-shard-K-of-N.json (sensitivity) or
    /// leaderboard-shard-K-of-N.json (leaderboard).
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Output folder [default: output/<scenario name>/; for a
    /// leaderboard, output/leaderboard].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Scenario file to re-read, instead of the path the shards recorded
    /// (it must be byte-identical to the one the shards ran; a sweep's merge
    /// does not read it). For leaderboard shards: the suite folder to
    /// re-read instead of the recorded one (its files must be unchanged).
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

/// Reads the shards, checks them, and writes what the unsharded command would.
pub(super) fn merge(args: MergeArgs) -> Result<ExitCode> {
    match shard::read_any(&args.dirs)? {
        Partials::Run(parts) => merge_run(parts, args),
        Partials::Compare(parts) => merge_compare(parts, args),
        Partials::Sweep(parts) => merge_sweep(parts, args),
        Partials::Sensitivity(parts) => {
            sensitivity::merge(parts, &args.dirs, args.out, args.scenario, &args.common)
        }
        Partials::Leaderboard(parts) => {
            leaderboard::merge(parts, &args.dirs, args.out, args.scenario, &args.common)
        }
    }
}

fn out_dir(args: &MergeArgs, scenario_name: &str) -> PathBuf {
    args.out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(scenario_name))
}

fn announce(args: &MergeArgs, what: std::fmt::Arguments<'_>) {
    if !args.common.quiet && !args.common.json {
        eprintln!("{what}");
    }
}

/// Re-reads the scenario and writes what `run` would.
fn merge_run(parts: Vec<(PathBuf, shard::Partial)>, args: MergeArgs) -> Result<ExitCode> {
    let merged = shard::merge(parts, &args.dirs)?;
    let path = args
        .scenario
        .clone()
        .unwrap_or_else(|| merged.scenario_path.clone());
    let scenario = Scenario::load_with(&path, &merged.overrides())?;
    let bytes = read(&path)?;
    merged.check(&scenario, &bytes, &path)?;
    let out = out_dir(&args, &scenario.name);
    announce(
        &args,
        format_args!(
            "merging {} shards: {} replications of {} ({})",
            merged.shards,
            merged.replications,
            path.display(),
            merged.fingerprint
        ),
    );
    write_outputs(&out, &scenario, &merged.reps, &args.common)
}

/// Re-creates the arms from the scenario and writes what `compare` would.
fn merge_compare(
    parts: Vec<(PathBuf, shard::ComparePartial)>,
    args: MergeArgs,
) -> Result<ExitCode> {
    let merged = shard::merge_compare(parts, &args.dirs)?;
    let path = args
        .scenario
        .clone()
        .unwrap_or_else(|| merged.scenario_path.clone());
    // The shards printed any warnings about variants that set a seed or
    // replications; the merge does not repeat them.
    let (arms, _warnings) = compare::arms(
        &path,
        Some(&merged.variants),
        merged.seed_override,
        merged.replications_override,
        &[],
        None,
    )?;
    let bytes = read(&path)?;
    let out = out_dir(&args, &arms[0].scenario.name);
    announce(
        &args,
        format_args!(
            "merging {} compare shards: {} of {} ({})",
            merged.shards,
            merged.variants.join(", "),
            path.display(),
            merged.fingerprint
        ),
    );
    let runs = merged.into_reps(&arms, &bytes, &path)?;
    compare::write_comparison(&out, &arms, &runs, &args.common)
}

/// Writes `sweep.csv` from the shards' rows (no scenario is read).
fn merge_sweep(parts: Vec<(PathBuf, shard::SweepPartial)>, args: MergeArgs) -> Result<ExitCode> {
    let merged = shard::merge_sweep(parts, &args.dirs)?;
    let out = out_dir(&args, &merged.scenario_name);
    announce(
        &args,
        format_args!(
            "merging {} sweep shards: {} values of {} in {} ({})",
            merged.shards,
            merged.rows.len(),
            merged.key,
            merged.scenario_path.display(),
            merged.fingerprint
        ),
    );
    report::ensure_dir(&out)?;
    let path = out.join("sweep.csv");
    report::write_atomic(
        &path,
        sweep::sweep_csv(&merged.key, &merged.rows).as_bytes(),
    )
    .with_context(|| format!("writing {}", path.display()))?;
    plan::print_sweep(&merged.key, &merged.rows, &path, &args.common);
    Ok(ExitCode::SUCCESS)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    super::read_scenario_bytes(path)
}
