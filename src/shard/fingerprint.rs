//! A stable fingerprint of "the run being sharded", so that partial results
//! from different scenarios, seeds or replication counts are never merged.
//!
//! FNV-1a (64-bit) is a fixed, documented function: the same input gives the
//! same fingerprint on every platform and every build. It is not a
//! cryptographic hash; it guards against mistakes, not against forgery.

use crate::scenario::Scenario;

/// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a64(u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    /// Feeds raw bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Feeds one field, length first, so that field boundaries are unambiguous.
    pub fn field(&mut self, bytes: &[u8]) {
        self.update(&(bytes.len() as u64).to_le_bytes());
        self.update(bytes);
    }

    /// The hash so far.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// Fingerprint of a run: the scenario file's bytes, the effective seed and
/// replication count (after `--seed`/`--replications`), and the validated
/// scenario itself (its `Debug` text, which holds every parsed value
/// including demand read from trace files, so an edited trace is noticed).
/// Written as `fnv1a64:` and 16 hex digits.
pub fn fingerprint(scenario_file: &[u8], scenario: &Scenario) -> String {
    let mut h = Fnv1a64::default();
    h.field(b"cxsim-shard-fingerprint-v1");
    h.field(scenario_file);
    h.field(&scenario.simulation.seed.to_le_bytes());
    h.field(&scenario.simulation.replications.to_le_bytes());
    h.field(format!("{scenario:?}").as_bytes());
    format!("fnv1a64:{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_published_vectors() {
        // Test vectors from the FNV reference (draft-eastlake-fnv).
        let hash = |s: &[u8]| {
            let mut h = Fnv1a64::default();
            h.update(s);
            h.finish()
        };
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprint_changes_with_seed_replications_and_bytes() {
        let text = "name = \"f\"\n[[demand.stream]]\nchannel = \"voice\"\nrate_per_hour = 60\n\
                    [[team]]\nname = \"t\"\nagents = 2\nchannels = [\"voice\"]\n\
                    handle_time = { dist = \"exponential\", mean = \"3m\" }\n";
        let s = Scenario::from_toml_str(text, "f.toml").unwrap();
        let base = fingerprint(text.as_bytes(), &s);
        assert!(
            base.starts_with("fnv1a64:") && base.len() == 8 + 16,
            "{base}"
        );
        assert_eq!(base, fingerprint(text.as_bytes(), &s.clone()));
        let mut seeded = s.clone();
        seeded.simulation.seed += 1;
        assert_ne!(base, fingerprint(text.as_bytes(), &seeded));
        let mut more = s.clone();
        more.simulation.replications += 1;
        assert_ne!(base, fingerprint(text.as_bytes(), &more));
        assert_ne!(base, fingerprint(format!("{text}\n").as_bytes(), &s));
    }
}
