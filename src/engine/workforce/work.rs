//! Work: sessions starting and ending, the pools routing draws agents
//! from (idle agents, longest idle first; agents with spare concurrent
//! capacity), and the fatigue that busy time builds up.

use super::seat::NOT_LISTED;
use super::{Session, Workforce};
use crate::engine::queue::{SimTime, seconds};
use crate::engine::record::{AgentTime, Recorder};
use std::collections::VecDeque;

impl Workforce<'_> {
    /// True when idle-pool entry (`a`, `epoch`) is still an idle agent
    /// taking work (entries go stale when the agent leaves for a break, a
    /// shift end, or work).
    #[inline]
    pub fn idle_valid(&self, a: u32, epoch: u32) -> bool {
        let agent = &self.agents[a as usize];
        agent.idle_epoch == epoch && agent.accepting() && agent.sessions == 0
    }

    /// Valid idle agents of `team` other than `except`.
    pub fn idle_count(&self, team: usize, except: u32) -> usize {
        self.pools[team]
            .idle
            .iter()
            .filter(|&&(a, e)| a != except && self.idle_valid(a, e))
            .count()
    }

    /// `team`'s idle pool, longest idle first, stale entries included
    /// (check them with [`Self::idle_valid`]).
    #[inline]
    pub fn idle(&self, team: usize) -> &VecDeque<(u32, u32)> {
        &self.pools[team].idle
    }

    /// Drops stale entries from the front of `team`'s idle pool.
    #[inline]
    pub fn prune_idle(&mut self, team: usize) {
        while let Some(&(a, epoch)) = self.pools[team].idle.front() {
            if self.idle_valid(a, epoch) {
                break;
            }
            self.pools[team].idle.pop_front();
        }
    }

    /// Takes the agent at position `pos` of `team`'s idle pool.
    #[inline]
    pub fn take_idle(&mut self, team: usize, pos: usize) -> Option<u32> {
        let idle = &mut self.pools[team].idle;
        // Fifo always takes the front: a pop, not a general removal.
        let entry = if pos == 0 {
            idle.pop_front()
        } else {
            idle.remove(pos)
        };
        entry.map(|(a, _)| a)
    }

    /// Puts agent `a` at the back of its idle pool if it takes work and has
    /// none (the end of a dispatch that found nothing more for it).
    #[inline]
    pub fn park_if_idle(&mut self, now: SimTime, a: u32) {
        let agent = &mut self.agents[a as usize];
        if agent.accepting() && agent.sessions == 0 {
            agent.idle_epoch = agent.idle_epoch.wrapping_add(1);
            agent.idle_since = now;
            let entry = (a, agent.idle_epoch);
            self.pools[agent.team as usize].idle.push_back(entry);
        }
    }

    /// Agents of `team` holding concurrent sessions with spare capacity.
    #[inline]
    pub fn partial(&self, team: usize) -> &[u32] {
        &self.pools[team].partial
    }

    /// Adds an agent with spare concurrent capacity to its team's partial list.
    #[inline]
    pub(super) fn partial_add(&mut self, a: u32) {
        let agent = &mut self.agents[a as usize];
        if agent.partial_pos != NOT_LISTED {
            return;
        }
        let pool = &mut self.pools[agent.team as usize];
        agent.partial_pos = pool.partial.len() as u32;
        pool.partial.push(a);
    }

    /// Removes an agent from its team's partial list, if listed.
    #[inline]
    pub(super) fn partial_remove(&mut self, a: u32) {
        let pos = self.agents[a as usize].partial_pos;
        if pos == NOT_LISTED {
            return;
        }
        let pool = &mut self.pools[self.agents[a as usize].team as usize];
        pool.partial.swap_remove(pos as usize);
        if let Some(&moved) = pool.partial.get(pos as usize) {
            self.agents[moved as usize].partial_pos = pos;
        }
        self.agents[a as usize].partial_pos = NOT_LISTED;
    }

    /// Unrecovered busy load of agent `a` at `now`, hours (0 for teams
    /// without a fatigue model).
    #[inline]
    pub fn fatigue_load_h(&self, now: SimTime, a: u32) -> f64 {
        let agent = &self.agents[a as usize];
        let Some(f) = &self.teams[agent.team as usize].fatigue else {
            return 0.0;
        };
        if agent.sessions > 0 {
            // Busy: the load so far plus this busy period.
            agent.fatigue_h + seconds(now - agent.busy_since) / 3600.0
        } else {
            agent.fatigue_h * (-seconds(now - agent.fatigue_at) / f.recovery_s).exp()
        }
    }

    /// Agent `a` takes one more session at `now` (`concurrent`: on a channel
    /// it may hold several of; `repetitive`: of a repetitive intent). The
    /// first session ends the idle time fatigue recovered over.
    #[inline(always)]
    pub fn begin_session(&mut self, now: SimTime, a: u32, concurrent: bool, repetitive: bool) {
        if self.agents[a as usize].sessions == 0 {
            let load = self.fatigue_load_h(now, a);
            let agent = &mut self.agents[a as usize];
            agent.fatigue_h = load;
            agent.fatigue_at = now;
            agent.busy_since = now;
        }
        let agent = &mut self.agents[a as usize];
        agent.sessions += 1;
        agent.exclusive = !concurrent;
        agent.week_contacts += 1;
        agent.week_repetitive += u32::from(repetitive);
        let max = self.pools[agent.team as usize].max_concurrency;
        if !agent.exclusive && agent.sessions < max {
            self.partial_add(a);
        } else {
            self.partial_remove(a);
        }
    }

    /// Stores a session in progress; returns its id.
    #[inline]
    pub fn open_session(&mut self, s: Session) -> u32 {
        self.sessions.insert(s)
    }

    /// Session `id` in progress.
    #[inline]
    pub fn session(&self, id: u32) -> Session {
        self.sessions.get(id)
    }

    /// Session `id` ends at `now` (after its wrap-up): when it was the
    /// agent's last, the busy period is booked and adds to its fatigue and
    /// weekly occupancy. Returns the agent; the handler then asks
    /// [`Self::after_work`].
    #[inline(always)]
    pub fn end_session(&mut self, now: SimTime, id: u32, rec: &mut impl Recorder) -> u32 {
        let a = self.sessions.remove(id);
        let agent = &mut self.agents[a as usize];
        agent.sessions -= 1;
        if agent.sessions == 0 {
            agent.exclusive = false;
            let busy_since = agent.busy_since;
            let busy_s = seconds(now - busy_since);
            agent.week_busy_s += busy_s;
            agent.fatigue_h += busy_s / 3600.0;
            agent.fatigue_at = now;
            rec.agent_time(agent.team as usize, a, AgentTime::Busy, busy_since, now);
            self.partial_remove(a);
        } else if agent.accepting() {
            self.partial_add(a);
        }
        a
    }
}
