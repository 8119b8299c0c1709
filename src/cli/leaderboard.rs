//! `cxsim leaderboard`: every routing strategy on every scenario of a
//! benchmark suite, on common random numbers, ranked per scenario by the
//! scenario's objective, with paired differences and 95% CIs against `fifo`.
//! Argv, running and writing only: the arms are `compare` arms (one
//! `[routing]` override each, re-validated), the boards are
//! [`cxsim::leaderboard`]'s, and a sharded leaderboard writes one
//! `leaderboard-shard-K-of-N.json` per shard (each scenario's pairs split as
//! `compare --shard` splits them), merged by `cxsim merge` or `--merge` with
//! the checks every shard kind gets.

use super::compare::{ShardRun, write_shard_file};
use super::{BadInput, Common, overrides, read_scenario_bytes};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::compare;
use cxsim::engine::{self, RunOptions};
use cxsim::leaderboard::{self, Board, Objective};
use cxsim::metrics::ReplicationStats;
use cxsim::scenario::{RawVariant, STRATEGIES, Variant, strategy_info};
use cxsim::shard::{
    self, Kind, LeaderboardPartial, LeaderboardSettings, MergeError, Partials, ScenarioPairs, Shard,
};
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
    /// pairs and write <out>/leaderboard-shard-K-of-N.json; build the
    /// leaderboard from all N with `cxsim merge DIR…` or --merge.
    #[arg(long, value_name = "K/N", conflicts_with = "merge")]
    shard: Option<Shard>,
    /// Build the leaderboard from the --out folders of the N shard runs
    /// (comma-separated), run with the same suite, --strategies, --seed and
    /// --replications; the output equals the unsharded leaderboard's
    /// (`cxsim merge DIR… --out OUT` does the same from the shards alone).
    #[arg(long, value_name = "DIRS", value_delimiter = ',')]
    merge: Option<Vec<PathBuf>>,
    #[command(flatten)]
    common: Common,
}

fn objective_of(file: &Path) -> Result<Objective> {
    // Bounded like every scenario read: a suite file may be a FIFO or a device.
    let bytes = super::read_scenario_bytes(file)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| BadInput(format!("{}: the file is not UTF-8 text", file.display())))?;
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
/// by its strategy. `seed` and `replications` are the command's overrides.
fn arms(
    file: &Path,
    names: &[String],
    seed: Option<u64>,
    replications: Option<u32>,
    threads: Option<usize>,
) -> Result<Vec<Variant>> {
    let mut ov = overrides(seed, replications, &[], threads)?;
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
fn simulate(threads: Option<usize>, arms: &[Variant]) -> Result<Vec<Vec<ReplicationStats>>> {
    let options = RunOptions {
        threads,
        ..RunOptions::default()
    };
    Ok(arms
        .iter()
        .map(|a| engine::simulate(&a.scenario, &options))
        .collect::<Result<Vec<_>, _>>()?)
}

/// The settings a shard records, from the command line.
fn settings(args: &LeaderboardArgs, names: &[String]) -> LeaderboardSettings {
    let suite = std::path::absolute(&args.suite).unwrap_or_else(|_| args.suite.clone());
    LeaderboardSettings {
        suite: suite.to_string_lossy().into_owned(),
        strategies: names.to_vec(),
        seed_override: args.seed,
        replications_override: args.replications,
    }
}

fn file_name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Runs shard `shard` of every scenario's pairs and writes
/// `<out>/leaderboard-shard-K-of-N.json`.
fn run_shard(
    args: &LeaderboardArgs,
    names: &[String],
    files: &[PathBuf],
    shard: Shard,
) -> Result<ExitCode> {
    let mut scenarios = Vec::with_capacity(files.len());
    for file in files {
        let arms = arms(file, names, args.seed, args.replications, args.threads)?;
        if !args.common.quiet {
            eprintln!("leaderboard: {}", file.display());
        }
        let run = ShardRun {
            file,
            seed: args.seed,
            replications: args.replications,
            threads: args.threads,
            quiet: args.common.quiet,
        };
        let p = run.partial(&arms, shard)?;
        scenarios.push(ScenarioPairs {
            file: file_name(file),
            fingerprint: p.fingerprint,
            arm_replications: p.arm_replications,
            results: p.results,
        });
    }
    let settings = settings(args, names);
    let fps: Vec<(&str, &str)> = scenarios
        .iter()
        .map(|s| (s.file.as_str(), s.fingerprint.as_str()))
        .collect();
    let partial = LeaderboardPartial {
        format: shard::LEADERBOARD_FORMAT.into(),
        format_version: shard::LEADERBOARD_FORMAT_VERSION,
        cxsim_version: env!("CARGO_PKG_VERSION").into(),
        fingerprint: shard::leaderboard_fingerprint(&settings, &fps),
        settings,
        shard: shard.index,
        shards: shard.count,
        scenarios,
    };
    let path = write_shard_file(&args.out, Kind::Leaderboard, shard, &partial.to_json())?;
    if !args.common.quiet {
        println!(
            "leaderboard shard {shard}: {} (strategy, replication) pairs over {} scenarios; wrote {}",
            partial.pairs(),
            files.len(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads leaderboard shard files from `dirs` (any other kind is refused).
fn read_parts(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, LeaderboardPartial)>> {
    match shard::read_any(dirs)? {
        Partials::Leaderboard(parts) => Ok(parts),
        other => Err(BadInput(format!(
            "{}: {} shard files, not the leaderboard-shard-K-of-N.json files `cxsim leaderboard --shard K/N` writes",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            other.kind()
        ))
        .into()),
    }
}

/// The boards of a complete, checked set of leaderboard shards: re-creates
/// every scenario's arms from `suite` (the recorded folder unless
/// overridden), checks that the files and arms are those the shards ran
/// (file names and fingerprints), and ranks.
fn merged_boards(merged: shard::MergedLeaderboard, suite_dir: &Path) -> Result<Vec<Board>> {
    let files = suite(suite_dir)?;
    let now: Vec<String> = files.iter().map(|f| file_name(f)).collect();
    let ran: Vec<&str> = merged.scenarios.iter().map(|s| s.file.as_str()).collect();
    if now != ran {
        return Err(BadInput(format!(
            "suite folder {}: holds {}; the shards ran {} (merge with the suite the shards ran)",
            suite_dir.display(),
            now.join(", "),
            ran.join(", ")
        ))
        .into());
    }
    let st = &merged.settings;
    let mut boards = Vec::with_capacity(files.len());
    let mut fps = Vec::with_capacity(files.len());
    for (file, sc) in files.iter().zip(merged.scenarios) {
        let arms = arms(
            file,
            &st.strategies,
            st.seed_override,
            st.replications_override,
            None,
        )?;
        let bytes = read_scenario_bytes(file)?;
        let found = shard::compare_fingerprint(&bytes, &arms);
        if found != sc.fingerprint {
            let sim = arms[0].scenario.simulation;
            return Err(MergeError::ScenarioChanged {
                path: file.clone(),
                seed: sim.seed,
                replications: sim.replications,
                expected: sc.fingerprint,
                found,
            }
            .into());
        }
        let reps = arms
            .iter()
            .zip(sc.totals)
            .map(|(arm, reps)| shard::arm_replications(arm, reps))
            .collect::<Result<Vec<_>, _>>()?;
        boards.push(leaderboard::board(&arms, &reps, objective_of(file)?));
        fps.push((sc.file, found));
    }
    // The per-scenario fingerprints are checked; this ties them to the
    // recorded settings (a file edited by hand and re-sealed fails here).
    let pairs: Vec<(&str, &str)> = fps.iter().map(|(f, p)| (f.as_str(), p.as_str())).collect();
    let found = shard::leaderboard_fingerprint(st, &pairs);
    if found != merged.fingerprint {
        return Err(MergeError::Inconsistent {
            path: suite_dir.to_path_buf(),
            detail: format!(
                "the shards' settings give fingerprint {found}, they record {}",
                merged.fingerprint
            ),
        }
        .into());
    }
    Ok(boards)
}

/// Writes the outputs into `out` together (staged, all or nothing; a
/// Ctrl-C before everything is staged writes nothing) and prints the
/// Markdown unless quiet, as the unsharded command always has.
fn write(out: &Path, boards: &[Board], common: &Common) -> Result<ExitCode> {
    leaderboard::write_unless(out, boards, &engine::cancel_requested)
        .with_context(|| format!("writing results to {}", out.display()))?
        .ok_or(engine::EngineError::Interrupted)?;
    if !common.quiet {
        print!("{}", leaderboard::leaderboard_md(boards));
    }
    Ok(ExitCode::SUCCESS)
}

/// `cxsim merge` of leaderboard shards: the boards from the shards' own
/// settings (`suite` overrides the recorded suite folder), written to `out`
/// (default `output/leaderboard`).
pub(super) fn merge(
    parts: Vec<(PathBuf, LeaderboardPartial)>,
    dirs: &[PathBuf],
    out: Option<PathBuf>,
    suite: Option<PathBuf>,
    common: &Common,
) -> Result<ExitCode> {
    let merged = shard::merge_leaderboard(parts, dirs)?;
    let suite = suite.unwrap_or_else(|| PathBuf::from(&merged.settings.suite));
    if !common.quiet && !common.json {
        eprintln!(
            "merging {} leaderboard shards: {} scenarios of {}, strategies {} ({})",
            merged.shards,
            merged.scenarios.len(),
            suite.display(),
            merged.settings.strategies.join(","),
            merged.fingerprint
        );
    }
    let boards = merged_boards(merged, &suite)?;
    let out = out.unwrap_or_else(|| PathBuf::from("output/leaderboard"));
    write(&out, &boards, common)
}

pub(super) fn leaderboard(args: LeaderboardArgs) -> Result<ExitCode> {
    let names = strategies(&args)?;
    let files = suite(&args.suite)?;
    if let Some(shard) = args.shard {
        return run_shard(&args, &names, &files, shard);
    }
    if let Some(dirs) = &args.merge {
        let merged = shard::merge_leaderboard(read_parts(dirs)?, dirs)?;
        // --merge is run with the shards' settings: say which differs.
        let asked = settings(&args, &names);
        let st = &merged.settings;
        for (what, same) in [
            ("suite folder", asked.suite == st.suite),
            ("--strategies", asked.strategies == st.strategies),
            ("--seed", asked.seed_override == st.seed_override),
            (
                "--replications",
                asked.replications_override == st.replications_override,
            ),
        ] {
            if !same {
                return Err(BadInput(format!(
                    "--merge: the shards ran {what} {}; this merge asks for {} (pass the same {what}, or run `cxsim merge` on the shard folders)",
                    describe(st, what),
                    describe(&asked, what)
                ))
                .into());
            }
        }
        let boards = merged_boards(merged, &args.suite)?;
        return write(&args.out, &boards, &args.common);
    }
    let mut boards = Vec::with_capacity(files.len());
    for file in &files {
        let objective = objective_of(file)?;
        let arms = arms(file, &names, args.seed, args.replications, args.threads)?;
        if !args.common.quiet {
            eprintln!("leaderboard: {}", file.display());
        }
        let reps = simulate(args.threads, &arms)?;
        boards.push(leaderboard::board(&arms, &reps, objective));
    }
    write(&args.out, &boards, &args.common)
}

/// One setting of `s`, as the command line spells it.
fn describe(s: &LeaderboardSettings, what: &str) -> String {
    let opt = |x: Option<String>| x.unwrap_or_else(|| "(the scenario's)".into());
    match what {
        "suite folder" => s.suite.clone(),
        "--strategies" => s.strategies.join(","),
        "--seed" => opt(s.seed_override.map(|v| v.to_string())),
        _ => opt(s.replications_override.map(|v| v.to_string())),
    }
}
