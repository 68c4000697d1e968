//! What a person gives to add or change part of their journey, or to coaching, reflections,
//! alliance and wellbeing (the `...Input` records and the sharing choices), and
//! their conversion to the core's, which refuses what does not convert (a date that does not
//! parse, a rating outside its type) with `InvalidInput` naming the field.

use tandem_core::coaching;
use tandem_core::journey as core;

use crate::convert;
use crate::error::TandemError;
use crate::journey::{
    into_all, AttainmentLevel, Framing, LifeArea, Outcome, Party, ProposedBy, Reason, Repeat,
    Schedule, SupportKind,
};
use crate::relationship::Direction;

/// A value to add, or the new state of one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ValueInput {
    pub text: String,
    pub life_area: LifeArea,
    /// 0–10.
    pub importance: i32,
}

/// A strength to add, or the new state of one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct StrengthInput {
    pub text: String,
    #[uniffi(default)]
    pub example: Option<String>,
}

/// A support to add, or the new state of one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SupportInput {
    pub name: String,
    pub kind: SupportKind,
    #[uniffi(default)]
    pub note: Option<String>,
}

/// A goal to add, or the new state of one (steps are edited on their own).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GoalInput {
    pub text: String,
    /// Ids of the values it serves.
    #[uniffi(default)]
    pub value_ids: Vec<String>,
    pub framing: Framing,
    pub proposed_by: ProposedBy,
    /// `YYYY-MM-DD`.
    #[uniffi(default)]
    pub target_date: Option<String>,
    /// 0–10.
    pub importance: i32,
    /// 0–10.
    pub confidence: i32,
    #[uniffi(default)]
    pub attainment_levels: Vec<AttainmentLevel>,
}

/// An action plan to add, or the new state of one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanInput {
    pub what: String,
    pub schedule: Schedule,
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    #[uniffi(default)]
    pub place: Option<String>,
    /// 1–1440.
    #[uniffi(default)]
    pub duration_minutes: Option<u32>,
    #[uniffi(default)]
    pub goal_id: Option<String>,
    /// A step of `goal_id`.
    #[uniffi(default)]
    pub step_id: Option<String>,
    #[uniffi(default)]
    pub barriers: Option<String>,
    #[uniffi(default)]
    pub supports: Option<String>,
    #[uniffi(default)]
    pub agreed_by: Vec<Party>,
    #[uniffi(default = false)]
    pub reminder: bool,
    /// Last day (inclusive), `YYYY-MM-DD`.
    #[uniffi(default)]
    pub end: Option<String>,
}

/// A check-in on one occurrence of a plan (or on a day the plan did not plan).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckInInput {
    pub plan_id: String,
    /// `YYYY-MM-DD`; not in the future.
    pub date: String,
    pub outcome: Outcome,
    /// The planned time (`HH:MM`) answered; may be left out when the plan happens once that day.
    #[uniffi(default)]
    pub time: Option<String>,
    #[uniffi(default)]
    pub reasons: Vec<Reason>,
    /// The reason in the person's own words.
    #[uniffi(default)]
    pub reason_text: Option<String>,
    #[uniffi(default)]
    pub note: Option<String>,
}

/// A review to add.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReviewInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 0–10.
    pub motivation: i32,
    /// 0–10.
    pub confidence: i32,
    /// 0–10.
    pub progress: i32,
    /// The goal reviewed; none for the journey as a whole.
    #[uniffi(default)]
    pub goal_id: Option<String>,
    /// Goal attainment, −2 … +2.
    #[uniffi(default)]
    pub attainment: Option<i32>,
    #[uniffi(default)]
    pub note: Option<String>,
}

impl TryFrom<ValueInput> for core::ValueInput {
    type Error = TandemError;
    fn try_from(v: ValueInput) -> Result<Self, TandemError> {
        Ok(core::ValueInput {
            text: v.text,
            life_area: v.life_area,
            importance: convert::rating("importance", v.importance)?,
        })
    }
}

impl From<StrengthInput> for core::StrengthInput {
    fn from(s: StrengthInput) -> Self {
        core::StrengthInput {
            text: s.text,
            example: s.example,
        }
    }
}

impl From<SupportInput> for core::SupportInput {
    fn from(s: SupportInput) -> Self {
        core::SupportInput {
            name: s.name,
            kind: s.kind,
            note: s.note,
        }
    }
}

impl TryFrom<GoalInput> for core::GoalInput {
    type Error = TandemError;
    fn try_from(g: GoalInput) -> Result<Self, TandemError> {
        let attainment_levels = g
            .attainment_levels
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                Ok(core::AttainmentLevel {
                    level: convert::attainment(&format!("attainment_levels[{i}].level"), a.level)?,
                    description: a.description,
                })
            })
            .collect::<Result<_, TandemError>>()?;
        Ok(core::GoalInput {
            text: g.text,
            value_ids: g.value_ids,
            framing: g.framing,
            proposed_by: g.proposed_by,
            target_date: convert::optional_date("target_date", g.target_date.as_deref())?,
            importance: convert::rating("importance", g.importance)?,
            confidence: convert::rating("confidence", g.confidence)?,
            attainment_levels,
        })
    }
}

impl TryFrom<Schedule> for core::Schedule {
    type Error = TandemError;
    fn try_from(s: Schedule) -> Result<Self, TandemError> {
        let repeat = match s.repeat {
            Repeat::Weekly { days } => core::Repeat::Weekly {
                days: into_all(days),
            },
            Repeat::EveryNDays { n } => core::Repeat::EveryNDays { n },
        };
        let times = s
            .times
            .iter()
            .map(|t| convert::time("schedule.times", t))
            .collect::<Result<_, _>>()?;
        Ok(core::Schedule { repeat, times })
    }
}

impl TryFrom<PlanInput> for core::PlanInput {
    type Error = TandemError;
    fn try_from(p: PlanInput) -> Result<Self, TandemError> {
        Ok(core::PlanInput {
            what: p.what,
            place: p.place,
            schedule: p.schedule.try_into()?,
            duration_minutes: p.duration_minutes,
            goal_id: p.goal_id,
            step_id: p.step_id,
            barriers: p.barriers,
            supports: p.supports,
            agreed_by: into_all(p.agreed_by),
            reminder: p.reminder,
            start: convert::date("start", &p.start)?,
            end: convert::optional_date("end", p.end.as_deref())?,
        })
    }
}

impl TryFrom<CheckInInput> for core::CheckInInput {
    type Error = TandemError;
    fn try_from(c: CheckInInput) -> Result<Self, TandemError> {
        Ok(core::CheckInInput {
            plan_id: c.plan_id,
            date: convert::date("date", &c.date)?,
            time: convert::optional_time("time", c.time.as_deref())?,
            outcome: c.outcome,
            reasons: into_all(c.reasons),
            reason_text: c.reason_text,
            note: c.note,
        })
    }
}

impl TryFrom<ReviewInput> for core::ReviewInput {
    type Error = TandemError;
    fn try_from(r: ReviewInput) -> Result<Self, TandemError> {
        Ok(core::ReviewInput {
            date: convert::date("date", &r.date)?,
            goal_id: r.goal_id,
            motivation: convert::rating("motivation", r.motivation)?,
            confidence: convert::rating("confidence", r.confidence)?,
            progress: convert::rating("progress", r.progress)?,
            attainment: convert::optional_attainment("attainment", r.attainment)?,
            note: r.note,
        })
    }
}

// ----- coaching, reflections, alliance, wellbeing -----

/// A case to bring to skills-acquisition coaching.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CaseReviewInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The client's code from `client_code` (like `C-7K2M9QXA`); never a name.
    pub client_code: String,
    /// What the practitioner wants to look at.
    pub question: String,
    #[uniffi(default)]
    pub notes: Option<String>,
}

/// A reflection to add, or the new state of one.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReflectionInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub what_happened: String,
    pub my_reaction: String,
    /// The pattern noticed.
    #[uniffi(default)]
    pub pattern: Option<String>,
    #[uniffi(default)]
    pub direction: Option<Direction>,
    /// The person's own action plans the pattern shows up in.
    #[uniffi(default)]
    pub plan_ids: Vec<String>,
    /// The clients (by code, from `client_code`) the pattern shows up in.
    #[uniffi(default)]
    pub client_codes: Vec<String>,
}

/// An alliance check-in to answer (see `measure_wording` for the items' words).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AllianceInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// "We agree on what we are working toward." 0–10.
    pub goals: i32,
    /// "We agree on how we are working on it." 0–10.
    pub tasks: i32,
    /// "I feel respected and understood." 0–10.
    pub bond: i32,
    /// "Something felt off today."
    #[uniffi(default = false)]
    pub felt_off: bool,
    #[uniffi(default)]
    pub repair_note: Option<String>,
}

/// A wellbeing entry: any of WHO-5, stress and burnout (at least one).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WellbeingInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// All five WHO-5 answers, 0–5 each, in the order of `measure_wording().who5_items`.
    #[uniffi(default)]
    pub who5: Option<Vec<i32>>,
    /// 0–10.
    #[uniffi(default)]
    pub stress: Option<i32>,
    /// 0–10.
    #[uniffi(default)]
    pub burnout: Option<i32>,
}

/// Which measures of a wellbeing entry to share (each by opt-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct WellbeingMeasures {
    #[uniffi(default = false)]
    pub who5: bool,
    #[uniffi(default = false)]
    pub stress: bool,
    #[uniffi(default = false)]
    pub burnout: bool,
}

/// What a practitioner chooses when sharing a summary of their parallel view.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SummaryChoices {
    /// Share the weekly wellbeing means too.
    #[uniffi(default = false)]
    pub include_wellbeing: bool,
    /// A note for the coach.
    #[uniffi(default)]
    pub note: Option<String>,
    /// The note may go into research exports.
    #[uniffi(default = false)]
    pub note_for_research: bool,
}

impl TryFrom<CaseReviewInput> for coaching::CaseReviewInput {
    type Error = TandemError;
    fn try_from(c: CaseReviewInput) -> Result<Self, TandemError> {
        Ok(coaching::CaseReviewInput {
            date: convert::date("date", &c.date)?,
            client_code: c.client_code,
            question: c.question,
            notes: c.notes,
        })
    }
}

impl TryFrom<ReflectionInput> for coaching::ReflectionInput {
    type Error = TandemError;
    fn try_from(r: ReflectionInput) -> Result<Self, TandemError> {
        Ok(coaching::ReflectionInput {
            date: convert::date("date", &r.date)?,
            what_happened: r.what_happened,
            my_reaction: r.my_reaction,
            pattern: r.pattern,
            direction: r.direction,
            plan_ids: r.plan_ids,
            client_codes: r.client_codes,
        })
    }
}

impl TryFrom<AllianceInput> for coaching::AllianceInput {
    type Error = TandemError;
    fn try_from(a: AllianceInput) -> Result<Self, TandemError> {
        Ok(coaching::AllianceInput {
            date: convert::date("date", &a.date)?,
            goals: convert::rating("goals", a.goals)?,
            tasks: convert::rating("tasks", a.tasks)?,
            bond: convert::rating("bond", a.bond)?,
            felt_off: a.felt_off,
            repair_note: a.repair_note,
        })
    }
}

impl TryFrom<WellbeingInput> for coaching::WellbeingInput {
    type Error = TandemError;
    fn try_from(w: WellbeingInput) -> Result<Self, TandemError> {
        Ok(coaching::WellbeingInput {
            date: convert::date("date", &w.date)?,
            who5: w.who5.as_deref().map(convert::who5).transpose()?,
            stress: w.stress.map(|s| convert::rating("stress", s)).transpose()?,
            burnout: w
                .burnout
                .map(|b| convert::rating("burnout", b))
                .transpose()?,
        })
    }
}

impl From<WellbeingMeasures> for coaching::WellbeingMeasures {
    fn from(m: WellbeingMeasures) -> Self {
        coaching::WellbeingMeasures {
            who5: m.who5,
            stress: m.stress,
            burnout: m.burnout,
        }
    }
}

impl From<SummaryChoices> for tandem_core::parallel::SummaryChoices {
    fn from(c: SummaryChoices) -> Self {
        tandem_core::parallel::SummaryChoices {
            include_wellbeing: c.include_wellbeing,
            note: c.note,
            note_for_research: c.note_for_research,
        }
    }
}
