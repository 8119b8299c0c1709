//! Test support: the continuous-time Markov chain of a small N design,
//! solved numerically (Gauss–Seidel), and the per-class waiting measures it
//! implies. Used by `routing_markov.rs`.
//!
//! Model (everything exponential, Poisson arrivals):
//! - class 1 (voice, rate λ1, patience rate θ1) is served by pool A and, as
//!   overflow, by pool B; class 2 (chat, λ2, θ2) only by pool B;
//! - pool A has `agents_a` agents at rate μA each, pool B `agents_b` at μB
//!   (the rate depends on the pool, not on the class);
//! - an arriving class-1 contact takes an idle A agent, else an idle B agent,
//!   else waits; an arriving class-2 contact takes an idle B agent, else waits;
//! - a freed A agent takes the head of queue 1; a freed B agent takes the head
//!   of queue 2 first (strict priority), then the head of queue 1;
//! - each waiting contact abandons at its class's rate; queues are first come
//!   first served within a class and truncated at `cap` (arrivals there are
//!   lost; the test checks that this has negligible probability).
//!
//! State (a, b, q1, q2): busy A agents, busy B agents, queue lengths. Since
//! no agent idles while a contact it may take waits, a < agents_a implies
//! q1 = 0 and b < agents_b implies q1 = q2 = 0; only those states exist.
//!
//! The mean wait of *answered* contacts needs more than the stationary law
//! (abandoners wait too), so it comes from a tagged-contact chain: an
//! arrival that must wait sees the stationary state (PASTA) and from then on
//! every pool it may use stays busy, so only (contacts ahead of it in its own
//! queue, contacts in the priority queue) matter. For each such state the
//! chain gives g = P(answered) and h = E[wait · 1{answered}] from
//! g = (r_serve + Σ r g') / q and h = (g + Σ r h') / q, q the total rate
//! including the tagged contact's own abandonment.

use std::collections::HashMap;

/// Parameters of the N design, rates per second.
#[derive(Debug, Clone, Copy)]
pub struct NDesign {
    /// Class-1 and class-2 arrival rates.
    pub lambda: [f64; 2],
    /// Class-1 and class-2 abandonment rates (1 / mean patience).
    pub theta: [f64; 2],
    /// Service rate of one agent of pool A and of pool B.
    pub mu: [f64; 2],
    /// Agents in pool A and in pool B.
    pub agents: [usize; 2],
    /// Queue length beyond which arrivals are lost (truncation).
    pub cap: usize,
}

/// Per-class results of the chain.
#[derive(Debug, Clone, Copy)]
pub struct ClassMeasures {
    /// P(an admitted arrival waits > 0).
    pub p_wait: f64,
    /// Abandoned ÷ admitted arrivals.
    pub abandon_rate: f64,
    /// Mean wait of answered contacts, seconds.
    pub asa_s: f64,
    /// P(answered) from the tagged chain (must equal 1 − abandon_rate).
    pub p_answered_tagged: f64,
    /// P(an arrival finds its queue full) (must be negligible).
    pub p_blocked: f64,
}

type State = (usize, usize, usize, usize);

impl NDesign {
    /// Every state the chain can be in.
    fn states(&self) -> Vec<State> {
        let [ca, cb] = self.agents;
        let mut out = Vec::new();
        for a in 0..=ca {
            for b in 0..=cb {
                let q1_max = if a == ca && b == cb { self.cap } else { 0 };
                let q2_max = if b == cb { self.cap } else { 0 };
                for q1 in 0..=q1_max {
                    for q2 in 0..=q2_max {
                        out.push((a, b, q1, q2));
                    }
                }
            }
        }
        out
    }

    /// Transitions out of `s`: (next state, rate), the routing rule above.
    fn transitions(&self, (a, b, q1, q2): State) -> Vec<(State, f64)> {
        let [ca, cb] = self.agents;
        let [l1, l2] = self.lambda;
        let [t1, t2] = self.theta;
        let [ma, mb] = self.mu;
        let mut out = Vec::new();
        if a < ca {
            out.push(((a + 1, b, q1, q2), l1));
        } else if b < cb {
            out.push(((a, b + 1, q1, q2), l1));
        } else if q1 < self.cap {
            out.push(((a, b, q1 + 1, q2), l1));
        }
        if b < cb {
            out.push(((a, b + 1, q1, q2), l2));
        } else if q2 < self.cap {
            out.push(((a, b, q1, q2 + 1), l2));
        }
        if a > 0 {
            let next = if q1 > 0 {
                (a, b, q1 - 1, q2)
            } else {
                (a - 1, b, q1, q2)
            };
            out.push((next, a as f64 * ma));
        }
        if b > 0 {
            let next = if q2 > 0 {
                (a, b, q1, q2 - 1)
            } else if q1 > 0 {
                (a, b, q1 - 1, q2)
            } else {
                (a, b - 1, q1, q2)
            };
            out.push((next, b as f64 * mb));
        }
        if q1 > 0 {
            out.push(((a, b, q1 - 1, q2), q1 as f64 * t1));
        }
        if q2 > 0 {
            out.push(((a, b, q1, q2 - 1), q2 as f64 * t2));
        }
        out
    }

    /// The stationary distribution by Gauss–Seidel on the balance equations
    /// π_y · out(y) = Σ_x π_x r(x, y), renormalised after every sweep.
    pub fn stationary(&self) -> Vec<(State, f64)> {
        let states = self.states();
        let index: HashMap<State, usize> =
            states.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        let mut incoming: Vec<Vec<(usize, f64)>> = vec![Vec::new(); states.len()];
        let mut out_rate = vec![0.0; states.len()];
        for (i, &s) in states.iter().enumerate() {
            for (next, rate) in self.transitions(s) {
                let j = index[&next];
                incoming[j].push((i, rate));
                out_rate[i] += rate;
            }
        }
        let mut pi = vec![1.0 / states.len() as f64; states.len()];
        for sweep in 0.. {
            assert!(sweep < 200_000, "Gauss–Seidel did not converge");
            let mut change: f64 = 0.0;
            for j in 0..states.len() {
                let inflow: f64 = incoming[j].iter().map(|&(i, r)| pi[i] * r).sum();
                let new = inflow / out_rate[j];
                change = change.max((new - pi[j]).abs());
                pi[j] = new;
            }
            let total: f64 = pi.iter().sum();
            pi.iter_mut().for_each(|p| *p /= total);
            if change < 1e-15 {
                break;
            }
        }
        states.into_iter().zip(pi).collect()
    }

    /// Per-class measures (class 1, class 2).
    pub fn measures(&self) -> [ClassMeasures; 2] {
        let pi = self.stationary();
        let [ca, cb] = self.agents;
        let (tag1_g, tag1_h) = self.tagged_class1();
        let (tag2_g, tag2_h) = self.tagged_class2();
        let mut m = [(0.0, 0.0, 0.0, 0.0, 0.0, 0.0); 2];
        // (p_wait, mean queue, blocked, E[W 1{ans}], P(ans)) per class, summed.
        for &((a, b, q1, q2), p) in &pi {
            let all_busy = a == ca && b == cb;
            // Class 1.
            m[0].1 += p * q1 as f64;
            if all_busy && q1 == self.cap {
                m[0].2 += p;
            } else if all_busy {
                m[0].0 += p;
                m[0].3 += p * tag1_h[q1][q2];
                m[0].4 += p * tag1_g[q1][q2];
            } else {
                m[0].4 += p;
            }
            // Class 2.
            m[1].1 += p * q2 as f64;
            if b == cb && q2 == self.cap {
                m[1].2 += p;
            } else if b == cb {
                m[1].0 += p;
                m[1].3 += p * tag2_h[q2];
                m[1].4 += p * tag2_g[q2];
            } else {
                m[1].4 += p;
            }
        }
        [0, 1].map(|k| {
            let (p_wait, queue, blocked, w_answered, answered, _) = m[k];
            let admitted = 1.0 - blocked;
            ClassMeasures {
                p_wait: p_wait / admitted,
                abandon_rate: self.theta[k] * queue / (self.lambda[k] * admitted),
                asa_s: w_answered / answered,
                p_answered_tagged: answered / admitted,
                p_blocked: blocked,
            }
        })
    }

    /// Tagged class-1 contact with n ahead in queue 1 and m in queue 2, both
    /// pools busy throughout: (g, h) indexed [n][m].
    fn tagged_class1(&self) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let [ca, cb] = self.agents;
        let (ra, rb) = (ca as f64 * self.mu[0], cb as f64 * self.mu[1]);
        let [t1, t2] = self.theta;
        let l2 = self.lambda[1];
        let n_max = self.cap;
        let mut g = vec![vec![0.0; n_max + 1]; n_max + 1];
        let mut h = vec![vec![0.0; n_max + 1]; n_max + 1];
        // n never grows: solve n = 0, 1, … in turn, each a chain in m.
        for n in 0..=n_max {
            loop {
                let mut change: f64 = 0.0;
                for m in 0..=n_max {
                    let arrive = if m < n_max { l2 } else { 0.0 };
                    let q = ra + rb + n as f64 * t1 + m as f64 * t2 + arrive + t1;
                    let (mut gs, mut hs) = (0.0, 0.0);
                    let mut go = |rate: f64, to: Option<(usize, usize)>| match to {
                        Some((n2, m2)) => {
                            gs += rate * g[n2][m2];
                            hs += rate * h[n2][m2];
                        }
                        None => gs += rate, // answered
                    };
                    go(ra, (n > 0).then(|| (n - 1, m)));
                    let b_next = if m > 0 {
                        Some((n, m - 1))
                    } else {
                        (n > 0).then(|| (n - 1, m))
                    };
                    go(rb, b_next);
                    if n > 0 {
                        go(n as f64 * t1, Some((n - 1, m)));
                    }
                    if m > 0 {
                        go(m as f64 * t2, Some((n, m - 1)));
                    }
                    if arrive > 0.0 {
                        go(arrive, Some((n, m + 1)));
                    }
                    let new_g = gs / q;
                    let new_h = (new_g + hs) / q;
                    change = change
                        .max((new_g - g[n][m]).abs())
                        .max((new_h - h[n][m]).abs());
                    g[n][m] = new_g;
                    h[n][m] = new_h;
                }
                if change < 1e-13 {
                    break;
                }
            }
        }
        (g, h)
    }

    /// Tagged class-2 contact with n ahead in queue 2, pool B busy
    /// throughout (class 1 never goes before it): (g, h) indexed [n].
    fn tagged_class2(&self) -> (Vec<f64>, Vec<f64>) {
        let rb = self.agents[1] as f64 * self.mu[1];
        let t2 = self.theta[1];
        let mut g = vec![0.0; self.cap + 1];
        let mut h = vec![0.0; self.cap + 1];
        for n in 0..=self.cap {
            let q = rb + n as f64 * t2 + t2;
            let (gs, hs) = if n == 0 {
                (rb, 0.0)
            } else {
                let r = rb + n as f64 * t2;
                (r * g[n - 1], r * h[n - 1])
            };
            g[n] = gs / q;
            h[n] = (g[n] + hs) / q;
        }
        (g, h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With pool A empty of work (λ1 = 0) class 2 alone on pool B is an
    /// M/M/c+M queue: its measures must match Erlang A.
    #[test]
    fn class_two_alone_is_erlang_a() {
        let n = NDesign {
            lambda: [0.0, 1.0 / 60.0],
            theta: [1.0 / 180.0, 1.0 / 240.0],
            mu: [1.0 / 240.0, 1.0 / 150.0],
            agents: [2, 3],
            cap: 60,
        };
        let [_, c2] = n.measures();
        let a = cxsim::analytic::erlang_a(&cxsim::analytic::QueueInput {
            arrival_rate_per_s: 1.0 / 60.0,
            aht_s: 150.0,
            agents: 3,
            patience_mean_s: Some(240.0),
            within_s: 0.0,
        })
        .expect("Erlang A");
        assert!(
            (c2.abandon_rate - a.abandon_rate).abs() < 1e-6,
            "{c2:?} {a:?}"
        );
        assert!((c2.p_wait - a.p_wait).abs() < 1e-6, "{c2:?} {a:?}");
        assert!((c2.asa_s - a.asa_s).abs() < 1e-4, "{c2:?} {a:?}");
    }
}
