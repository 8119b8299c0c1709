//! Where one replication's per-interval cells live: a ring of open intervals,
//! and — for long runs — a temporary file that closed intervals stream to.
//!
//! With [`Retention::Memory`] every interval stays in memory (the planner and
//! shard runs read cells at random). With [`Retention::Spill`] the engine
//! closes intervals a day behind the clock and appends them to an anonymous
//! temporary file, so memory does not grow with the horizon. A write to an
//! interval already closed (a contact still in the system a day after it
//! arrived, an agent busy for more than a day) reads that interval back into a
//! small `late` map, applies the write there, and the reader prefers the late
//! copy. Every cell therefore receives the same additions in the same order in
//! both modes, so results are byte-identical whichever mode ran.
//!
//! Frames are bincode with fixed-width integers: every interval's frame has
//! the same length, so interval `i` sits at `i × frame` and can be re-read.

use super::replication::ReplicationStats;
use super::spill::Spill;
use super::stats::{ContactStats, TeamStats};
use serde::{Deserialize, Serialize};
use std::io;

/// Where closed intervals go. Results are byte-identical in every mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Retention {
    /// Keep every interval in memory (random access; memory ∝ horizon).
    #[default]
    Memory,
    /// Stream closed intervals to a temporary file (memory independent of the horizon).
    Spill,
    /// [`Retention::Spill`] when one replication's cells would take more than
    /// [`SPILL_ABOVE_BYTES`], else [`Retention::Memory`] (short runs with many
    /// replications then need no temporary files, one open file each).
    Auto,
}

/// Per-replication size of the per-interval cells above which
/// [`Retention::Auto`] spills: 4 MiB (a year of hourly cells for a few
/// channels and teams is ≈ 25 MiB; a week ≈ 0.5 MiB).
pub const SPILL_ABOVE_BYTES: usize = 4 << 20;

impl Retention {
    /// The concrete mode for `scenario` (`Auto` resolved).
    pub fn resolve(self, scenario: &crate::scenario::Scenario) -> Retention {
        match self {
            Retention::Auto => {
                let cells = scenario.channels.len() * scenario.regions.len();
                let per_interval = cells * std::mem::size_of::<ContactStats>()
                    + scenario.teams.len() * std::mem::size_of::<TeamStats>()
                    + std::mem::size_of::<f64>();
                if scenario.simulation.intervals().saturating_mul(per_interval) > SPILL_ABOVE_BYTES
                {
                    Retention::Spill
                } else {
                    Retention::Memory
                }
            }
            concrete => concrete,
        }
    }
}

/// One interval's cells of one replication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// `channels × regions` contact cells, channel-major.
    pub contact: Vec<ContactStats>,
    /// One cell per team.
    pub team: Vec<TeamStats>,
    /// AI session-seconds in the interval.
    pub ai_busy_s: f64,
}

/// Sums over every measured interval of one replication (filled at the end
/// of the run, by reading the intervals back in order).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// `channels × regions` contact cells, channel-major.
    pub contact: Vec<ContactStats>,
    /// One cell per team.
    pub team: Vec<TeamStats>,
    /// AI session-seconds.
    pub ai_busy_s: f64,
    /// One cell per seat (agent index), accumulated directly by the engine
    /// over the measured window rather than per interval: per-agent time is
    /// only ever read as a run total (fairness across agents), and a
    /// per-interval copy would multiply the cells by the intervals. Empty in
    /// shard files written before it existed.
    #[serde(default)]
    pub agents: Vec<super::stats::AgentTime>,
}

/// Initial ring length in spill mode, in intervals: three days (the engine
/// closes intervals a day behind the clock; shifts book up to a day ahead).
/// The ring grows if a write lands further ahead.
const SPILL_RING_S: f64 = 3.0 * 86_400.0;

/// The per-interval cells of one replication: contact cells (`cells` per
/// interval), team cells (`teams` per interval) and AI busy seconds, either
/// all in memory or as a ring of open intervals with closed ones spilled to
/// a file. Fields are private: the ring's layout is this type's business.
/// Clones share a spill file (they are made after the run, when it is
/// read-only).
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// Number of reporting intervals.
    intervals: usize,
    /// Contact cells per interval (`channels × regions`).
    cells: usize,
    /// Team cells per interval.
    teams: usize,
    /// Ring of `capacity × cells` contact cells (interval `i` in slot
    /// `i & mask`); in memory mode, every interval.
    contact: Vec<ContactStats>,
    /// Ring of `capacity × teams` agent-time cells.
    team: Vec<TeamStats>,
    /// Ring of AI session-seconds per interval.
    ai_busy_s: Vec<f64>,
    /// First interval still in the ring (0 in memory mode).
    base: usize,
    /// Ring length in intervals (all intervals in memory mode).
    capacity: usize,
    /// Slot of interval `i` is `i & mask`: `capacity - 1` in spill mode (a
    /// power of two), all ones in memory mode (every interval has its slot).
    mask: usize,
    /// Closed intervals, in spill mode.
    spill: Option<Spill>,
}

impl Window {
    /// Zeroed cells, every interval in memory.
    pub fn memory(intervals: usize, cells: usize, teams: usize) -> Self {
        Window {
            intervals,
            cells,
            teams,
            contact: vec![ContactStats::default(); intervals * cells],
            team: vec![TeamStats::default(); intervals * teams],
            ai_busy_s: vec![0.0; intervals],
            base: 0,
            capacity: intervals.max(1),
            mask: usize::MAX,
            spill: None,
        }
    }

    /// Zeroed cells that stream closed intervals to a temporary file
    /// (`interval_s` sizes the ring). Fails if no temporary file can be made.
    pub fn spilled(
        intervals: usize,
        cells: usize,
        teams: usize,
        interval_s: f64,
    ) -> io::Result<Self> {
        // A power of two, so that the slot is a mask, not a division.
        let ring = ((SPILL_RING_S / interval_s).ceil() as usize)
            .clamp(1, intervals.max(1))
            .next_power_of_two();
        Ok(Window {
            intervals,
            cells,
            teams,
            contact: vec![ContactStats::default(); ring * cells],
            team: vec![TeamStats::default(); ring * teams],
            ai_busy_s: vec![0.0; ring],
            base: 0,
            capacity: ring,
            mask: ring - 1,
            spill: Some(Spill::new()?),
        })
    }

    /// Every interval's cells, given in full (memory mode), or why they do
    /// not fit the stated sizes.
    pub fn from_cells(
        intervals: usize,
        cells: usize,
        teams: usize,
        contact: Vec<ContactStats>,
        team: Vec<TeamStats>,
        ai_busy_s: Vec<f64>,
    ) -> Result<Self, String> {
        let checks = [
            ("contact cells", contact.len(), intervals.checked_mul(cells)),
            ("team cells", team.len(), intervals.checked_mul(teams)),
            ("AI cells", ai_busy_s.len(), Some(intervals)),
        ];
        for (what, found, expected) in checks {
            match expected {
                Some(e) if e == found => {}
                Some(e) => return Err(format!("{what}: expected {e}, found {found}")),
                None => return Err(format!("{what}: {intervals} intervals is too many")),
            }
        }
        Ok(Window {
            intervals,
            cells,
            teams,
            contact,
            team,
            ai_busy_s,
            base: 0,
            capacity: intervals.max(1),
            mask: usize::MAX,
            spill: None,
        })
    }

    /// Every interval's cells in order (contact, team, AI), when all are in
    /// memory; `None` for a spilled window.
    pub fn cells(&self) -> Option<(&[ContactStats], &[TeamStats], &[f64])> {
        (self.spill.is_none() && self.base == 0).then_some((
            &self.contact[..],
            &self.team[..],
            &self.ai_busy_s[..],
        ))
    }

    /// Number of reporting intervals.
    pub fn intervals(&self) -> usize {
        self.intervals
    }

    /// Team cells per interval.
    pub fn teams(&self) -> usize {
        self.teams
    }

    /// Closed intervals that were written to again after closing (spill mode;
    /// a diagnostic: each costs one block of memory).
    pub fn late_intervals(&self) -> usize {
        self.spill.as_ref().map_or(0, |s| s.late.len())
    }

    /// True when closed intervals stream to a temporary file.
    pub fn is_spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// A reader over the intervals, in order.
    pub fn reader(&self) -> IntervalReader<'_> {
        IntervalReader::new(self)
    }

    /// Copies in-ring interval `i` into `out`.
    fn copy_block(&self, i: usize, out: &mut Block) {
        let slot = i & self.mask;
        let cells = self.cells;
        out.contact.clear();
        out.contact
            .extend_from_slice(&self.contact[slot * cells..(slot + 1) * cells]);
        out.team.clear();
        out.team
            .extend_from_slice(&self.team[slot * self.teams..(slot + 1) * self.teams]);
        out.ai_busy_s = self.ai_busy_s[slot];
    }

    #[inline]
    fn in_ring(&self, interval: usize) -> bool {
        // One comparison: below `base` wraps to a huge offset.
        interval.wrapping_sub(self.base) < self.capacity
    }

    /// Makes the ring long enough to hold `interval` (rare: a write far ahead).
    #[cold]
    fn grow(&mut self, interval: usize) {
        // Spill mode only (memory mode holds every interval): powers of two.
        let new_cap = (self.capacity * 2)
            .max(interval + 1 - self.base)
            .next_power_of_two();
        let cells = self.cells;
        let mut contact = vec![ContactStats::default(); new_cap * cells];
        let mut team = vec![TeamStats::default(); new_cap * self.teams];
        let mut ai = vec![0.0; new_cap];
        for i in self.base..self.base + self.capacity {
            let (old, new) = (i & self.mask, i & (new_cap - 1));
            contact[new * cells..(new + 1) * cells]
                .copy_from_slice(&self.contact[old * cells..(old + 1) * cells]);
            team[new * self.teams..(new + 1) * self.teams]
                .copy_from_slice(&self.team[old * self.teams..(old + 1) * self.teams]);
            ai[new] = self.ai_busy_s[old];
        }
        self.contact = contact;
        self.team = team;
        self.ai_busy_s = ai;
        self.capacity = new_cap;
        self.mask = new_cap - 1;
    }

    /// The late copy of a closed interval (spill mode only).
    #[cold]
    fn late(&mut self, interval: usize) -> &mut Block {
        // The empty block is built only if the frame cannot be read back.
        let (cells, teams) = (self.cells, self.teams);
        self.spill
            .as_mut()
            .expect("intervals close only in spill mode")
            .late_block(interval, || Block {
                contact: vec![ContactStats::default(); cells],
                team: vec![TeamStats::default(); teams],
                ai_busy_s: 0.0,
            })
    }

    /// Closes every interval before `end` (spill mode; memory mode keeps
    /// everything): appends them to the file and frees their ring slots.
    pub fn close_before(&mut self, end: usize) {
        let Some(spill) = self.spill.as_mut() else {
            return;
        };
        let end = end.min(self.intervals);
        let cells = self.cells;
        while self.base < end {
            let slot = self.base & self.mask;
            let contact = &mut self.contact[slot * cells..(slot + 1) * cells];
            let team = &mut self.team[slot * self.teams..(slot + 1) * self.teams];
            spill.push(contact, team, self.ai_busy_s[slot]);
            contact.fill(ContactStats::default());
            team.fill(TeamStats::default());
            self.ai_busy_s[slot] = 0.0;
            self.base += 1;
        }
    }

    /// Ends the run: closes every interval and sums them in interval order
    /// (the same order in both modes, so the sums agree to the bit). Fails
    /// on a spill-file I/O error.
    pub fn finish(&mut self) -> io::Result<Totals> {
        self.close_before(self.intervals);
        if let Some(spill) = self.spill.as_mut() {
            spill.flush_pending();
            if let Some(e) = &spill.error {
                return Err(io::Error::other(format!(
                    "writing interval results to a temporary file: {e}"
                )));
            }
            // The ring is no longer needed: release it.
            self.contact = Vec::new();
            self.team = Vec::new();
            self.ai_busy_s = Vec::new();
        }
        let mut totals = Totals {
            contact: vec![ContactStats::default(); self.cells],
            team: vec![TeamStats::default(); self.teams],
            ai_busy_s: 0.0,
            // Per-seat time is not per interval: `ReplicationStats` keeps it.
            agents: Vec::new(),
        };
        let mut block = Block::default();
        let mut reader = self.reader();
        while reader.next_into(&mut block)? {
            for (t, c) in totals.contact.iter_mut().zip(&block.contact) {
                t.add(c);
            }
            for (t, c) in totals.team.iter_mut().zip(&block.team) {
                t.add(c);
            }
            totals.ai_busy_s += block.ai_busy_s;
        }
        Ok(totals)
    }

    /// The contact cell `cell` (channel-major) of `interval`.
    #[inline]
    pub fn contact_mut(&mut self, interval: usize, cell: usize) -> &mut ContactStats {
        if !self.in_ring(interval) {
            if interval < self.base {
                return &mut self.late(interval).contact[cell];
            }
            self.grow(interval);
        }
        let slot = interval & self.mask;
        &mut self.contact[slot * self.cells + cell]
    }

    /// The in-memory contact cell `cell` of `interval` (memory mode).
    #[inline]
    pub fn contact_at(&self, interval: usize, cell: usize) -> &ContactStats {
        debug_assert!(self.spill.is_none() && self.in_ring(interval));
        let slot = interval & self.mask;
        &self.contact[slot * self.cells + cell]
    }

    /// AI session-seconds of `interval`.
    #[inline]
    pub fn ai_busy_mut(&mut self, interval: usize) -> &mut f64 {
        if !self.in_ring(interval) {
            if interval < self.base {
                return &mut self.late(interval).ai_busy_s;
            }
            self.grow(interval);
        }
        &mut self.ai_busy_s[interval & self.mask]
    }

    /// The cell for (interval, team).
    #[inline]
    pub fn team_mut(&mut self, interval: usize, team: usize) -> &mut TeamStats {
        if !self.in_ring(interval) {
            if interval < self.base {
                return &mut self.late(interval).team[team];
            }
            self.grow(interval);
        }
        let slot = interval & self.mask;
        &mut self.team[slot * self.teams + team]
    }
}

/// Reads one replication's intervals in order.
pub struct IntervalReader<'a> {
    stats: &'a Window,
    next: usize,
    buf: Vec<u8>,
}

impl<'a> IntervalReader<'a> {
    fn new(stats: &'a Window) -> Self {
        IntervalReader {
            stats,
            next: 0,
            buf: Vec::new(),
        }
    }

    /// Reads the next interval into `out`; false after the last one.
    pub fn next_into(&mut self, out: &mut Block) -> io::Result<bool> {
        let s = self.stats;
        let i = self.next;
        if i >= s.intervals {
            return Ok(false);
        }
        match &s.spill {
            Some(spill) => spill.read(i, &mut self.buf, out)?,
            None => s.copy_block(i, out),
        }
        self.next += 1;
        Ok(true)
    }
}

/// Calls `f(interval, blocks)` for every interval in order, with one block per
/// replication (in the order given). Memory: one block per replication.
pub fn for_each_interval(
    reps: &[ReplicationStats],
    mut f: impl FnMut(usize, &[Block]),
) -> io::Result<()> {
    let Some(first) = reps.first() else {
        return Ok(());
    };
    let mut readers: Vec<IntervalReader> = reps.iter().map(|r| r.window.reader()).collect();
    let mut blocks = vec![Block::default(); reps.len()];
    for interval in 0..first.intervals() {
        for (reader, block) in readers.iter_mut().zip(&mut blocks) {
            if !reader.next_into(block)? {
                return Err(io::Error::other(format!(
                    "replication results end before interval {interval}"
                )));
            }
        }
        f(interval, &blocks);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// Applies the same writes, closes and a finish to both stores.
    fn drive(stores: &mut [ReplicationStats], seed: u64) {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
        let n = stores[0].intervals();
        for now in 0..n {
            for _ in 0..20 {
                // Mostly near the clock; sometimes far back (late) or far ahead (growth).
                let i = match rng.random_range(0..10) {
                    0 => rng.random_range(0..=now),
                    1 => rng.random_range(now..n),
                    _ => now.saturating_sub(rng.random_range(0..2)),
                };
                let (c, r, t) = (
                    rng.random_range(0..2),
                    rng.random_range(0..3),
                    rng.random_range(0..2),
                );
                let x: f64 = rng.random::<f64>() * 1e3;
                for s in stores.iter_mut() {
                    let cell = s.contact_mut(i, c, r);
                    cell.answered += 1;
                    cell.wait_sum_s += x;
                    s.team_mut(i, t).busy_s += x / 3.0;
                    *s.ai_busy_mut(i) += x / 7.0;
                }
            }
            for s in stores.iter_mut() {
                s.close_before(now.saturating_sub(1));
            }
        }
        for s in stores.iter_mut() {
            s.finish().unwrap();
        }
    }

    fn blocks(s: &ReplicationStats) -> Vec<Block> {
        let mut out = Vec::new();
        let mut reader = s.reader();
        let mut b = Block::default();
        while reader.next_into(&mut b).unwrap() {
            out.push(b.clone());
        }
        out
    }

    #[test]
    fn spill_and_memory_agree_bit_for_bit() {
        let n = 150;
        let memory = ReplicationStats::new(n, 2, 3, 2, 1);
        // One-day intervals: a four-interval ring, so writes ahead must grow it.
        let spilled = ReplicationStats::spilled(n, 2, 3, 2, 1, 86_400.0).unwrap();
        assert_eq!(spilled.window.capacity, 4);
        let mut stores = [memory, spilled];
        drive(&mut stores, 7);
        let [memory, spilled] = &stores;
        assert!(
            spilled.late_intervals() > 10,
            "the test must exercise late writes"
        );
        assert!(spilled.window.capacity > 4, "and ring growth");
        assert!(
            spilled.window.contact.is_empty(),
            "the ring is released at the end"
        );
        let (a, b) = (blocks(memory), blocks(spilled));
        assert_eq!(a.len(), n);
        assert!(a == b, "every interval identical");
        assert_eq!(memory.totals, spilled.totals);
        assert!(memory.contact_total().answered == (n * 20) as u64);
    }

    #[test]
    fn auto_spills_long_runs_only() {
        let load = |f: &str| {
            crate::scenario::Scenario::from_path(format!(
                "{}/scenarios/{f}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        };
        let year = load("year_1000_seats.toml");
        assert_eq!(Retention::Auto.resolve(&year), Retention::Spill);
        let week = load("hybrid_metro_tier2.toml");
        assert_eq!(Retention::Auto.resolve(&week), Retention::Memory);
        assert_eq!(Retention::Memory.resolve(&year), Retention::Memory);
        assert_eq!(Retention::Spill.resolve(&week), Retention::Spill);
    }
}
