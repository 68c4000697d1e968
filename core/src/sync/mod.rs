//! Sync with a Tandem server (docs/SYNC.md): the shared protocol types, the HTTP API client,
//! the WebSocket transport, and sync sessions.

pub use tandem_protocol::api;
mod documents;
pub(crate) mod engine;
pub mod http;
pub mod service;
pub mod session;
mod state;
pub mod tls;
pub mod transport;
pub mod wire;

pub(crate) use documents::Standing;
pub use documents::{DocumentAbout, DocumentWhat};
pub use session::{SyncReport, SyncState, SyncStatus};
pub use state::{OwnDocument, ServerLink};

/// Installs rustls's crypto provider (ring) for this process, once.
pub(crate) fn install_crypto() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
