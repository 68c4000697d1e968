//! Reading a document from bytes nobody vouches for (a peer's, or a damaged disk's), the way
//! the store reads each kind — the entry point of the `document_bytes` fuzz target
//! (`fuzz/`), whose corpus `tests/tests/fuzz_corpus.rs` replays as an ordinary test.

use automerge::Automerge;
use chrono::NaiveDate;

use super::check_ins::read_check_ins;
use super::coaching::{read_coaching, read_consents};
use super::journey::{check_in_periods, read_journey};
use super::new_doc_id;
use super::{check_header, name_of, DocKind};

/// Loads `bytes` as the store loads a document's rows, and reads it as every kind of document
/// (a peer may claim any kind): a refusal is fine, a panic is a bug. Returns how many kinds'
/// headers it passed, so a fuzzer sees progress.
pub fn read_untrusted(bytes: &[u8]) -> usize {
    let mut doc = Automerge::new();
    if doc.load_incremental(bytes).is_err() {
        return 0;
    }
    read_every_kind(&doc)
}

fn read_every_kind(doc: &Automerge) -> usize {
    let id = new_doc_id();
    let passed = DocKind::ALL
        .iter()
        .filter(|kind| check_header(doc, &id, **kind).is_ok())
        .count();
    // The readers run whatever the header says: a document with a right header and wrong
    // insides must read as partial, never crash.
    let journey = read_journey(doc, &id);
    let _ = check_in_periods(doc);
    let _ = read_check_ins(doc, NaiveDate::MIN, NaiveDate::MAX);
    let _ = read_consents(doc);
    let _ = read_coaching(
        doc,
        &id.to_string(),
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default(),
    );
    let _ = name_of(doc, &journey.owner);
    passed
}
