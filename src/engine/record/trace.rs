//! The journey trace (`cxsim run --trace`): one CSV row per step of each
//! contact's journey, streamed to a file as the replication runs (memory
//! does not grow with contacts). Opt-in: without it the engine holds `None`
//! and each hook is one untaken branch.
//!
//! A journey is one customer problem: recontacts and redials keep the
//! journey's `contact` number. Columns are [`TRACE_HEADER`], documented in
//! docs/OUTPUTS.md.

use super::{AiEnd, Answer, Recorder};
use crate::engine::clock::Horizon;
use crate::engine::contact::Contact;
use crate::scenario::Scenario;
use crate::scenario::ai::CAUSE_NAMES;
use crate::time::{SimTime, seconds};
use std::fs::File;
use std::io::{BufWriter, Write};

/// The header of `trace.csv` (rows carry no header; the writer adds it once).
pub const TRACE_HEADER: &str = "replication,contact,time_s,step,channel,region,intent,language,tier,measured,wait_s,team,detail";

/// A step of a journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
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
struct Extra {
    /// Team index of the human agent involved.
    pub team: Option<u32>,
    /// Escalation cause index.
    pub cause: Option<u8>,
    /// Queued for the AI agent rather than a human.
    pub for_ai: bool,
}

/// Streams journey rows of one replication into a file.
pub(in crate::engine) struct Trace<'a> {
    scenario: &'a Scenario,
    clock: Horizon,
    out: BufWriter<File>,
    replication: u32,
    next_contact: u32,
    /// The first write error; reported when the replication ends.
    error: Option<std::io::Error>,
}

impl<'a> Trace<'a> {
    /// A trace of replication `replication` of `scenario` written to `file`.
    pub fn new(scenario: &'a Scenario, clock: Horizon, file: File, replication: u32) -> Self {
        Trace {
            scenario,
            clock,
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
    fn step(&mut self, now: SimTime, step: Step, c: &Contact, extra: Extra) {
        if self.error.is_some() {
            return;
        }
        let (scenario, clock) = (self.scenario, &self.clock);
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

/// The journey steps each observation writes.
impl Recorder for Trace<'_> {
    fn offered(&mut self, now: SimTime, c: &Contact, _direct: bool) {
        // Retries write their own step (`retried`) before they are offered.
        if c.problem_first {
            self.step(now, Step::Arrived, c, Extra::default());
        }
    }

    fn retried(&mut self, now: SimTime, c: &Contact) {
        let step = if c.redial {
            Step::Redial
        } else {
            Step::Recontact
        };
        self.step(now, step, c, Extra::default());
    }

    fn queued(&mut self, now: SimTime, c: &Contact, for_ai: bool) {
        let extra = Extra {
            for_ai,
            ..Extra::default()
        };
        self.step(now, Step::Queued, c, extra);
    }

    fn callback(&mut self, now: SimTime, c: &Contact) {
        self.step(now, Step::Callback, c, Extra::default());
    }

    fn abandoned(&mut self, now: SimTime, c: &Contact, _for_ai: bool) {
        self.step(now, Step::Abandoned, c, Extra::default());
    }

    fn ivr(&mut self, now: SimTime, c: &Contact) {
        self.step(now, Step::Ivr, c, Extra::default());
    }

    fn ai_answered(&mut self, now: SimTime, c: &Contact, _ends: bool, _retold: bool) {
        self.step(now, Step::AiStart, c, Extra::default());
    }

    fn ai_ended(&mut self, now: SimTime, c: &Contact, how: AiEnd) {
        let step = match how {
            AiEnd::Resolved => Step::AiResolved,
            AiEnd::FalseContainment => Step::FalseContainment,
        };
        self.step(now, step, c, Extra::default());
    }

    fn escalated(&mut self, now: SimTime, c: &Contact, cause: u8, _talked: bool) {
        let extra = Extra {
            cause: Some(cause),
            ..Extra::default()
        };
        self.step(now, Step::Escalated, c, extra);
    }

    fn answered(&mut self, now: SimTime, c: &Contact, a: &Answer) {
        let extra = Extra {
            team: Some(a.team),
            ..Extra::default()
        };
        self.step(now, Step::Answered, c, extra);
    }

    fn talk_ended(&mut self, now: SimTime, c: &Contact, team: u32, resolved: bool) {
        let step = if resolved {
            Step::Resolved
        } else {
            Step::Unresolved
        };
        let extra = Extra {
            team: Some(team),
            ..Extra::default()
        };
        self.step(now, step, c, extra);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek};

    const ONE_CHANNEL: &str = r#"
name = "t"
[simulation]
seed = 1
horizon = "1h"
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[[team]]
name = "desk"
agents = 1
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
"#;

    #[test]
    fn each_observation_writes_its_journey_step() {
        let s = Scenario::from_toml_str(ONE_CHANNEL, "t.toml").unwrap();
        let clock = Horizon::new(0.0, 0.0, 3600.0, 3600.0);
        let file = tempfile::tempfile().unwrap();
        let mut t = Trace::new(&s, clock, file, 3);
        let first = Contact {
            id: t.new_journey(),
            interval: 0,
            problem_first: true,
            ..Contact::default()
        };
        t.offered(0, &first, true);
        t.queued(0, &first, false);
        let answer = Answer {
            team: 0,
            sessions: 1,
            fatigue: 1.0,
            handle_s: 60.0,
            handoff_extra_s: 0.0,
            wrap_s: 0.0,
            resolved: false,
        };
        t.answered(crate::time::ticks(2.5), &first, &answer);
        t.talk_ended(crate::time::ticks(62.5), &first, 0, false);
        let again = Contact {
            problem_first: false,
            ..first
        };
        // A recontact writes its own step; being offered again writes none.
        t.retried(crate::time::ticks(100.0), &again);
        t.offered(crate::time::ticks(100.0), &again, true);
        let mut file = t.finish().unwrap();
        file.rewind().unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        let steps: Vec<&str> = text.lines().map(|l| l.split(',').nth(3).unwrap()).collect();
        assert_eq!(
            steps,
            ["arrived", "queued", "answered", "unresolved", "recontact"]
        );
        let answered: Vec<&str> = text.lines().nth(2).unwrap().split(',').collect();
        assert_eq!(answered[0], "3", "replication");
        assert_eq!(answered[1], "1", "journey");
        assert_eq!(answered[10], "2.500000", "wait");
        assert_eq!(answered[11], "desk", "team");
        assert_eq!(
            text.lines().nth(1).unwrap().rsplit(',').next(),
            Some("human")
        );
    }
}
