//! Agent handlers: shift starts and ends, per-interval staffing steps,
//! breaks, dispatch of waiting work, weekly attrition and hiring. The
//! agents' state and its rules are the workforce's (`engine/workforce/`):
//! these handlers connect its verbs to the event queue, the waiting room
//! and the recorder.

use super::{Event, Replication};
use crate::engine::queue::{SimTime, ticks};
use crate::engine::record::Recorder;
use crate::engine::workforce::{Next, ShiftOpened};
use crate::routing::Router;
use crate::scenario::{Scenario, Staffing};

const WEEK_S: f64 = 7.0 * 86_400.0;
/// After the horizon, shifts keep coming only while contacts wait, and for at
/// most this long: what is still waiting then is reported as stranded.
const DRAIN_LIMIT_S: f64 = 7.0 * 86_400.0;

impl<'a, R: Router> Replication<'a, R> {
    /// Puts always-on agents on duty and schedules every first shift and
    /// review, at `start` (0, or later when a backlog moved the clock origin).
    pub(super) fn start_agents(&mut self, start: SimTime) {
        for a in 0..self.staff.len() as u32 {
            let team = self.staff.agent(a).team as usize;
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
        self.staff.go_on_duty(now, a);
        self.dispatch(now, a);
    }

    fn schedule_next_shift(&mut self, a: u32, after: SimTime) {
        if let Some((start, seat_epoch)) = self.staff.next_shift(a, after) {
            // Past the horizon, shifts only drain waiting contacts (checked when
            // the shift starts), and only for a limited time.
            if start >= self.clock.horizon_end() + ticks(DRAIN_LIMIT_S) {
                return;
            }
            self.events.push(
                start,
                Event::ShiftStart {
                    agent: a,
                    seat_epoch,
                },
            );
        }
    }

    pub(super) fn on_shift_start(&mut self, now: SimTime, a: u32, seat_epoch: u32) {
        if !self.staff.shift_due(a, seat_epoch) {
            return;
        }
        if now >= self.clock.horizon_end() && !self.any_waiting() {
            return; // no arrivals come after the horizon: nothing left to do
        }
        match self.staff.open_shift(now, a, &mut self.rec) {
            None => {}
            Some(ShiftOpened::Absent { end }) => self.schedule_next_shift(a, end),
            Some(ShiftOpened::Working { end, epoch }) => {
                for (index, at) in self.staff.breaks(a) {
                    self.events.push(
                        at,
                        Event::BreakStart {
                            agent: a,
                            index,
                            shift_epoch: epoch,
                        },
                    );
                }
                self.events.push(
                    end,
                    Event::ShiftEnd {
                        agent: a,
                        shift_epoch: epoch,
                    },
                );
                self.dispatch(now, a);
            }
        }
    }

    /// Per-interval staffing: at each staffing boundary, seats below the
    /// interval's count are on duty; the others go off (after finishing work).
    pub(super) fn on_staffing_step(&mut self, now: SimTime, team: u32) {
        // Borrowed for the scenario's lifetime, not through `self`.
        let scenario: &'a Scenario = self.scenario;
        let Staffing::PerInterval { agents, interval_s } = &scenario.teams[team as usize].staffing
        else {
            return;
        };
        let step_ticks = ticks(*interval_s).max(1);
        // Steps are aligned to the horizon's start; warm-up steps wrap around the cycle.
        let offset = now as i128 - self.clock.warmup_end() as i128;
        let step = offset.div_euclid(step_ticks as i128);
        let target = agents[step.rem_euclid(agents.len() as i128) as usize];
        let next = (self.clock.warmup_end() as i128 + (step + 1) * step_ticks as i128) as SimTime;
        for (k, a) in self.staff.seats(team as usize).enumerate() {
            let agent = *self.staff.agent(a);
            if !agent.present {
                continue;
            }
            if (k as u32) < target {
                if !agent.on_duty {
                    self.go_on_duty(now, a);
                } else if agent.closing {
                    self.staff.keep_on(a);
                    self.after_work(now, a);
                }
            } else if agent.on_duty && !agent.closing && self.staff.sign_off_at(now, a) {
                self.go_off(now, a);
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
        if self.staff.shift_ends(a, shift_epoch) && self.staff.sign_off(a) {
            self.go_off(now, a);
        }
    }

    /// Ends the agent's working period (shift over, or leaving the company)
    /// and schedules its next shift.
    fn go_off(&mut self, now: SimTime, a: u32) {
        if let Some(after) = self.staff.go_off(now, a, &mut self.rec) {
            self.schedule_next_shift(a, after);
        }
    }

    pub(super) fn on_break_due(&mut self, now: SimTime, a: u32, index: u16, shift_epoch: u32) {
        if let Some(length_s) = self.staff.break_due(a, index, shift_epoch) {
            self.start_break(now, a, length_s);
        }
    }

    fn start_break(&mut self, now: SimTime, a: u32, length_s: f64) {
        let end = self.staff.start_break(now, a, length_s, &mut self.rec);
        self.events.push(end, Event::BreakEnd { agent: a });
    }

    pub(super) fn on_break_end(&mut self, now: SimTime, a: u32) {
        if let Some(next) = self.staff.end_break(now, a, &mut self.rec) {
            self.follow(now, a, next);
        }
    }

    /// What an agent does when a session, or its coaching, ends.
    #[inline(always)]
    pub(super) fn after_work(&mut self, now: SimTime, a: u32) {
        let next = self.staff.after_work(a);
        self.follow(now, a, next);
    }

    /// Carries out what the workforce said agent `a` does next.
    #[inline(always)]
    fn follow(&mut self, now: SimTime, a: u32, next: Next) {
        match next {
            Next::Dispatch => self.dispatch(now, a),
            Next::Break(length_s) => self.start_break(now, a, length_s),
            Next::GoOff => self.go_off(now, a),
            Next::Leave => self.leave(now, a),
            Next::Wait => {}
        }
    }

    /// Gives the agent waiting work while it has capacity; parks it in its pool.
    pub(super) fn dispatch(&mut self, now: SimTime, a: u32) {
        if self.try_coaching(now, a) {
            return;
        }
        while self.staff.agent(a).accepting() {
            let Some(contact) = self.next_contact_for(now, a) else {
                break;
            };
            self.start_service(now, a, contact);
        }
        self.staff.park_if_idle(now, a);
    }

    pub(super) fn on_week_end(&mut self, now: SimTime, week: u32) {
        self.staff.flush_available(now, &mut self.rec);
        for team in 0..self.scenario.teams.len() {
            let Some(attrition) = self.scenario.teams[team].attrition else {
                continue;
            };
            for a in self.staff.seats(team) {
                if self.staff.draws_quit(a, &attrition) {
                    self.quit(now, a, week);
                }
            }
            self.rec.headcount(week, team, self.staff.headcount(team));
        }
        self.staff.close_week();
        if (week as usize + 1) < self.clock.weeks() {
            self.events
                .push(now + ticks(WEEK_S), Event::WeekEnd { week: week + 1 });
        }
    }

    fn quit(&mut self, now: SimTime, a: u32, week: u32) {
        let team = self.staff.agent(a).team as usize;
        self.rec.quit(now, team, week);
        if self.staff.quit(a) {
            self.leave(now, a);
        }
    }

    fn leave(&mut self, now: SimTime, a: u32) {
        self.staff.leave(now, a, &mut self.rec);
        let team = self.staff.agent(a).team as usize;
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
        self.staff.hire(now, a);
        let team = self.staff.agent(a).team as usize;
        self.rec.hired(now, team);
        if self.staff.always_on(team) {
            self.go_on_duty(now, a);
        } else {
            self.schedule_next_shift(a, now);
        }
    }
}
