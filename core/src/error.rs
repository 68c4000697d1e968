//! Core's error type: rich enough to act on, and small enough for an app to map to a few cases.

use std::fmt;

/// What went wrong with one field of the user's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    /// The field, as the user sees it: `importance`, `plan.times[1]`, `end`.
    pub field: String,
    /// The problem, in words a person can act on: "12 is outside 0–10".
    pub problem: String,
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Every error tandem-core returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input was refused; nothing was written.
    #[error("invalid {0}")]
    Invalid(InvalidInput),
    /// Something the input refers to does not exist (a goal, a plan, a step ...).
    #[error("{kind} {id} not found")]
    NotFound { kind: &'static str, id: String },
    /// The server, or the person's role, does not allow this.
    #[error("not permitted: {0}")]
    NotPermitted(String),
    /// The sync server refused the call: `reason` is its word, typed, for a program to act
    /// on; `message` its sentence, for a person.
    #[error("the server refused: {message}")]
    Refused {
        reason: crate::sync::api::Reason,
        message: String,
    },
    /// Talking to the sync server failed (offline, unreachable, or an answer that is not
    /// Tandem's).
    #[error("sync: {0}")]
    Sync(String),
    /// A document was written by a newer version of Tandem than this one.
    #[error("document {doc} has schema version {found}; this version of Tandem reads up to {supported}: update the app")]
    NewerSchema {
        doc: String,
        found: i64,
        supported: i64,
    },
    /// A document is not what it claims to be (missing header, wrong kind, unreadable bytes).
    #[error("document {doc} is damaged: {problem}")]
    Damaged { doc: String, problem: String },
    /// The store is encrypted and was opened without its key.
    #[error("this store is encrypted: open it with its key or passphrase")]
    KeyNeeded,
    /// The key given does not open this store (nothing was changed).
    #[error("{0}; nothing was changed")]
    WrongKey(String),
    /// The local database failed.
    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),
    /// An automerge operation failed.
    #[error("document engine: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    /// File system trouble around the store (creating its folder, for example).
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An `Invalid` error for `field` with `problem`.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Invalid(InvalidInput {
            field: field.into(),
            problem: problem.into(),
        })
    }

    pub fn not_found(kind: &'static str, id: impl Into<String>) -> Self {
        Error::NotFound {
            kind,
            id: id.into(),
        }
    }

    /// The server's refusal, as it answered.
    pub fn refused(reason: crate::sync::api::Reason, message: impl Into<String>) -> Self {
        Error::Refused {
            reason,
            message: message.into(),
        }
    }

    /// The server's reason, when the server refused the call.
    pub fn refusal(&self) -> Option<crate::sync::api::Reason> {
        match self {
            Error::Refused { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    pub fn damaged(doc: impl fmt::Display, problem: impl Into<String>) -> Self {
        Error::Damaged {
            doc: doc.to_string(),
            problem: problem.into(),
        }
    }
}
