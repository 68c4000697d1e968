//! The directory: who is who on this server, who is linked to whom, and who may sync what.
//!
//! [`Directory`] is the interface the HTTP API and the share policy use; [`SqliteDirectory`]
//! keeps it in the server's SQLite file. Each call is one transaction. The rules that do not
//! depend on storage (which role may invite whom, what may be shared with whom) live in
//! [`rules`], so that another backend (PostgreSQL, for a larger deployment) applies the very same
//! rules.

pub mod rules;
mod sqlite;

pub use sqlite::SqliteDirectory;

use tandem_protocol::api::{
    Access, CodeAbout, DocumentKind, EnrolRequest, Enrolled, Invitation, InvitationKind,
    JoinRequest, Joined, Link, Reason, RegisterDocument, Role, ShareRequest,
};

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

impl From<rusqlite::Error> for Refusal {
    fn from(err: rusqlite::Error) -> Self {
        tracing::error!(%err, "directory storage failed");
        Refusal::internal("the server's storage failed")
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

/// The server's directory. Every method is one atomic step; `now` is Unix seconds.
pub trait Directory: Send + Sync + 'static {
    /// This server's id (made on first start).
    fn server_id(&self) -> &str;

    /// Accepts a token nonce once: `false` when it was seen before. Nonces are kept until
    /// `expires_at`; older ones are forgotten.
    fn remember_nonce(&self, nonce: &str, expires_at: i64, now: i64) -> Result<bool>;

    /// The person a device belongs to.
    fn device_person(&self, device_id: &str) -> Result<Option<Person>>;

    /// A person by id.
    fn person(&self, person_id: &str) -> Result<Option<Person>>;

    /// Makes a one-time enrolment code for a practitioner or a coach, valid until `expires_at`.
    fn create_enrolment_code(&self, role: Role, now: i64, expires_at: i64) -> Result<String>;

    /// A new device enrols its new person with an operator's code.
    fn enrol(&self, device_id: &str, request: &EnrolRequest, now: i64) -> Result<Enrolled>;

    /// A member asks for an invitation code, valid until `expires_at`.
    /// `from_name` is the name the inviter gave (kept until the code is used).
    fn invite(
        &self,
        inviter: &Person,
        kind: InvitationKind,
        from_name: Option<&str>,
        now: i64,
        expires_at: i64,
    ) -> Result<Invitation>;

    /// What the code `typed` would do and who made it, without using it; refused as
    /// [`Directory::join`] and [`Directory::enrol`] refuse a code that is unknown, used or
    /// expired.
    fn about_code(&self, typed: &str, now: i64) -> Result<CodeAbout>;

    /// A device accepts an invitation (see docs/SYNC.md, "HTTP API").
    fn join(&self, caller: &Caller, request: &JoinRequest, now: i64) -> Result<Joined>;

    /// Registers a document the caller made.
    fn register(&self, caller: &Person, request: &RegisterDocument, now: i64) -> Result<()>;

    /// The owner lets another person sync a document.
    fn grant(&self, owner: &Person, request: &ShareRequest, now: i64) -> Result<()>;

    /// The owner stops another person syncing a document.
    fn revoke(&self, owner: &Person, request: &ShareRequest, now: i64) -> Result<()>;

    /// The people linked to `person`, and what they share with them.
    fn links(&self, person: &Person) -> Result<Vec<Link>>;

    /// How `person_id` may use `doc_id` (a month answers for its journey); `None` for a
    /// document that is not registered or not theirs to see.
    fn access(&self, doc_id: &str, person_id: &str) -> Result<Option<Access>>;

    /// The document as registered.
    fn document(&self, doc_id: &str) -> Result<Option<Document>>;

    /// The top of the change feed: every stored change of a document takes the next value of
    /// one server-wide sequence ([`crate::documents::DocumentStore`] writes it).
    fn feed_cursor(&self) -> Result<u64>;

    /// The documents `person_id` may see (exactly as [`Directory::access`] answers) whose
    /// latest stored change is after `since`, and the feed's top, from one snapshot. One query,
    /// whatever the number of documents; a document this person may not see is never named.
    fn changed_since(&self, person_id: &str, since: u64) -> Result<ChangedSince>;
}
