//! Reading what people type: the core's words, dates, times of day, days of the week, ratings.
//!
//! Each reader is a clap value parser, so a typo is refused before the store is opened, with a
//! message that says what is accepted. Ranges (0–10, −2…+2) are left to the core, which names
//! the field; only numbers too large to be a rating at all are refused here.

use std::ffi::OsStr;
use std::marker::PhantomData;

use chrono::{NaiveDate, NaiveTime, Weekday};
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use tandem_core::journey::AttainmentLevel;

/// One of the core's word enums, as typed on the command line (each says what it names).
pub use tandem_core::Word;

/// Reads a word, ignoring case and accepting `-` or a space for `_` (`not-done`).
pub fn word<T: Word>(text: &str) -> Result<T, String> {
    let normal = text.trim().to_lowercase().replace(['-', ' '], "_");
    T::from_word(&normal).ok_or_else(|| {
        let accepted: Vec<&str> = T::all().iter().map(|w| w.word()).collect();
        format!(
            "{text:?} is not a known {}; use one of: {}",
            T::WHAT,
            accepted.join(", ")
        )
    })
}

/// The clap value parser for a word enum; `--help` lists the words.
#[derive(Clone)]
pub struct Words<T>(PhantomData<T>);

impl<T> Default for Words<T> {
    fn default() -> Self {
        Words(PhantomData)
    }
}

impl<T: Word> TypedValueParser for Words<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        word::<T>(&text).map_err(|problem| {
            let arg = arg.map(|a| format!(" for '{a}'")).unwrap_or_default();
            let message = format!("invalid value '{text}'{arg}: {problem}\n");
            clap::Error::raw(ErrorKind::InvalidValue, message).with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::all().iter().map(|w| PossibleValue::new(w.word())),
        ))
    }
}

/// A date as typed: a calendar date, or a day relative to today in the journey's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArg {
    On(NaiveDate),
    /// Days from today: −1 yesterday, 0 today, 1 tomorrow.
    FromToday(i64),
}

impl DateArg {
    pub const TODAY: DateArg = DateArg::FromToday(0);

    /// The calendar date, given today's.
    pub fn resolve(self, today: NaiveDate) -> NaiveDate {
        match self {
            DateArg::On(date) => date,
            DateArg::FromToday(days) => today + chrono::Duration::days(days),
        }
    }
}

pub fn date(text: &str) -> Result<DateArg, String> {
    match text.trim().to_lowercase().as_str() {
        "today" => Ok(DateArg::FromToday(0)),
        "yesterday" => Ok(DateArg::FromToday(-1)),
        "tomorrow" => Ok(DateArg::FromToday(1)),
        // Four-digit years only: chrono would also read years like +262142, which no journey
        // needs and which would make ranges of date arithmetic overflow.
        other => Some(other)
            .filter(|t| t.len() == 10 && t.as_bytes()[0].is_ascii_digit())
            .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
            .map(DateArg::On)
            .ok_or_else(|| {
                format!("{text:?} is not a date; give YYYY-MM-DD (e.g. 2026-03-04), today, yesterday or tomorrow")
            }),
    }
}

/// A time of day, `HH:MM`, 24-hour clock.
pub fn time(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        format!(
            "{text:?} is not a time of day; give HH:MM on the 24-hour clock, e.g. 08:00 or 18:30"
        )
    })
}

/// Some days of the week, as one word names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySet(pub Vec<Weekday>);

/// Days of the week: `mon`, `monday`, or a set: `weekdays`, `weekend`, `daily`.
pub fn days(text: &str) -> Result<DaySet, String> {
    use Weekday::*;
    let text = text.trim().to_lowercase();
    match text.as_str() {
        "weekdays" => Ok(DaySet(vec![Mon, Tue, Wed, Thu, Fri])),
        "weekend" | "weekends" => Ok(DaySet(vec![Sat, Sun])),
        "daily" | "every_day" | "every-day" => Ok(DaySet(vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun])),
        one => one.parse::<Weekday>().map(|d| DaySet(vec![d])).map_err(|_| {
            format!("{text:?} is not a day of the week; give mon, tue, wed, thu, fri, sat, sun (or full names), weekdays, weekend or daily")
        }),
    }
}

/// A 0–10 rating. Numbers that fit are passed on for the core to check (it names the field);
/// only numbers that cannot be a rating at all stop here.
pub fn rating(text: &str) -> Result<u8, String> {
    let n: i64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number from 0 to 10"))?;
    u8::try_from(n).map_err(|_| format!("{n} is outside 0–10"))
}

/// A goal-attainment level, −2 … +2, passed on for the core to check.
pub fn attainment(text: &str) -> Result<i8, String> {
    let n: i64 = text
        .trim()
        .trim_start_matches('+')
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number from -2 to +2"))?;
    i8::try_from(n).map_err(|_| format!("{n} is outside -2…+2"))
}

/// A sync server's address: `http://` or `https://`, then a host.
pub fn server_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("{text:?} is not a server address; give one starting with https:// or http://")
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || rest.chars().any(char::is_whitespace) {
        return Err(format!(
            "{text:?} is not a server address; give e.g. https://tandem.example.org"
        ));
    }
    Ok(text.to_string())
}

/// The five WHO-5 answers, each 0 ("at no time") to 5 ("all of the time"), separated by commas:
/// `3,4,2,3,4`. Answers above 5 are passed on for the core to refuse, naming the item.
pub fn who5(text: &str) -> Result<[u8; 5], String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let problem = || {
        format!(
            "{text:?} is not five WHO-5 answers; give five numbers from 0 (at no time) to 5 (all of the time), separated by commas, e.g. 3,4,2,3,4"
        )
    };
    if parts.len() != 5 {
        return Err(problem());
    }
    let mut answers = [0u8; 5];
    for (answer, part) in answers.iter_mut().zip(parts) {
        *answer = part.parse().map_err(|_| problem())?;
    }
    Ok(answers)
}

/// A place in a list, counted from 1 as `show` numbers steps.
pub fn place(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("places count from 1 (the first step)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "{text:?} is not a place; give 1 for the first step, 2 for the second ..."
        )),
    }
}

/// One goal-attainment level with what it would look like: `-2:"No walks at all"`.
pub fn level(text: &str) -> Result<AttainmentLevel, String> {
    let (level, description) = text.split_once(':').ok_or_else(|| {
        format!("{text:?} has no level; give LEVEL:DESCRIPTION, e.g. -2:\"No walks at all\"")
    })?;
    Ok(AttainmentLevel {
        level: attainment(level)?,
        description: description.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_core::coaching::CoachingCondition;
    use tandem_core::journey::{LifeArea, Outcome, Reason};

    #[test]
    fn words_accept_hyphens_and_case_and_list_the_choices() {
        assert_eq!(word::<Outcome>("not-done"), Ok(Outcome::NotDone));
        assert_eq!(word::<Reason>("Low_Mood"), Ok(Reason::LowMood));
        let err = word::<LifeArea>("famly").unwrap_err();
        assert!(err.contains("family") && err.contains("life area"), "{err}");
    }

    #[test]
    fn dates_times_and_days_explain_what_they_accept() {
        assert_eq!(
            date("2026-03-04"),
            Ok(DateArg::On(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()))
        );
        assert!(date("2026-13-01").unwrap_err().contains("YYYY-MM-DD"));
        assert!(date("+262142-12-31").is_err());
        assert!(time("25:00").unwrap_err().contains("HH:MM"));
        assert_eq!(days("weekdays").unwrap().0.len(), 5);
        assert_eq!(days("Wednesday"), Ok(DaySet(vec![Weekday::Wed])));
        assert!(days("someday").is_err());
    }

    #[test]
    fn levels_read_their_number_and_text() {
        let l = level("-2:No walks at all").unwrap();
        assert_eq!((l.level, l.description.as_str()), (-2, "No walks at all"));
        assert_eq!(level("+1:Four walks a week").unwrap().level, 1);
        assert!(level("no colon").is_err());
        assert_eq!(rating("12"), Ok(12));
        assert!(rating("300").unwrap_err().contains("0–10"));
    }

    #[test]
    fn who5_takes_five_answers() {
        assert_eq!(who5("3, 4,2,3,4"), Ok([3, 4, 2, 3, 4]));
        assert!(who5("3,4,2,3").unwrap_err().contains("five"));
        assert!(who5("3,4,2,3,x").is_err());
        assert_eq!(
            word::<CoachingCondition>("skills-acquisition"),
            Ok(CoachingCondition::SkillsAcquisition)
        );
    }

    #[test]
    fn server_addresses_need_a_scheme_and_a_host() {
        assert_eq!(
            server_url(" http://127.0.0.1:8080 "),
            Ok("http://127.0.0.1:8080".into())
        );
        assert!(server_url("tandem.example.org")
            .unwrap_err()
            .contains("https://"));
        assert!(server_url("https:///path").is_err());
        assert!(server_url("http://a b").is_err());
    }
}
