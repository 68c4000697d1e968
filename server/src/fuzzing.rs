//! What the server reads from the network, each as one function over bytes: the entry points
//! of the fuzz targets in `fuzz/` (`ws_message`, `api_body`, `token`), whose corpora
//! `tests/tests/fuzz_corpus.rs` replays as ordinary tests. A refusal is fine; a panic is a bug.

use tandem_protocol::api;

/// A WebSocket message from a device: the envelope, the sync payload, and the heads the
/// server reads from it, as `transport.rs` and `chunks.rs` read them.
pub fn ws_message(bytes: &[u8]) {
    if let Ok(envelope) = crate::transport::envelope(bytes) {
        if let Some(data) = envelope.data {
            let _ = crate::chunks::sync_message_heads(data);
            let _ = crate::chunks::document_heads(data);
            let _ = crate::chunks::change_deps(data);
        }
    }
    let _ = crate::transport::check_inbound(bytes);
}

/// A JSON body of the HTTP API, read as each request the server takes.
pub fn api_body(bytes: &[u8]) {
    let _ = serde_json::from_slice::<api::EnrolRequest>(bytes);
    let _ = serde_json::from_slice::<api::InvitationRequest>(bytes);
    let _ = serde_json::from_slice::<api::CodeQuery>(bytes);
    let _ = serde_json::from_slice::<api::JoinRequest>(bytes);
    let _ = serde_json::from_slice::<api::RegisterDocument>(bytes);
    let _ = serde_json::from_slice::<api::ShareRequest>(bytes);
}

/// A bearer token, as `auth.rs` checks it before anything else.
pub fn token(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = tandem_protocol::auth::verify_token(text, "fuzz-server", 1_780_000_000);
    }
}
