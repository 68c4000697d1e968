//! Sync with a Tandem server: the shared protocol types, and (to come) the client.

pub mod api;
