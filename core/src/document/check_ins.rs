//! Check-in documents: one per journey and month, so that a journey of many years opens by
//! loading only the journey and the current month, however long its history.
//!
//! A month's document id is derived from the journey's id and the month, and its first change is
//! the same on every device, so two devices that start a month offline start the same document.

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ObjType, ReadDoc, ValueRef, ROOT};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use samod::DocumentId;

use super::fields::{ensure_map, map_at, write_fields, Field, MapReader};
use super::{derived_doc_id, genesis, DocKind};
use crate::error::Result;
use crate::journey::{CheckIn, CheckInInput, Outcome, Reason};

/// The month a date's check-ins are kept in: "2026-11".
pub(crate) fn period_of(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// Whether a month is recent enough to keep in memory once read, `now`: this month and last,
/// on either side of UTC.
pub(crate) fn is_recent(period: &str, now: DateTime<Utc>) -> bool {
    let a_month_ago = now.date_naive() - chrono::Days::new(31);
    period >= period_of(a_month_ago).as_str()
}

/// The check-in document of `journey` for `period`.
pub(crate) fn period_doc_id(journey: &str, period: &str) -> DocumentId {
    derived_doc_id(&["check_ins", journey, period])
}

pub(crate) fn new_period_doc(journey: &str, period: &str, actor: &ActorId) -> Result<Automerge> {
    genesis(
        DocKind::CheckIns,
        &period_doc_id(journey, period),
        vec![
            ("journey", Field::str(journey)),
            ("period", Field::str(period)),
        ],
        super::Made::Everywhere,
        actor,
    )
}

/// One check-in per occurrence: a second check-in on the same occurrence changes the first.
/// Keys start with the date, so one day's check-ins are one range of keys.
fn occurrence_key(plan_id: &str, date: NaiveDate, time: Option<NaiveTime>) -> String {
    let time = time.map_or_else(|| "-".to_string(), Field::time);
    format!("{date}/{time}/{plan_id}")
}

/// Writes a check-in (whose time is already resolved against the plan).
pub(crate) fn put_check_in<T: Transactable + ReadDoc>(
    tx: &mut T,
    input: &CheckInInput,
    recorded_at: DateTime<Utc>,
) -> Result<()> {
    let all = ensure_map(tx, &ROOT, "check_ins")?;
    let key = occurrence_key(&input.plan_id, input.date, input.time);
    let obj = ensure_map(tx, &all, &key)?;
    write_fields(
        tx,
        &obj,
        &vec![
            ("plan_id", Field::str(&input.plan_id)),
            ("date", Field::date(input.date)),
            (
                "time",
                input
                    .time
                    .map_or(Field::Absent, |t| Field::Str(Field::time(t))),
            ),
            ("outcome", Field::str(input.outcome.as_str())),
            ("reasons", Field::words(&input.reasons)),
            ("reason_text", Field::opt_str(input.reason_text.as_deref())),
            ("note", Field::opt_str(input.note.as_deref())),
            ("recorded_at", Field::str(recorded_at.to_rfc3339())),
        ],
    )
}

/// Removes the check-in answering an occurrence; false when there was none.
pub(crate) fn remove_check_in<T: Transactable + ReadDoc>(
    tx: &mut T,
    plan_id: &str,
    date: NaiveDate,
    time: Option<NaiveTime>,
) -> Result<bool> {
    let Some(all) = map_at(tx, &ROOT, "check_ins") else {
        return Ok(false);
    };
    let key = occurrence_key(plan_id, date, time);
    if map_at(tx, &all, &key).is_none() {
        return Ok(false);
    }
    tx.delete(&all, key.as_str())?;
    Ok(true)
}

/// The readable check-ins of a month document dated `from..=to`, by date, time and plan.
pub(crate) fn read_check_ins(doc: &Automerge, from: NaiveDate, to: NaiveDate) -> Vec<CheckIn> {
    let Some(all) = map_at(doc, &ROOT, "check_ins") else {
        return Vec::new();
    };
    // Keys compare as text, so bound them with four-digit years; '~' sorts after every
    // character of a time or a plan id.
    let (first, last) = (
        NaiveDate::from_ymd_opt(1, 1, 1),
        NaiveDate::from_ymd_opt(9999, 12, 31),
    );
    let (first, last) = (first.expect("a date"), last.expect("a date"));
    let keys = format!("{}", from.clamp(first, last))..=format!("{}/~", to.clamp(first, last));
    let mut check_ins: Vec<CheckIn> = doc
        .map_range(&all, keys)
        .filter_map(|item| match item.value {
            ValueRef::Object(ObjType::Map) => read_check_in(&MapReader::new(doc, item.id())),
            _ => None,
        })
        .filter(|c| c.date >= from && c.date <= to)
        .collect();
    check_ins.sort_by(|a, b| (a.date, a.time, &a.plan_id).cmp(&(b.date, b.time, &b.plan_id)));
    check_ins
}

fn read_check_in(r: &MapReader<'_, Automerge>) -> Option<CheckIn> {
    Some(CheckIn {
        plan_id: r.str("plan_id")?,
        date: r.date("date")?,
        time: r.time("time"),
        outcome: Outcome::parse(&r.str("outcome")?)?,
        reasons: r
            .list("reasons")
            .iter()
            .filter_map(|w| Reason::parse(w))
            .collect(),
        reason_text: r.str("reason_text"),
        note: r.str("note"),
        recorded_at: r.instant("recorded_at").unwrap_or_default(),
    })
}
