//! `cxsim plan`: argv and printing only; the planner is `cxsim::planner`.

use super::{BadInput, Common, apply_overrides, load};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::planner::{self, IterationReport, PlanOptions, output, sweep};
use cxsim::report::write_atomic;
use cxsim::scenario::Scenario;
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
    let mut scenario = load(&args.file)?;
    apply_overrides(&mut scenario, args.seed, args.replications, args.threads)?;
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
        return run_sweep(&args, spec, &out, &options);
    }
    let plan = planner::plan(&scenario, &options)?;
    let hiring = cxsim::planner::hiring::hiring_plan(&scenario, &plan);
    let written = output::write(&out, &scenario, &plan, &hiring)
        .with_context(|| format!("writing the plan to {}", out.display()))?;
    if args.common.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&output::summary(&plan)).expect("plan summary serialises")
        );
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
    spec: &str,
    out: &Path,
    options: &PlanOptions<'_>,
) -> Result<ExitCode> {
    let sweep = sweep::parse(spec).map_err(|e| BadInput(e.to_string()))?;
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let base = args.file.parent().unwrap_or(Path::new("."));
    let mut rows = Vec::with_capacity(sweep.values.len());
    for &value in &sweep.values {
        let edited = sweep::edit(&text, &sweep.key, value, sweep.integer)
            .map_err(|e| BadInput(e.to_string()))?;
        let label = format!("{} ({} = {value})", args.file.display(), sweep.key);
        let mut scenario = Scenario::from_toml_str_in(&edited, &label, base)?;
        // Command-line overrides apply, except to the key being swept.
        let seed = args.seed.filter(|_| sweep.key != "simulation.seed");
        let reps = args
            .replications
            .filter(|_| sweep.key != "simulation.replications");
        apply_overrides(&mut scenario, seed, reps, args.threads)?;
        if show_progress(args.common.quiet) {
            eprintln!("{} = {value}", sweep.key);
        }
        let plan = planner::plan(&scenario, options)?;
        rows.push(sweep::SweepRow::of(value, &plan));
    }
    cxsim::report::ensure_dir(out)?;
    let path = out.join("sweep.csv");
    write_atomic(&path, sweep::sweep_csv(&sweep.key, &rows).as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    if args.common.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "key": sweep.key, "rows": rows }))
                .expect("sweep rows serialise")
        );
    } else if !args.common.quiet {
        let pct = |x: &planner::Interval| match (x.mean, x.half) {
            (Some(m), Some(h)) => format!("{:.1}% ± {:.1}", 100.0 * m, 100.0 * h),
            (Some(m), None) => format!("{:.1}%", 100.0 * m),
            _ => "–".into(),
        };
        println!(
            "| {} | FTE | paid hours | cost | service level | abandonment | refinement |",
            sweep.key
        );
        println!("|---:|---:|---:|---:|---:|---:|---|");
        for r in &rows {
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
    Ok(ExitCode::SUCCESS)
}
