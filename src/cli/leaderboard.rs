//! `cxsim leaderboard`: every routing strategy on every scenario of a
//! benchmark suite, on common random numbers, ranked per scenario by the
//! scenario's objective, with paired differences and 95% CIs against `fifo`.
//! Argv, running and writing only: the arms are `compare` arms (one
//! `[routing]` override each, re-validated), the boards are
//! [`cxsim::leaderboard`]'s, and a sharded leaderboard is one `compare`
//! shard per scenario (the same file format, merged by the same checks).

use super::compare::{ShardRun, write_partial};
use super::{BadInput, Common, overrides, read_scenario_bytes};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::compare;
use cxsim::engine::{self, RunOptions};
use cxsim::leaderboard::{self, Board, Objective};
use cxsim::metrics::ReplicationStats;
use cxsim::report;
use cxsim::scenario::{RawVariant, STRATEGIES, Variant, strategy_info};
use cxsim::shard::{self, Partials, Shard};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub(super) struct LeaderboardArgs {
    /// Folder of benchmark scenarios (`*.toml`, each with a `# objective =
    /// "service_level" | "abandonment" | "asa" | "journey_service_level" |
    /// "effort"` line).
    #[arg(default_value = "scenarios/bench")]
    suite: PathBuf,
    /// Strategies, comma-separated [default: all]; `fifo` is always the baseline.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    strategies: Option<Vec<String>>,
    /// Replications per scenario and strategy [default: each scenario's].
    #[arg(long)]
    replications: Option<u32>,
    /// Seed for every run [default: each scenario's].
    #[arg(long)]
    seed: Option<u64>,
    /// Output folder for leaderboard.csv, leaderboard_classes.csv,
    /// leaderboard.md and leaderboard.svg (with --shard: the shard files).
    #[arg(long, default_value = "output/leaderboard")]
    out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Run only shard K of N of every scenario's (strategy, replication)
    /// pairs and write <out>/<scenario file stem>/compare-shard-K-of-N.json;
    /// build the leaderboard from all N with --merge.
    #[arg(long, value_name = "K/N", conflicts_with = "merge")]
    shard: Option<Shard>,
    /// Build the leaderboard from the --out folders of the N shard runs
    /// (comma-separated), run with the same suite, --strategies, --seed and
    /// --replications; the output equals the unsharded leaderboard's.
    #[arg(long, value_name = "DIRS", value_delimiter = ',')]
    merge: Option<Vec<PathBuf>>,
    #[command(flatten)]
    common: Common,
}

fn objective_of(file: &Path) -> Result<Objective> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    leaderboard::objective_in(&text)
        .map_err(|e| BadInput(format!("{}: {e}", file.display())).into())
}

fn strategies(args: &LeaderboardArgs) -> Result<Vec<String>> {
    let names: Vec<String> = match &args.strategies {
        Some(list) => list.iter().map(|s| s.trim().to_string()).collect(),
        None => STRATEGIES.iter().map(|s| s.name.to_string()).collect(),
    };
    let mut out = vec!["fifo".to_string()];
    for n in names {
        if strategy_info(&n).is_none() {
            let allowed: Vec<String> = STRATEGIES.iter().map(|s| format!("{:?}", s.name)).collect();
            return Err(BadInput(format!(
                "--strategies: got {n:?}; allowed: {}",
                allowed.join(", ")
            ))
            .into());
        }
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

fn suite(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| BadInput(format!("suite folder {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(BadInput(format!(
            "suite folder {}: no *.toml scenario",
            dir.display()
        ))
        .into());
    }
    Ok(files)
}

/// `[routing]` as a whole (the suite's files may have none): the strategy
/// with its default parameters.
fn routing_table(strategy: &str) -> toml::Value {
    let mut t = toml::Table::new();
    t.insert("strategy".into(), toml::Value::String(strategy.into()));
    toml::Value::Table(t)
}

/// The arms of `file`: fifo as the base, then one per strategy, each named
/// by its strategy.
fn arms(args: &LeaderboardArgs, file: &Path, names: &[String]) -> Result<Vec<Variant>> {
    let mut ov = overrides(args.seed, args.replications, &[], args.threads)?;
    ov.set.push(("routing".into(), routing_table("fifo")));
    let extra: Vec<RawVariant> = names[1..]
        .iter()
        .map(|n| {
            let mut set = toml::Table::new();
            set.insert("routing".into(), routing_table(n));
            RawVariant {
                name: n.clone(),
                description: None,
                set,
            }
        })
        .collect();
    let (mut arms, _) = compare::load_arms(file, Some(&[]), &ov, &extra).map_err(|e| match e {
        compare::ArmsError::Scenario(e) => anyhow::Error::from(e),
        other => anyhow::Error::from(other),
    })?;
    // The base is fifo: name it so, like every other arm.
    arms[0].name = "fifo".into();
    Ok(arms)
}

/// Every arm's replications, run here.
fn simulate(args: &LeaderboardArgs, arms: &[Variant]) -> Result<Vec<Vec<ReplicationStats>>> {
    let options = RunOptions {
        threads: args.threads,
        ..RunOptions::default()
    };
    Ok(arms
        .iter()
        .map(|a| engine::simulate(&a.scenario, &options))
        .collect::<Result<Vec<_>, _>>()?)
}

/// Shard folder of `file` under a leaderboard's output folder.
fn shard_dir(out: &Path, file: &Path) -> PathBuf {
    out.join(file.file_stem().unwrap_or_default())
}

/// Every arm's replications, from the `compare` shards of `file` in `dirs`:
/// the same checks as `cxsim merge` (each shard once, every pair once, the
/// scenario file and arms unchanged, by fingerprint).
fn merged(dirs: &[PathBuf], file: &Path, arms: &[Variant]) -> Result<Vec<Vec<ReplicationStats>>> {
    let sub: Vec<PathBuf> = dirs.iter().map(|d| shard_dir(d, file)).collect();
    // The shard checks speak of `compare`; say which leaderboard command
    // writes these files (the exit code still comes from the MergeError).
    let hint = || {
        format!(
            "merging the leaderboard shards of {} (each written by `cxsim leaderboard --shard K/N` with the same suite, --strategies, --seed and --replications)",
            file.display()
        )
    };
    let parts = match shard::read_any(&sub).with_context(hint)? {
        Partials::Compare(parts) => parts,
        _ => {
            return Err(BadInput(format!(
                "{}: not the compare shards a leaderboard writes",
                sub[0].display()
            ))
            .into());
        }
    };
    let merged = shard::merge_compare(parts, &sub).with_context(hint)?;
    let names: Vec<&str> = arms.iter().map(|a| a.name.as_str()).collect();
    if merged.variants != names {
        return Err(BadInput(format!(
            "{}: the shards ran strategies {}; this merge asks for {} (pass the same --strategies)",
            file.display(),
            merged.variants.join(","),
            names.join(",")
        ))
        .into());
    }
    let bytes = read_scenario_bytes(file)?;
    merged.into_reps(arms, &bytes, file).with_context(hint)
}

/// Writes the four outputs into `out`, each atomically.
fn write(out: &Path, boards: &[Board]) -> Result<String> {
    report::ensure_dir(out)?;
    let md = leaderboard::leaderboard_md(boards);
    let mut files = vec![
        ("leaderboard.csv", leaderboard::leaderboard_csv(boards)),
        ("leaderboard_classes.csv", leaderboard::classes_csv(boards)),
        ("leaderboard.md", md.clone()),
    ];
    if let Some(chart) = leaderboard::leaderboard_chart(boards) {
        files.push((leaderboard::CHART_FILE_NAME, chart.svg));
    }
    for (name, body) in files {
        let path = out.join(name);
        report::write_atomic(&path, body.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(md)
}

pub(super) fn leaderboard(args: LeaderboardArgs) -> Result<ExitCode> {
    let names = strategies(&args)?;
    let files = suite(&args.suite)?;
    let mut boards = Vec::new();
    let mut pairs = 0;
    for file in &files {
        let objective = objective_of(file)?;
        let arms = arms(&args, file, &names)?;
        if !args.common.quiet {
            eprintln!("leaderboard: {}", file.display());
        }
        let reps = match (args.shard, &args.merge) {
            (Some(shard), _) => {
                let run = ShardRun {
                    file,
                    seed: args.seed,
                    replications: args.replications,
                    threads: args.threads,
                    quiet: args.common.quiet,
                };
                let partial = run.partial(&arms, shard)?;
                pairs += partial.results.len();
                write_partial(&shard_dir(&args.out, file), shard, &partial)?;
                continue;
            }
            (None, Some(dirs)) => merged(dirs, file, &arms)?,
            (None, None) => simulate(&args, &arms)?,
        };
        boards.push(leaderboard::board(&arms, &reps, objective));
    }
    if let Some(shard) = args.shard {
        if !args.common.quiet {
            println!(
                "leaderboard shard {shard}: {pairs} (strategy, replication) pairs over {} scenarios; wrote {}",
                files.len(),
                args.out.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let md = write(&args.out, &boards)?;
    if !args.common.quiet {
        print!("{md}");
    }
    Ok(ExitCode::SUCCESS)
}
