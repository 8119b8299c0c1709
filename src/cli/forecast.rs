//! `cxsim forecast`: argv, progress and printing only; the forecaster is
//! `cxsim::forecast`.

use super::{BadInput, Common};
use anyhow::{Context, Result};
use clap::Args;
use cxsim::forecast::{self, ForecastError, Options, SpecialDays, calendar, history};
use cxsim::scenario::{DURATION_HELP, parse_duration_s};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ForecastArgs {
    /// History CSV in the trace format (interval_start, channel, contacts;
    /// optional region, intent), at its own interval of 5 to 60 minutes.
    history: PathBuf,
    /// Forecast length from the first interval after the history, e.g. 7d.
    #[arg(long, default_value = "7d")]
    horizon: String,
    /// Output folder [default: output/forecast/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Special days: a CSV of `date,name` (YYYY-MM-DD). Left out of the
    /// weekday profiles in the history; in the horizon, forecast with the
    /// same name's past ratio to a normal day, or closed when new.
    #[arg(long, value_name = "FILE")]
    special_days: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

/// Input problems are exit code 2, like a bad scenario.
fn bad(e: ForecastError) -> anyhow::Error {
    BadInput(e.to_string()).into()
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("backtest [{bar:20}] {pos}/{len} series × origins, ETA {eta}")
            .expect("static template")
            .progress_chars("=> ");
    let bar =
        ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::hidden()).with_style(style);
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}

pub fn forecast(args: ForecastArgs) -> Result<ExitCode> {
    let horizon_s = parse_duration_s(&args.horizon)
        .filter(|s| *s >= 60.0 && *s <= forecast::MAX_HORIZON_DAYS as f64 * 86_400.0)
        .ok_or_else(|| {
            BadInput(format!(
                "--horizon {:?}: expected {DURATION_HELP}, from 1m to {}d",
                args.horizon,
                forecast::MAX_HORIZON_DAYS
            ))
        })?;
    let text = history::read_bounded(&args.history, history::MAX_HISTORY_BYTES).map_err(bad)?;
    let hist = history::parse_history(&args.history, &text).map_err(bad)?;
    drop(text);
    let specials = match &args.special_days {
        Some(path) => {
            let text =
                history::read_bounded(path, calendar::MAX_SPECIAL_DAYS_BYTES).map_err(bad)?;
            calendar::parse_special_days(path, &text).map_err(bad)?
        }
        None => SpecialDays::none(),
    };
    let bar = progress_bar(args.common.quiet);
    let tick = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let options = Options {
        horizon_s: horizon_s.round() as u64,
    };
    let result = forecast::forecast(&hist, &specials, &options, Some(&tick));
    bar.finish_and_clear();
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join("forecast"));
    let name = args.history.display().to_string();
    let written = forecast::output::write(&out, &hist, &result, &name)
        .with_context(|| format!("writing the forecast to {}", out.display()))?;
    if args.common.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&forecast::output::json(&result, &written))
                .expect("forecast summary serialises")
        );
    } else if !args.common.quiet {
        print!("{}", forecast::output::markdown(&result, &name));
        println!();
        for path in written {
            println!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
