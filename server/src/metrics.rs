//! `GET /metrics`: what an operator watches, in the Prometheus text format (OpenMetrics).
//!
//! | metric | what |
//! |---|---|
//! | `tandem_connections` | sync connections open on this process |
//! | `tandem_documents_in_memory` | documents held in this process (those its open connections use: `engine.rs`) |
//! | `tandem_tasks` | tasks alive in this process's runtime (each connection's, the server's own): back where it was once the devices have gone |
//! | `tandem_messages_received_total`, `tandem_bytes_received_total` | sync messages from devices (rates: `rate()`) |
//! | `tandem_messages_sent_total`, `tandem_bytes_sent_total` | sync messages and notices to devices |
//! | `tandem_storage_errors_total` | failed storage calls (`/health` answers 503 after one) |
//! | `tandem_fanout_lag_seconds` | from another process storing a change to this one merging it (PostgreSQL) |

use std::sync::Arc;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::connections::Connections;
use crate::documents::Durability;

/// The content type of [`Metrics::encode`]'s text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// This process's metrics (shared by the handlers, the connections and the fan-out).
pub struct Metrics {
    registry: Registry,
    /// The sync engine, whose documents in memory are counted when the metrics are read.
    engine: crate::engine::Engine,
    /// The open sync connections (`connections.rs`), counted when the metrics are read.
    open: Arc<Connections>,
    connections: Gauge,
    documents: Gauge,
    tasks: Gauge,
    pub messages_received: Counter,
    pub bytes_received: Counter,
    pub messages_sent: Counter,
    pub bytes_sent: Counter,
    /// Messages a device sent over its allowance, read only once it was allowed.
    pub messages_throttled: Counter,
    pub fanout_lag: Histogram,
}

impl Metrics {
    pub fn new(
        durability: Arc<Durability>,
        engine: crate::engine::Engine,
        open: Arc<Connections>,
    ) -> Metrics {
        let mut registry = Registry::default();
        let connections = Gauge::default();
        let documents = Gauge::default();
        let tasks = Gauge::default();
        let (messages_received, bytes_received) = (Counter::default(), Counter::default());
        let (messages_sent, bytes_sent) = (Counter::default(), Counter::default());
        // 1 ms to about 16 s.
        let fanout_lag = Histogram::new(exponential_buckets(0.001, 2.0, 15));
        registry.register(
            "tandem_connections",
            "Sync connections open on this process",
            connections.clone(),
        );
        registry.register(
            "tandem_documents_in_memory",
            "Documents held in memory in this process: those its open connections use",
            documents.clone(),
        );
        registry.register(
            "tandem_tasks",
            "Tasks alive in this process's async runtime",
            tasks.clone(),
        );
        registry.register(
            "tandem_messages_received",
            "Sync messages received from devices",
            messages_received.clone(),
        );
        registry.register(
            "tandem_bytes_received",
            "Bytes of sync messages received from devices",
            bytes_received.clone(),
        );
        registry.register(
            "tandem_messages_sent",
            "Sync messages and notices sent to devices",
            messages_sent.clone(),
        );
        registry.register(
            "tandem_bytes_sent",
            "Bytes of sync messages and notices sent to devices",
            bytes_sent.clone(),
        );
        let messages_throttled = Counter::default();
        registry.register(
            "tandem_messages_throttled",
            "Sync messages a device sent over its allowance, read only once it was allowed",
            messages_throttled.clone(),
        );
        registry.register(
            "tandem_storage_errors",
            "Storage calls that failed",
            durability.failure_counter(),
        );
        registry.register(
            "tandem_fanout_lag_seconds",
            "From another server process storing a change to this one merging it",
            fanout_lag.clone(),
        );
        Metrics {
            registry,
            engine,
            open,
            connections,
            documents,
            tasks,
            messages_received,
            bytes_received,
            messages_sent,
            bytes_sent,
            messages_throttled,
            fanout_lag,
        }
    }

    /// The metrics as of now, in the text format.
    pub fn encode(&self) -> String {
        self.documents
            .set(i64::try_from(self.engine.documents()).unwrap_or(i64::MAX));
        self.connections
            .set(i64::try_from(self.open.len()).unwrap_or(i64::MAX));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let alive = runtime.metrics().num_alive_tasks();
            self.tasks.set(i64::try_from(alive).unwrap_or(i64::MAX));
        }
        let mut text = String::new();
        if let Err(err) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(%err, "could not write the metrics");
        }
        text
    }
}
