//! `cxsim sensitivity`: each labelled convention at the low and high end of
//! its range, one at a time, on common random numbers; with
//! `--equal-service` every run planned to the file's targets first; with
//! `--shard K/N` only some of the runs, for `cxsim merge`. Argv, progress
//! and printing only; the analysis lives in `cxsim::sensitivity`, the shard
//! files in `cxsim::shard`.

use super::{BadInput, Common, no_set_with_shard, overrides};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::compare::equal::{self, ArmPlan};
use cxsim::compare::{self, ArmsError, Scope};
use cxsim::metrics::ReplicationStats;
use cxsim::planner::{PlanOptions, Termination};
use cxsim::report;
use cxsim::scenario::{Scenario, Variant};
use cxsim::sensitivity::{self, Run, Trial};
use cxsim::shard::{self, ArmRun, Kind, SensitivityPartial, SensitivitySettings, Shard};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub(super) struct SensitivityArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Headline KPI [default: fte with --equal-service, else cost_per_resolved
    /// with [costs], else service_level].
    #[arg(long)]
    kpi: Option<String>,
    /// Scope of the KPI: `overall` or `channel:<name>`.
    #[arg(long, default_value = "overall")]
    scope: String,
    /// Measure the difference `KPI(variant) − KPI(base)` of this
    /// `[[variant]]`, with each convention set in both arms.
    #[arg(long, value_name = "VARIANT")]
    versus: Option<String>,
    /// Only these conventions, comma-separated [default: all that apply].
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    only: Option<Vec<String>>,
    /// Replace a convention's range (repeatable): `--range voice_patience=90:360`.
    #[arg(long = "range", value_name = "NAME=LOW:HIGH")]
    ranges: Vec<String>,
    /// Output folder for sensitivity.csv, .json, .md and charts/tornado.svg
    /// [default: output/<scenario name>/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed for every run.
    #[arg(long)]
    seed: Option<u64>,
    /// Replications for every run.
    #[arg(long)]
    replications: Option<u32>,
    /// Set a key of the base before validation (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Plan every run (nominal, and each convention at its low and high end)
    /// to the file's [targets] before measuring it, so the headline is what
    /// equal service takes (FTE by default; with --versus the difference
    /// between the arms at equal service). Measured on seeds the planner did
    /// not see. A file reported by the day or over more than two weeks is
    /// planned on one week of 30-minute intervals.
    #[arg(long)]
    equal_service: bool,
    /// Run only shard K of N of the runs (run i, in the analysis's order,
    /// with i % N == K-1) and write <out>/sensitivity-shard-K-of-N.json for
    /// `cxsim merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    #[command(flatten)]
    common: Common,
}

fn scope(text: &str) -> Result<Scope, BadInput> {
    match text.strip_prefix("channel:") {
        Some(name) if !name.is_empty() => Ok(Scope::Channel(name.to_string())),
        _ if text == "overall" => Ok(Scope::Overall),
        _ => Err(BadInput(format!(
            "--scope {text:?}: allowed \"overall\" or \"channel:<name>\""
        ))),
    }
}

/// What the analysis measures and the arms it runs, before any run.
struct Prepared {
    scope: Scope,
    trials: Vec<Trial>,
    kpi: String,
    /// The base's TOML (in the planning window at equal service): planned
    /// arms are written from it.
    document: toml::Table,
    /// Base, versus, then each convention's arms (`sensitivity::variants`).
    arms: Vec<Variant>,
}

fn load(
    args: &SensitivityArgs,
    set: &[String],
    extra: &[cxsim::scenario::RawVariant],
) -> Result<Vec<Variant>> {
    let overrides = overrides(args.seed, args.replications, set, args.threads)?;
    let names: Vec<String> = args.versus.iter().cloned().collect();
    match compare::load_arms(&args.file, Some(&names), &overrides, extra) {
        Ok((arms, warnings)) => {
            for w in warnings.iter().filter(|w| !w.contains(sensitivity::PREFIX)) {
                eprintln!("{w}");
            }
            Ok(arms)
        }
        Err(ArmsError::Scenario(e)) => Err(e.into()),
        Err(e @ ArmsError::UnknownVariant { .. }) => {
            Err(BadInput(e.to_string().replace("--variants", "--versus")).into())
        }
    }
}

/// Checks the arguments and builds every arm; nothing is run or planned.
fn prepare(args: &SensitivityArgs) -> Result<Prepared> {
    let scope = scope(&args.scope)?;
    let ranges = args
        .ranges
        .iter()
        .map(|r| sensitivity::parse_range(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(BadInput)?;
    let trials = sensitivity::trials(args.only.as_deref(), &ranges).map_err(BadInput)?;
    let mut nominal = load(args, &args.set, &[])?;
    let mut set = args.set.clone();
    if args.equal_service {
        let sim = nominal[0].scenario.simulation;
        if let Some(planning) = equal::planning_set(&sim, &args.set) {
            if !args.common.quiet {
                eprintln!("{}", super::compare::planning_note(&sim));
            }
            set = planning;
            nominal = load(args, &set, &[])?;
        }
    }
    let overrides = overrides(args.seed, args.replications, &set, args.threads)?;
    let document = Scenario::load_document(&args.file, &overrides)?;
    if args.equal_service {
        equal::check_targets(&nominal[0].scenario).map_err(BadInput)?;
    }
    let extra = sensitivity::variants(&document, &nominal[0], nominal.get(1), &trials);
    // Every arm is validated before any is run: a range outside a
    // parameter's domain stops here, naming the key and what is allowed.
    let arms = load(args, &set, &extra)?;
    let kpi = args
        .kpi
        .clone()
        .unwrap_or_else(|| sensitivity::default_kpi(&arms[0], args.equal_service).to_string());
    // Checked before the runs, which may take minutes.
    let priced = arms[0].scenario.costs.priced;
    let allowed = compare::kpi::names(priced, &scope);
    if !allowed.contains(&kpi.as_str()) {
        return Err(BadInput(format!(
            "--kpi {kpi}: allowed in scope {}: {}{}",
            scope.label(),
            allowed.join(", "),
            if priced {
                ""
            } else {
                " (fte, paid hours and the cost figures need a [costs] table)"
            }
        ))
        .into());
    }
    Ok(Prepared {
        scope,
        trials,
        kpi,
        document,
        arms,
    })
}

/// An arm as measured (planned first at equal service), with the planned
/// TOML and what the plan gave.
type Measured = (Variant, Option<(String, ArmPlan)>);

/// Plans the arms `indices` at equal service (each with its own seed; the
/// planner is deterministic), or returns them as they are.
fn plan_all(args: &SensitivityArgs, p: &Prepared, indices: &[usize]) -> Result<Vec<Measured>> {
    let options = PlanOptions {
        threads: args.threads,
        ..PlanOptions::default()
    };
    let base_dir = args.file.parent().unwrap_or(Path::new("."));
    let file = args.file.display().to_string();
    indices
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let arm = &p.arms[i];
            if !args.equal_service {
                return Ok((arm.clone(), None));
            }
            if !args.common.quiet {
                eprintln!("planning {}/{}: {}", n + 1, indices.len(), arm.name);
            }
            let (text, plan) = equal::plan_arm(arm, &p.document, &options)?;
            let planned = equal::planned_variant(arm, &text, &file, base_dir)?;
            Ok((planned, Some((text, plan))))
        })
        .collect()
}

fn simulate(arms: &[Variant], args: &SensitivityArgs) -> Result<Vec<Vec<ReplicationStats>>> {
    if arms.is_empty() {
        return Ok(Vec::new());
    }
    super::compare::simulate_arms(arms, args.threads, args.common.quiet)
}

pub(super) fn sensitivity(args: SensitivityArgs) -> Result<ExitCode> {
    no_set_with_shard(&args.set, args.shard.is_some())?;
    let prepared = prepare(&args)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&prepared.arms[0].scenario.name));
    if let Some(shard) = args.shard {
        return run_shard(&args, &prepared, shard, &out);
    }
    let all: Vec<usize> = (0..prepared.arms.len()).collect();
    let (arms, plans): (Vec<Variant>, Vec<_>) =
        plan_all(&args, &prepared, &all)?.into_iter().unzip();
    let plans: Vec<ArmPlan> = plans.into_iter().flatten().map(|(_, p)| p).collect();
    let results = simulate(&arms, &args)?;
    finish(&prepared, &arms, &results, &plans, &args, &out)
}

/// Analyses the measured arms, writes the outputs and prints them.
fn finish(
    p: &Prepared,
    arms: &[Variant],
    results: &[Vec<ReplicationStats>],
    plans: &[ArmPlan],
    args: &SensitivityArgs,
    out: &Path,
) -> Result<ExitCode> {
    for plan in plans.iter().filter(|p| p.termination != Termination::Met) {
        eprintln!(
            "warning: arm {:?}: its plan ended {}: its figures are not at equal service \
             (see not_met in sensitivity.json)",
            plan.arm,
            plan.termination.label()
        );
    }
    let runs: Vec<Run<'_>> = arms
        .iter()
        .zip(results)
        .map(|(variant, reps)| Run { variant, reps })
        .collect();
    let result = sensitivity::analyse(
        &runs,
        &p.trials,
        &p.kpi,
        &p.scope,
        args.versus.as_deref(),
        plans,
    )
    .map_err(|e| BadInput(e.to_string()))?;
    let written = sensitivity::write(out, &result)
        .with_context(|| format!("writing results to {}", out.display()))?;
    if args.common.json {
        print!("{}", sensitivity::sensitivity_json(&result));
    } else if !args.common.quiet {
        print!("{}", sensitivity::sensitivity_md(&result));
        println!();
        for path in written {
            println!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn settings(args: &SensitivityArgs) -> SensitivitySettings {
    SensitivitySettings {
        kpi: args.kpi.clone(),
        scope: args.scope.clone(),
        versus: args.versus.clone(),
        only: args.only.clone(),
        ranges: args.ranges.clone(),
        seed_override: args.seed,
        replications_override: args.replications,
        equal_service: args.equal_service,
    }
}

/// Runs this shard's arms (planned first at equal service) and writes
/// `<out>/sensitivity-shard-K-of-N.json`.
fn run_shard(args: &SensitivityArgs, p: &Prepared, shard: Shard, out: &Path) -> Result<ExitCode> {
    let bytes = super::read_scenario_bytes(&args.file)?;
    let indices = shard::shard_arms(shard, p.arms.len());
    let measured = plan_all(args, p, &indices)?;
    let arms: Vec<Variant> = measured.iter().map(|(a, _)| a.clone()).collect();
    let results = simulate(&arms, args)?;
    let settings = settings(args);
    let scenario_path = std::path::absolute(&args.file).unwrap_or_else(|_| args.file.clone());
    let partial = SensitivityPartial {
        format: shard::SENSITIVITY_FORMAT.into(),
        format_version: shard::SENSITIVITY_FORMAT_VERSION,
        cxsim_version: env!("CARGO_PKG_VERSION").into(),
        fingerprint: shard::sensitivity_fingerprint(&bytes, &p.arms, &settings),
        scenario_path: scenario_path.to_string_lossy().into_owned(),
        scenario_name: p.arms[0].scenario.name.clone(),
        settings,
        arms: p.arms.iter().map(|a| a.name.clone()).collect(),
        shard: shard.index,
        shards: shard.count,
        results: indices
            .iter()
            .zip(measured)
            .zip(results)
            .map(|((&i, (_, plan)), reps)| {
                let (planned_toml, plan) = plan.map_or((None, None), |(t, p)| (Some(t), Some(p)));
                ArmRun {
                    arm: i as u32,
                    planned_toml,
                    plan,
                    totals: reps.into_iter().map(|s| s.totals).collect(),
                }
            })
            .collect(),
    };
    let path = out.join(Kind::Sensitivity.file_name(shard));
    // Staged, then committed unless Ctrl-C came first (exit 130, nothing written).
    let mut stage = report::Staging::default();
    stage
        .dir(out)
        .and_then(|()| stage.file(&path, &partial.to_json()))
        .with_context(|| format!("writing shard results to {}", out.display()))?;
    if cxsim::engine::cancel_requested() {
        return Err(cxsim::engine::EngineError::Interrupted.into());
    }
    stage
        .commit()
        .with_context(|| format!("writing shard results to {}", out.display()))?;
    if args.common.json {
        println!(
            "{}",
            serde_json::json!({
                "shard": shard.index,
                "shards": shard.count,
                "arms": indices.iter().map(|&i| &p.arms[i].name).collect::<Vec<_>>(),
                "fingerprint": partial.fingerprint,
                "file": path.display().to_string(),
            })
        );
    } else if !args.common.quiet {
        println!(
            "sensitivity shard {shard}: {} of {} runs",
            indices.len(),
            p.arms.len()
        );
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `cxsim merge` of sensitivity shards: re-creates the arms from the
/// scenario and the recorded settings, checks they are the ones the shards
/// ran, and writes what the unsharded command writes.
pub(super) fn merge(
    parts: Vec<(PathBuf, SensitivityPartial)>,
    dirs: &[PathBuf],
    out: Option<PathBuf>,
    scenario: Option<PathBuf>,
    common: &Common,
) -> Result<ExitCode> {
    let merged = shard::merge_sensitivity(parts, dirs)?;
    let path = scenario.unwrap_or_else(|| merged.scenario_path.clone());
    let st = merged.settings.clone();
    let args = SensitivityArgs {
        file: path.clone(),
        kpi: st.kpi.clone(),
        scope: st.scope.clone(),
        versus: st.versus.clone(),
        only: st.only.clone(),
        ranges: st.ranges.clone(),
        out,
        seed: st.seed_override,
        replications: st.replications_override,
        set: Vec::new(),
        threads: None,
        equal_service: st.equal_service,
        shard: None,
        // The shards printed the notes and warnings; the merge prints results.
        common: Common {
            json: common.json,
            quiet: true,
        },
    };
    let prepared = prepare(&args)?;
    let bytes = super::read_scenario_bytes(&path)?;
    let found = shard::sensitivity_fingerprint(&bytes, &prepared.arms, &st);
    if found != merged.fingerprint {
        let sim = prepared.arms[0].scenario.simulation;
        return Err(shard::MergeError::ScenarioChanged {
            path: path.clone(),
            seed: sim.seed,
            replications: sim.replications,
            expected: merged.fingerprint,
            found,
        }
        .into());
    }
    if !common.quiet && !common.json {
        eprintln!(
            "merging {} sensitivity shards: {} runs of {} ({})",
            merged.shards,
            merged.arms.len(),
            path.display(),
            merged.fingerprint
        );
    }
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let file = path.display().to_string();
    let (mut arms, mut results, mut plans) = (Vec::new(), Vec::new(), Vec::new());
    for (arm, run) in prepared.arms.iter().zip(merged.runs) {
        let measured = match &run.planned_toml {
            Some(text) => equal::planned_variant(arm, text, &file, base_dir)?,
            None => arm.clone(),
        };
        let expected = measured.scenario.simulation.replications as usize;
        if run.totals.len() != expected {
            return Err(shard::MergeError::Inconsistent {
                path: path.clone(),
                detail: format!(
                    "arm {:?}: {} replication(s) in the shards, {expected} in the scenario",
                    arm.name,
                    run.totals.len()
                ),
            }
            .into());
        }
        results.push(shard::arm_replications(
            &measured,
            run.totals.into_iter().map(|t| (t, Vec::new())).collect(),
        )?);
        plans.extend(run.plan);
        arms.push(measured);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&prepared.arms[0].scenario.name));
    let args = SensitivityArgs {
        common: Common {
            json: common.json,
            quiet: common.quiet,
        },
        ..args
    };
    finish(&prepared, &arms, &results, &plans, &args, &out)
}
