//! Staffing searches: the fewest agents that meet a target.

use super::{AnalyticError, QueueInput, QueueMetrics, evaluate, validate_rates};

/// Smallest number of agents in `1..=max_agents` whose service level
/// (`P(served and wait <= within_s)`) is at least `target`, or `None` if even
/// `max_agents` falls short. `input.agents` is ignored.
///
/// Uses Erlang C when `patience_mean_s` is `None` (loads at or above the
/// agent count are unstable and count as not meeting the target) and
/// Erlang A otherwise. Bisects on the agent count, relying on the service
/// level rising with it, so it needs `O(log max_agents)` evaluations.
///
/// # Errors
/// [`AnalyticError::InvalidInput`] if a queue field is out of range, `target`
/// is not in `[0, 1]`, or `max_agents` is 0.
pub fn agents_for_service_level(
    input: &QueueInput,
    target: f64,
    max_agents: u32,
) -> Result<Option<u32>, AnalyticError> {
    check_target(target)?;
    smallest_meeting(input, max_agents, |m| m.service_level >= target)
}

/// Smallest number of agents in `1..=max_agents` whose abandonment
/// probability is at most `target`, or `None` if even `max_agents` falls
/// short. `input.agents` is ignored.
///
/// With a patience this is Erlang A. Without one (Erlang C) callers never
/// abandon, so the abandonment is 0 whenever the queue is stable and the
/// answer is the smallest stable staffing, `floor(load) + 1`; unstable
/// staffing counts as not meeting the target (the queue grows without
/// bound). Bisects on the agent count, relying on abandonment falling with
/// it.
///
/// # Errors
/// [`AnalyticError::InvalidInput`] if a queue field is out of range, `target`
/// is not in `[0, 1]`, or `max_agents` is 0.
pub fn agents_for_abandon_rate(
    input: &QueueInput,
    target: f64,
    max_agents: u32,
) -> Result<Option<u32>, AnalyticError> {
    check_target(target)?;
    smallest_meeting(input, max_agents, |m| m.abandon_rate <= target)
}

fn check_target(target: f64) -> Result<(), AnalyticError> {
    if (0.0..=1.0).contains(&target) {
        Ok(())
    } else {
        Err(AnalyticError::InvalidInput {
            field: "target",
            value: target,
            allowed: "a probability in [0, 1]",
        })
    }
}

/// Bisection for the smallest `c` in `1..=max_agents` with `meets(c)`,
/// assuming `meets` is monotone (false … false true … true).
fn smallest_meeting(
    input: &QueueInput,
    max_agents: u32,
    meets: impl Fn(&QueueMetrics) -> bool,
) -> Result<Option<u32>, AnalyticError> {
    if max_agents == 0 {
        return Err(AnalyticError::InvalidInput {
            field: "max_agents",
            value: 0.0,
            allowed: ">= 1",
        });
    }
    let params = validate_rates(input)?;
    // `lo` is the largest agent count known to fail (0 = none known).
    let mut lo = 0;
    if params.theta.is_none() {
        // Erlang C is unstable for c <= load: skip those without evaluating.
        if params.load >= f64::from(max_agents) {
            return Ok(None);
        }
        // load < max_agents <= u32::MAX, so the cast is exact and in range.
        lo = params.load.floor() as u32;
    }
    let check = |agents: u32| -> Result<bool, AnalyticError> {
        match evaluate(&QueueInput { agents, ..*input }) {
            Ok(m) => Ok(meets(&m)),
            Err(AnalyticError::Unstable { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    };
    if !check(max_agents)? {
        return Ok(None);
    }
    let mut hi = max_agents;
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if check(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Some(hi))
}
