//! What a storage backend gives the directory: transactions over the directory's tables.
//!
//! Every directory call (`calls.rs`) opens one transaction with [`Backend::begin`], reads and
//! writes rows through [`Rows`], and commits; a transaction dropped without
//! [`Rows::commit`] is rolled back. Each method is one statement (or two), written for its
//! backend with bound parameters; none decides anything: the decisions are the calls'.

use async_trait::async_trait;
use tandem_protocol::api::{Access, Handover, InvitationKind, Role};

use super::{Document, LinkKind, Person, Result};

/// What a transaction will do, so that a backend can take the right locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One lookup: no snapshot needed.
    Look,
    /// Several reads that must agree with each other (one snapshot).
    Snapshot,
    /// Reads and writes, serialised with every other directory write, on every process.
    Write,
}

/// A code row, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    /// `enrol` or `invitation`.
    pub purpose: String,
    /// For an enrolment code: the role it gives.
    pub role: Option<String>,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// One of a person's devices, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub device_id: String,
    pub name: Option<String>,
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
}

/// The invitation made with a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    pub kind: InvitationKind,
    pub inviter: String,
    /// The name the inviter gave, until the code is used.
    pub from_name: Option<String>,
}

/// A membership to set: `person_id` may use `doc_id` with `access`.
#[derive(Debug, Clone, Copy)]
pub struct Membership<'a> {
    pub doc_id: &'a str,
    pub person_id: &'a str,
    pub access: Access,
    pub granted_by: &'a str,
    pub at: i64,
}

/// One line of the consent record: `who` let `whom` use `what` (a document id, or `coaching`).
#[derive(Debug, Clone, Copy)]
pub struct Consent<'a> {
    pub who: &'a str,
    pub whom: &'a str,
    pub what: &'a str,
    /// `None` for a revocation, or for a consent that grants no document.
    pub access: Option<Access>,
    /// `grant` or `revoke`.
    pub action: &'a str,
    pub at: i64,
    pub consent_text_version: Option<&'a str>,
}

/// Where the directory is kept.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// This server's id: made by the first process that opened the storage, the same for
    /// every process after it.
    fn server_id(&self) -> &str;

    /// Starts a transaction.
    async fn begin(&self, mode: Mode) -> Result<Box<dyn Rows>>;

    /// Accepts a token nonce once, whichever process asks: `false` when it was seen before.
    /// Forgets the nonces whose tokens expired before `now`.
    async fn remember_nonce(&self, nonce: &str, expires_at: i64, now: i64) -> Result<bool>;
}

/// The directory's rows, inside one transaction.
#[async_trait]
pub trait Rows: Send {
    async fn person(&mut self, person_id: &str) -> Result<Option<Person>>;
    /// The person a device belongs to (their id).
    /// The person a device belongs to; none for a device never seen, or removed.
    async fn device_owner(&mut self, device_id: &str) -> Result<Option<String>>;
    /// When a device was removed from its account, if it was.
    async fn device_removed_at(&mut self, device_id: &str) -> Result<Option<i64>>;
    /// A person's devices (not those removed), oldest first.
    async fn devices_of(&mut self, person_id: &str) -> Result<Vec<DeviceRow>>;
    async fn document(&mut self, doc_id: &str) -> Result<Option<Document>>;
    /// `person_id`'s access to `doc_id` by the sharing rule (a month answers for its journey;
    /// a coach never gets a client's document nor a care document).
    async fn access(&mut self, doc_id: &str, person_id: &str) -> Result<Option<Access>>;
    /// The top of the change feed.
    async fn feed_cursor(&mut self) -> Result<u64>;
    /// The documents `person_id` may see (as [`Rows::access`]) whose latest change is after
    /// `since`, oldest change first.
    async fn changed_since(&mut self, person_id: &str, since: u64) -> Result<Vec<String>>;
    /// Everyone who may see any of `doc_ids` (as [`Rows::access`]), each once.
    async fn viewers(&mut self, doc_ids: &[String]) -> Result<Vec<String>>;
    /// The link between two people, whichever way round, and its relationship document.
    async fn link_between(
        &mut self,
        a: &str,
        b: &str,
    ) -> Result<Option<(LinkKind, Option<String>)>>;
    /// Every link of `person_id` as (supporter, supported, relationship document), oldest
    /// first.
    async fn links_of(&mut self, person_id: &str) -> Result<Vec<(String, String, Option<String>)>>;
    /// The code whose normalised text hashes to `hash`.
    async fn code(&mut self, hash: &[u8]) -> Result<Option<CodeRow>>;
    async fn invitation(&mut self, hash: &[u8]) -> Result<Option<InvitationRow>>;
    /// The consent text version `person_id` last agreed to.
    async fn last_consent_version(&mut self, person_id: &str) -> Result<Option<String>>;

    async fn insert_person(&mut self, person: &Person, at: i64) -> Result<()>;
    async fn insert_device(&mut self, device_id: &str, person_id: &str, at: i64) -> Result<()>;
    /// Marks a device removed at `at`; `false` when it was not there to remove.
    async fn remove_device(&mut self, device_id: &str, at: i64) -> Result<bool>;
    /// Records that a device called at `at`, unless it was recorded within the last minute.
    async fn touch_device(&mut self, device_id: &str, at: i64) -> Result<()>;
    /// The name a device gives itself.
    async fn name_device(&mut self, device_id: &str, name: &str) -> Result<()>;
    /// Records that `device_id` (of `person_id`) received `doc_id` at `at`.
    async fn record_access(
        &mut self,
        doc_id: &str,
        device_id: &str,
        person_id: &str,
        at: i64,
    ) -> Result<()>;
    /// When each device of someone else last received `owner`'s journey or check-ins:
    /// (person, device, last at), latest first.
    async fn access_log_of(&mut self, owner: &str) -> Result<Vec<(String, String, i64)>>;
    /// `person_id` must delete `doc_id` and its months, for `reason` ("revoked", "erased").
    async fn withdraw(
        &mut self,
        doc_id: &str,
        person_id: &str,
        reason: &str,
        at: i64,
    ) -> Result<()>;
    /// `doc_id` is shared with `person_id` again: nothing of it to delete.
    async fn unwithdraw(&mut self, doc_id: &str, person_id: &str) -> Result<()>;
    /// What `person_id`'s devices must delete: (document, reason, when).
    async fn withdrawn_for(&mut self, person_id: &str) -> Result<Vec<(String, String, i64)>>;
    /// When the person, device or document `id` was erased, if it was.
    async fn erased_at(&mut self, id: &str) -> Result<Option<i64>>;
    /// `person_id`'s recovery code is now the one hashed `code_hash` (hex), made `at`.
    async fn set_recovery_code(&mut self, person_id: &str, code_hash: &str, at: i64) -> Result<()>;
    /// Whose recovery code is hashed `code_hash` (hex).
    async fn recovery_person(&mut self, code_hash: &str) -> Result<Option<String>>;
    /// Removes every device of `person_id` as of `at` (a recovery).
    async fn remove_devices_of(&mut self, person_id: &str, at: i64) -> Result<()>;
    /// Erases `person_id`'s account as of `at` (`erasure.rs`); returns who must hear of it.
    async fn erase_person(&mut self, person_id: &str, at: i64) -> Result<Vec<String>>;
    async fn insert_document(&mut self, doc: &Document, at: i64) -> Result<()>;
    async fn set_membership(&mut self, membership: Membership<'_>) -> Result<()>;
    async fn delete_membership(&mut self, doc_id: &str, person_id: &str) -> Result<()>;
    async fn record_consent(&mut self, consent: Consent<'_>) -> Result<()>;
    async fn insert_code(
        &mut self,
        hash: &[u8],
        purpose: &str,
        role: Option<Role>,
        at: i64,
        expires_at: i64,
    ) -> Result<()>;
    async fn insert_invitation(
        &mut self,
        hash: &[u8],
        kind: InvitationKind,
        inviter: &str,
        from_name: Option<&str>,
    ) -> Result<()>;
    /// Marks an unused code used by `device_id` and forgets the inviter's name; `false` when
    /// the code was used already.
    async fn use_code(&mut self, hash: &[u8], device_id: &str, at: i64) -> Result<bool>;
    /// Links two people, unless they are linked already.
    async fn insert_link(
        &mut self,
        supporter: &str,
        supported: &str,
        kind: LinkKind,
        at: i64,
    ) -> Result<()>;
    /// Names the relationship document of the link between `a` and `b`, if it has none yet.
    async fn set_relationship_doc(&mut self, a: &str, b: &str, doc_id: &str) -> Result<()>;

    /// When `person_id`'s account was closed by their service, if it was.
    async fn deactivated_at(&mut self, person_id: &str) -> Result<Option<i64>>;
    /// Offers `to` (named `to_name`) to each client of `from` not linked to `to` already;
    /// returns how many were offered.
    async fn offer_handovers(
        &mut self,
        from: &str,
        to: &str,
        to_name: Option<&str>,
        at: i64,
    ) -> Result<usize>;
    /// The offers waiting for `client`, oldest first.
    async fn handovers_for(&mut self, client: &str) -> Result<Vec<Handover>>;
    /// Takes (deletes) the offer of `to` to `client`: who left, and the name given for `to`.
    async fn take_handover(
        &mut self,
        client: &str,
        to: &str,
    ) -> Result<Option<(String, Option<String>)>>;
    /// Closes `person_id`'s account as of `at` (`handover.rs`); returns who must hear of it.
    async fn deactivate(&mut self, person_id: &str, at: i64) -> Result<Vec<String>>;

    /// Makes the transaction's writes durable.
    async fn commit(self: Box<Self>) -> Result<()>;
}
