//! The directory in the server's SQLite file (tables in `db.rs`).

use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use tandem_protocol::api::{
    Access, CodeAbout, DocumentKind, EnrolRequest, Enrolled, Invitation, InvitationKind,
    JoinRequest, Joined, Link, Reason, RegisterDocument, Role, ShareRequest,
};

use super::{
    rules, Caller, ChangedSince, Directory, Document, LinkKind, Person, Refusal, RefusalKind,
    Result,
};
use crate::{codes, db};
use tandem_storage::blocking;

/// The longest consent text version accepted.
const MAX_CONSENT_VERSION: usize = 64;

/// The directory on one SQLite connection (calls are short; one at a time).
pub struct SqliteDirectory {
    conn: Mutex<Connection>,
    server_id: String,
}

impl SqliteDirectory {
    /// Opens the directory in `data_dir`, making the server's id on first start.
    pub fn open(data_dir: &Path) -> Result<Self, db::OpenError> {
        Ok(Self::new(db::open(data_dir)?)?)
    }

    /// The directory on an open, migrated connection.
    pub fn new(conn: Connection) -> rusqlite::Result<Self> {
        let fresh = bs58::encode(rand::random::<[u8; 16]>()).into_string();
        conn.execute(
            "INSERT OR IGNORE INTO server (id, server_id, created_at) VALUES (1, ?1, ?2)",
            params![fresh, chrono::Utc::now().timestamp()],
        )?;
        let server_id = conn.query_row("SELECT server_id FROM server WHERE id = 1", [], |r| {
            r.get(0)
        })?;
        Ok(SqliteDirectory {
            conn: Mutex::new(conn),
            server_id,
        })
    }

    /// Runs `f` on the connection, off the async executor's worker (a call may wait for the
    /// connection, or for another process's write, as well as run its statements).
    fn read<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        blocking(|| f(&mut self.conn.lock().unwrap_or_else(|e| e.into_inner())))
    }

    /// Runs `f` in an immediate transaction, committed only if it succeeds (off the executor,
    /// as [`SqliteDirectory::read`]).
    fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.read(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })
    }
}

fn role_of(word: String) -> rusqlite::Result<Role> {
    Role::parse(&word).ok_or_else(|| bad_word("role", &word))
}

fn bad_word(column: &str, word: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unknown {column} {word:?}").into(),
    )
}

fn person(conn: &Connection, person_id: &str) -> Result<Option<Person>> {
    Ok(conn
        .prepare_cached(
            "SELECT person_id, role, journey_id, private_id FROM people WHERE person_id = ?1",
        )?
        .query_row(params![person_id], |r| {
            Ok(Person {
                person_id: r.get(0)?,
                role: role_of(r.get(1)?)?,
                journey_id: r.get(2)?,
                private_id: r.get(3)?,
            })
        })
        .optional()?)
}

fn device_person(conn: &Connection, device_id: &str) -> Result<Option<Person>> {
    let id: Option<String> = conn
        .prepare_cached("SELECT person_id FROM devices WHERE device_id = ?1")?
        .query_row(params![device_id], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => person(conn, &id),
        None => Ok(None),
    }
}

fn document(conn: &Connection, doc_id: &str) -> Result<Option<Document>> {
    Ok(conn
        .prepare_cached(
            "SELECT doc_id, kind, owner, journey_id, with_person FROM documents WHERE doc_id = ?1",
        )?
        .query_row(params![doc_id], |r| {
            let kind: String = r.get(1)?;
            Ok(Document {
                doc_id: r.get(0)?,
                kind: DocumentKind::parse(&kind).ok_or_else(|| bad_word("kind", &kind))?,
                owner: r.get(2)?,
                journey_id: r.get(3)?,
                with_person: r.get(4)?,
            })
        })
        .optional()?)
}

fn access(conn: &Connection, doc_id: &str, person_id: &str) -> Result<Option<Access>> {
    // The rule (a month answers for its journey; a coach never gets a client's document nor a
    // care document) is the `document_access` view of `db.rs`.
    let word: Option<String> = conn
        .prepare_cached("SELECT access FROM document_access WHERE doc_id = ?1 AND person_id = ?2")?
        .query_row(params![doc_id, person_id], |r| r.get(0))
        .optional()?;
    Ok(word.and_then(|w| Access::parse(&w)))
}

/// The top of the change feed.
fn feed_cursor(conn: &Connection) -> Result<u64> {
    let seq: i64 = conn
        .prepare_cached("SELECT seq FROM change_feed WHERE id = 1")?
        .query_row([], |r| r.get(0))?;
    Ok(u64::try_from(seq).unwrap_or(0))
}

/// The link between two people, whichever way round.
fn link_between(conn: &Connection, a: &str, b: &str) -> Result<Option<(LinkKind, Option<String>)>> {
    let row: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT kind, relationship_doc FROM links
             WHERE (supporter = ?1 AND supported = ?2) OR (supporter = ?2 AND supported = ?1)",
        )?
        .query_row(params![a, b], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(kind, doc)| LinkKind::parse(&kind).map(|k| (k, doc))))
}

fn set_membership(
    conn: &Connection,
    doc_id: &str,
    person_id: &str,
    access: Access,
    granted_by: &str,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO memberships (doc_id, person_id, access, granted_by, granted_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (doc_id, person_id) DO UPDATE
         SET access = excluded.access, granted_by = excluded.granted_by,
             granted_at = excluded.granted_at",
    )?
    .execute(params![doc_id, person_id, access.as_str(), granted_by, now])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn record_consent(
    conn: &Connection,
    who: &str,
    whom: &str,
    what: &str,
    access: Option<Access>,
    action: &str,
    now: i64,
    consent_text_version: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO consents (who, whom, what, access, action, at, consent_text_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        who,
        whom,
        what,
        access.map(Access::as_str),
        action,
        now,
        consent_text_version
    ])?;
    Ok(())
}

/// The consent text version a person last agreed to, if any.
fn last_consent_version(conn: &Connection, person_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT consent_text_version FROM consents
             WHERE who = ?1 AND consent_text_version IS NOT NULL ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![person_id], |r| r.get(0))
        .optional()?)
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

fn insert_document(conn: &Connection, doc: &Document, now: i64) -> Result<()> {
    if document(conn, &doc.doc_id)?.is_some() {
        return Err(Refusal::conflict(
            Reason::DocumentTaken,
            format!("document {} is registered already", doc.doc_id),
        ));
    }
    conn.prepare_cached(
        "INSERT INTO documents (doc_id, kind, owner, journey_id, with_person, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        doc.doc_id,
        doc.kind.as_str(),
        doc.owner,
        doc.journey_id,
        doc.with_person,
        now
    ])?;
    Ok(())
}

/// Makes a person with their journey and private documents, and their first device.
fn create_person(conn: &Connection, person: &Person, device_id: &str, now: i64) -> Result<()> {
    if self::person(conn, &person.person_id)?.is_some() {
        return Err(Refusal::conflict(
            Reason::PersonExists,
            "this person is known here already: add this device with a device code",
        ));
    }
    conn.prepare_cached(
        "INSERT INTO people (person_id, role, journey_id, private_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        person.person_id,
        person.role.as_str(),
        person.journey_id,
        person.private_id,
        now
    ])?;
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
        insert_document(conn, &doc, now)?;
        set_membership(
            conn,
            doc_id,
            &person.person_id,
            Access::Write,
            &person.person_id,
            now,
        )?;
    }
    add_device(conn, device_id, &person.person_id, now)
}

fn add_device(conn: &Connection, device_id: &str, person_id: &str, now: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO devices (device_id, person_id, created_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![device_id, person_id, now])?;
    Ok(())
}

fn refuse_known_device(conn: &Connection, device_id: &str) -> Result<()> {
    if device_person(conn, device_id)?.is_some() {
        return Err(Refusal::conflict(
            Reason::DeviceKnown,
            "this device belongs to a person here already",
        ));
    }
    Ok(())
}

/// A code row, checked: it exists, is for `purpose`, unused and unexpired.
struct Code {
    hash: Vec<u8>,
    role: Option<String>,
}

fn live_code(conn: &Connection, typed: &str, purpose: &str, now: i64) -> Result<Code> {
    let found = any_live_code(conn, typed, now)?;
    if found.purpose != purpose {
        return Err(Refusal::invalid(if purpose == "enrol" {
            "this is an invitation code: accept it with /v1/join"
        } else {
            "this is an enrolment code: use it with /v1/enrol"
        }));
    }
    Ok(found.code)
}

/// A code row that exists, unused and unexpired, whatever it is for.
struct FoundCode {
    code: Code,
    purpose: String,
    expires_at: i64,
}

fn any_live_code(conn: &Connection, typed: &str, now: i64) -> Result<FoundCode> {
    let unknown = || Refusal::not_found(Reason::UnknownCode, "no such code");
    let hash = codes::hash(&codes::normalise(typed).ok_or_else(unknown)?);
    let row: Option<(String, Option<String>, i64, Option<i64>)> = conn
        .prepare_cached(
            "SELECT purpose, role, expires_at, used_at FROM codes WHERE code_hash = ?1",
        )?
        .query_row(params![hash], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (purpose, role, expires_at, used_at) = row.ok_or_else(unknown)?;
    if used_at.is_some() {
        return Err(Refusal::gone(Reason::CodeUsed, "this code has been used"));
    }
    if expires_at <= now {
        return Err(Refusal::gone(Reason::CodeExpired, "this code has expired"));
    }
    Ok(FoundCode {
        code: Code { hash, role },
        purpose,
        expires_at,
    })
}

fn use_code(conn: &Connection, code: &Code, device_id: &str, now: i64) -> Result<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE codes SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1 AND used_at IS NULL",
        )?
        .execute(params![code.hash, now, device_id])?;
    if changed != 1 {
        return Err(Refusal::gone(Reason::CodeUsed, "this code has been used"));
    }
    // The inviter's name was for the one who looked at the code; it is not kept.
    conn.prepare_cached("UPDATE invitations SET from_name = NULL WHERE code_hash = ?1")?
        .execute(params![code.hash])?;
    Ok(())
}

/// The invitation made with the code whose hash is `code_hash`: its kind, who made it, and the
/// name they gave (until the code is used).
fn invitation(
    conn: &Connection,
    code_hash: &[u8],
) -> Result<(InvitationKind, Person, Option<String>)> {
    let (kind, inviter, from_name): (String, String, Option<String>) = conn
        .prepare_cached("SELECT kind, inviter, from_name FROM invitations WHERE code_hash = ?1")?
        .query_row(params![code_hash], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let kind = InvitationKind::parse(&kind)
        .ok_or_else(|| Refusal::internal("an invitation of an unknown kind"))?;
    let inviter =
        person(conn, &inviter)?.ok_or_else(|| Refusal::internal("an invitation from nobody"))?;
    Ok((kind, inviter, from_name))
}

fn insert_code(
    conn: &Connection,
    code: &str,
    purpose: &str,
    role: Option<Role>,
    now: i64,
    expires_at: i64,
) -> Result<Vec<u8>> {
    let hash = codes::hash(&codes::normalise(code).expect("generated codes are well formed"));
    conn.prepare_cached(
        "INSERT INTO codes (code_hash, purpose, role, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        hash,
        purpose,
        role.map(Role::as_str),
        now,
        expires_at
    ])?;
    Ok(hash)
}

/// What `viewer` sees of a link to `other`.
fn link_view(
    conn: &Connection,
    viewer: &Person,
    other: &Person,
    relationship_doc: Option<String>,
) -> Result<Link> {
    let mine = access(conn, &other.journey_id, &viewer.person_id)?;
    Ok(Link {
        person_id: other.person_id.clone(),
        role: other.role,
        journey_id: mine.map(|_| other.journey_id.clone()),
        relationship_doc_id: relationship_doc,
        access: mine,
        their_access: access(conn, &viewer.journey_id, &other.person_id)?,
    })
}

impl Directory for SqliteDirectory {
    fn server_id(&self) -> &str {
        &self.server_id
    }

    fn remember_nonce(&self, nonce: &str, expires_at: i64, now: i64) -> Result<bool> {
        self.write(|c| {
            c.prepare_cached("DELETE FROM nonces WHERE expires_at < ?1")?
                .execute(params![now])?;
            let added = c
                .prepare_cached("INSERT OR IGNORE INTO nonces (nonce, expires_at) VALUES (?1, ?2)")?
                .execute(params![nonce, expires_at])?;
            Ok(added == 1)
        })
    }

    fn device_person(&self, device_id: &str) -> Result<Option<Person>> {
        self.read(|c| device_person(c, device_id))
    }

    fn person(&self, person_id: &str) -> Result<Option<Person>> {
        self.read(|c| person(c, person_id))
    }

    fn create_enrolment_code(&self, role: Role, now: i64, expires_at: i64) -> Result<String> {
        if role == Role::Client {
            return Err(Refusal::invalid(
                "clients are invited by their practitioner, not enrolled",
            ));
        }
        let code = codes::generate();
        self.write(|c| insert_code(c, &code, "enrol", Some(role), now, expires_at))?;
        Ok(code)
    }

    fn enrol(&self, device_id: &str, request: &EnrolRequest, now: i64) -> Result<Enrolled> {
        self.write(|c| {
            let code = live_code(c, &request.code, "enrol", now)?;
            refuse_known_device(c, device_id)?;
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
            create_person(c, &person, device_id, now)?;
            use_code(c, &code, device_id, now)?;
            Ok(Enrolled {
                server_id: self.server_id.clone(),
                person_id: person.person_id,
                role,
            })
        })
    }

    fn invite(
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
        self.write(|c| {
            let hash = insert_code(c, &code, "invitation", None, now, expires_at)?;
            c.prepare_cached(
                "INSERT INTO invitations (code_hash, kind, inviter, from_name)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![hash, kind.as_str(), inviter.person_id, from_name])?;
            Ok(())
        })?;
        Ok(Invitation {
            code,
            kind,
            expires_at: chrono::DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
        })
    }

    fn about_code(&self, typed: &str, now: i64) -> Result<CodeAbout> {
        self.read(|conn| {
            let found = any_live_code(conn, typed, now)?;
            let expires_at =
                chrono::DateTime::from_timestamp(found.expires_at, 0).unwrap_or_default();
            if found.purpose == "enrol" {
                let role = found.code.role.as_deref().and_then(Role::parse);
                return Ok(CodeAbout {
                    kind: rules::enrolment_kind(role)?,
                    issuer_role: None,
                    issuer_name: None,
                    expires_at,
                });
            }
            let (kind, inviter, from_name) = invitation(conn, &found.code.hash)?;
            Ok(CodeAbout {
                kind: rules::invitation_kind(kind),
                issuer_role: Some(inviter.role),
                issuer_name: from_name,
                expires_at,
            })
        })
    }

    fn join(&self, caller: &Caller, request: &JoinRequest, now: i64) -> Result<Joined> {
        self.write(|c| {
            let code = live_code(c, &request.code, "invitation", now)?;
            let (kind, inviter, from_name) = invitation(c, &code.hash)?;

            // Checked before the code is used: a device code adds a device, any other links
            // two people, and the device says which it means to do.
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
                refuse_known_device(c, &caller.device_id)?;
                add_device(c, &caller.device_id, &inviter.person_id, now)?;
                use_code(c, &code, &caller.device_id, now)?;
                return Ok(Joined {
                    server_id: self.server_id.clone(),
                    person_id: inviter.person_id.clone(),
                    role: inviter.role,
                    journey_id: inviter.journey_id.clone(),
                    private_id: inviter.private_id.clone(),
                    linked: None,
                    linked_name: None,
                });
            };

            let version = request.consent_text_version.trim();
            if version.is_empty() || version.len() > MAX_CONSENT_VERSION {
                return Err(Refusal::invalid(format!(
                    "consent_text_version must be 1 to {MAX_CONSENT_VERSION} characters"
                )));
            }
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
                    let (journey_id, private_id) = new_person_ids(
                        &request.person_id,
                        &request.journey_id,
                        &request.private_id,
                    )?;
                    let person = Person {
                        person_id: request.person_id.clone(),
                        role,
                        journey_id,
                        private_id,
                    };
                    create_person(c, &person, &caller.device_id, now)?;
                    person
                }
            };
            if joiner.person_id == inviter.person_id {
                return Err(Refusal::invalid(
                    "a person cannot accept their own invitation",
                ));
            }
            use_code(c, &code, &caller.device_id, now)?;
            c.prepare_cached(
                "INSERT OR IGNORE INTO links (supporter, supported, kind, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                inviter.person_id,
                joiner.person_id,
                link_kind.as_str(),
                now
            ])?;
            match link_kind {
                LinkKind::Care => {
                    // The client consents to their practitioner working on their journey.
                    set_membership(
                        c,
                        &joiner.journey_id,
                        &inviter.person_id,
                        Access::Write,
                        &joiner.person_id,
                        now,
                    )?;
                    record_consent(
                        c,
                        &joiner.person_id,
                        &inviter.person_id,
                        &joiner.journey_id,
                        Some(Access::Write),
                        "grant",
                        now,
                        Some(version),
                    )?;
                }
                LinkKind::Coaching => {
                    // The practitioner agrees to be coached; their journey is shared only when
                    // they choose to (POST /v1/shares).
                    record_consent(
                        c,
                        &joiner.person_id,
                        &inviter.person_id,
                        "coaching",
                        None,
                        "grant",
                        now,
                        Some(version),
                    )?;
                }
            }
            let relationship =
                link_between(c, &joiner.person_id, &inviter.person_id)?.and_then(|(_, doc)| doc);
            let linked = link_view(c, &joiner, &inviter, relationship)?;
            Ok(Joined {
                server_id: self.server_id.clone(),
                person_id: joiner.person_id.clone(),
                role: joiner.role,
                journey_id: joiner.journey_id.clone(),
                private_id: joiner.private_id.clone(),
                linked: Some(linked),
                linked_name: from_name,
            })
        })
    }

    fn register(&self, caller: &Person, request: &RegisterDocument, now: i64) -> Result<()> {
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
        let relationship = rules::relationship_link(kind);
        let with_person = match (&request.with_person, relationship) {
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
        self.write(|c| {
            if let Some(existing) = document(c, &doc_id)? {
                // Registering again is harmless; registering someone else's document is not.
                let same = existing.kind == kind
                    && existing.journey_id == journey_id
                    && match kind {
                        DocumentKind::Journey | DocumentKind::Private => {
                            existing.owner == caller.person_id
                        }
                        DocumentKind::CheckIns => {
                            access(
                                c,
                                journey_id.as_deref().unwrap_or_default(),
                                &caller.person_id,
                            )? == Some(Access::Write)
                        }
                        DocumentKind::Care | DocumentKind::Coaching => {
                            let pair = [Some(&existing.owner), existing.with_person.as_ref()];
                            pair.contains(&Some(&caller.person_id))
                                && pair.contains(&with_person.as_ref())
                        }
                    };
                if same {
                    return Ok(());
                }
                return Err(Refusal::conflict(
                    Reason::DocumentTaken,
                    format!("document {doc_id} is registered already"),
                ));
            }
            let mut doc = Document {
                doc_id: doc_id.clone(),
                kind,
                owner: caller.person_id.clone(),
                journey_id: journey_id.clone(),
                with_person: with_person.clone(),
            };
            match kind {
                DocumentKind::Journey | DocumentKind::Private => {
                    insert_document(c, &doc, now)?;
                    set_membership(
                        c,
                        &doc_id,
                        &caller.person_id,
                        Access::Write,
                        &caller.person_id,
                        now,
                    )?;
                }
                DocumentKind::CheckIns => {
                    let journey_id = journey_id.as_deref().unwrap_or_default();
                    let journey = document(c, journey_id)?.ok_or_else(|| {
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
                    if access(c, journey_id, &caller.person_id)? != Some(Access::Write) {
                        return Err(Refusal::forbidden(
                            Reason::NotMember,
                            "only a person who may write a journey adds months to it",
                        ));
                    }
                    // A month belongs with its journey: same owner, same members.
                    doc.owner = journey.owner;
                    insert_document(c, &doc, now)?;
                }
                DocumentKind::Care | DocumentKind::Coaching => {
                    let other_id = with_person.as_deref().unwrap_or_default();
                    let other = person(c, other_id)?.ok_or_else(|| {
                        Refusal::not_found(Reason::UnknownPerson, format!("no person {other_id}"))
                    })?;
                    let link = link_between(c, &caller.person_id, &other.person_id)?;
                    if link.as_ref().map(|(k, _)| *k) != relationship {
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
                    insert_document(c, &doc, now)?;
                    for member in [&caller.person_id, &other.person_id] {
                        set_membership(c, &doc_id, member, Access::Write, &caller.person_id, now)?;
                    }
                    record_consent(
                        c,
                        &caller.person_id,
                        &other.person_id,
                        &doc_id,
                        Some(Access::Write),
                        "grant",
                        now,
                        last_consent_version(c, &caller.person_id)?.as_deref(),
                    )?;
                    c.prepare_cached(
                        "UPDATE links SET relationship_doc = ?3
                         WHERE relationship_doc IS NULL
                           AND ((supporter = ?1 AND supported = ?2)
                             OR (supporter = ?2 AND supported = ?1))",
                    )?
                    .execute(params![
                        caller.person_id,
                        other.person_id,
                        doc_id
                    ])?;
                }
            }
            Ok(())
        })
    }

    fn grant(&self, owner: &Person, request: &ShareRequest, now: i64) -> Result<()> {
        let doc_id = canonical_doc_id("doc_id", &request.doc_id)?;
        self.write(|c| {
            let (doc, target) = owned_document_and_target(c, owner, &doc_id, &request.person_id)?;
            let link = link_between(c, &owner.person_id, &target.person_id)?.map(|(k, _)| k);
            rules::may_share(&doc, owner, &target, link)?;
            set_membership(
                c,
                &doc_id,
                &target.person_id,
                request.access,
                &owner.person_id,
                now,
            )?;
            record_consent(
                c,
                &owner.person_id,
                &target.person_id,
                &doc_id,
                Some(request.access),
                "grant",
                now,
                last_consent_version(c, &owner.person_id)?.as_deref(),
            )
        })
    }

    fn revoke(&self, owner: &Person, request: &ShareRequest, now: i64) -> Result<()> {
        let doc_id = canonical_doc_id("doc_id", &request.doc_id)?;
        self.write(|c| {
            let (_, target) = owned_document_and_target(c, owner, &doc_id, &request.person_id)?;
            if target.person_id == owner.person_id {
                return Err(Refusal::invalid("an owner cannot revoke their own access"));
            }
            c.prepare_cached("DELETE FROM memberships WHERE doc_id = ?1 AND person_id = ?2")?
                .execute(params![doc_id, target.person_id])?;
            record_consent(
                c,
                &owner.person_id,
                &target.person_id,
                &doc_id,
                None,
                "revoke",
                now,
                last_consent_version(c, &owner.person_id)?.as_deref(),
            )
        })
    }

    fn links(&self, viewer: &Person) -> Result<Vec<Link>> {
        self.read(|conn| {
            let rows: Vec<(String, String, Option<String>)> = conn
                .prepare_cached(
                    "SELECT supporter, supported, relationship_doc FROM links
                     WHERE supporter = ?1 OR supported = ?1 ORDER BY created_at, supporter, supported",
                )?
                .query_map(params![viewer.person_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut links = Vec::with_capacity(rows.len());
            for (supporter, supported, relationship) in rows {
                let other_id = if supporter == viewer.person_id {
                    supported
                } else {
                    supporter
                };
                if let Some(other) = person(conn, &other_id)? {
                    links.push(link_view(conn, viewer, &other, relationship)?);
                }
            }
            Ok(links)
        })
    }

    fn access(&self, doc_id: &str, person_id: &str) -> Result<Option<Access>> {
        self.read(|c| access(c, doc_id, person_id))
    }

    fn document(&self, doc_id: &str) -> Result<Option<Document>> {
        self.read(|c| document(c, doc_id))
    }

    fn feed_cursor(&self) -> Result<u64> {
        self.read(|c| feed_cursor(c))
    }

    fn changed_since(&self, person_id: &str, since: u64) -> Result<ChangedSince> {
        // One snapshot for the list and the cursor, so no change falls between them.
        self.read(|conn| {
            let tx = conn.transaction()?;
            let cursor = feed_cursor(&tx)?;
            let since = i64::try_from(since).unwrap_or(i64::MAX);
            let doc_ids = tx
                .prepare_cached(
                    "SELECT c.doc_id FROM doc_changes c
                     JOIN document_access a ON a.doc_id = c.doc_id AND a.person_id = ?1
                     WHERE c.seq > ?2 ORDER BY c.seq",
                )?
                .query_map(params![person_id, since], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            tx.commit()?;
            Ok(ChangedSince { doc_ids, cursor })
        })
    }
}

/// The document `doc_id`, which `owner` must own, and the person `target_id`.
fn owned_document_and_target(
    conn: &Connection,
    owner: &Person,
    doc_id: &str,
    target_id: &str,
) -> Result<(Document, Person)> {
    let doc = document(conn, doc_id)?.ok_or_else(|| {
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
    let target = person(conn, target_id)?.ok_or_else(|| {
        Refusal::not_found(Reason::UnknownPerson, format!("no person {target_id}"))
    })?;
    Ok((doc, target))
}
