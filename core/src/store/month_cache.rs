//! The check-ins of past months, kept ready to read.
//!
//! A month that is no longer recent is not kept in memory, and loading its automerge document
//! and reading its check-ins costs ~10 ms a month — a year on the insights screen, over
//! 100 ms. So the store keeps beside each past month's rows a plain copy of its check-ins
//! (`month_check_ins`), made the first time the month is read from disk. The copy is used only
//! while the rows on disk are exactly those it was made from: it carries a digest of their
//! keys, and a key names its content (a change's hash, a bundle's hashes, a snapshot's heads),
//! so any change from anywhere — an edit, a sync, a compaction — makes the copy unused and the
//! next read makes a new one. When a document's rows are deleted (a journey no longer shared)
//! its copy goes in the same statement (a trigger, local migration 6): a copy never outlives
//! the document.

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use minicbor::data::Type;
use rusqlite::{params, OptionalExtension};
use samod::DocumentId;

use super::compactor::{doc_from_rows, hex_digest};
use super::seal::{self, At};
use super::{kv, Store};
use crate::document::check_ins::read_check_ins;
use crate::document::{check_header, DocKind};
use crate::error::Result;
use crate::journey::{CheckIn, Outcome, Reason};

/// The copies' encoding; a copy in another is not used (and is replaced).
const FORMAT: i64 = 1;

impl Store {
    /// Every check-in of a month not in memory: from its copy when the rows on disk are the
    /// ones it was made from, else read from the rows (and copied). `None` when the store has
    /// no rows of it.
    pub(crate) fn past_month(&self, id: &DocumentId) -> Result<Option<Vec<CheckIn>>> {
        let doc_id = id.to_string();
        let rows = {
            let conn = self.lock_db();
            let keys = kv::keys_under(&conn, doc_id.as_bytes())?;
            if keys.is_empty() {
                return Ok(None);
            }
            let copy: Option<Vec<u8>> = conn
                .prepare_cached(
                    "SELECT check_ins FROM month_check_ins
                     WHERE doc_id = ?1 AND rows_digest = ?2 AND format = ?3",
                )?
                .query_row(params![doc_id, rows_digest(&keys), FORMAT], |r| r.get(0))
                .optional()?;
            if let Some(copy) = copy {
                // A copy that does not open is remade, like one that does not decode.
                let opened = self.sealer.open(At::MonthCopy(&doc_id), &copy).ok();
                if let Some(check_ins) = opened.as_deref().and_then(decode) {
                    return Ok(Some(check_ins));
                }
            }
            seal::load_rows(&conn, &self.sealer, doc_id.as_bytes())?
        };
        if rows.is_empty() {
            return Ok(None);
        }
        let doc = doc_from_rows(id, &rows, automerge::Automerge::new())?;
        check_header(&doc, id, DocKind::CheckIns)?;
        let check_ins = read_check_ins(&doc, NaiveDate::MIN, NaiveDate::MAX);
        let keys: Vec<Vec<u8>> = rows.into_iter().map(|(key, _)| key).collect();
        // Only while the document is still there: a copy must not outlive it.
        let (lower, upper) = kv::bounds_under(doc_id.as_bytes());
        self.lock_db()
            .prepare_cached(
                "INSERT OR REPLACE INTO month_check_ins (doc_id, rows_digest, format, check_ins)
                 SELECT ?1, ?2, ?3, ?4
                 WHERE EXISTS (SELECT 1 FROM kv WHERE key >= ?5 AND key < ?6)",
            )?
            .execute(params![
                doc_id,
                rows_digest(&keys),
                FORMAT,
                self.sealer
                    .seal(At::MonthCopy(&doc_id), &encode(&check_ins))
                    .as_ref(),
                lower,
                upper
            ])?;
        Ok(Some(check_ins))
    }
}

/// The digest of a document's row keys, in key order.
fn rows_digest(keys: &[Vec<u8>]) -> String {
    // Keys never hold a NUL: it separates them.
    hex_digest(keys.iter().flat_map(|k| [k.as_slice(), b"\0"]))
}

// ----- the copy's encoding: CBOR, [[plan ids], [check-in ...]] -----
//
// A check-in: [plan (index into the plan ids), days from the common era, seconds from
// midnight or null, outcome word, [reason words], reason text or null, note or null,
// recorded at (Unix seconds), its nanoseconds]. Words are the documents' own, so a copy reads
// back exactly what the document holds.

fn encode(check_ins: &[CheckIn]) -> Vec<u8> {
    let mut plans: Vec<&str> = check_ins.iter().map(|c| c.plan_id.as_str()).collect();
    plans.sort_unstable();
    plans.dedup();
    let mut e = minicbor::Encoder::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = write(&mut e, &plans, check_ins);
    e.into_writer()
}

type Enc = minicbor::Encoder<Vec<u8>>;
type EncResult = std::result::Result<(), minicbor::encode::Error<std::convert::Infallible>>;

fn write(e: &mut Enc, plans: &[&str], check_ins: &[CheckIn]) -> EncResult {
    e.array(2)?.array(plans.len() as u64)?;
    for plan in plans {
        e.str(plan)?;
    }
    e.array(check_ins.len() as u64)?;
    for c in check_ins {
        let plan = plans.binary_search(&c.plan_id.as_str()).unwrap_or(0);
        e.array(9)?
            .u64(plan as u64)?
            .i32(chrono::Datelike::num_days_from_ce(&c.date))?;
        match c.time {
            Some(t) => e.u32(t.num_seconds_from_midnight())?,
            None => e.null()?,
        };
        e.str(c.outcome.as_str())?.array(c.reasons.len() as u64)?;
        for reason in &c.reasons {
            e.str(reason.as_str())?;
        }
        for text in [&c.reason_text, &c.note] {
            match text {
                Some(t) => e.str(t)?,
                None => e.null()?,
            };
        }
        e.i64(c.recorded_at.timestamp())?
            .u32(c.recorded_at.timestamp_subsec_nanos())?;
    }
    Ok(())
}

/// The check-ins of a copy; `None` for bytes that are not one (the copy is then remade).
fn decode(bytes: &[u8]) -> Option<Vec<CheckIn>> {
    let mut d = minicbor::Decoder::new(bytes);
    if d.array().ok()? != Some(2) {
        return None;
    }
    let n = d.array().ok()??;
    let plans: Vec<String> = (0..n)
        .map(|_| d.str().ok().map(str::to_string))
        .collect::<Option<_>>()?;
    let n = d.array().ok()??;
    let mut check_ins = Vec::with_capacity((n as usize).min(bytes.len()));
    for _ in 0..n {
        if d.array().ok()? != Some(9) {
            return None;
        }
        let plan_id = plans.get(d.u64().ok()? as usize)?.clone();
        let date = NaiveDate::from_num_days_from_ce_opt(d.i32().ok()?)?;
        let time = match nullable(&mut d)? {
            true => Some(NaiveTime::from_num_seconds_from_midnight_opt(
                d.u32().ok()?,
                0,
            )?),
            false => None,
        };
        let outcome = Outcome::parse(d.str().ok()?)?;
        let reasons = (0..d.array().ok()??)
            .map(|_| d.str().ok().and_then(Reason::parse))
            .collect::<Option<_>>()?;
        let mut text = || -> Option<Option<String>> {
            Some(match nullable(&mut d)? {
                true => Some(d.str().ok()?.to_string()),
                false => None,
            })
        };
        let (reason_text, note) = (text()?, text()?);
        let recorded_at = DateTime::<Utc>::from_timestamp(d.i64().ok()?, d.u32().ok()?)?;
        check_ins.push(CheckIn {
            plan_id,
            date,
            time,
            outcome,
            reasons,
            reason_text,
            note,
            recorded_at,
        });
    }
    Some(check_ins)
}

/// Whether a value follows (`true`) or a null (read, `false`); `None` at the end.
fn nullable(d: &mut minicbor::Decoder<'_>) -> Option<bool> {
    if d.datatype().ok()? == Type::Null {
        d.null().ok()?;
        return Some(false);
    }
    Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_in() -> impl Strategy<Value = CheckIn> {
        (
            "[a-zA-Z0-9]{1,22}",
            0i32..800_000,
            proptest::option::of(0u32..86_400),
            prop::sample::select(vec![Outcome::Done, Outcome::Partly, Outcome::NotDone]),
            prop::collection::vec(
                prop::sample::select(vec![Reason::NoTime, Reason::Forgot, Reason::Other]),
                0..3,
            ),
            proptest::option::of(".{0,40}"),
            proptest::option::of(".{0,40}"),
            (0i64..4_000_000_000, 0u32..1_000_000_000),
        )
            .prop_map(
                |(plan_id, days, time, outcome, reasons, reason_text, note, at)| CheckIn {
                    plan_id,
                    date: NaiveDate::from_num_days_from_ce_opt(days).unwrap(),
                    time: time
                        .map(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0).unwrap()),
                    outcome,
                    reasons,
                    reason_text,
                    note,
                    recorded_at: DateTime::from_timestamp(at.0, at.1).unwrap(),
                },
            )
    }

    proptest! {
        #[test]
        fn a_copy_reads_back_exactly_the_check_ins_it_was_made_of(
            check_ins in prop::collection::vec(check_in(), 0..40)
        ) {
            prop_assert_eq!(decode(&encode(&check_ins)), Some(check_ins));
        }

        #[test]
        fn bytes_that_are_not_a_copy_read_as_none_never_a_panic(
            bytes in prop::collection::vec(any::<u8>(), 0..200)
        ) {
            let _ = decode(&bytes);
        }
    }
}
