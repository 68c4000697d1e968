//! tandem-server: Tandem's sync server.
//!
//! A sync engine of its own on automerge (`engine`), speaking automerge-repo's protocol behind
//! axum WebSockets: one copy of each document in use for the process. Each connection is
//! authenticated at the upgrade by a short-lived token its device signed, bound to that device's
//! peer id, and every document request is answered by a share policy that reads the membership
//! table, live. Documents and the directory (people, devices, codes, links, memberships,
//! consents, nonces) share one database: a SQLite file in the data directory, or a PostgreSQL
//! database that several server processes share (`--database`). docs/SYNC.md is the protocol.
//!
//! | module | what |
//! |---|---|
//! | [`api`] | the HTTP routes and the WebSocket upgrade |
//! | [`auth`] | token checks and replay refusal |
//! | [`db`] | the SQLite file: opening, migrations |
//! | [`directory`] | the directory's calls, written once over its SQLite and PostgreSQL backends; the sharing rules |
//! | [`connections`] | the sync connections open here, by device: closed when their device is removed |
//! | [`documents`] | the `DocumentStore` trait, SQLite and PostgreSQL documents, samod storage, durability |
//! | [`fanout`] | several processes on one PostgreSQL database: LISTEN/NOTIFY of changes and memberships |
//! | [`engine`] | the sync engine: documents in memory while used, their storage, sync with each connection |
//! | [`fuzzing`] | what the server reads from the network, as functions over bytes (the fuzz targets' entry points) |
//! | [`limits`] | rate limits (code lookups per address) |
//! | [`metrics`] | `GET /metrics` in the Prometheus text format |
//! | [`notices`] | the change and links notices a device's sync connection may carry |
//! | [`policy`] | the live share policy |
//! | [`postgres`] | the PostgreSQL database: the pool, TLS, migrations |
//! | [`transport`] | a device's WebSocket: inbound checks, the engine's reader and the writer (durability, notices) |
//! | [`server`] | start, serve, stop; enrolment codes for the operator |

pub mod api;
pub mod auth;
mod chunks;
pub mod codes;
pub mod connections;
pub mod db;
pub mod directory;
pub mod documents;
pub mod engine;
pub mod fanout;
pub mod fuzzing;
pub mod limits;
pub mod metrics;
pub mod notices;
pub mod policy;
pub mod postgres;
pub mod server;
pub mod transport;

pub use server::{serve, Config, Listening, ServeError, Storage, MIN_PROTOCOL};
