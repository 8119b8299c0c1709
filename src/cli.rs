//! Command-line interface: clap definitions and dispatch; no model logic.
//!
//! Exit codes: 0 success, 2 bad input (scenario or arguments), 1 any other failure.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use cxsim::analytic::{self, QueueInput};
use cxsim::engine::{self, RunOptions};
use cxsim::metrics::{ReplicationStats, Retention, summarize};
use cxsim::report;
use cxsim::scenario::{
    DURATION_HELP, Overrides, Scenario, ScenarioError, limits, parse_duration_s,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod compare;
mod forecast;
mod leaderboard;
mod merge;
mod plan;
mod scale;
mod sensitivity;

#[derive(Parser)]
#[command(
    name = "cxsim",
    version,
    about = "Deterministic contact-centre simulator and capacity planner",
    long_about = "Deterministic contact-centre simulator and capacity planner.\n\n\
        Exit codes: 0 success, 1 runtime failure, 2 bad input (scenario file or arguments)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and write summary.json, intervals.csv, agents.csv and summary.md.
    #[command(
        after_help = "Example:\n  cxsim run scenarios/erlang_a.toml --replications 4 --out output/test"
    )]
    Run(RunArgs),
    /// Check a scenario file and explain every problem found.
    #[command(after_help = "Example:\n  cxsim validate scenarios/erlang_a.toml")]
    Validate(ValidateArgs),
    /// Erlang B, C and A (M/M/c+M) figures and staffing.
    #[command(
        after_help = "Examples:\n  cxsim erlang --model a --rate-per-hour 360 --aht 3m --patience 3m --agents 20 --within 20s\n  cxsim erlang --model c --rate-per-hour 360 --aht 3m --within 20s --target-sl 0.8 --json"
    )]
    Erlang(ErlangArgs),
    /// Merge the shard files of a sharded run, compare, plan --sweep or
    /// sensitivity into the outputs the unsharded command writes.
    #[command(
        after_help = "Examples:\n  cxsim run s.toml --shard 1/2 --out part1\n  cxsim run s.toml --shard 2/2 --out part2\n  cxsim merge part1 part2 --out output/s\n\n  cxsim compare v.toml --shard 1/2 --out parts   # and --shard 2/2\n  cxsim merge parts --out output/cmp\n\n  cxsim plan s.toml --sweep team.voice.proficiency=0.9:1.2:0.1 --shard 1/2 --out parts   # and 2/2\n  cxsim merge parts --out output/sweep\n\n  cxsim sensitivity v.toml --equal-service --shard 1/2 --out parts   # and 2/2\n  cxsim merge parts --out output/sens"
    )]
    Merge(merge::MergeArgs),
    /// Staffing per interval and team to meet [targets], then shift rosters;
    /// writes plan.csv, roster.csv and plan.md.
    #[command(
        after_help = "Examples:\n  cxsim plan scenarios/metro_tier2_week.toml\n  cxsim plan scenarios/metro_tier2_week.toml --sweep team.voice.proficiency=0.9:1.2:0.1\n  cxsim plan scenarios/metro_tier2_week.toml --sweep team.voice.proficiency=0.9:1.2:0.1 --shard 1/2 --out parts"
    )]
    Plan(plan::PlanArgs),
    /// Measure simulation speed (contacts and events per second); writes no files.
    #[command(after_help = "Example:\n  cxsim bench scenarios/metro_tier2_week.toml --threads 2")]
    Bench(scale::BenchArgs),
    /// Run the base scenario and its [[variant]]s on common random numbers and
    /// report every KPI with its paired difference to the base.
    #[command(
        after_help = "Examples:\n  cxsim compare scenarios/staffing_variants.toml --variants more-voice-agents --out output/cmp\n  cxsim compare scenarios/staffing_variants.toml --shard 1/2 --out parts   # then 2/2, then cxsim merge parts"
    )]
    Compare(compare::CompareArgs),
    /// Put the labelled conventions on trial: each at the low and high end of
    /// its range, one at a time, and how much the headline moves (tornado).
    #[command(
        after_help = "Examples:\n  cxsim sensitivity scenarios/bolt_on_vs_ai_native.toml --versus bolt-on-bot --kpi fte\n  cxsim sensitivity scenarios/hybrid_metro_tier2.toml --kpi service_level --only voice_patience,recontact --range voice_patience=90:360"
    )]
    Sensitivity(sensitivity::SensitivityArgs),
    /// Every routing strategy on every benchmark scenario (common random
    /// numbers), ranked by each scenario's objective with paired differences
    /// against fifo; writes leaderboard.csv and leaderboard.md.
    #[command(
        after_help = "Example:\n  cxsim leaderboard scenarios/bench --strategies cmu,threshold,fastest_server_first --replications 5"
    )]
    Leaderboard(leaderboard::LeaderboardArgs),
    /// Forecast interval volumes from a history CSV (trace format); writes
    /// forecast.csv (a trace with lo/hi), backtest.csv, forecast.md,
    /// forecast.toml and a chart per series.
    #[command(
        after_help = "Example:\n  cxsim forecast history.csv --horizon 7d --special-days holidays.csv --out output/forecast"
    )]
    Forecast(forecast::ForecastArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Example:\n  cxsim completions bash > ~/.local/share/bash-completion/completions/cxsim"
    )]
    Completions {
        /// Target shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) generated from these definitions.
    #[command(after_help = "Example:\n  cxsim man > cxsim.1 && man ./cxsim.1")]
    Man,
}

#[derive(Args)]
struct Common {
    /// Print a machine-readable summary on stdout.
    #[arg(long)]
    json: bool,
    /// No progress output on stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct RunArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Output folder [default: output/<scenario name>/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Override the scenario's number of replications.
    #[arg(long)]
    replications: Option<u32>,
    /// Set a scenario key before validation, as a `[[variant]]` would
    /// (repeatable): `--set team.voice.agents=66 --set channel.voice.patience.mean=4m`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Run only shard K of N (replications r with r % N == K-1) and write
    /// <out>/shard-K-of-N.json for `cxsim merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<cxsim::shard::Shard>,
    /// Also write trace.csv: one row per step of each contact's journey
    /// (docs/OUTPUTS.md). Rows stream to a temporary file while running.
    #[arg(long, conflicts_with = "shard")]
    trace: bool,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct ValidateArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, ValueEnum)]
enum Model {
    /// Erlang B: blocked contacts are lost.
    B,
    /// Erlang C: M/M/c, infinite patience.
    C,
    /// Erlang A: M/M/c+M, exponential patience.
    A,
}

#[derive(Args)]
struct ErlangArgs {
    /// Queueing model.
    #[arg(long, value_enum)]
    model: Model,
    /// Arrivals per hour.
    #[arg(long)]
    rate_per_hour: f64,
    /// Mean handle time, e.g. 3m or 180s.
    #[arg(long)]
    aht: String,
    /// Mean patience (Erlang A), e.g. 3m.
    #[arg(long)]
    patience: Option<String>,
    /// Agents on duty.
    #[arg(long, required_unless_present_any = ["target_sl", "target_abandon"])]
    agents: Option<u32>,
    /// Service-level threshold, e.g. 20s.
    #[arg(long, default_value = "20s")]
    within: String,
    /// Find the fewest agents with service level at least this fraction.
    #[arg(long, conflicts_with_all = ["agents", "target_abandon"])]
    target_sl: Option<f64>,
    /// Find the fewest agents with abandonment (blocking for Erlang B) at most this fraction.
    #[arg(long, conflicts_with = "agents")]
    target_abandon: Option<f64>,
    /// Print JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// Bad input: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadInput(String);

/// Maps an error to the documented exit code.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if matches!(
        err.downcast_ref::<cxsim::engine::EngineError>(),
        Some(cxsim::engine::EngineError::Interrupted)
    ) {
        // The shell convention for a run ended by SIGINT.
        return 130;
    }
    if err.downcast_ref::<ScenarioError>().is_some()
        || err.downcast_ref::<BadInput>().is_some()
        || err.downcast_ref::<cxsim::shard::MergeError>().is_some()
    {
        2
    } else {
        1
    }
}

/// Parses argv and runs the chosen command.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    // Ctrl-C stops runs cleanly: replications stop at their next check and
    // nothing is written, so the output folder keeps its previous complete files.
    // (Failing to install the handler only loses that nicety.)
    let _ = ctrlc::set_handler(cxsim::engine::request_cancel);
    match cli.command {
        Command::Run(args) => run_scenario(args),
        Command::Validate(args) => validate(args),
        Command::Erlang(args) => erlang(args),
        Command::Merge(args) => merge::merge(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "cxsim", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .context("writing the man page")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => scale::bench(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Leaderboard(args) => leaderboard::leaderboard(args),
        Command::Plan(args) => plan::plan(args),
        Command::Forecast(args) => forecast::forecast(args),
    }
}

/// A progress bar on stderr counting `total_days` simulated days (over all
/// replications; see [`engine::days_per_replication`]), with replications
/// done in its prefix (set it with [`reps_done`]). Hidden with `--quiet` or
/// when stderr is not a terminal.
fn progress_bar(quiet: bool, replications: u64, total_days: u64, what: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{msg} [{bar:20}] {human_pos}/{human_len} sim. days, {prefix} reps, ETA {eta}",
    )
    .expect("static template")
    .progress_chars("=> ");
    // Configured while hidden, so that nothing is drawn half set up.
    let bar = ProgressBar::with_draw_target(Some(total_days), ProgressDrawTarget::hidden())
        .with_style(style)
        .with_prefix(format!("0/{replications}"))
        .with_message(what.to_string());
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}

/// Shows `done` of `total` replications in `bar`'s prefix.
fn reps_done(bar: &ProgressBar, done: u64, total: u64) {
    bar.set_prefix(format!("{done}/{total}"));
}

/// Reads a file named on the command line, at most `limit` bytes (see
/// [`cxsim::input`]): more is bad input (exit 2), an I/O failure exit 1.
fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>> {
    cxsim::input::read_bounded(path, limit).map_err(|e| match e {
        cxsim::input::ReadError::TooLarge { .. } => {
            BadInput(format!("{}: {e}", path.display())).into()
        }
        cxsim::input::ReadError::Io(source) => {
            anyhow::Error::from(source).context(format!("reading {}", path.display()))
        }
    })
}

/// Reads a scenario file's bytes (for fingerprints) within the scenario limit.
fn read_scenario_bytes(path: &Path) -> Result<Vec<u8>> {
    read_input(path, limits::MAX_FILE_BYTES)
}

/// The command-line overrides (`--seed`, `--replications`, `--set`), to be
/// applied to the scenario's TOML before validation; checks `--threads`.
fn overrides(
    seed: Option<u64>,
    replications: Option<u32>,
    set: &[String],
    threads: Option<usize>,
) -> Result<Overrides> {
    if let Some(t) = threads.filter(|t| !(1..=limits::MAX_THREADS).contains(t)) {
        return Err(BadInput(format!(
            "--threads {t}: allowed 1 to {}",
            limits::MAX_THREADS
        ))
        .into());
    }
    let set = set
        .iter()
        .map(|arg| Overrides::parse_set(arg).map_err(BadInput))
        .collect::<Result<Vec<_>, _>>()?;
    let overrides = Overrides {
        set,
        seed,
        replications,
    };
    // Range errors of --seed and --replications are the user's, not the file's.
    overrides.pinned_check().map_err(BadInput)?;
    Ok(overrides)
}

/// Loads a scenario with the command-line overrides applied before validation.
fn load_overridden(
    file: &Path,
    seed: Option<u64>,
    replications: Option<u32>,
    set: &[String],
    threads: Option<usize>,
) -> Result<Scenario> {
    let overrides = overrides(seed, replications, set, threads)?;
    Ok(Scenario::load_with(file, &overrides)?)
}

/// `--set` with `--shard` would need `cxsim merge` to repeat it; refused
/// rather than merged wrongly.
fn no_set_with_shard(set: &[String], shard: bool) -> Result<()> {
    if shard && !set.is_empty() {
        return Err(BadInput(
            "--set cannot be combined with --shard (the merge re-reads the file and would not \
             know it): write the change into the scenario file, or a [[variant]]"
                .into(),
        )
        .into());
    }
    Ok(())
}

fn run_scenario(args: RunArgs) -> Result<ExitCode> {
    no_set_with_shard(&args.set, args.shard.is_some())?;
    let scenario = load_overridden(
        &args.file,
        args.seed,
        args.replications,
        &args.set,
        args.threads,
    )?;
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join(&scenario.name));
    if let Some(shard) = args.shard {
        return scale::run_shard(
            &args.file,
            &scenario,
            shard,
            &out,
            args.threads,
            &args.common,
        );
    }
    let reps = u64::from(scenario.simulation.replications);
    let bar = progress_bar(
        args.common.quiet,
        reps,
        reps * engine::days_per_replication(&scenario),
        &scenario.name,
    );
    let tick = |done: u32, total: u32| reps_done(&bar, u64::from(done), u64::from(total));
    let day = || bar.inc(1);
    let options = RunOptions {
        threads: args.threads,
        progress: Some(&tick),
        retention: Retention::Auto,
        on_day: Some(&day),
    };
    if !args.trace {
        let reps = engine::simulate(&scenario, &options)?;
        bar.finish_and_clear();
        return write_outputs(&out, &scenario, &reps, &args.common);
    }
    let runs = engine::simulate_traced(&scenario, &options, &|_| tempfile::tempfile())?;
    bar.finish_and_clear();
    let (reps, files): (Vec<_>, Vec<_>) = runs.into_iter().unzip();
    let trace = report::write_trace(&out, engine::TRACE_HEADER, files)
        .with_context(|| format!("writing the trace to {}", out.display()))?;
    let code = write_outputs(&out, &scenario, &reps, &args.common)?;
    if !args.common.quiet && !args.common.json {
        println!("wrote {}", trace.display());
    }
    Ok(code)
}

/// Reduces replications, writes every run output into `out`, and prints the
/// summary; shared by `run` and `merge` so that both write the same bytes.
fn write_outputs(
    out: &Path,
    scenario: &Scenario,
    reps: &[ReplicationStats],
    common: &Common,
) -> Result<ExitCode> {
    let summary = summarize(scenario, reps);
    // A Ctrl-C up to the moment every file is staged leaves the output folder
    // as it was (exit 130); after it, the outputs are complete (exit 0).
    let written =
        report::write_run_unless(out, scenario, &summary, reps, &engine::cancel_requested)
            .with_context(|| format!("writing results to {}", out.display()))?
            .ok_or(engine::EngineError::Interrupted)?;
    if common.json {
        print!("{}", report::summary_json(&summary));
    } else if !common.quiet {
        print!("{}", report::summary_md(scenario, &summary));
        println!();
        for path in written {
            println!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(args: ValidateArgs) -> Result<ExitCode> {
    // Every [[variant]] is validated too; all problems are reported together.
    let variants = Scenario::load_variants(&args.file)?;
    let scenario = &variants[0].scenario;
    let names: Vec<&str> = variants[1..].iter().map(|v| v.name.as_str()).collect();
    if args.common.json {
        println!(
            "{}",
            serde_json::json!({ "file": args.file.display().to_string(), "valid": true, "name": scenario.name, "variants": names })
        );
    } else {
        println!(
            "{}: valid scenario {:?}: {} channel(s), {} region(s), {} arrival source(s), {} intent(s), {} team(s)",
            args.file.display(),
            scenario.name,
            scenario.channels.len(),
            scenario.regions.len(),
            scenario.sources.len(),
            scenario.intents.len(),
            scenario.teams.len()
        );
        if !names.is_empty() {
            println!("{} valid variant(s): {}", names.len(), names.join(", "));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn duration_arg(flag: &str, text: &str) -> Result<f64> {
    parse_duration_s(text)
        .ok_or_else(|| BadInput(format!("--{flag} {text:?}: expected {DURATION_HELP}")).into())
}

fn erlang(args: ErlangArgs) -> Result<ExitCode> {
    let aht_s = duration_arg("aht", &args.aht)?;
    let within_s = duration_arg("within", &args.within)?;
    let patience_mean_s = match (&args.patience, args.model) {
        (Some(p), Model::A) => Some(duration_arg("patience", p)?),
        (None, Model::A) => {
            return Err(
                BadInput("--model a needs --patience (mean patience, e.g. 3m)".into()).into(),
            );
        }
        (Some(_), _) => {
            return Err(BadInput("--patience applies only to --model a".into()).into());
        }
        (None, _) => None,
    };
    if let Some(n) = args.agents.filter(|&n| n > limits::MAX_AGENTS_PER_TEAM) {
        return Err(BadInput(format!(
            "--agents {n}: allowed 0 to {}",
            limits::MAX_AGENTS_PER_TEAM
        ))
        .into());
    }
    let mut input = QueueInput {
        arrival_rate_per_s: args.rate_per_hour / 3600.0,
        aht_s,
        agents: args.agents.unwrap_or(1),
        patience_mean_s,
        within_s,
    };
    let bad = |e: analytic::AnalyticError| anyhow::Error::from(BadInput(e.to_string()));
    let mut out = serde_json::Map::new();
    let max_agents = limits::MAX_AGENTS_PER_TEAM;
    let searched = match (args.target_sl, args.target_abandon, args.model) {
        (Some(t), _, _) | (_, Some(t), _) if !(0.0..=1.0).contains(&t) => {
            return Err(BadInput(format!("target {t}: allowed a fraction between 0 and 1")).into());
        }
        (Some(_), _, Model::B) => {
            return Err(BadInput(
                "--model b has no waiting: use --target-abandon for the blocking target".into(),
            )
            .into());
        }
        (Some(t), _, _) => {
            Some(analytic::agents_for_service_level(&input, t, max_agents).map_err(bad)?)
        }
        (_, Some(t), Model::B) => Some(erlang_b_agents(&input, t, max_agents)),
        (_, Some(t), _) => {
            Some(analytic::agents_for_abandon_rate(&input, t, max_agents).map_err(bad)?)
        }
        _ => None,
    };
    if let Some(found) = searched {
        match found {
            Some(n) => input.agents = n,
            None => {
                return Err(BadInput(format!(
                    "no staffing up to {max_agents} agents meets the target"
                ))
                .into());
            }
        }
        out.insert("agents".into(), input.agents.into());
    }
    let load = input.arrival_rate_per_s * input.aht_s;
    out.insert("offered_load_erlangs".into(), load.into());
    match args.model {
        Model::B => {
            if !(load.is_finite() && load > 0.0) {
                return Err(
                    BadInput(format!("offered load {load}: rate and AHT must be > 0")).into(),
                );
            }
            let blocking = analytic::erlang_b(load, input.agents);
            out.insert("blocking".into(), blocking.into());
            out.insert(
                "occupancy".into(),
                (load * (1.0 - blocking) / f64::from(input.agents)).into(),
            );
        }
        Model::C | Model::A => {
            let m = analytic::evaluate(&input).map_err(bad)?;
            out.insert("service_level".into(), m.service_level.into());
            out.insert("asa_s".into(), m.asa_s.into());
            out.insert("p_wait".into(), m.p_wait.into());
            out.insert("abandon_rate".into(), m.abandon_rate.into());
            out.insert("occupancy".into(), m.occupancy.into());
        }
    }
    if args.json {
        println!("{}", serde_json::Value::Object(out));
    } else {
        for (k, v) in &out {
            println!("{k:>22}  {v}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn erlang_b_agents(input: &QueueInput, target: f64, max_agents: u32) -> Option<u32> {
    let load = input.arrival_rate_per_s * input.aht_s;
    (1..=max_agents).find(|&n| analytic::erlang_b(load, n) <= target)
}
