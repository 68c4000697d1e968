//! Coaching (docs/DESIGN.md, "The people and the idea"): the records, and what each person
//! does with them on the store.
//!
//! - The coaching relationship (one coaching document per coach–practitioner pair): its
//!   condition, sessions with the practitioner's agenda and the coach's comments, pseudonymous
//!   case reviews, and whatever the practitioner chose to share into it.
//! - Reflections, in the practitioner's private document; a copy goes into a coaching document
//!   only when they share it, and withdrawing removes the copy.
//! - Alliance check-ins in both relationships, and the ruptures they show.
//! - Wellbeing (WHO-5, stress, burnout), kept in the person's private document (their own
//!   devices only); a measure reaches a coach only as a copy the practitioner shares.
//!
//! The parallel process built on these records is in [`crate::parallel`].

pub mod alliance;
mod goals;
mod reflections;
mod sessions;
#[cfg(test)]
mod tests;
mod wellbeing;

pub use alliance::RelationshipRuptures;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journey::validate::{check_optional_text, check_rating, check_text, MAX_SHORT_TEXT};
use crate::journey::MAX_TEXT;
use tandem_protocol::word_enum;

word_enum!(
    /// What a coaching relationship works on.
    CoachingCondition "coaching condition" {
        /// Applying the protocol with clients: case review, problem solving.
        SkillsAcquisition = "skills_acquisition",
        /// The practitioner's own journey.
        Transformational = "transformational",
    }
);

word_enum!(
    /// Which way a pattern travels along the line client → practitioner → coach.
    Direction "direction" {
        /// Noticed in work with a client, showing up in coaching (or in myself).
        ClientToCoaching = "client_to_coaching",
        /// Noticed in coaching, showing up in work with a client.
        CoachingToClient = "coaching_to_client",
    }
);

/// A dated record of the coaching condition; the latest one in force is the current one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionChange {
    pub id: String,
    pub condition: CoachingCondition,
    /// The day it applies from.
    pub from: NaiveDate,
    /// The person who set it.
    pub set_by: String,
    pub note: Option<String>,
    /// When it was set (none in records from before this was read): of two changes from the
    /// same day, the one set later is in force.
    #[serde(skip)]
    pub set_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A coaching session: the practitioner sets the agenda, the coach may comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoachingSession {
    pub id: String,
    pub date: NaiveDate,
    pub agenda: String,
    /// Oldest first.
    pub comments: Vec<SessionComment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionComment {
    pub id: String,
    /// The person who wrote it.
    pub by: String,
    pub text: String,
    pub written_at: DateTime<Utc>,
}

/// A case brought to skills-acquisition coaching. The client is named only by the pseudonymous
/// code the practitioner's device makes ([`crate::Store::client_code`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReview {
    pub id: String,
    pub date: NaiveDate,
    pub client_code: String,
    /// What the practitioner wants to look at.
    pub question: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReviewInput {
    pub date: NaiveDate,
    pub client_code: String,
    pub question: String,
    pub notes: Option<String>,
}

/// A reflection in the practitioner's private document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reflection {
    pub id: String,
    pub date: NaiveDate,
    pub what_happened: String,
    pub my_reaction: String,
    /// The pattern I notice.
    pub pattern: Option<String>,
    pub direction: Option<Direction>,
    /// My own action plans this pattern shows up in.
    pub plan_ids: Vec<String>,
    /// The clients (by pseudonymous code) I see the pattern in.
    pub client_codes: Vec<String>,
    /// The coaching documents holding a copy, because I shared it there.
    pub shared_in: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReflectionInput {
    pub date: NaiveDate,
    pub what_happened: String,
    pub my_reaction: String,
    pub pattern: Option<String>,
    pub direction: Option<Direction>,
    pub plan_ids: Vec<String>,
    pub client_codes: Vec<String>,
}

/// A reflection as shared into a coaching document: a copy, without its links to plans or
/// clients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedReflection {
    /// The copy's id in the coaching document.
    pub id: String,
    /// The reflection it copies (in the practitioner's private document).
    pub source_id: String,
    pub date: NaiveDate,
    pub what_happened: String,
    pub my_reaction: String,
    pub pattern: Option<String>,
    pub direction: Option<Direction>,
}

/// Three short items of our own wording, each 0–10, and a flag for a session that felt off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllianceCheckIn {
    pub id: String,
    pub date: NaiveDate,
    /// The person who answered (the client in a care document, the practitioner in a coaching
    /// document).
    pub by: String,
    /// "We agree on what we are working toward."
    pub goals: u8,
    /// "We agree on how we are working on it."
    pub tasks: u8,
    /// "I feel respected and understood."
    pub bond: u8,
    /// "Something felt off today."
    pub felt_off: bool,
    /// How it was repaired, if it was.
    pub repair_note: Option<String>,
}

impl AllianceCheckIn {
    /// The mean of the three items.
    pub fn score(&self) -> f64 {
        (f64::from(self.goals) + f64::from(self.tasks) + f64::from(self.bond)) / 3.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllianceInput {
    pub date: NaiveDate,
    pub goals: u8,
    pub tasks: u8,
    pub bond: u8,
    pub felt_off: bool,
    pub repair_note: Option<String>,
}

/// The alliance items in our own words, as the apps show them.
pub const ALLIANCE_ITEMS: [&str; 3] = [
    "We agree on what we are working toward.",
    "We agree on how we are working on it.",
    "I feel respected and understood.",
];
/// The flag's wording.
pub const ALLIANCE_FLAG: &str = "Something felt off today.";

/// The five WHO-5 statements, each answered for the last two weeks from 0 ("at no time") to 5
/// ("all of the time"). The apps show [`WHO5_CREDIT`] with them.
pub const WHO5_ITEMS: [&str; 5] = [
    "I have felt cheerful and in good spirits.",
    "I have felt calm and relaxed.",
    "I have felt active and vigorous.",
    "I woke up feeling fresh and rested.",
    "My daily life has been filled with things that interest me.",
];
/// The credit shown with WHO-5 and stored with every entry that uses it.
pub const WHO5_CREDIT: &str =
    "WHO-5 Well-Being Index. © Psychiatric Research Unit, Mental Health Centre North Zealand, Denmark. Used free of charge, unchanged.";
/// Our own wording of the single-item ratings (0 = not at all, 10 = extremely).
pub const STRESS_ITEM: &str = "How stressed have I felt this week?";
pub const BURNOUT_ITEM: &str = "How worn out by my work have I felt this week?";

/// A wellbeing entry in the person's private document: any of WHO-5, stress and burnout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WellbeingEntry {
    pub id: String,
    pub date: NaiveDate,
    /// The five WHO-5 answers, 0–5 each.
    pub who5: Option<[u8; 5]>,
    /// 0–10.
    pub stress: Option<u8>,
    /// 0–10.
    pub burnout: Option<u8>,
}

impl WellbeingEntry {
    /// The WHO-5 percentage score, 0–100 (raw sum × 4).
    pub fn who5_percent(&self) -> Option<u8> {
        self.who5.map(who5_percent)
    }
}

/// The WHO-5 percentage score of five answers.
pub fn who5_percent(answers: [u8; 5]) -> u8 {
    answers.iter().map(|a| a.min(&5)).sum::<u8>() * 4
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WellbeingInput {
    pub date: NaiveDate,
    pub who5: Option<[u8; 5]>,
    pub stress: Option<u8>,
    pub burnout: Option<u8>,
}

/// Which measures of a wellbeing entry to share (each one by opt-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WellbeingMeasures {
    pub who5: bool,
    pub stress: bool,
    pub burnout: bool,
}

/// A wellbeing entry as shared into a coaching document: only the measures chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedWellbeing {
    pub id: String,
    pub source_id: String,
    pub date: NaiveDate,
    pub who5_percent: Option<u8>,
    pub stress: Option<u8>,
    pub burnout: Option<u8>,
}

/// One of the practitioner's own goals, shared into a coaching document (transformational
/// coaching): a copy as it was when shared, with its steps and the plans toward it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedGoal {
    /// The copy's id in the coaching document.
    pub id: String,
    /// The goal it copies (in the practitioner's journey).
    pub source_id: String,
    pub shared_at: DateTime<Utc>,
    pub text: String,
    pub status: crate::journey::GoalStatus,
    pub importance: u8,
    pub confidence: u8,
    pub target_date: Option<NaiveDate>,
    pub steps: Vec<SharedStep>,
    /// What each action plan toward the goal is ("Walk round the park").
    pub plans: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedStep {
    pub text: String,
    pub done: bool,
}

/// Everything in one coaching document, as either of its two people sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coaching {
    /// The coaching document's id.
    pub id: String,
    pub practitioner: String,
    pub coach: String,
    /// The condition in force today (`None` until one is set), and its history, oldest first.
    pub condition: Option<CoachingCondition>,
    pub conditions: Vec<ConditionChange>,
    pub sessions: Vec<CoachingSession>,
    pub case_reviews: Vec<CaseReview>,
    pub reflections: Vec<SharedReflection>,
    pub wellbeing: Vec<SharedWellbeing>,
    /// Parts of the practitioner's journey shared one goal at a time.
    pub goals: Vec<SharedGoal>,
    pub alliance: Vec<AllianceCheckIn>,
    pub summaries: Vec<crate::parallel::SharedSummary>,
    /// Whether the practitioner's journey is shared with the coach (recorded consent).
    pub journey_shared: bool,
}

/// What a coach's device shows: each practitioner's shared summaries, grouped by condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoachOverview {
    /// Practitioners whose coaching has no condition yet are under `None`.
    pub groups: Vec<ConditionGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionGroup {
    pub condition: Option<CoachingCondition>,
    pub practitioners: Vec<Coaching>,
}

/// The condition in force on `date`: the latest change from on or before it (ties: the one
/// recorded last, by id).
pub fn condition_on(changes: &[ConditionChange], date: NaiveDate) -> Option<CoachingCondition> {
    changes
        .iter()
        .filter(|c| c.from <= date)
        .max_by(|a, b| (a.from, a.set_at, &a.id).cmp(&(b.from, b.set_at, &b.id)))
        .map(|c| c.condition)
}

// ----- checks on input -----

pub(crate) fn check_case_review(input: &CaseReviewInput) -> Result<()> {
    check_client_code("client_code", &input.client_code)?;
    check_text("question", &input.question, MAX_TEXT)?;
    check_optional_text("notes", input.notes.as_deref(), MAX_TEXT)
}

/// A client code is what [`crate::Store::client_code`] makes: "C-" and 8 base32 characters.
pub(crate) fn check_client_code(field: &str, code: &str) -> Result<()> {
    let ok = code.len() == 10
        && code.starts_with("C-")
        && code[2..]
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{code:?} is not a client code (like C-7K2M9QXA); names are never used here"),
        ))
    }
}

pub(crate) fn check_reflection(input: &ReflectionInput) -> Result<()> {
    check_text("what_happened", &input.what_happened, MAX_TEXT)?;
    check_text("my_reaction", &input.my_reaction, MAX_TEXT)?;
    check_optional_text("pattern", input.pattern.as_deref(), MAX_TEXT)?;
    for (i, code) in input.client_codes.iter().enumerate() {
        check_client_code(&format!("client_codes[{i}]"), code)?;
    }
    Ok(())
}

pub(crate) fn check_alliance(input: &AllianceInput) -> Result<()> {
    check_rating("goals", input.goals)?;
    check_rating("tasks", input.tasks)?;
    check_rating("bond", input.bond)?;
    check_optional_text("repair_note", input.repair_note.as_deref(), MAX_TEXT)
}

pub(crate) fn check_wellbeing(input: &WellbeingInput) -> Result<()> {
    if input.who5.is_none() && input.stress.is_none() && input.burnout.is_none() {
        return Err(Error::invalid(
            "wellbeing",
            "is empty: give WHO-5, stress or burnout",
        ));
    }
    if let Some(answers) = input.who5 {
        for (i, a) in answers.iter().enumerate() {
            if *a > 5 {
                return Err(Error::invalid(
                    format!("who5[{i}]"),
                    format!("{a} is outside 0–5"),
                ));
            }
        }
    }
    if let Some(stress) = input.stress {
        check_rating("stress", stress)?;
    }
    if let Some(burnout) = input.burnout {
        check_rating("burnout", burnout)?;
    }
    Ok(())
}

pub(crate) fn check_comment(text: &str) -> Result<()> {
    check_text("text", text, MAX_TEXT)
}

pub(crate) fn check_agenda(agenda: &str) -> Result<()> {
    check_text("agenda", agenda, MAX_TEXT)
}

pub(crate) fn check_note(note: Option<&str>) -> Result<()> {
    check_optional_text("note", note, MAX_SHORT_TEXT)
}

/// RFC 4648 base32 without padding (enough for a short code).
pub(crate) fn base32(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes)
}
