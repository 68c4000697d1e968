//! Dates, times, instants and numbers between the FFI's types and the core's.
//!
//! Anything that cannot be converted is refused with `InvalidInput` naming its field; nothing
//! here panics.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::error::TandemError;

/// Reads a `"YYYY-MM-DD"` date.
pub(crate) fn date(field: &str, text: &str) -> Result<NaiveDate, TandemError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| TandemError::invalid(field, format!("{text:?} is not a date like 2026-03-31")))
}

pub(crate) fn optional_date(
    field: &str,
    text: Option<&str>,
) -> Result<Option<NaiveDate>, TandemError> {
    text.map(|t| date(field, t)).transpose()
}

/// Reads an `"HH:MM"` time of day (24-hour).
pub(crate) fn time(field: &str, text: &str) -> Result<NaiveTime, TandemError> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        TandemError::invalid(
            field,
            format!("{text:?} is not a time of day like 08:30 (24-hour HH:MM)"),
        )
    })
}

pub(crate) fn optional_time(
    field: &str,
    text: Option<&str>,
) -> Result<Option<NaiveTime>, TandemError> {
    text.map(|t| time(field, t)).transpose()
}

pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn time_text(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// An instant the app gave, or now.
pub(crate) fn instant_or_now(
    field: &str,
    at: Option<SystemTime>,
) -> Result<DateTime<Utc>, TandemError> {
    let Some(at) = at else {
        return Ok(Utc::now());
    };
    let out_of_range = || TandemError::invalid(field, "is outside the years Tandem handles");
    let (secs, nanos) = match at.duration_since(UNIX_EPOCH) {
        Ok(after) => (i64::try_from(after.as_secs()).ok(), after.subsec_nanos()),
        Err(before) => {
            let before = before.duration();
            let secs = i64::try_from(before.as_secs()).ok().map(|s| -s);
            match before.subsec_nanos() {
                0 => (secs, 0),
                n => (secs.and_then(|s| s.checked_sub(1)), 1_000_000_000 - n),
            }
        }
    };
    secs.and_then(|s| DateTime::from_timestamp(s, nanos))
        .ok_or_else(out_of_range)
}

/// A core instant as a timestamp for the app.
pub(crate) fn system_time(at: DateTime<Utc>) -> SystemTime {
    let secs = at.timestamp();
    let nanos = Duration::from_nanos(u64::from(at.timestamp_subsec_nanos()));
    let moved = if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    };
    // Only instants beyond what this platform's clock holds fail; none are written by Tandem.
    moved
        .and_then(|t| t.checked_add(nanos))
        .unwrap_or(UNIX_EPOCH)
}

/// A 0–10 rating the app gave.
pub(crate) fn rating(field: &str, value: i32) -> Result<u8, TandemError> {
    u8::try_from(value).map_err(|_| TandemError::invalid(field, format!("{value} is outside 0–10")))
}

/// A goal-attainment level (−2 … +2) the app gave.
pub(crate) fn attainment(field: &str, value: i32) -> Result<i8, TandemError> {
    i8::try_from(value)
        .map_err(|_| TandemError::invalid(field, format!("{value} is outside −2…+2")))
}

pub(crate) fn optional_attainment(
    field: &str,
    value: Option<i32>,
) -> Result<Option<i8>, TandemError> {
    value.map(|v| attainment(field, v)).transpose()
}

/// The five WHO-5 answers (0–5 each) the app gave, as the core's fixed five. A list of another
/// length is refused naming `who5`; an answer out of range, naming `who5[i]`.
pub(crate) fn who5(answers: &[i32]) -> Result<[u8; 5], TandemError> {
    let five: &[i32; 5] = answers.try_into().map_err(|_| {
        TandemError::invalid(
            "who5",
            format!(
                "needs all 5 answers, one per statement, not {}",
                answers.len()
            ),
        )
    })?;
    let mut out = [0u8; 5];
    for (i, (answer, slot)) in five.iter().zip(out.iter_mut()).enumerate() {
        // Values that fit a byte go to the core, which refuses 6–255 in its own words.
        *slot = u8::try_from(*answer).map_err(|_| {
            TandemError::invalid(format!("who5[{i}]"), format!("{answer} is outside 0–5"))
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_read_as_people_write_them() {
        assert_eq!(
            date("start", "2026-03-31").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
        assert_eq!(
            time("time", "08:30").unwrap(),
            NaiveTime::from_hms_opt(8, 30, 0).unwrap()
        );
        match date("start", "31/03/2026") {
            Err(TandemError::InvalidInput { field, problem }) => {
                assert_eq!(field, "start");
                assert!(problem.contains("31/03/2026"), "{problem}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            time("time", "25:00"),
            Err(TandemError::InvalidInput { .. })
        ));
    }

    #[test]
    fn instants_go_both_ways_and_never_panic() {
        let at = DateTime::parse_from_rfc3339("2026-03-08T07:30:00.25Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(instant_or_now("now", Some(system_time(at))).unwrap(), at);
        let before_1970 = DateTime::parse_from_rfc3339("1969-12-31T23:59:59.5Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            instant_or_now("now", Some(system_time(before_1970))).unwrap(),
            before_1970
        );
        let far = UNIX_EPOCH + Duration::from_secs(u64::MAX / 4);
        assert!(matches!(
            instant_or_now("now", Some(far)),
            Err(TandemError::InvalidInput { .. })
        ));
    }

    #[test]
    fn numbers_out_of_type_range_are_refused_in_the_core_s_words() {
        assert_eq!(rating("importance", 7).unwrap(), 7);
        match rating("importance", -1) {
            Err(TandemError::InvalidInput { field, problem }) => {
                assert_eq!(
                    (field.as_str(), problem.as_str()),
                    ("importance", "-1 is outside 0–10")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(attainment("attainment", 300).is_err());
    }

    #[test]
    fn who5_takes_exactly_five_answers() {
        assert_eq!(who5(&[0, 1, 2, 3, 5]).unwrap(), [0, 1, 2, 3, 5]);
        match who5(&[3, 3, 3, 3]) {
            Err(TandemError::InvalidInput { field, problem }) => {
                assert_eq!(field, "who5");
                assert!(problem.contains("not 4"), "{problem}");
            }
            other => panic!("{other:?}"),
        }
        match who5(&[3, 3, -1, 3, 3]) {
            Err(TandemError::InvalidInput { field, .. }) => assert_eq!(field, "who5[2]"),
            other => panic!("{other:?}"),
        }
        assert!(who5(&[3; 6]).is_err());
    }
}
