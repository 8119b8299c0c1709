//! The duty state machine: an agent's shift starts and ends, breaks,
//! sign-off after the last session, coaching, quits and hires. Each verb
//! changes the agent and returns what the handler must do next; the ones
//! that close a period of the agent's time book it with the recorder.

use super::Workforce;
use crate::engine::queue::{SimTime, seconds, ticks};
use crate::engine::record::{AgentTime, Recorder};
use crate::scenario::{Attrition, Staffing, Team};
use rand::RngExt;

/// What an agent does next, once the workforce has changed its state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::engine) enum Next {
    /// Take waiting work, or wait idle in its pool: the handler dispatches.
    Dispatch,
    /// Start a break of this many seconds (one that fell due while busy).
    Break(f64),
    /// Sign off: the shift or the staffed interval is over.
    GoOff,
    /// Leave the company (a quit that waited for the last session).
    Leave,
    /// Nothing yet: still busy, and not taking more work.
    Wait,
}

/// How a shift start turned out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::engine) enum ShiftOpened {
    /// Absent (shrinkage) for the shift instance that ends at `end`.
    Absent { end: SimTime },
    /// On duty until `end`; the shift's breaks and end carry `epoch`.
    Working { end: SimTime, epoch: u32 },
}

/// When agent `a`'s break starts, for a shift instance that started at
/// `shift_start` and a break placed `after_s` into the shift. The one
/// place that positions breaks: per-agent break placement changes only this.
#[inline]
fn break_start(_a: u32, shift_start: SimTime, after_s: f64) -> SimTime {
    shift_start + ticks(after_s)
}

impl<'a> Workforce<'a> {
    /// The next shift start of seat `a` after `after`, with the seat epoch
    /// that the start event must carry; `None` for seats without shifts or
    /// when the shift pattern has no later day.
    pub fn next_shift(&self, a: u32, after: SimTime) -> Option<(SimTime, u32)> {
        let agent = &self.agents[a as usize];
        let Staffing::Shifts(shifts) = &self.teams[agent.team as usize].staffing else {
            return None;
        };
        self.calendar
            .next_shift(&shifts[agent.shift as usize], after)
            .map(|(start, _)| (start, agent.seat_epoch))
    }

    /// True when a shift start scheduled under `seat_epoch` still applies:
    /// the same occupant, seated and not on duty.
    pub fn shift_due(&self, a: u32, seat_epoch: u32) -> bool {
        let agent = &self.agents[a as usize];
        agent.present && agent.seat_epoch == seat_epoch && !agent.on_duty
    }

    /// Opens seat `a`'s shift at `now`: books the scheduled time (and the
    /// unpaid share), draws whether the agent is absent (shrinkage, one
    /// roster draw when the team has any), and otherwise puts the agent on
    /// duty. The handler schedules the breaks ([`Self::breaks`]) and the
    /// shift end, then dispatches.
    pub fn open_shift(
        &mut self,
        now: SimTime,
        a: u32,
        rec: &mut impl Recorder,
    ) -> Option<ShiftOpened> {
        let agent = self.agents[a as usize];
        let team_ix = agent.team as usize;
        // Borrowed for the scenario's lifetime: no copy of the shift.
        let teams: &'a [Team] = self.teams;
        let team = &teams[team_ix];
        let Staffing::Shifts(shifts) = &team.staffing else {
            return None;
        };
        let shift = &shifts[agent.shift as usize];
        let (_, end) = self.calendar.next_shift(shift, now)?;
        rec.agent_time(team_ix, a, AgentTime::Scheduled, now, end);
        let unpaid_s = shift.unpaid_s();
        if unpaid_s > 0.0 {
            rec.unpaid(team_ix, now, end, unpaid_s / shift.length_s);
        }
        let shrinkage = team.shrinkage;
        if shrinkage > 0.0 && self.rngs[team_ix].roster.random::<f64>() < shrinkage {
            rec.agent_time(team_ix, a, AgentTime::Absent, now, end);
            return Some(ShiftOpened::Absent { end });
        }
        let agent = &mut self.agents[a as usize];
        agent.shift_epoch = agent.shift_epoch.wrapping_add(1);
        agent.shift_start = now;
        agent.shift_end = end;
        let epoch = agent.shift_epoch;
        self.go_on_duty(now, a);
        Some(ShiftOpened::Working { end, epoch })
    }

    /// The breaks of seat `a`'s current shift instance that start before
    /// it ends: (index in the shift, due time).
    pub fn breaks(&self, a: u32) -> impl Iterator<Item = (u16, SimTime)> + 'a {
        let agent = self.agents[a as usize];
        let teams: &'a [Team] = self.teams;
        let breaks: &'a [(f64, f64)] = match &teams[agent.team as usize].staffing {
            Staffing::Shifts(shifts) => &shifts[agent.shift as usize].breaks,
            _ => &[],
        };
        breaks
            .iter()
            .enumerate()
            .map(move |(i, &(after_s, _))| (i as u16, break_start(a, agent.shift_start, after_s)))
            .filter(move |&(_, at)| at < agent.shift_end)
    }

    /// Puts agent `a` on duty at `now`, available; the handler dispatches.
    pub fn go_on_duty(&mut self, now: SimTime, a: u32) {
        let agent = &mut self.agents[a as usize];
        agent.on_duty = true;
        agent.avail_since = now;
        agent.idle_since = now;
        agent.shift_start = now;
        self.pools[agent.team as usize].on_duty += 1;
    }

    /// True when the shift end scheduled under `shift_epoch` applies: the
    /// same shift instance, still on duty.
    pub fn shift_ends(&self, a: u32, shift_epoch: u32) -> bool {
        let agent = &self.agents[a as usize];
        agent.shift_epoch == shift_epoch && agent.on_duty
    }

    /// The agent's duty is over. Returns true when it is free to go off
    /// now ([`Self::go_off`]); otherwise it takes no more work and signs
    /// off after its last session.
    pub fn sign_off(&mut self, a: u32) -> bool {
        if self.agents[a as usize].sessions == 0 {
            return true;
        }
        self.agents[a as usize].closing = true;
        self.partial_remove(a);
        false
    }

    /// [`Self::sign_off`] for a staffed interval that ends at `now`: work
    /// past `now` is overtime.
    pub fn sign_off_at(&mut self, now: SimTime, a: u32) -> bool {
        self.agents[a as usize].shift_end = now;
        self.sign_off(a)
    }

    /// Keeps an agent on whose sign-off is pending (the staffed count rose
    /// again); the handler treats it as after work.
    pub fn keep_on(&mut self, a: u32) {
        self.agents[a as usize].closing = false;
    }

    /// Ends agent `a`'s working period at `now` (shift over, or leaving):
    /// books the open available time, break or coaching session and any
    /// overtime past the shift end. Returns the time after which the seat's
    /// next shift is due, when the seat is still filled.
    pub fn go_off(&mut self, now: SimTime, a: u32, rec: &mut impl Recorder) -> Option<SimTime> {
        let agent = self.agents[a as usize];
        let team = agent.team as usize;
        if agent.on_duty && !agent.on_break {
            self.end_available(now, a, rec);
        }
        if agent.on_break {
            let kind = if agent.coaching {
                AgentTime::Coaching
            } else {
                AgentTime::Break
            };
            rec.agent_time(team, a, kind, agent.avail_since, now);
        }
        if agent.closing && now > agent.shift_end {
            rec.agent_time(team, a, AgentTime::Overtime, agent.shift_end, now);
        }
        if agent.on_duty {
            self.pools[team].on_duty -= 1;
        }
        let agent = &mut self.agents[a as usize];
        agent.on_duty = false;
        agent.on_break = false;
        agent.closing = false;
        agent.break_due_s = 0.0;
        // Coaching not taken by the end of the working period is dropped.
        agent.coaching = false;
        agent.coaching_due = 0;
        agent.present.then(|| now.max(agent.shift_end))
    }

    /// Books agent `a`'s available time since it last became available.
    pub fn end_available(&mut self, now: SimTime, a: u32, rec: &mut impl Recorder) {
        let agent = &mut self.agents[a as usize];
        let since = agent.avail_since;
        agent.week_avail_s += seconds(now.saturating_sub(since));
        rec.agent_time(agent.team as usize, a, AgentTime::Available, since, now);
    }

    /// Books every open available period up to `now` (weekly reviews and
    /// the end of the run need them; otherwise they are booked when they end).
    pub fn flush_available(&mut self, now: SimTime, rec: &mut impl Recorder) {
        for a in 0..self.agents.len() as u32 {
            let agent = self.agents[a as usize];
            if agent.present && agent.on_duty && !agent.on_break && agent.avail_since < now {
                self.end_available(now, a, rec);
                self.agents[a as usize].avail_since = now;
            }
        }
    }

    /// Break `index` of shift instance `shift_epoch` falls due for agent
    /// `a`. Returns its length when it starts now ([`Self::start_break`]);
    /// `None` when it no longer applies, or is deferred until the agent is
    /// free (it then takes no more work).
    pub fn break_due(&mut self, a: u32, index: u16, shift_epoch: u32) -> Option<f64> {
        let agent = self.agents[a as usize];
        if agent.shift_epoch != shift_epoch || !agent.on_duty || agent.closing || agent.quitting {
            return None;
        }
        let Staffing::Shifts(shifts) = &self.teams[agent.team as usize].staffing else {
            return None;
        };
        let length_s = shifts[agent.shift as usize].breaks[index as usize].1;
        if agent.on_break && !agent.coaching {
            // Due during another break (one taken late, after a contact):
            // it follows that one instead of restarting it, which used to
            // count the break so far as available time and let the first
            // break's end cut this one short.
            self.agents[a as usize].break_due_s = length_s;
            None
        } else if agent.sessions == 0 && !agent.coaching {
            Some(length_s)
        } else {
            self.agents[a as usize].break_due_s = length_s;
            self.partial_remove(a);
            None
        }
    }

    /// Starts a break of `length_s` for agent `a`; returns when it ends
    /// (cut at the shift's end).
    pub fn start_break(
        &mut self,
        now: SimTime,
        a: u32,
        length_s: f64,
        rec: &mut impl Recorder,
    ) -> SimTime {
        self.end_available(now, a, rec);
        let agent = &mut self.agents[a as usize];
        agent.on_break = true;
        agent.break_due_s = 0.0;
        agent.avail_since = now; // the break's start
        (now + ticks(length_s)).min(agent.shift_end.max(now))
    }

    /// Agent `a`'s break ends at `now`: books it and says what follows
    /// (`None` when no ordinary break was in progress).
    pub fn end_break(&mut self, now: SimTime, a: u32, rec: &mut impl Recorder) -> Option<Next> {
        let agent = self.agents[a as usize];
        if !agent.on_break || !agent.on_duty || agent.coaching {
            return None;
        }
        let team = agent.team as usize;
        rec.agent_time(team, a, AgentTime::Break, agent.avail_since, now);
        let always_on = self.always_on(team);
        let agent = &mut self.agents[a as usize];
        agent.on_break = false;
        agent.avail_since = now;
        Some(if now >= agent.shift_end && !always_on {
            Next::GoOff
        } else if agent.break_due_s > 0.0 {
            Next::Break(agent.break_due_s)
        } else {
            Next::Dispatch
        })
    }

    /// What agent `a` does when one of its sessions ends.
    #[inline]
    pub fn after_work(&self, a: u32) -> Next {
        let agent = &self.agents[a as usize];
        if agent.sessions > 0 {
            if agent.accepting() {
                Next::Dispatch
            } else {
                Next::Wait
            }
        } else if agent.quitting {
            Next::Leave
        } else if agent.closing {
            Next::GoOff
        } else if agent.break_due_s > 0.0 {
            Next::Break(agent.break_due_s)
        } else {
            Next::Dispatch
        }
    }

    /// The weekly attrition draw for agent `a`: true when it quits. One
    /// roster draw per seated agent not already quitting, whatever its
    /// hazard, so the roster stream stays aligned across variants; none
    /// for the others.
    pub fn draws_quit(&mut self, a: u32, attrition: &Attrition) -> bool {
        let agent = &self.agents[a as usize];
        if !agent.present || agent.quitting {
            return false;
        }
        let base = -(1.0 - attrition.annual_rate).ln() / (365.25 / 7.0);
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
        let u: f64 = self.rngs[agent.team as usize].roster.random();
        u < p_quit
    }

    /// Agents of `team` seated and not leaving.
    pub fn headcount(&self, team: usize) -> u32 {
        self.seats(team)
            .filter(|&a| {
                let agent = &self.agents[a as usize];
                agent.present && !agent.quitting
            })
            .count() as u32
    }

    /// Starts a new week of occupancy and repetitiveness counts.
    pub fn close_week(&mut self) {
        for agent in &mut self.agents {
            agent.week_busy_s = 0.0;
            agent.week_avail_s = 0.0;
            agent.week_contacts = 0;
            agent.week_repetitive = 0;
        }
    }

    /// Agent `a` quits. Returns true when it can leave now ([`Self::leave`]);
    /// otherwise it takes no more work and leaves after its last session.
    pub fn quit(&mut self, a: u32) -> bool {
        if self.agents[a as usize].sessions == 0 {
            return true;
        }
        self.agents[a as usize].quitting = true;
        self.partial_remove(a);
        false
    }

    /// Agent `a` leaves the company at `now`: its time is booked, the seat
    /// is empty and shift starts scheduled for it no longer apply.
    pub fn leave(&mut self, now: SimTime, a: u32, rec: &mut impl Recorder) {
        let agent = &mut self.agents[a as usize];
        agent.quitting = false;
        agent.present = false;
        // An empty seat has no next shift.
        let _ = self.go_off(now, a, rec);
        let agent = &mut self.agents[a as usize];
        agent.seat_epoch = agent.seat_epoch.wrapping_add(1);
    }

    /// A replacement hire fills seat `a` at `now`, rested.
    pub fn hire(&mut self, now: SimTime, a: u32) {
        let agent = &mut self.agents[a as usize];
        agent.present = true;
        agent.hired_at = Some(now);
        agent.fatigue_h = 0.0;
        agent.fatigue_at = now;
    }

    /// A coaching session is booked for agent `a`, taken when it is next
    /// free (it takes no new work until then).
    pub fn add_coaching(&mut self, a: u32) {
        self.agents[a as usize].coaching_due += 1;
        self.partial_remove(a);
    }

    /// Takes one pending coaching session off agent `a`'s list.
    pub fn take_coaching(&mut self, a: u32) {
        self.agents[a as usize].coaching_due -= 1;
    }

    /// Drops agent `a`'s pending coaching sessions.
    pub fn drop_coaching(&mut self, a: u32) {
        self.agents[a as usize].coaching_due = 0;
    }

    /// Agent `a` goes to a coaching session until `end`.
    pub fn start_coaching(&mut self, now: SimTime, a: u32, end: SimTime, rec: &mut impl Recorder) {
        self.end_available(now, a, rec);
        let agent = &mut self.agents[a as usize];
        agent.on_break = true;
        agent.coaching = true;
        agent.coach_end = end;
        agent.avail_since = now;
    }

    /// True when agent `a`'s coaching session ends at `now` (not cut short
    /// by a shift end or a quit, which booked it already).
    pub fn coaching_ends(&self, a: u32, now: SimTime) -> bool {
        let agent = &self.agents[a as usize];
        agent.coaching && agent.coach_end == now
    }

    /// Agent `a`'s coaching session ends at `now`, leaving its resolution
    /// uplift at `level`; the handler then treats it as after work.
    pub fn end_coaching(&mut self, now: SimTime, a: u32, level: f64, rec: &mut impl Recorder) {
        let agent = &mut self.agents[a as usize];
        rec.agent_time(
            agent.team as usize,
            a,
            AgentTime::Coaching,
            agent.avail_since,
            now,
        );
        agent.coach_level = level;
        agent.coach_at = now;
        agent.on_break = false;
        agent.coaching = false;
        agent.avail_since = now;
    }

    /// Agent `a`'s coaching uplift at `now`, decaying with time constant
    /// `decay_s` since its last session.
    pub fn coaching_uplift(&self, now: SimTime, a: u32, decay_s: f64) -> f64 {
        let agent = &self.agents[a as usize];
        if agent.coach_level > 0.0 {
            agent.coach_level * (-seconds(now.saturating_sub(agent.coach_at)) / decay_s).exp()
        } else {
            0.0
        }
    }
}
