//! `cxsim sensitivity`: each labelled convention at the low and high end of
//! its range, one at a time, on common random numbers. Argv, progress and
//! printing only; the analysis lives in `cxsim::sensitivity`.

use super::{BadInput, Common, overrides};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::compare::{self, ArmsError, Scope};
use cxsim::scenario::{Scenario, Variant};
use cxsim::sensitivity::{self, Run};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub(super) struct SensitivityArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Headline KPI [default: cost_per_resolved with [costs], else service_level].
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

fn load(args: &SensitivityArgs, extra: &[cxsim::scenario::RawVariant]) -> Result<Vec<Variant>> {
    let overrides = overrides(args.seed, args.replications, &args.set, args.threads)?;
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

pub(super) fn sensitivity(args: SensitivityArgs) -> Result<ExitCode> {
    let scope = scope(&args.scope)?;
    let ranges = args
        .ranges
        .iter()
        .map(|r| sensitivity::parse_range(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(BadInput)?;
    let trials = sensitivity::trials(args.only.as_deref(), &ranges).map_err(BadInput)?;
    let nominal = load(&args, &[])?;
    let overrides = overrides(args.seed, args.replications, &args.set, args.threads)?;
    let document = Scenario::load_document(&args.file, &overrides)?;
    let extra = sensitivity::variants(&document, &nominal[0], nominal.get(1), &trials);
    // Every arm is validated before any is run: a range outside a
    // parameter's domain stops here, naming the key and what is allowed.
    let arms = load(&args, &extra)?;
    let kpi = args
        .kpi
        .clone()
        .unwrap_or_else(|| sensitivity::default_kpi(&arms[0]).to_string());
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&arms[0].scenario.name));
    let results = super::compare::simulate_arms(&arms, args.threads, args.common.quiet)?;
    let runs: Vec<Run<'_>> = arms
        .iter()
        .zip(&results)
        .map(|(variant, reps)| Run { variant, reps })
        .collect();
    let result = sensitivity::analyse(&runs, &trials, &kpi, &scope, args.versus.as_deref())
        .map_err(|e| BadInput(e.to_string()))?;
    let written = sensitivity::write(&out, &result)
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
