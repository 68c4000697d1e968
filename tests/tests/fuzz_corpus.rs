//! The fuzz targets' corpora (`fuzz/corpus/<target>/`: the seeds, and every input the fuzzer
//! kept, minimised, and any input that once crashed a target) replayed through the same entry
//! points as the targets, on stable, as an ordinary test: what once broke stays fixed.
//! The fuzzing itself (nightly, cargo-fuzz) is run by hand: see fuzz/README.md.

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    inputs.sort();
    assert!(
        !inputs.is_empty(),
        "the corpus of {target} is empty: it was lost"
    );
    inputs
}

#[test]
fn every_document_in_the_corpus_reads_without_a_panic() {
    let inputs = corpus("document_bytes");
    let passed: usize = inputs
        .iter()
        .map(|(_, bytes)| tandem_core::document::read_untrusted(bytes))
        .sum();
    // The seeds are real rows of a store: some pass a kind's header check, so the readers
    // behind it run too.
    assert!(passed > 0, "no input of {} passed a header", inputs.len());
}

#[test]
fn every_websocket_message_in_the_corpus_is_read_without_a_panic() {
    for (_, bytes) in corpus("ws_message") {
        tandem_server::fuzzing::ws_message(&bytes);
    }
}

#[test]
fn every_api_body_in_the_corpus_is_read_without_a_panic() {
    for (_, bytes) in corpus("api_body") {
        tandem_server::fuzzing::api_body(&bytes);
    }
}

#[test]
fn every_token_in_the_corpus_is_checked_without_a_panic() {
    for (_, bytes) in corpus("token") {
        tandem_server::fuzzing::token(&bytes);
    }
}
