//! `ai_first`: the AI agent takes first contact on its channels (as with
//! `fifo`), and in the human queue a customer the AI agent handed over goes
//! ahead of first-time callers: someone the bot already failed does not wait
//! behind people who have not yet been served at all. Within each group the
//! longest waiting goes first; agents are chosen as in `fifo`.
//!
//! Without an AI agent nothing is escalated and this is `fifo`.

use super::{ContactView, Router};

/// Escalated contacts first, then fifo.
#[derive(Debug, Clone, Copy, Default)]
pub struct AiFirst;

impl Router for AiFirst {
    fn contact_priority(&self, c: &ContactView) -> f64 {
        // The flag dominates; earlier queueing breaks ties (scaled far below it).
        f64::from(u8::from(c.escalated)) * 1e12 - c.queued_at_s
    }

    fn fifo_contacts(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(escalated: bool, queued_at_s: f64) -> ContactView {
        ContactView {
            channel: 0,
            intent: 0,
            tier: 0,
            wait_s: 0.0,
            queued_at_s,
            escalated,
            queue_len: 0,
            queued_total: 0,
        }
    }

    #[test]
    fn escalated_before_first_time_then_longest_waiting() {
        let r = AiFirst;
        let late_escalated = r.contact_priority(&view(true, 9_000_000.0));
        let early_first = r.contact_priority(&view(false, 10.0));
        assert!(late_escalated > early_first);
        assert!(r.contact_priority(&view(true, 5.0)) > late_escalated);
        assert!(early_first > r.contact_priority(&view(false, 11.0)));
    }
}
