//! Validated people model: teams, skills, schedules, concurrency, wrap-up,
//! AI assist, fatigue, attrition. Defaults are documented where they are set
//! (see also docs/PEOPLE.md) with their source in ../shared/DOMAIN.md.

use super::Dist;

/// A team of agents sharing skills, schedule rules and models.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Team name.
    pub name: String,
    /// Indices into `Scenario::channels` this team serves.
    pub channels: Vec<usize>,
    /// Per intent index: may this team take it.
    pub intents: Vec<bool>,
    /// Per language index: does this team speak it.
    pub languages: Vec<bool>,
    /// Handle-time multiplier for skill (1 = standard, 1.2 = 20% slower).
    pub proficiency: f64,
    /// Handle time when the contact's intent gives none for the channel.
    pub handle_time: Option<Dist>,
    /// After-contact work per channel index (intent wrap-up overrides it).
    pub wrap_up: Vec<Option<Dist>>,
    /// Sessions an agent may hold at once, per channel index (1 = one at a time).
    pub concurrency: Vec<u8>,
    /// Each extra concurrent session slows every session by this share.
    pub concurrency_slowdown: f64,
    /// Share of scheduled agent-shifts lost to absence.
    pub shrinkage: f64,
    /// AI assist mode and its effects.
    pub assist: Assist,
    /// Fatigue model, when configured.
    pub fatigue: Option<Fatigue>,
    /// Attrition model, when configured.
    pub attrition: Option<Attrition>,
    /// Load-dependent speed, when configured.
    pub load_speed: Option<LoadSpeed>,
    /// Who is on duty when.
    pub staffing: Staffing,
    /// The shifts the planner may roster the team on (`[team.shift_family]`);
    /// `None`: its fixed templates, or else the default family.
    pub shift_family: Option<super::family::ShiftFamily>,
}

impl Team {
    /// Seats in the team: always-on agents, or the sum over shift templates.
    pub fn headcount(&self) -> u32 {
        match &self.staffing {
            Staffing::AlwaysOn { agents } => *agents,
            Staffing::Shifts(shifts) => shifts.iter().map(|s| s.agents).sum(),
            Staffing::PerInterval { agents, .. } => agents.iter().copied().max().unwrap_or(0),
        }
    }

    /// Always-on agents, or `None` for a team on shifts or per-interval staffing.
    pub fn always_on(&self) -> Option<u32> {
        match self.staffing {
            Staffing::AlwaysOn { agents } => Some(agents),
            Staffing::Shifts(_) | Staffing::PerInterval { .. } => None,
        }
    }
}

/// When agents are on duty.
#[derive(Debug, Clone, PartialEq)]
pub enum Staffing {
    /// `agents` agents on duty around the clock, no breaks (the validation contract).
    AlwaysOn {
        /// Agents on duty.
        agents: u32,
    },
    /// Agents working shift templates.
    Shifts(Vec<Shift>),
    /// Agents on duty per staffing interval, repeating cyclically from the
    /// horizon's start (what the planner produces): seat k works interval i
    /// when k < agents[i mod len]; no breaks (net staffing).
    PerInterval {
        /// Agents on duty in each interval of the cycle.
        agents: Vec<u32>,
        /// Length of one staffing interval, seconds.
        interval_s: f64,
    },
}

/// A shift template: `agents` agents start at `start_s` after midnight on each
/// listed weekday and work `length_s`, with breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// Start, seconds after midnight.
    pub start_s: f64,
    /// Length, seconds (may run past midnight: night shifts).
    pub length_s: f64,
    /// Monday..Sunday on which the shift starts.
    pub days: [bool; 7],
    /// Agents working this template.
    pub agents: u32,
    /// (offset from shift start, length) of each break, seconds.
    pub breaks: Vec<(f64, f64)>,
    /// Per break, whether it is paid (`paid = false` in the file: an unpaid
    /// meal). Empty: every break is paid.
    pub break_paid: Vec<bool>,
}

impl Shift {
    /// Unpaid break time of one shift, seconds: paid time is the length
    /// less this.
    pub fn unpaid_s(&self) -> f64 {
        self.breaks
            .iter()
            .zip(&self.break_paid)
            .filter(|(_, paid)| !**paid)
            .map(|((_, len), _)| len)
            .sum()
    }
}

/// AI assist for human agents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assist {
    /// Mode name: none, post_call or realtime.
    pub mode: AssistMode,
    /// Handle-time multiplier for tenured agents.
    pub handle_time: f64,
    /// Handle-time multiplier for brand-new hires (interpolated over the ramp).
    pub new_hire_handle_time: f64,
    /// Wrap-up multiplier.
    pub wrap_up: f64,
    /// Added to the probability of resolving.
    pub resolution: f64,
    /// Multiplier on the context re-establishing time of escalations.
    pub context: f64,
    /// Multiplier on the length of a new hire's ramp.
    pub ramp: f64,
}

/// AI assist modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssistMode {
    /// No assist.
    None,
    /// Automatic summaries after the contact only.
    PostCall,
    /// Real-time guidance, summaries and next-best action.
    Realtime,
}

impl Assist {
    /// Default effects of each mode, from ../shared/DOMAIN.md:
    /// - realtime handle time × 0.915: −8.5% (43 → 39.3 min chats), Brynjolfsson,
    ///   Li & Raymond, QJE 2025 \[paper\];
    /// - new hires gain more (+35% resolutions/h for the least experienced vs
    ///   +15% overall \[paper\]): new-hire handle time × 0.80 [convention derived
    ///   from that gap];
    /// - wrap-up × 0.6 with automatic summaries (30–50% cut \[convention\]);
    /// - resolution +1.3 pp (not significant in the paper) \[paper\];
    /// - context re-establishing time × 0.5 with real-time assist \[convention\];
    /// - ramp to full speed ≈ 2 months with assist vs ≈ 9 without: ramp × 2/9 \[paper\].
    pub fn defaults(mode: AssistMode) -> Assist {
        match mode {
            AssistMode::None => Assist {
                mode,
                handle_time: 1.0,
                new_hire_handle_time: 1.0,
                wrap_up: 1.0,
                resolution: 0.0,
                context: 1.0,
                ramp: 1.0,
            },
            AssistMode::PostCall => Assist {
                mode,
                handle_time: 1.0,
                new_hire_handle_time: 1.0,
                wrap_up: 0.6,
                resolution: 0.0,
                context: 1.0,
                ramp: 1.0,
            },
            AssistMode::Realtime => Assist {
                mode,
                handle_time: 0.915,
                new_hire_handle_time: 0.80,
                wrap_up: 0.6,
                resolution: 0.013,
                context: 0.5,
                ramp: 2.0 / 9.0,
            },
        }
    }
}

/// Nominal shift length, hours: 8.5 h, the middle of the default 8 h and 9 h
/// roster templates \[convention\]. Under net staffing (`agents_per_interval`)
/// a seat on duty for longer is read as people handing over every nominal
/// shift, so hours-on-shift fatigue restarts each 8.5 h.
pub const NOMINAL_SHIFT_H: f64 = 8.5;

/// Fatigue within a shift.
///
/// Functional form: an agent carries a fatigue load `L` (hours): it grows by
/// the busy time worked and decays exponentially with time constant
/// `recovery_s` while idle or on break. At the start of each contact,
/// handle time × (1 + `per_shift_hour` · hours on shift + `per_busy_hour` · L),
/// and the chance of not resolving × (1 + `unresolved_per_busy_hour` · L).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fatigue {
    /// Handle-time growth per hour on shift (default 0.00625: +5% over 8 h,
    /// the paramedic-team figure of SSRN 3943699 \[derived\]).
    pub per_shift_hour: f64,
    /// Handle-time growth per hour of unrecovered busy time (default 0.02 \[convention\]).
    pub per_busy_hour: f64,
    /// Recovery time constant while idle or on break (default 20 min \[convention\];
    /// breaks restore vigour, Albulescu et al. 2022 \[paper\]).
    pub recovery_s: f64,
    /// Growth of the not-resolved chance per hour of busy load (default 0.02 \[convention\]).
    pub unresolved_per_busy_hour: f64,
}

/// Attrition over weeks, with replacement hiring and a learning ramp.
///
/// Each week, an agent quits with probability 1 − exp(−h), where
/// h = h₀ · (1 + `occupancy_factor` · max(0, occ − `occupancy_threshold`) / (1 − threshold))
///       · (1 + `repetitive_factor` · repetitive share of the agent's contacts),
/// h₀ = −ln(1 − `annual_rate`) / 52.18, and occ is the agent's occupancy that week.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attrition {
    /// Share of agents quitting per year at baseline (contact centres ≈ 60% global,
    /// India voice 30–35%; metro ≈ 40%, tier-2 ≈ 25–30% \[secondary\]).
    pub annual_rate: f64,
    /// Occupancy above which burnout raises the hazard (default 0.85: norms 80–85% \[paper\]).
    pub occupancy_threshold: f64,
    /// Hazard multiplier slope above the threshold (default 1: ×2 at 100% \[convention\]).
    pub occupancy_factor: f64,
    /// Hazard slope in the share of repetitive contacts (default 0.5 \[convention\]).
    pub repetitive_factor: f64,
    /// Time from a quit to the replacement's first shift (default 6 weeks \[convention\]).
    pub hire_lead_s: f64,
    /// Weeks for a new hire to reach full speed (default 7 weeks, Batt et al. 2005 \[secondary\]).
    pub ramp_s: f64,
    /// A new hire's starting speed relative to tenured (default 0.72 \[paper\]).
    pub ramp_start: f64,
    /// Whether quits are replaced (renewal process, Whitt 2006).
    pub replace: bool,
}

/// Load-dependent speed: when the contacts waiting for the agent's channels
/// reach `queue_per_agent` per agent on duty, handle time × `factor`
/// (KC & Terwiesch 2009: short overloads speed people up \[paper\]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadSpeed {
    /// Waiting contacts per on-duty agent that trigger the effect.
    pub queue_per_agent: f64,
    /// Handle-time multiplier under load (< 1 faster, > 1 slower).
    pub factor: f64,
}
