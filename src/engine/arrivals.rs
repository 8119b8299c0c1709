//! The arrival sources: each demand source's generator and its random
//! streams, the per-channel patience and per-(intent, channel) work-content
//! distributions, and the `[[backlog]]` streams.
//!
//! Every per-arrival draw is made whatever happens next (attributes,
//! patience, work content), so each stream stays aligned across variants:
//! common random numbers. Handlers that draw later in a contact's life (AI
//! outcomes, escalation, retries) use the source's [`SourceStreams`].

use super::contact::Contact;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::ticks;

    const TEXT: &str = r#"
name = "a"
[simulation]
seed = 11
horizon = "1d"
warmup = "1h"
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 120
[[demand.stream]]
channel = "chat"
rate_per_hour = 60
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[[intent]]
name = "billing"
share = 1.0
handle_time.voice = { dist = "exponential", mean = "5m" }
[[team]]
name = "agents"
agents = 10
channels = ["voice", "chat"]
handle_time = { dist = "exponential", mean = "4m" }
"#;

    fn setup(rep: u32) -> (Scenario, Arrivals, SimTime, SimTime) {
        let s = Scenario::from_toml_str(TEXT, "a.toml").unwrap();
        let (warmup_end, horizon_end) = (ticks(3600.0), ticks(25.0 * 3600.0));
        let a = Arrivals::new(&s, rep, warmup_end, horizon_end);
        (s, a, warmup_end, horizon_end)
    }

    #[test]
    fn arrivals_increase_and_stop_at_the_horizon_near_the_rate() {
        let (_, mut a, warmup_end, horizon_end) = setup(0);
        let mut t = warmup_end;
        let mut n = 0u32;
        while let Some(next) = a.next_after(0, t) {
            assert!(next > t || (n == 0 && next >= t), "strictly later");
            assert!(next < horizon_end);
            t = next;
            n += 1;
        }
        // 24 h at 120 an hour: 2,880 expected, Poisson sd ≈ 54; 5 sd either side.
        assert!(
            (2880.0f64 - f64::from(n)).abs() < 5.0 * 2880f64.sqrt(),
            "{n}"
        );
        assert_eq!(a.next_after(0, horizon_end), None);
    }

    #[test]
    fn a_drawn_contact_carries_its_source_and_work_content() {
        let (s, mut a, warmup_end, _) = setup(0);
        let (voice, chat) = (
            s.channel_index("voice").unwrap(),
            s.channel_index("chat").unwrap(),
        );
        let voice_source = s.sources.iter().position(|x| x.channel == voice).unwrap() as u32;
        let chat_source = s.sources.iter().position(|x| x.channel == chat).unwrap() as u32;
        let (c, patience) = a.draw(&s, voice_source, warmup_end, 0, 7);
        assert_eq!(
            (c.id, c.arrival, c.queued_at, c.interval),
            (7, warmup_end, warmup_end, 0)
        );
        assert_eq!(c.channel as usize, voice);
        assert_eq!(c.source as u32, voice_source);
        assert!(c.problem_first && c.measured());
        assert!(c.work_s > 0.0, "the intent's voice handle time");
        assert!(patience.is_some_and(|p| p > 0.0));
        let (c, patience) = a.draw(&s, chat_source, warmup_end, u32::MAX, 8);
        assert!(!c.measured());
        assert!(
            c.work_s < 0.0,
            "no intent handle time on chat: the team's applies"
        );
        assert_eq!(patience, None, "chat has no patience: never abandons");
        assert_eq!(a.drawn(), 2);
        assert_eq!(a.redraw_patience(&c, 2.0), None);
    }

    #[test]
    fn sources_draw_from_their_own_streams() {
        // Drawing from the chat source first does not move the voice
        // source's draws: common random numbers across variants.
        let (s, mut a, t, _) = setup(0);
        let (_, mut b, _, _) = setup(0);
        let (_, mut other_rep, _, _) = setup(1);
        a.draw(&s, 1, t, 0, 0);
        let (x, px) = a.draw(&s, 0, t, 0, 0);
        let (y, py) = b.draw(&s, 0, t, 0, 0);
        assert_eq!((x.work_s, px), (y.work_s, py));
        assert_eq!(
            a.redraw_patience(&x, 1.0),
            b.redraw_patience(&y, 1.0),
            "the escalation stream too"
        );
        let (z, _) = other_rep.draw(&s, 0, t, 0, 0);
        assert_ne!(x.work_s, z.work_s, "replications differ");
    }
}
