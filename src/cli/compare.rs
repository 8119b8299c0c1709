//! `cxsim compare`: the base scenario and its `[[variant]]`s on common random
//! numbers. Argv, warnings and printing only; the statistics live in
//! `cxsim::compare`.

use super::{BadInput, Common, no_set_with_shard, overrides, progress_bar, reps_done};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::compare::{self, Arm, ArmsError};
use cxsim::engine::{self, RunOptions};
use cxsim::metrics::{ReplicationStats, Retention};
use cxsim::planner::{PlanOptions, Termination};
use cxsim::report;
use cxsim::scenario::{Scenario, Variant};
use cxsim::shard::{self, ArmReplication, ComparePartial, Kind, Shard};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub(super) struct CompareArgs {
    /// Scenario file (TOML) with `[[variant]]` entries.
    file: PathBuf,
    /// Variants to run besides the base, comma-separated [default: all, in file order].
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    variants: Option<Vec<String>>,
    /// Output folder for compare.csv, compare.json and charts/compare.svg [default: output/<scenario name>/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed for the base and every variant.
    #[arg(long)]
    seed: Option<u64>,
    /// Replications for the base and every variant.
    #[arg(long)]
    replications: Option<u32>,
    /// Set a key of the base before validation (repeatable), e.g.
    /// `--set team.voice.agents=66`; variants apply on top of it.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Run only shard K of N of the (variant, replication) pairs (pair p, the
    /// base's replications first, with p % N == K-1) and write
    /// <out>/compare-shard-K-of-N.json for `cxsim merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Staff every arm with the planner to the file's [targets] first (a
    /// roster per arm, as `cxsim plan` makes), then compare what each needs
    /// (FTE, paid hours, cost per contact and per resolved problem) and what
    /// it then achieves, on seeds the planner did not see. A scenario with
    /// reporting intervals over an hour or a horizon over two weeks is
    /// planned on one week of 30-minute intervals.
    #[arg(long)]
    equal_service: bool,
    #[command(flatten)]
    common: Common,
}

pub(super) fn compare(args: CompareArgs) -> Result<ExitCode> {
    no_set_with_shard(&args.set, args.shard.is_some())?;
    if args.equal_service && args.shard.is_some() {
        return Err(BadInput(
            "--equal-service cannot be combined with --shard: planning needs every arm".into(),
        )
        .into());
    }
    let (mut arms, warnings) = arms(
        &args.file,
        args.variants.as_deref(),
        args.seed,
        args.replications,
        &args.set,
        args.threads,
    )?;
    for w in warnings {
        eprintln!("{w}");
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&arms[0].scenario.name));
    if let Some(shard) = args.shard {
        return run_shard(&args, &arms, shard, &out);
    }
    if args.equal_service {
        arms = equal_service_arms(&args, arms, &out)?;
    }

    let runs = simulate_arms(&arms, args.threads, args.common.quiet)?;
    write_comparison(&out, &arms, &runs, &args.common)
}

/// Simulates every arm in turn (each on the worker pool), with one progress
/// bar over all of them; results in arm order.
pub(super) fn simulate_arms(
    arms: &[Variant],
    threads: Option<usize>,
    quiet: bool,
) -> Result<Vec<Vec<ReplicationStats>>> {
    let total: u64 = arms
        .iter()
        .map(|a| u64::from(a.scenario.simulation.replications))
        .sum();
    let days: u64 = arms
        .iter()
        .map(|a| {
            u64::from(a.scenario.simulation.replications)
                * engine::days_per_replication(&a.scenario)
        })
        .sum();
    let bar = progress_bar(quiet, total, days, &arms[0].scenario.name);
    let mut runs = Vec::with_capacity(arms.len());
    let mut done_before = 0;
    for arm in arms {
        bar.set_message(arm.name.clone());
        let tick = |done: u32, _total: u32| reps_done(&bar, done_before + u64::from(done), total);
        let day = || bar.inc(1);
        let options = RunOptions {
            threads,
            progress: Some(&tick),
            retention: Retention::Auto,
            on_day: Some(&day),
        };
        runs.push(engine::simulate(&arm.scenario, &options)?);
        done_before += u64::from(arm.scenario.simulation.replications);
    }
    bar.finish_and_clear();
    Ok(runs)
}

/// Loads the base and the chosen variants (all, in file order, when `names`
/// is `None`) as `compare` runs them (the seed policy is the library's:
/// `cxsim::compare::load_arms`); returns the warnings about variants that
/// break the pairing.
pub(super) fn arms(
    file: &Path,
    names: Option<&[String]>,
    seed: Option<u64>,
    replications: Option<u32>,
    set: &[String],
    threads: Option<usize>,
) -> Result<(Vec<Variant>, Vec<String>)> {
    let overrides = overrides(seed, replications, set, threads)?;
    match compare::load_arms(file, names, &overrides, &[]) {
        Ok(loaded) => Ok(loaded),
        Err(ArmsError::Scenario(e)) => Err(e.into()),
        Err(e @ ArmsError::UnknownVariant { .. }) => Err(BadInput(e.to_string()).into()),
    }
}

/// Compares `runs` (one per arm, in index order), writes compare.csv,
/// compare.json and charts/compare.svg, and prints the table (or JSON).
pub(super) fn write_comparison(
    out: &Path,
    arms: &[Variant],
    runs: &[Vec<ReplicationStats>],
    common: &Common,
) -> Result<ExitCode> {
    let arm_refs: Vec<Arm<'_>> = arms
        .iter()
        .zip(runs)
        .map(|(variant, reps)| Arm { variant, reps })
        .collect();
    let comparison = compare::compare(&arm_refs);
    // As `run`: a Ctrl-C before every file is staged writes nothing (130).
    let written = compare::write_unless(out, &comparison, &engine::cancel_requested)
        .with_context(|| format!("writing results to {}", out.display()))?
        .ok_or(engine::EngineError::Interrupted)?;
    if common.json {
        print!("{}", compare::compare_json(&comparison));
    } else if !common.quiet {
        print!("{}", compare::compare_table(&comparison));
        println!();
        for path in written {
            println!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs this shard's (arm, replication) pairs and writes
/// `<out>/compare-shard-K-of-N.json` with their run totals.
fn run_shard(args: &CompareArgs, arms: &[Variant], shard: Shard, out: &Path) -> Result<ExitCode> {
    let run = ShardRun {
        file: &args.file,
        seed: args.seed,
        replications: args.replications,
        threads: args.threads,
        quiet: args.common.quiet,
    };
    let partial = run.partial(arms, shard)?;
    let path = write_partial(out, shard, &partial)?;
    let pairs = shard::shard_pairs(shard, &partial.arm_replications);
    if args.common.json {
        println!(
            "{}",
            serde_json::json!({
                "shard": shard.index,
                "shards": shard.count,
                "pairs": pairs
                    .iter()
                    .map(|&(a, r)| serde_json::json!({ "variant": arms[a as usize].name, "replication": r }))
                    .collect::<Vec<_>>(),
                "fingerprint": partial.fingerprint,
                "file": path.display().to_string(),
            })
        );
    } else if !args.common.quiet {
        println!(
            "compare shard {shard}: {} of {} (variant, replication) pairs",
            pairs.len(),
            partial.arm_replications.iter().sum::<u32>()
        );
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// What a compare shard is run with (the settings its partial records).
pub(super) struct ShardRun<'a> {
    /// Scenario file as given.
    pub file: &'a Path,
    /// `--seed`, if given.
    pub seed: Option<u64>,
    /// `--replications`, if given.
    pub replications: Option<u32>,
    /// Worker threads.
    pub threads: Option<usize>,
    /// No progress bar.
    pub quiet: bool,
}

impl ShardRun<'_> {
    /// Runs `shard`'s (arm, replication) pairs of `arms` (built from
    /// `self.file` with these settings) and returns their partial.
    pub(super) fn partial(&self, arms: &[Variant], shard: Shard) -> Result<ComparePartial> {
        let bytes = super::read_scenario_bytes(self.file)?;
        let arm_reps: Vec<u32> = arms
            .iter()
            .map(|a| a.scenario.simulation.replications)
            .collect();
        let pairs = shard::shard_pairs(shard, &arm_reps);
        let days: u64 = pairs
            .iter()
            .map(|&(a, _)| engine::days_per_replication(&arms[a as usize].scenario))
            .sum();
        let name = &arms[0].scenario.name;
        let bar = progress_bar(
            self.quiet,
            pairs.len() as u64,
            days,
            &format!("{name} shard {shard}"),
        );
        let mut results = Vec::with_capacity(pairs.len());
        for (a, arm) in arms.iter().enumerate() {
            let indices: Vec<u32> = pairs
                .iter()
                .filter(|&&(pa, _)| pa as usize == a)
                .map(|&(_, r)| r)
                .collect();
            if indices.is_empty() {
                continue;
            }
            let done_before = results.len() as u64;
            let tick = |done: u32, _: u32| {
                reps_done(&bar, done_before + u64::from(done), pairs.len() as u64)
            };
            let day = || bar.inc(1);
            // The same retention as an unsharded compare: totals are all it keeps.
            let options = RunOptions {
                threads: self.threads,
                progress: Some(&tick),
                retention: Retention::Auto,
                on_day: Some(&day),
            };
            let stats = engine::run_indices(&arm.scenario, &indices, &options)?;
            results.extend(
                indices
                    .iter()
                    .zip(stats)
                    .map(|(&replication, mut s)| ArmReplication {
                        arm: a as u32,
                        replication,
                        totals: std::mem::take(&mut s.totals),
                        intent: std::mem::take(&mut s.intent),
                    }),
            );
        }
        bar.finish_and_clear();
        let scenario_path =
            std::path::absolute(self.file).unwrap_or_else(|_| self.file.to_path_buf());
        Ok(ComparePartial {
            format: shard::COMPARE_FORMAT.into(),
            format_version: shard::COMPARE_FORMAT_VERSION,
            cxsim_version: env!("CARGO_PKG_VERSION").into(),
            fingerprint: shard::compare_fingerprint(&bytes, arms),
            scenario_path: scenario_path.to_string_lossy().into_owned(),
            scenario_name: name.clone(),
            variants: arms.iter().map(|a| a.name.clone()).collect(),
            seed_override: self.seed,
            replications_override: self.replications,
            seed: arms[0].scenario.simulation.seed,
            arm_replications: arm_reps,
            shard: shard.index,
            shards: shard.count,
            results,
        })
    }
}

/// Writes `<out>/compare-shard-K-of-N.json`: staged, then committed unless
/// Ctrl-C came first (exit 130, nothing written). Returns the file's path.
pub(super) fn write_partial(out: &Path, shard: Shard, partial: &ComparePartial) -> Result<PathBuf> {
    write_shard_file(out, Kind::Compare, shard, &partial.to_json())
}

/// Writes `<out>/<kind's file name for shard>` with `json` (a sealed shard
/// file): staged, then committed unless Ctrl-C came first (exit 130,
/// nothing written). Returns the file's path.
pub(super) fn write_shard_file(
    out: &Path,
    kind: Kind,
    shard: Shard,
    json: &[u8],
) -> Result<PathBuf> {
    let path = out.join(kind.file_name(shard));
    let mut stage = report::Staging::default();
    stage
        .dir(out)
        .and_then(|()| stage.file(&path, json))
        .with_context(|| format!("writing shard results to {}", out.display()))?;
    if engine::cancel_requested() {
        return Err(engine::EngineError::Interrupted.into());
    }
    stage
        .commit()
        .with_context(|| format!("writing shard results to {}", out.display()))?;
    Ok(path)
}

/// `--equal-service`: plans every arm to the file's targets and returns the
/// planned arms; writes `equal_service.json` (each arm's plan termination and
/// roster) beside the comparison.
fn equal_service_arms(args: &CompareArgs, arms: Vec<Variant>, out: &Path) -> Result<Vec<Variant>> {
    let sim = arms[0].scenario.simulation;
    let (set, arms) = match compare::equal::planning_set(&sim, &args.set) {
        Some(set) => {
            if !args.common.quiet {
                eprintln!("{}", planning_note(&sim));
            }
            let arms = self::arms(
                &args.file,
                args.variants.as_deref(),
                args.seed,
                args.replications,
                &set,
                args.threads,
            )?
            .0;
            (set, arms)
        }
        None => (args.set.clone(), arms),
    };
    let overrides = overrides(args.seed, args.replications, &set, args.threads)?;
    let document = Scenario::load_document(&args.file, &overrides)?;
    let options = PlanOptions {
        threads: args.threads,
        ..PlanOptions::default()
    };
    let base_dir = args.file.parent().unwrap_or(Path::new("."));
    let file = args.file.display().to_string();
    if !args.common.quiet {
        eprintln!("planning {} arm(s) to the same targets …", arms.len());
    }
    let (planned, plans) = compare::equal::plan_arms(&arms, &document, &file, base_dir, &options)?;
    for p in &plans {
        if p.termination != Termination::Met {
            eprintln!(
                "warning: arm {:?}: its plan ended {}: its figures are not at equal service \
                 (see equal_service.json)",
                p.arm,
                p.termination.label()
            );
        }
    }
    let mut text = serde_json::to_string_pretty(&plans).expect("plans serialise");
    text.push('\n');
    report::ensure_dir(out).with_context(|| format!("writing results to {}", out.display()))?;
    report::write_atomic(&out.join("equal_service.json"), text.as_bytes())
        .with_context(|| format!("writing results to {}", out.display()))?;
    Ok(planned)
}

/// The note printed when an equal-service run plans on one week of
/// 30-minute intervals instead of the file's own (see
/// `compare::equal::planning_set`).
pub(super) fn planning_note(sim: &cxsim::scenario::Simulation) -> String {
    format!(
        "note: --equal-service plans one week of 30-minute intervals \
         (the file reports {} over {}); use --set simulation.horizon=... to change it",
        cxsim::scenario::format_duration(sim.interval_s),
        cxsim::scenario::format_duration(sim.horizon_s)
    )
}
