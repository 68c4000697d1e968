//! The WebSocket connection to a sync peer: rustls (no OpenSSL, so it builds for Android and
//! iOS), a fresh token on every connection to a Tandem server, and a count of what crosses it.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio_tungstenite::tungstenite::{self, Message};

use crate::error::{Error, Result};

/// A WebSocket to a sync peer.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What crossed the wire on a connection, for reports and benchmarks.
#[derive(Debug, Default)]
pub struct WireCounter {
    sent_bytes: AtomicU64,
    received_bytes: AtomicU64,
    sent_messages: AtomicU64,
    received_messages: AtomicU64,
    /// Round trips on the critical path after the handshake (set by the sync engine).
    round_trips: AtomicU64,
}

/// A summary of [`WireCounter`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WireStats {
    pub sent_bytes: u64,
    pub received_bytes: u64,
    pub sent_messages: u64,
    pub received_messages: u64,
    /// How many times, after the handshake, the device had to wait for the peer's answer
    /// before it could send what it needed next, on the longest chain over all documents.
    pub round_trips: u64,
}

impl WireCounter {
    pub(crate) fn sent(&self, bytes: usize) {
        self.sent_bytes.fetch_add(bytes as u64, Ordering::Relaxed);
        self.sent_messages.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn received(&self, bytes: usize) {
        self.received_bytes
            .fetch_add(bytes as u64, Ordering::Relaxed);
        self.received_messages.fetch_add(1, Ordering::Relaxed);
    }

    /// Records that the longest chain of waits so far is `n` round trips.
    pub(crate) fn round_trips_at_least(&self, n: u64) {
        self.round_trips.fetch_max(n, Ordering::Relaxed);
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

/// The bytes a WebSocket frame of `payload` bytes takes on the wire (header and, from the
/// device, the mask), near enough for counting.
pub(crate) fn frame_bytes(payload: usize, from_device: bool) -> usize {
    let header = match payload {
        0..=125 => 2,
        126..=65535 => 4,
        _ => 10,
    };
    payload + header + if from_device { 4 } else { 0 }
}

/// Opens a WebSocket to `url`. A server that refuses who we are (401, 403) is a
/// [`Error::Refused`] with its reason; anything else that fails is [`Error::Sync`].
pub async fn connect(url: &url::Url, tls: std::sync::Arc<rustls::ClientConfig>) -> Result<Socket> {
    super::install_crypto();
    let connector = tokio_tungstenite::Connector::Rustls(tls);
    let mut request = tungstenite::client::IntoClientRequest::into_client_request(url.as_str())
        .map_err(|e| Error::Sync(format!("cannot connect: {e}")))?;
    request.headers_mut().insert(
        tandem_protocol::api::PROTOCOL_HEADER,
        tungstenite::http::HeaderValue::from(tandem_protocol::api::PROTOCOL_VERSION),
    );
    match tokio_tungstenite::connect_async_tls_with_config(request, None, false, Some(connector))
        .await
    {
        Ok((socket, _)) => Ok(socket),
        Err(tungstenite::Error::Http(response)) => {
            let status = response.status();
            let body = response.body().as_deref().unwrap_or_default();
            Err(super::http::refusal(
                body,
                format!("the server refused the sync connection ({status})"),
            ))
        }
        Err(e) if super::tls::is_certificate_error(&e.to_string()) => {
            let server = url.origin().ascii_serialization();
            Err(super::tls::untrusted(&server, &e.to_string()))
        }
        Err(e) => Err(Error::Sync(format!("cannot connect: {e}"))),
    }
}

/// A binary message of `bytes`.
pub(crate) fn binary(bytes: Vec<u8>) -> Message {
    Message::Binary(bytes.into())
}
