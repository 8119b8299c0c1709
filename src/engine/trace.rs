//! The journey trace (`cxsim run --trace`): one CSV row per step of each
//! contact's journey, streamed to a file as the replication runs (memory
//! does not grow with contacts). Opt-in: without it the engine holds `None`
//! and each hook is one untaken branch.
//!
//! A journey is one customer problem: recontacts and redials keep the
//! journey's `contact` number. Columns are [`TRACE_HEADER`], documented in
//! docs/OUTPUTS.md.

use super::clock::Horizon;
use super::sim::Contact;
use crate::scenario::Scenario;
use crate::scenario::ai::CAUSE_NAMES;
use crate::time::{SimTime, seconds};
use std::fs::File;
use std::io::{BufWriter, Write};

/// The header of `trace.csv` (rows carry no header; the writer adds it once).
pub const TRACE_HEADER: &str = "replication,contact,time_s,step,channel,region,intent,language,tier,measured,wait_s,team,detail";

/// A step of a journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// A new problem's first contact arrives (or a `[[backlog]]` contact, at the start).
    Arrived,
    /// The customer comes back about an unresolved problem.
    Recontact,
    /// The customer tries again after abandoning.
    Redial,
    /// Enters the IVR menu.
    Ivr,
    /// Starts a conversation with the AI agent.
    AiStart,
    /// The AI agent resolved it (journey end).
    AiResolved,
    /// The AI agent ended it without resolving it (journey end unless the customer comes back).
    FalseContainment,
    /// Handed to the human queue; `detail` is the cause.
    Escalated,
    /// Waits in a queue (`detail`: `human` or `ai`).
    Queued,
    /// Accepted a callback instead of waiting on the line.
    Callback,
    /// A human agent answers; `team` is the agent's team.
    Answered,
    /// Left the queue (journey end unless the customer redials).
    Abandoned,
    /// The human resolved it (journey end).
    Resolved,
    /// The human did not resolve it (journey end unless the customer comes back).
    Unresolved,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Arrived => "arrived",
            Step::Recontact => "recontact",
            Step::Redial => "redial",
            Step::Ivr => "ivr",
            Step::AiStart => "ai_start",
            Step::AiResolved => "ai_resolved",
            Step::FalseContainment => "false_containment",
            Step::Escalated => "escalated",
            Step::Queued => "queued",
            Step::Callback => "callback",
            Step::Answered => "answered",
            Step::Abandoned => "abandoned",
            Step::Resolved => "resolved",
            Step::Unresolved => "unresolved",
        }
    }
}

/// What a step adds besides the contact.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Extra {
    /// Team index of the human agent involved.
    pub team: Option<u32>,
    /// Escalation cause index.
    pub cause: Option<u8>,
    /// Queued for the AI agent rather than a human.
    pub for_ai: bool,
}

/// Streams journey rows of one replication into a file.
pub(super) struct Trace {
    out: BufWriter<File>,
    replication: u32,
    next_contact: u32,
    /// The first write error; reported when the replication ends.
    error: Option<std::io::Error>,
}

impl Trace {
    /// A trace of replication `replication` written to `file`.
    pub fn new(file: File, replication: u32) -> Self {
        Trace {
            out: BufWriter::with_capacity(1 << 16, file),
            replication,
            next_contact: 0,
            error: None,
        }
    }

    /// The number of a new journey (1, 2, …).
    pub fn new_journey(&mut self) -> u32 {
        self.next_contact += 1;
        self.next_contact
    }

    /// Writes one row. Out of line and cold: the handlers that call it stay
    /// small, and runs without `--trace` never reach it.
    #[cold]
    #[inline(never)]
    pub fn step(
        &mut self,
        scenario: &Scenario,
        clock: &Horizon,
        now: SimTime,
        step: Step,
        c: &Contact,
        extra: Extra,
    ) {
        if self.error.is_some() {
            return;
        }
        let time_s = seconds(now) - seconds(clock.warmup_end());
        let wait_s = match step {
            Step::Answered | Step::Abandoned => Some(seconds(now - c.queued_at)),
            _ => None,
        };
        let region = scenario
            .regions
            .get(c.region as usize)
            .map_or("", |r| r.name.as_str());
        let result = write!(
            self.out,
            "{},{},{:.6},{},{},{},{},{},{},{},",
            self.replication,
            c.id,
            time_s,
            step.name(),
            scenario.channels[c.channel as usize].name,
            region,
            scenario.intents[c.intent as usize].name,
            scenario.languages[c.language as usize],
            scenario.tiers[c.tier as usize],
            u8::from(c.measured()),
        )
        .and_then(|()| match wait_s {
            Some(w) => write!(self.out, "{w:.6},"),
            None => self.out.write_all(b","),
        })
        .and_then(|()| match extra.team {
            Some(t) => write!(self.out, "{},", scenario.teams[t as usize].name),
            None => self.out.write_all(b","),
        })
        .and_then(|()| match (extra.cause, step) {
            (Some(cause), _) => writeln!(self.out, "{}", CAUSE_NAMES[cause as usize]),
            (None, Step::Queued) => {
                writeln!(self.out, "{}", if extra.for_ai { "ai" } else { "human" })
            }
            _ => self.out.write_all(b"\n"),
        });
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    /// Flushes and returns the file (positioned at its end), or the first error.
    pub fn finish(self) -> std::io::Result<File> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.out.into_inner().map_err(|e| e.into_error())
    }
}
