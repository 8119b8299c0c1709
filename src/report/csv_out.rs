//! CSV tables with stable column names; units are in the names (`_s` seconds,
//! fractions 0–1 otherwise). Counts are means per replication. Every column is
//! documented in docs/OUTPUTS.md.

use super::day_and_time;
use crate::metrics::{
    Estimate, INTERVAL_KPIS, IntervalColumns, IntervalRow, KPI_DEFS, ReplicationStats,
    TeamIntervalRow,
};
use crate::scenario::Scenario;
use std::io::Write;

/// The columns of `intervals.csv` that describe the cell, before its KPIs.
const INTERVALS_KEYS: [&str; 6] = ["interval", "start_s", "day", "time", "channel", "region"];

/// Header of `intervals.csv`: the cell's keys, then each KPI that
/// `KPI_DEFS` shows there (and its `_ci95` where it says so), in their
/// column positions.
pub fn intervals_header() -> Vec<String> {
    let mut header: Vec<String> = INTERVALS_KEYS.iter().map(|k| k.to_string()).collect();
    for i in INTERVAL_KPIS {
        let def = &KPI_DEFS[i];
        match def.intervals {
            IntervalColumns::None => {}
            IntervalColumns::Mean => header.push(def.name.into()),
            IntervalColumns::MeanCi => {
                header.push(def.name.into());
                header.push(format!("{}_ci95", def.name));
            }
        }
    }
    header
}

/// Header of `agents.csv`.
pub const AGENTS_HEADER: [&str; 18] = [
    "interval",
    "start_s",
    "day",
    "time",
    "team",
    "seats",
    "available_agents",
    "occupancy",
    "occupancy_ci95",
    "started",
    "aht_s",
    "sessions",
    "fatigue",
    "shrinkage",
    "overtime_s",
    "quits",
    "hires",
    "headcount",
];

fn num(x: Option<f64>) -> String {
    super::format::cell(x)
}

fn mean(e: &Estimate) -> String {
    num(e.mean)
}

fn ci(e: &Estimate) -> String {
    num(e.ci95)
}

/// `intervals.csv` written one interval at a time.
pub struct IntervalsCsv<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> IntervalsCsv<W> {
    /// Writes the header.
    pub fn new(inner: W) -> csv::Result<Self> {
        let mut w = csv::Writer::from_writer(inner);
        w.write_record(intervals_header())?;
        Ok(IntervalsCsv { w })
    }

    /// One row per interval × channel × region (cells with demand only).
    pub fn rows(&mut self, scenario: &Scenario, rows: &[IntervalRow]) -> csv::Result<()> {
        let interval_s = scenario.simulation.interval_s;
        for row in rows {
            let start_s = row.interval as f64 * interval_s;
            let (day, time) = day_and_time(start_s);
            let k = &row.kpis;
            let mut record = vec![
                row.interval.to_string(),
                start_s.to_string(),
                day.to_string(),
                time,
                scenario.channels[row.channel].name.clone(),
                scenario.regions[row.region].name.clone(),
            ];
            for i in INTERVAL_KPIS {
                let (def, e) = (&KPI_DEFS[i], k.get(i));
                match def.intervals {
                    IntervalColumns::None => {}
                    IntervalColumns::Mean => record.push(mean(e)),
                    IntervalColumns::MeanCi => {
                        record.push(mean(e));
                        record.push(ci(e));
                    }
                }
            }
            self.w.write_record(&record)?;
        }
        Ok(())
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}

/// `agents.csv` written one interval at a time. `headcount` is the agents
/// employed at the end of the week the interval falls in (seats when
/// attrition is off).
pub struct AgentsCsv<W: Write> {
    w: csv::Writer<W>,
    /// Mean headcount per (week, team), from the replications' weekly ledger.
    headcount: Vec<f64>,
}

impl<W: Write> AgentsCsv<W> {
    /// Writes the header.
    pub fn new(inner: W, reps: &[ReplicationStats]) -> csv::Result<Self> {
        let mut w = csv::Writer::from_writer(inner);
        w.write_record(AGENTS_HEADER)?;
        let weeks = reps.first().map_or(0, |r| r.weeks.len());
        let headcount = (0..weeks)
            .map(|i| {
                let total: u32 = reps.iter().map(|r| r.weeks[i].headcount).sum();
                f64::from(total) / reps.len() as f64
            })
            .collect();
        Ok(AgentsCsv { w, headcount })
    }

    /// One row per team of an interval.
    pub fn rows(&mut self, scenario: &Scenario, rows: &[TeamIntervalRow]) -> csv::Result<()> {
        let interval_s = scenario.simulation.interval_s;
        let n_teams = scenario.teams.len();
        for row in rows {
            let start_s = row.interval as f64 * interval_s;
            let (day, time) = day_and_time(start_s);
            let t = &scenario.teams[row.team];
            let week = (start_s / (7.0 * 86_400.0)) as usize;
            let headcount = match self.headcount.get(week * n_teams + row.team) {
                Some(h) => h.to_string(),
                None => t.headcount().to_string(),
            };
            self.w.write_record([
                row.interval.to_string(),
                start_s.to_string(),
                day.to_string(),
                time,
                t.name.clone(),
                t.headcount().to_string(),
                mean(&row.available_agents),
                mean(&row.occupancy),
                ci(&row.occupancy),
                mean(&row.started),
                mean(&row.aht_s),
                mean(&row.sessions),
                mean(&row.fatigue),
                mean(&row.shrinkage),
                mean(&row.overtime_s),
                mean(&row.quits),
                mean(&row.hires),
                headcount,
            ])?;
        }
        Ok(())
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}
