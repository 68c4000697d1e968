//! End-to-end tests of Tandem, and the helpers they share with each other and with the core's
//! benchmarks.
//!
//! - [`writer`]: the plan and the walk of occurrences used by the `check_in_writer` binary and
//!   the durability test that kills it.
//! - [`server_process`]: a real `tandem-server` on 127.0.0.1, stopped when dropped.
//! - [`five_years`]: a deterministic five-year journey, for benchmarks and tests of long
//!   histories (the `budgets` benchmark of this crate uses it).
//! - [`bench`]: how the benchmarks run, at full size or quickly (`--quick`).
//! - [`certificates`]: a certificate authority and a server certificate, for TLS tests.
//! - [`devices`]: the sync tests' store options, a phone and a tablet on a server, a bounded wait.
//! - [`load`]: the server load benchmark's processes: memory and CPU from `/proc`, pinning, the
//!   JS automerge-repo sync server, a PostgreSQL of its own.

pub mod bench;
pub mod certificates;
pub mod devices;
pub mod five_years;
pub mod load;
pub mod server_process;
pub mod writer;
