//! `cxsim compare`: the base scenario and its `[[variant]]`s on common random
//! numbers. Argv, warnings and printing only; the statistics live in
//! `cxsim::compare`.

use super::{BadInput, Common, apply_overrides, progress_bar, reps_done};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::compare::{self, Arm};
use cxsim::engine::{self, RunOptions};
use cxsim::metrics::Retention;
use cxsim::scenario::{BASE_NAME, Scenario, Variant};
use std::path::PathBuf;
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
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    common: Common,
}

pub(super) fn compare(args: CompareArgs) -> Result<ExitCode> {
    let all = Scenario::load_variants(&args.file)?;
    let mut arms = select(all, args.variants.as_deref())?;
    let (base, variants) = arms.split_first_mut().expect("the base is always loaded");
    apply_overrides(
        &mut base.scenario,
        args.seed,
        args.replications,
        args.threads,
    )?;
    let base_sim = base.scenario.simulation;
    for v in variants.iter_mut() {
        let (sets_seed, sets_reps) = (v.sets("simulation.seed"), v.sets("simulation.replications"));
        let sim = &mut v.scenario.simulation;
        if args.seed.is_none() && sets_seed {
            eprintln!("{}", seed_warning(&v.name, sim.seed, base_sim.seed));
        } else {
            sim.seed = base_sim.seed;
        }
        if args.replications.is_none() && sets_reps {
            eprintln!(
                "{}",
                replications_warning(&v.name, sim.replications, base_sim.replications)
            );
        } else {
            sim.replications = base_sim.replications;
        }
    }
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join(&arms[0].scenario.name));

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
    let bar = progress_bar(args.common.quiet, total, days, &arms[0].scenario.name);
    let mut runs = Vec::with_capacity(arms.len());
    let mut done_before = 0;
    for arm in &arms {
        bar.set_message(arm.name.clone());
        let tick = |done: u32, _total: u32| reps_done(&bar, done_before + u64::from(done), total);
        let day = || bar.inc(1);
        let options = RunOptions {
            threads: args.threads,
            progress: Some(&tick),
            retention: Retention::Auto,
            on_day: Some(&day),
        };
        runs.push(engine::simulate(&arm.scenario, &options)?);
        done_before += u64::from(arm.scenario.simulation.replications);
    }
    bar.finish_and_clear();

    let arm_refs: Vec<Arm<'_>> = arms
        .iter()
        .zip(&runs)
        .map(|(variant, reps)| Arm { variant, reps })
        .collect();
    let comparison = compare::compare(&arm_refs);
    let written = compare::write(&out, &comparison)
        .with_context(|| format!("writing results to {}", out.display()))?;
    if args.common.json {
        print!("{}", compare::compare_json(&comparison));
    } else if !args.common.quiet {
        print!("{}", compare::compare_table(&comparison));
        println!();
        for path in written {
            println!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The base, then the chosen variants in the order asked for (all, in file
/// order, when none are named).
fn select(all: Vec<Variant>, names: Option<&[String]>) -> Result<Vec<Variant>> {
    let Some(names) = names else {
        return Ok(all);
    };
    let known = || {
        all.iter()
            .skip(1)
            .map(|v| format!("{:?}", v.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut chosen = vec![all[0].clone()];
    for name in names.iter().map(|n| n.trim()).filter(|n| *n != BASE_NAME) {
        let Some(v) = all.iter().skip(1).find(|v| v.name == name) else {
            let known = if all.len() > 1 {
                format!("the file's variants are {}", known())
            } else {
                "the file has no [[variant]]".to_string()
            };
            return Err(BadInput(format!("--variants: no variant named {name:?}; {known}")).into());
        };
        if !chosen.iter().any(|c| c.name == v.name) {
            chosen.push(v.clone());
        }
    }
    Ok(chosen)
}

fn seed_warning(name: &str, seed: u64, base_seed: u64) -> String {
    if seed == base_seed {
        format!(
            "warning: variant {name:?} sets simulation.seed; it equals the base's ({base_seed}), \
             and compare gives every variant the base's seed anyway"
        )
    } else {
        format!(
            "warning: variant {name:?} sets simulation.seed = {seed} (base: {base_seed}): its \
             replications do not share random numbers with the base's, so its differences are \
             not paired and their intervals are wide; remove the override (or use --seed) to \
             compare on common random numbers"
        )
    }
}

fn replications_warning(name: &str, reps: u32, base_reps: u32) -> String {
    if reps == base_reps {
        format!(
            "warning: variant {name:?} sets simulation.replications; it equals the base's \
             ({base_reps}), and compare gives every variant the base's count anyway"
        )
    } else {
        format!(
            "warning: variant {name:?} sets simulation.replications = {reps} (base: {base_reps}): \
             differences use the {} replication(s) both ran (use --replications to run the same \
             number everywhere)",
            reps.min(base_reps)
        )
    }
}
