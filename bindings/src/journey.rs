//! The journey through the four stages, as records and enums for the apps: what a person has
//! (values, strengths, supports, visions, goals with steps, action plans, check-ins, reviews).
//! What they give to add or change it is in `input.rs`.
//!
//! Ratings and attainment levels are `i32` (plain `Int` in Kotlin, not an unsigned byte);
//! values out of range are refused with `InvalidInput`.

use tandem_core::journey as core;

use crate::convert::{self, date_text, time_text};

/// Exposes one of the core's word enums (declared once, with `tandem_protocol::word_enum!`) to
/// the apps under `$name`: uniffi's form for a type of another crate. The variants are listed
/// again because uniffi reads them here, and the compiler checks them against the core's (a
/// variant missing or added on either side does not compile); the type is the core's own, so
/// nothing converts.
macro_rules! ffi_enum {
    (
        $(#[$meta:meta])*
        $name:ident = $core:path {
            $($(#[$vmeta:meta])* $variant:ident),+ $(,)?
        }
    ) => {
        pub type $name = $core;

        $(#[$meta])*
        #[uniffi::remote(Enum)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }
    };
}
pub(crate) use ffi_enum;

ffi_enum!(
    /// The part of life a value belongs to.
    LifeArea = core::LifeArea {
        Relationships,
        Family,
        Work,
        Learning,
        Health,
        Leisure,
        Community,
        Spirituality,
        Home,
        Other,
    }
);

ffi_enum!(
    /// What kind of support or resource helps.
    SupportKind = core::SupportKind { Person, Service, Resource }
);

ffi_enum!(
    /// Whether a goal moves toward something wanted (approach) or away from something
    /// unwanted (avoidance). Approach goals are encouraged where possible.
    Framing = core::Framing { Approach, Avoidance }
);

ffi_enum!(
    /// Who proposed a goal: the person, the one supporting them, or both together.
    ProposedBy = core::ProposedBy { Myself, Supporter, Together }
);

ffi_enum!(
    /// Where a goal stands.
    GoalStatus = core::GoalStatus {
        Active,
        Paused,
        Completed,
        /// The person decided to let it go.
        LetGo,
    }
);

ffi_enum!(
    /// Who agreed to an action plan: the person, their supporter (practitioner or coach).
    Party = core::Party { Myself, Supporter }
);

ffi_enum!(
    /// How a planned occurrence went.
    Outcome = core::Outcome { Done, Partly, NotDone }
);

ffi_enum!(
    /// Why something was not (fully) done. `Other` goes with `reason_text`.
    Reason = core::Reason {
        Forgot,
        NoTime,
        TooTired,
        Unwell,
        LowMood,
        Anxious,
        LowMotivation,
        SomethingCameUp,
        PlanDidNotFit,
        Other,
    }
);

ffi_enum!(
    /// A day of the week.
    Weekday = chrono::Weekday { Mon, Tue, Wed, Thu, Fri, Sat, Sun }
);

/// Something that matters to the person, in their own words.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Value {
    pub id: String,
    pub text: String,
    pub life_area: LifeArea,
    /// 0–10.
    pub importance: i32,
}

/// Something the person is good at, with an example of it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Strength {
    pub id: String,
    pub text: String,
    pub example: Option<String>,
}

/// A person, service or resource that helps.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Support {
    pub id: String,
    pub name: String,
    pub kind: SupportKind,
    /// How it helps, or how to reach it.
    pub note: Option<String>,
}

/// A statement of the life the person is heading for. Earlier visions are kept.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Vision {
    pub id: String,
    pub text: String,
    /// `YYYY-MM-DD`.
    pub written_on: String,
}

/// A milestone on the way to a goal.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Step {
    pub id: String,
    pub text: String,
    pub done: bool,
}

/// One level of a goal-attainment scale: what −2, −1, 0, +1 or +2 would look like.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AttainmentLevel {
    /// −2 … +2.
    pub level: i32,
    pub description: String,
}

/// A goal in the person's own words.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Goal {
    pub id: String,
    pub text: String,
    /// Ids of the values this goal serves.
    pub value_ids: Vec<String>,
    pub framing: Framing,
    pub proposed_by: ProposedBy,
    /// `YYYY-MM-DD`.
    pub target_date: Option<String>,
    /// 0–10.
    pub importance: i32,
    /// 0–10.
    pub confidence: i32,
    /// Optional goal-attainment scale.
    pub attainment_levels: Vec<AttainmentLevel>,
    pub status: GoalStatus,
    /// In the person's chosen order.
    pub steps: Vec<Step>,
}

/// How often an action plan repeats.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum Repeat {
    /// On these days of each week.
    Weekly { days: Vec<Weekday> },
    /// Every `n` days (1–366), counted from the plan's start.
    EveryNDays { n: u32 },
}

/// When an action plan happens.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Schedule {
    pub repeat: Repeat,
    /// Times of day, `HH:MM`, in the person's time zone. Empty: once, at any time of the day.
    #[uniffi(default)]
    pub times: Vec<String>,
}

/// A schedule a plan followed before it was changed.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EarlierSchedule {
    /// The last day this schedule applied, `YYYY-MM-DD`.
    pub until: String,
    pub schedule: Schedule,
}

/// A concrete task toward a goal: what, where, when, how often, for how long.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ActionPlan {
    pub id: String,
    pub what: String,
    pub place: Option<String>,
    /// The schedule from now on (and on every day no earlier schedule covers).
    pub schedule: Schedule,
    /// Schedules the plan followed before it was changed, oldest first: past days keep the
    /// occurrences they had.
    pub earlier_schedules: Vec<EarlierSchedule>,
    pub duration_minutes: Option<u32>,
    pub goal_id: Option<String>,
    pub step_id: Option<String>,
    pub barriers: Option<String>,
    pub supports: Option<String>,
    pub agreed_by: Vec<Party>,
    /// Whether the person wants reminders for it.
    pub reminder: bool,
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day (inclusive), `YYYY-MM-DD`.
    pub end: Option<String>,
}

/// How one occurrence of a plan went. There is at most one per occurrence (plan, date, time).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckIn {
    pub plan_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The planned time (`HH:MM`) this check-in answers; none for a plan with no set time.
    pub time: Option<String>,
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
    pub reason_text: Option<String>,
    pub note: Option<String>,
    pub recorded_at: std::time::SystemTime,
}

/// A periodic look at how a goal (or the journey as a whole) is going.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Review {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The goal reviewed; none for the journey as a whole.
    pub goal_id: Option<String>,
    /// 0–10.
    pub motivation: i32,
    /// 0–10.
    pub confidence: i32,
    /// 0–10.
    pub progress: i32,
    /// Goal attainment, −2 … +2.
    pub attainment: Option<i32>,
    pub note: Option<String>,
}

/// A whole journey (check-ins are read by date range with `check_ins`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
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

// ----- from the core -----

impl From<core::Value> for Value {
    fn from(v: core::Value) -> Self {
        Value {
            id: v.id,
            text: v.text,
            life_area: v.life_area,
            importance: v.importance.into(),
        }
    }
}

impl From<core::Strength> for Strength {
    fn from(s: core::Strength) -> Self {
        Strength {
            id: s.id,
            text: s.text,
            example: s.example,
        }
    }
}

impl From<core::Support> for Support {
    fn from(s: core::Support) -> Self {
        Support {
            id: s.id,
            name: s.name,
            kind: s.kind,
            note: s.note,
        }
    }
}

impl From<core::Vision> for Vision {
    fn from(v: core::Vision) -> Self {
        Vision {
            id: v.id,
            text: v.text,
            written_on: date_text(v.written_on),
        }
    }
}

impl From<core::Step> for Step {
    fn from(s: core::Step) -> Self {
        Step {
            id: s.id,
            text: s.text,
            done: s.done,
        }
    }
}

impl From<core::AttainmentLevel> for AttainmentLevel {
    fn from(a: core::AttainmentLevel) -> Self {
        AttainmentLevel {
            level: a.level.into(),
            description: a.description,
        }
    }
}

impl From<core::Goal> for Goal {
    fn from(g: core::Goal) -> Self {
        Goal {
            id: g.id,
            text: g.text,
            value_ids: g.value_ids,
            framing: g.framing,
            proposed_by: g.proposed_by,
            target_date: g.target_date.map(date_text),
            importance: g.importance.into(),
            confidence: g.confidence.into(),
            attainment_levels: into_all(g.attainment_levels),
            status: g.status,
            steps: into_all(g.steps),
        }
    }
}

impl From<core::Repeat> for Repeat {
    fn from(r: core::Repeat) -> Self {
        match r {
            core::Repeat::Weekly { days } => Repeat::Weekly {
                days: into_all(days),
            },
            core::Repeat::EveryNDays { n } => Repeat::EveryNDays { n },
        }
    }
}

impl From<core::Schedule> for Schedule {
    fn from(s: core::Schedule) -> Self {
        Schedule {
            repeat: s.repeat.into(),
            times: s.times.into_iter().map(time_text).collect(),
        }
    }
}

impl From<core::EarlierSchedule> for EarlierSchedule {
    fn from(e: core::EarlierSchedule) -> Self {
        EarlierSchedule {
            until: date_text(e.until),
            schedule: e.schedule.into(),
        }
    }
}

impl From<core::ActionPlan> for ActionPlan {
    fn from(p: core::ActionPlan) -> Self {
        ActionPlan {
            id: p.id,
            what: p.what,
            place: p.place,
            schedule: p.schedule.into(),
            earlier_schedules: into_all(p.earlier_schedules),
            duration_minutes: p.duration_minutes,
            goal_id: p.goal_id,
            step_id: p.step_id,
            barriers: p.barriers,
            supports: p.supports,
            agreed_by: into_all(p.agreed_by),
            reminder: p.reminder,
            start: date_text(p.start),
            end: p.end.map(date_text),
        }
    }
}

impl From<core::CheckIn> for CheckIn {
    fn from(c: core::CheckIn) -> Self {
        CheckIn {
            plan_id: c.plan_id,
            date: date_text(c.date),
            time: c.time.map(time_text),
            outcome: c.outcome,
            reasons: into_all(c.reasons),
            reason_text: c.reason_text,
            note: c.note,
            recorded_at: convert::system_time(c.recorded_at),
        }
    }
}

impl From<core::Review> for Review {
    fn from(r: core::Review) -> Self {
        Review {
            id: r.id,
            date: date_text(r.date),
            goal_id: r.goal_id,
            motivation: r.motivation.into(),
            confidence: r.confidence.into(),
            progress: r.progress.into(),
            attainment: r.attainment.map(i32::from),
            note: r.note,
        }
    }
}

impl From<core::Journey> for Journey {
    fn from(j: core::Journey) -> Self {
        Journey {
            id: j.id,
            owner: j.owner,
            time_zone: j.time_zone,
            values: into_all(j.values),
            strengths: into_all(j.strengths),
            supports: into_all(j.supports),
            visions: into_all(j.visions),
            goals: into_all(j.goals),
            plans: into_all(j.plans),
            reviews: into_all(j.reviews),
        }
    }
}

/// Converts every item of a list.
pub(crate) fn into_all<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(U::from).collect()
}
