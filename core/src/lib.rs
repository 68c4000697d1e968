//! tandem-core: the engine behind Tandem.
//!
//! A person's journey through the four stages of the protocol (strengths and values, goals,
//! action plans, review and monitoring) lives in automerge documents, one per sharing scope,
//! stored in SQLite in the layout samod (our sync engine) expects. On top sit the schedule of
//! planned occurrences and reminders, and insights computed on the device.

pub use tandem_protocol::auth;
pub mod coaching;
pub mod document;
pub mod error;
pub mod journey;
pub mod parallel;
pub mod relationships;
pub mod store;
pub mod sync;

pub use error::{Error, InvalidInput, Result};

pub use samod::DocumentId;
pub use store::{Changes, Clock, Identity, OpenOptions, Store};
pub use tandem_protocol::Word;
