//! Service: which agent takes a contact and which contact an agent takes next
//! (fifo: longest-waiting contact, longest-idle agent), handle and wrap-up
//! times with every multiplier, and outcomes.

use super::{Contact, Event, Replication};
use crate::engine::queue::{SimTime, seconds, ticks};
use crate::engine::record::{Answer, Recorder};
use crate::engine::waiting::{Pick, Ticket};
use crate::engine::workforce::Session;
use crate::routing::Router;
use crate::routing::{AgentView, ContactView};
use crate::scenario::{NOMINAL_SHIFT_H, Staffing};
use rand::RngExt;

/// What the router sees of contact `c` waiting in `channel`'s queue.
pub(super) fn contact_view(c: &Contact, channel: usize, wait_s: f64) -> ContactView {
    ContactView {
        channel,
        intent: c.intent as usize,
        tier: c.tier as usize,
        wait_s,
        queued_at_s: seconds(c.queued_at),
        escalated: c.escalated,
        queue_len: 0,
        queued_total: 0,
    }
}

impl<R: Router> Replication<'_, R> {
    fn skilled(&self, team: usize, c: &Contact) -> bool {
        let t = &self.scenario.teams[team];
        t.intents[c.intent as usize] && t.languages[c.language as usize]
    }

    fn agent_view(&self, now: SimTime, a: u32, idle_share: f64) -> AgentView {
        let agent = self.staff.agent(a);
        let team = agent.team as usize;
        AgentView {
            team,
            idle_since_s: seconds(agent.idle_since),
            fatigue_h: if self.router.needs_fatigue() {
                self.staff.fatigue_load_h(now, a)
            } else {
                0.0
            },
            proficiency: self.scenario.teams[team].proficiency,
            team_idle_share: idle_share,
            team_idle: 0,
            idle_total: 0,
        }
    }

    /// The agent a contact that has waited `wait_s` goes to: the routing
    /// strategy's preferred idle skilled agent among teams allowed to take it,
    /// else the skilled agent with spare concurrent capacity and fewest sessions.
    pub(super) fn agent_for(&mut self, now: SimTime, c: &Contact, wait_s: f64) -> Option<u32> {
        let channel = c.channel as usize;
        // Idle agents of every team that may take the contact (QIR only).
        let idle_total: u32 = if self.router.needs_idle_counts() {
            (0..self.staff.teams_for(channel).len())
                .map(|i| self.staff.teams_for(channel)[i] as usize)
                .filter(|&t| {
                    (self.staff.all_skills(t) || self.skilled(t, c))
                        && self.router.team_may_take(t, channel, wait_s)
                })
                .map(|t| self.staff.idle_count(t, u32::MAX) as u32)
                .sum()
        } else {
            0
        };
        // (preference, team, position in the idle deque)
        let mut best: Option<(f64, usize, usize)> = None;
        for i in 0..self.staff.teams_for(channel).len() {
            let team = self.staff.teams_for(channel)[i] as usize;
            if (!self.staff.all_skills(team) && !self.skilled(team, c))
                || !self.router.team_may_take(team, channel, wait_s)
            {
                continue;
            }
            // Drop stale idle entries (agents who left for a break, a shift end…).
            self.staff.prune_idle(team);
            if self.router.reserves_agents() {
                let idle = self.staff.idle_count(team, u32::MAX);
                let view = contact_view(c, channel, wait_s);
                if idle == 0 || !self.router.may_take_reserved(team, &view, idle - 1) {
                    continue;
                }
            }
            let share = if self.router.needs_idle_share() {
                let idle = self.staff.idle_count(team, u32::MAX);
                idle as f64 / f64::from(self.staff.on_duty(team).max(1))
            } else {
                0.0
            };
            let team_idle = if self.router.needs_idle_counts() {
                self.staff.idle_count(team, u32::MAX) as u32
            } else {
                0
            };
            let candidates = if self.router.team_front_only() {
                1
            } else {
                self.staff.idle(team).len()
            };
            for pos in 0..candidates.min(self.staff.idle(team).len()) {
                let (a, epoch) = self.staff.idle(team)[pos];
                if !self.staff.idle_valid(a, epoch) {
                    continue;
                }
                let view = AgentView {
                    team_idle,
                    idle_total,
                    ..self.agent_view(now, a, share)
                };
                let pref = self.router.agent_preference(&view);
                if best.is_none_or(|(p, _, _)| pref > p) {
                    best = Some((pref, team, pos));
                }
            }
        }
        if let Some((_, team, pos)) = best {
            return self.staff.take_idle(team, pos);
        }
        let mut partial: Option<(u8, u32)> = None;
        for &team in self.staff.teams_for(channel) {
            let cap = self.scenario.teams[team as usize].concurrency[channel];
            if cap <= 1
                || !self.skilled(team as usize, c)
                || !self.router.team_may_take(team as usize, channel, wait_s)
            {
                continue;
            }
            for &a in self.staff.partial(team as usize) {
                let agent = self.staff.agent(a);
                if agent.accepting()
                    && !agent.exclusive
                    && agent.sessions < cap
                    && partial.is_none_or(|(s, _)| agent.sessions < s)
                {
                    partial = Some((agent.sessions, a));
                }
            }
        }
        partial.map(|(_, a)| a)
    }

    /// The slot of the contact agent `a` should take next, removed from its
    /// queue: real-time channels before deferred ones, then the strategy's
    /// highest priority (the longest waiting, for fifo) among contacts the
    /// agent is skilled for, allowed to take, and has capacity for.
    pub(super) fn next_contact_for(&mut self, now: SimTime, a: u32) -> Option<Contact> {
        let agent = *self.staff.agent(a);
        if agent.exclusive {
            return None;
        }
        let team_ix = agent.team as usize;
        let team = &self.scenario.teams[team_ix];
        let all_skills = self.staff.all_skills(team_ix);
        // Idle agents of the team other than `a` (trunk reservation only).
        let idle_left = if self.router.reserves_agents() {
            self.staff.idle_count(team_ix, a)
        } else {
            0
        };
        let router = &self.router;
        let fifo = router.fifo_contacts();
        for deferred in [false, true] {
            // (priority, channel, position)
            let mut best: Option<(f64, usize, usize)> = None;
            let queued_total: u32 = if router.needs_queue_lengths() {
                team.channels
                    .iter()
                    .filter(|&&c| self.scenario.channels[c].deferred == deferred)
                    .map(|&c| self.room.waiting(c))
                    .sum()
            } else {
                0
            };
            for &c in &team.channels {
                if self.scenario.channels[c].deferred != deferred
                    || self.room.waiting(c) == 0
                    || agent.sessions >= team.concurrency[c]
                {
                    continue;
                }
                let queue_len = if router.needs_queue_lengths() {
                    self.room.waiting(c)
                } else {
                    0
                };
                let found = self.room.best_in(c, fifo, |contact| {
                    let skilled = team.intents[contact.intent as usize]
                        && team.languages[contact.language as usize];
                    if !(all_skills || skilled) {
                        return Pick::Skip;
                    }
                    let wait_s = seconds(now - contact.queued_at);
                    if !router.team_may_take(team_ix, c, wait_s) {
                        // Fifo: later entries waited less, so none is allowed either.
                        return if fifo { Pick::Stop } else { Pick::Skip };
                    }
                    let view = ContactView {
                        queue_len,
                        queued_total,
                        ..contact_view(contact, c, wait_s)
                    };
                    if router.reserves_agents()
                        && !router.may_take_reserved(team_ix, &view, idle_left)
                    {
                        return Pick::Skip;
                    }
                    Pick::Score(router.contact_priority(&view))
                });
                if let Some((priority, i)) = found
                    && best.is_none_or(|(p, _, _)| priority > p)
                {
                    best = Some((priority, c, i));
                }
            }
            if let Some((_, c, i)) = best {
                return self.room.take_at(c, i);
            }
        }
        None
    }

    /// A waiting contact reaches the overflow threshold: offer it to every team.
    pub(super) fn on_overflow(&mut self, now: SimTime, slot: u32, generation: u32) {
        let ticket = Ticket { slot, generation };
        let Some((c, false)) = self.room.get(ticket) else {
            return; // left already, or waiting for the AI
        };
        let Some(a) = self.agent_for(now, &c, seconds(now - c.queued_at)) else {
            return;
        };
        if let Some(contact) = self.room.take_out_of_turn(c.channel as usize, ticket) {
            self.start_service(now, a, contact);
        }
    }

    /// Handle-time multipliers of agent `a` now: (all of them, fatigue's share).
    fn handle_multiplier(&self, now: SimTime, a: u32, channel: usize) -> (f64, f64) {
        let agent = self.staff.agent(a);
        let team = &self.scenario.teams[agent.team as usize];
        let progress = match (agent.hired_at, team.attrition) {
            (Some(hired), Some(att)) if att.ramp_s > 0.0 => {
                (seconds(now - hired) / (att.ramp_s * team.assist.ramp.max(1e-9))).min(1.0)
            }
            _ => 1.0,
        };
        let ramp = match team.attrition {
            Some(att) if progress < 1.0 => {
                1.0 / att.ramp_start - (1.0 / att.ramp_start - 1.0) * progress
            }
            _ => 1.0,
        };
        let assist = team.assist.handle_time
            + (team.assist.new_hire_handle_time - team.assist.handle_time) * (1.0 - progress);
        let fatigue = match team.fatigue {
            Some(f) => {
                let on_duty_h = seconds(now.saturating_sub(agent.shift_start)) / 3600.0;
                let shift_h = match self.scenario.teams[agent.team as usize].staffing {
                    Staffing::AlwaysOn { .. } => 0.0,
                    // Net staffing keeps the lowest seats on duty for days: read
                    // a seat as people handing over every nominal shift.
                    Staffing::PerInterval { .. } => on_duty_h % NOMINAL_SHIFT_H,
                    Staffing::Shifts(_) => on_duty_h,
                };
                1.0 + f.per_shift_hour * shift_h
                    + f.per_busy_hour * self.staff.fatigue_load_h(now, a)
            }
            None => 1.0,
        };
        let sessions = f64::from(agent.sessions.max(1));
        let concurrency = 1.0 + team.concurrency_slowdown * (sessions - 1.0);
        let load = match team.load_speed {
            Some(l) => {
                let on_duty = f64::from(self.staff.on_duty(agent.team as usize).max(1));
                let waiting = f64::from(self.waiting_in(&team.channels));
                if waiting >= l.queue_per_agent * on_duty {
                    l.factor
                } else {
                    1.0
                }
            }
            None => 1.0,
        };
        let _ = channel;
        (
            team.proficiency * ramp * assist * fatigue * concurrency * load,
            fatigue,
        )
    }

    /// Starts a session of contact `c` with agent `a`.
    pub(super) fn start_service(&mut self, now: SimTime, a: u32, mut c: Contact) {
        #[cfg(test)]
        self.check_may_serve(now, a);
        let team_ix = self.staff.agent(a).team as usize;
        let channel = c.channel as usize;
        let concurrent = self.scenario.teams[team_ix].concurrency[channel] > 1;
        let repetitive = self.scenario.intents[c.intent as usize].repetitive;
        self.staff.begin_session(now, a, concurrent, repetitive);
        let base_s = if c.work_s >= 0.0 {
            c.work_s
        } else {
            // Validation guarantees a team handle time when the intent has none.
            let rng = &mut self.staff.rngs(team_ix).service;
            self.scenario.teams[team_ix]
                .handle_time
                .map_or(0.0, |d| d.sample(rng))
        };
        let (multiplier, fatigue) = self.handle_multiplier(now, a, channel);
        // Handoff friction: context re-established (less with real-time assist)
        // and time lost to a misroute come on top of the contact's own work.
        let extra_s = f64::from(c.context_s) * self.scenario.teams[team_ix].assist.context
            + f64::from(c.misroute_s);
        // Waiting for back-office systems is not sped up by skill or assist.
        let back_office_s = self.human_back_office(now, &mut c);
        let handle_s = base_s * multiplier + extra_s + back_office_s;
        let (resolved, wrap_s) = self.outcome(now, a, &c);
        let answer = Answer {
            team: team_ix as u32,
            sessions: u32::from(self.staff.agent(a).sessions),
            fatigue,
            handle_s,
            handoff_extra_s: extra_s,
            wrap_s,
            resolved,
        };
        self.rec.answered(now, &c, &answer);
        // Recent handle time per channel, for callback wait estimates.
        self.staff.note_handle_time(channel, handle_s);
        let session = self.staff.open_session(Session {
            contact: c,
            agent: a,
            resolved,
            wrap_s,
        });
        self.events
            .push(now + ticks(handle_s), Event::ServiceEnd { session });
    }

    /// Talk ends: decide the outcome, then wrap up.
    pub(super) fn on_service_end(&mut self, now: SimTime, session: u32) {
        let s = self.staff.session(session);
        let team = self.staff.agent(s.agent).team;
        self.rec.talk_ended(now, &s.contact, team, s.resolved);
        self.score(now, &s.contact, !s.resolved, Some(s.agent));
        if !s.resolved {
            self.recontact(now, s.contact);
        }
        if s.wrap_s > 0.0 {
            self.events
                .push(now + ticks(s.wrap_s), Event::WrapEnd { session });
        } else {
            self.finish_session(now, session);
        }
    }

    /// The outcome of a human contact and its wrap-up time, decided when it
    /// starts (so one accumulator update records the whole contact).
    fn outcome(&mut self, now: SimTime, a: u32, c: &Contact) -> (bool, f64) {
        let team_ix = self.staff.agent(a).team as usize;
        let team = &self.scenario.teams[team_ix];
        let intent = &self.scenario.intents[c.intent as usize];
        let coached = self.coaching_uplift(now, a);
        let mut unresolved = (1.0
            - intent.human_resolution
            - team.assist.resolution
            - coached
            - f64::from(c.resolution_delta))
        .clamp(0.0, 1.0);
        if let Some(f) = team.fatigue {
            let load = self.staff.fatigue_load_h(now, a);
            unresolved = (unresolved * (1.0 + f.unresolved_per_busy_hour * load)).min(1.0);
        }
        let resolved =
            self.staff.rngs(team_ix).outcome.random::<f64>() >= unresolved && !c.back_office_failed;
        let channel = c.channel as usize;
        let wrap_s = match intent.wrap_up[channel].or(team.wrap_up[channel]) {
            Some(d) => d.sample(&mut self.staff.rngs(team_ix).wrap) * team.assist.wrap_up,
            None => 0.0,
        };
        (resolved, wrap_s)
    }

    /// Wrap-up ends: free the session; the agent moves on.
    pub(super) fn finish_session(&mut self, now: SimTime, session: u32) {
        let a = self.staff.end_session(now, session, &mut self.rec);
        self.after_work(now, a);
    }
}
