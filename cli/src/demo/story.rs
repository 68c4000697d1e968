//! The tools of the story: how an occurrence went, and playing those beats into a store.

use chrono::Duration;
use tandem_core::journey::schedule::occurrences;
use tandem_core::journey::{AttainmentLevel, CheckInInput, LifeArea, Outcome, Reason, ValueInput};
use tandem_core::{Error, Result, Store};

use super::Clock;

/// How one planned occurrence went in the story.
#[derive(Debug, Clone, Copy)]
pub struct Beat {
    /// `None`: nobody checked in.
    outcome: Option<Outcome>,
    reasons: &'static [Reason],
    why: Option<&'static str>,
    note: Option<&'static str>,
}

const fn beat(outcome: Outcome) -> Beat {
    Beat {
        outcome: Some(outcome),
        reasons: &[],
        why: None,
        note: None,
    }
}

pub const DONE: Beat = beat(Outcome::Done);
pub const UNANSWERED: Beat = Beat {
    outcome: None,
    ..DONE
};

pub const fn done(note: &'static str) -> Beat {
    Beat {
        note: Some(note),
        ..DONE
    }
}

pub const fn partly(reasons: &'static [Reason], note: &'static str) -> Beat {
    Beat {
        reasons,
        note: Some(note),
        ..beat(Outcome::Partly)
    }
}

pub const fn not_done(reasons: &'static [Reason], why: Option<&'static str>) -> Beat {
    Beat {
        reasons,
        why,
        ..beat(Outcome::NotDone)
    }
}

/// Checks in on `plan_id`'s occurrences so far, one beat each, in order. Timed occurrences are
/// checked in 40 minutes after they start; untimed ones at 21:15 that day, so today's untimed
/// one is still to come.
pub fn play_out(store: &Store, clock: &Clock, plan_id: &str, beats: &[Beat]) -> Result<()> {
    let journey = store.journey()?;
    let plan = journey
        .plan(plan_id)
        .ok_or_else(|| Error::not_found("action plan", plan_id))?;
    let occurrences = occurrences(plan, clock.start, clock.today, clock.tz);
    for (occurrence, beat) in occurrences.iter().zip(beats.iter().cycle()) {
        let recorded_at = match occurrence.starts_at {
            Some(start) => start + Duration::minutes(40),
            None => clock.at(occurrence.date, 21, 15),
        };
        let Some(outcome) = beat.outcome.filter(|_| recorded_at <= clock.now) else {
            continue;
        };
        let input = CheckInInput {
            plan_id: plan_id.to_string(),
            date: occurrence.date,
            time: occurrence.time,
            outcome,
            reasons: beat.reasons.to_vec(),
            reason_text: beat.why.map(str::to_string),
            note: beat.note.map(str::to_string),
        };
        store.check_in_at(&input, recorded_at)?;
    }
    Ok(())
}

pub fn value(store: &Store, text: &str, life_area: LifeArea, importance: u8) -> Result<String> {
    store.add_value(&ValueInput {
        text: text.into(),
        life_area,
        importance,
    })
}

pub fn levels(texts: [&str; 5]) -> Vec<AttainmentLevel> {
    (-2..=2)
        .zip(texts)
        .map(|(level, text)| AttainmentLevel {
            level,
            description: text.into(),
        })
        .collect()
}

pub fn time(hour: u32, minute: u32) -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time of day")
}

pub fn some(text: &str) -> Option<String> {
    Some(text.to_string())
}
