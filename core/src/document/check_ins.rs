//! Check-in documents: one per journey and month, so that a journey of many years opens by
//! loading only the journey and the current month, however long its history.
//!
//! A month's document id is derived from the journey's id and the month, and its first change is
//! the same on every device, so two devices that start a month offline start the same document.

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ReadDoc, ROOT};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use samod::DocumentId;

use super::fields::{ensure_map, write_fields, Field, MapReader};
use super::{derived_doc_id, genesis, DocKind};
use crate::error::Result;
use crate::journey::{CheckIn, CheckInInput, Outcome, Reason};

/// The month a date's check-ins are kept in: "2026-11".
pub(crate) fn period_of(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
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
        true,
        actor,
    )
}

/// One check-in per occurrence: a second check-in on the same occurrence changes the first.
fn occurrence_key(plan_id: &str, date: NaiveDate, time: Option<NaiveTime>) -> String {
    let time = time.map_or_else(|| "-".to_string(), Field::time);
    format!("{plan_id}/{date}/{time}")
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

/// Every readable check-in of a month document, by date, time and plan.
pub(crate) fn read_check_ins(doc: &Automerge) -> Vec<CheckIn> {
    let root = MapReader::new(doc, ROOT);
    let mut check_ins: Vec<CheckIn> = root
        .entries("check_ins")
        .into_iter()
        .filter_map(|(_, r)| {
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
        })
        .collect();
    check_ins.sort_by(|a, b| (a.date, a.time, &a.plan_id).cmp(&(b.date, b.time, &b.plan_id)));
    check_ins
}
