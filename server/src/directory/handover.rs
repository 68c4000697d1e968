//! A practitioner who leaves the service, and their clients handed over to another with each
//! client's consent. SQL both backends run (SQLite's `?N`; PostgreSQL's `$N` through
//! [`super::erasure::postgres_sql`]), and the directory's calls over it.
//!
//! - **Deactivation** (`tandem-server deactivate`, the operator's): the person's links end,
//!   every membership between their documents and anyone else's goes (listed as withdrawn, so
//!   each side's devices delete the other's copies: the departed practitioner's phone deletes
//!   their clients' journeys), their unused invitations stop working, and from then on they
//!   can neither invite, join nor be offered to anyone ([`Reason::Deactivated`]). Their own
//!   journey and private document stay theirs: their devices still sync them, to take their
//!   own work with them; erasing the account is a separate step (`tandem-server erase`).
//! - **Handover**: in the same transaction, each client of the departing practitioner is
//!   offered another practitioner. An offer shares nothing: the client's devices list it
//!   (`GET /v1/handovers`), the app shows who and what agreeing shares, and only the client's
//!   agreement (`POST /v1/handovers`) links them, exactly as joining with that practitioner's
//!   code would, with the consent text's version recorded. Declining forgets the offer.

use tandem_protocol::api::{Access, Handover, HandoverAnswer, Joined, Reason, Role};

use super::backend::{Consent, Membership, Mode};
use super::calls::{link_view, Directory, MAX_CONSENT_VERSION};
use super::{LinkKind, Person, Refusal, RefusalKind, Result};

/// Migration text (SQLite's 8, PostgreSQL's step 6).
pub const MIGRATE_DEACTIVATION: &str = "CREATE TABLE deactivated (
        person_id TEXT PRIMARY KEY NOT NULL,
        at BIGINT NOT NULL
     );
     CREATE TABLE handovers (
        client TEXT NOT NULL,
        to_person TEXT NOT NULL,
        from_person TEXT NOT NULL,
        to_name TEXT,
        offered_at BIGINT NOT NULL,
        PRIMARY KEY (client, to_person)
     );";

/// `?1` person: when they were deactivated.
pub const DEACTIVATED_AT: &str = "SELECT at FROM deactivated WHERE person_id = ?1";

/// `?1` the practitioner leaving, `?2` the one offered, `?3` the name given for them, `?4`
/// when: an offer to each client of `?1` not already linked to `?2`.
pub const OFFER: &str =
    "INSERT INTO handovers (client, to_person, from_person, to_name, offered_at)
    SELECT supported, CAST(?2 AS TEXT), CAST(?1 AS TEXT), CAST(?3 AS TEXT), CAST(?4 AS BIGINT)
    FROM links WHERE supporter = ?1 AND kind = 'care'
        AND supported NOT IN (SELECT supported FROM links WHERE supporter = ?2)
    ON CONFLICT (client, to_person) DO UPDATE SET from_person = excluded.from_person,
        to_name = excluded.to_name, offered_at = excluded.offered_at";

/// `?1` client: the offers waiting for them.
pub const OFFERS_FOR: &str = "SELECT from_person, to_person, to_name, offered_at FROM handovers
    WHERE client = ?1 ORDER BY offered_at, to_person";

/// `?1` client, `?2` the practitioner offered: the offer, taken (answered).
pub const TAKE: &str = "DELETE FROM handovers WHERE client = ?1 AND to_person = ?2
    RETURNING from_person, to_name";

/// The documents in which `?1` meets someone else: a membership of `?1` in a document another
/// person owns, or another person's membership in a document `?1` owns. (A month of check-ins
/// follows its journey's memberships and owner.)
macro_rules! crossing {
    () => {
        "SELECT m.doc_id, m.person_id FROM memberships m
         JOIN documents d ON d.doc_id = m.doc_id
         WHERE (m.person_id = ?1 AND d.owner <> ?1) OR (m.person_id <> ?1 AND d.owner = ?1)"
    };
}

/// `?1` person: who must hear of their deactivation (the people linked to them, and the other
/// members of documents they meet in).
pub const PEOPLE_TO_TELL: &str = concat!(
    "SELECT supporter FROM links WHERE supported = ?1
     UNION SELECT supported FROM links WHERE supporter = ?1
     UNION SELECT person_id FROM (",
    crossing!(),
    ") AS c WHERE person_id <> ?1
     UNION SELECT d.owner FROM memberships m JOIN documents d ON d.doc_id = m.doc_id
         WHERE m.person_id = ?1 AND d.owner <> ?1"
);

/// `?1` person, `?2` when: the deactivation, in order (each statement reads rows a later one
/// deletes).
pub const DEACTIVATE: &[&str] = &[
    // Each side's devices delete the other's copies (a journey with its months).
    concat!(
        "INSERT INTO withdrawn (doc_id, person_id, reason, at)
         SELECT d.doc_id, c.person_id, 'revoked', CAST(?2 AS BIGINT)
         FROM (",
        crossing!(),
        ") AS c JOIN documents d ON d.doc_id = c.doc_id OR d.journey_id = c.doc_id
         ON CONFLICT (doc_id, person_id) DO UPDATE SET reason = excluded.reason, at = excluded.at"
    ),
    // The consent record says the service ended each of them.
    concat!(
        "INSERT INTO consents (who, whom, what, access, action, at, consent_text_version)
         SELECT 'service', c.person_id, c.doc_id, NULL, 'revoke', CAST(?2 AS BIGINT), NULL
         FROM (",
        crossing!(),
        ") AS c"
    ),
    "DELETE FROM memberships
     WHERE (person_id = ?1 AND doc_id IN (SELECT doc_id FROM documents WHERE owner <> ?1))
        OR (person_id <> ?1 AND doc_id IN (SELECT doc_id FROM documents WHERE owner = ?1))",
    "DELETE FROM links WHERE supporter = ?1 OR supported = ?1",
    // Their unused invitations stop working.
    "DELETE FROM invitations WHERE inviter = ?1
     AND code_hash IN (SELECT code_hash FROM codes WHERE used_at IS NULL)",
    "DELETE FROM codes WHERE purpose = 'invitation'
     AND code_hash NOT IN (SELECT code_hash FROM invitations)",
    // Offers of them to other clients are withdrawn, and offers to them forgotten.
    "DELETE FROM handovers WHERE to_person = ?1 OR client = ?1",
    "INSERT INTO deactivated (person_id, at) VALUES (?1, ?2)",
];

/// An offer as [`OFFERS_FOR`] reads it.
pub fn offer(
    (from_person_id, to_person_id, to_name, offered_at): (String, String, Option<String>, i64),
) -> Handover {
    Handover {
        from_person_id,
        to_person_id,
        to_name,
        offered_at: chrono::DateTime::from_timestamp(offered_at, 0).unwrap_or_default(),
    }
}

/// What a deactivation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deactivated {
    /// Who must hear of it (their links changed).
    pub told: Vec<String>,
    /// How many clients were offered the new practitioner.
    pub offered: usize,
}

/// Refuses a deactivated person.
pub(super) async fn refuse_deactivated(
    tx: &mut Box<dyn super::backend::Rows>,
    person_id: &str,
    what: &str,
) -> Result<()> {
    match tx.deactivated_at(person_id).await? {
        Some(_) => Err(Refusal::forbidden(
            Reason::Deactivated,
            format!("{what}: this account was closed by its service"),
        )),
        None => Ok(()),
    }
}

impl Directory {
    /// The operator closes the account of `person_id`, a practitioner or coach who left the
    /// service, and offers each of their clients `hand_over_to` (another practitioner) under
    /// the name `to_name`, if given.
    pub async fn deactivate(
        &self,
        person_id: &str,
        hand_over_to: Option<&str>,
        to_name: Option<&str>,
        now: i64,
    ) -> Result<Deactivated> {
        let to_name = super::rules::given_name(to_name)?;
        let mut tx = self.backend().begin(Mode::Write).await?;
        let person = tx.person(person_id).await?.ok_or_else(|| {
            Refusal::not_found(Reason::UnknownPerson, format!("no person {person_id} here"))
        })?;
        if person.role == Role::Client {
            return Err(Refusal::new(
                RefusalKind::Invalid,
                Reason::WrongRole,
                "a client is not deactivated: they leave by erasing their account",
            ));
        }
        refuse_deactivated(&mut tx, person_id, "already deactivated").await?;
        let mut offered = 0;
        if let Some(to) = hand_over_to {
            let target = tx.person(to).await?.ok_or_else(|| {
                Refusal::not_found(Reason::UnknownPerson, format!("no person {to} here"))
            })?;
            if target.role != Role::Practitioner || person.role != Role::Practitioner {
                return Err(Refusal::new(
                    RefusalKind::Invalid,
                    Reason::WrongRole,
                    "clients are handed over from one practitioner to another",
                ));
            }
            if target.person_id == person.person_id {
                return Err(Refusal::invalid(
                    "a practitioner cannot hand their clients over to themselves",
                ));
            }
            refuse_deactivated(&mut tx, to, "their clients cannot go to this person").await?;
            offered = tx
                .offer_handovers(person_id, to, to_name.as_deref(), now)
                .await?;
        }
        let told = tx.deactivate(person_id, now).await?;
        tx.commit().await?;
        Ok(Deactivated { told, offered })
    }

    /// The new practitioners offered to `client`, oldest offer first.
    pub async fn handovers(&self, client: &Person) -> Result<Vec<Handover>> {
        let mut tx = self.backend().begin(Mode::Look).await?;
        let offers = tx.handovers_for(&client.person_id).await?;
        tx.commit().await?;
        Ok(offers)
    }

    /// `client` answers an offer: agreeing links them to the new practitioner as their code
    /// would (the answer, as [`Directory::join`]'s), declining forgets it (`None`).
    pub async fn answer_handover(
        &self,
        client: &Person,
        answer: &HandoverAnswer,
        server_id: &str,
        now: i64,
    ) -> Result<Option<Joined>> {
        let version = answer.consent_text_version.trim();
        if answer.agree && (version.is_empty() || version.len() > MAX_CONSENT_VERSION) {
            return Err(Refusal::invalid(format!(
                "consent_text_version must be 1 to {MAX_CONSENT_VERSION} characters"
            )));
        }
        let mut tx = self.backend().begin(Mode::Write).await?;
        let Some((_, to_name)) = tx
            .take_handover(&client.person_id, &answer.to_person_id)
            .await?
        else {
            return Err(Refusal::not_found(
                Reason::NoHandover,
                "no such offer waits for you: it was answered already, or withdrawn",
            ));
        };
        if !answer.agree {
            tx.commit().await?;
            return Ok(None);
        }
        let practitioner = tx
            .person(&answer.to_person_id)
            .await?
            .ok_or_else(|| Refusal::not_found(Reason::UnknownPerson, "that person left"))?;
        refuse_deactivated(&mut tx, &practitioner.person_id, "this offer").await?;
        tx.insert_link(
            &practitioner.person_id,
            &client.person_id,
            LinkKind::Care,
            now,
        )
        .await?;
        tx.unwithdraw(&client.journey_id, &practitioner.person_id)
            .await?;
        tx.set_membership(Membership {
            doc_id: &client.journey_id,
            person_id: &practitioner.person_id,
            access: Access::Write,
            granted_by: &client.person_id,
            at: now,
        })
        .await?;
        tx.record_consent(Consent {
            who: &client.person_id,
            whom: &practitioner.person_id,
            what: &client.journey_id,
            access: Some(Access::Write),
            action: "grant",
            at: now,
            consent_text_version: Some(version),
        })
        .await?;
        let linked = link_view(&mut tx, client, &practitioner, None).await?;
        tx.commit().await?;
        Ok(Some(Joined {
            server_id: server_id.to_string(),
            person_id: client.person_id.clone(),
            role: client.role,
            journey_id: client.journey_id.clone(),
            private_id: client.private_id.clone(),
            linked: Some(linked),
            linked_name: to_name,
            recovery_code: None,
        }))
    }
}
