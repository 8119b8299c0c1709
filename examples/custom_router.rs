//! A routing strategy written outside the crate, run on a bundled scenario
//! and compared with `fifo` on common random numbers.
//!
//! `cargo run --release --example custom_router [SCENARIO]`
//!
//! The policy: "shortest expected job first by channel" — an agent takes
//! the waiting chat before the waiting voice call, longest waiting within a
//! channel, and an arriving contact goes to the fastest idle team. It uses
//! only the public `Router` trait and the views it is given
//! (`ContactView`, `AgentView`); the engine runs a loop monomorphised for it.

use cxsim::engine::run_replication_with;
use cxsim::metrics::mean_ci;
use cxsim::routing::{AgentView, ContactView, Fifo, Router};
use cxsim::scenario::Scenario;

/// Chat before voice (or any channel listed in `first`), then longest waiting.
struct ChannelFirst {
    first: Vec<bool>,
}

impl Router for ChannelFirst {
    fn contact_priority(&self, c: &ContactView) -> f64 {
        let boost = if self.first[c.channel] { 1e12 } else { 0.0 };
        boost - c.queued_at_s
    }

    fn fifo_contacts(&self) -> bool {
        // Each channel's queue is still in priority order: only heads compared.
        true
    }

    fn agent_preference(&self, a: &AgentView) -> f64 {
        -a.proficiency * 1e12 - a.idle_since_s
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "scenarios/bench/v_design.toml".into());
    let scenario = Scenario::from_path(&path)?;
    let first: Vec<bool> = scenario.channels.iter().map(|c| c.name == "chat").collect();
    let reps = scenario.simulation.replications;
    let mut custom = Vec::new();
    let mut diffs = Vec::new();
    for rep in 0..reps {
        let mine = run_replication_with(
            &scenario,
            ChannelFirst {
                first: first.clone(),
            },
            rep,
        )?;
        let base = run_replication_with(&scenario, Fifo, rep)?;
        let (a, b) = (mine.contact_total().asa_s(), base.contact_total().asa_s());
        if let (Some(a), Some(b)) = (a, b) {
            custom.push(a);
            diffs.push(a - b);
        }
    }
    let (mean, half) = mean_ci(&custom, 0.95);
    let (d, dh) = mean_ci(&diffs, 0.95);
    println!(
        "{}: channel_first ASA {:.2} ± {:.2} s; vs fifo (paired) {:+.2} ± {:.2} s over {reps} replications",
        scenario.name,
        mean.unwrap_or(f64::NAN),
        half.unwrap_or(f64::NAN),
        d.unwrap_or(f64::NAN),
        dh.unwrap_or(f64::NAN),
    );
    Ok(())
}
