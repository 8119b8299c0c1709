//! What one replication measured: the accumulator role ([`ReplicationStats`])
//! over the cells of `stats.rs`, with the per-interval store (`window.rs`)
//! it owns and the run totals it fills when the replication finishes.

use super::stats::{AgentTime, ContactStats, TeamStats, jain_index};
use super::window::{Totals, Window};
use serde::{Deserialize, Serialize};

/// One team's week: the attrition ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WeekStats {
    /// Agents employed (seats filled) at the end of the week.
    pub headcount: u32,
    /// Agents who quit during the week.
    pub quits: u32,
    /// New hires who started during the week.
    pub hires: u32,
}

/// Everything one replication measured: the accumulator role. Per-interval
/// cells (contact, team, AI) are kept by its [`Window`] (the store role:
/// in memory, or a ring with closed intervals spilled to a file); the shard
/// wire format is a separate type (`shard::wire`). Use
/// [`ReplicationStats::reader`] or [`super::for_each_interval`] to read
/// intervals, and the `*_total` methods for sums over the run.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationStats {
    /// Number of channels.
    pub channels: usize,
    /// Number of demand regions.
    pub regions: usize,
    /// Number of teams.
    pub teams: usize,
    /// The per-interval cells.
    pub window: Window,
    /// `intents × channels` contact totals over the measured period.
    pub intent: Vec<ContactStats>,
    /// Totals per customer value tier over the measured period.
    pub tier: Vec<ContactStats>,
    /// Totals per language over the measured period.
    pub language: Vec<ContactStats>,
    /// Per (week, team): headcount at the week's end, quits and hires in the week.
    pub weeks: Vec<WeekStats>,
    /// Escalations per (cause, channel), measured contacts.
    pub causes: Vec<u64>,
    /// Sums over all intervals, filled by [`ReplicationStats::finish`].
    pub totals: Totals,
    /// Most AI sessions in progress at once (checked at every AI session start).
    pub ai_peak: u32,
    /// Contacts still waiting when the run ended (no agent could ever take them).
    pub stranded: u64,
    /// Quality programme and back-office counters.
    pub quality: super::quality::QualityStats,
    /// Events processed, for throughput reporting.
    pub events: u64,
    /// Contacts that arrived over the whole run, warm-up included, for
    /// throughput reporting (`cxsim bench`).
    pub arrivals: u64,
}

impl ReplicationStats {
    /// Zeroed accumulators, every interval in memory.
    pub fn new(
        intervals: usize,
        channels: usize,
        regions: usize,
        teams: usize,
        intents: usize,
    ) -> Self {
        Self::with_window(
            Window::memory(intervals, channels * regions, teams),
            channels,
            regions,
            intents,
        )
    }

    /// Zeroed accumulators that stream closed intervals to a temporary file
    /// (`interval_s` sizes the ring). Fails if no temporary file can be made.
    pub fn spilled(
        intervals: usize,
        channels: usize,
        regions: usize,
        teams: usize,
        intents: usize,
        interval_s: f64,
    ) -> std::io::Result<Self> {
        let window = Window::spilled(intervals, channels * regions, teams, interval_s)?;
        Ok(Self::with_window(window, channels, regions, intents))
    }

    /// Zeroed accumulators around `window` (its team count is the scenario's).
    pub fn with_window(window: Window, channels: usize, regions: usize, intents: usize) -> Self {
        ReplicationStats {
            channels,
            regions,
            teams: window.teams(),
            window,
            intent: vec![ContactStats::default(); intents * channels],
            tier: Vec::new(),
            language: Vec::new(),
            weeks: Vec::new(),
            causes: Vec::new(),
            totals: Totals::default(),
            ai_peak: 0,
            stranded: 0,
            quality: Default::default(),
            events: 0,
            arrivals: 0,
        }
    }

    /// Number of reporting intervals.
    pub fn intervals(&self) -> usize {
        self.window.intervals()
    }

    /// A reader over this replication's intervals, in order.
    pub fn reader(&self) -> super::window::IntervalReader<'_> {
        self.window.reader()
    }

    /// Closed intervals that were written to again after closing (spill
    /// mode; a diagnostic: each costs one block of memory).
    pub fn late_intervals(&self) -> usize {
        self.window.late_intervals()
    }

    /// True when closed intervals stream to a temporary file.
    pub fn is_spilled(&self) -> bool {
        self.window.is_spilled()
    }

    /// Closes every interval before `end` (spill mode; memory mode keeps
    /// everything).
    pub fn close_before(&mut self, end: usize) {
        self.window.close_before(end);
    }

    /// Ends the run: closes every interval and sums them into
    /// [`Self::totals`]. Fails on a spill-file I/O error.
    pub fn finish(&mut self) -> std::io::Result<()> {
        // Per-seat cells were accumulated in place (not per interval).
        let agents = std::mem::take(&mut self.totals.agents);
        self.totals = self.window.finish()?;
        self.totals.agents = agents;
        Ok(())
    }

    /// The cell for (interval, channel, region).
    #[inline]
    pub fn contact_mut(
        &mut self,
        interval: usize,
        channel: usize,
        region: usize,
    ) -> &mut ContactStats {
        self.window
            .contact_mut(interval, channel * self.regions + region)
    }

    /// The in-memory cell for (interval, channel, region) (memory mode).
    #[inline]
    pub fn contact_at(&self, interval: usize, channel: usize, region: usize) -> &ContactStats {
        self.window
            .contact_at(interval, channel * self.regions + region)
    }

    /// Every interval's contact cells, interval × channel × region (memory
    /// mode; empty when the intervals were spilled — use a reader then).
    pub fn contact_cells(&self) -> &[ContactStats] {
        self.window.cells().map_or(&[], |c| c.0)
    }

    /// Every interval's team cells, interval × team (memory mode; empty
    /// when spilled).
    pub fn team_cells(&self) -> &[TeamStats] {
        self.window.cells().map_or(&[], |c| c.1)
    }

    /// AI session-seconds of `interval`.
    #[inline]
    pub fn ai_busy_mut(&mut self, interval: usize) -> &mut f64 {
        self.window.ai_busy_mut(interval)
    }

    /// The cell for (interval, team).
    #[inline]
    pub fn team_mut(&mut self, interval: usize, team: usize) -> &mut TeamStats {
        self.window.team_mut(interval, team)
    }

    /// A replication known only by its run totals, with no interval cells:
    /// what `cxsim merge` rebuilds from compare shards, which carry only
    /// totals. The `*_total` methods work; interval readers see no intervals.
    pub fn from_totals(channels: usize, regions: usize, teams: usize, totals: Totals) -> Self {
        ReplicationStats {
            totals,
            ..ReplicationStats::new(0, channels, regions, teams, 0)
        }
    }

    /// The measured-period total for (intent, channel).
    #[inline]
    pub fn intent_mut(&mut self, intent: usize, channel: usize) -> &mut ContactStats {
        &mut self.intent[intent * self.channels + channel]
    }

    /// Totals over all channels for one intent.
    pub fn intent_total(&self, intent: usize) -> ContactStats {
        let mut total = ContactStats::default();
        for cell in &self.intent[intent * self.channels..(intent + 1) * self.channels] {
            total.add(cell);
        }
        total
    }

    /// Totals over all intervals and channels for one region.
    pub fn region_total(&self, region: usize) -> ContactStats {
        let mut total = ContactStats::default();
        for cell in self
            .totals
            .contact
            .iter()
            .skip(region)
            .step_by(self.regions)
        {
            total.add(cell);
        }
        total
    }

    /// Totals over all regions for one (interval, channel).
    pub fn interval_channel(&self, interval: usize, channel: usize) -> ContactStats {
        let mut total = ContactStats::default();
        for r in 0..self.regions {
            total.add(self.contact_at(interval, channel, r));
        }
        total
    }

    /// Totals over all intervals and regions for one channel.
    pub fn channel_total(&self, channel: usize) -> ContactStats {
        let mut total = ContactStats::default();
        for cell in &self.totals.contact[channel * self.regions..(channel + 1) * self.regions] {
            total.add(cell);
        }
        total
    }

    /// Totals over all intervals and channels.
    pub fn contact_total(&self) -> ContactStats {
        let mut total = ContactStats::default();
        for cell in &self.totals.contact {
            total.add(cell);
        }
        total
    }

    /// Sizes the per-seat time cells for `agents` seats (zeroed), once
    /// before the run: the engine then adds into them without allocating.
    pub fn size_agents(&mut self, agents: usize) {
        self.totals.agents = vec![AgentTime::default(); agents];
    }

    /// Seat `agent`'s time cell (see [`Totals::agents`]).
    #[inline]
    pub fn agent_mut(&mut self, agent: usize) -> &mut AgentTime {
        &mut self.totals.agents[agent]
    }

    /// Jain's index of per-seat utilisation over the run (see
    /// [`jain_index`]); `None` when the per-seat cells are absent (shard
    /// files from before they existed) or no seat worked.
    pub fn agent_fairness(&self) -> Option<f64> {
        jain_index(&self.totals.agents)
    }

    /// Totals over all intervals for the given teams.
    pub fn team_total(&self, teams: impl Fn(usize) -> bool) -> TeamStats {
        let mut total = TeamStats::default();
        for (i, cell) in self.totals.team.iter().enumerate() {
            if teams(i) {
                total.add(cell);
            }
        }
        total
    }

    /// AI session-seconds over all intervals.
    pub fn ai_busy_total_s(&self) -> f64 {
        self.totals.ai_busy_s
    }
}
