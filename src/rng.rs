//! Seeded random streams, one per purpose.
//!
//! Every stream is a `Pcg64Mcg` (a named, portable generator; never `StdRng`,
//! whose algorithm may change between releases) seeded from
//! (scenario seed, replication, stream purpose, index) through SplitMix64
//! finalisers. Streams never depend on thread order, so results are identical
//! for any thread count, and a purpose's draws do not shift when another
//! purpose draws more or less: the basis of common random numbers.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// The generator used for every stream.
pub type SimRng = Pcg64Mcg;

/// What a random stream is used for; part of its seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Inter-arrival times of one demand stream.
    Arrivals = 1,
    /// Patience of the customers of one demand stream.
    Patience = 2,
    /// Handle times drawn by one team.
    Service = 3,
    /// Contact attributes (intent, language, value tier) of one demand source.
    Attributes = 4,
    /// Day-level demand multipliers of one region.
    DayFactor = 5,
    /// Intent-driven work content (base handle time) of one demand source.
    Work = 6,
    /// Wrap-up times drawn by one team.
    WrapUp = 7,
    /// Contact outcomes (resolved or not) decided by one team.
    Outcome = 8,
    /// Absence (shrinkage) and quits of one team.
    Roster = 9,
    /// AI agent outcomes and times for the contacts of one demand source.
    AiOutcome = 10,
    /// Escalation draws (patience left, context time, misroutes) of one source.
    Escalation = 11,
    /// Recontacts, redials and callbacks of one source's customers.
    Retry = 12,
    /// Quality scoring and detection of one source's finished contacts.
    Quality = 13,
    /// Back-office latency and failures of one source's contacts.
    BackOffice = 14,
    /// Attributes, patience and work of one `[[backlog]]` entry's contacts
    /// (a value well apart from the others, which other purposes may fill).
    Backlog = 40,
}

/// SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Seed of a stream, derived from everything that identifies it.
pub fn stream_seed(seed: u64, replication: u32, purpose: Purpose, index: u32) -> u64 {
    let mut h = mix(seed);
    h = mix(h ^ u64::from(replication));
    h = mix(h ^ purpose as u64);
    mix(h ^ u64::from(index))
}

/// A generator for one stream.
pub fn stream(seed: u64, replication: u32, purpose: Purpose, index: u32) -> SimRng {
    SimRng::seed_from_u64(stream_seed(seed, replication, purpose, index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// Pins exact outputs so that a dependency bump that changes the generator
    /// (and so every published result) is caught.
    #[test]
    fn streams_are_pinned() {
        let mut rng = stream(7, 0, Purpose::Arrivals, 0);
        let first = rng.next_u64();
        assert_eq!(
            stream_seed(7, 0, Purpose::Arrivals, 0),
            0x046f_7d5f_21e7_42ac
        );
        assert_eq!(first, 0xf92d_dc08_39af_9226);
        assert_eq!(first, stream(7, 0, Purpose::Arrivals, 0).next_u64());
        assert_ne!(first, stream(7, 1, Purpose::Arrivals, 0).next_u64());
        assert_ne!(first, stream(7, 0, Purpose::Patience, 0).next_u64());
        assert_ne!(first, stream(7, 0, Purpose::Arrivals, 1).next_u64());
    }
}
