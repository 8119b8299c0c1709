//! Agents: seats, shifts, breaks, shrinkage, attrition and hiring, and the
//! pools that routing draws from.
//!
//! An agent *accepts* new work when its seat is filled, it is on duty, not on
//! break, and no break, shift end or quit is pending. Idle agents wait in a
//! per-team deque in the order they became idle (longest idle at the front);
//! entries are validated lazily by an epoch counter, so leaving for a break
//! needs no search. Agents holding concurrent sessions with spare capacity sit
//! in a per-team `partial` list (O(1) insert and removal by position).

use super::{Event, Replication};
use crate::engine::queue::{SimTime, seconds, ticks};
use crate::engine::record::{AgentTime, Recorder};
use crate::routing::Router;
use crate::scenario::{Scenario, Staffing};
use rand::RngExt;
use std::collections::VecDeque;

const WEEK_S: f64 = 7.0 * 86_400.0;
/// After the horizon, shifts keep coming only while contacts wait, and for at
/// most this long: what is still waiting then is reported as stranded.
const DRAIN_LIMIT_S: f64 = 7.0 * 86_400.0;
const NOT_LISTED: u32 = u32::MAX;

/// One seat and the agent in it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Agent {
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
pub(super) fn build(scenario: &Scenario) -> (Vec<Agent>, Vec<Pool>) {
    let mut agents = Vec::new();
    let mut pools = Vec::new();
    for (ti, team) in scenario.teams.iter().enumerate() {
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

impl<'a, R: Router> Replication<'a, R> {
    /// Puts always-on agents on duty and schedules every first shift and
    /// review, at `start` (0, or later when a backlog moved the clock origin).
    pub(super) fn start_agents(&mut self, start: SimTime) {
        for a in 0..self.staff.agents.len() as u32 {
            let team = self.staff.agents[a as usize].team as usize;
            match self.scenario.teams[team].staffing {
                Staffing::AlwaysOn { .. } => self.go_on_duty(start, a),
                Staffing::Shifts(_) => self.schedule_next_shift(a, start),
                Staffing::PerInterval { .. } => {}
            }
        }
        for team in 0..self.scenario.teams.len() {
            if matches!(
                self.scenario.teams[team].staffing,
                Staffing::PerInterval { .. }
            ) {
                self.on_staffing_step(start, team as u32);
            }
        }
        if self.clock.weeks() > 0 && self.scenario.teams.iter().any(|t| t.attrition.is_some()) {
            self.events.push(
                self.clock.warmup_end() + ticks(WEEK_S),
                Event::WeekEnd { week: 0 },
            );
        }
    }

    fn go_on_duty(&mut self, now: SimTime, a: u32) {
        let agent = &mut self.staff.agents[a as usize];
        agent.on_duty = true;
        agent.avail_since = now;
        agent.idle_since = now;
        agent.shift_start = now;
        let team = agent.team as usize;
        self.staff.pools[team].on_duty += 1;
        self.dispatch(now, a);
    }

    fn schedule_next_shift(&mut self, a: u32, after: SimTime) {
        let agent = self.staff.agents[a as usize];
        let team = &self.scenario.teams[agent.team as usize];
        let Staffing::Shifts(shifts) = &team.staffing else {
            return;
        };
        if let Some((start, _)) = self
            .staff
            .calendar
            .next_shift(&shifts[agent.shift as usize], after)
        {
            // Past the horizon, shifts only drain waiting contacts (checked when
            // the shift starts), and only for a limited time.
            if start >= self.clock.horizon_end() + ticks(DRAIN_LIMIT_S) {
                return;
            }
            self.events.push(
                start,
                Event::ShiftStart {
                    agent: a,
                    seat_epoch: agent.seat_epoch,
                },
            );
        }
    }

    /// When agent `a`'s break starts, for a shift instance that started at
    /// `shift_start` and a break placed `after_s` into the shift. The one
    /// place that positions breaks: per-agent break placement changes only this.
    #[inline]
    fn break_start(_a: u32, shift_start: SimTime, after_s: f64) -> SimTime {
        shift_start + ticks(after_s)
    }

    pub(super) fn on_shift_start(&mut self, now: SimTime, a: u32, seat_epoch: u32) {
        let agent = self.staff.agents[a as usize];
        if !agent.present || agent.seat_epoch != seat_epoch || agent.on_duty {
            return;
        }
        if now >= self.clock.horizon_end() && !self.any_waiting() {
            return; // no arrivals come after the horizon: nothing left to do
        }
        let team_ix = agent.team as usize;
        // Borrowed for the scenario's lifetime, not through `self`, so the
        // shift's breaks can be read while agents change (no copy per shift).
        let scenario: &'a Scenario = self.scenario;
        let team = &scenario.teams[team_ix];
        let Staffing::Shifts(shifts) = &team.staffing else {
            return;
        };
        let shift = &shifts[agent.shift as usize];
        let Some((_, end)) = self.staff.calendar.next_shift(shift, now) else {
            return;
        };
        let shrinkage = team.shrinkage;
        self.rec
            .agent_time(team_ix, a, AgentTime::Scheduled, now, end);
        let unpaid_s = shift.unpaid_s();
        if unpaid_s > 0.0 {
            self.rec
                .unpaid(team_ix, now, end, unpaid_s / shift.length_s);
        }
        let absent = shrinkage > 0.0 && self.staff.rngs[team_ix].roster.random::<f64>() < shrinkage;
        if absent {
            self.rec.agent_time(team_ix, a, AgentTime::Absent, now, end);
            self.schedule_next_shift(a, end);
            return;
        }
        let agent = &mut self.staff.agents[a as usize];
        agent.shift_epoch = agent.shift_epoch.wrapping_add(1);
        agent.shift_start = now;
        agent.shift_end = end;
        let shift_epoch = agent.shift_epoch;
        for (index, &(after_s, _)) in shift.breaks.iter().enumerate() {
            let at = Self::break_start(a, now, after_s);
            if at < end {
                self.events.push(
                    at,
                    Event::BreakStart {
                        agent: a,
                        index: index as u16,
                        shift_epoch,
                    },
                );
            }
        }
        self.events.push(
            end,
            Event::ShiftEnd {
                agent: a,
                shift_epoch,
            },
        );
        self.go_on_duty(now, a);
    }

    /// Per-interval staffing: at each staffing boundary, seats below the
    /// interval's count are on duty; the others go off (after finishing work).
    pub(super) fn on_staffing_step(&mut self, now: SimTime, team: u32) {
        let Staffing::PerInterval { agents, interval_s } =
            &self.scenario.teams[team as usize].staffing
        else {
            return;
        };
        let step_ticks = ticks(*interval_s).max(1);
        // Steps are aligned to the horizon's start; warm-up steps wrap around the cycle.
        let offset = now as i128 - self.clock.warmup_end() as i128;
        let step = offset.div_euclid(step_ticks as i128);
        let target = agents[step.rem_euclid(agents.len() as i128) as usize];
        let next = (self.clock.warmup_end() as i128 + (step + 1) * step_ticks as i128) as SimTime;
        let (first, seats) = (
            self.staff.pools[team as usize].first,
            self.staff.pools[team as usize].seats,
        );
        for k in 0..seats {
            let a = first + k;
            let agent = self.staff.agents[a as usize];
            if !agent.present {
                continue;
            }
            if k < target {
                if !agent.on_duty {
                    self.go_on_duty(now, a);
                } else if agent.closing {
                    // Kept on: cancel the pending sign-off.
                    self.staff.agents[a as usize].closing = false;
                    self.after_work(now, a);
                }
            } else if agent.on_duty && !agent.closing {
                self.staff.agents[a as usize].shift_end = now;
                if agent.sessions == 0 {
                    self.go_off(now, a);
                } else {
                    self.staff.agents[a as usize].closing = true;
                    self.partial_remove(a);
                }
            }
        }
        let draining = now >= self.clock.horizon_end();
        if (!draining || self.any_waiting())
            && next < self.clock.horizon_end() + ticks(DRAIN_LIMIT_S)
        {
            self.events.push(next, Event::StaffingStep { team });
        }
    }

    pub(super) fn on_shift_end(&mut self, now: SimTime, a: u32, shift_epoch: u32) {
        let agent = &mut self.staff.agents[a as usize];
        if agent.shift_epoch != shift_epoch || !agent.on_duty {
            return;
        }
        if agent.sessions == 0 {
            self.go_off(now, a);
        } else {
            agent.closing = true;
            self.partial_remove(a);
        }
    }

    /// Ends the agent's working period (shift over, or leaving the company).
    fn go_off(&mut self, now: SimTime, a: u32) {
        let agent = self.staff.agents[a as usize];
        let team = agent.team as usize;
        if agent.on_duty && !agent.on_break {
            self.end_available(now, a);
        }
        if agent.on_break {
            let kind = if agent.coaching {
                AgentTime::Coaching
            } else {
                AgentTime::Break
            };
            self.rec.agent_time(team, a, kind, agent.avail_since, now);
        }
        if agent.closing && now > agent.shift_end {
            self.rec
                .agent_time(team, a, AgentTime::Overtime, agent.shift_end, now);
        }
        if agent.on_duty {
            self.staff.pools[team].on_duty -= 1;
        }
        let agent = &mut self.staff.agents[a as usize];
        agent.on_duty = false;
        agent.on_break = false;
        agent.closing = false;
        agent.break_due_s = 0.0;
        // Coaching not taken by the end of the working period is dropped.
        agent.coaching = false;
        agent.coaching_due = 0;
        if agent.present {
            let after = now.max(agent.shift_end);
            self.schedule_next_shift(a, after);
        }
    }

    pub(super) fn end_available(&mut self, now: SimTime, a: u32) {
        let agent = &mut self.staff.agents[a as usize];
        let since = agent.avail_since;
        agent.week_avail_s += seconds(now.saturating_sub(since));
        let team = agent.team as usize;
        self.rec
            .agent_time(team, a, AgentTime::Available, since, now);
    }

    pub(super) fn on_break_due(&mut self, now: SimTime, a: u32, index: u16, shift_epoch: u32) {
        let agent = self.staff.agents[a as usize];
        if agent.shift_epoch != shift_epoch || !agent.on_duty || agent.closing || agent.quitting {
            return;
        }
        let Staffing::Shifts(shifts) = &self.scenario.teams[agent.team as usize].staffing else {
            return;
        };
        let length_s = shifts[agent.shift as usize].breaks[index as usize].1;
        if agent.on_break && !agent.coaching {
            // Due during another break (one taken late, after a contact):
            // it follows that one instead of restarting it, which used to
            // count the break so far as available time and let the first
            // break's end cut this one short.
            self.staff.agents[a as usize].break_due_s = length_s;
        } else if agent.sessions == 0 && !agent.coaching {
            self.start_break(now, a, length_s);
        } else {
            self.staff.agents[a as usize].break_due_s = length_s;
            self.partial_remove(a);
        }
    }

    fn start_break(&mut self, now: SimTime, a: u32, length_s: f64) {
        self.end_available(now, a);
        let agent = &mut self.staff.agents[a as usize];
        agent.on_break = true;
        agent.break_due_s = 0.0;
        agent.avail_since = now; // the break's start
        let end = (now + ticks(length_s)).min(agent.shift_end.max(now));
        self.events.push(end, Event::BreakEnd { agent: a });
    }

    pub(super) fn on_break_end(&mut self, now: SimTime, a: u32) {
        let agent = self.staff.agents[a as usize];
        if !agent.on_break || !agent.on_duty || agent.coaching {
            return;
        }
        let team = agent.team as usize;
        self.rec
            .agent_time(team, a, AgentTime::Break, agent.avail_since, now);
        let agent = &mut self.staff.agents[a as usize];
        agent.on_break = false;
        agent.avail_since = now;
        let due_s = agent.break_due_s;
        if now >= agent.shift_end && !self.always_on(team) {
            self.go_off(now, a);
        } else if due_s > 0.0 {
            self.start_break(now, a, due_s);
        } else {
            self.dispatch(now, a);
        }
    }

    /// What an agent does when its last session ends.
    pub(super) fn after_work(&mut self, now: SimTime, a: u32) {
        let agent = self.staff.agents[a as usize];
        if agent.sessions > 0 {
            if agent.accepting() {
                self.dispatch(now, a);
            }
            return;
        }
        if agent.quitting {
            self.leave(now, a);
        } else if agent.closing {
            self.go_off(now, a);
        } else if agent.break_due_s > 0.0 {
            self.start_break(now, a, agent.break_due_s);
        } else {
            self.dispatch(now, a);
        }
    }

    /// Gives the agent waiting work while it has capacity; parks it in its pool.
    pub(super) fn dispatch(&mut self, now: SimTime, a: u32) {
        if self.try_coaching(now, a) {
            return;
        }
        while self.staff.agents[a as usize].accepting() {
            let Some(contact) = self.next_contact_for(now, a) else {
                break;
            };
            self.start_service(now, a, contact);
        }
        let agent = &mut self.staff.agents[a as usize];
        if agent.accepting() && agent.sessions == 0 {
            agent.idle_epoch = agent.idle_epoch.wrapping_add(1);
            agent.idle_since = now;
            let entry = (a, agent.idle_epoch);
            self.staff.pools[agent.team as usize].idle.push_back(entry);
        }
    }

    /// Adds an agent with spare concurrent capacity to its team's partial list.
    pub(super) fn partial_add(&mut self, a: u32) {
        let agent = &mut self.staff.agents[a as usize];
        if agent.partial_pos != NOT_LISTED {
            return;
        }
        let pool = &mut self.staff.pools[agent.team as usize];
        agent.partial_pos = pool.partial.len() as u32;
        pool.partial.push(a);
    }

    /// Removes an agent from its team's partial list, if listed.
    pub(super) fn partial_remove(&mut self, a: u32) {
        let pos = self.staff.agents[a as usize].partial_pos;
        if pos == NOT_LISTED {
            return;
        }
        let team = self.staff.agents[a as usize].team as usize;
        let pool = &mut self.staff.pools[team];
        pool.partial.swap_remove(pos as usize);
        if let Some(&moved) = pool.partial.get(pos as usize) {
            self.staff.agents[moved as usize].partial_pos = pos;
        }
        self.staff.agents[a as usize].partial_pos = NOT_LISTED;
    }

    /// Books the open available periods up to `now` (weekly reviews and the end
    /// of the run need them; otherwise they are booked when they end).
    pub(super) fn flush_available(&mut self, now: SimTime) {
        for a in 0..self.staff.agents.len() as u32 {
            let agent = self.staff.agents[a as usize];
            if agent.present && agent.on_duty && !agent.on_break && agent.avail_since < now {
                self.end_available(now, a);
                self.staff.agents[a as usize].avail_since = now;
            }
        }
    }

    pub(super) fn on_week_end(&mut self, now: SimTime, week: u32) {
        self.flush_available(now);
        let n_teams = self.scenario.teams.len();
        for team in 0..n_teams {
            let Some(attrition) = self.scenario.teams[team].attrition else {
                continue;
            };
            let base = -(1.0 - attrition.annual_rate).ln() / (365.25 / 7.0);
            let pool = &self.staff.pools[team];
            for a in pool.first..pool.first + pool.seats {
                let agent = &mut self.staff.agents[a as usize];
                if !agent.present || agent.quitting {
                    continue;
                }
                let occupancy = if agent.week_avail_s > 0.0 {
                    (agent.week_busy_s / agent.week_avail_s).min(1.0)
                } else {
                    0.0
                };
                let repetitive = if agent.week_contacts > 0 {
                    f64::from(agent.week_repetitive) / f64::from(agent.week_contacts)
                } else {
                    0.0
                };
                let over = (occupancy - attrition.occupancy_threshold).max(0.0)
                    / (1.0 - attrition.occupancy_threshold);
                let hazard = base
                    * (1.0 + attrition.occupancy_factor * over)
                    * (1.0 + attrition.repetitive_factor * repetitive);
                let p_quit = 1.0 - (-hazard).exp();
                // One draw per present agent per week, whatever its hazard: the
                // roster stream stays aligned across variants.
                let u: f64 = self.staff.rngs[team].roster.random();
                if u < p_quit {
                    self.quit(now, a, week);
                }
            }
            let present = (pool_range(&self.staff.pools[team]))
                .filter(|&a| {
                    self.staff.agents[a as usize].present && !self.staff.agents[a as usize].quitting
                })
                .count() as u32;
            self.rec.headcount(week, team, present);
        }
        for agent in &mut self.staff.agents {
            agent.week_busy_s = 0.0;
            agent.week_avail_s = 0.0;
            agent.week_contacts = 0;
            agent.week_repetitive = 0;
        }
        if (week as usize + 1) < self.clock.weeks() {
            self.events
                .push(now + ticks(WEEK_S), Event::WeekEnd { week: week + 1 });
        }
    }

    fn quit(&mut self, now: SimTime, a: u32, week: u32) {
        let team = self.staff.agents[a as usize].team as usize;
        self.rec.quit(now, team, week);
        if self.staff.agents[a as usize].sessions == 0 {
            self.leave(now, a);
        } else {
            self.staff.agents[a as usize].quitting = true;
            self.partial_remove(a);
        }
    }

    fn leave(&mut self, now: SimTime, a: u32) {
        self.staff.agents[a as usize].quitting = false;
        self.staff.agents[a as usize].present = false;
        self.go_off(now, a);
        let agent = &mut self.staff.agents[a as usize];
        agent.seat_epoch = agent.seat_epoch.wrapping_add(1);
        let team = agent.team as usize;
        if let Some(attrition) = self.scenario.teams[team].attrition
            && attrition.replace
        {
            let at = now + ticks(attrition.hire_lead_s);
            if at < self.clock.horizon_end() {
                self.events.push(at, Event::Hire { agent: a });
            }
        }
    }

    pub(super) fn on_hire(&mut self, now: SimTime, a: u32) {
        let agent = &mut self.staff.agents[a as usize];
        agent.present = true;
        agent.hired_at = Some(now);
        agent.fatigue_h = 0.0;
        agent.fatigue_at = now;
        let team = agent.team as usize;
        self.rec.hired(now, team);
        if self.always_on(team) {
            self.go_on_duty(now, a);
        } else {
            self.schedule_next_shift(a, now);
        }
    }
}

fn pool_range(pool: &Pool) -> std::ops::Range<u32> {
    pool.first..pool.first + pool.seats
}
