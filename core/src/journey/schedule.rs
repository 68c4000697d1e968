//! Planned occurrences of action plans, today's list and upcoming reminders.
//!
//! Everything here is a pure function of the plans, the check-ins, a time zone and (where it
//! matters) the current instant, so the apps can call it offline and the tests can pin the clock.
//!
//! Plans are scheduled in local time: an 08:00 walk stays at 08:00 on the person's clock all
//! year round, so its UTC instant moves when daylight saving starts or ends. Local times that
//! the clock skips or shows twice are resolved as [`local_instant`] describes.

use std::collections::HashMap;

use crate::zone::Zone;
use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use serde::Serialize;

use crate::journey::{ActionPlan, CheckIn, Outcome, Repeat, Schedule};
use crate::Result;
use tandem_protocol::word_enum;

/// When the reminder for a plan with no time of day goes off, in local time.
pub const UNTIMED_REMINDER_TIME: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => unreachable!(),
};

/// How long an occurrence with a time but no duration stays open before it counts as missed.
pub const DEFAULT_WINDOW_MINUTES: u32 = 60;

/// The furthest ahead [`reminders`] looks; a longer request is cut to this. Phones keep only a
/// few dozen pending notifications anyway, so apps ask for a week or two and ask again later.
pub const MAX_REMINDER_DAYS: u32 = 366;

/// Reads an IANA time zone name such as `Europe/London`.
pub fn parse_time_zone(name: &str) -> Result<Zone> {
    Zone::named(name)
}

/// One planned occurrence of an action plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Occurrence {
    pub plan_id: String,
    /// The local date in the person's time zone.
    pub date: NaiveDate,
    /// The planned local time of day; `None` for a plan with no set time.
    pub time: Option<NaiveTime>,
    /// The instant `date` + `time` happens in the person's time zone; `None` when `time` is.
    pub starts_at: Option<DateTime<Utc>>,
}

/// Whether `plan` is planned to happen on `date`: the date lies within the plan's start and
/// (inclusive, optional) end, and fits its repeat rule.
pub fn is_planned_day(plan: &ActionPlan, date: NaiveDate) -> bool {
    if date < plan.start || plan.end.is_some_and(|end| date > end) {
        return false;
    }
    match &plan.schedule_on(date).repeat {
        Repeat::Weekly { days } => days.contains(&date.weekday()),
        Repeat::EveryNDays { n } => *n > 0 && (date - plan.start).num_days() % i64::from(*n) == 0,
    }
}

/// The instant a local date and time happen in `tz`.
///
/// Daylight saving makes some local times impossible and others happen twice. The rule (the one
/// calendar apps use, and RFC 5545) is to read the time with the UTC offset in force *before*
/// the clock change:
/// - a time the clock skips (spring forward) moves forward by the length of the gap: on
///   2026-03-08 in America/New_York the clock jumps from 02:00 to 03:00, so 02:30 happens at
///   03:30 local (07:30 UTC);
/// - a time the clock shows twice (fall back) is the earlier of the two: on 2026-11-01 in
///   America/New_York, 01:30 is 01:30 EDT (05:30 UTC), not 01:30 EST.
pub fn local_instant(tz: Zone, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => after_gap(tz, local),
    }
}

/// Reads `local`, which falls in a gap, with the offset in force just before the gap. The
/// longest gaps on record are a day (Pacific/Apia, 2011), so stepping back an hour at a time
/// finds a valid local time within 48 steps; the first one found lies within an hour before the
/// gap, where the offset before the gap applies.
fn after_gap(tz: Zone, local: NaiveDateTime) -> DateTime<Utc> {
    let offset_before = (1..=48).find_map(|hours| {
        let earlier = local.checked_sub_signed(Duration::hours(hours))?;
        tz.from_local_datetime(&earlier)
            .earliest()
            .map(|at| at.offset().fix())
    });
    let utc = offset_before
        .and_then(|offset| {
            local.checked_sub_signed(Duration::seconds(offset.local_minus_utc().into()))
        })
        .unwrap_or(local);
    Utc.from_utc_datetime(&utc)
}

/// The occurrences of `plan` from `from` to `to` (both inclusive), in time order: one per planned
/// day and time of day, or one per planned day with no time when the plan has no set times.
/// `starts_at` follows [`local_instant`].
pub fn occurrences(plan: &ActionPlan, from: NaiveDate, to: NaiveDate, tz: Zone) -> Vec<Occurrence> {
    let first = from.max(plan.start);
    let last = plan.end.map_or(to, |end| to.min(end));
    if first > last {
        return Vec::new();
    }
    // Each stretch of days follows the schedule that applied then.
    let mut out = Vec::new();
    let mut stretch_start = first;
    for earlier in &plan.earlier_schedules {
        if earlier.until < stretch_start {
            continue;
        }
        let stretch_end = earlier.until.min(last);
        out.extend(occurrences_of(
            plan,
            &earlier.schedule,
            stretch_start,
            stretch_end,
            tz,
        ));
        match earlier.until.succ_opt() {
            Some(next) if next <= last => stretch_start = next,
            _ => return out,
        }
    }
    out.extend(occurrences_of(
        plan,
        &plan.schedule,
        stretch_start,
        last,
        tz,
    ));
    out
}

/// The occurrences of `plan` following `schedule` from `first` to `last` (inclusive, within
/// the plan's dates).
fn occurrences_of(
    plan: &ActionPlan,
    schedule: &Schedule,
    first: NaiveDate,
    last: NaiveDate,
    tz: Zone,
) -> Vec<Occurrence> {
    if first > last {
        return Vec::new();
    }
    let mut times: Vec<Option<NaiveTime>> = schedule.times.iter().copied().map(Some).collect();
    times.sort();
    times.dedup();
    if times.is_empty() {
        times.push(None);
    }

    let mut out = Vec::new();
    let mut push_day = |date: NaiveDate| {
        for &time in &times {
            out.push(Occurrence {
                plan_id: plan.id.clone(),
                date,
                time,
                starts_at: time.map(|t| local_instant(tz, date, t)),
            });
        }
    };

    match &schedule.repeat {
        Repeat::Weekly { days } => {
            let mut date = first;
            loop {
                if days.contains(&date.weekday()) {
                    push_day(date);
                }
                match date.succ_opt() {
                    Some(next) if next <= last => date = next,
                    _ => break,
                }
            }
        }
        Repeat::EveryNDays { n } => {
            if *n == 0 {
                return Vec::new();
            }
            let n = u64::from(*n);
            // First day on the plan's rhythm at or after `first`.
            let behind = (first - plan.start).num_days().unsigned_abs() % n;
            let ahead = if behind == 0 { 0 } else { n - behind };
            let mut date = first.checked_add_days(Days::new(ahead));
            while let Some(day) = date.filter(|d| *d <= last) {
                push_day(day);
                date = day.checked_add_days(Days::new(n));
            }
        }
    }
    out
}

/// The occurrences of all `plans` from `from` to `to` (inclusive), ordered by date, then time
/// (untimed first), then plan id.
pub fn occurrences_of_plans(
    plans: &[ActionPlan],
    from: NaiveDate,
    to: NaiveDate,
    tz: Zone,
) -> Vec<Occurrence> {
    let mut all: Vec<Occurrence> = plans
        .iter()
        .flat_map(|plan| occurrences(plan, from, to, tz))
        .collect();
    all.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    all
}

fn order_key(o: &Occurrence) -> (NaiveDate, Option<NaiveTime>, &str) {
    (o.date, o.time, &o.plan_id)
}

/// What identifies one occurrence: plan, local date and planned time.
pub(crate) type OccurrenceKey<'a> = (&'a str, NaiveDate, Option<NaiveTime>);

/// Check-ins by the occurrence they answer. Should two check-ins answer the same occurrence
/// (two devices, offline), the one recorded last wins.
pub(crate) fn check_ins_by_occurrence<'a>(
    check_ins: impl IntoIterator<Item = &'a CheckIn>,
) -> HashMap<OccurrenceKey<'a>, &'a CheckIn> {
    let mut by_key: HashMap<OccurrenceKey<'a>, &'a CheckIn> = HashMap::new();
    for check_in in check_ins {
        let key = (check_in.plan_id.as_str(), check_in.date, check_in.time);
        by_key
            .entry(key)
            .and_modify(|kept| {
                if check_in.recorded_at >= kept.recorded_at {
                    *kept = check_in;
                }
            })
            .or_insert(check_in);
    }
    by_key
}

fn key_of(o: &Occurrence) -> OccurrenceKey<'_> {
    (o.plan_id.as_str(), o.date, o.time)
}

word_enum!(
    /// Where one of today's occurrences stands.
    OccurrenceStatus "occurrence status" {
        Done = "done",
        Partly = "partly",
        NotDone = "not_done",
        /// Not answered yet, and its time has not passed.
        Due = "due",
        /// Not answered, and its time has passed.
        Missed = "missed",
    }
);

impl From<Outcome> for OccurrenceStatus {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Done => OccurrenceStatus::Done,
            Outcome::Partly => OccurrenceStatus::Partly,
            Outcome::NotDone => OccurrenceStatus::NotDone,
        }
    }
}

/// One line of today's list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TodayItem {
    pub occurrence: Occurrence,
    /// The plan's `what`.
    pub what: String,
    pub status: OccurrenceStatus,
    /// The check-in answering this occurrence, if any.
    pub check_in: Option<CheckIn>,
}

/// Today's list, for the person's local date at `now` in `tz`, ordered like
/// [`occurrences_of_plans`].
///
/// Each planned occurrence is `Done`, `Partly` or `NotDone` once checked in; before that it is
/// `Due` until its window ends and `Missed` after. A timed occurrence's window ends
/// `duration_minutes` after it starts ([`DEFAULT_WINDOW_MINUTES`] without a duration); an
/// untimed one's at the end of the local day, so it is never missed today.
///
/// Check-ins made for today on a day or time the plan did not plan (an extra walk) are listed
/// too, with their own outcome. Check-ins for plans not in `plans` are left out.
pub fn today(
    plans: &[ActionPlan],
    check_ins: &[CheckIn],
    now: DateTime<Utc>,
    tz: Zone,
) -> Vec<TodayItem> {
    let date = now.with_timezone(&tz).date_naive();
    let mut answers = check_ins_by_occurrence(check_ins.iter().filter(|c| c.date == date));

    let mut items = Vec::new();
    for plan in plans {
        for occurrence in occurrences(plan, date, date, tz) {
            let check_in = answers.remove(&(plan.id.as_str(), occurrence.date, occurrence.time));
            let status = match check_in {
                Some(c) => c.outcome.into(),
                None if window_has_ended(plan, &occurrence, now) => OccurrenceStatus::Missed,
                None => OccurrenceStatus::Due,
            };
            items.push(TodayItem {
                occurrence,
                what: plan.what.clone(),
                status,
                check_in: check_in.cloned(),
            });
        }
    }

    // What is left answered nothing planned: extra, unplanned check-ins.
    for check_in in answers.into_values() {
        let Some(plan) = plans.iter().find(|p| p.id == check_in.plan_id) else {
            continue;
        };
        items.push(TodayItem {
            occurrence: Occurrence {
                plan_id: check_in.plan_id.clone(),
                date,
                time: check_in.time,
                starts_at: check_in.time.map(|t| local_instant(tz, date, t)),
            },
            what: plan.what.clone(),
            status: check_in.outcome.into(),
            check_in: Some(check_in.clone()),
        });
    }

    items.sort_by(|a, b| order_key(&a.occurrence).cmp(&order_key(&b.occurrence)));
    items
}

fn window_has_ended(plan: &ActionPlan, occurrence: &Occurrence, now: DateTime<Utc>) -> bool {
    match occurrence.starts_at {
        Some(starts_at) => {
            let minutes = plan.duration_minutes.unwrap_or(DEFAULT_WINDOW_MINUTES);
            starts_at
                .checked_add_signed(Duration::minutes(minutes.into()))
                .is_none_or(|end| end <= now)
        }
        // Open until the end of the local day, which is after `now` for today's list.
        None => false,
    }
}

/// A notification to schedule on the phone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub plan_id: String,
    /// The plan's `what`.
    pub what: String,
    /// The occurrence's local date and planned time.
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    /// When to remind: the occurrence's start, or [`UNTIMED_REMINDER_TIME`] local for a plan
    /// with no set time.
    pub at: DateTime<Utc>,
}

/// The reminders due after `now` and within the next `days` × 24 hours (at most
/// [`MAX_REMINDER_DAYS`]), ordered by `at`: one per occurrence of each plan that has reminders
/// on, leaving out occurrences already checked in. A phone schedules these as local
/// notifications, so they go off while it is offline.
pub fn reminders(
    plans: &[ActionPlan],
    check_ins: &[CheckIn],
    now: DateTime<Utc>,
    days: u32,
    tz: Zone,
) -> Vec<Reminder> {
    let Some(until) = now.checked_add_signed(Duration::days(days.min(MAX_REMINDER_DAYS).into()))
    else {
        return Vec::new();
    };
    // A day either side: resolving a local time near midnight across a gap can cross the date.
    let from = now.with_timezone(&tz).date_naive().pred_opt();
    let to = until.with_timezone(&tz).date_naive().succ_opt();
    let (Some(from), Some(to)) = (from, to) else {
        return Vec::new();
    };
    let answers = check_ins_by_occurrence(check_ins);

    let mut out = Vec::new();
    for plan in plans.iter().filter(|p| p.reminder) {
        for occurrence in occurrences(plan, from, to, tz) {
            if answers.contains_key(&key_of(&occurrence)) {
                continue;
            }
            let at = occurrence
                .starts_at
                .unwrap_or_else(|| local_instant(tz, occurrence.date, UNTIMED_REMINDER_TIME));
            if at > now && at < until {
                out.push(Reminder {
                    plan_id: occurrence.plan_id,
                    what: plan.what.clone(),
                    date: occurrence.date,
                    time: occurrence.time,
                    at,
                });
            }
        }
    }
    out.sort_by(|a, b| (a.at, &a.plan_id).cmp(&(b.at, &b.plan_id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::Reason;
    use crate::Error;
    use chrono::Weekday::{self, Fri, Mon, Sat, Sun, Tue, Wed};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn tz(name: &str) -> Zone {
        parse_time_zone(name).unwrap()
    }

    fn weekly(days: &[Weekday]) -> Repeat {
        Repeat::Weekly {
            days: days.to_vec(),
        }
    }

    fn plan(id: &str, repeat: Repeat, times: &[&str], start: &str) -> ActionPlan {
        ActionPlan {
            id: id.into(),
            what: format!("{id} plan"),
            place: None,
            earlier_schedules: vec![],
            schedule: crate::journey::Schedule {
                repeat,
                times: times.iter().map(|s| t(s)).collect(),
            },
            duration_minutes: None,
            goal_id: None,
            step_id: None,
            barriers: None,
            supports: None,
            agreed_by: Vec::new(),
            reminder: true,
            start: d(start),
            end: None,
        }
    }

    fn check_in(plan_id: &str, date: &str, time: Option<&str>, outcome: Outcome) -> CheckIn {
        CheckIn {
            plan_id: plan_id.into(),
            date: d(date),
            time: time.map(t),
            outcome,
            reasons: Vec::new(),
            reason_text: None,
            note: None,
            recorded_at: utc("2026-01-01T00:00:00Z"),
        }
    }

    fn dates(occurrences: &[Occurrence]) -> Vec<NaiveDate> {
        occurrences.iter().map(|o| o.date).collect()
    }

    #[test]
    fn a_walk_on_monday_wednesday_and_friday_for_two_weeks() {
        let walk = plan("walk", weekly(&[Mon, Wed, Fri]), &["08:00"], "2026-03-02");
        let got = occurrences(&walk, d("2026-03-02"), d("2026-03-15"), tz("Europe/London"));
        assert_eq!(
            dates(&got),
            [
                "2026-03-02",
                "2026-03-04",
                "2026-03-06",
                "2026-03-09",
                "2026-03-11",
                "2026-03-13"
            ]
            .map(d)
        );
        // London keeps GMT in early March, so 08:00 local is 08:00 UTC.
        assert_eq!(
            got[0],
            Occurrence {
                plan_id: "walk".into(),
                date: d("2026-03-02"),
                time: Some(t("08:00")),
                starts_at: Some(utc("2026-03-02T08:00:00Z")),
            }
        );
        assert!(is_planned_day(&walk, d("2026-03-04")));
        assert!(!is_planned_day(&walk, d("2026-03-05")), "a Thursday");
        assert!(
            !is_planned_day(&walk, d("2026-02-27")),
            "a Friday before the start"
        );
    }

    #[test]
    fn medication_twice_a_day_comes_in_time_order_whatever_order_it_was_typed_in() {
        let meds = plan("meds", weekly(&[Tue]), &["20:00", "08:00"], "2026-03-01");
        let got = occurrences(&meds, d("2026-03-03"), d("2026-03-03"), tz("Europe/London"));
        let times: Vec<_> = got.iter().map(|o| o.time).collect();
        assert_eq!(times, [Some(t("08:00")), Some(t("20:00"))]);
    }

    #[test]
    fn a_call_every_three_days_counts_from_the_plan_start_across_a_month_end() {
        // Started Friday 30 January: 30 Jan, 2 Feb, 5 Feb, 8 Feb, 11 Feb ...
        let call = plan("call", Repeat::EveryNDays { n: 3 }, &[], "2026-01-30");
        let got = occurrences(&call, d("2026-02-01"), d("2026-02-10"), tz("Europe/London"));
        assert_eq!(
            dates(&got),
            ["2026-02-02", "2026-02-05", "2026-02-08"].map(d)
        );
        assert!(got
            .iter()
            .all(|o| o.time.is_none() && o.starts_at.is_none()));
        assert!(is_planned_day(&call, d("2026-01-30")));
        assert!(!is_planned_day(&call, d("2026-01-31")));
        assert!(is_planned_day(&call, d("2026-02-02")));
    }

    #[test]
    fn a_weekend_plan_across_the_end_of_january() {
        // 31 January 2026 is a Saturday.
        let rest = plan("rest", weekly(&[Sat, Sun]), &[], "2026-01-01");
        let got = occurrences(&rest, d("2026-01-30"), d("2026-02-02"), tz("Europe/London"));
        assert_eq!(dates(&got), ["2026-01-31", "2026-02-01"].map(d));
    }

    #[test]
    fn a_plan_that_ends_includes_its_last_day_and_one_that_starts_mid_range_begins_there() {
        let mut course = plan("course", Repeat::EveryNDays { n: 1 }, &[], "2026-03-10");
        course.end = Some(d("2026-03-12"));
        let gym = plan("gym", weekly(&[Mon]), &["18:00"], "2026-03-11");
        let march = (d("2026-03-01"), d("2026-03-31"));
        let zone = tz("Europe/London");

        let got = occurrences(&course, march.0, march.1, zone);
        assert_eq!(
            dates(&got),
            ["2026-03-10", "2026-03-11", "2026-03-12"].map(d)
        );
        assert!(is_planned_day(&course, d("2026-03-12")));
        assert!(!is_planned_day(&course, d("2026-03-13")));

        let got = occurrences(&gym, march.0, march.1, zone);
        assert_eq!(
            dates(&got),
            ["2026-03-16", "2026-03-23", "2026-03-30"].map(d)
        );

        // Both together: by date, then time (untimed first), then plan.
        let all = occurrences_of_plans(&[gym, course], march.0, march.1, zone);
        let order: Vec<_> = all.iter().map(|o| (o.date, o.plan_id.as_str())).collect();
        assert_eq!(
            order,
            [
                (d("2026-03-10"), "course"),
                (d("2026-03-11"), "course"),
                (d("2026-03-12"), "course"),
                (d("2026-03-16"), "gym"),
                (d("2026-03-23"), "gym"),
                (d("2026-03-30"), "gym"),
            ]
        );
    }

    #[test]
    fn plans_of_the_same_day_sort_untimed_first_then_by_time_then_by_plan() {
        let zone = tz("Europe/London");
        let plans = [
            plan("b-walk", weekly(&[Mon]), &["08:00"], "2026-03-02"),
            plan("journal", weekly(&[Mon]), &[], "2026-03-02"),
            plan("a-meds", weekly(&[Mon]), &["08:00", "07:00"], "2026-03-02"),
        ];
        let got = occurrences_of_plans(&plans, d("2026-03-02"), d("2026-03-02"), zone);
        let order: Vec<_> = got.iter().map(|o| (o.time, o.plan_id.as_str())).collect();
        assert_eq!(
            order,
            [
                (None, "journal"),
                (Some(t("07:00")), "a-meds"),
                (Some(t("08:00")), "a-meds"),
                (Some(t("08:00")), "b-walk"),
            ]
        );
    }

    #[test]
    fn leap_day_2028_is_a_tuesday_and_on_the_every_n_days_rhythm() {
        let zone = tz("Europe/London");
        assert_eq!(d("2028-02-29").weekday(), Tue);
        let tuesday = plan("tuesday", weekly(&[Tue]), &[], "2028-01-01");
        let got = occurrences(&tuesday, d("2028-02-27"), d("2028-03-05"), zone);
        assert_eq!(dates(&got), [d("2028-02-29")]);

        // Every three days from 26 February: 26, 29 February, 3 March (a 28-day February would
        // have given 1 March instead).
        let swim = plan("swim", Repeat::EveryNDays { n: 3 }, &[], "2028-02-26");
        let got = occurrences(&swim, d("2028-02-26"), d("2028-03-06"), zone);
        assert_eq!(
            dates(&got),
            ["2028-02-26", "2028-02-29", "2028-03-03", "2028-03-06"].map(d)
        );
    }

    #[test]
    fn five_years_of_occurrences_agree_with_is_planned_day() {
        let zone = tz("America/New_York");
        let (from, to) = (d("2026-01-01"), d("2030-12-31"));
        let mut ending = plan(
            "ending",
            Repeat::EveryNDays { n: 7 },
            &["09:00"],
            "2026-05-17",
        );
        ending.end = Some(d("2029-02-28"));
        let plans = [
            plan(
                "walk",
                weekly(&[Mon, Wed, Fri]),
                &["08:00", "18:30"],
                "2025-12-01",
            ),
            plan("call", Repeat::EveryNDays { n: 3 }, &[], "2025-12-30"),
            ending,
        ];
        for plan in &plans {
            let got = occurrences(plan, from, to, zone);
            let per_day = plan.schedule.times.len().max(1);
            let expected: Vec<NaiveDate> = from
                .iter_days()
                .take_while(|day| *day <= to)
                .filter(|day| is_planned_day(plan, *day))
                .flat_map(|day| std::iter::repeat_n(day, per_day))
                .collect();
            assert_eq!(dates(&got), expected, "plan {}", plan.id);
        }
        // 1826 days, counted 0 … 1825 from 1 January 2026, which is day 2 of the rhythm
        // started 30 December: the call falls on days 1, 4, … 1825, that is 609 of them.
        assert_eq!(occurrences(&plans[1], from, to, zone).len(), 609);
    }

    #[test]
    fn an_eight_oclock_walk_stays_at_eight_local_when_london_changes_its_clocks() {
        let zone = tz("Europe/London");
        let walk = plan(
            "walk",
            Repeat::EveryNDays { n: 1 },
            &["08:00"],
            "2026-01-01",
        );
        let at = |date: &str| occurrences(&walk, d(date), d(date), zone)[0].starts_at;
        // Spring forward on Sunday 29 March: GMT (UTC+0) becomes BST (UTC+1).
        assert_eq!(at("2026-03-28"), Some(utc("2026-03-28T08:00:00Z")));
        assert_eq!(at("2026-03-29"), Some(utc("2026-03-29T07:00:00Z")));
        // Fall back on Sunday 25 October.
        assert_eq!(at("2026-10-24"), Some(utc("2026-10-24T07:00:00Z")));
        assert_eq!(at("2026-10-25"), Some(utc("2026-10-25T08:00:00Z")));
    }

    #[test]
    fn an_eight_oclock_walk_stays_at_eight_local_when_new_york_changes_its_clocks() {
        let zone = tz("America/New_York");
        let walk = plan(
            "walk",
            Repeat::EveryNDays { n: 1 },
            &["08:00"],
            "2026-01-01",
        );
        let at = |date: &str| occurrences(&walk, d(date), d(date), zone)[0].starts_at;
        // EST (UTC−5) until Sunday 8 March, EDT (UTC−4) until Sunday 1 November.
        assert_eq!(at("2026-03-07"), Some(utc("2026-03-07T13:00:00Z")));
        assert_eq!(at("2026-03-08"), Some(utc("2026-03-08T12:00:00Z")));
        assert_eq!(at("2026-10-31"), Some(utc("2026-10-31T12:00:00Z")));
        assert_eq!(at("2026-11-01"), Some(utc("2026-11-01T13:00:00Z")));
    }

    #[test]
    fn a_time_the_clock_shows_twice_is_the_earlier_one() {
        // New York, 1 November 2026: 01:00–02:00 happens in EDT, then again in EST.
        let ny = tz("America/New_York");
        assert_eq!(
            local_instant(ny, d("2026-11-01"), t("01:30")),
            utc("2026-11-01T05:30:00Z")
        );
        // London, 25 October 2026: 01:00–02:00 happens in BST, then again in GMT.
        let london = tz("Europe/London");
        assert_eq!(
            local_instant(london, d("2026-10-25"), t("01:30")),
            utc("2026-10-25T00:30:00Z")
        );
    }

    #[test]
    fn a_time_the_clock_skips_moves_forward_by_the_length_of_the_gap() {
        // New York, 8 March 2026: at 02:00 EST the clock jumps to 03:00 EDT.
        let ny = tz("America/New_York");
        let meds = plan(
            "meds",
            Repeat::EveryNDays { n: 1 },
            &["02:30"],
            "2026-01-01",
        );
        let got = occurrences(&meds, d("2026-03-08"), d("2026-03-08"), ny);
        let at = got[0].starts_at.unwrap();
        assert_eq!(at, utc("2026-03-08T07:30:00Z"));
        assert_eq!(at.with_timezone(&ny).time(), t("03:30"));
        // The occurrence still answers to its planned date and time.
        assert_eq!(
            (got[0].date, got[0].time),
            (d("2026-03-08"), Some(t("02:30")))
        );

        // London, 29 March 2026: at 01:00 GMT the clock jumps to 02:00 BST.
        let london = tz("Europe/London");
        let at = local_instant(london, d("2026-03-29"), t("01:30"));
        assert_eq!(at, utc("2026-03-29T01:30:00Z"));
        assert_eq!(at.with_timezone(&london).time(), t("02:30"));
        // 02:30 exists in London that night (it is BST already).
        assert_eq!(
            local_instant(london, d("2026-03-29"), t("02:30")),
            utc("2026-03-29T01:30:00Z")
        );

        // Samoa skipped all of 30 December 2011 (UTC−10 to UTC+14): 10:00 that day becomes
        // 10:00 on the 31st.
        let apia = tz("Pacific/Apia");
        let at = local_instant(apia, d("2011-12-30"), t("10:00"));
        assert_eq!(at, utc("2011-12-30T20:00:00Z"));
        assert_eq!(
            at.with_timezone(&apia).naive_local(),
            d("2011-12-31").and_time(t("10:00"))
        );
    }

    /// Wednesday 4 March 2026 in London (GMT, so local time is UTC).
    fn wednesday_plans() -> Vec<ActionPlan> {
        let mut walk = plan("walk", weekly(&[Mon, Wed, Fri]), &["08:00"], "2026-03-02");
        walk.duration_minutes = Some(30);
        let breathing = plan(
            "breathing",
            Repeat::EveryNDays { n: 1 },
            &["07:00", "11:30"],
            "2026-03-01",
        );
        let call = plan("call", Repeat::EveryNDays { n: 1 }, &[], "2026-03-01");
        let mut swim = plan("swim", weekly(&[Wed]), &["10:00"], "2026-03-01");
        swim.duration_minutes = Some(45);
        let journal = plan("journal", weekly(&[Mon, Wed]), &[], "2026-03-01");
        let stretch = plan("stretch", weekly(&[Sat]), &[], "2026-03-01");
        vec![walk, breathing, call, swim, journal, stretch]
    }

    fn statuses(items: &[TodayItem]) -> Vec<(&str, Option<NaiveTime>, OccurrenceStatus)> {
        items
            .iter()
            .map(|i| (i.occurrence.plan_id.as_str(), i.occurrence.time, i.status))
            .collect()
    }

    #[test]
    fn todays_list_at_noon_on_a_busy_wednesday() {
        use OccurrenceStatus::*;
        let zone = tz("Europe/London");
        let mut skipped_swim = check_in("swim", "2026-03-04", Some("10:00"), Outcome::NotDone);
        skipped_swim.reasons = vec![Reason::Anxious];
        let check_ins = [
            check_in("walk", "2026-03-04", Some("08:00"), Outcome::Done),
            skipped_swim.clone(),
            check_in("journal", "2026-03-04", None, Outcome::Partly),
            // Monday's walk, and an extra stretch today although it is planned for Saturdays.
            check_in("walk", "2026-03-02", Some("08:00"), Outcome::Done),
            check_in("stretch", "2026-03-04", None, Outcome::Done),
            // A check-in for a plan that is no longer in the list.
            check_in("gone", "2026-03-04", None, Outcome::Done),
        ];
        let items = today(
            &wednesday_plans(),
            &check_ins,
            utc("2026-03-04T12:00:00Z"),
            zone,
        );
        assert_eq!(
            statuses(&items),
            [
                ("call", None, Due),
                ("journal", None, Partly),
                ("stretch", None, Done),
                // 07:00 + the default hour ended at 08:00.
                ("breathing", Some(t("07:00")), Missed),
                ("walk", Some(t("08:00")), Done),
                ("swim", Some(t("10:00")), NotDone),
                // 11:30 + the default hour is open until 12:30.
                ("breathing", Some(t("11:30")), Due),
            ]
        );
        let swim = items
            .iter()
            .find(|i| i.occurrence.plan_id == "swim")
            .unwrap();
        assert_eq!(swim.what, "swim plan");
        assert_eq!(swim.check_in.as_ref(), Some(&skipped_swim));
        assert!(items.iter().all(|i| i.occurrence.date == d("2026-03-04")));
    }

    #[test]
    fn an_occurrence_is_due_until_its_window_ends_then_missed() {
        use OccurrenceStatus::*;
        let zone = tz("Europe/London");
        let plans = wednesday_plans();
        let at = |now: &str, id: &str, time: &str| {
            today(&plans, &[], utc(now), zone)
                .into_iter()
                .find(|i| i.occurrence.plan_id == id && i.occurrence.time == Some(t(time)))
                .unwrap()
                .status
        };
        assert_eq!(
            at("2026-03-04T06:00:00Z", "walk", "08:00"),
            Due,
            "not started yet"
        );
        assert_eq!(
            at("2026-03-04T08:29:00Z", "walk", "08:00"),
            Due,
            "within its 30 minutes"
        );
        assert_eq!(at("2026-03-04T08:30:00Z", "walk", "08:00"), Missed);
        assert_eq!(at("2026-03-04T10:44:00Z", "swim", "10:00"), Due);
        assert_eq!(at("2026-03-04T10:45:00Z", "swim", "10:00"), Missed);
        // An untimed plan stays due all day.
        let late = today(&plans, &[], utc("2026-03-04T23:59:00Z"), zone);
        let call = late
            .iter()
            .find(|i| i.occurrence.plan_id == "call")
            .unwrap();
        assert_eq!(call.status, Due);
    }

    #[test]
    fn today_is_the_persons_local_date() {
        // 03:00 UTC on Thursday 5 March is still Wednesday evening, 22:00, in New York.
        let zone = tz("America/New_York");
        let items = today(&wednesday_plans(), &[], utc("2026-03-05T03:00:00Z"), zone);
        assert!(items.iter().all(|i| i.occurrence.date == d("2026-03-04")));
        assert!(items.iter().any(|i| i.occurrence.plan_id == "swim"));
        // The walk at 08:00 EST started at 13:00 UTC.
        let walk = items
            .iter()
            .find(|i| i.occurrence.plan_id == "walk")
            .unwrap();
        assert_eq!(walk.occurrence.starts_at, Some(utc("2026-03-04T13:00:00Z")));
        assert_eq!(walk.status, OccurrenceStatus::Missed);
    }

    #[test]
    fn reminders_for_the_coming_week_skip_what_is_checked_in_and_plans_without_reminders() {
        let zone = tz("Europe/London");
        let walk = plan("walk", weekly(&[Mon, Wed, Fri]), &["08:00"], "2026-03-02");
        let call = plan("call", Repeat::EveryNDays { n: 3 }, &[], "2026-03-01");
        let mut journal = plan(
            "journal",
            Repeat::EveryNDays { n: 1 },
            &["21:00"],
            "2026-03-01",
        );
        journal.reminder = false;
        // Done early on Wednesday's walk: no reminder for it.
        let check_ins = [check_in("walk", "2026-03-04", Some("08:00"), Outcome::Done)];

        // Monday 2 March, 09:00: this morning's walk has passed.
        let got = reminders(
            &[walk, call, journal],
            &check_ins,
            utc("2026-03-02T09:00:00Z"),
            7,
            zone,
        );
        let got: Vec<_> = got
            .iter()
            .map(|r| (r.plan_id.as_str(), r.date, r.time, r.at))
            .collect();
        assert_eq!(
            got,
            [
                // The call (1, 4, 7, 10 March) has no time: reminded at 09:00.
                ("call", d("2026-03-04"), None, utc("2026-03-04T09:00:00Z")),
                (
                    "walk",
                    d("2026-03-06"),
                    Some(t("08:00")),
                    utc("2026-03-06T08:00:00Z")
                ),
                ("call", d("2026-03-07"), None, utc("2026-03-07T09:00:00Z")),
                // Just inside the seven days, which end at 09:00 on Monday 9 March.
                (
                    "walk",
                    d("2026-03-09"),
                    Some(t("08:00")),
                    utc("2026-03-09T08:00:00Z")
                ),
            ]
        );
    }

    #[test]
    fn reminders_follow_the_local_clock_across_a_change() {
        let zone = tz("Europe/London");
        let walk = plan("walk", weekly(&[Sat, Sun]), &["08:00"], "2026-03-01");
        let plans = [walk];
        let got = reminders(&plans, &[], utc("2026-03-27T12:00:00Z"), 3, zone);
        let at: Vec<_> = got.iter().map(|r| r.at).collect();
        assert_eq!(
            at,
            [utc("2026-03-28T08:00:00Z"), utc("2026-03-29T07:00:00Z")]
        );
        assert!(reminders(&plans, &[], utc("2026-03-27T12:00:00Z"), 0, zone).is_empty());
    }

    #[test]
    fn an_unknown_time_zone_is_refused_with_an_example() {
        assert_eq!(
            parse_time_zone("Europe/London").unwrap(),
            Zone::named("Europe/London").unwrap()
        );
        match parse_time_zone("Europe/Londn") {
            Err(Error::Invalid(e)) => {
                assert_eq!(e.field, "time_zone");
                assert!(e.problem.contains("Europe/Londn"), "{}", e.problem);
                assert!(e.problem.contains("e.g. Europe/London"), "{}", e.problem);
            }
            other => panic!("expected an invalid time zone, got {other:?}"),
        }
    }

    #[test]
    fn an_every_zero_days_plan_from_an_old_document_never_happens_and_does_not_panic() {
        let odd = plan("odd", Repeat::EveryNDays { n: 0 }, &[], "2026-03-01");
        assert!(!is_planned_day(&odd, d("2026-03-01")));
        assert!(occurrences(&odd, d("2026-03-01"), d("2026-03-31"), tz("UTC")).is_empty());
    }
}
