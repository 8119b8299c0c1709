//! The waiting room: contacts waiting for a human (one queue per channel) or
//! for the AI agent.
//!
//! A waiting contact takes a slot in a slab (`Vec` + free list) with a
//! generation counter; a queue holds [`Ticket`]s (slot, generation). When a
//! contact leaves (answered or abandoned) its slot is freed and the generation
//! bumps, so a stale patience timer or a stale queue entry is recognised and
//! skipped (lazy deletion). The slab never grows past
//! `scenario::limits::MAX_WAITING_CONTACTS`: [`WaitingRoom::park`] refuses
//! instead, and the replication stops (see `guard`).

use super::contact::Contact;
use super::guard::Guard;
use std::collections::VecDeque;

/// Names a waiting contact: its slot and the generation current when it was parked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ticket {
    pub slot: u32,
    pub generation: u32,
}

/// A slab entry.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    contact: Contact,
    generation: u32,
    active: bool,
    /// Waiting for the AI agent rather than a human.
    for_ai: bool,
}

/// What a caller scanning a queue says about one waiting contact.
pub(super) enum Pick {
    /// Not eligible; look further.
    Skip,
    /// Not eligible, and nothing behind it is either (fifo with a wait threshold).
    Stop,
    /// Eligible with this priority (higher first).
    Score(f64),
}

/// Every waiting contact of a replication. Fields are private: the engine
/// parks, looks up and removes contacts only through these verbs.
pub(super) struct WaitingRoom {
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Human queue per channel (holds stale entries until they reach the front).
    queues: Vec<VecDeque<Ticket>>,
    /// The AI agent's queue.
    ai_queue: VecDeque<Ticket>,
    /// Live contacts per channel in the human queues.
    waiting: Vec<u32>,
}

impl WaitingRoom {
    /// An empty room for `channels` channels.
    pub fn new(channels: usize) -> Self {
        WaitingRoom {
            slots: Vec::with_capacity(1024),
            free: Vec::with_capacity(1024),
            queues: vec![VecDeque::with_capacity(1024); channels],
            ai_queue: VecDeque::new(),
            waiting: vec![0; channels],
        }
    }

    /// Parks `contact` at the back of its channel's human queue, or of the AI
    /// queue. `None` when the room is full (the limit): the caller stops the run.
    #[inline]
    pub fn park(&mut self, contact: Contact, for_ai: bool) -> Option<Ticket> {
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                if Guard::waiting_full(self.slots.len()) {
                    return None;
                }
                self.slots.push(Slot::default());
                (self.slots.len() - 1) as u32
            }
        };
        let w = &mut self.slots[slot as usize];
        w.contact = contact;
        w.active = true;
        w.for_ai = for_ai;
        let ticket = Ticket {
            slot,
            generation: w.generation,
        };
        if for_ai {
            self.ai_queue.push_back(ticket);
        } else {
            self.queues[contact.channel as usize].push_back(ticket);
            self.waiting[contact.channel as usize] += 1;
        }
        Some(ticket)
    }

    /// The contact behind `ticket` and whether it waits for the AI, if it is
    /// still waiting.
    #[inline]
    pub fn get(&self, ticket: Ticket) -> Option<(Contact, bool)> {
        let w = &self.slots[ticket.slot as usize];
        (w.active && w.generation == ticket.generation).then_some((w.contact, w.for_ai))
    }

    /// Removes the contact behind `ticket` if it is still waiting (it
    /// abandons, or is answered out of turn); its queue entry stays behind
    /// and is skipped later. Returns it and whether it waited for the AI.
    #[inline]
    pub fn leave(&mut self, ticket: Ticket) -> Option<(Contact, bool)> {
        let found = self.get(ticket)?;
        self.release(ticket.slot);
        Some(found)
    }

    /// Frees a live slot (the generation bump makes its tickets stale).
    #[inline]
    fn release(&mut self, slot: u32) {
        let w = &mut self.slots[slot as usize];
        w.active = false;
        w.generation = w.generation.wrapping_add(1);
        if !w.for_ai {
            self.waiting[w.contact.channel as usize] -= 1;
        }
        self.free.push(slot);
    }

    /// The next contact waiting for the AI agent, removed from the room.
    #[inline]
    pub fn next_for_ai(&mut self) -> Option<Contact> {
        while let Some(ticket) = self.ai_queue.pop_front() {
            if let Some((contact, _)) = self.leave(ticket) {
                return Some(contact);
            }
        }
        None
    }

    /// Scans `channel`'s human queue from the front and returns the first
    /// contact with the highest [`Pick::Score`] as (priority, position).
    /// With `fifo`, the first eligible contact is the best and the scan stops there.
    #[inline]
    pub fn best_in(
        &mut self,
        channel: usize,
        fifo: bool,
        mut pick: impl FnMut(&Contact) -> Pick,
    ) -> Option<(f64, usize)> {
        let queue = &mut self.queues[channel];
        while let Some(e) = queue.front() {
            let w = &self.slots[e.slot as usize];
            if w.active && w.generation == e.generation {
                break;
            }
            queue.pop_front();
        }
        let mut best: Option<(f64, usize)> = None;
        for (i, e) in self.queues[channel].iter().enumerate() {
            let w = &self.slots[e.slot as usize];
            if !(w.active && w.generation == e.generation) {
                continue;
            }
            match pick(&w.contact) {
                Pick::Skip => continue,
                Pick::Stop => break,
                Pick::Score(priority) => {
                    if best.is_none_or(|(p, _)| priority > p) {
                        best = Some((priority, i));
                    }
                    if fifo {
                        break;
                    }
                }
            }
        }
        best
    }

    /// Removes the contact at `position` of `channel`'s queue (found by
    /// [`WaitingRoom::best_in`]) from the room.
    #[inline]
    pub fn take_at(&mut self, channel: usize, position: usize) -> Option<Contact> {
        let queue = &mut self.queues[channel];
        // Fifo takes the front: `pop_front` skips `remove`'s general shifting.
        let ticket = if position == 0 {
            queue.pop_front()
        } else {
            queue.remove(position)
        }?;
        // Checked and copied out once (through `leave`'s tuple the contact
        // was copied three times).
        let w = &self.slots[ticket.slot as usize];
        if !(w.active && w.generation == ticket.generation) {
            return None;
        }
        let contact = w.contact;
        self.release(ticket.slot);
        Some(contact)
    }

    /// Removes `ticket`'s entry from `channel`'s queue and the contact from the room.
    pub fn take_out_of_turn(&mut self, channel: usize, ticket: Ticket) -> Option<Contact> {
        let queue = &mut self.queues[channel];
        if let Some(i) = queue.iter().position(|&e| e == ticket) {
            queue.remove(i);
        }
        self.leave(ticket).map(|(c, _)| c)
    }

    /// Live contacts in `channel`'s human queue.
    #[inline]
    pub fn waiting(&self, channel: usize) -> u32 {
        self.waiting[channel]
    }

    /// Live contacts in the human queues of `channels`.
    pub fn waiting_in(&self, channels: &[usize]) -> u32 {
        channels.iter().map(|&c| self.waiting[c]).sum()
    }

    /// True when any human queue holds a live contact.
    pub fn any_waiting(&self) -> bool {
        self.waiting.iter().any(|&w| w > 0)
    }

    /// Contacts still waiting anywhere (at the end: stranded).
    pub fn stranded(&self) -> u64 {
        self.slots.iter().filter(|w| w.active).count() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(channel: u16, arrival: u64) -> Contact {
        Contact {
            channel,
            arrival,
            ..Contact::default()
        }
    }

    #[test]
    fn a_ticket_goes_stale_when_its_contact_leaves_and_the_slot_is_reused() {
        let mut room = WaitingRoom::new(2);
        let a = room.park(contact(0, 1), false).unwrap();
        assert_eq!(room.waiting(0), 1);
        assert_eq!(room.leave(a).unwrap().0.arrival, 1);
        assert_eq!(room.waiting(0), 0);
        assert!(room.leave(a).is_none(), "a stale ticket finds nothing");
        let b = room.park(contact(1, 2), false).unwrap();
        assert_eq!(b.slot, a.slot, "slot reused");
        assert!(room.get(a).is_none() && room.get(b).is_some());
        assert_eq!((room.waiting_in(&[0, 1]), room.stranded()), (1, 1));
    }

    #[test]
    fn the_ai_queue_skips_contacts_that_left_and_is_not_a_human_queue() {
        let mut room = WaitingRoom::new(1);
        let a = room.park(contact(0, 1), true).unwrap();
        room.park(contact(0, 2), true).unwrap();
        assert!(!room.any_waiting(), "AI waiters are not in human queues");
        room.leave(a).unwrap();
        assert_eq!(room.next_for_ai().unwrap().arrival, 2);
        assert!(room.next_for_ai().is_none());
    }

    #[test]
    fn best_in_takes_the_first_highest_and_fifo_stops_at_the_first_eligible() {
        let mut room = WaitingRoom::new(1);
        for t in [5, 9, 7, 9] {
            room.park(contact(0, t), false).unwrap();
        }
        let score = |c: &Contact| Pick::Score(c.arrival as f64);
        assert_eq!(room.best_in(0, false, score), Some((9.0, 1)));
        assert_eq!(room.best_in(0, true, score), Some((5.0, 0)));
        let skip_small = |c: &Contact| {
            if c.arrival < 7 {
                Pick::Skip
            } else {
                Pick::Score(1.0)
            }
        };
        assert_eq!(room.best_in(0, true, skip_small), Some((1.0, 1)));
        let stop = |_: &Contact| Pick::Stop;
        assert_eq!(room.best_in(0, false, stop), None);
        assert_eq!(room.take_at(0, 1).unwrap().arrival, 9);
        assert_eq!(room.waiting(0), 3);
    }

    #[test]
    fn out_of_turn_removal_keeps_the_queue_consistent() {
        let mut room = WaitingRoom::new(1);
        let a = room.park(contact(0, 1), false).unwrap();
        let b = room.park(contact(0, 2), false).unwrap();
        assert_eq!(room.take_out_of_turn(0, b).unwrap().arrival, 2);
        assert!(room.take_out_of_turn(0, b).is_none());
        assert_eq!(room.best_in(0, true, |_| Pick::Score(0.0)), Some((0.0, 0)));
        assert!(room.get(a).is_some());
    }
}
