//! The arrival sources: each demand source's generator and its random
//! streams, the per-channel patience and per-(intent, channel) work-content
//! distributions, and the `[[backlog]]` streams.
//!
//! Every per-arrival draw is made whatever happens next (attributes,
//! patience, work content), so each stream stays aligned across variants:
//! common random numbers. Handlers that draw later in a contact's life (AI
//! outcomes, escalation, retries) use the source's [`SourceStreams`].

use super::sim::Contact;
use crate::demand::three_uniforms;
use crate::demand::{ArrivalGenerator, day_factors, days_before_horizon, simulated_days};
use crate::rng::{Purpose, SimRng, stream};
use crate::scenario::{Dist, Scenario};
use crate::time::SimTime;
use rand::Rng;

/// Streams a source's contacts draw from after arriving.
pub(super) struct SourceStreams {
    /// Work content of retries.
    pub work: SimRng,
    /// AI outcomes and times.
    pub ai: SimRng,
    /// Escalation draws (patience left, context time, misroutes), IVR.
    pub escalation: SimRng,
    /// Recontacts, redials, callbacks.
    pub retry: SimRng,
}

struct Source {
    generator: ArrivalGenerator,
    channel: u16,
    region: u16,
    arrivals: SimRng,
    attributes: SimRng,
    patience: SimRng,
    streams: SourceStreams,
}

/// Every demand source of one replication (private state).
pub(super) struct Arrivals {
    sources: Vec<Source>,
    /// Patience per channel (`None`: never abandons).
    patience: Vec<Option<Dist>>,
    /// Intent handle time per (intent, channel), row-major.
    intent_work: Vec<Option<Dist>>,
    channels: usize,
    /// One stream per `[[backlog]]` entry.
    backlog: Vec<SimRng>,
    /// Contacts drawn so far, warm-up included (`cxsim bench`'s throughput).
    drawn: u64,
}

impl Arrivals {
    /// The sources of replication `rep`, generating in `[warmup_end, horizon_end)`
    /// (and the warm-up before it).
    pub fn new(scenario: &Scenario, rep: u32, warmup_end: SimTime, horizon_end: SimTime) -> Self {
        let seed = scenario.simulation.seed;
        // Day multipliers are drawn per region, so every channel of a region
        // shares a busy day, from a stream that nothing else touches.
        let days_before = days_before_horizon(warmup_end);
        let total_days = simulated_days(warmup_end, horizon_end);
        let region_days: Vec<Vec<f64>> = scenario
            .regions
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let mut rng = stream(seed, rep, Purpose::DayFactor, ri as u32);
                day_factors(r.day_cv, &r.special_days, days_before, total_days, &mut rng)
            })
            .collect();
        let sources = scenario
            .sources
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let i = si as u32;
                Source {
                    generator: ArrivalGenerator::new(
                        &s.rate,
                        warmup_end,
                        horizon_end,
                        region_days[s.region].clone(),
                    ),
                    channel: s.channel as u16,
                    region: s.region as u16,
                    arrivals: stream(seed, rep, Purpose::Arrivals, i),
                    attributes: stream(seed, rep, Purpose::Attributes, i),
                    patience: stream(seed, rep, Purpose::Patience, i),
                    streams: SourceStreams {
                        work: stream(seed, rep, Purpose::Work, i),
                        ai: stream(seed, rep, Purpose::AiOutcome, i),
                        escalation: stream(seed, rep, Purpose::Escalation, i),
                        retry: stream(seed, rep, Purpose::Retry, i),
                    },
                }
            })
            .collect();
        Arrivals {
            sources,
            patience: scenario.channels.iter().map(|c| c.patience).collect(),
            intent_work: scenario
                .intents
                .iter()
                .flat_map(|it| it.handle_time.iter().copied())
                .collect(),
            channels: scenario.channels.len(),
            backlog: (0..scenario.backlog.len() as u32)
                .map(|i| stream(seed, rep, Purpose::Backlog, i))
                .collect(),
            drawn: 0,
        }
    }

    /// Contacts drawn so far, warm-up included.
    pub fn drawn(&self) -> u64 {
        self.drawn
    }

    /// Number of sources.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// The next arrival of `source` after `now`, if any before the horizon ends.
    #[inline]
    pub fn next_after(&mut self, source: u32, now: SimTime) -> Option<SimTime> {
        let s = &mut self.sources[source as usize];
        s.generator.next_after(now, &mut s.arrivals)
    }

    /// Draws a new contact of `source` arriving at `now` (measured in
    /// `interval`, journey `id`) and its patience. Every draw is made for
    /// every arrival.
    #[inline(always)]
    pub fn draw(
        &mut self,
        scenario: &Scenario,
        source: u32,
        now: SimTime,
        interval: u32,
        id: u32,
    ) -> (Contact, Option<f64>) {
        self.drawn += 1;
        let spec = &scenario.sources[source as usize];
        let s = &mut self.sources[source as usize];
        let [u_intent, u_language, u_tier] = three_uniforms(s.attributes.next_u64());
        let intent = spec.intent_mix.pick(u_intent);
        let language = spec.language_mix.pick(u_language);
        let tier = spec.tier_mix.pick(u_tier);
        let channel = s.channel as usize;
        let patience = self.patience[channel].map(|d| d.sample(&mut s.patience));
        let work_s = match self.intent_work[intent * self.channels + channel] {
            Some(d) => d.sample(&mut s.streams.work),
            None => -1.0,
        };
        let contact = Contact {
            id,
            arrival: now,
            interval,
            channel: s.channel,
            region: s.region,
            intent: intent as u16,
            language: language as u16,
            tier: tier as u16,
            work_s,
            source: source as u16,
            queued_at: now,
            problem_first: true,
            ..Contact::default()
        };
        (contact, patience)
    }

    /// The later-life streams of `source`.
    #[inline]
    pub fn streams(&mut self, source: u16) -> &mut SourceStreams {
        &mut self.sources[source as usize].streams
    }

    /// A fresh patience draw for contact `c` entering a human queue, × `factor`
    /// (from its source's escalation stream).
    pub fn redraw_patience(&mut self, c: &Contact, factor: f64) -> Option<f64> {
        let s = &mut self.sources[c.source as usize].streams;
        self.patience[c.channel as usize].map(|d| d.sample(&mut s.escalation) * factor)
    }

    /// Backlog entry `entry`'s stream, with the patience and work-content
    /// distributions its contacts draw from: (stream, patience of `channel`,
    /// work content of (`intent`, `channel`)).
    pub fn backlog_draws(
        &mut self,
        entry: usize,
        channel: usize,
        intent: usize,
    ) -> (Option<Dist>, Option<Dist>, &mut SimRng) {
        (
            self.patience[channel],
            self.intent_work[intent * self.channels + channel],
            &mut self.backlog[entry],
        )
    }

    /// Backlog entry `entry`'s stream.
    pub fn backlog_stream(&mut self, entry: usize) -> &mut SimRng {
        &mut self.backlog[entry]
    }
}
