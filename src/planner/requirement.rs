//! The analytic start: agents per (team, interval) from Erlang C or A on the
//! interval's human load.
//!
//! Rules (docs/PLANNER.md):
//! - **Split**: a channel served by several teams is split between them in
//!   proportion to their headcount in the scenario (equally when all are 0).
//! - **Real-time channels**: on its share of the interval's modified offered
//!   load, the fewest servers meeting the service-level target and, when
//!   given, the abandonment target: Erlang A with the channel's mean patience
//!   when customers abandon (any patience distribution is reduced to its
//!   mean), Erlang C otherwise.
//! - **Day-level over-dispersion**: when demand has a random day multiplier
//!   `G` (gamma, mean 1, the cell's effective CV), the targets apply to the
//!   *expected* service level and abandonment over `G` — what the per-interval
//!   means over replications estimate — computed with [`DAY_NODES`]
//!   equal-probability quantiles of `G`. Without over-dispersion this is
//!   plain Erlang.
//! - **Deferred channels with a deadline longer than the interval** (email):
//!   no queueing formula; the work is spread over its deadline: the share of
//!   the load averaged over the trailing `within` window (fluid servers),
//!   times the `target` quantile of `G`, so that the deadline holds on that
//!   share of days.
//! - **Concurrency**: a team holding `k` sessions of a channel at once needs
//!   `servers / k` agents for it.
//! - **Multi-channel teams**: the sum of their channels' agents, rounded up
//!   (dedicated sub-teams; pooling usually needs fewer, which the simulation
//!   refinement finds).
//! - **Teams with deferred work**: deferred contacts only get the time the
//!   real-time channels leave, and in a pooled team those take their whole
//!   offered load (Erlang A may size a channel *below* its load, counting on
//!   abandonment that pooling then prevents). So each real-time channel of
//!   such a team counts `max(servers, offered load)`, and the deferred work
//!   comes on top.

use super::load::HumanLoad;
use crate::analytic::{self, QueueInput, QueueMetrics};
use crate::scenario::{Scenario, limits};
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Gamma};

/// Equal-probability quantiles of the day multiplier used for expectations.
pub const DAY_NODES: usize = 8;

/// One channel's part of a team's requirement in one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Channel index.
    pub channel: usize,
    /// Servers (sessions) needed: whole for queueing channels, fractional for
    /// deferred ones.
    pub servers: f64,
    /// Sessions an agent holds at once on this channel.
    pub concurrency: f64,
    /// The queue the servers were sized on (`None`: deferred, or no load).
    pub queue: Option<QueueInput>,
    /// Day-multiplier nodes (mean 1, equal weights); `[1]` without dispersion.
    pub nodes: Vec<f64>,
    /// Offered load of this share (modified offered load), Erlangs.
    pub load: f64,
    /// Sized as deferred fluid work.
    pub deferred: bool,
}

/// Agents a team needs in one interval, from its channel parts (fractional):
/// the sum of the parts, where real-time parts of a team with deferred work
/// count at least their offered load.
pub fn team_need(row: &[Part]) -> f64 {
    let deferred = row.iter().any(|p| p.deferred);
    row.iter()
        .map(|p| {
            let servers = if deferred && !p.deferred {
                p.servers.max(p.load)
            } else {
                p.servers
            };
            servers / p.concurrency
        })
        .sum()
}

/// The work a team must carry in one interval, agents (fractional): offered
/// load of its real-time parts plus its deferred parts.
pub fn team_work(row: &[Part]) -> f64 {
    row.iter()
        .map(|p| if p.deferred { p.servers } else { p.load } / p.concurrency)
        .sum()
}

impl Part {
    /// Agents this part needs (fractional).
    pub fn agents(&self) -> f64 {
        self.servers / self.concurrency
    }

    /// Expected steady-state metrics with `servers` servers over the day
    /// multiplier (`None` without a queue).
    pub fn metrics(&self, servers: u32) -> Option<QueueMetrics> {
        self.queue
            .map(|q| expected_metrics(&q, &self.nodes, servers))
    }
}

/// Metrics averaged over arrival-rate multipliers `nodes` (equal weights).
pub fn expected_metrics(queue: &QueueInput, nodes: &[f64], servers: u32) -> QueueMetrics {
    if let [g] = nodes
        && *g == 1.0
    {
        return metrics(queue, servers);
    }
    let mut sum = QueueMetrics {
        p_wait: 0.0,
        service_level: 0.0,
        asa_s: 0.0,
        abandon_rate: 0.0,
        occupancy: 0.0,
    };
    for &g in nodes {
        let m = metrics(
            &QueueInput {
                arrival_rate_per_s: queue.arrival_rate_per_s * g,
                ..*queue
            },
            servers,
        );
        sum.p_wait += m.p_wait;
        sum.service_level += m.service_level;
        sum.asa_s += m.asa_s;
        sum.abandon_rate += m.abandon_rate;
        sum.occupancy += m.occupancy;
    }
    let k = nodes.len() as f64;
    QueueMetrics {
        p_wait: sum.p_wait / k,
        service_level: sum.service_level / k,
        asa_s: sum.asa_s / k,
        abandon_rate: sum.abandon_rate / k,
        occupancy: sum.occupancy / k,
    }
}

/// Gamma day-multiplier with mean 1 and coefficient of variation `cv`.
fn day_gamma(cv: f64) -> Option<Gamma> {
    (cv >= 1e-3).then(|| {
        let shape = 1.0 / (cv * cv);
        Gamma::new(shape, shape).expect("shape and rate > 0")
    })
}

/// [`DAY_NODES`] equal-probability quantiles of the day multiplier, scaled
/// to mean 1; `[1]` when `cv` is (nearly) 0.
pub fn day_nodes(cv: f64) -> Vec<f64> {
    let Some(g) = day_gamma(cv) else {
        return vec![1.0];
    };
    let k = DAY_NODES as f64;
    let q: Vec<f64> = (0..DAY_NODES)
        .map(|j| g.inverse_cdf((j as f64 + 0.5) / k))
        .collect();
    let mean = q.iter().sum::<f64>() / k;
    q.iter().map(|x| x / mean).collect()
}

/// The `p` quantile of the day multiplier (1 without dispersion).
fn day_quantile(cv: f64, p: f64) -> f64 {
    day_gamma(cv).map_or(1.0, |g| g.inverse_cdf(p.clamp(0.0, 0.999)))
}

/// The per-channel targets the analytic start sizes to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    /// Service-level target.
    pub service_level: f64,
    /// Abandonment cap, if any.
    pub max_abandon: Option<f64>,
}

impl Goal {
    /// Whether steady-state metrics meet the goal.
    pub fn met_by(&self, m: &QueueMetrics) -> bool {
        m.service_level >= self.service_level
            && self.max_abandon.is_none_or(|a| m.abandon_rate <= a)
    }
}

/// The analytic requirement of every team in every interval.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// Teams × intervals × the team's channels.
    pub parts: Vec<Vec<Vec<Part>>>,
    /// Teams × intervals: agents on duty (not capped by `max_agents`).
    pub agents: Vec<Vec<u32>>,
    /// Per channel: the goal.
    pub goals: Vec<Goal>,
}

/// Steady-state metrics of a queue with `servers` servers; an unstable
/// Erlang C queue reports service level 0.
pub fn metrics(queue: &QueueInput, servers: u32) -> QueueMetrics {
    if servers == 0 {
        return QueueMetrics {
            p_wait: 1.0,
            service_level: 0.0,
            asa_s: f64::INFINITY,
            abandon_rate: if queue.patience_mean_s.is_some() {
                1.0
            } else {
                0.0
            },
            occupancy: 1.0,
        };
    }
    match analytic::evaluate(&QueueInput {
        agents: servers,
        ..*queue
    }) {
        Ok(m) => m,
        Err(_) => QueueMetrics {
            p_wait: 1.0,
            service_level: 0.0,
            asa_s: f64::INFINITY,
            abandon_rate: 0.0,
            occupancy: 1.0,
        },
    }
}

/// Fewest servers in `1..=max` whose steady state meets `goal`, by galloping
/// from the offered load then bisecting (the metrics are monotone in the
/// number of servers); `None` when even `max` falls short.
pub fn servers_for(queue: &QueueInput, nodes: &[f64], goal: &Goal, max: u32) -> Option<u32> {
    let meets = |n: u32| goal.met_by(&expected_metrics(queue, nodes, n));
    let load = queue.arrival_rate_per_s * queue.aht_s * nodes.iter().copied().fold(1.0, f64::max);
    let guess = (load.ceil() as u32).clamp(1, max);
    let (mut lo, mut hi); // lo fails (0 = none known), hi meets
    if meets(guess) {
        hi = guess;
        lo = 0;
        let mut step = 1;
        while hi > 1 {
            let probe = hi.saturating_sub(step).max(1);
            if meets(probe) {
                hi = probe;
                step *= 2;
            } else {
                lo = probe;
                break;
            }
        }
    } else {
        lo = guess;
        let mut step = 1;
        loop {
            if lo >= max {
                return None;
            }
            let probe = lo.saturating_add(step).min(max);
            if meets(probe) {
                hi = probe;
                break;
            }
            lo = probe;
            step *= 2;
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if meets(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// Share of each channel's load each team takes (teams × channels).
pub fn split_weights(scenario: &Scenario) -> Vec<Vec<f64>> {
    let mut w = vec![vec![0.0; scenario.channels.len()]; scenario.teams.len()];
    for (c, _) in scenario.channels.iter().enumerate() {
        let serving: Vec<usize> = (0..scenario.teams.len())
            .filter(|&t| scenario.teams[t].channels.contains(&c))
            .collect();
        let total: f64 = serving
            .iter()
            .map(|&t| f64::from(scenario.teams[t].headcount()))
            .sum();
        for &t in &serving {
            w[t][c] = if total > 0.0 {
                f64::from(scenario.teams[t].headcount()) / total
            } else {
                1.0 / serving.len() as f64
            };
        }
    }
    w
}

/// Whether channel `c` is sized as deferred fluid work (see the module docs).
pub fn is_fluid(scenario: &Scenario, c: usize) -> bool {
    let ch = &scenario.channels[c];
    ch.deferred
        && ch.patience.is_none()
        && ch.service_level.within_s >= scenario.simulation.interval_s
}

/// Computes the analytic requirement; with `dispersed` false the day-level
/// over-dispersion is ignored (plain Erlang on the expected load).
pub fn analytic(scenario: &Scenario, load: &HumanLoad, dispersed: bool) -> Requirement {
    let targets = &scenario.targets;
    let goals: Vec<Goal> = (0..scenario.channels.len())
        .map(|c| Goal {
            service_level: targets.service_level[c],
            max_abandon: targets.max_abandon,
        })
        .collect();
    let weights = split_weights(scenario);
    let n = load.intervals;
    // Deferred channels: the load averaged over the trailing deadline window.
    let fluid: Vec<Option<Vec<f64>>> = (0..scenario.channels.len())
        .map(|c| {
            is_fluid(scenario, c).then(|| {
                let window = ((scenario.channels[c].service_level.within_s
                    / scenario.simulation.interval_s)
                    .round() as usize)
                    .clamp(1, n.max(1));
                let series: Vec<f64> = (0..n).map(|i| load.mol[load.at(i, c)]).collect();
                trailing_mean(&series, window)
            })
        })
        .collect();
    let max = limits::MAX_AGENTS_PER_TEAM;
    // Day-multiplier nodes per distinct CV (to 0.005), shared by the cells.
    let mut cache: std::collections::BTreeMap<u64, Vec<f64>> = Default::default();
    let nodes: Vec<Vec<f64>> = load
        .cv
        .iter()
        .map(|&cv| {
            let key = if dispersed {
                (cv / 0.005).round() as u64
            } else {
                0
            };
            cache
                .entry(key)
                .or_insert_with(|| day_nodes(key as f64 * 0.005))
                .clone()
        })
        .collect();
    let part = |t: usize, i: usize, c: usize| -> Part {
        let team = &scenario.teams[t];
        let concurrency = f64::from(team.concurrency[c].max(1));
        let share = weights[t][c];
        let k = load.at(i, c);
        if let Some(series) = &fluid[c] {
            let q = if dispersed {
                day_quantile(load.cv[k], goals[c].service_level)
            } else {
                1.0
            };
            return Part {
                channel: c,
                servers: series[i] * share * q.max(1.0),
                concurrency,
                queue: None,
                nodes: vec![1.0],
                load: series[i] * share,
                deferred: true,
            };
        }
        let erlangs = load.mol[k] * share;
        let work = load.work_s[k];
        if erlangs <= 1e-9 || work <= 0.0 {
            return Part {
                channel: c,
                servers: 0.0,
                concurrency,
                queue: None,
                nodes: vec![1.0],
                load: 0.0,
                deferred: false,
            };
        }
        let ch = &scenario.channels[c];
        let queue = QueueInput {
            arrival_rate_per_s: erlangs / work,
            aht_s: work,
            agents: 1,
            patience_mean_s: ch.patience.map(|p| p.mean_s().max(1e-3)),
            within_s: ch.service_level.within_s,
        };
        let servers = servers_for(&queue, &nodes[k], &goals[c], max).unwrap_or(max);
        Part {
            channel: c,
            servers: f64::from(servers),
            concurrency,
            queue: Some(queue),
            nodes: nodes[k].clone(),
            load: erlangs,
            deferred: false,
        }
    };
    let mut parts = Vec::with_capacity(scenario.teams.len());
    let mut agents = Vec::with_capacity(scenario.teams.len());
    for (t, team) in scenario.teams.iter().enumerate() {
        let team_parts: Vec<Vec<Part>> = (0..n)
            .into_par_iter()
            .map(|i| team.channels.iter().map(|&c| part(t, i, c)).collect())
            .collect();
        let team_agents = team_parts
            .iter()
            .map(|row| ((team_need(row) - 1e-9).ceil().max(0.0) as u32).min(max))
            .collect();
        parts.push(team_parts);
        agents.push(team_agents);
    }
    Requirement {
        parts,
        agents,
        goals,
    }
}

/// Cyclic trailing mean over `window` values (the value itself and the
/// `window − 1` before it, wrapping around).
fn trailing_mean(x: &[f64], window: usize) -> Vec<f64> {
    let n = x.len();
    if n == 0 {
        return Vec::new();
    }
    let mut sum: f64 = (0..window).map(|k| x[(n - k % n) % n]).sum();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        if i > 0 {
            sum += x[i] - x[(i + n * window - window) % n];
        }
        out.push(sum / window as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_mean_wraps() {
        let m = trailing_mean(&[1.0, 2.0, 3.0, 4.0], 2);
        assert_eq!(m, vec![2.5, 1.5, 2.5, 3.5]);
        let all = trailing_mean(&[1.0, 2.0, 3.0], 3);
        assert!(all.iter().all(|&v| (v - 2.0).abs() < 1e-12));
    }

    #[test]
    fn day_nodes_have_mean_one_and_the_right_spread() {
        assert_eq!(day_nodes(0.0), vec![1.0]);
        let q = day_nodes(0.15);
        let mean = q.iter().sum::<f64>() / q.len() as f64;
        let sd = (q.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / q.len() as f64).sqrt();
        assert!((mean - 1.0).abs() < 1e-12);
        assert!(sd > 0.12 && sd < 0.15, "{sd}");
    }

    #[test]
    fn over_dispersion_needs_more_servers() {
        let queue = QueueInput {
            arrival_rate_per_s: 0.5,
            aht_s: 300.0,
            agents: 1,
            patience_mean_s: Some(180.0),
            within_s: 20.0,
        };
        let goal = Goal {
            service_level: 0.8,
            max_abandon: None,
        };
        let plain = servers_for(&queue, &[1.0], &goal, 10_000).unwrap();
        let dispersed = servers_for(&queue, &day_nodes(0.15), &goal, 10_000).unwrap();
        assert!(dispersed > plain + 5, "{plain} vs {dispersed}");
    }

    #[test]
    fn servers_match_the_library_search() {
        for (rate, patience) in [
            (0.1, None),
            (0.1, Some(180.0)),
            (2.0, Some(60.0)),
            (0.002, None),
        ] {
            let queue = QueueInput {
                arrival_rate_per_s: rate,
                aht_s: 180.0,
                agents: 1,
                patience_mean_s: patience,
                within_s: 20.0,
            };
            let goal = Goal {
                service_level: 0.8,
                max_abandon: None,
            };
            let ours = servers_for(&queue, &[1.0], &goal, 100_000);
            let lib = analytic::agents_for_service_level(&queue, 0.8, 100_000).unwrap();
            assert_eq!(ours, lib, "rate {rate} patience {patience:?}");
        }
    }
}
