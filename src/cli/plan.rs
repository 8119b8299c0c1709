//! `cxsim plan`: argv and printing only; the planner is `cxsim::planner`.

use super::{BadInput, Common, load_overridden};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::planner::{self, IterationReport, PlanOptions, output, sweep};
use cxsim::report::write_atomic;
use cxsim::scenario::Scenario;
use cxsim::shard::{self, IndexedRow, Kind, Shard, SweepPartial, SweepSettings};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct PlanArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Output folder [default: output/<scenario name>/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Override the scenario's number of replications (per simulation; the
    /// final check runs as many fresh ones).
    #[arg(long)]
    replications: Option<u32>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Most simulation-refinement iterations (0: the analytic staffing only).
    #[arg(long, default_value_t = planner::DEFAULT_MAX_ITERATIONS)]
    max_iterations: u32,
    /// Plan once per value of a scenario key and print FTE, cost and service
    /// level for each: KEY is a dotted path into the TOML file, e.g.
    /// team.voice.proficiency=1.0:1.3:0.1 or simulation.seed=1:5:1.
    #[arg(long, value_name = "KEY=START:END:STEP")]
    sweep: Option<String>,
    /// With --sweep: plan only shard K of N of the values (value i, from 0,
    /// with i % N == K-1) and write <out>/sweep-shard-K-of-N.json for
    /// `cxsim merge`.
    #[arg(long, value_name = "K/N", requires = "sweep")]
    shard: Option<Shard>,
    #[command(flatten)]
    common: Common,
}

fn show_progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

fn observer(report: &IterationReport) {
    let c = &report.counts;
    eprintln!(
        "iteration {}: {:.0} agent-hours; {} missed, {} short; {} raised, {} lowered",
        report.iteration, report.agent_hours, c.missed, c.short, c.raised, c.lowered
    );
}

pub fn plan(args: PlanArgs) -> Result<ExitCode> {
    let scenario = load_overridden(&args.file, args.seed, args.replications, &[], args.threads)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&scenario.name));
    let progress = show_progress(args.common.quiet);
    let options = PlanOptions {
        threads: args.threads,
        max_iterations: args.max_iterations,
        observer: if progress { Some(&observer) } else { None },
    };
    if let Some(spec) = &args.sweep {
        return run_sweep(&args, &scenario, spec, &out, &options);
    }
    let plan = planner::plan(&scenario, &options)?;
    let hiring = cxsim::planner::hiring::hiring_plan(&scenario, &plan);
    // Re-read within the scenario limit (the file may have changed since).
    let input = String::from_utf8(super::read_scenario_bytes(&args.file)?).map_err(|_| {
        BadInput(format!(
            "{}: the file is not UTF-8 text",
            args.file.display()
        ))
    })?;
    let planned = cxsim::planner::planned::planned_toml(&input, &plan)
        .with_context(|| format!("writing planned.toml from {}", args.file.display()))?;
    let written = output::write(&out, &scenario, &plan, &hiring, Some(planned))
        .with_context(|| format!("writing the plan to {}", out.display()))?;
    if args.common.json {
        print!("{}", output::summary_json(&plan));
    } else if !args.common.quiet {
        print!("{}", output::plan_md(&plan));
        println!();
        for path in written {
            println!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_sweep(
    args: &PlanArgs,
    base_scenario: &Scenario,
    spec: &str,
    out: &Path,
    options: &PlanOptions<'_>,
) -> Result<ExitCode> {
    let sweep = sweep::parse(spec).map_err(|e| BadInput(e.to_string()))?;
    let text = String::from_utf8(super::read_scenario_bytes(&args.file)?)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let base = args.file.parent().unwrap_or(Path::new("."));
    let indices: Vec<u32> = match args.shard {
        Some(shard) => shard.replications(sweep.values.len() as u32),
        None => (0..sweep.values.len() as u32).collect(),
    };
    let mut rows = Vec::with_capacity(indices.len());
    for &i in &indices {
        let value = sweep.values[i as usize];
        let edited = sweep::edit(&text, &sweep.key, value, sweep.integer)
            .map_err(|e| BadInput(e.to_string()))?;
        let label = format!("{} ({} = {value})", args.file.display(), sweep.key);
        // Command-line overrides apply, except to the key being swept.
        let seed = args.seed.filter(|_| sweep.key != "simulation.seed");
        let reps = args
            .replications
            .filter(|_| sweep.key != "simulation.replications");
        let overrides = super::overrides(seed, reps, &[], args.threads)?;
        let scenario = Scenario::from_toml_str_with(&edited, &label, base, &overrides)?;
        if show_progress(args.common.quiet) {
            eprintln!("{} = {value}", sweep.key);
        }
        let plan = planner::plan(&scenario, options)?;
        rows.push(sweep::SweepRow::of(value, &plan));
    }
    if let Some(shard) = args.shard {
        return write_sweep_shard(args, base_scenario, &sweep, shard, &indices, rows, out);
    }
    cxsim::report::ensure_dir(out)?;
    let path = out.join("sweep.csv");
    write_atomic(&path, sweep::sweep_csv(&sweep.key, &rows).as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    print_sweep(&sweep.key, &rows, &path, &args.common);
    Ok(ExitCode::SUCCESS)
}

/// Writes `<out>/sweep-shard-K-of-N.json` with this shard's rows.
fn write_sweep_shard(
    args: &PlanArgs,
    base_scenario: &Scenario,
    sweep: &sweep::Sweep,
    shard: Shard,
    indices: &[u32],
    rows: Vec<sweep::SweepRow>,
    out: &Path,
) -> Result<ExitCode> {
    let bytes = super::read_scenario_bytes(&args.file)?;
    let settings = SweepSettings {
        sweep,
        seed: args.seed,
        replications: args.replications,
        max_iterations: args.max_iterations,
    };
    let scenario_path = std::path::absolute(&args.file).unwrap_or_else(|_| args.file.clone());
    let partial = SweepPartial {
        format: shard::SWEEP_FORMAT.into(),
        format_version: shard::SWEEP_FORMAT_VERSION,
        cxsim_version: env!("CARGO_PKG_VERSION").into(),
        fingerprint: shard::sweep_fingerprint(&bytes, base_scenario, settings),
        scenario_path: scenario_path.to_string_lossy().into_owned(),
        scenario_name: base_scenario.name.clone(),
        key: sweep.key.clone(),
        values: sweep.values.clone(),
        integer: sweep.integer,
        seed_override: args.seed,
        replications_override: args.replications,
        max_iterations: args.max_iterations,
        shard: shard.index,
        shards: shard.count,
        rows: indices
            .iter()
            .zip(rows)
            .map(|(&index, row)| IndexedRow { index, row })
            .collect(),
    };
    let path = out.join(Kind::Sweep.file_name(shard));
    cxsim::report::ensure_dir(out)
        .and_then(|()| write_atomic(&path, &partial.to_json()))
        .with_context(|| format!("writing shard results to {}", out.display()))?;
    if args.common.json {
        println!(
            "{}",
            serde_json::json!({
                "shard": shard.index,
                "shards": shard.count,
                "values": indices,
                "fingerprint": partial.fingerprint,
                "file": path.display().to_string(),
            })
        );
    } else if !args.common.quiet {
        println!(
            "sweep shard {shard}: {} of {} values",
            indices.len(),
            sweep.values.len()
        );
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a sweep's rows (JSON or a Markdown table) after `sweep.csv` was
/// written to `path`; `plan --sweep` and `merge` print the same.
pub(super) fn print_sweep(key: &str, rows: &[sweep::SweepRow], path: &Path, common: &Common) {
    if common.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "key": key, "rows": rows }))
                .expect("sweep rows serialise")
        );
    } else if !common.quiet {
        let pct = |x: &planner::Interval| match (x.mean, x.half) {
            (Some(m), Some(h)) => format!("{:.1}% ± {:.1}", 100.0 * m, 100.0 * h),
            (Some(m), None) => format!("{:.1}%", 100.0 * m),
            _ => "–".into(),
        };
        println!("| {key} | FTE | paid hours | cost | service level | abandonment | refinement |");
        println!("|---:|---:|---:|---:|---:|---:|---|");
        for r in rows {
            println!(
                "| {} | {:.1} | {:.0} | {} | {} | {} | {}{} |",
                r.value,
                r.fte,
                r.paid_hours,
                r.cost.map_or("–".into(), |c| format!("{c:.0}")),
                pct(&r.service_level),
                pct(&r.abandon_rate),
                r.termination.label(),
                if r.infeasible > 0 {
                    format!(", {} infeasible", r.infeasible)
                } else {
                    String::new()
                }
            );
        }
        println!("\nwrote {}", path.display());
    }
}
