//! Analytic steady-state queueing models: Erlang B, Erlang C (M/M/c) and
//! Erlang A (Palm's M/M/c+M, exponential patience).
//!
//! These closed forms are the yardstick the simulator is checked against and
//! the fast path of the capacity planner, so the definitions below are exact
//! and shared by every model.
//!
//! # Inputs and definitions
//!
//! A [`QueueInput`] describes one stationary queue: Poisson arrivals at rate
//! `λ` (per second), exponential handle times with mean `1/μ` (`aht_s`), `c`
//! identical agents, FCFS, and either infinitely patient callers (Erlang C)
//! or exponential patience with mean `1/θ` (Erlang A). The offered load is
//! `A = λ/μ` Erlangs. [`QueueMetrics`] reports, over **all** arrivals (by
//! PASTA an arrival sees the stationary distribution):
//!
//! * `p_wait` — `P(wait > 0)`, the probability that all agents are busy;
//! * `service_level` — `P(served and wait ≤ t)`; abandoners are in the
//!   denominator but never in the numerator;
//! * `asa_s` — the mean wait of *served* contacts only;
//! * `abandon_rate` — `P(abandon)` (always 0 for Erlang C);
//! * `occupancy` — `λ (1 − P(ab)) / (c μ)`, the carried load per agent.
//!
//! # Erlang B and C
//!
//! [`erlang_b`] uses the forward recursion `B(0) = 1`,
//! `B(n) = A B(n−1) / (n + A B(n−1))`, which never forms `A^c` or `c!` and is
//! stable for thousands of agents. [`erlang_c`] then uses
//! `C = B / (1 − ρ(1 − B))` with `ρ = A/c` (evaluated as `B / ((1−ρ) + ρB)` so
//! nothing cancels), `SL(t) = 1 − C e^{−(cμ−λ)t}` and `ASA = C / (cμ − λ)`.
//! It needs `A < c`; otherwise it returns [`AnalyticError::Unstable`].
//!
//! # Erlang A: an exact integral representation
//!
//! The number in system is a birth–death chain with birth rate `λ` and death
//! rate `min(n,c) μ + (n−c)⁺ θ`, so with `a = cμ/θ` and `b = λ/θ`
//! `π_{c+j} = π_c b^j / ((a+1)(a+2)…(a+j))`, and the states `n ≤ c` carry the
//! truncated Poisson (Erlang B) weights: `Σ_{n<c} π_n = π_c (1/B(A,c) − 1)`.
//!
//! An arrival that finds `j ≥ 0` callers waiting has offered wait
//! `V_j = Σ_{k=0}^{j} Exp(cμ + kθ)` (each step ends at a service completion or
//! an abandonment ahead of it) and is served iff its own patience exceeds
//! `V_j`. Its Laplace transform is `Π_k (a+k)/(a+k+s/θ)`, which is exactly
//! that of `−ln(U)/θ` with `U ~ Beta(a, j+1)`. Summing the Beta densities
//! against `π_{c+j}` collapses the series (`Σ_j (b(1−u))^j / j! =
//! e^{b(1−u)}`), and substituting `u = e^{−θv}` gives, per unit `π_c`, the
//! density of the offered wait over all delayed arrivals:
//!
//! `g(v) = cμ e^{−cμ v} E(v)`, with `E(v) = exp(λ (1 − e^{−θv}) / θ)`.
//!
//! Everything follows from integrals of `g` (an arrival served after waiting
//! `v` also survived its patience, probability `e^{−θv}`):
//!
//! * delayed mass `S₀ = ∫ g = 1 + λ I` (integration by parts), where
//!   `I = ∫₀^∞ e^{−(cμ+θ)v} E(v) dv`;
//! * served after waiting ≤ t: `cμ I(t)` with `I(t) = ∫₀^t e^{−(cμ+θ)v} E(v) dv`;
//! * abandoned: `S_ab = ∫ g(v) (1 − e^{−θv}) dv`;
//! * served waiting time: `cμ K` with `K = ∫₀^∞ v e^{−(cμ+θ)v} E(v) dv`.
//!
//! With `R = 1/B(A,c) − 1` and `D = R + S₀`: `p_wait = S₀/D`,
//! `abandon = S_ab/D`, `SL = (R + cμ I(t))/D`, `ASA = cμ K / (R + cμ I)`.
//! `I` and `I(t)` equal the incomplete-gamma expressions of Mandelbaum &
//! Zeltyn (2007) (`I = e^b b^{−(a+1)} γ(a+1, b) / θ`); the tests check that.
//!
//! ## Numerical method
//!
//! The integrals are evaluated directly rather than through incomplete gamma
//! functions, whose arguments reach `10^9` and more for long patience. Every
//! integrand is log-concave (its exponent is a sum of concave terms), so it
//! is unimodal: we locate the mode by bisection on the derivative of the
//! exponent, bracket the region where the integrand is within `e^{−46}` of
//! its peak (by concavity the neglected tails are below `e^{−46}` of the
//! integral), place break points on geometric grids around the mode and
//! around 0 (so features at every scale from `1/(λ+cμ+θ)` up are resolved),
//! and integrate the peak-normalised integrand with globally adaptive
//! Gauss–Kronrod (7/15) to a relative error near machine precision.
//!
//! Large numbers never meet: the exponent is written relative to the peak
//! value `h*` of `−(cμ+θ)v + λ(1 − e^{−θv})/θ` in a form with no cancelling
//! terms, all logarithms are reduced by `h*` (which is huge in deep overload
//! with long patience), `R` comes from a log-space Erlang B recursion, and
//! `S_ab` is taken as `1 + (λ − cμ) I` when `λ >= cμ` and integrated
//! directly (so that small abandonment keeps its relative accuracy) when
//! `λ < cμ`. The tests agree with brute-force chains to 1e-9 or better from
//! 1 to 5,000 agents, light load to 4x overload, and patience from 1e-6 s to
//! 1e12 s; [`AnalyticError::NumericalFailure`] is reserved for inputs near
//! the limits of `f64` (e.g. rates of 1e-300 per second).
//!
//! # Staffing
//!
//! [`agents_for_service_level`] and [`agents_for_abandon_rate`] bisect on the
//! number of agents, using that service level rises and abandonment falls
//! monotonically with `c`.

mod erlang;
mod staffing;
#[cfg(test)]
mod tests;

pub use erlang::{erlang_a, erlang_b, erlang_c};
pub use staffing::{agents_for_abandon_rate, agents_for_service_level};

/// Inputs for one stationary queue. Rates are per second, times in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueInput {
    /// Poisson arrival rate `λ`, contacts per second (finite, > 0).
    pub arrival_rate_per_s: f64,
    /// Mean handle time `1/μ` in seconds (finite, > 0); handle times are
    /// exponential.
    pub aht_s: f64,
    /// Number of agents `c` (>= 1; ignored by the staffing searches).
    pub agents: u32,
    /// Mean patience in seconds. `None` means callers never abandon
    /// (Erlang C); `Some(p)` means exponential patience with rate `θ = 1/p`
    /// (Erlang A). Must be finite and > 0 when present.
    pub patience_mean_s: Option<f64>,
    /// Service-level threshold `t` in seconds (finite, >= 0).
    pub within_s: f64,
}

/// Steady-state results for one queue, each over all arrivals unless noted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueMetrics {
    /// `P(wait > 0)`: the probability that an arrival finds all agents busy.
    pub p_wait: f64,
    /// `P(served and wait <= within_s)` over all arrivals; abandoners count
    /// in the denominator only.
    pub service_level: f64,
    /// Mean wait in seconds of served (answered) contacts only.
    pub asa_s: f64,
    /// `P(abandon)`; 0 for Erlang C.
    pub abandon_rate: f64,
    /// `λ (1 − P(ab)) · aht / c`: the fraction of agent time spent handling.
    pub occupancy: f64,
}

/// Errors from the analytic models.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum AnalyticError {
    /// An input is out of its allowed range.
    #[error("invalid {field} = {value}: allowed {allowed}")]
    InvalidInput {
        /// The offending field.
        field: &'static str,
        /// The value given (agent counts are converted to `f64`).
        value: f64,
        /// What would have been accepted.
        allowed: &'static str,
    },
    /// Erlang C has no steady state when the offered load reaches the agents.
    #[error(
        "unstable queue: offered load {load} Erlangs with {agents} agents (Erlang C needs load < agents)"
    )]
    Unstable {
        /// Offered load `λ · aht` in Erlangs.
        load: f64,
        /// Number of agents.
        agents: u32,
    },
    /// [`erlang_a`] was called without a patience.
    #[error(
        "Erlang A needs patience_mean_s; use erlang_c or evaluate for infinitely patient callers"
    )]
    MissingPatience,
    /// [`erlang_c`] was called with a patience, which it would silently ignore.
    #[error(
        "Erlang C has no abandonment but patience_mean_s = {patience_mean_s}; use erlang_a or evaluate"
    )]
    PatienceNotAllowed {
        /// The patience given.
        patience_mean_s: f64,
    },
    /// The evaluation produced a non-finite number (only for inputs far
    /// outside any contact-centre range).
    #[error("numerical failure in {what}")]
    NumericalFailure {
        /// Which computation failed.
        what: &'static str,
    },
}

/// Evaluates the queue with Erlang C when `patience_mean_s` is `None` and
/// with Erlang A otherwise.
///
/// # Errors
/// As [`erlang_c`] or [`erlang_a`].
pub fn evaluate(input: &QueueInput) -> Result<QueueMetrics, AnalyticError> {
    match input.patience_mean_s {
        None => erlang_c(input),
        Some(_) => erlang_a(input),
    }
}

/// Validated, derived parameters shared by the models.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// Arrival rate `λ` per second.
    pub lambda: f64,
    /// Mean handle time in seconds.
    pub aht: f64,
    /// Offered load `λ · aht` in Erlangs.
    pub load: f64,
    /// Abandonment rate `θ = 1/patience`, if any.
    pub theta: Option<f64>,
    /// Service-level threshold in seconds.
    pub within: f64,
}

fn invalid(field: &'static str, value: f64, allowed: &'static str) -> AnalyticError {
    AnalyticError::InvalidInput {
        field,
        value,
        allowed,
    }
}

/// Checks every field except `agents` (the staffing searches ignore it).
pub(crate) fn validate_rates(input: &QueueInput) -> Result<Params, AnalyticError> {
    const POSITIVE: &str = "finite and > 0";
    let lambda = input.arrival_rate_per_s;
    if !(lambda.is_finite() && lambda > 0.0) {
        return Err(invalid("arrival_rate_per_s", lambda, POSITIVE));
    }
    let aht = input.aht_s;
    // The reciprocal is the service rate, so it must be finite too.
    if !(aht.is_finite() && aht > 0.0 && aht.recip().is_finite()) {
        return Err(invalid("aht_s", aht, POSITIVE));
    }
    let theta = match input.patience_mean_s {
        None => None,
        Some(p) => {
            if !(p.is_finite() && p > 0.0 && p.recip().is_finite()) {
                return Err(invalid("patience_mean_s", p, POSITIVE));
            }
            Some(p.recip())
        }
    };
    let within = input.within_s;
    if !(within.is_finite() && within >= 0.0) {
        return Err(invalid("within_s", within, "finite and >= 0"));
    }
    let load = lambda * aht;
    if !(load.is_finite() && load > 0.0) {
        return Err(invalid(
            "offered load (arrival_rate_per_s * aht_s)",
            load,
            POSITIVE,
        ));
    }
    Ok(Params {
        lambda,
        aht,
        load,
        theta,
        within,
    })
}

/// Checks all fields, including `agents >= 1`.
pub(crate) fn validate(input: &QueueInput) -> Result<Params, AnalyticError> {
    let params = validate_rates(input)?;
    if input.agents == 0 {
        return Err(invalid("agents", 0.0, ">= 1"));
    }
    Ok(params)
}
