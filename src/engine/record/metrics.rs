//! The default recorder: turns observations into the per-interval
//! accumulators of `metrics::ReplicationStats`. Definitions follow
//! DESIGN.md §5: a contact counts in the interval it arrived in, agent time
//! in the intervals it spans; only the measured window counts.
//!
//! This is the one place that decides how an observation is counted, so
//! the handlers never touch a cell. Each contact observation is one update
//! applied to every accumulator the contact counts in (interval × channel ×
//! region, intent × channel, tier, language).

use super::{AgentTime, AiEnd, Answer, Recorder, Scoring, SystemUse};
use crate::engine::clock::{DAY, Horizon, WEEK};
use crate::engine::contact::Contact;
use crate::metrics::{ContactStats, QualityStats, ReplicationStats, Retention, TeamStats};
use crate::scenario::Scenario;
use crate::time::{SimTime, seconds};

/// A channel's service-level rules in ticks (see `scenario::ServiceLevel`).
#[derive(Debug, Clone, Copy)]
struct SlRule {
    /// Answered within this wait counts as within the service level.
    within: SimTime,
    /// Abandons after a shorter wait are left out.
    short_abandon: SimTime,
    /// Abandons count in the service level's denominator.
    abandons_count: bool,
    /// Short abandons count there too (basis `offered`).
    short_count: bool,
}

impl SlRule {
    /// The rules of one channel.
    fn of(sl: &crate::scenario::ServiceLevel) -> SlRule {
        use crate::scenario::SlBasis;
        use crate::time::ticks;
        SlRule {
            within: ticks(sl.within_s),
            short_abandon: ticks(sl.short_abandon_s),
            abandons_count: sl.basis != SlBasis::Answered,
            short_count: sl.basis == SlBasis::Offered,
        }
    }
}

/// Which contact breakdowns have more than one cell (see `Metrics::contact`).
#[derive(Debug, Clone, Copy)]
struct Split {
    /// More than one (intent, channel) cell.
    intent: bool,
    /// More than one value tier.
    tier: bool,
    /// More than one language.
    language: bool,
}

impl Split {
    /// Every breakdown has its own cells: no cell is filled from `all`.
    #[inline]
    fn all(self) -> bool {
        self.intent && self.tier && self.language
    }
}

/// The per-interval accumulators of one replication and the rules that fill them.
pub(in crate::engine) struct Metrics {
    pub(super) stats: ReplicationStats,
    /// Breakdowns with more than one cell.
    split: Split,
    /// Every measured contact, in event order: the single-cell breakdowns.
    all: ContactStats,
    /// Per channel: its service-level threshold and counting rules.
    sl: Vec<SlRule>,
    clock: Horizon,
}

impl Metrics {
    /// Zeroed accumulators for `scenario` over `clock`'s measured window,
    /// kept in memory or spilled to disk as `retention` says.
    pub fn new(scenario: &Scenario, clock: Horizon, retention: Retention) -> std::io::Result<Self> {
        let sim = &scenario.simulation;
        let n_channels = scenario.channels.len();
        let shape = (
            sim.intervals(),
            n_channels,
            scenario.regions.len(),
            scenario.teams.len(),
            scenario.intents.len(),
        );
        let mut stats = match retention.resolve(scenario) {
            Retention::Memory | Retention::Auto => {
                ReplicationStats::new(shape.0, shape.1, shape.2, shape.3, shape.4)
            }
            Retention::Spill => ReplicationStats::spilled(
                shape.0,
                shape.1,
                shape.2,
                shape.3,
                shape.4,
                sim.interval_s,
            )?,
        };
        stats.tier = vec![ContactStats::default(); scenario.tiers.len()];
        stats.language = vec![ContactStats::default(); scenario.languages.len()];
        stats.quality = quality_stats(scenario);
        stats.weeks = vec![Default::default(); clock.weeks() * scenario.teams.len()];
        stats.causes = vec![0; crate::scenario::ai::CAUSES * n_channels];
        stats.size_agents(scenario.teams.iter().map(|t| t.headcount() as usize).sum());
        let split = Split {
            intent: stats.intent.len() != 1,
            tier: stats.tier.len() != 1,
            language: stats.language.len() != 1,
        };
        Ok(Metrics {
            stats,
            split,
            all: ContactStats::default(),
            sl: scenario
                .channels
                .iter()
                .map(|c| SlRule::of(&c.service_level))
                .collect(),
            clock,
        })
    }

    /// Applies `update` to every accumulator a measured contact counts in.
    /// A breakdown with a single cell (one tier, one language, one intent
    /// on one channel) would receive every measured contact in event order:
    /// exactly what `all` receives. Such cells are filled from `all` when
    /// the run finishes, which saves their updates and gives the same bits.
    #[inline(always)]
    fn contact(&mut self, c: &Contact, update: impl Fn(&mut ContactStats)) {
        let stats = &mut self.stats;
        update(stats.contact_mut(c.interval as usize, c.channel as usize, c.region as usize));
        let split = self.split;
        if split.intent {
            update(stats.intent_mut(c.intent as usize, c.channel as usize));
        }
        if split.tier {
            update(&mut stats.tier[c.tier as usize]);
        }
        if split.language {
            update(&mut stats.language[c.language as usize]);
        }
        if !split.all() {
            update(&mut self.all);
        }
    }

    /// The (interval, team) cell at `t`, if measured.
    #[inline(always)]
    fn team_at(&mut self, team: usize, t: SimTime) -> Option<&mut TeamStats> {
        let i = self.clock.interval_of(t);
        (i != u32::MAX).then(|| self.stats.team_mut(i as usize, team))
    }

    /// The finished accumulators, with the run's counters.
    pub fn finish(
        mut self,
        events: u64,
        arrivals: u64,
        stranded: u64,
    ) -> std::io::Result<ReplicationStats> {
        self.stats.events = events;
        self.stats.arrivals = arrivals;
        self.stats.stranded = stranded;
        let split = self.split;
        if !split.intent {
            self.stats.intent[0] = self.all;
        }
        if !split.tier {
            self.stats.tier[0] = self.all;
        }
        if !split.language {
            self.stats.language[0] = self.all;
        }
        self.stats.finish()?;
        Ok(self.stats)
    }
}

impl Recorder for Metrics {
    #[inline]
    fn offered(&mut self, _now: SimTime, c: &Contact, direct: bool) {
        if c.measured() {
            let first = c.problem_first;
            self.contact(c, |cell| {
                cell.offered += 1;
                cell.problems += u64::from(first);
                cell.human_offered += u64::from(direct);
            });
        }
    }

    #[inline]
    fn offered_to_humans(&mut self, _now: SimTime, c: &Contact) {
        if c.measured() {
            self.contact(c, |cell| cell.human_offered += 1);
        }
    }

    fn retried(&mut self, _now: SimTime, c: &Contact) {
        if c.measured() {
            let redial = c.redial;
            self.contact(c, |cell| {
                if redial {
                    cell.redials += 1;
                } else {
                    cell.recontacts += 1;
                }
            });
        }
    }

    fn callback(&mut self, _now: SimTime, c: &Contact) {
        if c.measured() {
            self.contact(c, |cell| cell.callbacks += 1);
        }
    }

    /// Abandonment counts once per attempt in the journey figures; in the
    /// first-answer figures (service level, abandon rate) only before any
    /// answer, and short abandons as the channel's basis says.
    fn abandoned(&mut self, now: SimTime, c: &Contact, for_ai: bool) {
        if !c.measured() {
            return;
        }
        let waited = now > c.arrival;
        let first = !c.answered_once;
        let human = !for_ai;
        let handoff_wait = if c.escalated {
            seconds(now - c.queued_at)
        } else {
            0.0
        };
        let rule = self.sl[c.channel as usize];
        let short = now - c.queued_at < rule.short_abandon;
        let in_sl = rule.abandons_count && (!short || rule.short_count);
        self.contact(c, |cell| {
            cell.journey_abandoned += 1;
            if first {
                cell.record_abandon(waited);
                cell.abandoned_short += u64::from(short);
                cell.sl_denominator += u64::from(in_sl);
            }
            if human {
                cell.human_abandoned += 1;
                cell.handoff_wait_s += handoff_wait;
            }
        });
    }

    /// The AI's pickup is the first answer; the journey ends here only when
    /// the AI contains the contact (the resolution path it reached).
    fn ai_answered(&mut self, now: SimTime, c: &Contact, ends: bool, retold: bool) {
        if !c.measured() {
            return;
        }
        let rule = self.sl[c.channel as usize];
        let wait = now - c.arrival;
        let within = wait <= rule.within;
        let first = !c.answered_once;
        let journey_within =
            f64::from(c.waited_before_s) + seconds(now - c.queued_at) <= seconds(rule.within);
        self.contact(c, |cell| {
            if first {
                cell.record_answer(seconds(wait), within, 0.0);
                cell.sl_denominator += 1;
            }
            cell.ai_taken += 1;
            cell.retold += u64::from(retold);
            if ends {
                cell.journey_ended += 1;
                cell.journey_within += u64::from(journey_within);
            }
        });
    }

    fn ai_in_progress(&mut self, sessions: u32) {
        self.stats.ai_peak = self.stats.ai_peak.max(sessions);
    }

    fn ai_busy(&mut self, from: SimTime, to: SimTime) {
        let stats = &mut self.stats;
        self.clock
            .split(from, to, |interval, s| *stats.ai_busy_mut(interval) += s);
    }

    fn ai_ended(&mut self, _now: SimTime, c: &Contact, how: AiEnd) {
        if !c.measured() {
            return;
        }
        match how {
            AiEnd::Resolved => {
                let first = c.problem_first;
                self.contact(c, |cell| {
                    cell.ai_resolved += 1;
                    cell.problems_resolved_first += u64::from(first);
                });
            }
            AiEnd::FalseContainment => self.contact(c, |cell| cell.ai_false += 1),
        }
    }

    fn escalated(&mut self, _now: SimTime, c: &Contact, cause: u8, talked: bool) {
        if !c.measured() {
            return;
        }
        let lost = c.context > 0;
        // Routed at the door (language, overflow): the AI front line took the
        // contact and handed it on without a conversation.
        let routed = !talked;
        self.contact(c, |cell| {
            cell.escalated += 1;
            cell.ai_taken += u64::from(routed);
            cell.context_lost += u64::from(lost);
        });
        let n_channels = self.stats.channels;
        self.stats.causes[cause as usize * n_channels + c.channel as usize] += 1;
    }

    /// The whole human contact is counted when it starts: its outcome and
    /// times are decided then. A later answer (after the AI) is not a first
    /// answer; its handle time still counts.
    #[inline]
    fn answered(&mut self, now: SimTime, c: &Contact, a: &Answer) {
        let handle_s = a.handle_s;
        if let Some(cell) = self.team_at(a.team as usize, now) {
            cell.started += 1;
            cell.sessions_sum += u64::from(a.sessions);
            cell.fatigue_sum += a.fatigue;
            cell.handle_sum_s += handle_s;
            cell.max_sessions = cell.max_sessions.max(u64::from(a.sessions));
        }
        if !c.measured() {
            return;
        }
        let within_ticks = self.sl[c.channel as usize].within;
        let wait = now - c.arrival;
        let within = wait <= within_ticks;
        let wait_s = seconds(wait);
        let first = !c.answered_once;
        let human_wait = now - c.queued_at;
        let human_within = human_wait <= within_ticks;
        // The journey's wait: earlier queues (the AI's) plus this one.
        let journey_within =
            f64::from(c.waited_before_s) + seconds(human_wait) <= seconds(within_ticks);
        let human_wait_s = seconds(human_wait);
        let escalated = c.escalated;
        let problem_first = c.problem_first;
        let (resolved, wrap_s, extra_s) = (a.resolved, a.wrap_s, a.handoff_extra_s);
        self.contact(c, |cell| {
            if first {
                cell.record_answer(wait_s, within, handle_s);
                cell.sl_denominator += 1;
            } else {
                cell.handle_sum_s += handle_s;
            }
            cell.journey_ended += 1;
            cell.journey_within += u64::from(journey_within);
            cell.resolved += u64::from(resolved);
            cell.problems_resolved_first += u64::from(resolved && problem_first);
            cell.wrap_sum_s += wrap_s;
            cell.human_answered += 1;
            cell.human_within += u64::from(human_within);
            cell.human_wait_sum_s += human_wait_s;
            if escalated {
                cell.handoff_wait_s += human_wait_s;
                cell.handoff_extra_s += extra_s;
            }
        });
    }

    /// Team time per interval; available and busy time also per seat, as
    /// run totals (fairness across agents).
    #[inline(always)]
    fn agent_time(&mut self, team: usize, agent: u32, kind: AgentTime, from: SimTime, to: SimTime) {
        // A `match` on `kind`, not a function pointer: once inlined with a
        // constant kind it folds to one field, with no indirect call.
        let stats = &mut self.stats;
        let s = self.clock.split(from, to, |interval, s| {
            *team_time_mut(stats.team_mut(interval, team), kind) += s
        });
        if matches!(kind, AgentTime::Available | AgentTime::Busy) {
            // A run total: only the part inside the window, in one addition.
            if s > 0.0 {
                let seat = self.stats.agent_mut(agent as usize);
                if kind == AgentTime::Busy {
                    seat.busy_s += s;
                } else {
                    seat.available_s += s;
                }
            }
        }
    }

    /// Spread over the shift like its scheduled time, so that the measured
    /// window counts the share of it that falls inside.
    fn unpaid(&mut self, team: usize, from: SimTime, to: SimTime, share: f64) {
        let stats = &mut self.stats;
        self.clock.split(from, to, |interval, s| {
            stats.team_mut(interval, team).unpaid_s += s * share;
        });
    }

    /// Counted in the attrition week and, in the interval view, in the
    /// interval that ended at `now` (reviews run on week boundaries).
    fn quit(&mut self, now: SimTime, team: usize, week: u32) {
        let n_teams = self.stats.teams;
        self.stats.weeks[week as usize * n_teams + team].quits += 1;
        if let Some(cell) = self.team_at(team, now.saturating_sub(1)) {
            cell.quits += 1;
        }
    }

    fn hired(&mut self, now: SimTime, team: usize) {
        let warmup_end = self.clock.warmup_end();
        let week = (now.saturating_sub(warmup_end) / WEEK) as usize;
        let n_teams = self.stats.teams;
        if now >= warmup_end && week < self.clock.weeks() {
            self.stats.weeks[week * n_teams + team].hires += 1;
        }
        if let Some(cell) = self.team_at(team, now) {
            cell.hires += 1;
        }
    }

    fn headcount(&mut self, week: u32, team: usize, present: u32) {
        let n_teams = self.stats.teams;
        self.stats.weeks[week as usize * n_teams + team].headcount = present;
    }

    fn ai_outcome(&mut self, week: usize, intent: u16, resolves: bool) {
        let cell = self.stats.quality.cell_mut(week, intent as usize);
        cell.ai_started += 1;
        cell.ai_resolved += u64::from(resolves);
    }

    fn scored(&mut self, week: usize, intent: u16, s: Scoring) {
        let cell = self.stats.quality.cell_mut(week, intent as usize);
        cell.finished += 1;
        cell.scored += u64::from(s.scored);
        cell.failures += u64::from(s.failure);
        cell.failures_scored += u64::from(s.failure && s.scored);
        cell.detected += u64::from(s.detected);
        if s.human {
            cell.human_finished += 1;
            cell.human_resolved += u64::from(!s.failure);
        } else {
            cell.ai_failures += u64::from(s.failure);
            cell.ai_detected += u64::from(s.detected);
        }
    }

    fn ai_learned(&mut self, from_week: usize, intent: usize, p: f64) {
        let q = &mut self.stats.quality;
        for week in from_week..q.weeks {
            q.ai_probability[week * q.intents + intent] = p;
        }
    }

    fn coaching_started(&mut self) {
        self.stats.quality.coaching_sessions += 1;
    }

    fn system_use(&mut self, u: &SystemUse) {
        let b = &mut self.stats.quality.back_office;
        let down = u.outage_wait_s.is_some();
        if u.human {
            b.human_uses += 1;
            b.human_latency += u64::from(u.latency_s > 0.0);
            b.human_latency_s += u.latency_s;
            b.human_failures += u64::from(u.failed);
            b.human_outages += u64::from(down);
            b.human_outage_wait_s += u.outage_wait_s.unwrap_or(0.0);
        } else {
            b.ai_uses += 1;
            b.ai_latency += u64::from(u.latency_s > 0.0);
            b.ai_latency_s += u.latency_s;
            b.ai_failures += u64::from(u.failed && !down);
            b.ai_outages += u64::from(down);
        }
    }

    /// Closes the intervals that ended a day or more ago (they stream out in
    /// spill mode). Writes to a closed interval remain correct (see
    /// `metrics::window`).
    fn day_closed(&mut self, now: SimTime) {
        let closed = self.clock.intervals_ended_before(now, DAY);
        self.stats.close_before(closed);
    }
}

/// The team cell's field that keeps agent time of `kind`.
#[inline(always)]
fn team_time_mut(cell: &mut TeamStats, kind: AgentTime) -> &mut f64 {
    match kind {
        AgentTime::Scheduled => &mut cell.scheduled_s,
        AgentTime::Absent => &mut cell.absent_s,
        AgentTime::Available => &mut cell.available_s,
        AgentTime::Busy => &mut cell.busy_s,
        AgentTime::Break => &mut cell.break_s,
        AgentTime::Coaching => &mut cell.coaching_s,
        AgentTime::Overtime => &mut cell.overtime_s,
    }
}

/// Zeroed quality accumulators: weeks cover the horizon (the last may be
/// partial); the AI's resolution per week starts at the scenario's.
pub(in crate::engine) fn quality_stats(scenario: &Scenario) -> QualityStats {
    let Some(_) = &scenario.quality else {
        return QualityStats::default();
    };
    let weeks = quality_weeks(scenario);
    let intents = scenario.intents.len();
    let p0: Vec<f64> = scenario
        .ai_agent
        .as_ref()
        .map_or_else(|| vec![0.0; intents], |ai| ai.resolution.clone());
    QualityStats {
        weeks,
        intents,
        cells: vec![Default::default(); weeks * intents],
        ai_probability: (0..weeks).flat_map(|_| p0.iter().copied()).collect(),
        ..QualityStats::default()
    }
}

/// Quality weeks in the horizon (the last may be partial; at least one).
pub(in crate::engine) fn quality_weeks(scenario: &Scenario) -> usize {
    ((scenario.simulation.horizon_s / seconds(WEEK)).ceil() as usize).max(1)
}

#[cfg(test)]
mod tests;
