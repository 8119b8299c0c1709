//! `cxsim leaderboard`: every routing strategy on every scenario of a
//! benchmark suite, on common random numbers, ranked per scenario by the
//! scenario's objective, with paired differences and 95% CIs against `fifo`.
//! Argv, running and writing only: the arms are `compare` arms (one
//! `[routing]` override each, re-validated) and the statistics are
//! [`cxsim::compare::compare`]'s.

use super::{BadInput, Common, overrides};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::compare::{self, Arm, Row};
use cxsim::engine::{self, RunOptions};
use cxsim::scenario::{RawVariant, STRATEGIES, strategy_info};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub(super) struct LeaderboardArgs {
    /// Folder of benchmark scenarios (`*.toml`, each with a
    /// `# objective = "service_level" | "abandonment" | "asa"` line).
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
    /// Output folder for leaderboard.csv and leaderboard.md.
    #[arg(long, default_value = "output/leaderboard")]
    out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    common: Common,
}

/// What a scenario is ranked by: (objective, KPI, higher is better).
const OBJECTIVES: [(&str, &str, bool); 3] = [
    ("service_level", "service_level", true),
    ("abandonment", "abandon_rate", false),
    ("asa", "asa_s", false),
];

/// KPIs reported beside the objective.
const SHOWN: [&str; 3] = ["service_level", "abandon_rate", "asa_s"];

/// One strategy on one scenario.
struct Entry {
    scenario: String,
    objective: &'static str,
    strategy: String,
    rank: usize,
    /// The objective KPI row, then the `SHOWN` rows.
    rows: Vec<Row>,
}

fn objective_of(file: &Path) -> Result<(&'static str, &'static str, bool)> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("# objective =") else {
            continue;
        };
        let name = rest.trim().trim_matches('"');
        return OBJECTIVES
            .iter()
            .find(|o| o.0 == name)
            .copied()
            .ok_or_else(|| {
                BadInput(format!(
                    "{}: objective {name:?}; allowed: \"service_level\", \"abandonment\", \"asa\"",
                    file.display()
                ))
                .into()
            });
    }
    Ok(OBJECTIVES[0])
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

/// Runs every strategy on `file` and ranks them by its objective.
fn board(args: &LeaderboardArgs, file: &Path, names: &[String]) -> Result<Vec<Entry>> {
    let (objective, kpi, higher_better) = objective_of(file)?;
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
    let (arms, _) = compare::load_arms(file, Some(&[]), &ov, &extra).map_err(|e| match e {
        compare::ArmsError::Scenario(e) => anyhow::Error::from(e),
        other => anyhow::Error::from(other),
    })?;
    let options = RunOptions {
        threads: args.threads,
        ..RunOptions::default()
    };
    let results = arms
        .iter()
        .map(|a| engine::simulate(&a.scenario, &options))
        .collect::<Result<Vec<_>, _>>()?;
    let runs: Vec<Arm<'_>> = arms
        .iter()
        .zip(&results)
        .map(|(variant, reps)| Arm { variant, reps })
        .collect();
    let comparison = compare::compare(&runs);
    let row = |arm: usize, k: &str| {
        comparison
            .rows
            .iter()
            .find(|r| r.scope == "overall" && r.kpi == k && r.variant == arms[arm].name)
            .cloned()
            .expect("compare reports every KPI of every arm overall")
    };
    let mut entries: Vec<Entry> = names
        .iter()
        .enumerate()
        .map(|(i, n)| Entry {
            scenario: arms[0].scenario.name.clone(),
            objective,
            strategy: n.clone(),
            rank: 0,
            rows: std::iter::once(kpi)
                .chain(SHOWN)
                .map(|k| row(i, k))
                .collect(),
        })
        .collect();
    let key = |e: &Entry| {
        let m = e.rows[0].mean.unwrap_or(f64::NAN);
        if higher_better { -m } else { m }
    };
    let mut order: Vec<usize> = (0..entries.len()).collect();
    // Stable: ties keep the order given (fifo first).
    order.sort_by(|&a, &b| key(&entries[a]).total_cmp(&key(&entries[b])));
    for (rank, &i) in order.iter().enumerate() {
        entries[i].rank = rank + 1;
    }
    entries.sort_by_key(|e| e.rank);
    Ok(entries)
}

fn num(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| format!("{v:.6}"))
}

fn csv(entries: &[Entry]) -> String {
    let mut out = String::from(
        "scenario,objective,kpi,strategy,rank,mean,ci95,diff_vs_fifo,diff_ci95,service_level,abandon_rate,asa_s\n",
    );
    for e in entries {
        let o = &e.rows[0];
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            e.scenario,
            e.objective,
            o.kpi,
            e.strategy,
            e.rank,
            num(o.mean),
            num(o.ci95),
            num(o.diff_mean),
            num(o.diff_ci95),
            num(e.rows[1].mean),
            num(e.rows[2].mean),
            num(e.rows[3].mean),
        );
    }
    out
}

fn markdown(entries: &[Entry]) -> String {
    let mut out = String::from(
        "# Routing leaderboard\n\nPer scenario, strategies ranked by its objective; differences are paired against `fifo` on common random numbers (mean ± 95% CI half-width).\n",
    );
    let mut current = "";
    for e in entries {
        if e.scenario != current {
            current = &e.scenario;
            let _ = write!(
                out,
                "\n## {} — objective: {} (`{}`)\n\n| rank | strategy | {} | vs fifo | service level | abandonment | ASA s |\n|---:|---|---:|---:|---:|---:|---:|\n",
                e.scenario, e.objective, e.rows[0].kpi, e.rows[0].kpi
            );
        }
        let o = &e.rows[0];
        let pm = |m: Option<f64>, h: Option<f64>| match (m, h) {
            (Some(m), Some(h)) => format!("{m:.4} ± {h:.4}"),
            (Some(m), None) => format!("{m:.4}"),
            _ => "–".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            e.rank,
            e.strategy,
            pm(o.mean, o.ci95),
            pm(o.diff_mean, o.diff_ci95),
            pm(e.rows[1].mean, None),
            pm(e.rows[2].mean, None),
            pm(e.rows[3].mean, None),
        );
    }
    out
}

pub(super) fn leaderboard(args: LeaderboardArgs) -> Result<ExitCode> {
    let names = strategies(&args)?;
    let files = suite(&args.suite)?;
    let mut entries = Vec::new();
    for file in &files {
        if !args.common.quiet {
            eprintln!("leaderboard: {}", file.display());
        }
        entries.extend(board(&args, file, &names)?);
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let md = markdown(&entries);
    for (name, body) in [
        ("leaderboard.csv", csv(&entries)),
        ("leaderboard.md", md.clone()),
    ] {
        let path = args.out.join(name);
        std::fs::write(&path, body).with_context(|| format!("writing {}", path.display()))?;
    }
    if !args.common.quiet {
        print!("{md}");
    }
    Ok(ExitCode::SUCCESS)
}
