//! Break placement: each agent of a shift gets its breaks at fixed offsets
//! chosen inside the breaks' windows so that, across the shift's agents, the
//! breaks are spread evenly (cover is levelled) instead of synchronised.
//!
//! A [`BreakRule`] says a break of `length_s` must lie wholly inside
//! `[earliest_s, latest_end_s)` after the shift start; its possible starts
//! are the *slots* `earliest_s + k · step_s` for `k = 0..slots()`. The old
//! fixed `after` is a window of zero width (one slot).
//!
//! **Rule** (deterministic, pure): agent `a` of `n` on the shift takes, for
//! every break, slot `⌊(2a + 1) · S / (2n)⌋` of that break's `S` slots —
//! agents spread in order over the slots, each slot getting `⌊n/S⌋` or
//! `⌈n/S⌉` agents when `n ≥ S`, and the slots used evenly spaced (centred)
//! when `n < S`. A break never starts before the previous one ends: its start
//! is pushed to the previous break's end when needed, which stays inside its
//! window because validation requires each window to end at least its
//! break's length after the previous window ends.
//!
//! Placement happens when a scenario is validated: a shift template whose
//! breaks have windows is split into one template per distinct placement
//! ([`expand`]), so the engine sees plain templates with fixed breaks. A
//! template whose breaks are all fixed is returned unchanged.

use super::people::Shift;

/// A break to place inside a window, offsets from the shift start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakRule {
    /// Earliest start, seconds after the shift start.
    pub earliest_s: f64,
    /// The break must end by this offset, seconds.
    pub latest_end_s: f64,
    /// Length, seconds.
    pub length_s: f64,
    /// Distance between possible starts, seconds (> 0).
    pub step_s: f64,
    /// Whether the break is paid (lunch is often not).
    pub paid: bool,
    /// Applies only to shifts at least this long, seconds (families).
    pub min_shift_s: f64,
}

/// Default distance between possible break starts: 15 minutes \[convention\].
pub const DEFAULT_STEP_S: f64 = 900.0;

impl BreakRule {
    /// A fixed break (`after`): a window of zero width.
    pub fn fixed(after_s: f64, length_s: f64) -> BreakRule {
        BreakRule {
            earliest_s: after_s,
            latest_end_s: after_s + length_s,
            length_s,
            step_s: DEFAULT_STEP_S,
            paid: true,
            min_shift_s: 0.0,
        }
    }

    /// Number of possible starts (at least 1).
    pub fn slots(&self) -> u32 {
        let room = (self.latest_end_s - self.length_s - self.earliest_s).max(0.0);
        (room / self.step_s + 1e-9).floor() as u32 + 1
    }

    /// Start of slot `k`, seconds after the shift start.
    pub fn slot_start(&self, k: u32) -> f64 {
        self.earliest_s + f64::from(k) * self.step_s
    }
}

/// The (start offset, length) of each break of agent `agent` among `agents`
/// on a shift with `rules` (see the module docs for the rule).
pub fn placement(rules: &[BreakRule], agent: u32, agents: u32) -> Vec<(f64, f64)> {
    let n = u64::from(agents.max(1));
    let a = u64::from(agent.min(agents.max(1) - 1));
    let mut out = Vec::with_capacity(rules.len());
    let mut prev_end = 0.0_f64;
    for r in rules {
        let s = u64::from(r.slots());
        let k = ((2 * a + 1) * s / (2 * n)).min(s - 1) as u32;
        let start = r.slot_start(k).max(prev_end);
        out.push((start, r.length_s));
        prev_end = start + r.length_s;
    }
    out
}

/// Distinct placements for `agents` agents, in order of their first agent,
/// with the number of agents on each (sums to `agents`).
pub fn place(rules: &[BreakRule], agents: u32) -> Vec<(Vec<(f64, f64)>, u32)> {
    let mut out: Vec<(Vec<(f64, f64)>, u32)> = Vec::new();
    for a in 0..agents {
        let p = placement(rules, a, agents);
        // Agents are spread in order, so equal placements are adjacent.
        match out.last_mut() {
            Some((last, n)) if *last == p => *n += 1,
            _ => out.push((p, 1)),
        }
    }
    out
}

/// Whether every rule is a fixed break (one slot).
pub fn all_fixed(rules: &[BreakRule]) -> bool {
    rules.iter().all(|r| r.slots() == 1)
}

/// Splits `template` (whose `breaks` are ignored) into one template per
/// distinct placement of `rules` over its agents. With fixed breaks only, or
/// no agents, one template with the first agent's placement.
pub fn expand(template: Shift, rules: &[BreakRule]) -> Vec<Shift> {
    // Placement keeps the rules' order, so break k is rule k's.
    let break_paid: Vec<bool> = rules.iter().map(|r| r.paid).collect();
    if all_fixed(rules) || template.agents <= 1 {
        let breaks = placement(rules, 0, template.agents.max(1));
        return vec![Shift {
            breaks,
            break_paid,
            ..template
        }];
    }
    place(rules, template.agents)
        .into_iter()
        .map(|(breaks, agents)| Shift {
            breaks,
            break_paid: break_paid.clone(),
            agents,
            ..template.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rule(earliest_m: f64, latest_end_m: f64, length_m: f64) -> BreakRule {
        BreakRule {
            earliest_s: earliest_m * 60.0,
            latest_end_s: latest_end_m * 60.0,
            length_s: length_m * 60.0,
            step_s: DEFAULT_STEP_S,
            paid: true,
            min_shift_s: 0.0,
        }
    }

    #[test]
    fn fixed_break_is_one_slot_and_keeps_the_template() {
        let r = BreakRule::fixed(7200.0, 900.0);
        assert_eq!(r.slots(), 1);
        let t = Shift {
            start_s: 0.0,
            length_s: 8.0 * 3600.0,
            days: [true; 7],
            agents: 10,
            breaks: vec![],
            break_paid: vec![],
        };
        let out = expand(t.clone(), &[r]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].agents, 10);
        assert_eq!(out[0].breaks, vec![(7200.0, 900.0)]);
    }

    #[test]
    fn breaks_are_levelled_over_the_slots() {
        // 15 min between 1h30 and 3h: starts 1:30, 1:45, …, 2:45 (6 slots).
        let r = rule(90.0, 180.0, 15.0);
        assert_eq!(r.slots(), 6);
        let placed = place(&[r], 20);
        let counts: Vec<u32> = placed.iter().map(|(_, n)| *n).collect();
        assert_eq!(counts.len(), 6);
        assert_eq!(counts.iter().sum::<u32>(), 20);
        assert!(counts.iter().all(|&n| n == 3 || n == 4), "{counts:?}");
        // Fewer agents than slots: spread, not bunched at the window's start.
        let two = place(&[r], 2);
        let starts: Vec<f64> = two.iter().map(|(p, _)| p[0].0 / 60.0).collect();
        assert_eq!(starts, vec![90.0 + 15.0, 90.0 + 60.0]);
    }

    #[test]
    fn a_later_break_never_overlaps_the_earlier_one() {
        // Windows overlap: the lunch is pushed after the first break.
        let rules = [rule(60.0, 120.0, 30.0), rule(75.0, 180.0, 30.0)];
        for n in 1..30 {
            for a in 0..n {
                let p = placement(&rules, a, n);
                assert!(p[1].0 >= p[0].0 + p[0].1);
            }
        }
    }

    proptest! {
        #[test]
        fn a_break_always_falls_inside_its_window(
            e1 in 0u32..20, w1 in 1u32..12, l1 in 1u32..4,
            gap in 0u32..10, w2 in 0u32..12, l2 in 1u32..4,
            agents in 1u32..200,
        ) {
            // In 15-minute units; the second window ends at least its length
            // after the first window ends (what validation requires).
            let first = rule(f64::from(e1) * 15.0, f64::from(e1 + l1 + w1) * 15.0, f64::from(l1) * 15.0);
            let e2 = e1 + gap;
            let end2 = (e1 + l1 + w1 + l2).max(e2 + l2) + w2;
            let second = rule(f64::from(e2) * 15.0, f64::from(end2) * 15.0, f64::from(l2) * 15.0);
            let rules = [first, second];
            let placed = place(&rules, agents);
            prop_assert_eq!(placed.iter().map(|(_, n)| n).sum::<u32>(), agents);
            for (p, _) in &placed {
                for (r, &(start, len)) in rules.iter().zip(p) {
                    prop_assert!(start >= r.earliest_s - 1e-9);
                    prop_assert!(start + len <= r.latest_end_s + 1e-9);
                }
                prop_assert!(p[1].0 >= p[0].0 + p[0].1 - 1e-9);
            }
        }
    }
}
