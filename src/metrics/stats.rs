//! Streaming accumulators filled by one replication.
//!
//! Memory is proportional to intervals × (channels + teams), never to the
//! number of contacts. Contacts are attributed to the interval in which they
//! arrived; busy time is split exactly across the intervals it spans.
//!
//! The cell structs derive serde's `Serialize`/`Deserialize` so that the
//! shard wire format (`crate::shard::wire`) can carry them; a field added
//! to a cell later is saved automatically.

use serde::{Deserialize, Serialize};

/// Defines an accumulator struct and its merge (`add`) from one list of
/// fields, each with its merge rule (`sum` or `max`), so a count added later
/// is merged across replications, totals and shards without a second list to
/// keep in step.
macro_rules! accumulator {
    (
        $(#[$smeta:meta])* pub struct $ty:ident {
            $( $(#[$fmeta:meta])* $name:ident : $fty:ty => $op:ident, )+
        }
    ) => {
        $(#[$smeta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
        pub struct $ty {
            $( $(#[$fmeta])* pub $name: $fty, )+
        }

        impl $ty {
            /// Adds another cell into this one (every field, by its merge rule).
            pub fn add(&mut self, other: &$ty) {
                $( accumulator!(@merge $op, self.$name, other.$name); )+
            }
        }
    };
    (@merge sum, $a:expr, $b:expr) => { $a += $b };
    (@merge max, $a:expr, $b:expr) => { $a = $a.max($b) };
}

accumulator! {
    /// Contact counts and sums for one (interval, channel) cell.
    pub struct ContactStats {
        /// Contacts that arrived.
        offered: u64 => sum,
        /// Contacts answered by an agent.
        answered: u64 => sum,
        /// Answered with a wait at most the channel's service-level threshold.
        answered_within: u64 => sum,
        /// Contacts that left while waiting.
        abandoned: u64 => sum,
        /// Answered or abandoned contacts that waited more than zero.
        waited: u64 => sum,
        /// Sum of waits of answered contacts, seconds.
        wait_sum_s: f64 => sum,
        /// Sum of human handle times of human-answered contacts, seconds.
        handle_sum_s: f64 => sum,
        /// Answered contacts whose agent resolved the customer's problem.
        resolved: u64 => sum,
        /// Sum of wrap-up (after-contact work) times, seconds.
        wrap_sum_s: f64 => sum,
        /// Contacts the AI agent took (after any wait for AI capacity).
        ai_taken: u64 => sum,
        /// AI sessions that truly resolved the problem.
        ai_resolved: u64 => sum,
        /// AI sessions ended by the AI without resolving (false containment).
        ai_false: u64 => sum,
        /// Contacts handed from the front line (AI or IVR) to a human queue.
        escalated: u64 => sum,
        /// Escalations that lost context (summary or none).
        context_lost: u64 => sum,
        /// Returning customers who told their story again to an AI that did
        /// not remember them (`ai_agent.memory`).
        #[serde(default)]
        retold: u64 => sum,
        /// Extra human seconds spent re-establishing context and recovering misroutes.
        handoff_extra_s: f64 => sum,
        /// Seconds escalated contacts waited in the human queue.
        handoff_wait_s: f64 => sum,
        /// Contacts that reached a human queue.
        human_offered: u64 => sum,
        /// Contacts answered by a human.
        human_answered: u64 => sum,
        /// Human answers within the channel's threshold of entering the human queue.
        human_within: u64 => sum,
        /// Contacts that abandoned the human queue.
        human_abandoned: u64 => sum,
        /// Waits in the human queue of contacts answered by a human, seconds.
        human_wait_sum_s: f64 => sum,
        /// Arrivals that were a customer coming back about an unresolved problem.
        recontacts: u64 => sum,
        /// Arrivals that were a redial after abandoning.
        redials: u64 => sum,
        /// Arrivals that were the first contact about a problem.
        problems: u64 => sum,
        /// Problems resolved at their first contact (first-contact resolution).
        problems_resolved_first: u64 => sum,
        /// Callbacks accepted (virtual hold).
        callbacks: u64 => sum,
        /// First-queue abandons after a wait shorter than the channel's
        /// `short_abandon` (left out of service level and abandonment).
        abandoned_short: u64 => sum,
        /// What service level divides by, per the channel's `basis`: answered
        /// plus the abandons that count (by default all but short ones).
        sl_denominator: u64 => sum,
        /// Contacts that reached the handler who ended their journey: the AI
        /// for contained sessions, a human otherwise.
        journey_ended: u64 => sum,
        /// Of those, reached with a total wait (every queue of the attempt)
        /// within the channel's threshold.
        journey_within: u64 => sum,
        /// Abandons anywhere in the journey: the AI's queue, the first human
        /// queue, or the human queue after an escalation.
        journey_abandoned: u64 => sum,
    }
}

impl ContactStats {
    /// Counts one answered contact.
    #[inline]
    pub fn record_answer(&mut self, wait_s: f64, within: bool, handle_s: f64) {
        self.answered += 1;
        self.answered_within += u64::from(within);
        self.waited += u64::from(wait_s > 0.0);
        self.wait_sum_s += wait_s;
        self.handle_sum_s += handle_s;
    }

    /// Counts one abandoned contact.
    #[inline]
    pub fn record_abandon(&mut self, waited: bool) {
        self.abandoned += 1;
        self.waited += u64::from(waited);
    }

    /// Answered + abandoned: the denominator of service level and abandonment.
    pub fn finished(&self) -> u64 {
        self.answered + self.abandoned
    }

    /// Answered within the threshold ÷ the channel's basis (by default
    /// answered + abandoned, short abandons left out).
    pub fn service_level(&self) -> Option<f64> {
        ratio(self.answered_within as f64, self.sl_denominator)
    }

    /// Mean wait of answered contacts, seconds.
    pub fn asa_s(&self) -> Option<f64> {
        ratio(self.wait_sum_s, self.answered)
    }

    /// Share of (answered + abandoned) that waited more than zero.
    pub fn p_wait(&self) -> Option<f64> {
        ratio(self.waited as f64, self.finished())
    }

    /// Abandoned ÷ (answered + abandoned), short abandons left out of both.
    pub fn abandon_rate(&self) -> Option<f64> {
        ratio(
            (self.abandoned - self.abandoned_short) as f64,
            self.finished() - self.abandoned_short,
        )
    }

    /// Journey service level: contacts that reached the handler who ended
    /// their journey with a total wait within the threshold ÷ (those that
    /// reached it + abandons anywhere in the journey).
    pub fn journey_service_level(&self) -> Option<f64> {
        ratio(
            self.journey_within as f64,
            self.journey_ended + self.journey_abandoned,
        )
    }

    /// Journey abandonment: abandons anywhere in the journey ÷ (journeys
    /// ended + abandons).
    pub fn journey_abandon_rate(&self) -> Option<f64> {
        ratio(
            self.journey_abandoned as f64,
            self.journey_ended + self.journey_abandoned,
        )
    }

    /// Customer effort per contact \[convention\]: minutes waited in every
    /// queue, plus one for each repeat (recontact or redial), one for each
    /// time the story is told again (an escalation that lost context, or a
    /// returning customer the AI does not remember) and a half for each
    /// transfer (escalation), ÷ contacts offered. No study weights these;
    /// the weights are labelled a convention in docs/OUTPUTS.md.
    pub fn effort(&self) -> Option<f64> {
        let minutes = (self.wait_sum_s + self.handoff_wait_s) / 60.0;
        let repeats = (self.recontacts + self.redials) as f64;
        let retold = (self.context_lost + self.retold) as f64;
        let effort = minutes + repeats + retold + 0.5 * self.escalated as f64;
        ratio(effort, self.offered)
    }

    /// Mean human handle time of human-answered contacts, seconds.
    pub fn aht_s(&self) -> Option<f64> {
        ratio(self.handle_sum_s, self.human_answered)
    }

    /// Mean wrap-up time of human-answered contacts, seconds.
    pub fn wrap_s(&self) -> Option<f64> {
        ratio(self.wrap_sum_s, self.human_answered)
    }

    /// Human-resolved ÷ human-answered.
    pub fn resolution(&self) -> Option<f64> {
        ratio(self.resolved as f64, self.human_answered)
    }

    /// Contacts ended by the AI without a human ÷ contacts the AI took.
    pub fn containment(&self) -> Option<f64> {
        ratio((self.ai_resolved + self.ai_false) as f64, self.ai_taken)
    }

    /// AI sessions that truly resolved ÷ contacts the AI took.
    pub fn ai_resolution(&self) -> Option<f64> {
        ratio(self.ai_resolved as f64, self.ai_taken)
    }

    /// False containments ÷ contacts the AI took.
    pub fn false_containment(&self) -> Option<f64> {
        ratio(self.ai_false as f64, self.ai_taken)
    }

    /// Escalated ÷ contacts the AI took.
    pub fn escalation_rate(&self) -> Option<f64> {
        ratio(self.escalated as f64, self.ai_taken)
    }

    /// Problems resolved at the first contact ÷ problems (resolution over deflection).
    pub fn fcr(&self) -> Option<f64> {
        ratio(self.problems_resolved_first as f64, self.problems)
    }

    /// Recontacts ÷ offered.
    pub fn recontact_rate(&self) -> Option<f64> {
        ratio(self.recontacts as f64, self.offered)
    }

    /// Mean extra handling seconds per escalation (context and misroutes).
    pub fn handoff_extra_s(&self) -> Option<f64> {
        ratio(self.handoff_extra_s, self.escalated)
    }

    /// Mean human-queue wait per escalation answered or abandoned, seconds.
    pub fn handoff_wait_s(&self) -> Option<f64> {
        ratio(self.handoff_wait_s, self.escalated)
    }

    /// Share of escalations that lost context.
    pub fn context_lost_share(&self) -> Option<f64> {
        ratio(self.context_lost as f64, self.escalated)
    }

    /// Human-queue service level: answered by a human within the threshold of
    /// entering the queue ÷ (human answered + human abandoned).
    pub fn human_service_level(&self) -> Option<f64> {
        ratio(
            self.human_within as f64,
            self.human_answered + self.human_abandoned,
        )
    }

    /// Human-queue abandonment.
    pub fn human_abandon_rate(&self) -> Option<f64> {
        ratio(
            self.human_abandoned as f64,
            self.human_answered + self.human_abandoned,
        )
    }

    /// Mean wait in the human queue of human-answered contacts, seconds.
    pub fn human_asa_s(&self) -> Option<f64> {
        ratio(self.human_wait_sum_s, self.human_answered)
    }
}

accumulator! {
    /// Agent time for one (interval, team) cell.
    pub struct TeamStats {
        /// Agent-seconds busy with at least one contact (talk or wrap-up).
        busy_s: f64 => sum,
        /// Agent-seconds logged in and not on break (overtime included).
        available_s: f64 => sum,
        /// Agent-seconds of scheduled shifts (present or absent).
        scheduled_s: f64 => sum,
        /// Agent-seconds of unpaid breaks within scheduled shifts (present
        /// or absent): paid time is scheduled less this, plus overtime.
        #[serde(default)]
        unpaid_s: f64 => sum,
        /// Agent-seconds of scheduled shifts lost to absence (shrinkage).
        absent_s: f64 => sum,
        /// Agent-seconds on break.
        break_s: f64 => sum,
        /// Agent-seconds worked past the end of a shift to finish contacts.
        overtime_s: f64 => sum,
        /// Agent-seconds in coaching sessions (off the phones, like a break).
        #[serde(default)]
        coaching_s: f64 => sum,
        /// Contacts (sessions) started.
        started: u64 => sum,
        /// Sum over started contacts of the agent's concurrent sessions, including the new one.
        sessions_sum: u64 => sum,
        /// Sum over started contacts of the fatigue handle-time multiplier.
        fatigue_sum: f64 => sum,
        /// Sum of handle times of started contacts, seconds.
        handle_sum_s: f64 => sum,
        /// Most concurrent sessions any agent held (checked at every start).
        max_sessions: u64 => max,
        /// Agents who quit.
        quits: u64 => sum,
        /// New hires who started.
        hires: u64 => sum,
    }
}

impl TeamStats {
    /// Mean concurrent sessions when a contact starts.
    pub fn mean_sessions(&self) -> Option<f64> {
        (self.started > 0).then(|| self.sessions_sum as f64 / self.started as f64)
    }

    /// Mean fatigue multiplier on handle time.
    pub fn mean_fatigue(&self) -> Option<f64> {
        (self.started > 0).then(|| self.fatigue_sum / self.started as f64)
    }

    /// Mean handle time of contacts started, seconds.
    pub fn aht_s(&self) -> Option<f64> {
        (self.started > 0).then(|| self.handle_sum_s / self.started as f64)
    }

    /// Absent ÷ scheduled time (realised shrinkage).
    pub fn shrinkage(&self) -> Option<f64> {
        (self.scheduled_s > 0.0).then(|| self.absent_s / self.scheduled_s)
    }

    /// Busy ÷ available.
    pub fn occupancy(&self) -> Option<f64> {
        (self.available_s > 0.0).then(|| self.busy_s / self.available_s)
    }
}

accumulator! {
    /// One seat's time over a replication's measured window: what per-agent
    /// fairness is computed from. One cell per seat (the agents of a team
    /// are contiguous, as in the engine), sized once per replication, so
    /// memory grows with seats, never with contacts. A seat held by a
    /// replacement hire after a quit keeps accumulating in the same cell.
    pub struct AgentTime {
        /// Seconds busy with at least one contact (talk or wrap-up).
        busy_s: f64 => sum,
        /// Seconds logged in and not on break (overtime included).
        available_s: f64 => sum,
    }
}

impl AgentTime {
    /// Busy ÷ available, when the seat had available time.
    pub fn utilisation(&self) -> Option<f64> {
        (self.available_s > 0.0).then(|| self.busy_s / self.available_s)
    }
}

/// Jain's fairness index of per-seat utilisation over the seats with
/// available time: (Σ uᵢ)² ÷ (n · Σ uᵢ²), which is 1 when every seat is
/// equally utilised and 1/n when one seat does all the work; equivalently
/// 1 ÷ (1 + CV²) with CV the population coefficient of variation of the
/// uᵢ. `None` when no seat worked or none had available time.
///
/// Reference: R. Jain, D.-M. Chiu, W. Hawe, "A quantitative measure of
/// fairness and discrimination for resource allocation in shared computer
/// systems", DEC TR-301 (1984).
pub fn jain_index(agents: &[AgentTime]) -> Option<f64> {
    let (mut n, mut sum, mut sum_sq) = (0u32, 0.0, 0.0);
    for u in agents.iter().filter_map(AgentTime::utilisation) {
        n += 1;
        sum += u;
        sum_sq += u * u;
    }
    (sum_sq > 0.0).then(|| sum * sum / (f64::from(n) * sum_sq))
}

fn ratio(num: f64, den: u64) -> Option<f64> {
    (den > 0).then(|| num / den as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::ReplicationStats;

    fn seat(busy_s: f64, available_s: f64) -> AgentTime {
        AgentTime {
            busy_s,
            available_s,
        }
    }

    #[test]
    fn jain_index_is_one_when_equal_and_one_over_n_when_one_seat_works() {
        let equal = [seat(50.0, 100.0), seat(25.0, 50.0), seat(5.0, 10.0)];
        assert!((jain_index(&equal).unwrap() - 1.0).abs() < 1e-12);
        let one = [
            seat(80.0, 100.0),
            seat(0.0, 100.0),
            seat(0.0, 100.0),
            seat(0.0, 100.0),
        ];
        assert!((jain_index(&one).unwrap() - 0.25).abs() < 1e-12);
        // Utilisations 0.2 and 0.6: (0.8)² / (2 · 0.4) = 0.8 = 1/(1 + CV²), CV = 0.5.
        let two = [seat(20.0, 100.0), seat(60.0, 100.0)];
        assert!((jain_index(&two).unwrap() - 0.8).abs() < 1e-12);
        // Seats with no available time are left out; nothing worked: undefined.
        let off = [seat(20.0, 100.0), seat(0.0, 0.0), seat(60.0, 100.0)];
        assert_eq!(jain_index(&off), jain_index(&two));
        assert_eq!(jain_index(&[seat(0.0, 100.0)]), None);
        assert_eq!(jain_index(&[]), None);
    }

    #[test]
    fn agent_cells_merge_and_survive_finish() {
        let mut a = seat(1.0, 2.0);
        a.add(&seat(3.0, 4.0));
        assert_eq!(a, seat(4.0, 6.0));
        let mut r = ReplicationStats::new(2, 1, 1, 1, 1);
        r.size_agents(3);
        r.agent_mut(1).busy_s += 5.0;
        r.agent_mut(1).available_s += 10.0;
        r.finish().unwrap();
        assert_eq!(r.totals.agents.len(), 3);
        assert_eq!(r.totals.agents[1], seat(5.0, 10.0));
    }
}
