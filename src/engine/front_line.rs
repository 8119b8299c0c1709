//! The front line's state: AI sessions in progress and contacts between
//! events (in the IVR menu, or waiting to recontact or redial). The handlers
//! that decide what happens are in `front.rs`; this component only keeps
//! the slabs, the AI's occupancy and the pending limit.

use super::contact::Contact;
use super::guard::Guard;
use crate::time::SimTime;

/// Outcome of an AI session, decided when it starts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) enum Outcome {
    #[default]
    Resolved,
    FalseContainment,
    /// Escalated, with the cause index (`scenario::ai::Cause`).
    Escalate(u8),
}

/// An AI conversation in progress.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct AiSession {
    pub contact: Contact,
    pub outcome: Outcome,
    pub start: SimTime,
}

/// `Vec` + free list; indices stay valid until taken.
#[derive(Debug, Default)]
struct Slab<T> {
    slots: Vec<T>,
    free: Vec<u32>,
}

impl<T: Copy> Slab<T> {
    fn insert(&mut self, value: T) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = value;
                i
            }
            None => {
                self.slots.push(value);
                (self.slots.len() - 1) as u32
            }
        }
    }

    fn take(&mut self, i: u32) -> T {
        self.free.push(i);
        self.slots[i as usize]
    }

    /// Entries held now.
    #[cfg(test)]
    fn live(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

/// AI sessions and pending contacts of one replication (private state).
#[derive(Debug, Default)]
pub(super) struct FrontLine {
    ai: Slab<AiSession>,
    ai_busy: u32,
    pending: Slab<Contact>,
}

impl FrontLine {
    /// AI sessions in progress.
    #[inline]
    pub fn ai_busy(&self) -> u32 {
        self.ai_busy
    }

    /// Starts an AI session; returns its id for [`Event::AiEnd`](super::sim::Event).
    pub fn start_ai(&mut self, session: AiSession) -> u32 {
        self.ai_busy += 1;
        self.ai.insert(session)
    }

    /// Ends AI session `id`, returning it.
    pub fn end_ai(&mut self, id: u32) -> AiSession {
        self.ai_busy -= 1;
        self.ai.take(id)
    }

    /// Holds a contact between events (IVR, retry); `None` when the pending
    /// limit is reached (the replication stops; see `guard`).
    pub fn hold(&mut self, c: Contact) -> Option<u32> {
        if self.pending.free.is_empty() && Guard::pending_full(self.pending.slots.len()) {
            return None;
        }
        Some(self.pending.insert(c))
    }

    /// Releases held contact `id`.
    pub fn release(&mut self, id: u32) -> Contact {
        self.pending.take(id)
    }

    /// Contacts held now.
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.pending.live()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ai_occupancy_follows_starts_and_ends() {
        let mut f = FrontLine::default();
        let a = f.start_ai(AiSession::default());
        let b = f.start_ai(AiSession {
            start: 7,
            ..AiSession::default()
        });
        assert_eq!(f.ai_busy(), 2);
        assert_eq!(f.end_ai(b).start, 7);
        assert_eq!(f.ai_busy(), 1);
        let c = f.start_ai(AiSession::default());
        assert_eq!(c, b, "the freed slot is reused");
        f.end_ai(a);
        f.end_ai(c);
        assert_eq!(f.ai_busy(), 0);
    }

    #[test]
    fn held_contacts_come_back_unchanged() {
        let mut f = FrontLine::default();
        let i = f
            .hold(Contact {
                arrival: 42,
                ..Contact::default()
            })
            .unwrap();
        assert_eq!(f.held(), 1);
        assert_eq!(f.release(i).arrival, 42);
        assert_eq!(f.held(), 0);
    }
}
