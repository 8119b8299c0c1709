//! Validated front line: the AI agent, a legacy IVR, and customer behaviour
//! after a failed contact. Defaults and their sources are given where they are
//! set and in docs/AI.md.

use super::{Complexity, Dist};

/// How much of the AI conversation reaches the human on escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// History, intent, actions taken: nothing to repeat.
    Full,
    /// A summary: some repetition.
    Summary,
    /// Bolt-on: the customer starts over.
    None,
}

/// What the AI front line remembers of a customer's earlier attempts about
/// the same problem (a recontact or a redial).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Memory {
    /// One AI across channels with the customer's history: a returning
    /// customer does not repeat the story (AI-native).
    Shared,
    /// A separate bot per channel (bolt-on): a customer who comes back on
    /// another channel starts over and tells the story again.
    PerChannel,
    /// No memory: every return starts over.
    None,
}

/// Why a contact went from the AI agent to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cause {
    /// Intent complexity above the AI's threshold.
    Complexity = 0,
    /// Customer value tier routed to a person.
    ValueTier = 1,
    /// Emotional contact routed to a person.
    Emotional = 2,
    /// Language the AI does not serve.
    Language = 3,
    /// The customer asked for a person.
    AskedForHuman = 4,
    /// AI failure or time-out.
    Failure = 5,
    /// The AI could not resolve it and said so.
    Unresolved = 6,
    /// No AI capacity and overflow to humans.
    Overflow = 7,
    /// A back-office system the intent needs failed or was down.
    BackOffice = 8,
}

/// Number of escalation causes.
pub const CAUSES: usize = 9;

/// Cause names as reported.
pub const CAUSE_NAMES: [&str; CAUSES] = [
    "complexity",
    "value_tier",
    "emotional",
    "language",
    "asked_for_human",
    "failure",
    "unresolved",
    "overflow",
    "back_office",
];

/// The AI agent.
#[derive(Debug, Clone, PartialEq)]
pub struct AiAgent {
    /// Per channel index: does the AI take first contact there.
    pub channels: Vec<bool>,
    /// Per language index: does the AI speak it.
    pub languages: Vec<bool>,
    /// Concurrent sessions.
    pub capacity: u32,
    /// Contacts beyond capacity overflow to humans (else they wait for the AI).
    pub overflow_to_human: bool,
    /// Time to recognise intent and route (spent by every contact the AI takes).
    pub triage_time: Dist,
    /// Conversation time per intent index (after triage).
    pub handle_time: Vec<Dist>,
    /// Probability the AI truly resolves, per intent index.
    pub resolution: Vec<f64>,
    /// Of contacts the AI does not resolve, the share it ends anyway (false containment).
    pub false_containment: f64,
    /// Context handed to humans.
    pub context: Context,
    /// What the AI remembers of earlier attempts (re-telling on return).
    pub memory: Memory,
    /// Extra human time to re-establish context, per context level (full, summary, none).
    pub context_time: [Option<Dist>; 3],
    /// Remaining-patience factor after escalation, per context level.
    pub context_patience: [f64; 3],
    /// Change in human resolution probability, per context level.
    pub context_resolution: [f64; 3],
    /// Escalation rules.
    pub escalation: Escalation,
}

/// Causes of escalation other than the AI's own outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// Intents above this complexity go to a person after triage.
    pub max_complexity: Complexity,
    /// Per tier index: go to a person after triage.
    pub tiers: Vec<bool>,
    /// Emotional intents go to a person after triage.
    pub emotional: bool,
    /// Probability the customer asks for a person during the conversation.
    pub ask_for_human: f64,
    /// Probability of an AI failure or time-out.
    pub failure: f64,
    /// Conversations longer than this are transferred (try-then-transfer).
    pub timeout_s: Option<f64>,
    /// Probability the intent is misrecognised on escalation (wrong queue, transfer).
    pub misroute: f64,
    /// Human time lost to a misroute and transfer.
    pub misroute_time: Dist,
}

/// A legacy IVR: routes only, never resolves.
#[derive(Debug, Clone, PartialEq)]
pub struct Ivr {
    /// Per channel index: does the IVR front this channel.
    pub channels: Vec<bool>,
    /// Time in the menu.
    pub time: Dist,
    /// Probability of routing to the wrong queue.
    pub misroute: f64,
    /// Human time lost to a misroute and transfer.
    pub misroute_time: Dist,
}

/// Customer behaviour after failed contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Customers {
    /// Probability an unresolved customer comes back (false containment or human not resolving).
    pub recontact: f64,
    /// Delay before coming back.
    pub recontact_delay: Dist,
    /// Per channel index: redial after abandoning.
    pub redial: Vec<Option<Redial>>,
    /// Per channel index: callback offer.
    pub callback: Vec<Option<Callback>>,
}

/// Redial behaviour after abandonment on one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Redial {
    /// Probability of trying again.
    pub probability: f64,
    /// Delay before the new attempt.
    pub delay: Dist,
    /// (channel index, probability) of switching channel on the new attempt.
    pub switch: Vec<(usize, f64)>,
}

/// Virtual hold: offer a callback when the expected wait is long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Callback {
    /// Offer when the expected wait exceeds this, seconds.
    pub threshold_s: f64,
    /// Probability the customer accepts (then waits without abandoning).
    pub accept: f64,
}
