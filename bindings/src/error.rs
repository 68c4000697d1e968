//! The one error apps see, made from the core's richer one in one place.

use tandem_core::Error;

use crate::sync::RefusalReason;

// Fields are named `detail`, not `message`: a field named `message` clashes with
// `Throwable.message` in the Kotlin uniffi generates, which then does not compile (uniffi-rs
// issue 1434).

/// Everything that can go wrong in a Tandem call, in cases an app can act on.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TandemError {
    /// The input was refused and nothing was written. Show `problem` next to `field`.
    #[error("{field}: {problem}")]
    InvalidInput {
        /// The field as the person sees it: `importance`, `schedule.times`, `date`.
        field: String,
        /// What is wrong, in words a person can act on: "12 is outside 0–10".
        problem: String,
    },
    /// What the call refers to does not exist (a goal, a plan, a step, an invitation code ...).
    #[error("{what} not found")]
    NotFound {
        /// What was not found, with its id, or the server's sentence about it.
        what: String,
    },
    /// The server, the person's role, or the state of the store does not allow this now.
    #[error("not permitted: {reason}")]
    NotPermitted {
        /// Why, in a sentence a person can read.
        reason: String,
    },
    /// The device's storage failed (disk full, database unreadable, no access to the path).
    #[error("storage: {detail}")]
    Storage {
        /// What failed.
        detail: String,
    },
    /// The server refused the call. Act on `reason` (a code that was used already, an expired
    /// token ...); show `detail`, the server's sentence, to the person.
    #[error("{detail}")]
    Refused {
        /// Why, as the server's word, typed.
        reason: RefusalReason,
        /// The server's sentence, for a person.
        detail: String,
    },
    /// Talking to the sync server failed: offline, unreachable, or an unexpected answer.
    /// Retry later; everything keeps working offline meanwhile.
    #[error("sync: {detail}")]
    Sync {
        /// What happened.
        detail: String,
    },
    /// Data written by a newer version of Tandem: ask the person to update the app.
    #[error("{detail}")]
    NewerVersion {
        /// Which document or store, and the versions involved.
        detail: String,
    },
    /// The store is encrypted and needs its key (or passphrase) to open: ask the platform's
    /// key store, or the person.
    #[error("{detail}")]
    KeyNeeded {
        /// In words.
        detail: String,
    },
    /// The key or passphrase given does not open this store; nothing was changed. Ask again.
    #[error("{detail}")]
    WrongKey {
        /// Which it was, in words.
        detail: String,
    },
    /// Stored data is damaged and cannot be read.
    #[error("{detail}")]
    Damaged {
        /// Which document, and what is wrong with it.
        detail: String,
    },
    /// A bug in Tandem or in an observer the app implemented. Report it.
    #[error("internal error: {detail}")]
    Internal {
        /// What went wrong.
        detail: String,
    },
}

impl TandemError {
    pub(crate) fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        TandemError::InvalidInput {
            field: field.into(),
            problem: problem.into(),
        }
    }

    pub(crate) fn internal(detail: impl Into<String>) -> Self {
        TandemError::Internal {
            detail: detail.into(),
        }
    }
}

impl From<Error> for TandemError {
    fn from(err: Error) -> Self {
        match err {
            Error::Invalid(invalid) => TandemError::InvalidInput {
                field: invalid.field,
                problem: invalid.problem,
            },
            Error::NotFound { kind, id } => TandemError::NotFound {
                what: format!("{kind} {id}"),
            },
            Error::NotPermitted(reason) => TandemError::NotPermitted { reason },
            Error::Refused { reason, message } => TandemError::Refused {
                reason,
                detail: message,
            },
            Error::Sync(detail) => TandemError::Sync { detail },
            err @ Error::KeyNeeded => TandemError::KeyNeeded {
                detail: err.to_string(),
            },
            err @ Error::WrongKey(_) => TandemError::WrongKey {
                detail: err.to_string(),
            },
            err @ Error::NewerSchema { .. } => TandemError::NewerVersion {
                detail: err.to_string(),
            },
            err @ Error::Damaged { .. } => TandemError::Damaged {
                detail: err.to_string(),
            },
            Error::Storage(err) => TandemError::Storage {
                detail: err.to_string(),
            },
            Error::Io(err) => TandemError::Storage {
                detail: err.to_string(),
            },
            err @ Error::Automerge(_) => TandemError::internal(err.to_string()),
        }
    }
}

/// An observer the app implemented threw something other than a `TandemError`.
impl From<uniffi::UnexpectedUniFFICallbackError> for TandemError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TandemError::internal(format!("an observer failed: {}", err.reason))
    }
}
