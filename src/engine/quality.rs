//! The quality component: what the quality programme and the back office
//! keep during a replication. The AI's per-intent resolution as it learns,
//! the scoring and back-office random streams, outages, the detected AI
//! failures that feed the weekly review, and each agent's coaching time
//! against the monthly cap.
//!
//! The programme runs over the measured horizon. Contacts finishing in the
//! warm-up or after the horizon (the drain) are not scored. Every finished
//! contact in the horizon draws two uniforms from its source's `Quality`
//! stream (scored? detected?), whatever the settings. So variants that
//! change coverage or detection see the same customers and the same draws
//! (common random numbers). Back-office draws come from the source's
//! `BackOffice` stream: for each system an intent needs, one latency draw
//! (when the system has a latency) and one failure uniform, per use.

use super::clock::Horizon;
use super::queue::{SimTime, seconds, ticks};
use super::record::{Recorder, Scoring, quality_weeks};
use crate::rng::{Purpose, SimRng, stream};
use crate::scenario::Scenario;
use crate::scenario::quality::{BackOffice, Quality};
use rand::RngExt;

const WEEK_S: f64 = 7.0 * 86_400.0;
/// The coaching cap's month: 30 days from the start of the measured horizon.
const MONTH_S: f64 = 30.0 * 86_400.0;

/// What one use of the back office did to a contact.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct BackOfficeUse {
    /// Latency added, seconds (sum over the systems used).
    pub latency_s: f64,
    /// Some system failed.
    pub failed: bool,
    /// Some system was down: the time a human would wait (capped), seconds.
    pub outage_wait_s: Option<f64>,
}

/// Per-replication quality and back-office state.
pub(super) struct QualityState<'a> {
    programme: Option<&'a Quality>,
    back_office: &'a BackOffice,
    clock: Horizon,
    /// AI resolution probability per intent, now (starts at the scenario's).
    ai_resolution: Vec<f64>,
    /// Scoring draws per source.
    scoring: Vec<SimRng>,
    /// Back-office draws per source.
    back_office_rngs: Vec<SimRng>,
    /// (system, start, end) of every outage, in ticks.
    outages: Vec<(usize, SimTime, SimTime)>,
    /// Per agent: (month, coaching seconds started in it), for the cap.
    coached: Vec<(u32, f64)>,
    /// Quality weeks in the horizon (0 without a quality programme).
    weeks: usize,
    intents: usize,
    /// Detected AI failures per (week, intent): the feedback signal.
    ai_detected: Vec<u64>,
}

impl<'a> QualityState<'a> {
    /// The state of replication `rep` of `scenario`, over `clock`'s horizon.
    pub fn new(scenario: &'a Scenario, rep: u32, clock: Horizon) -> Self {
        let seed = scenario.simulation.seed;
        let n = scenario.sources.len() as u32;
        let weeks = if scenario.quality.is_some() {
            quality_weeks(scenario)
        } else {
            0
        };
        let warmup_end = clock.warmup_end();
        QualityState {
            programme: scenario.quality.as_ref(),
            back_office: &scenario.back_office,
            clock,
            ai_resolution: scenario
                .ai_agent
                .as_ref()
                .map_or_else(Vec::new, |ai| ai.resolution.clone()),
            scoring: (0..n)
                .map(|i| stream(seed, rep, Purpose::Quality, i))
                .collect(),
            back_office_rngs: (0..n)
                .map(|i| stream(seed, rep, Purpose::BackOffice, i))
                .collect(),
            outages: scenario
                .back_office
                .outages
                .iter()
                .map(|o| {
                    let start = warmup_end + ticks(o.start_s);
                    (o.system, start, start + ticks(o.length_s))
                })
                .collect(),
            coached: Vec::new(),
            weeks,
            intents: scenario.intents.len(),
            ai_detected: vec![0; weeks * scenario.intents.len()],
        }
    }

    /// True when a quality programme runs (else nothing is scored).
    #[inline]
    pub fn runs(&self) -> bool {
        self.programme.is_some()
    }

    /// The AI's probability of resolving `intent` now.
    #[inline]
    pub fn ai_resolution(&self, intent: usize) -> f64 {
        self.ai_resolution[intent]
    }

    /// The quality week of `t`, if inside the horizon and a programme runs.
    #[inline]
    pub fn week_of(&self, t: SimTime) -> Option<usize> {
        let start = self.clock.warmup_end();
        (self.programme.is_some() && t >= start && t < self.clock.horizon_end())
            .then(|| ((t - start) / ticks(WEEK_S)) as usize)
    }

    /// When each weekly review falls: (week, time), the last one at the
    /// horizon's end. None without a programme.
    pub fn reviews(&self) -> impl Iterator<Item = (u32, SimTime)> + use<> {
        let (start, end) = (self.clock.warmup_end(), self.clock.horizon_end());
        (0..self.weeks as u32).map(move |week| {
            (
                week,
                (start + ticks(WEEK_S) * SimTime::from(week + 1)).min(end),
            )
        })
    }

    /// Week `week`'s review: with feedback, each intent's gap to the
    /// ceiling shrinks by `max_step` × min(1, detected AI failures /
    /// evidence) ([`crate::scenario::quality::Quality::learn`]); the new
    /// resolution applies from the next week and is reported to `rec`.
    pub fn review(&mut self, week: u32, rec: &mut impl Recorder) {
        let Some(q) = self.programme else {
            return;
        };
        let w = week as usize;
        if !q.feedback || w + 1 >= self.weeks || self.ai_resolution.is_empty() {
            return;
        }
        for i in 0..self.ai_resolution.len() {
            let detected = self.ai_detected[w * self.intents + i];
            let p = q.learn(self.ai_resolution[i], q.ceiling[i], detected);
            self.ai_resolution[i] = p;
            rec.ai_learned(w + 1, i, p);
        }
    }

    /// Scores a contact of `source` and `intent` finished at `now` by a
    /// human (`human`) or the AI: (week, what scoring decided), or `None`
    /// outside the programme's horizon. A detected AI failure counts
    /// towards the week's feedback.
    #[inline]
    pub fn score(
        &mut self,
        now: SimTime,
        source: u16,
        intent: u16,
        failure: bool,
        human: bool,
    ) -> Option<(usize, Scoring)> {
        let q = self.programme?;
        let w = self.week_of(now)?;
        let rng = &mut self.scoring[source as usize];
        let u_score: f64 = rng.random();
        let u_detect: f64 = rng.random();
        let scored = u_score < q.share_scored;
        let detected = failure && scored && u_detect < q.detection;
        if !human {
            self.ai_detected[w * self.intents + intent as usize] += u64::from(detected);
        }
        Some((
            w,
            Scoring {
                failure,
                scored,
                detected,
                human,
            },
        ))
    }

    /// The coaching month of `t` (30-day periods from the horizon's start).
    fn coaching_month(&self, t: SimTime) -> u32 {
        (seconds(t.saturating_sub(self.clock.warmup_end())) / MONTH_S) as u32
    }

    /// Coaching seconds agent `a` has started in `month`.
    fn coached_in(&self, a: u32, month: u32) -> f64 {
        match self.coached.get(a as usize) {
            Some(&(m, s)) if m == month => s,
            _ => 0.0,
        }
    }

    /// True when one more coaching session of `time_s` fits agent `a`'s
    /// monthly cap `cap_s` at `now`, counting the `pending` sessions.
    /// A month cut short by the horizon's end gets its share of the cap, so
    /// a quarter (91 days) allows 91/30 months' worth, not four.
    pub fn coaching_fits(
        &self,
        now: SimTime,
        a: u32,
        pending: u16,
        time_s: f64,
        cap_s: f64,
    ) -> bool {
        let month = self.coaching_month(now);
        let horizon_s = seconds(self.clock.horizon_end() - self.clock.warmup_end());
        let share = ((horizon_s - f64::from(month) * MONTH_S) / MONTH_S).clamp(0.0, 1.0);
        let used = self.coached_in(a, month);
        used + f64::from(pending + 1) * time_s <= cap_s * share * (1.0 + 1e-12)
    }

    /// Books a coaching session of `s` seconds that agent `a` starts at `now`.
    pub fn book_coaching(&mut self, now: SimTime, a: u32, s: f64) {
        let month = self.coaching_month(now);
        let used = self.coached_in(a, month);
        let a = a as usize;
        if self.coached.len() <= a {
            self.coached.resize(a + 1, (0, 0.0));
        }
        self.coached[a] = (month, used + s);
    }

    /// True when `intent` needs a back-office system.
    #[inline]
    pub fn needs_back_office(&self, intent: u16) -> bool {
        !self.back_office.intent_systems[intent as usize].is_empty()
    }

    /// One use at `now` of the systems `intent` needs, drawn from
    /// `source`'s back-office stream.
    pub fn use_back_office(&mut self, now: SimTime, source: u16, intent: u16) -> BackOfficeUse {
        let bo = self.back_office;
        let mut out = BackOfficeUse::default();
        let rng = &mut self.back_office_rngs[source as usize];
        for &s in &bo.intent_systems[intent as usize] {
            let system = &bo.systems[s];
            if let Some(d) = system.latency {
                out.latency_s += d.sample(rng);
            }
            let u: f64 = rng.random();
            out.failed |= u < system.failure;
            for &(os, start, end) in &self.outages {
                if os == s && start <= now && now < end {
                    let wait = seconds(end - now).min(system.max_wait_s);
                    out.outage_wait_s = Some(out.outage_wait_s.map_or(wait, |w: f64| w.max(wait)));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two weeks and a half of chat with a quality programme (every
    /// contact scored, every failure detected, feedback, coaching capped at
    /// 60 min a month) and one system with a 3-hour outage on day 2.
    fn scenario(quality: bool) -> Scenario {
        let programme = if quality {
            r#"
[quality]
share_scored = 1.0
detection = 1.0
feedback = true
learning_rate = 0.5
ceiling = 0.9
coaching = { time = "20m", uplift = 0.03, decay = "4w", max_per_month = "60m" }
"#
        } else {
            ""
        };
        let text = format!(
            r#"
name = "q"
[simulation]
seed = 5
horizon = "17d12h"
warmup = "1d"
interval = "1h"
[[demand.stream]]
channel = "chat"
rate_per_hour = 10
[channel.chat]
patience = {{ dist = "exponential", mean = "10m" }}
[[intent]]
name = "billing"
share = 0.5
systems = ["billing_db"]
ai_resolution = 0.4
handle_time.chat = {{ dist = "exponential", mean = "5m" }}
[[intent]]
name = "delivery"
share = 0.5
ai_resolution = 0.3
handle_time.chat = {{ dist = "exponential", mean = "5m" }}
[[team]]
name = "agents"
agents = 3
channels = ["chat"]
[ai_agent]
channels = ["chat"]
capacity = 10
[[system]]
name = "billing_db"
failure = 0.0
max_wait = "1h"
[[outage]]
system = "billing_db"
start = "1d"
length = "3h"
{programme}"#
        );
        Scenario::from_toml_str(&text, "q.toml").unwrap()
    }

    fn clock(s: &Scenario) -> Horizon {
        let sim = &s.simulation;
        Horizon::new(0.0, sim.warmup_s, sim.horizon_s, sim.interval_s)
    }

    const DAY: f64 = 86_400.0;

    /// Keeps what the review reports.
    #[derive(Default)]
    struct Learned(Vec<(usize, usize, f64)>);

    impl Recorder for Learned {
        fn ai_learned(&mut self, from_week: usize, intent: usize, p: f64) {
            self.0.push((from_week, intent, p));
        }
    }

    #[test]
    fn weeks_cover_the_measured_horizon_only() {
        let s = scenario(true);
        let q = QualityState::new(&s, 0, clock(&s));
        let start = ticks(DAY);
        assert_eq!(q.week_of(start - 1), None, "warm-up");
        assert_eq!(q.week_of(start), Some(0));
        assert_eq!(q.week_of(start + ticks(7.0 * DAY)), Some(1));
        let end = start + ticks(17.5 * DAY);
        assert_eq!(q.week_of(end - 1), Some(2));
        assert_eq!(q.week_of(end), None, "the drain");
        let reviews: Vec<_> = q.reviews().collect();
        assert_eq!(
            reviews,
            [
                (0, start + ticks(7.0 * DAY)),
                (1, start + ticks(14.0 * DAY)),
                (2, end)
            ],
            "the last review falls at the horizon's end"
        );
        let none = scenario(false);
        let q = QualityState::new(&none, 0, clock(&none));
        assert_eq!(q.week_of(start), None);
        assert_eq!(q.reviews().count(), 0);
    }

    #[test]
    fn scoring_draws_twice_per_contact_and_detected_ai_failures_teach_the_ai() {
        let s = scenario(true);
        let mut q = QualityState::new(&s, 0, clock(&s));
        let at = ticks(2.0 * DAY);
        // Outside the horizon: nothing scored, nothing drawn.
        assert!(q.score(0, 0, 0, true, false).is_none());
        let (w, first) = q.score(at, 0, 0, true, false).unwrap();
        assert_eq!(w, 0);
        assert!(first.scored && first.detected && !first.human);
        let (_, human) = q.score(at, 0, 1, true, true).unwrap();
        assert!(human.detected && human.human);
        // Two uniforms per scored contact: a fresh state four draws ahead
        // lines up with this one.
        let mut fresh = QualityState::new(&s, 0, clock(&s));
        for _ in 0..4 {
            let _: f64 = fresh.scoring[0].random();
        }
        let (x, y): (u64, u64) = (q.scoring[0].random(), fresh.scoring[0].random());
        assert_eq!(x, y);
        // Week 0's review: billing had one detected AI failure, delivery
        // none (the human's failure does not teach the AI).
        let mut rec = Learned::default();
        q.review(0, &mut rec);
        let programme = s.quality.as_ref().unwrap();
        let (p0, p1) = (programme.learn(0.4, 0.9, 1), programme.learn(0.3, 0.9, 0));
        assert!(p0 > 0.4 && (p1 - 0.3).abs() < 1e-12);
        assert_eq!(rec.0, [(1, 0, p0), (1, 1, p1)]);
        assert_eq!(q.ai_resolution(0), p0);
        assert_eq!(q.ai_resolution(1), p1);
        // The last week's review has no next week to apply to.
        let mut rec = Learned::default();
        q.review(2, &mut rec);
        assert!(rec.0.is_empty());
    }

    #[test]
    fn coaching_is_capped_per_month_and_the_last_month_gets_its_share() {
        let s = scenario(true);
        let mut q = QualityState::new(&s, 0, clock(&s));
        // The horizon is 17.5 days: its only month is 17.5/30 of one, so a
        // cap of 2 h a month allows 70 minutes: three 20-minute sessions.
        let (session, cap) = (1200.0, 7200.0);
        let now = ticks(2.0 * DAY);
        assert!(q.coaching_fits(now, 4, 2, session, cap), "three fit");
        assert!(!q.coaching_fits(now, 4, 3, session, cap), "four do not");
        q.book_coaching(now, 4, session);
        q.book_coaching(now + ticks(DAY), 4, session);
        assert!(q.coaching_fits(now, 4, 0, session, cap));
        assert!(!q.coaching_fits(now, 4, 1, session, cap));
        assert!(q.coaching_fits(now, 3, 2, session, cap), "per agent");
        // A cap of 1 h allows 35 minutes: one session, not two.
        assert!(q.coaching_fits(now, 0, 0, session, 3600.0));
        assert!(!q.coaching_fits(now, 0, 1, session, 3600.0));
    }

    #[test]
    fn an_outage_makes_a_human_wait_up_to_the_system_limit() {
        let s = scenario(true);
        let mut q = QualityState::new(&s, 0, clock(&s));
        assert!(q.needs_back_office(0));
        assert!(!q.needs_back_office(1));
        let outage = ticks(2.0 * DAY);
        let before = q.use_back_office(outage - 1, 0, 0);
        assert_eq!(before.outage_wait_s, None);
        assert!(!before.failed, "failure probability 0");
        let during = q.use_back_office(outage + ticks(600.0), 0, 0);
        assert_eq!(during.outage_wait_s, Some(3600.0), "capped at max_wait");
        let late = q.use_back_office(outage + ticks(2.5 * 3600.0), 0, 0);
        assert_eq!(
            late.outage_wait_s,
            Some(1800.0),
            "the outage's remaining time"
        );
        assert_eq!(
            q.use_back_office(outage + ticks(3.0 * 3600.0), 0, 0)
                .outage_wait_s,
            None
        );
    }
}
