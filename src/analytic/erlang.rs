//! Erlang B, C and A formulas and the quadrature behind Erlang A.
//!
//! The derivation and the definitions are in the parent module's docs.

use super::{AnalyticError, Params, QueueInput, QueueMetrics, validate};

/// Erlang B blocking probability for `offered_load_erlangs` offered to
/// `agents` servers with no waiting room.
///
/// Uses the stable forward recursion `B(0) = 1`,
/// `B(n) = A B(n−1) / (n + A B(n−1))`, so it never forms `A^c` or `c!`.
/// Returns 1 for zero agents, 0 for zero load, and NaN when the load is
/// negative or not finite (this function has no error channel; the queue
/// models validate their inputs instead).
pub fn erlang_b(offered_load_erlangs: f64, agents: u32) -> f64 {
    let load = offered_load_erlangs;
    if !(load.is_finite() && load >= 0.0) {
        return f64::NAN;
    }
    let mut b = 1.0;
    for n in 1..=agents {
        let ab = load * b;
        b = ab / (f64::from(n) + ab);
    }
    b
}

/// Erlang C (M/M/c, infinitely patient callers).
///
/// # Errors
/// [`AnalyticError::InvalidInput`] for an out-of-range field,
/// [`AnalyticError::PatienceNotAllowed`] if `patience_mean_s` is set, and
/// [`AnalyticError::Unstable`] if the offered load is >= `agents`.
pub fn erlang_c(input: &QueueInput) -> Result<QueueMetrics, AnalyticError> {
    let p = validate(input)?;
    if let Some(patience_mean_s) = input.patience_mean_s {
        return Err(AnalyticError::PatienceNotAllowed { patience_mean_s });
    }
    let c = f64::from(input.agents);
    if p.load >= c {
        return Err(AnalyticError::Unstable {
            load: p.load,
            agents: input.agents,
        });
    }
    let rho = p.load / c;
    let b = erlang_b(p.load, input.agents);
    // C = B / (1 − ρ(1 − B)), written so that both denominator terms are
    // non-negative and nothing cancels as ρ → 1.
    let p_wait = (b / ((1.0 - rho) + rho * b)).clamp(0.0, 1.0);
    // cμ − λ, from the load so that it is exact when λ·aht is.
    let gap = (c - p.load) / p.aht;
    let metrics = QueueMetrics {
        p_wait,
        service_level: (1.0 - p_wait * (-gap * p.within).exp()).clamp(0.0, 1.0),
        asa_s: p_wait / gap,
        abandon_rate: 0.0,
        occupancy: rho,
    };
    check_finite(metrics)
}

/// Erlang A (M/M/c+M: exponential patience, FCFS); stable for any load.
///
/// # Errors
/// [`AnalyticError::InvalidInput`] for an out-of-range field,
/// [`AnalyticError::MissingPatience`] if `patience_mean_s` is `None`, and
/// [`AnalyticError::NumericalFailure`] only for inputs far outside any
/// contact-centre range.
pub fn erlang_a(input: &QueueInput) -> Result<QueueMetrics, AnalyticError> {
    let p = validate(input)?;
    let Some(theta) = p.theta else {
        return Err(AnalyticError::MissingPatience);
    };
    erlang_a_core(&p, input.agents, theta)
}

/// Erlang A for validated parameters. `theta = 0` is allowed (it is then
/// Erlang C, computed by quadrature) as long as the load is below `agents`;
/// the tests use it to check the quadrature against the closed form.
pub(super) fn erlang_a_core(
    p: &Params,
    agents: u32,
    theta: f64,
) -> Result<QueueMetrics, AnalyticError> {
    let lambda = p.lambda;
    let c_mu = f64::from(agents) / p.aht;
    let ln_c_mu = c_mu.ln();
    let kappa = c_mu + theta;
    // The shortest natural time scale: it only seeds the bracketing searches.
    let scale = 1.0 / (kappa + lambda);

    // Exponent of e^{−(cμ+θ)v} E(v); E(v) = exp(λ v · (1 − e^{−θv})/(θv)).
    let h = |v: f64| -kappa * v + lambda * v * one_minus_exp_over(theta * v);
    let dh = |v: f64| -kappa + lambda * (-theta * v).exp();
    let ln_i = ln_integral_concave(&h, &dh, f64::INFINITY, scale)?;
    let ln_i_t = ln_integral_concave(&h, &dh, p.within, scale)?;
    // ASA numerator: v e^{h(v)}, whose log ln v + h(v) is concave too.
    let hk = |v: f64| v.ln() + h(v);
    let dhk = |v: f64| v.recip() + dh(v);
    let ln_k = ln_integral_concave(&hk, &dhk, f64::INFINITY, scale)?;
    // Abandonment, integrated directly (rather than as S₀ − cμ I) so that it
    // keeps full relative accuracy when it is tiny.
    let ln_s_ab = if theta > 0.0 {
        let ha = |v: f64| {
            -c_mu * v + (-(-theta * v).exp_m1()).ln() + lambda * v * one_minus_exp_over(theta * v)
        };
        let dha = |v: f64| -c_mu + theta / (theta * v).exp_m1() + lambda * (-theta * v).exp();
        ln_c_mu + ln_integral_concave(&ha, &dha, f64::INFINITY, scale)?
    } else {
        f64::NEG_INFINITY
    };

    let ln_r = ln_inv_erlang_b_minus_one(p.load, agents);
    // S₀ = 1 + λ I: the probability mass of "all agents busy", per unit π_c.
    let ln_s0 = ln_add_exp(0.0, lambda.ln() + ln_i);
    let ln_d = ln_add_exp(ln_r, ln_s0);
    let ln_served = ln_add_exp(ln_r, ln_c_mu + ln_i);
    let prob = |ln_x: f64| (ln_x - ln_d).exp().clamp(0.0, 1.0);
    let metrics = QueueMetrics {
        p_wait: prob(ln_s0),
        service_level: prob(ln_add_exp(ln_r, ln_c_mu + ln_i_t)),
        asa_s: (ln_c_mu + ln_k - ln_served).exp(),
        abandon_rate: prob(ln_s_ab),
        // λ P(served) / (cμ), with P(served) computed directly instead of as
        // 1 − P(ab).
        occupancy: (lambda / c_mu * prob(ln_served)).min(1.0),
    };
    check_finite(metrics)
}

fn check_finite(m: QueueMetrics) -> Result<QueueMetrics, AnalyticError> {
    let all = [
        m.p_wait,
        m.service_level,
        m.asa_s,
        m.abandon_rate,
        m.occupancy,
    ];
    if all.iter().all(|x| x.is_finite()) {
        Ok(m)
    } else {
        Err(AnalyticError::NumericalFailure {
            what: "queue metrics",
        })
    }
}

/// `(1 − e^{−x}) / x`, continuous at 0, so `λ v (1 − e^{−θv})/(θv)` has the
/// Erlang C limit `λ v` for `θ = 0` and no `λ/θ` overflow for tiny `θ`.
pub(super) fn one_minus_exp_over(x: f64) -> f64 {
    if x == 0.0 { 1.0 } else { -(-x).exp_m1() / x }
}

/// `ln(e^a + e^b)` without overflow; `−∞` is the neutral element.
pub(super) fn ln_add_exp(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// `ln(1/B(A, c) − 1)` by the recursion `R(n) = (n/A)(1 + R(n−1))`,
/// `R(0) = 0`, run in log space: all terms are positive (no cancellation
/// even when `B` is close to 1) and `1/B` may be far beyond `f64` range
/// when `c ≫ A`.
pub(super) fn ln_inv_erlang_b_minus_one(load: f64, agents: u32) -> f64 {
    let ln_load = load.ln();
    let mut ln_r = f64::NEG_INFINITY;
    for n in 1..=agents {
        // ln(1 + R) = softplus(ln R).
        let ln_one_plus_r = if ln_r > 40.0 {
            ln_r + (-ln_r).exp()
        } else {
            ln_r.exp().ln_1p()
        };
        ln_r = f64::from(n).ln() - ln_load + ln_one_plus_r;
    }
    ln_r
}

/// How far below its peak the integrand is truncated (`e^{−46} ≈ 1e-20`).
const TAIL_LOG_DROP: f64 = 46.0;
/// Cap on bracket doublings: enough to go from 1e-300 to 1e300.
const MAX_DOUBLINGS: usize = 2100;

/// `ln ∫₀^upper e^{φ(v)} dv` for a concave `φ` with derivative `dphi`
/// (`upper` may be `+∞`, in which case `dphi` must become negative).
///
/// Log-concavity makes the integrand unimodal: find the mode, bracket the
/// region where `φ ≥ φ_max − 46`, and integrate `e^{φ − φ_max}` over it with
/// adaptive Gauss–Kronrod. `scale` is a rough time scale used to start the
/// bracketing; its value affects only the number of bisection steps.
pub(super) fn ln_integral_concave(
    phi: &dyn Fn(f64) -> f64,
    dphi: &dyn Fn(f64) -> f64,
    upper: f64,
    scale: f64,
) -> Result<f64, AnalyticError> {
    let fail = |what| Err(AnalyticError::NumericalFailure { what });
    if upper.is_nan() || scale.is_nan() || scale <= 0.0 {
        return fail("integration limits");
    }
    if upper <= 0.0 {
        return Ok(f64::NEG_INFINITY);
    }
    let mode = find_mode(dphi, upper, scale).ok_or(AnalyticError::NumericalFailure {
        what: "locating the integrand's mode",
    })?;
    let peak = phi(mode);
    if peak == f64::NEG_INFINITY {
        return Ok(f64::NEG_INFINITY);
    }
    if !peak.is_finite() {
        return fail("integrand peak");
    }
    let floor = peak - TAIL_LOG_DROP;
    let above = |v: f64| phi(v) >= floor;

    // Right end: double the step until below the floor, then bisect.
    let right = if upper.is_finite() && above(upper) {
        upper
    } else {
        let mut step = scale;
        let mut inside = mode;
        let mut outside = None;
        for _ in 0..MAX_DOUBLINGS {
            let v = mode + step;
            if v >= upper {
                outside = Some(upper);
                break;
            }
            if !above(v) {
                outside = Some(v);
                break;
            }
            inside = v;
            step *= 2.0;
        }
        let Some(outside) = outside else {
            return fail("bracketing the integrand's right tail");
        };
        bisect_boundary(&above, inside, outside)
    };
    // Left end: the integrand rises from v = 0 to the mode.
    let left = if mode == 0.0 || above(0.0) {
        0.0
    } else {
        bisect_boundary(&above, mode, 0.0)
    };

    // Break points on geometric grids around the mode and around 0: every
    // feature of these integrands (the peak, the e^{−θv} and e^{−cμv}
    // transitions, the rise of ln v or ln(1 − e^{−θv}) from 0) lives on a
    // scale >= `scale` measured from one of them, so each piece sees it at
    // a resolution Gauss–Kronrod handles, however wide the range.
    let mut breaks = vec![left, mode, right];
    let mut d = scale;
    while d < right - left {
        breaks.extend(
            [d, mode - d, mode + d]
                .into_iter()
                .filter(|&x| x > left && x < right),
        );
        d *= 4.0;
    }
    breaks.sort_by(f64::total_cmp);
    breaks.dedup();
    let f = |v: f64| (phi(v) - peak).exp();
    let total = gauss_kronrod_adaptive(&f, &breaks);
    if !(total.is_finite() && total > 0.0) {
        return fail("integrating");
    }
    Ok(peak + total.ln())
}

/// Mode of a concave function on `[0, upper]` from its (decreasing)
/// derivative; `None` if no sign change is found.
fn find_mode(dphi: &dyn Fn(f64) -> f64, upper: f64, scale: f64) -> Option<f64> {
    // NaN derivatives count as "not increasing", which can only move the
    // mode towards 0; the integrands here never produce them for v > 0.
    if dphi(0.0).partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Some(0.0);
    }
    if upper.is_finite() && dphi(upper) >= 0.0 {
        return Some(upper);
    }
    let (mut lo, mut hi) = (0.0, scale.min(upper));
    let mut doublings = 0;
    while dphi(hi) > 0.0 {
        lo = hi;
        hi = (hi * 2.0).min(upper);
        doublings += 1;
        if doublings > MAX_DOUBLINGS {
            return None;
        }
    }
    for _ in 0..1100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if dphi(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// Boundary between `inside` (predicate true) and `outside` (false) for a
/// predicate true on an interval; returns a point on the `outside` side so
/// that the integration range errs on the generous side.
fn bisect_boundary(pred: &dyn Fn(f64) -> bool, mut inside: f64, mut outside: f64) -> f64 {
    // 60 halvings pin the boundary to ~1e-18 of the bracket; far more than
    // needed, but it keeps the integration range tight for narrow peaks.
    for _ in 0..60 {
        let mid = 0.5 * (inside + outside);
        if mid == inside || mid == outside {
            break;
        }
        if pred(mid) {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    outside
}

/// Gauss–Kronrod 7/15 nodes on [0, 1] (largest first; the last is the centre)
/// and weights, from QUADPACK's `qk15` (Piessens et al., 1983).
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
const WGK: [f64; 8] = [
    0.022_935_322_010_529_225,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];
/// Weights of the embedded 7-point Gauss rule, for nodes XGK[1], XGK[3],
/// XGK[5] and the centre.
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// One Gauss–Kronrod 15-point estimate on `[a, b]` and the difference to
/// the embedded 7-point Gauss estimate (a pessimistic error bound).
pub(super) fn gauss_kronrod_15(f: &dyn Fn(f64) -> f64, a: f64, b: f64) -> (f64, f64) {
    let centre = 0.5 * (a + b);
    let half = 0.5 * (b - a);
    let fc = f(centre);
    let mut kronrod = WGK[7] * fc;
    let mut gauss = WG[3] * fc;
    for (i, (&x, &w)) in XGK.iter().zip(WGK.iter()).take(7).enumerate() {
        let pair = f(centre - half * x) + f(centre + half * x);
        kronrod += w * pair;
        if i % 2 == 1 {
            gauss += WG[i / 2] * pair;
        }
    }
    (kronrod * half, ((kronrod - gauss) * half).abs())
}

/// Relative tolerance on the summed Gauss–Kronrod differences; the 15-point
/// result itself is then accurate to roughly machine precision.
const QUAD_REL_TOL: f64 = 1e-12;
/// Cap on subintervals: smooth unimodal integrands need a few dozen beyond
/// the initial break points.
const QUAD_MAX_PIECES: usize = 600;

/// Globally adaptive Gauss–Kronrod over the pieces between consecutive
/// `breaks` (sorted): repeatedly bisect the piece with the largest error
/// estimate until the total estimate is small.
pub(super) fn gauss_kronrod_adaptive(f: &dyn Fn(f64) -> f64, breaks: &[f64]) -> f64 {
    // (left, right, value, error) per piece.
    let mut pieces: Vec<(f64, f64, f64, f64)> = breaks
        .windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| {
            let (v, e) = gauss_kronrod_15(f, w[0], w[1]);
            (w[0], w[1], v, e)
        })
        .collect();
    while pieces.len() < QUAD_MAX_PIECES {
        let total: f64 = pieces.iter().map(|p| p.2).sum();
        let error: f64 = pieces.iter().map(|p| p.3).sum();
        if error <= QUAD_REL_TOL * total.abs() {
            break;
        }
        let Some((worst, _)) = pieces
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.3.total_cmp(&y.1.3))
        else {
            break;
        };
        let (lo, hi, _, _) = pieces[worst];
        let mid = 0.5 * (lo + hi);
        if !(mid > lo && mid < hi) {
            // Cannot split further in floating point: accept this piece.
            pieces[worst].3 = 0.0;
            continue;
        }
        let (v1, e1) = gauss_kronrod_15(f, lo, mid);
        let (v2, e2) = gauss_kronrod_15(f, mid, hi);
        pieces[worst] = (lo, mid, v1, e1);
        pieces.push((mid, hi, v2, e2));
    }
    pieces.iter().map(|p| p.2).sum()
}
