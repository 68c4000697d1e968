//! The journey: the four stages of the protocol, the same for clients and practitioners.
//!
//! These are the typed views that the rest of the core and the apps use. They are read from,
//! and written field by field into, automerge documents by `crate::document`.

mod edits;
pub mod insights;
pub mod schedule;
#[cfg(test)]
mod tests;
pub(crate) mod validate;
mod views;

pub use validate::MAX_TEXT;
pub(crate) use validate::{check_text, Validate};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use tandem_protocol::word_enum;

word_enum!(
    /// The part of life a value belongs to.
    LifeArea "life area" {
        Relationships = "relationships",
        Family = "family",
        Work = "work",
        Learning = "learning",
        Health = "health",
        Leisure = "leisure",
        Community = "community",
        Spirituality = "spirituality",
        Home = "home",
        Other = "other",
    }
);

word_enum!(
    /// What kind of support or resource helps.
    SupportKind "kind of support" {
        Person = "person",
        Service = "service",
        Resource = "resource",
    }
);

word_enum!(
    /// Whether a goal moves toward something wanted or away from something unwanted.
    Framing "framing" {
        Approach = "approach",
        Avoidance = "avoidance",
    }
);

word_enum!(
    /// Who proposed a goal: the person, the one supporting them (practitioner or coach), or both.
    ProposedBy "proposer" {
        Myself = "myself",
        Supporter = "supporter",
        Together = "together",
    }
);

word_enum!(
    /// Where a goal stands.
    GoalStatus "goal status" {
        Active = "active",
        Paused = "paused",
        Completed = "completed",
        LetGo = "let_go",
    }
);

word_enum!(
    /// Who agreed to an action plan.
    Party "party" {
        Myself = "myself",
        Supporter = "supporter",
    }
);

word_enum!(
    /// How a planned occurrence went.
    Outcome "outcome" {
        Done = "done",
        Partly = "partly",
        NotDone = "not_done",
    }
);

word_enum!(
    /// Why something was not (fully) done. `Other` goes with free text.
    Reason "reason" {
        Forgot = "forgot",
        NoTime = "no_time",
        TooTired = "too_tired",
        Unwell = "unwell",
        LowMood = "low_mood",
        Anxious = "anxious",
        LowMotivation = "low_motivation",
        SomethingCameUp = "something_came_up",
        PlanDidNotFit = "plan_did_not_fit",
        Other = "other",
    }
);

/// Something that matters to the person, in their own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Value {
    pub id: String,
    pub text: String,
    pub life_area: LifeArea,
    /// 0–10.
    pub importance: u8,
}

/// Something the person is good at, with an example of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strength {
    pub id: String,
    pub text: String,
    pub example: Option<String>,
}

/// A person, service or resource that helps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Support {
    pub id: String,
    pub name: String,
    pub kind: SupportKind,
    /// How it helps, or how to reach it.
    pub note: Option<String>,
}

/// A statement of the life the person is heading for. Earlier visions are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vision {
    pub id: String,
    pub text: String,
    pub written_on: NaiveDate,
}

/// A milestone on the way to a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub text: String,
    pub done: bool,
}

/// A goal in the person's own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: String,
    pub text: String,
    /// Ids of the values this goal serves.
    pub value_ids: Vec<String>,
    pub framing: Framing,
    pub proposed_by: ProposedBy,
    pub target_date: Option<NaiveDate>,
    /// 0–10.
    pub importance: u8,
    /// 0–10.
    pub confidence: u8,
    /// Optional goal-attainment scale: what −2, −1, 0, +1 and +2 would look like.
    pub attainment_levels: Vec<AttainmentLevel>,
    pub status: GoalStatus,
    /// In the person's chosen order.
    pub steps: Vec<Step>,
}

/// One level of a goal-attainment scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttainmentLevel {
    /// −2 … +2.
    pub level: i8,
    pub description: String,
}

/// How often an action plan repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Repeat {
    /// On these days of each week.
    Weekly { days: Vec<Weekday> },
    /// Every `n` days, counted from the plan's start.
    EveryNDays { n: u32 },
}

/// When an action plan happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub repeat: Repeat,
    /// Times of day, in the person's time zone. Empty: once, at any time of the day.
    pub times: Vec<NaiveTime>,
}

/// A schedule a plan followed before it was changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierSchedule {
    /// The last day this schedule applied.
    pub until: NaiveDate,
    pub schedule: Schedule,
}

/// A concrete task toward a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub id: String,
    pub what: String,
    pub place: Option<String>,
    /// The schedule from now on (and on every day no earlier schedule covers).
    pub schedule: Schedule,
    /// Schedules the plan followed before its schedule was changed, oldest first: past days
    /// keep the occurrences they had.
    pub earlier_schedules: Vec<EarlierSchedule>,
    pub duration_minutes: Option<u32>,
    pub goal_id: Option<String>,
    pub step_id: Option<String>,
    pub barriers: Option<String>,
    pub supports: Option<String>,
    pub agreed_by: Vec<Party>,
    pub reminder: bool,
    pub start: NaiveDate,
    /// Last day of the plan, inclusive.
    pub end: Option<NaiveDate>,
}

/// How one occurrence of a plan went. There is at most one per occurrence (plan, date, time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub plan_id: String,
    pub date: NaiveDate,
    /// The planned time of day this check-in answers; `None` for a plan with no set time.
    pub time: Option<NaiveTime>,
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
    pub reason_text: Option<String>,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// A periodic look at how a goal (or the journey as a whole) is going.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub id: String,
    pub date: NaiveDate,
    /// The goal reviewed; `None` for the journey as a whole.
    pub goal_id: Option<String>,
    /// 0–10.
    pub motivation: u8,
    /// 0–10.
    pub confidence: u8,
    /// 0–10.
    pub progress: u8,
    /// Goal attainment, −2 … +2.
    pub attainment: Option<i8>,
    pub note: Option<String>,
}

/// A whole journey (without its check-ins, which live in period documents).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journey {
    /// The journey document's id.
    pub id: String,
    /// The person whose journey this is.
    pub owner: String,
    /// IANA time zone the person's plans are scheduled in.
    pub time_zone: String,
    pub values: Vec<Value>,
    pub strengths: Vec<Strength>,
    pub supports: Vec<Support>,
    /// Oldest first; the last one is the current vision.
    pub visions: Vec<Vision>,
    pub goals: Vec<Goal>,
    pub plans: Vec<ActionPlan>,
    /// Oldest first.
    pub reviews: Vec<Review>,
}

impl ActionPlan {
    /// The schedule that applies on `date`.
    pub fn schedule_on(&self, date: NaiveDate) -> &Schedule {
        self.earlier_schedules
            .iter()
            .find(|e| date <= e.until)
            .map_or(&self.schedule, |e| &e.schedule)
    }
}

impl Journey {
    pub fn goal(&self, id: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    pub fn plan(&self, id: &str) -> Option<&ActionPlan> {
        self.plans.iter().find(|p| p.id == id)
    }

    pub fn current_vision(&self) -> Option<&Vision> {
        self.visions.last()
    }
}

// ----- inputs: what a person gives when adding or changing something -----

/// A value to add or the new state of one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueInput {
    pub text: String,
    pub life_area: LifeArea,
    pub importance: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrengthInput {
    pub text: String,
    pub example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportInput {
    pub name: String,
    pub kind: SupportKind,
    pub note: Option<String>,
}

/// A goal to add or the new state of one (steps are edited on their own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalInput {
    pub text: String,
    pub value_ids: Vec<String>,
    pub framing: Framing,
    pub proposed_by: ProposedBy,
    pub target_date: Option<NaiveDate>,
    pub importance: u8,
    pub confidence: u8,
    pub attainment_levels: Vec<AttainmentLevel>,
}

/// An action plan to add or the new state of one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanInput {
    pub what: String,
    pub place: Option<String>,
    pub schedule: Schedule,
    pub duration_minutes: Option<u32>,
    pub goal_id: Option<String>,
    pub step_id: Option<String>,
    pub barriers: Option<String>,
    pub supports: Option<String>,
    pub agreed_by: Vec<Party>,
    pub reminder: bool,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// A check-in on one occurrence of a plan (or on an unplanned day).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInInput {
    pub plan_id: String,
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
    pub reason_text: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewInput {
    pub date: NaiveDate,
    pub goal_id: Option<String>,
    pub motivation: u8,
    pub confidence: u8,
    pub progress: u8,
    pub attainment: Option<i8>,
    pub note: Option<String>,
}

impl From<&Goal> for GoalInput {
    /// The input that recreates the goal as it stands (to change one field of it).
    fn from(goal: &Goal) -> Self {
        GoalInput {
            text: goal.text.clone(),
            value_ids: goal.value_ids.clone(),
            framing: goal.framing,
            proposed_by: goal.proposed_by,
            target_date: goal.target_date,
            importance: goal.importance,
            confidence: goal.confidence,
            attainment_levels: goal.attainment_levels.clone(),
        }
    }
}

impl From<&ActionPlan> for PlanInput {
    /// The input that recreates the plan as it stands (to change one field of it).
    fn from(plan: &ActionPlan) -> Self {
        PlanInput {
            what: plan.what.clone(),
            place: plan.place.clone(),
            schedule: plan.schedule.clone(),
            duration_minutes: plan.duration_minutes,
            goal_id: plan.goal_id.clone(),
            step_id: plan.step_id.clone(),
            barriers: plan.barriers.clone(),
            supports: plan.supports.clone(),
            agreed_by: plan.agreed_by.clone(),
            reminder: plan.reminder,
            start: plan.start,
            end: plan.end,
        }
    }
}
