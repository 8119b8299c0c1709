//! Unit tests of the workforce on its own: no event queue, waiting room or
//! router; a recorder that keeps the agent time it is told.

use super::*;
use crate::engine::queue::{SimTime, ticks};
use crate::engine::record::{AgentTime, Recorder};

const TWO_TEAMS: &str = r#"
name = "w"
[simulation]
seed = 1
horizon = "1d"
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[[demand.stream]]
channel = "chat"
rate_per_hour = 10
[channel.voice]
patience = { dist = "exponential", mean = "3m" }
[channel.chat]
patience = { dist = "exponential", mean = "3m" }
[[team]]
name = "voice"
agents = 3
channels = ["voice"]
handle_time = { dist = "exponential", mean = "3m" }
[[team]]
name = "both"
agents = 2
channels = ["chat", "voice"]
concurrency = { chat = 2 }
handle_time = { dist = "exponential", mean = "3m" }
"#;

/// One team on a 9-hour shift from 08:00 with breaks 2 h (15 min) and
/// 8 h (30 min) into it.
fn shifts(shrinkage: f64) -> String {
    format!(
        r#"
name = "s"
[simulation]
seed = 3
horizon = "2d"
interval = "1h"
[[demand.stream]]
channel = "voice"
rate_per_hour = 10
[channel.voice]
patience = {{ dist = "exponential", mean = "3m" }}
[[team]]
name = "day"
channels = ["voice"]
shrinkage = {shrinkage}
handle_time = {{ dist = "exponential", mean = "3m" }}
attrition = {{ annual_rate = 0.5 }}
[[team.shift]]
start = "08:00"
length = "9h"
agents = 2
breaks = [ {{ after = "2h", length = "15m" }}, {{ after = "8h", length = "30m" }} ]
"#
    )
}

/// Keeps every agent-time observation.
#[derive(Default)]
struct Book(Vec<(u32, AgentTime, SimTime, SimTime)>);

impl Recorder for Book {
    fn agent_time(
        &mut self,
        _team: usize,
        agent: u32,
        kind: AgentTime,
        from: SimTime,
        to: SimTime,
    ) {
        self.0.push((agent, kind, from, to));
    }
}

impl Book {
    fn kinds(&self) -> Vec<AgentTime> {
        self.0.iter().map(|&(_, k, _, _)| k).collect()
    }
}

/// Agent `a` starts a session at `now`; returns its id.
fn serve(w: &mut Workforce, now: SimTime, a: u32, concurrent: bool, repetitive: bool) -> u32 {
    w.begin_session(now, a, concurrent, repetitive);
    w.open_session(Session {
        agent: a,
        ..Session::default()
    })
}

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str(text, "w.toml").unwrap()
}

const H: f64 = 3600.0;

/// Opens agent `a`'s shift at 08:00 of the first day.
fn at_work(w: &mut Workforce, a: u32, book: &mut Book) -> (SimTime, u32) {
    let (start, seat_epoch) = w.next_shift(a, 0).expect("a shift is due");
    assert_eq!(start, ticks(8.0 * H));
    assert!(w.shift_due(a, seat_epoch));
    match w.open_shift(start, a, book) {
        Some(ShiftOpened::Working { end, epoch }) => {
            assert_eq!(end, ticks(17.0 * H));
            (start, epoch)
        }
        other => panic!("expected a working shift, got {other:?}"),
    }
}

#[test]
fn builds_one_seat_per_agent_and_the_teams_of_each_channel() {
    let s = scenario(TWO_TEAMS);
    let w = Workforce::new(&s, 0, 0.0);
    assert_eq!(w.len(), 5);
    assert_eq!(w.rngs.len(), 2);
    let voice = s.channel_index("voice").unwrap();
    let chat = s.channel_index("chat").unwrap();
    assert_eq!(w.teams_for(voice), &[0, 1]);
    assert_eq!(w.teams_for(chat), &[1]);
    assert_eq!(w.seats(0), 0..3);
    assert_eq!(w.seats(1), 3..5);
    assert_eq!(w.recent_aht_s.len(), s.channels.len());
}

#[test]
fn team_streams_differ_by_team_and_replication() {
    use rand::RngExt;
    let s = scenario(TWO_TEAMS);
    let mut a = Workforce::new(&s, 0, 0.0);
    let mut b = Workforce::new(&s, 1, 0.0);
    let (x0, x1): (u64, u64) = (a.rngs(0).service.random(), a.rngs(1).service.random());
    let y0: u64 = b.rngs(0).service.random();
    assert_ne!(x0, x1, "teams draw from their own streams");
    assert_ne!(x0, y0, "replications draw from their own streams");
}

#[test]
fn a_shift_books_its_time_and_places_its_breaks_from_its_start() {
    let s = scenario(&shifts(0.0));
    let mut w = Workforce::new(&s, 0, 0.0);
    let mut book = Book::default();
    let (start, _) = at_work(&mut w, 0, &mut book);
    assert_eq!(book.kinds(), [AgentTime::Scheduled]);
    let agent = w.agent(0);
    assert!(agent.on_duty && agent.accepting());
    assert_eq!(w.on_duty(0), 1);
    let breaks: Vec<_> = w.breaks(0).collect();
    assert_eq!(
        breaks,
        [(0, start + ticks(2.0 * H)), (1, start + ticks(8.0 * H))]
    );
    // A stale start (the shift already opened) no longer applies.
    let (_, seat_epoch) = w.next_shift(0, start).unwrap();
    assert!(!w.shift_due(0, seat_epoch));
}

#[test]
fn an_absent_agent_is_booked_absent_and_never_goes_on_duty() {
    let s = scenario(&shifts(0.999));
    let mut w = Workforce::new(&s, 0, 0.0);
    let mut book = Book::default();
    let (start, _) = w.next_shift(0, 0).unwrap();
    let opened = w.open_shift(start, 0, &mut book);
    assert_eq!(
        opened,
        Some(ShiftOpened::Absent {
            end: ticks(17.0 * H)
        })
    );
    assert_eq!(book.kinds(), [AgentTime::Scheduled, AgentTime::Absent]);
    assert!(!w.agent(0).on_duty);
    assert_eq!(w.on_duty(0), 0);
}

#[test]
fn a_break_due_while_busy_waits_for_the_last_session_and_is_cut_at_the_shift_end() {
    let s = scenario(&shifts(0.0));
    let mut w = Workforce::new(&s, 0, 0.0);
    let mut book = Book::default();
    let (start, epoch) = at_work(&mut w, 0, &mut book);
    let t1 = start + ticks(H);
    let id = serve(&mut w, t1, 0, false, false);
    let due = start + ticks(2.0 * H);
    assert_eq!(w.break_due(0, 0, epoch), None, "busy: deferred");
    assert!(!w.agent(0).accepting(), "no new work while a break is due");
    assert_eq!(
        w.break_due(0, 0, epoch.wrapping_add(1)),
        None,
        "stale epoch"
    );
    let t2 = due + ticks(600.0);
    assert_eq!(w.end_session(t2, id, &mut book), 0);
    assert_eq!(
        book.0.last(),
        Some(&(0, AgentTime::Busy, t1, t2)),
        "the busy period is booked when the last session ends"
    );
    assert_eq!(w.after_work(0), Next::Break(900.0));
    let end = w.start_break(t2, 0, 900.0, &mut book);
    assert_eq!(end, t2 + ticks(900.0));
    assert_eq!(w.end_break(end, 0, &mut book), Some(Next::Dispatch));
    assert_eq!(
        book.0.last(),
        Some(&(0, AgentTime::Break, t2, end)),
        "the whole break is taken, late"
    );
    assert_eq!(w.end_break(end, 0, &mut book), None, "already over");
    // A break taken so late that it would run past the shift's end is cut
    // there, and the agent then goes off.
    let id = serve(&mut w, start + ticks(7.9 * H), 0, false, false);
    assert_eq!(w.break_due(0, 1, epoch), None, "busy: deferred");
    let late = start + ticks(8.75 * H);
    w.end_session(late, id, &mut book);
    assert_eq!(w.after_work(0), Next::Break(1800.0));
    let end = w.start_break(late, 0, 1800.0, &mut book);
    assert_eq!(end, ticks(17.0 * H));
    assert_eq!(w.end_break(end, 0, &mut book), Some(Next::GoOff));
}

#[test]
fn signing_off_while_busy_books_overtime_and_schedules_the_next_shift() {
    let s = scenario(&shifts(0.0));
    let mut w = Workforce::new(&s, 0, 0.0);
    let mut book = Book::default();
    let (start, epoch) = at_work(&mut w, 0, &mut book);
    let t1 = start + ticks(8.5 * H);
    let id = serve(&mut w, t1, 0, false, false);
    let end = ticks(17.0 * H);
    assert!(w.shift_ends(0, epoch));
    assert!(!w.sign_off(0), "busy: signs off after the last session");
    assert!(w.agent(0).closing && !w.agent(0).accepting());
    let t2 = end + ticks(300.0);
    w.end_session(t2, id, &mut book);
    assert_eq!(w.after_work(0), Next::GoOff);
    let next = w.go_off(t2, 0, &mut book);
    assert_eq!(
        next,
        Some(t2),
        "the next shift is looked up after the overtime"
    );
    assert_eq!(book.0.last(), Some(&(0, AgentTime::Overtime, end, t2)));
    assert!(!w.agent(0).on_duty);
    assert_eq!(w.on_duty(0), 0);
    assert_eq!(w.next_shift(0, t2).map(|(t, _)| t), Some(ticks(32.0 * H)));
}

#[test]
fn idle_pool_entries_go_stale_when_the_agent_leaves_for_a_break() {
    let s = scenario(&shifts(0.0));
    let mut w = Workforce::new(&s, 0, 0.0);
    let mut book = Book::default();
    let (start, epoch) = at_work(&mut w, 0, &mut book);
    at_work(&mut w, 1, &mut book);
    w.park_if_idle(start, 0);
    w.park_if_idle(start, 1);
    assert_eq!(w.idle_count(0, u32::MAX), 2);
    assert_eq!(w.idle_count(0, 0), 1, "except agent 0");
    let due = start + ticks(2.0 * H);
    assert_eq!(w.break_due(0, 0, epoch), Some(900.0));
    w.start_break(due, 0, 900.0, &mut book);
    assert_eq!(w.idle_count(0, u32::MAX), 1);
    assert_eq!(w.idle(0).len(), 2, "stale entries stay until pruned");
    w.prune_idle(0);
    assert_eq!(w.idle(0).len(), 1);
    assert_eq!(w.take_idle(0, 0), Some(1));
}

#[test]
fn concurrent_sessions_keep_an_agent_in_the_partial_list_until_full() {
    let s = scenario(TWO_TEAMS);
    let mut w = Workforce::new(&s, 0, 0.0);
    let a = w.seats(1).start;
    w.go_on_duty(0, a);
    let first = serve(&mut w, 0, a, true, false);
    assert_eq!(w.partial(1), &[a], "one chat of two: spare capacity");
    let second = serve(&mut w, 1, a, true, false);
    assert!(w.partial(1).is_empty(), "full");
    let mut book = Book::default();
    w.end_session(2, first, &mut book);
    assert_eq!(w.partial(1), &[a], "a session ended: spare capacity again");
    assert!(book.0.is_empty(), "still busy: no busy period booked yet");
    w.end_session(3, second, &mut book);
    assert!(w.partial(1).is_empty());
    assert_eq!(book.0, [(a, AgentTime::Busy, 0, 3)]);
    // An exclusive (voice) session takes the whole agent.
    w.begin_session(4, a, false, false);
    assert!(w.partial(1).is_empty());
}

#[test]
fn a_quit_while_busy_leaves_after_the_last_session_and_empties_the_seat() {
    let s = scenario(&shifts(0.0));
    let mut w = Workforce::new(&s, 0, 0.0);
    let mut book = Book::default();
    let (start, _) = at_work(&mut w, 0, &mut book);
    let id = serve(&mut w, start, 0, false, true);
    assert_eq!(w.headcount(0), 2);
    assert!(!w.quit(0), "busy");
    assert_eq!(w.headcount(0), 1, "a leaver is not counted");
    let t = start + ticks(600.0);
    w.end_session(t, id, &mut book);
    assert_eq!(w.after_work(0), Next::Leave);
    let (_, seat_epoch) = w.next_shift(0, t).unwrap();
    w.leave(t, 0, &mut book);
    assert!(!w.agent(0).present && !w.agent(0).on_duty);
    assert!(
        !w.shift_due(0, seat_epoch),
        "shifts scheduled for the leaver no longer apply"
    );
    w.hire(t + ticks(H), 0);
    assert!(w.agent(0).present);
    assert_eq!(w.agent(0).hired_at, Some(t + ticks(H)));
    assert_eq!(w.headcount(0), 2);
}

#[test]
fn attrition_draws_once_per_seated_agent_whatever_the_hazard() {
    use rand::RngExt;
    let s = scenario(&shifts(0.0));
    let attrition = s.teams[0].attrition.unwrap();
    let mut w = Workforce::new(&s, 0, 0.0);
    let mut reference = Workforce::new(&s, 0, 0.0);
    // Agent 1 has left: no draw for it.
    let mut book = Book::default();
    w.leave(0, 1, &mut book);
    for a in w.seats(0) {
        w.draws_quit(a, &attrition);
    }
    let _: f64 = reference.rngs(0).roster.random();
    let (x, y): (u64, u64) = (w.rngs(0).roster.random(), reference.rngs(0).roster.random());
    assert_eq!(x, y, "exactly one roster draw was taken");
}

#[test]
fn coaching_blocks_new_work_until_taken_and_its_uplift_decays() {
    let s = scenario(&shifts(0.0));
    let mut w = Workforce::new(&s, 0, 0.0);
    let mut book = Book::default();
    let (start, _) = at_work(&mut w, 0, &mut book);
    w.add_coaching(0);
    assert!(!w.agent(0).accepting() && w.agent(0).free_for_coaching());
    w.take_coaching(0);
    let end = start + ticks(1200.0);
    w.start_coaching(start, 0, end, &mut book);
    assert!(!w.coaching_ends(0, end - 1));
    assert!(w.coaching_ends(0, end));
    assert_eq!(
        w.end_break(end, 0, &mut book),
        None,
        "a coaching session is not an ordinary break"
    );
    w.end_coaching(end, 0, 0.04, &mut book);
    assert_eq!(book.0.last(), Some(&(0, AgentTime::Coaching, start, end)));
    assert_eq!(w.after_work(0), Next::Dispatch);
    let decay_s = 7.0 * 86_400.0;
    assert_eq!(w.coaching_uplift(end, 0, decay_s), 0.04);
    let later = w.coaching_uplift(end + ticks(decay_s), 0, decay_s);
    assert!((later - 0.04 / std::f64::consts::E).abs() < 1e-12);
}
