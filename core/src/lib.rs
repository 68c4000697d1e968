//! tandem-core: the engine behind Tandem.
//!
//! A person's journey through the four stages of the protocol (strengths and values, goals,
//! action plans, review and monitoring) lives in automerge documents, one per sharing scope,
//! stored in SQLite in the layout samod (our sync engine) expects. The modules follow what
//! people do, each with its records and its part of [`Store`]:
//!
//! - [`journey`]: the four stages, check-ins, today, reminders, insights;
//! - [`relationships`]: care and coaching relationships, names, consent, linked journeys;
//! - [`coaching`]: condition, sessions, case reviews, reflections, alliance, wellbeing;
//! - [`parallel`]: the parallel view, summaries and the rules on what leaves the device, the
//!   coach's overview, the research export;
//! - [`sync`]: with a server, one-shot and live.
//!
//! Underneath: [`store`] (the store's machinery), [`document`] (the automerge layout) and
//! [`error`]. What devices and the server say to each other is `tandem-protocol`, re-exported
//! here as [`auth`] and [`sync::api`].

pub use tandem_protocol::auth;
pub mod coaching;
pub mod document;
pub mod error;
pub mod journey;
pub mod mine;
pub mod parallel;
pub mod relationships;
pub mod store;
pub mod sync;
pub mod zone;

pub use error::{Error, InvalidInput, Result};

pub use samod::DocumentId;
pub use store::{Changes, Clock, Identity, OpenOptions, Store, StoreKey};
pub use tandem_protocol::Word;
pub use zone::Zone;
