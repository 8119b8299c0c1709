//! The future-event list: a binary heap ordered by (time, insertion sequence).
//!
//! Events with equal times come out in the order they were scheduled (FIFO),
//! which makes runs deterministic without any tie-breaking randomness.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

pub use crate::time::{SimTime, seconds, ticks};

/// A scheduled event. `key` packs (time, seq) into one integer so that the
/// heap compares a single value: time in the high 64 bits, sequence in the low.
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest event.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// A min-queue of events keyed by (time, insertion order).
///
/// `pop` leaves the earliest entry in place and only marks it taken; the next
/// `push` overwrites it and sifts it down once, instead of a pop (sift to the
/// bottom and back up) followed by a push (sift up). Most events schedule
/// exactly one follow-up, so this halves the heap work; the order is the
/// same, since every key is unique and the heap's minimum is well defined.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    /// The root was returned by the last `pop` and is logically gone.
    root_taken: bool,
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue with room for `capacity` events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            seq: 0,
            root_taken: false,
        }
    }

    /// Schedules `event` at `time`.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: E) {
        let entry = Entry {
            key: (u128::from(time) << 64) | u128::from(self.seq),
            event,
        };
        self.seq += 1;
        if std::mem::take(&mut self.root_taken)
            && let Some(mut root) = self.heap.peek_mut()
        {
            // Dropping `root` sifts the new entry down to its place.
            *root = entry;
        } else {
            self.heap.push(entry);
        }
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        if std::mem::take(&mut self.root_taken) {
            self.heap.pop();
        }
        let root = self.heap.peek()?;
        self.root_taken = true;
        Some(((root.key >> 64) as SimTime, root.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.root_taken)
    }

    /// True when no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_fifo() {
        let mut q = EventQueue::with_capacity(8);
        q.push(5, 'a');
        q.push(3, 'b');
        q.push(5, 'c');
        q.push(3, 'd');
        q.push(1, 'e');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['e', 'b', 'd', 'a', 'c']);
    }

    #[test]
    fn pushes_after_a_pop_keep_the_order() {
        let mut q = EventQueue::with_capacity(8);
        for (t, e) in [(4, 'a'), (2, 'b'), (6, 'c')] {
            q.push(t, e);
        }
        assert_eq!(q.pop(), Some((2, 'b')));
        assert_eq!(q.len(), 2);
        // Overwrites the taken root: earlier than everything, then later.
        q.push(1, 'd');
        assert_eq!(q.pop(), Some((1, 'd')));
        q.push(9, 'e');
        q.push(4, 'f');
        let order: Vec<(u64, char)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(4, 'a'), (4, 'f'), (6, 'c'), (9, 'e')]);
        assert!(q.is_empty());
    }
}
