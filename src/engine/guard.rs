//! The runaway guard: a replication that would grow without bound stops with
//! an error naming the cause instead of exhausting memory or time.
//!
//! Valid scenarios can run away: demand with no capacity and customers who
//! never abandon (the queue grows with every arrival), or customers who
//! abandon after 0 s and redial after 0 s with probability 1 (a loop in zero
//! simulated time). The limits are in `crate::scenario::limits`
//! (`MAX_WAITING_CONTACTS`, `MAX_PENDING_CONTACTS`, `MAX_SCHEDULED_EVENTS`,
//! `MAX_RETRIES_PER_SIM_SECOND`). Checks sit off the per-event fast path:
//! on slab growth, on retries, and with the cancellation check every 65,536
//! events; the loop stops at that check, so a limit may be overshot by at
//! most that many events' worth of growth.

use crate::scenario::limits::{
    MAX_PENDING_CONTACTS, MAX_RETRIES_PER_SIM_SECOND, MAX_SCHEDULED_EVENTS, MAX_WAITING_CONTACTS,
};
use crate::time::{SimTime, seconds, ticks};

/// Why a replication stopped before its end.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Runaway {
    /// More contacts waiting at once than `MAX_WAITING_CONTACTS`.
    #[error("queue grew past {limit} contacts: {}", queue_cause(.channel, .on_duty))]
    Queue {
        /// The limit.
        limit: usize,
        /// The channel whose contact could not be placed.
        channel: String,
        /// Human agents on duty for that channel when the limit was hit.
        on_duty: u32,
    },
    /// More contacts waiting for the AI agent than `MAX_WAITING_CONTACTS`.
    #[error(
        "the AI agent's queue grew past {limit} contacts on channel {channel}: its capacity cannot keep up and customers wait without limit"
    )]
    AiQueue {
        /// The limit.
        limit: usize,
        /// The channel of the contact that could not be placed.
        channel: String,
    },
    /// More contacts between attempts (IVR, recontact, redial) than `MAX_PENDING_CONTACTS`.
    #[error(
        "more than {limit} customers waiting to try again or in the IVR at once: recontacts and redials outgrow the horizon's service"
    )]
    Pending {
        /// The limit.
        limit: usize,
    },
    /// More scheduled events than `MAX_SCHEDULED_EVENTS`.
    #[error("more than {limit} scheduled events at once (at t = {at_s:.0} s of simulated time)")]
    Events {
        /// The limit.
        limit: usize,
        /// When, seconds from the start of the warm-up.
        at_s: f64,
    },
    /// More retries within one simulated second than `MAX_RETRIES_PER_SIM_SECOND`.
    #[error(
        "redial loop in zero time: more than {limit} retries within one simulated second (at t = {at_s:.0} s); customers who abandon after 0 s and try again after 0 s with probability 1 never leave. Give patience or the redial/recontact delay a positive minimum, or a probability below 1"
    )]
    ZeroTimeLoop {
        /// The limit.
        limit: u32,
        /// When, seconds from the start of the warm-up.
        at_s: f64,
    },
}

/// Why a human queue outgrew its limit, in the user's terms.
fn queue_cause(channel: &str, on_duty: &u32) -> String {
    if *on_duty == 0 {
        format!(
            "no capacity serves channel {channel} (no agent on duty for it) and customers wait without limit"
        )
    } else {
        format!(
            "demand on channel {channel} far exceeds its {on_duty} agents on duty and customers wait without limit"
        )
    }
}

/// Watches growth; records the first fault. Owned by the replication.
#[derive(Debug, Default)]
pub(super) struct Guard {
    fault: Option<Runaway>,
    window_start: SimTime,
    retries_in_window: u32,
}

impl Guard {
    /// True when a slab of waiting contacts that is about to grow to
    /// `len + 1` would pass the limit.
    #[inline]
    pub fn waiting_full(len: usize) -> bool {
        len >= MAX_WAITING_CONTACTS
    }

    /// True when the slab of pending contacts about to grow past `len` would pass the limit.
    #[inline]
    pub fn pending_full(len: usize) -> bool {
        len >= MAX_PENDING_CONTACTS
    }

    /// Counts a retry at `now`; records a zero-time loop when one simulated
    /// second holds more than the limit.
    #[inline]
    pub fn retry(&mut self, now: SimTime) {
        if now - self.window_start >= ticks(1.0) || now < self.window_start {
            self.window_start = now;
            self.retries_in_window = 0;
        }
        self.retries_in_window += 1;
        if self.retries_in_window > MAX_RETRIES_PER_SIM_SECOND {
            self.fail(Runaway::ZeroTimeLoop {
                limit: MAX_RETRIES_PER_SIM_SECOND,
                at_s: seconds(now),
            });
        }
    }

    /// Checks the event queue's length (with the periodic cancellation check).
    pub fn events(&mut self, len: usize, now: SimTime) {
        if len > MAX_SCHEDULED_EVENTS {
            self.fail(Runaway::Events {
                limit: MAX_SCHEDULED_EVENTS,
                at_s: seconds(now),
            });
        }
    }

    /// Records `fault` unless one is recorded already (the first cause is the real one).
    pub fn fail(&mut self, fault: Runaway) {
        self.fault.get_or_insert(fault);
    }

    /// True once a fault is recorded: the loop stops at its next check.
    pub fn tripped(&self) -> bool {
        self.fault.is_some()
    }

    /// The recorded fault, if any.
    pub fn into_fault(self) -> Option<Runaway> {
        self.fault
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_spread_over_time_never_trip() {
        let mut g = Guard::default();
        // Far more retries than the limit, but at most 10 per simulated second.
        for i in 0..(2 * u64::from(MAX_RETRIES_PER_SIM_SECOND)) {
            g.retry(i * ticks(0.1));
        }
        assert!(!g.tripped());
    }

    #[test]
    fn retries_in_zero_time_trip_once_with_the_first_cause() {
        let mut g = Guard::default();
        for _ in 0..=MAX_RETRIES_PER_SIM_SECOND {
            g.retry(ticks(5.0));
        }
        assert!(g.tripped());
        g.events(MAX_SCHEDULED_EVENTS + 1, 0);
        let fault = g.into_fault().unwrap();
        assert!(matches!(fault, Runaway::ZeroTimeLoop { .. }));
        assert!(fault.to_string().starts_with("redial loop in zero time"));
    }

    #[test]
    fn queue_message_names_the_channel_and_the_cause() {
        let m = Runaway::Queue {
            limit: 7,
            channel: "voice".into(),
            on_duty: 0,
        }
        .to_string();
        assert_eq!(
            m,
            "queue grew past 7 contacts: no capacity serves channel voice (no agent on duty for it) and customers wait without limit"
        );
        assert!(Guard::waiting_full(MAX_WAITING_CONTACTS));
        assert!(!Guard::waiting_full(MAX_WAITING_CONTACTS - 1));
        assert!(Guard::pending_full(MAX_PENDING_CONTACTS));
    }
}
