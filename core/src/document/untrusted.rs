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
    // As the store loads rows: a refusal, never a panic (`compactor::doc_from_rows`).
    let Ok(doc) = crate::store::doc_from_rows(
        &new_doc_id(),
        &[(Vec::new(), bytes.to_vec())],
        Automerge::new(),
    ) else {
        return 0;
    };
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

#[cfg(test)]
mod tests {
    use automerge::sync::{State, SyncDoc};

    use crate::store::test_support::open;
    use crate::Error;

    /// The fuzzer's first find: a bundle chunk automerge 0.12's loader panics on.
    fn crash() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fuzz/corpus/document_bytes/crash-hexane-unpack-95aefbad"
        ))
        .unwrap()
    }

    /// The fuzzer's second: a 244-byte bundle automerge would reserve 4 GiB for.
    fn bomb() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fuzz/findings/oom-bundle-delta-9293469"
        ))
        .unwrap()
    }

    /// Loaded as a row from disk (where bundles are the store's own), the panic is caught.
    #[test]
    fn bytes_that_make_automerge_panic_read_as_nothing() {
        assert_eq!(super::read_untrusted(&crash()), 0);
    }

    #[test]
    fn sync_messages_carrying_the_fuzzers_bundles_are_refused_and_the_store_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir);
        for bytes in [crash(), bomb()] {
            let mut message = automerge::Automerge::new()
                .generate_sync_message(&mut State::new())
                .unwrap();
            message.changes = vec![bytes].into();
            let id = super::new_doc_id();
            let Err(refused) = store.sync_in("a-peer", &id, &mut State::new(), &message.encode())
            else {
                panic!("the message was taken");
            };
            assert!(
                matches!(&refused, Error::Sync(said) if said.contains("bundle")),
                "{refused}"
            );
        }
        store
            .add_value(&crate::journey::ValueInput {
                text: "Still here".into(),
                life_area: crate::journey::LifeArea::Health,
                importance: 6,
            })
            .unwrap();
        assert_eq!(store.journey().unwrap().values.len(), 1);
    }
}
