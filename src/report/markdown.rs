//! `summary.md`: the headline a person reads first.

use crate::metrics::{Estimate, Summary, Verdict};
use crate::scenario::{Scenario, format_duration};
use std::fmt::Write;

fn pct(e: &Estimate) -> String {
    super::format::pct_ci(e.mean, e.ci95)
}

fn secs(e: &Estimate) -> String {
    super::format::num_ci(e.mean, e.ci95, 1)
}

fn count(e: &Estimate) -> String {
    e.mean
        .map(|m| format!("{m:.0}"))
        .unwrap_or_else(|| "–".into())
}

/// The tier-target table, only when `[targets.tier]` gives any (so a
/// scenario without tier targets renders as before).
fn tier_targets(out: &mut String, s: &Summary) {
    if s.tier_targets.is_empty() {
        return;
    }
    let level = s
        .tier_targets
        .values()
        .next()
        .map_or(0.95, |t| t.confidence);
    let _ = writeln!(
        out,
        "Value tiers with targets (human queue over the horizon, all the tier's channels; \
         ± the {:.0}% confidence half-width):\n",
        level * 100.0
    );
    let _ = writeln!(
        out,
        "| tier | service level | target | abandoned | max abandoned | verdict |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|");
    let target = |t: Option<f64>| t.map_or_else(|| "–".into(), |t| format!("{:.0}%", t * 100.0));
    for (name, t) in &s.tier_targets {
        let verdict = match t.verdict {
            Verdict::Miss => "**missed**",
            Verdict::Short => "**short** (within confidence)",
            Verdict::Meets => "met (within confidence)",
            Verdict::Clear => "met",
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {verdict} |",
            super::format::pct_ci(t.service_level.mean, t.service_level.half),
            target(t.sl_target),
            super::format::pct_ci(t.abandon_rate.mean, t.abandon_rate.half),
            target(t.max_abandon),
        );
    }
    let _ = writeln!(out);
}

/// Renders the Markdown summary.
pub fn summary_md(scenario: &Scenario, s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", s.scenario);
    if !scenario.description.is_empty() {
        let _ = writeln!(out, "{}\n", scenario.description.trim());
    }
    let _ = writeln!(
        out,
        "{} replications × {} measured (after {} warm-up), seed {}. \
         Figures are means over replications ± the 95% confidence half-width.\n",
        s.replications,
        format_duration(s.horizon_s),
        format_duration(s.warmup_s),
        s.seed
    );
    let _ = writeln!(
        out,
        "Service level, ASA and abandonment are those of the human queues (from entering \
         the queue); with no AI agent they equal the end-to-end figures in summary.json.\n"
    );
    let _ = writeln!(
        out,
        "| channel | offered | to humans | AI containment | FCR | service level | target | ASA (s) | abandoned | occupancy |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, c) in &s.channels {
        let k = &c.kpis;
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {:.0}% in {} | {} | {} | {} |",
            count(&k.offered),
            count(&k.human_offered),
            pct(&k.containment),
            pct(&k.fcr),
            pct(&k.human_service_level),
            c.sl_target * 100.0,
            format_duration(c.sl_within_s),
            secs(&k.human_asa_s),
            pct(&k.human_abandon_rate),
            pct(&k.occupancy),
        );
    }
    let k = &s.overall;
    let _ = writeln!(
        out,
        "| **all** | {} | {} | {} | {} | {} | | {} | {} | {} |\n",
        count(&k.offered),
        count(&k.human_offered),
        pct(&k.containment),
        pct(&k.fcr),
        pct(&k.human_service_level),
        secs(&k.human_asa_s),
        pct(&k.human_abandon_rate),
        pct(&k.occupancy),
    );
    tier_targets(&mut out, s);
    let _ = writeln!(out, "| team | agents | occupancy |");
    let _ = writeln!(out, "|---|---:|---:|");
    for (name, t) in &s.teams {
        let _ = writeln!(out, "| {name} | {} | {} |", t.agents, pct(&t.occupancy));
    }
    if s.stranded > 0.0 {
        let _ = writeln!(
            out,
            "\n**Warning:** on average {:.0} contacts per replication were still waiting at the end: no agent could take them.",
            s.stranded
        );
    }
    out
}
