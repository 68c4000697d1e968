//! tandem-ffi: Tandem for Kotlin, Swift and Python, through uniffi.
//!
//! Small wrappers around tandem-core, in the style of matrix-rust-sdk's FFI crate: each exported
//! object holds the core type and forwards to it; records and enums mirror the core's with
//! `From` impls; errors become one [`TandemError`]. Behaviour lives in the core, where it is
//! tested; what is here is conversion (dates, times and instants, numbers) and plumbing (a tokio
//! runtime, observers).
//!
//! Dates cross the boundary as `"YYYY-MM-DD"` strings and times of day as `"HH:MM"` (24-hour)
//! strings, in the person's time zone; instants as timestamps (`java.time.Instant`, `Date`,
//! `datetime`). A string that does not parse is refused with [`TandemError::InvalidInput`]
//! naming the field.

uniffi::setup_scaffolding!();

mod coaching;
mod convert;
mod devices;
mod error;
mod input;
mod journey;
mod keys;
mod linked;
mod mine;
mod observe;
mod parallel;
mod people;
mod relationship;
mod runtime;
mod store;
mod sync;
mod views;

pub use coaching::Coaching;
pub use devices::*;
pub use error::TandemError;
pub use input::*;
pub use journey::*;
pub use keys::*;
pub use linked::LinkedJourney;
pub use mine::*;
pub use observe::{ChangeObserver, Subscription, SyncStatusObserver};
pub use parallel::*;
pub use people::*;
pub use relationship::*;
pub use store::TandemStore;
pub use sync::*;
pub use views::*;
