//! The WebSocket connection to the server, for samod: rustls (no OpenSSL, so it builds for
//! Android and iOS), a fresh token on every (re)connection, and the server's peer id bound to
//! the connection.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt, TryStreamExt};
use samod::{DialError, Dialer, PeerId, Transport};
use tokio_tungstenite::tungstenite::Message;

/// Why a connection attempt failed for good (the server refused who we are).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Network(String);

/// What crossed the wire in a session, for reports and benchmarks.
#[derive(Debug, Default)]
pub struct WireCounter {
    sent_bytes: AtomicU64,
    received_bytes: AtomicU64,
    sent_messages: AtomicU64,
    received_messages: AtomicU64,
    /// Turns from sending to receiving: each is one round trip.
    round_trips: AtomicU64,
    last_was_send: AtomicBool,
}

/// A summary of [`WireCounter`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WireStats {
    pub sent_bytes: u64,
    pub received_bytes: u64,
    pub sent_messages: u64,
    pub received_messages: u64,
    /// How many times the conversation turned from us sending to us receiving.
    pub round_trips: u64,
}

impl WireCounter {
    fn sent(&self, bytes: usize) {
        self.sent_bytes.fetch_add(bytes as u64, Ordering::Relaxed);
        self.sent_messages.fetch_add(1, Ordering::Relaxed);
        self.last_was_send.store(true, Ordering::Relaxed);
    }

    fn received(&self, bytes: usize) {
        self.received_bytes
            .fetch_add(bytes as u64, Ordering::Relaxed);
        self.received_messages.fetch_add(1, Ordering::Relaxed);
        if self.last_was_send.swap(false, Ordering::Relaxed) {
            self.round_trips.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn stats(&self) -> WireStats {
        WireStats {
            sent_bytes: self.sent_bytes.load(Ordering::Relaxed),
            received_bytes: self.received_bytes.load(Ordering::Relaxed),
            sent_messages: self.sent_messages.load(Ordering::Relaxed),
            received_messages: self.received_messages.load(Ordering::Relaxed),
            round_trips: self.round_trips.load(Ordering::Relaxed),
        }
    }
}

/// Dials a WebSocket sync endpoint. For a Tandem server (`<server>/v1/sync`) it adds a fresh
/// token to each attempt and binds the server's peer id; for any other automerge-repo peer
/// both are left out.
pub struct ServerDialer {
    pub sync_url: url::Url,
    pub server_peer: Option<PeerId>,
    pub token: Option<Arc<dyn Fn() -> String + Send + Sync>>,
    /// Counts what the connections carry.
    pub wire: Arc<WireCounter>,
}

impl ServerDialer {
    /// The WebSocket address of the sync endpoint of a server at `base` (http or https).
    pub fn sync_url(base: &url::Url) -> url::Url {
        let mut url = base.clone();
        let scheme = if base.scheme() == "https" {
            "wss"
        } else {
            "ws"
        };
        url.set_scheme(scheme)
            .expect("ws and wss are valid schemes");
        url.set_path("/v1/sync");
        url.set_query(None);
        url
    }
}

impl Dialer for ServerDialer {
    type Error = Refused;

    fn url(&self) -> url::Url {
        self.sync_url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Refused>>> {
        let mut url = self.sync_url.clone();
        if let Some(token) = &self.token {
            url.query_pairs_mut().append_pair("token", &token());
        }
        let server_peer = self.server_peer.clone();
        let wire = self.wire.clone();
        Box::pin(async move {
            let (ws, _) = match tokio_tungstenite::connect_async(url.as_str()).await {
                Ok(ok) => ok,
                Err(tokio_tungstenite::tungstenite::Error::Http(response))
                    if response.status() == 401 || response.status() == 403 =>
                {
                    let body = response
                        .body()
                        .as_deref()
                        .map(String::from_utf8_lossy)
                        .unwrap_or_default()
                        .into_owned();
                    return Err(DialError::PermanentFailure(Refused(format!(
                        "the server refused this device ({}): {body}",
                        response.status()
                    ))));
                }
                Err(e) => return Err(DialError::transient(Network(e.to_string()))),
            };
            let (sink, stream) = ws.split();
            let received = wire.clone();
            let stream =
                stream
                    .map_err(|e| Network(e.to_string()))
                    .try_filter_map(move |message| {
                        let bytes = match message {
                            Message::Binary(bytes) => {
                                received.received(bytes.len());
                                Ok(Some(bytes.to_vec()))
                            }
                            Message::Close(_) | Message::Ping(_) | Message::Pong(_) => Ok(None),
                            Message::Text(_) | Message::Frame(_) => {
                                Err(Network("unexpected text message from the server".into()))
                            }
                        };
                        futures::future::ready(bytes)
                    });
            let sink = sink
                .sink_map_err(|e| Network(e.to_string()))
                .with(move |bytes: Vec<u8>| {
                    wire.sent(bytes.len());
                    futures::future::ready(Ok::<_, Network>(Message::Binary(bytes.into())))
                });
            let transport = Transport::new(Box::pin(stream), Box::pin(sink));
            Ok(match server_peer {
                Some(peer) => transport.with_expected_peer_id(peer),
                None => transport,
            })
        })
    }
}
