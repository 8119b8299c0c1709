//! The sessions agents serve: a slab indexed by the id events carry.

use crate::engine::contact::Contact;

/// A contact being handled (talk, then wrap-up) by an agent.
#[derive(Debug, Clone, Copy, Default)]
pub(in crate::engine) struct Session {
    pub contact: Contact,
    pub agent: u32,
    /// Decided at the start: did the agent resolve the problem.
    pub resolved: bool,
    /// Decided at the start: after-contact work, seconds.
    pub wrap_s: f64,
}

/// Slab of sessions in progress; freed ids are reused, so the slab grows
/// only to the largest number of sessions open at once.
pub(super) struct Sessions {
    slots: Vec<Session>,
    free: Vec<u32>,
}

impl Sessions {
    pub fn with_capacity(n: usize) -> Self {
        Sessions {
            slots: Vec::with_capacity(n),
            free: Vec::with_capacity(n),
        }
    }

    #[inline]
    pub fn insert(&mut self, s: Session) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = s;
                i
            }
            None => {
                self.slots.push(s);
                (self.slots.len() - 1) as u32
            }
        }
    }

    #[inline]
    pub fn get(&self, i: u32) -> Session {
        self.slots[i as usize]
    }

    #[inline]
    /// Frees session `i`; returns its agent.
    pub fn remove(&mut self, i: u32) -> u32 {
        self.free.push(i);
        self.slots[i as usize].agent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_reused_after_removal() {
        let mut s = Sessions::with_capacity(2);
        let a = s.insert(Session {
            agent: 1,
            ..Session::default()
        });
        let b = s.insert(Session {
            agent: 2,
            ..Session::default()
        });
        assert_ne!(a, b);
        assert_eq!(s.remove(a), 1);
        let c = s.insert(Session {
            agent: 3,
            ..Session::default()
        });
        assert_eq!(c, a, "a freed id is taken first");
        assert_eq!(s.get(b).agent, 2);
        assert_eq!(s.get(c).agent, 3);
    }
}
