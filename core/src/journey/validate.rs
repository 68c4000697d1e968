//! Checks on what a person types, before anything is written.
//!
//! These are the checks that need nothing but the input itself; checks against the journey
//! (unknown ids, a check-in outside its plan's dates) live with the store's edits.

use super::*;
use crate::error::{Error, Result};
use std::collections::HashSet;

use chrono::Datelike;

/// The longest text a field accepts, in characters.
pub const MAX_TEXT: usize = 4000;
/// The longest name-like text (a value, a strength, a step, a plan's "what"), in characters.
pub const MAX_SHORT_TEXT: usize = 300;

/// Input that can be checked on its own.
pub(crate) trait Validate {
    /// Returns the first problem found, naming its field.
    fn validate(&self) -> Result<()>;
}

/// Checks a required text: not blank, not longer than `max` characters, no control characters
/// other than line breaks and tabs.
pub(crate) fn check_text(field: &str, text: &str, max: usize) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    check_optional_text(field, Some(text), max)
}

/// Like [`check_text`] for a text that may be left out (but not given as blank).
pub(crate) fn check_optional_text(field: &str, text: Option<&str>, max: usize) -> Result<()> {
    let Some(text) = text else { return Ok(()) };
    if text.trim().is_empty() {
        return Err(Error::invalid(field, "is blank: leave it out instead"));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(Error::invalid(
            field,
            format!("is {chars} characters long; the most is {max}"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(())
}

/// Checks a 0–10 rating.
pub(crate) fn check_rating(field: &str, rating: u8) -> Result<()> {
    if rating > 10 {
        return Err(Error::invalid(field, format!("{rating} is outside 0–10")));
    }
    Ok(())
}

/// Checks a goal-attainment level, −2 … +2.
pub(crate) fn check_attainment(field: &str, level: i8) -> Result<()> {
    if !(-2..=2).contains(&level) {
        return Err(Error::invalid(field, format!("{level} is outside −2…+2")));
    }
    Ok(())
}

fn check_no_repeats<T: std::hash::Hash + Eq + std::fmt::Display>(
    field: &str,
    items: impl IntoIterator<Item = T>,
) -> Result<()> {
    let mut seen = HashSet::new();
    for item in items {
        let shown = item.to_string();
        if !seen.insert(item) {
            return Err(Error::invalid(field, format!("{shown} is listed twice")));
        }
    }
    Ok(())
}

impl Validate for ValueInput {
    fn validate(&self) -> Result<()> {
        check_text("text", &self.text, MAX_SHORT_TEXT)?;
        check_rating("importance", self.importance)
    }
}

impl Validate for StrengthInput {
    fn validate(&self) -> Result<()> {
        check_text("text", &self.text, MAX_SHORT_TEXT)?;
        check_optional_text("example", self.example.as_deref(), MAX_TEXT)
    }
}

impl Validate for SupportInput {
    fn validate(&self) -> Result<()> {
        check_text("name", &self.name, MAX_SHORT_TEXT)?;
        check_optional_text("note", self.note.as_deref(), MAX_TEXT)
    }
}

impl Validate for GoalInput {
    fn validate(&self) -> Result<()> {
        check_text("text", &self.text, MAX_SHORT_TEXT)?;
        check_no_repeats("value_ids", self.value_ids.iter())?;
        check_rating("importance", self.importance)?;
        check_rating("confidence", self.confidence)?;
        for (i, level) in self.attainment_levels.iter().enumerate() {
            check_attainment(&format!("attainment_levels[{i}].level"), level.level)?;
            check_text(
                &format!("attainment_levels[{i}].description"),
                &level.description,
                MAX_SHORT_TEXT,
            )?;
        }
        check_no_repeats(
            "attainment_levels",
            self.attainment_levels.iter().map(|l| l.level),
        )
    }
}

/// The most times a plan can happen in one day.
pub const MAX_TIMES_PER_DAY: usize = 12;
/// The longest gap of an every-N-days plan.
pub const MAX_EVERY_N_DAYS: u32 = 366;

impl Validate for Schedule {
    fn validate(&self) -> Result<()> {
        match &self.repeat {
            Repeat::Weekly { days } => {
                if days.is_empty() {
                    return Err(Error::invalid(
                        "schedule.days",
                        "names no day of the week: the plan would never happen",
                    ));
                }
                check_no_repeats("schedule.days", days.iter().map(|d| WeekdayShown(*d)))?;
            }
            Repeat::EveryNDays { n } => {
                if *n == 0 || *n > MAX_EVERY_N_DAYS {
                    return Err(Error::invalid(
                        "schedule.every_n_days",
                        format!("{n} is outside 1–{MAX_EVERY_N_DAYS}"),
                    ));
                }
            }
        }
        if self.times.len() > MAX_TIMES_PER_DAY {
            return Err(Error::invalid(
                "schedule.times",
                format!(
                    "{} times a day; the most is {MAX_TIMES_PER_DAY}",
                    self.times.len()
                ),
            ));
        }
        check_no_repeats(
            "schedule.times",
            self.times.iter().map(|t| t.format("%H:%M").to_string()),
        )?;
        if let Some(t) = self
            .times
            .iter()
            .find(|t| t.format("%S%.f").to_string() != "00")
        {
            return Err(Error::invalid(
                "schedule.times",
                format!("{t} has seconds; give hours and minutes"),
            ));
        }
        Ok(())
    }
}

#[derive(Hash, PartialEq, Eq)]
struct WeekdayShown(Weekday);
impl std::fmt::Display for WeekdayShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The longest a planned activity can last, in minutes.
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;

impl Validate for PlanInput {
    fn validate(&self) -> Result<()> {
        check_text("what", &self.what, MAX_SHORT_TEXT)?;
        check_optional_text("place", self.place.as_deref(), MAX_SHORT_TEXT)?;
        self.schedule.validate()?;
        if let Some(minutes) = self.duration_minutes {
            if minutes == 0 || minutes > MAX_DURATION_MINUTES {
                return Err(Error::invalid(
                    "duration_minutes",
                    format!("{minutes} is outside 1–{MAX_DURATION_MINUTES}"),
                ));
            }
        }
        if self.step_id.is_some() && self.goal_id.is_none() {
            return Err(Error::invalid(
                "step_id",
                "a step is given without the goal it belongs to",
            ));
        }
        check_optional_text("barriers", self.barriers.as_deref(), MAX_TEXT)?;
        check_optional_text("supports", self.supports.as_deref(), MAX_TEXT)?;
        check_no_repeats("agreed_by", self.agreed_by.iter())?;
        if let Some(end) = self.end {
            if end < self.start {
                return Err(Error::invalid(
                    "end",
                    format!("{end} is before the start, {}", self.start),
                ));
            }
            // An every-N-days plan happens on its first day; a weekly one needs one of its
            // days between start and end.
            if let Repeat::Weekly { days } = &self.schedule.repeat {
                let happens = self
                    .start
                    .iter_days()
                    .take_while(|d| *d <= end)
                    .take(7)
                    .any(|d| days.contains(&d.weekday()));
                if !happens {
                    return Err(Error::invalid(
                        "schedule.days",
                        format!(
                            "none of them falls between {} and {end}: the plan would never happen",
                            self.start
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Validate for CheckInInput {
    fn validate(&self) -> Result<()> {
        if self.outcome == Outcome::Done && !self.reasons.is_empty() {
            return Err(Error::invalid(
                "reasons",
                "reasons are for a plan partly or not done",
            ));
        }
        check_no_repeats("reasons", self.reasons.iter())?;
        check_optional_text("reason_text", self.reason_text.as_deref(), MAX_TEXT)?;
        check_optional_text("note", self.note.as_deref(), MAX_TEXT)
    }
}

impl Validate for ReviewInput {
    fn validate(&self) -> Result<()> {
        check_rating("motivation", self.motivation)?;
        check_rating("confidence", self.confidence)?;
        check_rating("progress", self.progress)?;
        if let Some(level) = self.attainment {
            check_attainment("attainment", level)?;
        }
        check_optional_text("note", self.note.as_deref(), MAX_TEXT)
    }
}
