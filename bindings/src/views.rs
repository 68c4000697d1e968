//! What a person looks at: today's list, reminders to schedule, insights.

use std::time::SystemTime;

use tandem_core::journey::{insights as core_insights, schedule as core_schedule};

use crate::convert::{date_text, system_time, time_text};
use crate::journey::{ffi_enum, into_all, CheckIn, Reason};

ffi_enum!(
    /// Where one of today's occurrences stands.
    OccurrenceStatus = core_schedule::OccurrenceStatus {
        Done,
        Partly,
        NotDone,
        /// Not answered yet, and its time has not passed.
        Due,
        /// Not answered, and its time has passed.
        Missed,
    }
);

ffi_enum!(
    /// A rating given in reviews.
    Metric = core_insights::Metric {
        Motivation,
        Confidence,
        Progress,
        /// Goal attainment, −2 … +2.
        Attainment,
    }
);

/// One planned occurrence of an action plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Occurrence {
    pub plan_id: String,
    /// The local date in the person's time zone, `YYYY-MM-DD`.
    pub date: String,
    /// The planned local time of day, `HH:MM`; none for a plan with no set time.
    pub time: Option<String>,
    /// The instant it starts; none when `time` is none.
    pub starts_at: Option<SystemTime>,
}

/// One line of today's list.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TodayItem {
    pub occurrence: Occurrence,
    /// The plan's `what`.
    pub what: String,
    pub status: OccurrenceStatus,
    /// The check-in answering this occurrence, if any.
    pub check_in: Option<CheckIn>,
}

/// A local notification to schedule on the phone.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Reminder {
    pub plan_id: String,
    /// The plan's `what`.
    pub what: String,
    /// The occurrence's local date, `YYYY-MM-DD`.
    pub date: String,
    /// The occurrence's planned time, `HH:MM`; none for a plan with no set time.
    pub time: Option<String>,
    /// When to remind: the occurrence's start, or 09:00 local for a plan with no set time.
    pub at: SystemTime,
}

/// How the planned occurrences of a plan, a goal or a week went.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Completion {
    pub planned: u32,
    pub done: u32,
    pub partly: u32,
    pub not_done: u32,
    /// Planned occurrences with no check-in.
    pub unanswered: u32,
    /// (done + ½ × partly) / planned; none when nothing was planned.
    pub rate: Option<f64>,
}

/// How one action plan went over the range.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlanInsight {
    pub plan_id: String,
    pub what: String,
    pub completion: Completion,
    /// Check-ins on a day or time the plan did not plan.
    pub unplanned: u32,
    /// Planned occurrences done or partly done in a row, up to the latest one counted.
    pub current_streak: u32,
    /// The longest such run in the range.
    pub longest_streak: u32,
}

/// How the plans of one goal went over the range.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GoalInsight {
    pub goal_id: String,
    pub text: String,
    pub completion: Completion,
}

/// How one week of the range went, over all plans.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WeekInsight {
    /// The Monday the week starts on, `YYYY-MM-DD` (the range may cut the week).
    pub week_start: String,
    pub completion: Completion,
}

/// How often a reason was given.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReasonCount {
    pub reason: Reason,
    pub count: u32,
}

/// One rating on one review date.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TrendPoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub value: f64,
}

/// How one rating moved over the reviews of one goal (or of the journey as a whole).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RatingTrend {
    /// None for reviews of the journey as a whole.
    pub goal_id: Option<String>,
    pub metric: Metric,
    /// Oldest first; at least one.
    pub points: Vec<TrendPoint>,
    pub first: f64,
    pub last: f64,
    /// `last - first`.
    pub change: f64,
}

/// How a journey went over a range of dates: completion, streaks, reasons and rating trends.
///
/// Only occurrences that are not in the future count as planned (today's once answered);
/// check-ins on days or times a plan did not plan count as unplanned, never in the rate.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Insights {
    /// Plans active at some point in the range (or checked in on in it), in the journey's order.
    pub per_plan: Vec<PlanInsight>,
    /// Every goal of the journey, in its order, summing the plans linked to it.
    pub per_goal: Vec<GoalInsight>,
    /// The weeks (Monday first) of the range with at least one planned occurrence, oldest first.
    pub per_week: Vec<WeekInsight>,
    /// Reasons given on partly and not-done check-ins, most frequent first.
    pub reasons: Vec<ReasonCount>,
    /// How many of those check-ins carry a reason in the person's own words.
    pub other_texts: u32,
    /// Review ratings over the range: the journey as a whole first, then by goal.
    pub trends: Vec<RatingTrend>,
}

impl From<core_schedule::Occurrence> for Occurrence {
    fn from(o: core_schedule::Occurrence) -> Self {
        Occurrence {
            plan_id: o.plan_id,
            date: date_text(o.date),
            time: o.time.map(time_text),
            starts_at: o.starts_at.map(system_time),
        }
    }
}

impl From<core_schedule::TodayItem> for TodayItem {
    fn from(t: core_schedule::TodayItem) -> Self {
        TodayItem {
            occurrence: t.occurrence.into(),
            what: t.what,
            status: t.status,
            check_in: t.check_in.map(CheckIn::from),
        }
    }
}

impl From<core_schedule::Reminder> for Reminder {
    fn from(r: core_schedule::Reminder) -> Self {
        Reminder {
            plan_id: r.plan_id,
            what: r.what,
            date: date_text(r.date),
            time: r.time.map(time_text),
            at: system_time(r.at),
        }
    }
}

impl From<core_insights::Completion> for Completion {
    fn from(c: core_insights::Completion) -> Self {
        Completion {
            planned: c.planned,
            done: c.done,
            partly: c.partly,
            not_done: c.not_done,
            unanswered: c.unanswered,
            rate: c.rate,
        }
    }
}

impl From<core_insights::PlanInsight> for PlanInsight {
    fn from(p: core_insights::PlanInsight) -> Self {
        PlanInsight {
            plan_id: p.plan_id,
            what: p.what,
            completion: p.completion.into(),
            unplanned: p.unplanned,
            current_streak: p.current_streak,
            longest_streak: p.longest_streak,
        }
    }
}

impl From<core_insights::GoalInsight> for GoalInsight {
    fn from(g: core_insights::GoalInsight) -> Self {
        GoalInsight {
            goal_id: g.goal_id,
            text: g.text,
            completion: g.completion.into(),
        }
    }
}

impl From<core_insights::WeekInsight> for WeekInsight {
    fn from(w: core_insights::WeekInsight) -> Self {
        WeekInsight {
            week_start: date_text(w.week_start),
            completion: w.completion.into(),
        }
    }
}

impl From<core_insights::ReasonCount> for ReasonCount {
    fn from(r: core_insights::ReasonCount) -> Self {
        ReasonCount {
            reason: r.reason,
            count: r.count,
        }
    }
}

impl From<core_insights::TrendPoint> for TrendPoint {
    fn from(p: core_insights::TrendPoint) -> Self {
        TrendPoint {
            date: date_text(p.date),
            value: p.value,
        }
    }
}

impl From<core_insights::RatingTrend> for RatingTrend {
    fn from(t: core_insights::RatingTrend) -> Self {
        RatingTrend {
            goal_id: t.goal_id,
            metric: t.metric,
            points: into_all(t.points),
            first: t.first,
            last: t.last,
            change: t.change,
        }
    }
}

impl From<core_insights::Insights> for Insights {
    fn from(i: core_insights::Insights) -> Self {
        Insights {
            per_plan: into_all(i.per_plan),
            per_goal: into_all(i.per_goal),
            per_week: into_all(i.per_week),
            reasons: into_all(i.reasons),
            other_texts: i.other_texts,
            trends: into_all(i.trends),
        }
    }
}
