//! Unit tests of the metrics recorder: how each observation counts.

use super::*;
use crate::scenario::{ServiceLevel, SlBasis};
use crate::time::ticks;

#[test]
fn service_level_rules_follow_the_basis() {
    let sl = |basis| ServiceLevel {
        within_s: 20.0,
        target: 0.8,
        explicit: true,
        short_abandon_s: 5.0,
        basis,
    };
    let answered = SlRule::of(&sl(SlBasis::Answered));
    assert!(!answered.abandons_count && !answered.short_count);
    let offered = SlRule::of(&sl(SlBasis::Offered));
    assert!(offered.abandons_count && offered.short_count);
    assert_eq!(offered.within, ticks(20.0));
    assert_eq!(offered.short_abandon, ticks(5.0));
}

/// One voice channel, 20 s service level with 5 s short abandons
/// counted on `basis`; 1 h warm-up, 2 h measured in 1 h intervals.
fn metrics(basis: &str) -> (Scenario, Horizon, Metrics) {
    let text = format!(
        r#"
name = "m"
[simulation]
seed = 1
warmup = "1h"
horizon = "2h"
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[channel.voice]
patience = {{ dist = "exponential", mean = "3m" }}
service_level = {{ within = "20s", target = 0.8, short_abandon = "5s", basis = "{basis}" }}
[[team]]
name = "voice"
agents = 3
channels = ["voice"]
handle_time = {{ dist = "exponential", mean = "3m" }}
"#
    );
    let s = Scenario::from_toml_str(&text, "m.toml").unwrap();
    let clock = Horizon::new(0.0, 3600.0, 7200.0, 3600.0);
    let m = Metrics::new(&s, clock, Retention::Memory).unwrap();
    (s, clock, m)
}

/// A first contact arriving at `at_s` seconds, measured when inside the window.
fn contact(clock: &Horizon, at_s: f64) -> Contact {
    let at = ticks(at_s);
    Contact {
        arrival: at,
        queued_at: at,
        interval: clock.interval_of(at),
        problem_first: true,
        ..Contact::default()
    }
}

#[test]
fn an_answer_counts_once_everywhere_the_contact_counts() {
    let (_, clock, mut m) = metrics("finished");
    let c = contact(&clock, 3600.0 + 10.0);
    m.offered(c.arrival, &c, true);
    let answer = Answer {
        team: 0,
        sessions: 1,
        fatigue: 1.0,
        handle_s: 180.0,
        handoff_extra_s: 0.0,
        wrap_s: 30.0,
        resolved: true,
    };
    m.answered(c.arrival + ticks(15.0), &c, &answer);
    let s = m.finish(0, 0, 0).unwrap();
    let total = s.contact_total();
    assert_eq!((total.offered, total.answered, total.resolved), (1, 1, 1));
    assert_eq!(total.service_level(), Some(1.0), "answered in 15 s of 20 s");
    assert_eq!(s.intent_total(0).answered, 1);
    assert_eq!(s.tier[0].answered, 1);
    assert_eq!(s.team_total(|_| true).started, 1);
}

#[test]
fn short_abandons_leave_the_service_level_only_on_the_finished_basis() {
    for (basis, denominator) in [("finished", 1), ("offered", 2), ("answered", 0)] {
        let (_, clock, mut m) = metrics(basis);
        let short = contact(&clock, 4000.0);
        let long = contact(&clock, 4100.0);
        m.abandoned(short.arrival + ticks(3.0), &short, false);
        m.abandoned(long.arrival + ticks(60.0), &long, false);
        let total = m.finish(0, 0, 0).unwrap().contact_total();
        assert_eq!(total.abandoned, 2, "{basis}");
        assert_eq!(total.abandoned_short, 1, "{basis}");
        assert_eq!(total.sl_denominator, denominator, "{basis}");
        assert_eq!(total.human_abandoned, 2, "{basis}");
    }
}

#[test]
fn contacts_outside_the_window_are_not_counted_but_agent_time_is_clipped() {
    let (_, clock, mut m) = metrics("finished");
    let warmup = contact(&clock, 100.0);
    assert!(!warmup.measured());
    m.offered(warmup.arrival, &warmup, true);
    m.abandoned(warmup.arrival + ticks(60.0), &warmup, false);
    // Busy from 30 min into the warm-up to 30 min past the horizon's
    // end: the two measured hours, one in each interval.
    m.agent_time(
        0,
        1,
        AgentTime::Busy,
        ticks(1800.0),
        ticks(3.0 * 3600.0 + 1800.0),
    );
    m.agent_time(0, 1, AgentTime::Break, ticks(4000.0), ticks(4600.0));
    let mut s = m.finish(0, 0, 0).unwrap();
    assert_eq!(s.contact_total().offered, 0);
    assert_eq!(s.contact_total().abandoned, 0);
    assert_eq!(s.team_mut(0, 0).busy_s, 3600.0);
    assert_eq!(s.team_mut(1, 0).busy_s, 3600.0);
    assert_eq!(s.team_total(|_| true).break_s, 600.0);
    // The seat keeps its busy time as a run total; breaks are not its.
    assert_eq!(s.totals.agents.len(), 3, "one cell per seat");
    assert_eq!(s.totals.agents[1].busy_s, 7200.0);
    assert_eq!(s.totals.agents[1].available_s, 0.0);
}

#[test]
fn a_quit_counts_in_its_week_and_the_interval_that_ended() {
    let (_, clock, mut m) = metrics("finished");
    assert_eq!(
        clock.weeks(),
        0,
        "a 2 h horizon has no whole attrition week"
    );
    m.stats.weeks = vec![Default::default(); 1];
    m.quit(ticks(3.0 * 3600.0), 0, 0);
    assert_eq!(m.stats.weeks[0].quits, 1);
    assert_eq!(
        m.stats.team_mut(1, 0).quits,
        1,
        "the interval before the review"
    );
    m.hired(ticks(3600.0 + 60.0), 0);
    assert_eq!(m.stats.team_mut(0, 0).hires, 1);
    assert_eq!(m.stats.weeks[0].hires, 0, "past the last whole week");
}
