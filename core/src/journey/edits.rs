//! The edits a person makes to their journey, each checked, then written as one durable change.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use samod::DocumentId;

use crate::document::check_ins::{
    is_recent, new_period_doc, period_doc_id, period_of, put_check_in,
};
use crate::document::journey::{self as jdoc, Record, VisionInput};
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::journey::schedule;
use crate::journey::validate::MAX_SHORT_TEXT;
use crate::journey::*;
use crate::Store;

impl Store {
    /// The person's own journey (check-ins are read by date range with [`Store::check_ins`]).
    pub fn journey(&self) -> Result<Journey> {
        self.journey_doc(&self.journey_id)
    }

    pub(crate) fn journey_doc(&self, id: &DocumentId) -> Result<Journey> {
        self.read_doc(id, DocKind::Journey, true, |doc| {
            jdoc::read_journey(doc, id)
        })?
        .ok_or_else(|| Error::not_found("journey", id.to_string()))
    }

    fn edit_journey<R>(
        &self,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        self.edit_journey_doc(&self.journey_id, f)
    }

    pub(crate) fn edit_journey_doc<R>(
        &self,
        id: &DocumentId,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        self.edit_doc(id, DocKind::Journey, None, f)
    }

    /// Changes the time zone plans are scheduled in (IANA name, e.g. "Europe/London").
    pub fn set_time_zone(&self, time_zone: &str) -> Result<()> {
        schedule::parse_time_zone(time_zone)?;
        self.edit_journey(|tx| jdoc::set_time_zone(tx, time_zone))
    }

    fn add<R: Record>(&self, input: &R::Input) -> Result<String> {
        self.edit_journey(|tx| jdoc::add_record::<R, _>(tx, input, self.now()))
    }

    fn update<R: Record>(&self, id: &str, input: &R::Input) -> Result<()> {
        self.edit_journey(|tx| jdoc::update_record::<R, _>(tx, id, input))
    }

    /// Adds a value; returns its id.
    pub fn add_value(&self, input: &ValueInput) -> Result<String> {
        input.validate()?;
        self.add::<Value>(input)
    }

    pub fn update_value(&self, id: &str, input: &ValueInput) -> Result<()> {
        input.validate()?;
        self.update::<Value>(id, input)
    }

    /// Removes a value, and its links from goals.
    pub fn remove_value(&self, id: &str) -> Result<()> {
        let goals = self.journey()?.goals;
        self.edit_journey(|tx| {
            jdoc::remove_record::<Value, _>(tx, id)?;
            for goal in goals.iter().filter(|g| g.value_ids.iter().any(|v| v == id)) {
                let mut input = GoalInput::from(goal);
                input.value_ids.retain(|v| v != id);
                jdoc::update_record::<Goal, _>(tx, &goal.id, &input)?;
            }
            Ok(())
        })
    }

    pub fn add_strength(&self, input: &StrengthInput) -> Result<String> {
        input.validate()?;
        self.add::<Strength>(input)
    }

    pub fn update_strength(&self, id: &str, input: &StrengthInput) -> Result<()> {
        input.validate()?;
        self.update::<Strength>(id, input)
    }

    pub fn remove_strength(&self, id: &str) -> Result<()> {
        self.edit_journey(|tx| jdoc::remove_record::<Strength, _>(tx, id))
    }

    pub fn add_support(&self, input: &SupportInput) -> Result<String> {
        input.validate()?;
        self.add::<Support>(input)
    }

    pub fn update_support(&self, id: &str, input: &SupportInput) -> Result<()> {
        input.validate()?;
        self.update::<Support>(id, input)
    }

    pub fn remove_support(&self, id: &str) -> Result<()> {
        self.edit_journey(|tx| jdoc::remove_record::<Support, _>(tx, id))
    }

    /// Writes a new vision dated `written_on`; earlier visions are kept.
    pub fn set_vision(&self, text: &str, written_on: NaiveDate) -> Result<String> {
        check_text("text", text, MAX_TEXT)?;
        self.add::<Vision>(&VisionInput {
            text: text.to_string(),
            written_on,
        })
    }

    fn check_value_ids(journey: &Journey, value_ids: &[String]) -> Result<()> {
        match value_ids
            .iter()
            .find(|v| !journey.values.iter().any(|val| &&val.id == v))
        {
            Some(missing) => Err(Error::not_found("value", missing.clone())),
            None => Ok(()),
        }
    }

    /// Adds a goal (active, without steps); returns its id.
    pub fn add_goal(&self, input: &GoalInput) -> Result<String> {
        input.validate()?;
        Self::check_value_ids(&self.journey()?, &input.value_ids)?;
        self.add::<Goal>(input)
    }

    pub fn update_goal(&self, id: &str, input: &GoalInput) -> Result<()> {
        input.validate()?;
        Self::check_value_ids(&self.journey()?, &input.value_ids)?;
        self.update::<Goal>(id, input)
    }

    /// Pauses, completes, lets go of or reactivates a goal.
    pub fn set_goal_status(&self, id: &str, status: GoalStatus) -> Result<()> {
        self.edit_journey(|tx| jdoc::set_goal_status(tx, id, status))
    }

    /// Removes a goal; its action plans stay, unlinked from it.
    pub fn remove_goal(&self, id: &str) -> Result<()> {
        let plans = self.journey()?.plans;
        self.edit_journey(|tx| {
            jdoc::remove_record::<Goal, _>(tx, id)?;
            for plan in plans.iter().filter(|p| p.goal_id.as_deref() == Some(id)) {
                let mut input = PlanInput::from(plan);
                input.goal_id = None;
                input.step_id = None;
                jdoc::update_record::<ActionPlan, _>(tx, &plan.id, &input)?;
            }
            Ok(())
        })
    }

    /// Adds a step at the end of a goal's steps; returns its id.
    pub fn add_step(&self, goal_id: &str, text: &str) -> Result<String> {
        check_text("text", text, MAX_SHORT_TEXT)?;
        self.edit_journey(|tx| jdoc::add_step(tx, goal_id, text))
    }

    pub fn rename_step(&self, goal_id: &str, step_id: &str, text: &str) -> Result<()> {
        check_text("text", text, MAX_SHORT_TEXT)?;
        self.edit_journey(|tx| jdoc::update_step(tx, goal_id, step_id, Some(text), None))
    }

    /// Marks a step done or not done.
    pub fn set_step_done(&self, goal_id: &str, step_id: &str, done: bool) -> Result<()> {
        self.edit_journey(|tx| jdoc::update_step(tx, goal_id, step_id, None, Some(done)))
    }

    /// Moves a step to place `index` (0 = first) among its goal's steps.
    pub fn move_step(&self, goal_id: &str, step_id: &str, index: usize) -> Result<()> {
        self.edit_journey(|tx| jdoc::move_step(tx, goal_id, step_id, index))
    }

    pub fn remove_step(&self, goal_id: &str, step_id: &str) -> Result<()> {
        self.edit_journey(|tx| jdoc::remove_step(tx, goal_id, step_id))
    }

    fn check_plan_links(journey: &Journey, input: &PlanInput) -> Result<()> {
        if let Some(goal_id) = &input.goal_id {
            let goal = journey
                .goal(goal_id)
                .ok_or_else(|| Error::not_found("goal", goal_id.clone()))?;
            if let Some(step_id) = &input.step_id {
                if !goal.steps.iter().any(|s| &s.id == step_id) {
                    return Err(Error::not_found("step", step_id.clone()));
                }
            }
        }
        Ok(())
    }

    /// Adds an action plan; returns its id.
    pub fn add_plan(&self, input: &PlanInput) -> Result<String> {
        self.add_plan_to(&self.journey_id, input)
    }

    pub(crate) fn add_plan_to(&self, journey: &DocumentId, input: &PlanInput) -> Result<String> {
        input.validate()?;
        Self::check_plan_links(&self.journey_doc(journey)?, input)?;
        self.edit_journey_doc(journey, |tx| {
            jdoc::add_record::<ActionPlan, _>(tx, input, self.now())
        })
    }

    pub fn update_plan(&self, id: &str, input: &PlanInput) -> Result<()> {
        self.update_plan_in(&self.journey_id, id, input)
    }

    /// Changes a plan. A new schedule applies from today: the days before keep the schedule
    /// they had, so their check-ins still match their occurrences.
    pub(crate) fn update_plan_in(
        &self,
        journey: &DocumentId,
        id: &str,
        input: &PlanInput,
    ) -> Result<()> {
        input.validate()?;
        let current = self.journey_doc(journey)?;
        Self::check_plan_links(&current, input)?;
        let plan = current
            .plan(id)
            .ok_or_else(|| Error::not_found("action plan", id))?;
        let tz = schedule::parse_time_zone(&current.time_zone)?;
        let yesterday = self.now().with_timezone(&tz).date_naive().pred_opt();
        let keep_until = yesterday.filter(|y| {
            input.schedule != plan.schedule
                && plan.start <= *y
                && plan.earlier_schedules.last().is_none_or(|e| e.until < *y)
        });
        self.edit_journey_doc(journey, |tx| {
            if let Some(until) = keep_until {
                jdoc::add_earlier_schedule(tx, id, until, &plan.schedule)?;
            }
            jdoc::update_record::<ActionPlan, _>(tx, id, input)
        })
    }

    /// Ends a plan after `last_day` (inclusive); its check-ins stay.
    pub fn end_plan(&self, id: &str, last_day: NaiveDate) -> Result<()> {
        let journey = self.journey()?;
        let plan = journey
            .plan(id)
            .ok_or_else(|| Error::not_found("action plan", id))?;
        let mut input = PlanInput::from(plan);
        input.end = Some(last_day);
        self.update_plan(id, &input)
    }

    /// Removes a plan. Its check-ins stay in their months' documents but no longer count.
    pub fn remove_plan(&self, id: &str) -> Result<()> {
        self.edit_journey(|tx| jdoc::remove_record::<ActionPlan, _>(tx, id))
    }

    /// Records how an occurrence went (a second check-in on the same occurrence replaces the
    /// first). `time` may be left out when the plan happens once that day. A check-in on a day
    /// the plan does not fall on is kept as unplanned. Returns the check-in as stored.
    pub fn check_in(&self, input: &CheckInInput) -> Result<CheckIn> {
        self.check_in_at(input, self.now())
    }

    /// [`Store::check_in`] as if it were `now` (for scripted journeys and tests).
    pub fn check_in_at(&self, input: &CheckInInput, now: DateTime<Utc>) -> Result<CheckIn> {
        input.validate()?;
        let journey_id = self.journey_id.clone();
        let (plan, time_zone) = self
            .read_doc(&journey_id, DocKind::Journey, true, |doc| {
                jdoc::read_record::<ActionPlan>(doc, &input.plan_id)
                    .map(|plan| (plan, jdoc::time_zone(doc)))
            })?
            .ok_or_else(|| Error::damaged(&journey_id, "the journey document is missing"))??;
        let plan = &plan;
        let tz = schedule::parse_time_zone(&time_zone)?;
        let today = now.with_timezone(&tz).date_naive();
        if input.date > today {
            return Err(Error::invalid(
                "date",
                format!("{} has not come yet (today is {today})", input.date),
            ));
        }
        if input.date < plan.start {
            return Err(Error::invalid(
                "date",
                format!("{} is before the plan starts ({})", input.date, plan.start),
            ));
        }
        if let Some(end) = plan.end.filter(|end| input.date > *end) {
            return Err(Error::invalid(
                "date",
                format!("{} is after the plan ended ({end})", input.date),
            ));
        }
        let mut input = input.clone();
        input.time = resolve_time(plan, input.date, input.time)?;

        let period = period_of(input.date);
        let journey_id = journey_id.to_string();
        let doc_id = period_doc_id(&journey_id, &period);
        // The month is listed before its first check-in is written: a crash in between leaves
        // a listed month with no document yet, which reads as empty, never a check-in that
        // cannot be found.
        let listed = self.read_doc(&self.journey_id.clone(), DocKind::Journey, true, |doc| {
            jdoc::check_in_periods(doc).contains(&period)
        })?;
        if listed != Some(true) {
            self.edit_journey(|tx| jdoc::list_check_in_period(tx, &period, &doc_id))?;
        }
        let create = |actor: &automerge::ActorId| new_period_doc(&journey_id, &period, actor);
        self.edit_doc(&doc_id, DocKind::CheckIns, Some(&create), |tx| {
            put_check_in(tx, &input, now)
        })?;
        if !is_recent(&period, self.now()) {
            self.forget_old_months(&doc_id);
        }
        Ok(CheckIn {
            plan_id: input.plan_id,
            date: input.date,
            time: input.time,
            outcome: input.outcome,
            reasons: input.reasons,
            reason_text: input.reason_text,
            note: input.note,
            recorded_at: now,
        })
    }

    /// Takes back a check-in (the undo of [`Store::check_in`]): the occurrence answered by
    /// `plan_id`, `date` and `time` (as the check-in was stored) has no answer again. To undo an
    /// answer that replaced another, check in the earlier answer again. `NotFound` when that
    /// occurrence has no check-in.
    pub fn remove_check_in(
        &self,
        plan_id: &str,
        date: NaiveDate,
        time: Option<NaiveTime>,
    ) -> Result<()> {
        let journey_id = self.journey_id.to_string();
        let doc_id = period_doc_id(&journey_id, &period_of(date));
        let not_found = || Error::not_found("check-in", format!("{plan_id} on {date}"));
        if self
            .read_doc(&doc_id, DocKind::CheckIns, true, |_| ())?
            .is_none()
        {
            return Err(not_found());
        }
        let removed = self.edit_doc(&doc_id, DocKind::CheckIns, None, |tx| {
            crate::document::check_ins::remove_check_in(tx, plan_id, date, time)
        })?;
        if !removed {
            return Err(not_found());
        }
        Ok(())
    }

    /// Adds a review; returns its id.
    pub fn add_review(&self, input: &ReviewInput) -> Result<String> {
        self.add_review_to(&self.journey_id, input)
    }

    pub(crate) fn add_review_to(
        &self,
        journey: &DocumentId,
        input: &ReviewInput,
    ) -> Result<String> {
        input.validate()?;
        if let Some(goal_id) = &input.goal_id {
            if self.journey_doc(journey)?.goal(goal_id).is_none() {
                return Err(Error::not_found("goal", goal_id.clone()));
            }
        }
        self.edit_journey_doc(journey, |tx| {
            jdoc::add_record::<Review, _>(tx, input, self.now())
        })
    }

    pub fn remove_review(&self, id: &str) -> Result<()> {
        self.edit_journey(|tx| jdoc::remove_record::<Review, _>(tx, id))
    }
}

/// Which planned time a check-in answers: the given one if the plan has it that day, the only
/// one if there is one, none for an unplanned day or a plan without set times.
fn resolve_time(
    plan: &ActionPlan,
    date: NaiveDate,
    time: Option<chrono::NaiveTime>,
) -> Result<Option<chrono::NaiveTime>> {
    let times = &plan.schedule_on(date).times;
    let shown = |ts: &[chrono::NaiveTime]| {
        ts.iter()
            .map(|t| t.format("%H:%M").to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !schedule::is_planned_day(plan, date) || times.is_empty() {
        return match time {
            None => Ok(None),
            Some(t) => Err(Error::invalid(
                "time",
                format!(
                    "the plan has no set time on {date}, so {} cannot be checked in; leave the time out",
                    t.format("%H:%M")
                ),
            )),
        };
    }
    match time {
        Some(t) if times.contains(&t) => Ok(Some(t)),
        Some(t) => Err(Error::invalid(
            "time",
            format!(
                "the plan happens at {} on {date}, not at {}",
                shown(times),
                t.format("%H:%M")
            ),
        )),
        None if times.len() == 1 => Ok(Some(times[0])),
        None => Err(Error::invalid(
            "time",
            format!("the plan happens at {} on {date}: say which", shown(times)),
        )),
    }
}
