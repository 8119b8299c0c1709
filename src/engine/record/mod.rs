//! Recorders: where the handlers report what happened, in domain terms
//! (offered, answered, abandoned, escalated, agent time from–to, quit,
//! hired …), and never how it is counted.
//!
//! [`Recorder`] is the one interface. Two recorders implement it:
//! - [`Metrics`], the default: the per-interval accumulators
//!   (`metrics::ReplicationStats`) and the service-level rules that decide
//!   what counts as answered in time;
//! - [`Trace`], opt-in (`run --trace`): one CSV row per journey step.
//!
//! [`Recorders`] holds both and forwards each observation to each; the trace
//! is an `Option`, so a run without it pays one untaken branch per
//! journey step. Every call is static (no `dyn`): the engine's one
//! monomorphised loop per router stays free of dispatch per event.

mod metrics;
mod trace;

pub use trace::TRACE_HEADER;

use super::clock::Horizon;
use super::contact::Contact;
use crate::metrics::{ReplicationStats, Retention};
use crate::scenario::Scenario;
use crate::time::SimTime;
pub(super) use metrics::{Metrics, quality_weeks};
pub(super) use trace::Trace;

/// Kinds of agent time, each added over `[from, to)` to the intervals it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AgentTime {
    /// Rostered (a shift that starts, present or absent).
    Scheduled,
    /// Rostered but absent (shrinkage).
    Absent,
    /// On duty, not on a break, not busy or busy below capacity.
    Available,
    /// Serving at least one contact (talk and wrap-up).
    Busy,
    /// On a break.
    Break,
    /// In a coaching session.
    Coaching,
    /// Past the shift's end, finishing a contact.
    Overtime,
}

/// What a human answer starts: everything one accumulator update needs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Answer {
    /// The agent's team.
    pub team: u32,
    /// Sessions the agent now holds (this one included).
    pub sessions: u32,
    /// The agent's fatigue multiplier on handle time.
    pub fatigue: f64,
    /// Talk time decided for the contact, seconds.
    pub handle_s: f64,
    /// Of which handoff friction (context re-established, misroute), seconds.
    pub handoff_extra_s: f64,
    /// Wrap-up time after talk, seconds.
    pub wrap_s: f64,
    /// The problem will be resolved.
    pub resolved: bool,
}

/// How an AI session ended without escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AiEnd {
    /// The AI resolved the problem.
    Resolved,
    /// The AI ended it believing it contained, without resolving it.
    FalseContainment,
}

/// What scoring decided about one finished contact (quality programme).
#[derive(Debug, Clone, Copy)]
pub(super) struct Scoring {
    /// The contact failed (false containment, or unresolved by a human).
    pub failure: bool,
    /// It was scored.
    pub scored: bool,
    /// Its failure was detected.
    pub detected: bool,
    /// A human handled it (else the AI).
    pub human: bool,
}

/// One use of back-office systems, by a human or the AI.
#[derive(Debug, Clone, Copy)]
pub(super) struct SystemUse {
    /// Used while a human handled the contact (else the AI).
    pub human: bool,
    /// Latency added, seconds.
    pub latency_s: f64,
    /// A system failed.
    pub failed: bool,
    /// A needed system was down; for a human, the (capped) wait in seconds.
    pub outage_wait_s: Option<f64>,
}

/// The observations a replication reports. Every method has an empty
/// default, so a recorder implements only what it keeps. Contact events
/// arrive for every contact, measured or not (`Contact::measured`); the
/// recorder decides what counts.
pub(super) trait Recorder {
    /// A contact attempt arrives: a new problem, a recontact, a redial, or a
    /// `[[backlog]]` contact. `direct`: it goes straight to the human queues.
    fn offered(&mut self, _now: SimTime, _c: &Contact, _direct: bool) {}
    /// A contact reaches the human queues after a front line (IVR, AI).
    fn offered_to_humans(&mut self, _now: SimTime, _c: &Contact) {}
    /// A customer comes back (`c.redial`: after abandoning; else a
    /// recontact about an unresolved problem); `offered` follows.
    fn retried(&mut self, _now: SimTime, _c: &Contact) {}
    /// Waits in a queue, a human one or the AI's.
    fn queued(&mut self, _now: SimTime, _c: &Contact, _for_ai: bool) {}
    /// Accepted a callback instead of waiting on the line.
    fn callback(&mut self, _now: SimTime, _c: &Contact) {}
    /// Left a queue before being answered.
    fn abandoned(&mut self, _now: SimTime, _c: &Contact, _for_ai: bool) {}
    /// Enters the IVR menu.
    fn ivr(&mut self, _now: SimTime, _c: &Contact) {}
    /// The AI agent answers. `ends_journey`: its decided outcome contains
    /// the contact; `retold`: the customer tells the story again.
    fn ai_answered(&mut self, _now: SimTime, _c: &Contact, _ends_journey: bool, _retold: bool) {}
    /// AI sessions in progress after one started.
    fn ai_in_progress(&mut self, _sessions: u32) {}
    /// AI session time `[from, to)`.
    fn ai_busy(&mut self, _from: SimTime, _to: SimTime) {}
    /// An AI session ended without escalation.
    fn ai_ended(&mut self, _now: SimTime, _c: &Contact, _how: AiEnd) {}
    /// Handed from the AI front line to the human queues, for `cause`;
    /// `talked`: after a conversation (else routed at the door).
    fn escalated(&mut self, _now: SimTime, _c: &Contact, _cause: u8, _talked: bool) {}
    /// A human answers (`c` as it was waiting).
    fn answered(&mut self, _now: SimTime, _c: &Contact, _a: &Answer) {}
    /// A human's talk ends (wrap-up may follow).
    fn talk_ended(&mut self, _now: SimTime, _c: &Contact, _team: u32, _resolved: bool) {}
    /// Agent `agent`'s time of `kind` over `[from, to)`, in `team`.
    fn agent_time(
        &mut self,
        _team: usize,
        _agent: u32,
        _kind: AgentTime,
        _from: SimTime,
        _to: SimTime,
    ) {
    }
    /// A shift over `[from, to)` with `share` of its length unpaid.
    fn unpaid(&mut self, _team: usize, _from: SimTime, _to: SimTime, _share: f64) {}
    /// An agent of `team` resigned at `now`, in attrition week `week`.
    fn quit(&mut self, _now: SimTime, _team: usize, _week: u32) {}
    /// A replacement hire of `team` starts at `now`.
    fn hired(&mut self, _now: SimTime, _team: usize) {}
    /// Agents of `team` present at the end of attrition week `week`.
    fn headcount(&mut self, _week: u32, _team: usize, _present: u32) {}
    /// An AI session started in quality week `week` with its outcome decided.
    fn ai_outcome(&mut self, _week: usize, _intent: u16, _resolves: bool) {}
    /// The quality programme scored (or skipped) a finished contact.
    fn scored(&mut self, _week: usize, _intent: u16, _s: Scoring) {}
    /// Feedback set the AI's resolution for `intent` from week `from_week` on.
    fn ai_learned(&mut self, _from_week: usize, _intent: usize, _p: f64) {}
    /// An agent went to a coaching session.
    fn coaching_started(&mut self) {}
    /// A measured contact used back-office systems.
    fn system_use(&mut self, _u: &SystemUse) {}
    /// A day ended: agents' availability is settled up to `now`.
    fn day_closed(&mut self, _now: SimTime) {}
}

/// The recorders of one replication: the metrics, and the trace when asked for.
pub(super) struct Recorders<'a> {
    metrics: Metrics,
    trace: Option<Trace<'a>>,
}

/// Forwards one observation to the metrics, then to the trace if any.
macro_rules! both {
    ($(fn $name:ident(&mut self $(, $arg:ident: $ty:ty)*);)*) => {
        $(
            #[inline]
            fn $name(&mut self $(, $arg: $ty)*) {
                self.metrics.$name($($arg),*);
                if let Some(t) = &mut self.trace {
                    t.$name($($arg),*);
                }
            }
        )*
    };
}

/// Forwards one observation that only the metrics keep.
macro_rules! metrics_only {
    ($(fn $name:ident(&mut self $(, $arg:ident: $ty:ty)*);)*) => {
        $(
            #[inline]
            fn $name(&mut self $(, $arg: $ty)*) {
                self.metrics.$name($($arg),*);
            }
        )*
    };
}

impl Recorder for Recorders<'_> {
    /// Inlined: every arrival reports it.
    #[inline(always)]
    fn offered(&mut self, now: SimTime, c: &Contact, direct: bool) {
        self.metrics.offered(now, c, direct);
        if let Some(t) = &mut self.trace {
            t.offered(now, c, direct);
        }
    }

    /// Inlined into each handler, so that its constant `kind` picks the team
    /// field at compile time (metrics only).
    #[inline(always)]
    fn agent_time(&mut self, team: usize, agent: u32, kind: AgentTime, from: SimTime, to: SimTime) {
        self.metrics.agent_time(team, agent, kind, from, to);
    }

    both! {
        fn offered_to_humans(&mut self, now: SimTime, c: &Contact);
        fn retried(&mut self, now: SimTime, c: &Contact);
        fn queued(&mut self, now: SimTime, c: &Contact, for_ai: bool);
        fn callback(&mut self, now: SimTime, c: &Contact);
        fn abandoned(&mut self, now: SimTime, c: &Contact, for_ai: bool);
        fn ivr(&mut self, now: SimTime, c: &Contact);
        fn ai_answered(&mut self, now: SimTime, c: &Contact, ends_journey: bool, retold: bool);
        fn ai_ended(&mut self, now: SimTime, c: &Contact, how: AiEnd);
        fn escalated(&mut self, now: SimTime, c: &Contact, cause: u8, talked: bool);
        fn answered(&mut self, now: SimTime, c: &Contact, a: &Answer);
        fn talk_ended(&mut self, now: SimTime, c: &Contact, team: u32, resolved: bool);
    }
    metrics_only! {
        fn ai_in_progress(&mut self, sessions: u32);
        fn ai_busy(&mut self, from: SimTime, to: SimTime);
        fn unpaid(&mut self, team: usize, from: SimTime, to: SimTime, share: f64);
        fn quit(&mut self, now: SimTime, team: usize, week: u32);
        fn hired(&mut self, now: SimTime, team: usize);
        fn headcount(&mut self, week: u32, team: usize, present: u32);
        fn ai_outcome(&mut self, week: usize, intent: u16, resolves: bool);
        fn scored(&mut self, week: usize, intent: u16, s: Scoring);
        fn ai_learned(&mut self, from_week: usize, intent: usize, p: f64);
        fn coaching_started(&mut self);
        fn system_use(&mut self, u: &SystemUse);
        fn day_closed(&mut self, now: SimTime);
    }
}

impl<'a> Recorders<'a> {
    /// The metrics of replication `rep`, with a journey trace into `trace`
    /// when given.
    pub fn new(
        scenario: &'a Scenario,
        clock: Horizon,
        retention: Retention,
        rep: u32,
        trace: Option<std::fs::File>,
    ) -> std::io::Result<Self> {
        Ok(Recorders {
            metrics: Metrics::new(scenario, clock, retention)?,
            trace: trace.map(|file| Trace::new(scenario, clock, file, rep)),
        })
    }

    /// A new journey's number in the trace (0 when not tracing).
    #[inline]
    pub fn new_journey(&mut self) -> u32 {
        self.trace.as_mut().map_or(0, Trace::new_journey)
    }

    /// Ends the replication: the accumulators, finished (`events` processed,
    /// `arrivals` drawn, `stranded` contacts), and the trace file.
    pub fn finish(
        self,
        events: u64,
        arrivals: u64,
        stranded: u64,
    ) -> Result<(ReplicationStats, Option<std::fs::File>), super::EngineError> {
        let stats = self
            .metrics
            .finish(events, arrivals, stranded)
            .map_err(|e| super::EngineError::Spill(e.to_string()))?;
        let trace = self.trace.map(Trace::finish).transpose().map_err(|e| {
            super::EngineError::Spill(format!(
                "cannot write the journey trace to a temporary file: {e} (set TMPDIR to a folder with space)"
            ))
        })?;
        Ok((stats, trace))
    }
}
