//! Coaching and the relationships around it, as records and enums for the apps: care and
//! coaching relationships, a coaching relationship's content (condition, sessions, case reviews,
//! what the practitioner shared), reflections, alliance check-ins and their ruptures, and
//! wellbeing. What a person gives to add them is in `input.rs`; the parallel view, summaries
//! and the research export are in `parallel.rs`.
//!
//! Ratings (alliance items, stress, burnout, WHO-5 answers) are `i32`, as in `journey.rs`.

use std::time::SystemTime;

use tandem_core::coaching::{self as core, alliance};
use tandem_core::document::DocKind;

use crate::convert::{date_text, system_time};
use crate::journey::{ffi_enum, into_all};
use crate::parallel::SharedSummary;
use crate::sync::Role;

ffi_enum!(
    /// What a coaching relationship works on.
    CoachingCondition = core::CoachingCondition {
        /// Applying the protocol with clients: case review, problem solving.
        SkillsAcquisition,
        /// The practitioner's own journey.
        Transformational,
    }
);

ffi_enum!(
    /// Which way a pattern travels along the line client → practitioner → coach.
    Direction = core::Direction {
        /// Noticed in work with a client, showing up in coaching (or in myself).
        ClientToCoaching,
        /// Noticed in coaching, showing up in work with a client.
        CoachingToClient,
    }
);

/// Whether a relationship is a practitioner–client one (care) or a coach–practitioner one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum RelationshipKind {
    /// A practitioner and a client: consent, sessions, the client's alliance check-ins.
    Care,
    /// A coach and a practitioner: condition, sessions, case reviews, what the practitioner
    /// shares, the practitioner's alliance check-ins.
    Coaching,
}

impl From<DocKind> for RelationshipKind {
    fn from(kind: DocKind) -> Self {
        // The core only ever lists care and coaching documents as relationships.
        match kind {
            DocKind::Care => RelationshipKind::Care,
            _ => RelationshipKind::Coaching,
        }
    }
}

/// A care or coaching relationship this person is in, as the server last listed it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Relationship {
    /// The care or coaching document: what the relationship calls take as `doc_id`.
    pub doc_id: String,
    pub kind: RelationshipKind,
    /// The other person, and their role.
    pub person_id: String,
    pub role: Role,
    /// Their journey, when this person may see it (a client's, for their practitioner).
    pub journey_id: Option<String>,
}

/// A dated record of the coaching condition; the latest one in force is the current one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ConditionChange {
    pub id: String,
    pub condition: CoachingCondition,
    /// The day it applies from, `YYYY-MM-DD`.
    pub applies_from: String,
    /// The person who set it.
    pub set_by: String,
    pub note: Option<String>,
}

/// A comment on a coaching session.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SessionComment {
    pub id: String,
    /// The person who wrote it.
    pub by: String,
    pub text: String,
    pub written_at: SystemTime,
}

/// A coaching session: the practitioner sets the agenda, either person may comment.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CoachingSession {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub agenda: String,
    /// Oldest first.
    pub comments: Vec<SessionComment>,
}

/// A case brought to skills-acquisition coaching; the client is named by their code only.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CaseReview {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The client's pseudonymous code (`client_code`), like `C-7K2M9QXA`.
    pub client_code: String,
    /// What the practitioner wants to look at.
    pub question: String,
    pub notes: Option<String>,
}

/// A reflection in the practitioner's private document (their own devices only, until shared).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Reflection {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub what_happened: String,
    pub my_reaction: String,
    /// The pattern noticed.
    pub pattern: Option<String>,
    pub direction: Option<Direction>,
    /// The person's own action plans the pattern shows up in.
    pub plan_ids: Vec<String>,
    /// The clients (by code) the pattern shows up in.
    pub client_codes: Vec<String>,
    /// The coaching documents holding a copy, because the person shared it there.
    pub shared_in: Vec<String>,
}

/// A reflection as shared into a coaching document: a copy, without its plans or clients.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SharedReflection {
    /// The copy's id in the coaching document.
    pub id: String,
    /// The reflection it copies.
    pub source_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub what_happened: String,
    pub my_reaction: String,
    pub pattern: Option<String>,
    pub direction: Option<Direction>,
}

/// An alliance check-in: three items of our own wording, each 0–10 (see `measure_wording`),
/// and a flag for a session that felt off.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AllianceCheckIn {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The person who answered (the client in care, the practitioner in coaching).
    pub by: String,
    /// "We agree on what we are working toward." 0–10.
    pub goals: i32,
    /// "We agree on how we are working on it." 0–10.
    pub tasks: i32,
    /// "I feel respected and understood." 0–10.
    pub bond: i32,
    /// "Something felt off today."
    pub felt_off: bool,
    /// How it was repaired, if it was.
    pub repair_note: Option<String>,
    /// The mean of the three items.
    pub score: f64,
}

/// A check-in that shows a rupture: flagged, or well below the person's own running level.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Rupture {
    pub check_in_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The person flagged "something felt off".
    pub flagged: bool,
    pub score: f64,
    /// The running level it is compared with, when there was enough history.
    pub running_level: Option<f64>,
    /// The score fell at least two points below the running level.
    pub dropped: bool,
    /// A repair note was written.
    pub repaired: bool,
}

/// The ruptures of one relationship.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RelationshipRuptures {
    pub doc_id: String,
    pub kind: RelationshipKind,
    /// The person whose check-ins these are (the client, or the practitioner about a coach).
    pub answered_by: String,
    /// How many check-ins they answered.
    pub check_ins: u32,
    /// Oldest first.
    pub ruptures: Vec<Rupture>,
}

/// A wellbeing entry, kept in the person's private document (their own devices only): any of
/// WHO-5, stress and burnout.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WellbeingEntry {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The five WHO-5 answers, 0–5 each, in the order of `measure_wording().who5_items`.
    pub who5: Option<Vec<i32>>,
    /// The WHO-5 percentage score, 0–100 (raw sum × 4).
    pub who5_percent: Option<i32>,
    /// 0–10.
    pub stress: Option<i32>,
    /// 0–10.
    pub burnout: Option<i32>,
}

/// A wellbeing entry as shared into a coaching document: only the measures chosen.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SharedWellbeing {
    pub id: String,
    pub source_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub who5_percent: Option<i32>,
    pub stress: Option<i32>,
    pub burnout: Option<i32>,
}

/// One of the practitioner's own goals shared into their coaching (transformational coaching):
/// a copy as it was when shared.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SharedGoal {
    pub id: String,
    /// The goal it copies, in the practitioner's journey.
    pub source_id: String,
    pub shared_at: SystemTime,
    pub text: String,
    pub status: crate::journey::GoalStatus,
    /// 0–10.
    pub importance: i32,
    /// 0–10.
    pub confidence: i32,
    /// `YYYY-MM-DD`.
    pub target_date: Option<String>,
    pub steps: Vec<SharedStep>,
    /// What each action plan toward the goal is.
    pub plans: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SharedStep {
    pub text: String,
    pub done: bool,
}

/// Everything in one coaching relationship (its coaching document), as either of its two
/// people sees it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CoachingRelationship {
    /// The coaching document's id.
    pub doc_id: String,
    pub practitioner: String,
    pub coach: String,
    /// The condition in force today; none until one is set.
    pub condition: Option<CoachingCondition>,
    /// Its history, oldest first.
    pub conditions: Vec<ConditionChange>,
    pub sessions: Vec<CoachingSession>,
    pub case_reviews: Vec<CaseReview>,
    pub reflections: Vec<SharedReflection>,
    pub wellbeing: Vec<SharedWellbeing>,
    /// Parts of the practitioner's journey, shared one goal at a time.
    pub goals: Vec<SharedGoal>,
    pub alliance: Vec<AllianceCheckIn>,
    pub summaries: Vec<SharedSummary>,
    /// Whether the practitioner's journey is shared with the coach (recorded consent).
    pub journey_shared: bool,
}

/// What a coach's device shows: each practitioner's coaching, grouped by condition.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CoachOverview {
    /// Practitioners whose coaching has no condition yet are under a group without one.
    pub groups: Vec<ConditionGroup>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ConditionGroup {
    pub condition: Option<CoachingCondition>,
    pub practitioners: Vec<CoachingRelationship>,
}

/// The wording the apps show with the measures, and the credit WHO-5 asks for.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MeasureWording {
    /// The three alliance items (goals, tasks, bond), each answered 0–10.
    pub alliance_items: Vec<String>,
    /// The alliance flag: "Something felt off today."
    pub alliance_flag: String,
    /// The five WHO-5 statements, each answered 0 ("at no time") to 5 ("all of the time").
    pub who5_items: Vec<String>,
    /// Show it with WHO-5.
    pub who5_credit: String,
    /// The single stress item, 0 (not at all) to 10 (extremely).
    pub stress_item: String,
    /// The single burnout item, 0 (not at all) to 10 (extremely).
    pub burnout_item: String,
}

/// The wording of the alliance items, WHO-5 (with its credit) and the stress and burnout
/// items, as the apps show them. Quick.
#[uniffi::export]
pub fn measure_wording() -> MeasureWording {
    let all = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    MeasureWording {
        alliance_items: all(&core::ALLIANCE_ITEMS),
        alliance_flag: core::ALLIANCE_FLAG.to_string(),
        who5_items: all(&core::WHO5_ITEMS),
        who5_credit: core::WHO5_CREDIT.to_string(),
        stress_item: core::STRESS_ITEM.to_string(),
        burnout_item: core::BURNOUT_ITEM.to_string(),
    }
}

// ----- from the core -----

impl From<tandem_core::relationships::Relationship> for Relationship {
    fn from(r: tandem_core::relationships::Relationship) -> Self {
        Relationship {
            doc_id: r.doc_id,
            kind: r.kind.into(),
            person_id: r.person_id,
            role: r.role,
            journey_id: r.journey_id,
        }
    }
}

impl From<core::ConditionChange> for ConditionChange {
    fn from(c: core::ConditionChange) -> Self {
        ConditionChange {
            id: c.id,
            condition: c.condition,
            applies_from: date_text(c.from),
            set_by: c.set_by,
            note: c.note,
        }
    }
}

impl From<core::SessionComment> for SessionComment {
    fn from(c: core::SessionComment) -> Self {
        SessionComment {
            id: c.id,
            by: c.by,
            text: c.text,
            written_at: system_time(c.written_at),
        }
    }
}

impl From<core::CoachingSession> for CoachingSession {
    fn from(s: core::CoachingSession) -> Self {
        CoachingSession {
            id: s.id,
            date: date_text(s.date),
            agenda: s.agenda,
            comments: into_all(s.comments),
        }
    }
}

impl From<core::CaseReview> for CaseReview {
    fn from(c: core::CaseReview) -> Self {
        CaseReview {
            id: c.id,
            date: date_text(c.date),
            client_code: c.client_code,
            question: c.question,
            notes: c.notes,
        }
    }
}

impl From<core::Reflection> for Reflection {
    fn from(r: core::Reflection) -> Self {
        Reflection {
            id: r.id,
            date: date_text(r.date),
            what_happened: r.what_happened,
            my_reaction: r.my_reaction,
            pattern: r.pattern,
            direction: r.direction,
            plan_ids: r.plan_ids,
            client_codes: r.client_codes,
            shared_in: r.shared_in,
        }
    }
}

impl From<core::SharedReflection> for SharedReflection {
    fn from(r: core::SharedReflection) -> Self {
        SharedReflection {
            id: r.id,
            source_id: r.source_id,
            date: date_text(r.date),
            what_happened: r.what_happened,
            my_reaction: r.my_reaction,
            pattern: r.pattern,
            direction: r.direction,
        }
    }
}

impl From<core::AllianceCheckIn> for AllianceCheckIn {
    fn from(a: core::AllianceCheckIn) -> Self {
        AllianceCheckIn {
            score: a.score(),
            id: a.id,
            date: date_text(a.date),
            by: a.by,
            goals: a.goals.into(),
            tasks: a.tasks.into(),
            bond: a.bond.into(),
            felt_off: a.felt_off,
            repair_note: a.repair_note,
        }
    }
}

impl From<alliance::Rupture> for Rupture {
    fn from(r: alliance::Rupture) -> Self {
        Rupture {
            check_in_id: r.check_in_id,
            date: date_text(r.date),
            flagged: r.flagged,
            score: r.score,
            running_level: r.running_level,
            dropped: r.dropped,
            repaired: r.repaired,
        }
    }
}

impl From<tandem_core::coaching::RelationshipRuptures> for RelationshipRuptures {
    fn from(r: tandem_core::coaching::RelationshipRuptures) -> Self {
        RelationshipRuptures {
            doc_id: r.doc_id,
            kind: r.kind.into(),
            answered_by: r.answered_by,
            check_ins: r.check_ins,
            ruptures: into_all(r.ruptures),
        }
    }
}

impl From<core::WellbeingEntry> for WellbeingEntry {
    fn from(w: core::WellbeingEntry) -> Self {
        WellbeingEntry {
            who5_percent: w.who5_percent().map(i32::from),
            id: w.id,
            date: date_text(w.date),
            who5: w
                .who5
                .map(|answers| answers.into_iter().map(i32::from).collect()),
            stress: w.stress.map(i32::from),
            burnout: w.burnout.map(i32::from),
        }
    }
}

impl From<core::SharedWellbeing> for SharedWellbeing {
    fn from(w: core::SharedWellbeing) -> Self {
        SharedWellbeing {
            id: w.id,
            source_id: w.source_id,
            date: date_text(w.date),
            who5_percent: w.who5_percent.map(i32::from),
            stress: w.stress.map(i32::from),
            burnout: w.burnout.map(i32::from),
        }
    }
}

impl From<core::SharedGoal> for SharedGoal {
    fn from(g: core::SharedGoal) -> Self {
        SharedGoal {
            id: g.id,
            source_id: g.source_id,
            shared_at: g.shared_at.into(),
            text: g.text,
            status: g.status,
            importance: i32::from(g.importance),
            confidence: i32::from(g.confidence),
            target_date: g.target_date.map(date_text),
            steps: g
                .steps
                .into_iter()
                .map(|s| SharedStep {
                    text: s.text,
                    done: s.done,
                })
                .collect(),
            plans: g.plans,
        }
    }
}

impl From<core::Coaching> for CoachingRelationship {
    fn from(c: core::Coaching) -> Self {
        CoachingRelationship {
            doc_id: c.id,
            practitioner: c.practitioner,
            coach: c.coach,
            condition: c.condition,
            conditions: into_all(c.conditions),
            sessions: into_all(c.sessions),
            case_reviews: into_all(c.case_reviews),
            reflections: into_all(c.reflections),
            wellbeing: into_all(c.wellbeing),
            goals: into_all(c.goals),
            alliance: into_all(c.alliance),
            summaries: into_all(c.summaries),
            journey_shared: c.journey_shared,
        }
    }
}

impl From<core::CoachOverview> for CoachOverview {
    fn from(o: core::CoachOverview) -> Self {
        CoachOverview {
            groups: into_all(o.groups),
        }
    }
}

impl From<core::ConditionGroup> for ConditionGroup {
    fn from(g: core::ConditionGroup) -> Self {
        ConditionGroup {
            condition: g.condition,
            practitioners: into_all(g.practitioners),
        }
    }
}
