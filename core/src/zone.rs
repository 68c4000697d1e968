//! A person's time zone, read from the device's own copy of the IANA time zone database.
//!
//! The zone rules are not compiled into the library: the rules of every zone (chrono-tz's
//! table) were 1.9 MB of a mobile library whose budget is 6 MB, and the phone already carries
//! them, kept up to date by its system. jiff reads them where each platform keeps them:
//! `/usr/share/zoneinfo` on Linux, macOS and iOS, the concatenated `tzdata` file on Android.
//!
//! [`Zone`] is a [`chrono::TimeZone`], so the rest of the core keeps working in chrono's types.
//! It is `Copy`: each zone named in a process is read once and kept for the process's life (a
//! person uses one or two; a practitioner's clients a few more).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use chrono::Datelike;
use chrono::{FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike};
use jiff::tz::AmbiguousOffset;

use crate::error::{Error, Result};

/// An IANA time zone, such as `Europe/London`.
#[derive(Clone, Copy)]
pub struct Zone(&'static Known);

struct Known {
    name: String,
    rules: jiff::tz::TimeZone,
}

/// The zones read so far, by name.
fn known() -> &'static Mutex<HashMap<String, &'static Known>> {
    static KNOWN: OnceLock<Mutex<HashMap<String, &'static Known>>> = OnceLock::new();
    KNOWN.get_or_init(Mutex::default)
}

impl Zone {
    /// The zone named `name` (an IANA name such as `Europe/London`, or `UTC`), read from the
    /// device's time zone database the first time it is asked for.
    pub fn named(name: &str) -> Result<Zone> {
        let unknown = || {
            Error::invalid(
                "time_zone",
                format!("{name:?} is not a known IANA time zone, e.g. Europe/London"),
            )
        };
        if name.is_empty() || name.len() > 64 {
            return Err(unknown());
        }
        let mut known = known().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(zone) = known.get(name) {
            return Ok(Zone(zone));
        }
        let rules = if name == "UTC" {
            jiff::tz::TimeZone::UTC
        } else {
            match zoneinfo_file(name) {
                Some(rules) => rules,
                // Android's concatenated database, another spelling: jiff's lookup.
                None => jiff::tz::TimeZone::get(name).map_err(|_| unknown())?,
            }
        };
        // Kept for the process's life: a handful of zones at most. Named as the database
        // names it (its spelling, whatever the case asked).
        let canonical = rules.iana_name().unwrap_or(name).to_string();
        let zone: &'static Known = Box::leak(Box::new(Known {
            name: canonical,
            rules,
        }));
        known.insert(name.to_string(), zone);
        Ok(Zone(zone))
    }

    /// Coordinated Universal Time.
    pub fn utc() -> Zone {
        Zone::named("UTC").expect("UTC needs no database")
    }

    /// The zone's IANA name, as it was asked for.
    pub fn name(&self) -> &'static str {
        &self.0.name
    }

    /// The offset in force at `utc`.
    fn at(&self, utc: &NaiveDateTime) -> ZoneOffset {
        let utc = utc.and_utc();
        let seconds = utc.timestamp();
        let instant = timestamp(seconds, utc.timestamp_subsec_nanos());
        ZoneOffset::new(*self, self.0.rules.to_offset(instant), seconds)
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Zone {
    type Err = Error;

    fn from_str(name: &str) -> Result<Zone> {
        Zone::named(name)
    }
}

/// The zone's rules read straight from its file in the zoneinfo folder (`$TZDIR`, or
/// `/usr/share/zoneinfo`), when there is one: a single small read, where jiff's own lookup
/// first lists the whole folder (about 8 ms in a fresh process here). Only names made of
/// IANA's characters are tried as paths.
fn zoneinfo_file(name: &str) -> Option<jiff::tz::TimeZone> {
    let plain = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
    };
    if !name.split('/').all(plain) {
        return None;
    }
    let folder = std::env::var_os("TZDIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/usr/share/zoneinfo".into());
    let bytes = std::fs::read(folder.join(name)).ok()?;
    jiff::tz::TimeZone::tzif(name, &bytes).ok()
}

/// The offset from UTC in force in a [`Zone`] at some moment. Its abbreviation (`GMT`,
/// `BST`), which chrono prints for `%Z`, is looked up only when printed.
#[derive(Clone, Copy)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
    /// The moment, in seconds since 1970 (UTC).
    at: i64,
}

impl ZoneOffset {
    fn new(zone: Zone, offset: jiff::tz::Offset, at: i64) -> ZoneOffset {
        let fixed = FixedOffset::east_opt(offset.seconds())
            .unwrap_or(FixedOffset::east_opt(0).expect("zero"));
        ZoneOffset { zone, fixed, at }
    }
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Debug for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self} ({})", self.fixed)
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.zone.0.rules.to_offset_info(timestamp(self.at, 0));
        f.write_str(info.abbreviation())
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        self.offset_from_local_datetime(&local.and_time(chrono::NaiveTime::MIN))
    }

    /// A local time the clock skips is `None`; one it shows twice is `Ambiguous`, the earlier
    /// instant first.
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        let Some(civil) = civil(local) else {
            return MappedLocalTime::None;
        };
        // The instant the local time names with `offset`: no second lookup.
        let at = |offset: jiff::tz::Offset| {
            let utc = local.and_utc().timestamp() - i64::from(offset.seconds());
            ZoneOffset::new(*self, offset, utc)
        };
        match self.0.rules.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => MappedLocalTime::Single(at(offset)),
            AmbiguousOffset::Gap { .. } => MappedLocalTime::None,
            AmbiguousOffset::Fold { before, after } => {
                MappedLocalTime::Ambiguous(at(before), at(after))
            }
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.at(&utc.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.at(utc)
    }
}

/// The instant `seconds` (+ `nanos`) since 1970, held to jiff's range.
fn timestamp(seconds: i64, nanos: u32) -> jiff::Timestamp {
    jiff::Timestamp::new(seconds, nanos.min(999_999_999) as i32).unwrap_or(if seconds < 0 {
        jiff::Timestamp::MIN
    } else {
        jiff::Timestamp::MAX
    })
}

/// chrono's local date and time as jiff's; `None` beyond jiff's years (-9999 to 9999).
fn civil(local: &NaiveDateTime) -> Option<jiff::civil::DateTime> {
    jiff::civil::DateTime::new(
        i16::try_from(local.year()).ok()?,
        local.month() as i8,
        local.day() as i8,
        local.hour() as i8,
        local.minute() as i8,
        local.second() as i8,
        local.nanosecond().min(999_999_999) as i32,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, Utc};

    fn local(date: (i32, u32, u32), time: (u32, u32)) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(date.0, date.1, date.2)
            .unwrap()
            .and_time(NaiveTime::from_hms_opt(time.0, time.1, 0).unwrap())
    }

    #[test]
    fn summer_and_winter_offsets_and_their_abbreviations() {
        let london = Zone::named("Europe/London").unwrap();
        let summer = london
            .from_local_datetime(&local((2026, 7, 1), (9, 0)))
            .single()
            .unwrap();
        assert_eq!(summer.offset().fix().local_minus_utc(), 3600);
        assert_eq!(summer.format("%H:%M %Z").to_string(), "09:00 BST");
        let winter = Utc
            .from_utc_datetime(&local((2026, 12, 6), (18, 0)))
            .with_timezone(&london);
        assert_eq!(winter.format("%H:%M %Z").to_string(), "18:00 GMT");
        let kolkata = Zone::named("Asia/Kolkata").unwrap();
        let noon = Utc.from_utc_datetime(&local((2026, 1, 1), (6, 30)));
        assert_eq!(
            noon.with_timezone(&kolkata).format("%H:%M").to_string(),
            "12:00"
        );
    }

    #[test]
    fn a_skipped_time_is_none_and_a_repeated_one_is_ambiguous_earlier_first() {
        let new_york = Zone::named("America/New_York").unwrap();
        assert!(matches!(
            new_york.from_local_datetime(&local((2026, 3, 8), (2, 30))),
            MappedLocalTime::None
        ));
        let MappedLocalTime::Ambiguous(earlier, later) =
            new_york.from_local_datetime(&local((2026, 11, 1), (1, 30)))
        else {
            panic!("01:30 on the day the clocks go back happens twice");
        };
        assert_eq!(
            earlier.with_timezone(&Utc),
            Utc.from_utc_datetime(&local((2026, 11, 1), (5, 30)))
        );
        assert_eq!(
            later.with_timezone(&Utc),
            Utc.from_utc_datetime(&local((2026, 11, 1), (6, 30)))
        );
        assert_eq!(earlier.format("%Z").to_string(), "EDT");
    }

    #[test]
    fn an_unknown_name_is_refused_in_words_and_a_known_one_is_read_once() {
        for bad in [
            "",
            "Mars/Olympus_Mons",
            "../../etc/passwd",
            "Europe/London/x",
        ] {
            let err = Zone::named(bad).unwrap_err();
            assert!(
                err.to_string().contains("not a known IANA time zone"),
                "{bad}: {err}"
            );
        }
        let a = Zone::named("Pacific/Auckland").unwrap();
        let b: Zone = "Pacific/Auckland".parse().unwrap();
        assert!(std::ptr::eq(a.0, b.0));
        assert_eq!(a, b);
        assert_eq!(Zone::utc().name(), "UTC");
    }
}
