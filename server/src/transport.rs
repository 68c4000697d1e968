//! The WebSocket of one authenticated device, served by the sync engine (`engine.rs`).
//!
//! - The connection is bound to the device's peer id (`device-<device id>`): the engine ends a
//!   connection whose `join` claims another id.
//! - Inbound, only binary messages are accepted, and each must be a readable automerge-repo
//!   message whose sync payload decodes; anything else (text, junk, a payload that does not
//!   decode, even one that would make the decoder panic) ends this connection only. The size of
//!   a message is limited at the upgrade (`MAX_MESSAGE_BYTES`), and its rate by `limits.rs`.
//! - Outbound, a sync message waits until the heads it advertises are on disk
//!   ([`Durability::wait`]): a peer that learns the server has its changes can rely on it. (The
//!   engine stores changes before it answers; this is a second look.)
//! - The connection's one task reads the device's messages into the engine and, beside that,
//!   writes: the engine's messages in order and, for a device that asked, the connection's
//!   notices (`notices.rs`). It ends when either side does.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket};
use futures::stream::SplitSink;
use futures::{SinkExt, StreamExt};
use samod::PeerId;

use crate::chunks;
use crate::connections::{Closing, Registered};
use crate::directory::Directory;
use crate::documents::Durability;
use crate::metrics::Metrics;
use crate::notices::ConnectionNotices;

/// The WebSocket close code telling a device it was removed from its account (4000–4999 are
/// the application's own).
pub const REMOVED_CLOSE_CODE: u16 = 4001;

/// The largest WebSocket message (and frame) a device may send.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// Each sync connection's read buffer, kept for the connection's life. tungstenite's default is
/// 128 KiB, and it fills the buffer's whole capacity with zeros before every read: 128 KiB
/// resident per connection (half the server's memory under 1,000 devices) and a 128 KiB memset
/// per message. A sync message is mostly a few hundred bytes (8 KiB cost 6 KB a device more
/// than this); a larger frame still arrives whole (the buffer grows to the frame's length, up
/// to [`MAX_MESSAGE_BYTES`], read this much at a time).
pub const READ_BUFFER_BYTES: usize = 2 * 1024;

/// Why a connection was ended.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(pub String);

/// What the server reads of an automerge-repo message: its type, document and sync payload.
#[derive(Debug, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub kind: &'a str,
    pub document_id: Option<String>,
    pub data: Option<&'a [u8]>,
}

/// Reads the envelope of an automerge-repo message (a CBOR map).
pub fn envelope(bytes: &[u8]) -> Result<Envelope<'_>, String> {
    use minicbor::data::Type;
    let mut d = minicbor::Decoder::new(bytes);
    let len = d
        .map()
        .map_err(|e| e.to_string())?
        .ok_or("an indefinite map")?;
    let (mut kind, mut document_id, mut data) = (None, None, None);
    for _ in 0..len {
        let key = d.str().map_err(|e| e.to_string())?;
        match key {
            "type" => kind = Some(d.str().map_err(|e| e.to_string())?),
            "documentId" => {
                document_id = Some(match d.datatype().map_err(|e| e.to_string())? {
                    Type::Bytes => {
                        let raw = d.bytes().map_err(|e| e.to_string())?.to_vec();
                        samod::DocumentId::try_from(raw)
                            .map_err(|e| e.to_string())?
                            .to_string()
                    }
                    _ => d.str().map_err(|e| e.to_string())?.to_string(),
                })
            }
            "data" => data = Some(d.bytes().map_err(|e| e.to_string())?),
            _ => d.skip().map_err(|e| e.to_string())?,
        }
    }
    if d.position() != bytes.len() {
        return Err("bytes after the message".into());
    }
    Ok(Envelope {
        kind: kind.ok_or("no type")?,
        document_id,
        data,
    })
}

/// Checks a message from a device: a readable envelope, and a sync payload that decodes.
pub fn check_inbound(bytes: &[u8]) -> Result<(), String> {
    check_envelope(&envelope(bytes)?)
}

/// Checks a message whose envelope was read: a sync payload must decode.
fn check_envelope(message: &Envelope<'_>) -> Result<(), String> {
    if matches!(message.kind, "sync" | "request") {
        let data = message.data.ok_or("a sync message without data")?;
        // automerge's decoder is not expected to panic; if it ever does on hostile bytes, only
        // this connection pays.
        let message = match std::panic::catch_unwind(|| automerge::sync::Message::decode(data)) {
            Ok(Ok(message)) => message,
            Ok(Err(e)) => return Err(format!("sync payload does not decode: {e}")),
            Err(_) => return Err("sync payload made the decoder panic".into()),
        };
        // A bundle never travels in sync, and automerge allocates without bound for some
        // malformed ones (tandem_protocol::chunks).
        if tandem_protocol::chunks::carries_bundle(message.changes.iter()) {
            return Err("a bundle chunk in a sync message (bundles are never sent)".into());
        }
        // automerge 0.12's loader panics on some malformed columns (found by fuzzing:
        // fuzz/corpus/document_bytes/crash-hexane-unpack-*). samod would load these changes
        // inside its own task, so each is loaded here first, alone, where a panic costs only
        // this connection.
        for change in message.changes.iter() {
            let loads = std::panic::catch_unwind(|| {
                automerge::Automerge::new()
                    .load_incremental(change)
                    .map(|_| ())
            });
            if loads.is_err() {
                return Err("a change in the sync payload made the document engine panic".into());
            }
        }
    }
    Ok(())
}

/// Waits until what an outbound message tells the peer we have is on disk.
async fn before_sending(durability: &Durability, bytes: &[u8]) -> Result<(), TransportError> {
    let Ok(message) = envelope(bytes) else {
        return Ok(());
    };
    let (Some(doc_id), Some(data)) = (&message.document_id, message.data) else {
        return Ok(());
    };
    if !matches!(message.kind, "sync" | "request") {
        return Ok(());
    }
    let Some(heads) = chunks::sync_message_heads(data) else {
        return Ok(());
    };
    durability
        .wait(doc_id, &heads)
        .await
        .map_err(|e| TransportError(e.to_string()))
}

/// What every sync connection of this process shares.
pub struct Serving {
    pub durability: Arc<Durability>,
    pub metrics: Arc<Metrics>,
    /// How fast each device may send (`limits.rs`).
    pub inbound: Arc<crate::limits::InboundLimits>,
    /// Where who looked is recorded.
    pub directory: Directory,
}

/// Serves an upgraded WebSocket through the sync engine (`engine.rs`) as the connection
/// `registered` (of `peer_id`), with `notices` (for a device that asked for them) beside the
/// engine's messages, until it ends: the device closes it, sends what fails a check, is removed,
/// or cannot keep up; or the server stops.
pub async fn serve(
    engine: &crate::engine::Engine,
    socket: WebSocket,
    peer_id: PeerId,
    notices: Option<ConnectionNotices>,
    registered: Registered,
    serving: Serving,
) {
    let (outbox, from_engine) = crate::engine::Outbox::new();
    let Some(connection) = engine.connect(peer_id.as_str(), &registered.person_id, outbox) else {
        tracing::info!("sync connection refused: the server is stopping");
        return;
    };
    let (sink, stream) = socket.split();
    let inbound = Box::pin(checked(stream, &peer_id, &notices, &serving));
    let Serving {
        durability,
        metrics,
        directory,
        ..
    } = serving;
    // What the engine sends waits until what it tells the device is on disk (it stores before
    // it sends, so this is a second look).
    let outbound = from_engine
        .then(move |bytes| {
            let durability = durability.clone();
            async move { before_sending(&durability, &bytes).await.map(|()| bytes) }
        })
        .take_while(|sent| futures::future::ready(sent.is_ok()))
        .filter_map(|sent| futures::future::ready(sent.ok()));
    let looked = AccessLog {
        directory,
        recorded: HashMap::new(),
    };
    let writer = Box::pin(write(
        sink,
        Box::pin(outbound),
        notices,
        metrics,
        registered,
        looked,
    ));
    let reader = Box::pin(engine.serve(&connection, inbound));
    // A panic (none is expected) ends this connection only, and it still leaves its documents.
    let _ = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(
        futures::future::select(reader, writer),
    ))
    .await;
    Box::pin(engine.leave(&connection)).await;
}

/// The device's messages, each checked ([`check_envelope`]), its rate limited; a message that
/// fails a check is an error, which ends the connection.
fn checked(
    stream: futures::stream::SplitStream<WebSocket>,
    peer_id: &PeerId,
    notices: &Option<ConnectionNotices>,
    serving: &Serving,
) -> impl futures::Stream<Item = Result<Vec<u8>, TransportError>> + Send + 'static {
    let (metrics, limits) = (serving.metrics.clone(), serving.inbound.clone());
    // A device over its allowance waits here, before its next message is read.
    let (device, throttled): (Arc<str>, _) = (peer_id.to_string().into(), metrics.clone());
    let stream = stream.then(move |message| {
        let (limits, device, throttled) = (limits.clone(), device.clone(), throttled.clone());
        async move {
            if matches!(message, Ok(Message::Binary(_))) && limits.admit(&device).await {
                throttled.messages_throttled.inc();
            }
            message
        }
    });
    let counted = metrics;
    let log_peer = peer_id.clone();
    let named = notices.as_ref().map(ConnectionNotices::named);
    stream.filter_map(move |message| {
        let result = match message {
            Ok(Message::Binary(bytes)) => Some({
                counted.messages_received.inc();
                counted.bytes_received.inc_by(bytes.len() as u64);
                match envelope(&bytes).and_then(|e| {
                    check_envelope(&e)?;
                    Ok(e.document_id)
                }) {
                    Ok(document_id) => {
                        if let (Some(named), Some(id)) = (&named, &document_id) {
                            named.add(id);
                        }
                        Ok(bytes.to_vec())
                    }
                    Err(e) => Err(TransportError(e)),
                }
            }),
            Ok(Message::Text(_)) => Some(Err(TransportError(
                "a text message (the protocol is binary)".into(),
            ))),
            Ok(Message::Ping(_) | Message::Pong(_) | Message::Close(_)) => None,
            Err(e) => Some(Err(TransportError(format!("receiving: {e}")))),
        };
        if let Some(Err(e)) = &result {
            tracing::warn!(peer = %log_peer, error = %e, "dropping the connection");
        }
        futures::future::ready(result)
    })
}

/// The writer (run in the connection's task): samod's messages and the notices, in order,
/// until samod's side ends.
async fn write(
    mut socket: SplitSink<WebSocket, Message>,
    mut from_samod: impl futures::Stream<Item = Vec<u8>> + Unpin,
    mut notices: Option<ConnectionNotices>,
    metrics: Arc<Metrics>,
    // Registered (and counted open) while this task runs; closed when its device is removed.
    mut registered: Registered,
    mut looked: AccessLog,
) {
    let named = notices.as_ref().map(ConnectionNotices::named);
    loop {
        let bytes = tokio::select! {
            next = from_samod.next() => match next {
                Some(bytes) => {
                    if let Ok(message) = envelope(&bytes) {
                        // A document the device asked for that is not here (yet): a notice
                        // brings it once it arrives, which "named" would otherwise hold back.
                        if let (Some(named), "doc-unavailable", Some(id)) =
                            (&named, message.kind, &message.document_id)
                        {
                            named.remove(id);
                        }
                        looked.sent(&registered, &message);
                    }
                    bytes
                }
                None => break,
            },
            notice = next_notice(&mut notices) => notice,
            why = registered.closed() => {
                let frame = match why {
                    Closing::Removed => axum::extract::ws::CloseFrame {
                        code: REMOVED_CLOSE_CODE,
                        reason: "this device was removed from its account".into(),
                    },
                };
                let _ = socket.send(Message::Close(Some(frame))).await;
                return;
            }
        };
        metrics.messages_sent.inc();
        metrics.bytes_sent.inc_by(bytes.len() as u64);
        if let Err(e) = socket.send(Message::Binary(bytes.into())).await {
            tracing::debug!(error = %e, "sending failed; the connection ends");
            return;
        }
    }
    let _ = socket.close().await;
}

/// Who looked: the documents this connection's device received, recorded at most once a
/// minute each (`access_log`), off the writer's path.
struct AccessLog {
    directory: Directory,
    /// When each document was last recorded for this connection (Unix seconds).
    recorded: HashMap<String, i64>,
}

impl AccessLog {
    fn sent(&mut self, to: &Registered, message: &Envelope<'_>) {
        // A sync message for a document: the device syncs it (a device the share policy
        // refuses is answered `doc-unavailable`, never `sync`).
        let (Some(doc_id), "sync") = (&message.document_id, message.kind) else {
            return;
        };
        let now = chrono::Utc::now().timestamp();
        if self.recorded.get(doc_id).is_some_and(|at| now - at < 60) {
            return;
        }
        self.recorded.insert(doc_id.clone(), now);
        let (directory, doc_id, device, person) = (
            self.directory.clone(),
            doc_id.clone(),
            to.device_id.clone(),
            to.person_id.clone(),
        );
        tokio::spawn(async move {
            if let Err(err) = directory
                .record_access(&doc_id, &device, &person, now)
                .await
            {
                tracing::warn!(%err, "could not record who received a document");
            }
        });
    }
}

async fn next_notice(notices: &mut Option<ConnectionNotices>) -> Vec<u8> {
    match notices {
        Some(notices) => notices.next().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cbor_map(entries: &[(&str, minicbor::data::Type, &[u8])]) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(entries.len() as u64).unwrap();
        for (key, kind, value) in entries {
            e.str(key).unwrap();
            match kind {
                minicbor::data::Type::Bytes => e.bytes(value).unwrap(),
                _ => e.str(std::str::from_utf8(value).unwrap()).unwrap(),
            };
        }
        e.into_writer()
    }

    #[test]
    fn a_sync_message_carrying_a_bundle_is_refused_before_automerge_reads_it() {
        use automerge::sync::SyncDoc;
        use minicbor::data::Type;
        // The fuzzer's two finds, both bundles: one makes automerge's loader panic, the other
        // makes it reserve 4 GiB. Neither reaches automerge.
        for find in [
            "corpus/document_bytes/crash-hexane-unpack-95aefbad",
            "findings/oom-bundle-delta-9293469",
        ] {
            let bytes =
                std::fs::read(format!("{}/../fuzz/{find}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let mut message = automerge::Automerge::new()
                .generate_sync_message(&mut automerge::sync::State::new())
                .unwrap();
            message.changes = vec![bytes].into();
            let doc = samod::DocumentId::try_from(vec![7u8; 16]).unwrap();
            let sync = cbor_map(&[
                ("type", Type::String, b"sync"),
                ("documentId", Type::String, doc.to_string().as_bytes()),
                ("data", Type::Bytes, &message.encode()),
            ]);
            let refused = check_inbound(&sync).unwrap_err();
            assert!(refused.contains("bundle"), "{find}: {refused}");
        }
    }

    #[test]
    fn envelopes_are_read_and_junk_is_refused() {
        use automerge::sync::SyncDoc;
        use minicbor::data::Type;
        let doc = samod::DocumentId::try_from(vec![7u8; 16]).unwrap();
        let good_sync = automerge::Automerge::new()
            .generate_sync_message(&mut automerge::sync::State::new())
            .unwrap()
            .encode();
        let sync = cbor_map(&[
            ("type", Type::String, b"sync"),
            ("documentId", Type::String, doc.to_string().as_bytes()),
            ("data", Type::Bytes, &good_sync),
        ]);
        let read = envelope(&sync).unwrap();
        assert_eq!(read.kind, "sync");
        assert_eq!(read.document_id, Some(doc.to_string()));
        assert!(check_inbound(&sync).is_ok());

        let bad_payload = cbor_map(&[
            ("type", Type::String, b"sync"),
            ("documentId", Type::String, doc.to_string().as_bytes()),
            ("data", Type::Bytes, b"\x42\x05garbage"),
        ]);
        assert!(check_inbound(&bad_payload).is_err());
        for junk in [&b""[..], b"\xff\xff", b"hello", &[0xa1, 0x61]] {
            assert!(check_inbound(junk).is_err(), "{junk:?}");
        }
        let join = cbor_map(&[("type", Type::String, b"join")]);
        assert!(check_inbound(&join).is_ok());
    }
}
