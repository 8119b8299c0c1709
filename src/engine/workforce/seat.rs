//! One seat and the agent in it, a team's routing pools, and how a
//! scenario's teams become seats.

use crate::engine::queue::SimTime;
use crate::scenario::{Staffing, Team};
use std::collections::VecDeque;

/// `partial_pos` of an agent not in its team's partial list.
pub(super) const NOT_LISTED: u32 = u32::MAX;

/// One seat and the agent in it. The workforce hands it out only by shared
/// reference: its fields are read by the handlers and changed by the
/// workforce's verbs alone.
#[derive(Debug, Clone, Copy, Default)]
pub(in crate::engine) struct Agent {
    pub team: u32,
    /// Shift template index; `u16::MAX` for always-on seats.
    pub shift: u16,
    pub present: bool,
    pub on_duty: bool,
    pub on_break: bool,
    pub closing: bool,
    pub quitting: bool,
    /// Length of a break that fell due while busy, seconds (0: none).
    pub break_due_s: f64,
    pub sessions: u8,
    pub exclusive: bool,
    pub idle_epoch: u32,
    pub shift_epoch: u32,
    pub seat_epoch: u32,
    pub idle_since: SimTime,
    pub busy_since: SimTime,
    /// Start of the current available period, or of the current break.
    pub avail_since: SimTime,
    pub shift_start: SimTime,
    pub shift_end: SimTime,
    /// Unrecovered busy load, hours, as of `fatigue_at`.
    pub fatigue_h: f64,
    pub fatigue_at: SimTime,
    /// When a replacement hire started (`None`: tenured).
    pub hired_at: Option<SimTime>,
    pub week_busy_s: f64,
    pub week_avail_s: f64,
    pub week_contacts: u32,
    pub week_repetitive: u32,
    pub partial_pos: u32,
    /// Coaching sessions due (taken when next free, like a pending break).
    pub coaching_due: u16,
    /// The current break is a coaching session (booked as coaching, not break).
    pub coaching: bool,
    /// When the current coaching session ends.
    pub coach_end: SimTime,
    /// Coaching uplift on resolution as of `coach_at` (decays exponentially).
    pub coach_level: f64,
    pub coach_at: SimTime,
}

impl Agent {
    /// Whether the agent may be given new work.
    #[inline]
    pub fn accepting(&self) -> bool {
        self.present
            && self.on_duty
            && !self.on_break
            && !self.closing
            && !self.quitting
            && self.break_due_s == 0.0
            && self.coaching_due == 0
    }

    /// Free for a pending coaching session: on duty, no work, no break,
    /// sign-off or quit pending.
    pub fn free_for_coaching(&self) -> bool {
        self.coaching_due > 0
            && self.sessions == 0
            && self.present
            && self.on_duty
            && !self.on_break
            && !self.closing
            && !self.quitting
            && self.break_due_s == 0.0
    }
}

/// A team's routing pools.
#[derive(Debug, Clone, Default)]
pub(super) struct Pool {
    /// (agent, idle epoch), longest idle first.
    pub idle: VecDeque<(u32, u32)>,
    /// Agents with 1..capacity concurrent sessions.
    pub partial: Vec<u32>,
    /// Agents on duty now (for load-dependent speed).
    pub on_duty: u32,
    /// The team takes every intent and language: queue heads are always eligible.
    pub all_skills: bool,
    /// Largest concurrency over the team's channels.
    pub max_concurrency: u8,
    /// First agent index of the team (agents of a team are contiguous).
    pub first: u32,
    /// Number of seats.
    pub seats: u32,
}

/// Creates every seat, all empty of work, and the team pools.
pub(super) fn build(teams: &[Team]) -> (Vec<Agent>, Vec<Pool>) {
    let mut agents = Vec::new();
    let mut pools = Vec::new();
    for (ti, team) in teams.iter().enumerate() {
        let first = agents.len() as u32;
        let seat = |shift: u16| Agent {
            team: ti as u32,
            shift,
            present: true,
            partial_pos: NOT_LISTED,
            ..Agent::default()
        };
        match &team.staffing {
            Staffing::AlwaysOn { agents: n } => agents.extend((0..*n).map(|_| seat(u16::MAX))),
            Staffing::PerInterval { .. } => {
                agents.extend((0..team.headcount()).map(|_| seat(u16::MAX)))
            }
            Staffing::Shifts(shifts) => {
                for (si, s) in shifts.iter().enumerate() {
                    agents.extend((0..s.agents).map(|_| seat(si as u16)));
                }
            }
        }
        pools.push(Pool {
            idle: VecDeque::with_capacity(team.headcount() as usize),
            partial: Vec::new(),
            on_duty: 0,
            all_skills: team.intents.iter().all(|&b| b) && team.languages.iter().all(|&b| b),
            max_concurrency: team
                .channels
                .iter()
                .map(|&c| team.concurrency[c])
                .max()
                .unwrap_or(1),
            first,
            seats: agents.len() as u32 - first,
        });
    }
    (agents, pools)
}
