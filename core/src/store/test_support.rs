//! What the store's and the journey's tests share: a store in a temporary folder (in London,
//! on a clock the test may fix), a walking plan, a check-in, dates and times.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

use crate::journey::*;
use crate::store::{Clock, OpenOptions, Store};

pub(crate) fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(crate) fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

pub(crate) fn open(dir: &tempfile::TempDir) -> Store {
    open_with(dir, Clock::default())
}

/// The store in `dir`, reading the time from `clock`.
pub(crate) fn open_with(dir: &tempfile::TempDir, clock: Clock) -> Store {
    Store::open(
        dir.path().join("store.db"),
        OpenOptions {
            time_zone: Some("Europe/London".into()),
            clock,
            ..Default::default()
        },
    )
    .unwrap()
}

pub(crate) fn walk(goal_id: Option<String>) -> PlanInput {
    PlanInput {
        what: "Walk round the park".into(),
        place: Some("Victoria Park".into()),
        schedule: Schedule {
            repeat: Repeat::Weekly {
                days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
            },
            times: vec![at(8, 0)],
        },
        duration_minutes: Some(30),
        goal_id,
        step_id: None,
        barriers: Some("Rain, low mood in the morning".into()),
        supports: Some("Text Jo before leaving".into()),
        agreed_by: vec![Party::Myself, Party::Supporter],
        reminder: true,
        start: date("2026-11-02"),
        end: None,
    }
}

pub(crate) fn check(plan_id: &str, day: &str, outcome: Outcome) -> CheckInInput {
    CheckInInput {
        plan_id: plan_id.into(),
        date: date(day),
        time: None,
        outcome,
        reasons: vec![],
        reason_text: None,
        note: None,
    }
}

pub(crate) fn evening(day: &str) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&date(day).and_hms_opt(20, 0, 0).unwrap())
}
