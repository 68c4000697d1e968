//! What the `check_in_writer` binary writes, shared with the test that checks it survived.
//!
//! The writer keeps one daily plan with [`TIMES_PER_DAY`] set times, and checks in on its
//! occurrences one after another, walking back from today: occurrence 0 is today's last time,
//! occurrence 1 the one before it, and so on. With twelve a day, one month's document takes
//! more than [`tandem_core::store::COMPACT_AFTER`] check-ins, so long runs cross compaction.

use chrono::{Days, NaiveDate, NaiveTime};
use tandem_core::journey::{CheckInInput, Outcome, Party, PlanInput, Reason, Repeat, Schedule};

/// How many times a day the writer's plan happens (the most a plan may have).
pub const TIMES_PER_DAY: usize = 12;

/// What the writer prints after each check-in it made durable: `saved <date> <HH:MM>`.
pub const SAVED: &str = "saved";

/// The plan's set times: 06:00, 07:00 … 17:00.
pub fn times() -> Vec<NaiveTime> {
    (0..TIMES_PER_DAY as u32)
        .map(|i| NaiveTime::from_hms_opt(6 + i, 0, 0).expect("a valid time"))
        .collect()
}

/// The writer's one plan: every day, twelve times a day, since 2000.
pub fn plan_input() -> PlanInput {
    PlanInput {
        what: "Drink a glass of water".to_string(),
        place: Some("Wherever I am".to_string()),
        schedule: Schedule {
            repeat: Repeat::EveryNDays { n: 1 },
            times: times(),
        },
        duration_minutes: Some(1),
        goal_id: None,
        step_id: None,
        barriers: None,
        supports: None,
        agreed_by: vec![Party::Myself],
        reminder: false,
        start: NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date"),
        end: None,
    }
}

/// Occurrence `index` of the walk back from `today`.
pub fn occurrence(today: NaiveDate, index: usize) -> (NaiveDate, NaiveTime) {
    let days_back = (index / TIMES_PER_DAY) as u64;
    let date = today
        .checked_sub_days(Days::new(days_back))
        .expect("the walk stays after 2000");
    let time = times()[TIMES_PER_DAY - 1 - index % TIMES_PER_DAY];
    (date, time)
}

/// The outcome the writer records for an occurrence, so the test can check it came back.
pub fn outcome_of(date: NaiveDate, time: NaiveTime) -> Outcome {
    use chrono::{Datelike, Timelike};
    match (date.ordinal() + time.hour()) % 3 {
        0 => Outcome::Done,
        1 => Outcome::Partly,
        _ => Outcome::NotDone,
    }
}

/// The check-in the writer makes on an occurrence of `plan_id`.
pub fn check_in_input(plan_id: &str, date: NaiveDate, time: NaiveTime) -> CheckInInput {
    let outcome = outcome_of(date, time);
    CheckInInput {
        plan_id: plan_id.to_string(),
        date,
        time: Some(time),
        outcome,
        reasons: match outcome {
            Outcome::Done => Vec::new(),
            _ => vec![Reason::NoTime],
        },
        reason_text: None,
        note: None,
    }
}

/// The line printed once a check-in on (`date`, `time`) is durable.
pub fn saved_line(date: NaiveDate, time: NaiveTime) -> String {
    format!("{SAVED} {date} {}", time.format("%H:%M"))
}

/// Reads a line printed by the writer.
pub fn parse_saved_line(line: &str) -> Option<(NaiveDate, NaiveTime)> {
    let mut words = line.split(' ');
    if words.next()? != SAVED {
        return None;
    }
    let date = NaiveDate::parse_from_str(words.next()?, "%Y-%m-%d").ok()?;
    let time = NaiveTime::parse_from_str(words.next()?, "%H:%M").ok()?;
    words.next().is_none().then_some((date, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_goes_back_one_occurrence_at_a_time() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        assert_eq!(occurrence(today, 0), (today, t(17)));
        assert_eq!(occurrence(today, 11), (today, t(6)));
        assert_eq!(
            occurrence(today, 12),
            (NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(), t(17))
        );
    }

    #[test]
    fn saved_lines_round_trip() {
        let (date, time) = occurrence(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), 5);
        assert_eq!(
            parse_saved_line(&saved_line(date, time)),
            Some((date, time))
        );
        assert_eq!(parse_saved_line("saved 2026-03-01"), None);
        assert_eq!(parse_saved_line("saved 2026-03-01 12:00 x"), None);
    }
}
