//! The directory's calls, written once over any [`Backend`]: each is one transaction.

use std::str::FromStr;
use std::sync::Arc;

use tandem_protocol::api::{
    Access, AccessEntry, CodeAbout, DeviceInfo, DocumentKind, EnrolRequest, Enrolled, Invitation,
    InvitationKind, JoinRequest, Joined, Link, Reason, RecoverRequest, RegisterDocument, Role,
    ShareRequest, WithdrawnDocument, WithdrawnReason,
};

use super::backend::{Backend, Consent, Membership, Mode, Rows};
use super::handover::refuse_deactivated;
use super::{
    rules, Caller, ChangedSince, Document, LinkKind, Person, Refusal, RefusalKind, Result,
};
use crate::codes;

/// The longest consent text version accepted.
pub(super) const MAX_CONSENT_VERSION: usize = 64;

/// The server's directory (cheap to clone: clones share the backend).
#[derive(Clone)]
pub struct Directory {
    backend: Arc<dyn Backend>,
    /// When this process last recorded each device as seen: `touch_device` writes at most
    /// once a minute per device, not on every call.
    seen: Arc<std::sync::Mutex<std::collections::HashMap<String, i64>>>,
}

type Tx = Box<dyn Rows>;

impl Directory {
    pub fn new(backend: impl Backend) -> Self {
        Directory {
            backend: Arc::new(backend),
            seen: Arc::default(),
        }
    }

    /// Where the directory is kept.
    pub(super) fn backend(&self) -> &Arc<dyn Backend> {
        &self.backend
    }

    /// This server's id (made on first start).
    pub fn server_id(&self) -> &str {
        self.backend.server_id()
    }

    /// Accepts a token nonce once: `false` when it was seen before. Nonces are kept until
    /// `expires_at`; older ones are forgotten.
    pub async fn remember_nonce(&self, nonce: &str, expires_at: i64, now: i64) -> Result<bool> {
        self.backend.remember_nonce(nonce, expires_at, now).await
    }

    /// The person a device belongs to.
    pub async fn device_person(&self, device_id: &str) -> Result<Option<Person>> {
        let mut tx = self.backend.begin(Mode::Snapshot).await?;
        let person = device_person(&mut tx, device_id).await?;
        tx.commit().await?;
        Ok(person)
    }

    /// When a device was removed from its account, if it was.
    pub async fn device_removed_at(&self, device_id: &str) -> Result<Option<i64>> {
        self.backend
            .begin(Mode::Look)
            .await?
            .device_removed_at(device_id)
            .await
    }

    /// Records that a device called (to the minute): one statement, outside any transaction,
    /// at most once a minute per device from this process.
    pub async fn touch_device(&self, device_id: &str, now: i64) -> Result<()> {
        {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            if seen.get(device_id).is_some_and(|at| now - at < 60) {
                return Ok(());
            }
            seen.insert(device_id.to_string(), now);
        }
        self.backend
            .begin(Mode::Look)
            .await?
            .touch_device(device_id, now)
            .await
    }

    /// Records that a device received a document (one statement, outside any transaction).
    pub async fn record_access(
        &self,
        doc_id: &str,
        device_id: &str,
        person_id: &str,
        at: i64,
    ) -> Result<()> {
        self.backend
            .begin(Mode::Look)
            .await?
            .record_access(doc_id, device_id, person_id, at)
            .await
    }

    /// Who looked: when each other person's device last received `owner`'s journey.
    pub async fn access_log(&self, owner: &Person) -> Result<Vec<AccessEntry>> {
        let mut tx = self.backend.begin(Mode::Snapshot).await?;
        let rows = tx.access_log_of(&owner.person_id).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(person_id, device_id, last_at)| AccessEntry {
                person_id,
                device_id,
                last_at,
            })
            .collect())
    }

    /// What `person`'s devices must delete: documents whose owner stopped sharing them or
    /// erased their account.
    pub async fn withdrawn(&self, person: &Person) -> Result<Vec<WithdrawnDocument>> {
        let mut tx = self.backend.begin(Mode::Snapshot).await?;
        let rows = tx.withdrawn_for(&person.person_id).await?;
        tx.commit().await?;
        rows.into_iter()
            .map(|(doc_id, reason, at)| {
                let reason = WithdrawnReason::parse(&reason)
                    .ok_or_else(|| Refusal::storage(format!("unknown withdrawal {reason:?}")))?;
                Ok(WithdrawnDocument { doc_id, reason, at })
            })
            .collect()
    }

    /// When the person, device or document `id` was erased, if it was.
    pub async fn erased_at(&self, id: &str) -> Result<Option<i64>> {
        self.backend.begin(Mode::Look).await?.erased_at(id).await
    }

    /// Erases `person_id`'s account (`erasure.rs`): the person asking for it, or the operator.
    /// Returns the people who must hear of it (their links and documents changed).
    pub async fn erase_person(&self, person_id: &str, now: i64) -> Result<Vec<String>> {
        let mut tx = self.backend.begin(Mode::Write).await?;
        if tx.person(person_id).await?.is_none() {
            return Err(Refusal::not_found(
                Reason::UnknownPerson,
                format!("no person {person_id} on this server"),
            ));
        }
        let people = tx.erase_person(person_id, now).await?;
        tx.commit().await?;
        Ok(people)
    }

    /// The devices of `person`, oldest first; `caller` is the one asking.
    pub async fn devices(&self, caller: &str, person: &Person) -> Result<Vec<DeviceInfo>> {
        let mut tx = self.backend.begin(Mode::Snapshot).await?;
        let rows = tx.devices_of(&person.person_id).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|row| DeviceInfo {
                this_device: row.device_id == caller,
                device_id: row.device_id,
                name: row.name,
                added_at: row.created_at,
                last_seen_at: row.last_seen_at,
            })
            .collect())
    }

    /// Removes one of `person`'s devices (a lost phone) from the account, from another of
    /// their devices (`caller`): from now on its tokens are refused as removed.
    pub async fn remove_device(
        &self,
        caller: &str,
        person: &Person,
        device_id: &str,
        now: i64,
    ) -> Result<()> {
        if device_id == caller {
            return Err(Refusal::invalid(
                "a device cannot remove itself: remove it from another of your devices",
            ));
        }
        let mut tx = self.backend.begin(Mode::Write).await?;
        let owner = tx.device_owner(device_id).await?;
        if owner.as_deref() != Some(person.person_id.as_str()) {
            return Err(Refusal::not_found(
                Reason::UnknownDevice,
                format!("{device_id} is not one of your devices"),
            ));
        }
        tx.remove_device(device_id, now).await?;
        tx.commit().await
    }

    /// The name the calling device gives itself: 1 to 60 characters, no line breaks.
    pub async fn name_device(&self, caller: &str, name: &str) -> Result<()> {
        let name = tandem_protocol::api::device_name(name).map_err(Refusal::invalid)?;
        let mut tx = self.backend.begin(Mode::Write).await?;
        tx.name_device(caller, name).await?;
        tx.commit().await
    }

    /// A person by id.
    pub async fn person(&self, person_id: &str) -> Result<Option<Person>> {
        self.backend
            .begin(Mode::Look)
            .await?
            .person(person_id)
            .await
    }

    /// Makes a one-time enrolment code for a practitioner or a coach, valid until `expires_at`.
    pub async fn create_enrolment_code(
        &self,
        role: Role,
        now: i64,
        expires_at: i64,
    ) -> Result<String> {
        if role == Role::Client {
            return Err(Refusal::invalid(
                "clients are invited by their practitioner, not enrolled",
            ));
        }
        let code = codes::generate();
        let mut tx = self.backend.begin(Mode::Write).await?;
        insert_code(&mut tx, &code, "enrol", Some(role), now, expires_at).await?;
        tx.commit().await?;
        Ok(code)
    }

    /// A new device enrols its new person with an operator's code.
    pub async fn enrol(
        &self,
        device_id: &str,
        request: &EnrolRequest,
        now: i64,
    ) -> Result<Enrolled> {
        let mut tx = self.backend.begin(Mode::Write).await?;
        let code = live_code(&mut tx, &request.code, "enrol", now).await?;
        refuse_known_device(&mut tx, device_id).await?;
        let (journey_id, private_id) =
            new_person_ids(&request.person_id, &request.journey_id, &request.private_id)?;
        let role = code
            .role
            .as_deref()
            .and_then(Role::parse)
            .ok_or_else(|| Refusal::internal("an enrolment code without a role"))?;
        let person = Person {
            person_id: request.person_id.clone(),
            role,
            journey_id,
            private_id,
        };
        create_person(&mut tx, &person, device_id, now).await?;
        use_code(&mut tx, &code, device_id, now).await?;
        let recovery_code = new_recovery_code(&mut tx, &person.person_id, now).await?;
        tx.commit().await?;
        Ok(Enrolled {
            server_id: self.server_id().to_string(),
            person_id: person.person_id,
            role,
            recovery_code: Some(recovery_code),
        })
    }

    /// A member asks for an invitation code, valid until `expires_at`.
    /// `from_name` is the name the inviter gave (kept until the code is used).
    pub async fn invite(
        &self,
        inviter: &Person,
        kind: InvitationKind,
        from_name: Option<&str>,
        now: i64,
        expires_at: i64,
    ) -> Result<Invitation> {
        rules::may_invite(inviter.role, kind)?;
        let from_name = rules::given_name(from_name)?;
        let code = codes::generate();
        let mut tx = self.backend.begin(Mode::Write).await?;
        if kind != InvitationKind::Device {
            refuse_deactivated(&mut tx, &inviter.person_id, "no invitation").await?;
        }
        let hash = insert_code(&mut tx, &code, "invitation", None, now, expires_at).await?;
        tx.insert_invitation(&hash, kind, &inviter.person_id, from_name.as_deref())
            .await?;
        tx.commit().await?;
        Ok(Invitation {
            code,
            kind,
            expires_at: chrono::DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
        })
    }

    /// What the code `typed` would do and who made it, without using it; refused as
    /// [`Directory::join`] and [`Directory::enrol`] refuse a code that is unknown, used or
    /// expired.
    pub async fn about_code(&self, typed: &str, now: i64) -> Result<CodeAbout> {
        let mut tx = self.backend.begin(Mode::Snapshot).await?;
        let found = any_live_code(&mut tx, typed, now).await?;
        let expires_at = chrono::DateTime::from_timestamp(found.expires_at, 0).unwrap_or_default();
        let about = if found.purpose == "enrol" {
            let role = found.code.role.as_deref().and_then(Role::parse);
            CodeAbout {
                kind: rules::enrolment_kind(role)?,
                issuer_role: None,
                issuer_name: None,
                expires_at,
            }
        } else {
            let (kind, inviter, from_name) = invitation(&mut tx, &found.code.hash).await?;
            CodeAbout {
                kind: rules::invitation_kind(kind),
                issuer_role: Some(inviter.role),
                issuer_name: from_name,
                expires_at,
            }
        };
        tx.commit().await?;
        Ok(about)
    }

    /// A device accepts an invitation (see docs/SYNC.md, "HTTP API").
    pub async fn join(&self, caller: &Caller, request: &JoinRequest, now: i64) -> Result<Joined> {
        let mut tx = self.backend.begin(Mode::Write).await?;
        let joined = join(&mut tx, self.server_id(), caller, request, now).await?;
        tx.commit().await?;
        Ok(joined)
    }

    /// A new device takes over the account of the person whose recovery code `request` gives
    /// (every device of theirs was lost): their other devices are removed, this one added, and
    /// a new code replaces the one used. Answers as a device join does, with the new code, and
    /// the devices removed (their connections must close).
    pub async fn recover(
        &self,
        caller: &Caller,
        request: &RecoverRequest,
        now: i64,
    ) -> Result<(Joined, Vec<String>)> {
        let unknown = || Refusal::not_found(Reason::UnknownCode, "no such recovery code");
        let normal = codes::normalise(&request.code).ok_or_else(unknown)?;
        let mut tx = self.backend.begin(Mode::Write).await?;
        let person_id = tx
            .recovery_person(&hex(&codes::hash(&normal)))
            .await?
            .ok_or_else(unknown)?;
        let person = tx.person(&person_id).await?.ok_or_else(unknown)?;
        refuse_known_device(&mut tx, &caller.device_id).await?;
        let removed: Vec<String> = tx
            .devices_of(&person_id)
            .await?
            .into_iter()
            .map(|d| d.device_id)
            .collect();
        tx.remove_devices_of(&person_id, now).await?;
        tx.insert_device(&caller.device_id, &person_id, now).await?;
        let recovery_code = new_recovery_code(&mut tx, &person_id, now).await?;
        tx.commit().await?;
        let joined = Joined {
            server_id: self.server_id().to_string(),
            person_id: person.person_id,
            role: person.role,
            journey_id: person.journey_id,
            private_id: person.private_id,
            linked: None,
            linked_name: None,
            recovery_code: Some(recovery_code),
        };
        Ok((joined, removed))
    }

    /// The operator makes a new recovery code for `person_id` (after checking who asks),
    /// replacing any before; the code, to hand over once.
    pub async fn reissue_recovery_code(&self, person_id: &str, now: i64) -> Result<String> {
        let mut tx = self.backend.begin(Mode::Write).await?;
        if tx.person(person_id).await?.is_none() {
            return Err(Refusal::not_found(
                Reason::UnknownPerson,
                format!("no person {person_id} on this server"),
            ));
        }
        let code = new_recovery_code(&mut tx, person_id, now).await?;
        tx.commit().await?;
        Ok(code)
    }

    /// Registers a document the caller made.
    pub async fn register(
        &self,
        caller: &Person,
        request: &RegisterDocument,
        now: i64,
    ) -> Result<()> {
        let doc_id = canonical_doc_id("doc_id", &request.doc_id)?;
        let kind = request.kind;
        let journey_id = match (&request.journey_id, kind) {
            (Some(j), DocumentKind::CheckIns) => Some(canonical_doc_id("journey_id", j)?),
            (None, DocumentKind::CheckIns) => {
                return Err(Refusal::invalid(
                    "a month of check-ins needs its journey_id",
                ))
            }
            (Some(_), _) => {
                return Err(Refusal::invalid(
                    "only a month of check-ins (kind check_ins) names a journey_id",
                ))
            }
            (None, _) => None,
        };
        let with_person = match (&request.with_person, rules::relationship_link(kind)) {
            (Some(p), Some(_)) => Some(p.clone()),
            (None, Some(_)) => {
                return Err(Refusal::invalid(format!(
                    "a {kind} document needs with_person: the other person in it"
                )))
            }
            (Some(_), None) => {
                return Err(Refusal::invalid(
                    "only a care or coaching document names with_person",
                ))
            }
            (None, None) => None,
        };
        let doc = Document {
            doc_id,
            kind,
            owner: caller.person_id.clone(),
            journey_id,
            with_person,
        };
        let mut tx = self.backend.begin(Mode::Write).await?;
        register(&mut tx, caller, doc, now).await?;
        tx.commit().await
    }

    /// The owner lets another person sync a document.
    pub async fn grant(&self, owner: &Person, request: &ShareRequest, now: i64) -> Result<()> {
        let doc_id = canonical_doc_id("doc_id", &request.doc_id)?;
        let mut tx = self.backend.begin(Mode::Write).await?;
        let (doc, target) =
            owned_document_and_target(&mut tx, owner, &doc_id, &request.person_id).await?;
        let link = tx
            .link_between(&owner.person_id, &target.person_id)
            .await?
            .map(|(k, _)| k);
        rules::may_share(&doc, owner, &target, link)?;
        tx.unwithdraw(&doc_id, &target.person_id).await?;
        tx.set_membership(Membership {
            doc_id: &doc_id,
            person_id: &target.person_id,
            access: request.access,
            granted_by: &owner.person_id,
            at: now,
        })
        .await?;
        let version = tx.last_consent_version(&owner.person_id).await?;
        tx.record_consent(Consent {
            who: &owner.person_id,
            whom: &target.person_id,
            what: &doc_id,
            access: Some(request.access),
            action: "grant",
            at: now,
            consent_text_version: version.as_deref(),
        })
        .await?;
        tx.commit().await
    }

    /// The owner stops another person syncing a document.
    pub async fn revoke(&self, owner: &Person, request: &ShareRequest, now: i64) -> Result<()> {
        let doc_id = canonical_doc_id("doc_id", &request.doc_id)?;
        let mut tx = self.backend.begin(Mode::Write).await?;
        let (_, target) =
            owned_document_and_target(&mut tx, owner, &doc_id, &request.person_id).await?;
        if target.person_id == owner.person_id {
            return Err(Refusal::invalid("an owner cannot revoke their own access"));
        }
        tx.delete_membership(&doc_id, &target.person_id).await?;
        // Their devices delete their copies (a journey with its months).
        tx.withdraw(
            &doc_id,
            &target.person_id,
            WithdrawnReason::Revoked.as_str(),
            now,
        )
        .await?;
        let version = tx.last_consent_version(&owner.person_id).await?;
        tx.record_consent(Consent {
            who: &owner.person_id,
            whom: &target.person_id,
            what: &doc_id,
            access: None,
            action: "revoke",
            at: now,
            consent_text_version: version.as_deref(),
        })
        .await?;
        tx.commit().await
    }

    /// The people linked to `person`, and what they share with them.
    pub async fn links(&self, viewer: &Person) -> Result<Vec<Link>> {
        let mut tx = self.backend.begin(Mode::Snapshot).await?;
        let rows = tx.links_of(&viewer.person_id).await?;
        let mut links = Vec::with_capacity(rows.len());
        for (supporter, supported, relationship) in rows {
            let other_id = if supporter == viewer.person_id {
                supported
            } else {
                supporter
            };
            if let Some(other) = tx.person(&other_id).await? {
                links.push(link_view(&mut tx, viewer, &other, relationship).await?);
            }
        }
        tx.commit().await?;
        Ok(links)
    }

    /// How `person_id` may use `doc_id` (a month answers for its journey); `None` for a
    /// document that is not registered or not theirs to see.
    pub async fn access(&self, doc_id: &str, person_id: &str) -> Result<Option<Access>> {
        self.backend
            .begin(Mode::Look)
            .await?
            .access(doc_id, person_id)
            .await
    }

    /// The document as registered.
    pub async fn document(&self, doc_id: &str) -> Result<Option<Document>> {
        self.backend.begin(Mode::Look).await?.document(doc_id).await
    }

    /// The top of the change feed: every stored change of a document takes the next value of
    /// one server-wide sequence ([`crate::documents::DocumentStore`] writes it).
    pub async fn feed_cursor(&self) -> Result<u64> {
        self.backend.begin(Mode::Look).await?.feed_cursor().await
    }

    /// Everyone who may see one of `doc_ids` now (exactly as [`Directory::access`] answers),
    /// each once: whose notices are to read the change feed after those documents changed.
    pub async fn viewers(&self, doc_ids: &[String]) -> Result<Vec<String>> {
        if doc_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.backend.begin(Mode::Look).await?.viewers(doc_ids).await
    }

    /// The documents `person_id` may see (exactly as [`Directory::access`] answers) whose
    /// latest stored change is after `since`, and the feed's top, from one snapshot. One query,
    /// whatever the number of documents; a document this person may not see is never named.
    pub async fn changed_since(&self, person_id: &str, since: u64) -> Result<ChangedSince> {
        let mut tx = self.backend.begin(Mode::Snapshot).await?;
        let cursor = tx.feed_cursor().await?;
        let doc_ids = tx.changed_since(person_id, since).await?;
        tx.commit().await?;
        Ok(ChangedSince { doc_ids, cursor })
    }
}

async fn device_person(tx: &mut Tx, device_id: &str) -> Result<Option<Person>> {
    match tx.device_owner(device_id).await? {
        Some(id) => tx.person(&id).await,
        None => Ok(None),
    }
}

/// A document id in automerge-repo's canonical form (bs58check); legacy UUIDs are accepted.
fn canonical_doc_id(field: &str, id: &str) -> Result<String> {
    samod::DocumentId::from_str(id)
        .map(|d| d.to_string())
        .map_err(|_| Refusal::invalid(format!("{field} {id:?} is not a document id")))
}

fn check_person_id(id: &str) -> Result<()> {
    match bs58::decode(id).into_vec() {
        Ok(bytes) if bytes.len() == 16 => Ok(()),
        _ => Err(Refusal::invalid(format!(
            "person_id {id:?} is not the base58 of 16 bytes"
        ))),
    }
}

/// The ids a new person brings, checked and in canonical form.
fn new_person_ids(person_id: &str, journey_id: &str, private_id: &str) -> Result<(String, String)> {
    check_person_id(person_id)?;
    let journey = canonical_doc_id("journey_id", journey_id)?;
    let private = canonical_doc_id("private_id", private_id)?;
    if journey == private {
        return Err(Refusal::invalid(
            "journey_id and private_id must be different documents",
        ));
    }
    Ok((journey, private))
}

async fn insert_document(tx: &mut Tx, doc: &Document, now: i64) -> Result<()> {
    if tx.document(&doc.doc_id).await?.is_some() {
        return Err(Refusal::conflict(
            Reason::DocumentTaken,
            format!("document {} is registered already", doc.doc_id),
        ));
    }
    tx.insert_document(doc, now).await
}

/// `person_id` may write `doc_id`, as they chose.
fn own_membership<'a>(doc_id: &'a str, person_id: &'a str, now: i64) -> Membership<'a> {
    Membership {
        doc_id,
        person_id,
        access: Access::Write,
        granted_by: person_id,
        at: now,
    }
}

/// Makes a person with their journey and private documents, and their first device.
async fn create_person(tx: &mut Tx, person: &Person, device_id: &str, now: i64) -> Result<()> {
    if tx.person(&person.person_id).await?.is_some() {
        return Err(Refusal::conflict(
            Reason::PersonExists,
            "this person is known here already: add this device with a device code",
        ));
    }
    tx.insert_person(person, now).await?;
    for (doc_id, kind) in [
        (&person.journey_id, DocumentKind::Journey),
        (&person.private_id, DocumentKind::Private),
    ] {
        let doc = Document {
            doc_id: doc_id.clone(),
            kind,
            owner: person.person_id.clone(),
            journey_id: None,
            with_person: None,
        };
        insert_document(tx, &doc, now).await?;
        tx.set_membership(own_membership(doc_id, &person.person_id, now))
            .await?;
    }
    tx.insert_device(device_id, &person.person_id, now).await
}

async fn refuse_known_device(tx: &mut Tx, device_id: &str) -> Result<()> {
    if tx.device_owner(device_id).await?.is_some() {
        return Err(Refusal::conflict(
            Reason::DeviceKnown,
            "this device belongs to a person here already",
        ));
    }
    Ok(())
}

/// A code, checked: it exists, is unused and unexpired.
struct Code {
    hash: Vec<u8>,
    role: Option<String>,
}

/// A code that exists, unused and unexpired, whatever it is for.
struct FoundCode {
    code: Code,
    purpose: String,
    expires_at: i64,
}

/// A live code for `purpose`.
async fn live_code(tx: &mut Tx, typed: &str, purpose: &str, now: i64) -> Result<Code> {
    let found = any_live_code(tx, typed, now).await?;
    if found.purpose != purpose {
        return Err(Refusal::invalid(if purpose == "enrol" {
            "this is an invitation code: accept it with /v1/join"
        } else {
            "this is an enrolment code: use it with /v1/enrol"
        }));
    }
    Ok(found.code)
}

async fn any_live_code(tx: &mut Tx, typed: &str, now: i64) -> Result<FoundCode> {
    let unknown = || Refusal::not_found(Reason::UnknownCode, "no such code");
    let hash = codes::hash(&codes::normalise(typed).ok_or_else(unknown)?);
    let row = tx.code(&hash).await?.ok_or_else(unknown)?;
    if row.used_at.is_some() {
        return Err(Refusal::gone(Reason::CodeUsed, "this code has been used"));
    }
    if row.expires_at <= now {
        return Err(Refusal::gone(Reason::CodeExpired, "this code has expired"));
    }
    Ok(FoundCode {
        code: Code {
            hash,
            role: row.role,
        },
        purpose: row.purpose,
        expires_at: row.expires_at,
    })
}

async fn use_code(tx: &mut Tx, code: &Code, device_id: &str, now: i64) -> Result<()> {
    // The inviter's name was for the one who looked at the code; using it forgets the name.
    if !tx.use_code(&code.hash, device_id, now).await? {
        return Err(Refusal::gone(Reason::CodeUsed, "this code has been used"));
    }
    Ok(())
}

/// The invitation made with the code whose hash is `code_hash`: its kind, who made it, and the
/// name they gave (until the code is used).
async fn invitation(
    tx: &mut Tx,
    code_hash: &[u8],
) -> Result<(InvitationKind, Person, Option<String>)> {
    let row = tx
        .invitation(code_hash)
        .await?
        .ok_or_else(|| Refusal::internal("an invitation code without its invitation"))?;
    let inviter = tx
        .person(&row.inviter)
        .await?
        .ok_or_else(|| Refusal::internal("an invitation from nobody"))?;
    Ok((row.kind, inviter, row.from_name))
}

async fn insert_code(
    tx: &mut Tx,
    code: &str,
    purpose: &str,
    role: Option<Role>,
    now: i64,
    expires_at: i64,
) -> Result<Vec<u8>> {
    let hash = codes::hash(&codes::normalise(code).expect("generated codes are well formed"));
    tx.insert_code(&hash, purpose, role, now, expires_at)
        .await?;
    Ok(hash)
}

/// What `viewer` sees of a link to `other`.
pub(super) async fn link_view(
    tx: &mut Tx,
    viewer: &Person,
    other: &Person,
    relationship_doc: Option<String>,
) -> Result<Link> {
    let mine = tx.access(&other.journey_id, &viewer.person_id).await?;
    Ok(Link {
        person_id: other.person_id.clone(),
        role: other.role,
        journey_id: mine.map(|_| other.journey_id.clone()),
        relationship_doc_id: relationship_doc,
        access: mine,
        their_access: tx.access(&viewer.journey_id, &other.person_id).await?,
    })
}

async fn join(
    tx: &mut Tx,
    server_id: &str,
    caller: &Caller,
    request: &JoinRequest,
    now: i64,
) -> Result<Joined> {
    let code = live_code(tx, &request.code, "invitation", now).await?;
    let (kind, inviter, from_name) = invitation(tx, &code.hash).await?;

    // Checked before the code is used: a device code adds a device, any other links two
    // people, and the device says which it means to do.
    match (kind == InvitationKind::Device, request.device) {
        (true, false) => {
            return Err(Refusal::new(
                RefusalKind::Invalid,
                Reason::CodeForDevice,
                "this code adds a device to its issuer's account, not a person: \
                 use it on a new device",
            ))
        }
        (false, true) => {
            return Err(Refusal::new(
                RefusalKind::Invalid,
                Reason::CodeForPerson,
                format!("this is a {kind} invitation, not a device code"),
            ))
        }
        _ => {}
    }
    let Some((role, link_kind)) = rules::joining(kind) else {
        // A device code: this new device joins the inviter's person.
        refuse_known_device(tx, &caller.device_id).await?;
        tx.insert_device(&caller.device_id, &inviter.person_id, now)
            .await?;
        use_code(tx, &code, &caller.device_id, now).await?;
        return Ok(Joined {
            server_id: server_id.to_string(),
            person_id: inviter.person_id.clone(),
            role: inviter.role,
            journey_id: inviter.journey_id.clone(),
            private_id: inviter.private_id.clone(),
            linked: None,
            linked_name: None,
            recovery_code: None,
        });
    };

    let version = request.consent_text_version.trim();
    if version.is_empty() || version.len() > MAX_CONSENT_VERSION {
        return Err(Refusal::invalid(format!(
            "consent_text_version must be 1 to {MAX_CONSENT_VERSION} characters"
        )));
    }
    let mut recovery_code = None;
    let joiner = match &caller.person {
        Some(known) => {
            if known.person_id != request.person_id {
                return Err(Refusal::forbidden(
                    Reason::WrongPerson,
                    "this device belongs to another person",
                ));
            }
            if known.role != role {
                return Err(Refusal::forbidden(
                    Reason::WrongRole,
                    format!("a {} cannot accept a {} invitation", known.role, kind),
                ));
            }
            known.clone()
        }
        None => {
            let (journey_id, private_id) =
                new_person_ids(&request.person_id, &request.journey_id, &request.private_id)?;
            let person = Person {
                person_id: request.person_id.clone(),
                role,
                journey_id,
                private_id,
            };
            create_person(tx, &person, &caller.device_id, now).await?;
            recovery_code = Some(new_recovery_code(tx, &person.person_id, now).await?);
            person
        }
    };
    refuse_deactivated(tx, &inviter.person_id, "this code no longer links anyone").await?;
    refuse_deactivated(tx, &joiner.person_id, "no new link").await?;
    if joiner.person_id == inviter.person_id {
        return Err(Refusal::invalid(
            "a person cannot accept their own invitation",
        ));
    }
    use_code(tx, &code, &caller.device_id, now).await?;
    tx.insert_link(&inviter.person_id, &joiner.person_id, link_kind, now)
        .await?;
    match link_kind {
        LinkKind::Care => {
            // The client consents to their practitioner working on their journey.
            tx.set_membership(Membership {
                doc_id: &joiner.journey_id,
                person_id: &inviter.person_id,
                access: Access::Write,
                granted_by: &joiner.person_id,
                at: now,
            })
            .await?;
            tx.record_consent(Consent {
                who: &joiner.person_id,
                whom: &inviter.person_id,
                what: &joiner.journey_id,
                access: Some(Access::Write),
                action: "grant",
                at: now,
                consent_text_version: Some(version),
            })
            .await?;
        }
        LinkKind::Coaching => {
            // The practitioner agrees to be coached; their journey is shared only when they
            // choose to (POST /v1/shares).
            tx.record_consent(Consent {
                who: &joiner.person_id,
                whom: &inviter.person_id,
                what: "coaching",
                access: None,
                action: "grant",
                at: now,
                consent_text_version: Some(version),
            })
            .await?;
        }
    }
    let relationship = tx
        .link_between(&joiner.person_id, &inviter.person_id)
        .await?
        .and_then(|(_, doc)| doc);
    let linked = link_view(tx, &joiner, &inviter, relationship).await?;
    Ok(Joined {
        server_id: server_id.to_string(),
        person_id: joiner.person_id.clone(),
        role: joiner.role,
        journey_id: joiner.journey_id.clone(),
        private_id: joiner.private_id.clone(),
        linked: Some(linked),
        linked_name: from_name,
        recovery_code,
    })
}

/// A new recovery code for `person_id`, replacing any before; the code, to show once.
async fn new_recovery_code(tx: &mut Tx, person_id: &str, now: i64) -> Result<String> {
    let code = codes::generate();
    let normal =
        codes::normalise(&code).ok_or_else(|| Refusal::internal("a code made unreadable"))?;
    tx.set_recovery_code(person_id, &hex(&codes::hash(&normal)), now)
        .await?;
    Ok(code)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Registers `doc` (checked in form by [`Directory::register`]) for `caller`.
async fn register(tx: &mut Tx, caller: &Person, mut doc: Document, now: i64) -> Result<()> {
    let kind = doc.kind;
    // A copy of an erased document, still on a device, is never taken again.
    if tx.erased_at(&doc.doc_id).await?.is_some() {
        return Err(Refusal::gone(
            Reason::Erased,
            format!("{} was erased with its owner's account", doc.doc_id),
        ));
    }
    if let Some(existing) = tx.document(&doc.doc_id).await? {
        // Registering again is harmless; registering someone else's document is not.
        let same = existing.kind == kind
            && existing.journey_id == doc.journey_id
            && match kind {
                DocumentKind::Journey | DocumentKind::Private => existing.owner == caller.person_id,
                DocumentKind::CheckIns => {
                    tx.access(
                        doc.journey_id.as_deref().unwrap_or_default(),
                        &caller.person_id,
                    )
                    .await?
                        == Some(Access::Write)
                }
                DocumentKind::Care | DocumentKind::Coaching => {
                    let pair = [Some(&existing.owner), existing.with_person.as_ref()];
                    pair.contains(&Some(&caller.person_id))
                        && pair.contains(&doc.with_person.as_ref())
                }
            };
        if same {
            return Ok(());
        }
        return Err(Refusal::conflict(
            Reason::DocumentTaken,
            format!("document {} is registered already", doc.doc_id),
        ));
    }
    match kind {
        DocumentKind::Journey | DocumentKind::Private => {
            insert_document(tx, &doc, now).await?;
            tx.set_membership(own_membership(&doc.doc_id, &caller.person_id, now))
                .await?;
        }
        DocumentKind::CheckIns => {
            let journey_id = doc.journey_id.clone().unwrap_or_default();
            let journey = tx.document(&journey_id).await?.ok_or_else(|| {
                Refusal::not_found(
                    Reason::UnknownDocument,
                    format!("journey {journey_id} is not registered"),
                )
            })?;
            if journey.kind != DocumentKind::Journey {
                return Err(Refusal::invalid(format!(
                    "{journey_id} is a {} document, not a journey",
                    journey.kind
                )));
            }
            if tx.access(&journey_id, &caller.person_id).await? != Some(Access::Write) {
                return Err(Refusal::forbidden(
                    Reason::NotMember,
                    "only a person who may write a journey adds months to it",
                ));
            }
            // A month belongs with its journey: same owner, same members.
            doc.owner = journey.owner;
            insert_document(tx, &doc, now).await?;
        }
        DocumentKind::Care | DocumentKind::Coaching => {
            let other_id = doc.with_person.clone().unwrap_or_default();
            let other = tx.person(&other_id).await?.ok_or_else(|| {
                Refusal::not_found(Reason::UnknownPerson, format!("no person {other_id}"))
            })?;
            let link = tx.link_between(&caller.person_id, &other.person_id).await?;
            if link.as_ref().map(|(k, _)| *k) != rules::relationship_link(kind) {
                return Err(Refusal::forbidden(
                    Reason::NotLinked,
                    format!(
                        "a {kind} document is between two people linked by a {} invitation",
                        if kind == DocumentKind::Care {
                            "client"
                        } else {
                            "practitioner"
                        }
                    ),
                ));
            }
            insert_document(tx, &doc, now).await?;
            for member in [&caller.person_id, &other.person_id] {
                tx.set_membership(Membership {
                    doc_id: &doc.doc_id,
                    person_id: member,
                    access: Access::Write,
                    granted_by: &caller.person_id,
                    at: now,
                })
                .await?;
            }
            let version = tx.last_consent_version(&caller.person_id).await?;
            tx.record_consent(Consent {
                who: &caller.person_id,
                whom: &other.person_id,
                what: &doc.doc_id,
                access: Some(Access::Write),
                action: "grant",
                at: now,
                consent_text_version: version.as_deref(),
            })
            .await?;
            tx.set_relationship_doc(&caller.person_id, &other.person_id, &doc.doc_id)
                .await?;
        }
    }
    Ok(())
}

/// The document `doc_id`, which `owner` must own, and the person `target_id`.
async fn owned_document_and_target(
    tx: &mut Tx,
    owner: &Person,
    doc_id: &str,
    target_id: &str,
) -> Result<(Document, Person)> {
    let doc = tx.document(doc_id).await?.ok_or_else(|| {
        Refusal::not_found(
            Reason::UnknownDocument,
            format!("document {doc_id} is not registered"),
        )
    })?;
    if doc.owner != owner.person_id {
        return Err(Refusal::forbidden(
            Reason::NotOwner,
            "only a document's owner shares it or stops sharing it",
        ));
    }
    let target = tx.person(target_id).await?.ok_or_else(|| {
        Refusal::not_found(Reason::UnknownPerson, format!("no person {target_id}"))
    })?;
    Ok((doc, target))
}
