//! What a Tandem device and a Tandem server say to each other, and nothing else: device-signed
//! tokens (`auth`), the JSON bodies of the HTTP API with roles, access, document kinds and the
//! reasons for a refusal (`api`), and the one way the whole tree declares an enum written as a
//! word (`word_enum!`, `Word`).
//!
//! Both `tandem-core` (the device) and `tandem-server` depend on this crate; it links no HTTP,
//! WebSocket or storage code, so the server does not link the device's client stack.

pub mod api;
pub mod auth;
pub mod chunks;
pub mod random;
mod words;

pub use words::Word;
