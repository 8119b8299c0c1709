//! The shard wire format of one replication: the serialise role of the
//! metrics, kept apart from the accumulator (`metrics::ReplicationStats`)
//! and its store (`metrics::Window`), so that neither carries serde
//! attributes for a file layout, and a damaged file is checked before it
//! becomes a `ReplicationStats`. The JSON layout is the one shard files
//! have always had (`format_version` 1).

use crate::metrics::{
    ContactStats, QualityStats, ReplicationStats, TeamStats, Totals, WeekStats, Window,
};
use serde::{Deserialize, Serialize};

/// One replication as a shard file holds it: every interval in memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireStats {
    /// Number of reporting intervals.
    pub intervals: usize,
    /// Number of channels.
    pub channels: usize,
    /// Number of demand regions.
    pub regions: usize,
    /// Number of teams.
    pub teams: usize,
    /// `intervals × channels × regions` contact cells, interval-major.
    pub contact: Vec<ContactStats>,
    /// `intents × channels` contact totals.
    pub intent: Vec<ContactStats>,
    /// Totals per customer value tier.
    pub tier: Vec<ContactStats>,
    /// Totals per language.
    pub language: Vec<ContactStats>,
    /// `intervals × teams` agent-time cells.
    pub team: Vec<TeamStats>,
    /// Per (week, team): headcount, quits, hires.
    pub weeks: Vec<WeekStats>,
    /// Escalations per (cause, channel).
    pub causes: Vec<u64>,
    /// AI session-seconds per interval.
    pub ai_busy_s: Vec<f64>,
    /// First interval held: always 0 in a shard file.
    pub base: usize,
    /// Intervals held: all of them (at least 1).
    pub capacity: usize,
    /// Sums over all intervals.
    #[serde(default)]
    pub totals: Totals,
    /// Most AI sessions in progress at once.
    pub ai_peak: u32,
    /// Contacts still waiting when the run ended.
    pub stranded: u64,
    /// Quality programme and back-office counters.
    #[serde(default)]
    pub quality: QualityStats,
    /// Events processed.
    pub events: u64,
    /// Contacts that arrived over the whole run.
    pub arrivals: u64,
}

impl WireStats {
    /// The wire form of `stats`; `None` when its intervals were spilled to
    /// a file (shard runs keep every interval in memory).
    pub fn from_stats(stats: &ReplicationStats) -> Option<WireStats> {
        let (contact, team, ai_busy_s) = stats.window.cells()?;
        Some(WireStats {
            intervals: stats.intervals(),
            channels: stats.channels,
            regions: stats.regions,
            teams: stats.teams,
            contact: contact.to_vec(),
            intent: stats.intent.clone(),
            tier: stats.tier.clone(),
            language: stats.language.clone(),
            team: team.to_vec(),
            weeks: stats.weeks.clone(),
            causes: stats.causes.clone(),
            ai_busy_s: ai_busy_s.to_vec(),
            base: 0,
            capacity: stats.intervals().max(1),
            totals: stats.totals.clone(),
            ai_peak: stats.ai_peak,
            stranded: stats.stranded,
            quality: stats.quality.clone(),
            events: stats.events,
            arrivals: stats.arrivals,
        })
    }

    /// The replication this describes, or what in it does not fit together
    /// (a damaged file).
    pub fn into_stats(self) -> Result<ReplicationStats, String> {
        let held = [
            ("first interval held", self.base, 0),
            ("intervals held", self.capacity, self.intervals.max(1)),
            ("team count", self.totals.team.len(), self.teams),
            (
                "total contact cells",
                self.totals.contact.len(),
                self.channels * self.regions,
            ),
        ];
        for (what, found, expected) in held {
            if found != expected {
                return Err(format!("{what}: expected {expected}, found {found}"));
            }
        }
        let cells = self.channels.checked_mul(self.regions).ok_or_else(|| {
            format!(
                "{} channels × {} regions overflow",
                self.channels, self.regions
            )
        })?;
        let window = Window::from_cells(
            self.intervals,
            cells,
            self.teams,
            self.contact,
            self.team,
            self.ai_busy_s,
        )?;
        Ok(ReplicationStats {
            intent: self.intent,
            tier: self.tier,
            language: self.language,
            weeks: self.weeks,
            causes: self.causes,
            totals: self.totals,
            ai_peak: self.ai_peak,
            stranded: self.stranded,
            quality: self.quality,
            events: self.events,
            arrivals: self.arrivals,
            ..ReplicationStats::with_window(window, self.channels, self.regions, 0)
        })
    }
}
