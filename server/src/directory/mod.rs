//! The directory: who is who on this server, who is linked to whom, and who may sync what.
//!
//! [`Directory`] is what the HTTP API and the share policy call. Every step it takes is written
//! once, in `calls.rs`, over the tables' rows as a [`Backend`] gives them ([`Rows`], in
//! `backend.rs`): the SQLite file of one machine ([`SqliteBackend`]) or a PostgreSQL database
//! that several server processes share ([`PostgresBackend`]). Each call is one transaction. The
//! rules that need no rows (which role may invite whom, what may be shared with whom) live in
//! [`rules`].

mod backend;
mod calls;
pub mod erasure;
pub mod handover;
mod postgres;
pub mod recovery;
pub mod rules;
mod sqlite;

pub use backend::{Backend, CodeRow, Consent, InvitationRow, Membership, Mode, Rows};
pub use calls::Directory;
pub use handover::Deactivated;
pub use postgres::PostgresBackend;
pub use sqlite::SqliteBackend;

use tandem_protocol::api::{DocumentKind, Reason, Role};

/// A person known to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub person_id: String,
    pub role: Role,
    pub journey_id: String,
    pub private_id: String,
}

/// A registered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub doc_id: String,
    pub kind: DocumentKind,
    pub owner: String,
    pub journey_id: Option<String>,
    pub with_person: Option<String>,
}

/// How two linked people relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A practitioner and their client.
    Care,
    /// A coach and a practitioner they coach.
    Coaching,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Care => "care",
            LinkKind::Coaching => "coaching",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "care" => Some(LinkKind::Care),
            "coaching" => Some(LinkKind::Coaching),
            _ => None,
        }
    }
}

/// What kind of refusal: the HTTP API maps each to a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The request is malformed or contradicts itself (400).
    Invalid,
    /// The caller may not do this (403).
    Forbidden,
    /// Something the request names does not exist (404).
    NotFound,
    /// It clashes with what is there (409).
    Conflict,
    /// A code that was used or has expired (410).
    Gone,
    /// The server failed (500).
    Internal,
}

/// Why a directory call was refused: a kind, a word a program can act on and a sentence a
/// person can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}: {message}")]
pub struct Refusal {
    pub kind: RefusalKind,
    pub reason: Reason,
    pub message: String,
}

impl Refusal {
    pub fn new(kind: RefusalKind, reason: Reason, message: impl Into<String>) -> Self {
        Refusal {
            kind,
            reason,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(RefusalKind::Invalid, Reason::Invalid, message)
    }

    pub fn forbidden(reason: Reason, message: impl Into<String>) -> Self {
        Self::new(RefusalKind::Forbidden, reason, message)
    }

    pub fn not_found(reason: Reason, message: impl Into<String>) -> Self {
        Self::new(RefusalKind::NotFound, reason, message)
    }

    pub fn conflict(reason: Reason, message: impl Into<String>) -> Self {
        Self::new(RefusalKind::Conflict, reason, message)
    }

    pub fn gone(reason: Reason, message: impl Into<String>) -> Self {
        Self::new(RefusalKind::Gone, reason, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(RefusalKind::Internal, Reason::Internal, message)
    }
}

impl Refusal {
    /// The directory's storage failed (the cause is logged, not told to the caller).
    pub fn storage(err: impl std::fmt::Display) -> Self {
        tracing::error!(%err, "directory storage failed");
        Refusal::internal("the server's storage failed")
    }
}

impl From<rusqlite::Error> for Refusal {
    fn from(err: rusqlite::Error) -> Self {
        Refusal::storage(err)
    }
}

impl From<tokio_postgres::Error> for Refusal {
    fn from(err: tokio_postgres::Error) -> Self {
        Refusal::storage(crate::postgres::describe(&err))
    }
}

impl From<deadpool_postgres::PoolError> for Refusal {
    fn from(err: deadpool_postgres::PoolError) -> Self {
        Refusal::storage(err)
    }
}

pub type Result<T, E = Refusal> = std::result::Result<T, E>;

/// What the change feed holds for one person (see [`Directory::changed_since`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedSince {
    /// The documents this person may see whose latest stored change came after the cursor
    /// asked about, oldest change first, each once.
    pub doc_ids: Vec<String>,
    /// The top of the feed as of that list: the cursor to ask about next.
    pub cursor: u64,
}

/// Which device calls, and whose it is (`None` for a device the server does not know yet).
#[derive(Debug, Clone)]
pub struct Caller {
    pub device_id: String,
    pub person: Option<Person>,
}
