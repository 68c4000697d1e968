//! Leaving and erasing, as SQL both backends run (SQLite's `?N` parameters; PostgreSQL's `$N`
//! through [`postgres_sql`]).
//!
//! - **Withdrawn documents.** When an owner stops sharing a document with a person, or erases
//!   their account, the person's devices must delete their copy: `withdrawn` lists, per person,
//!   the documents (a journey and each of its months) and why. A device reads the list in every
//!   catch-up and deletes what it still holds; a new grant takes the rows away again.
//! - **Erasure.** A person's account goes: their documents (and the care or coaching documents
//!   with them) with every stored change, their memberships, consents, links, invitations,
//!   devices and their own row. What stays is `erased`: the person's id, their devices' ids and
//!   the documents' ids, each with when, so that a device still holding a copy can neither
//!   upload it again nor sign in, and is told why.

/// The documents that go with person `?1`'s account: theirs, the care or coaching documents
/// they are in, and the months of their journeys (a practitioner may have registered one).
macro_rules! erased_docs {
    () => {
        "(SELECT doc_id FROM documents WHERE owner = ?1 OR with_person = ?1
            OR journey_id IN (SELECT doc_id FROM documents WHERE owner = ?1))"
    };
}

/// Migration text (SQLite's 6, PostgreSQL's step 4).
pub const MIGRATE_WITHDRAWN_AND_ERASED: &str = "CREATE TABLE withdrawn (
        doc_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('revoked', 'erased')),
        at BIGINT NOT NULL,
        PRIMARY KEY (doc_id, person_id)
     );
     CREATE INDEX withdrawn_by_person ON withdrawn (person_id);
     CREATE TABLE erased (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('person', 'device', 'document')),
        erased_at BIGINT NOT NULL
     );";

/// `?1` document, `?2` person, `?3` reason, `?4` when: the person must delete the document
/// and each month of it.
pub const WITHDRAW: &str = "INSERT INTO withdrawn (doc_id, person_id, reason, at)
    SELECT doc_id, CAST(?2 AS TEXT), CAST(?3 AS TEXT), CAST(?4 AS BIGINT) FROM documents WHERE doc_id = ?1 OR journey_id = ?1
    ON CONFLICT (doc_id, person_id) DO UPDATE SET reason = excluded.reason, at = excluded.at";

/// `?1` document, `?2` person: shared again, nothing to delete.
pub const UNWITHDRAW: &str = "DELETE FROM withdrawn WHERE person_id = ?2
    AND doc_id IN (SELECT doc_id FROM documents WHERE doc_id = ?1 OR journey_id = ?1)";

/// `?1` person: what their devices must delete.
pub const WITHDRAWN_FOR: &str =
    "SELECT doc_id, reason, at FROM withdrawn WHERE person_id = ?1 ORDER BY at, doc_id";

/// `?1` an id: when it was erased.
pub const ERASED_AT: &str = "SELECT erased_at FROM erased WHERE id = ?1";

/// `?1` person: the documents that go with them.
pub const DOCUMENTS_OF: &str = concat!(
    "SELECT doc_id FROM documents WHERE doc_id IN ",
    erased_docs!()
);

/// `?1` person: who must hear of the erasure (the people linked to them, and the members of
/// their documents).
pub const PEOPLE_TO_TELL: &str = concat!(
    "SELECT supporter FROM links WHERE supported = ?1
     UNION SELECT supported FROM links WHERE supporter = ?1
     UNION SELECT person_id FROM document_access WHERE person_id <> ?1 AND doc_id IN ",
    erased_docs!()
);

/// `?1` a first key, `?2` the first key after: a document's stored rows (`<doc id>/…`).
pub const DELETE_ROWS: &str = "DELETE FROM kv WHERE key >= ?1 AND key < ?2";

/// `?1` person, `?2` when: the erasure, in order (each statement reads rows a later one
/// deletes).
pub const ERASE: &[&str] = &[
    // The other members' devices delete their copies.
    concat!(
        "INSERT INTO withdrawn (doc_id, person_id, reason, at)
         SELECT doc_id, person_id, 'erased', CAST(?2 AS BIGINT) FROM document_access
         WHERE person_id <> ?1 AND doc_id IN ",
        erased_docs!(),
        " ON CONFLICT (doc_id, person_id) DO UPDATE SET reason = excluded.reason, at = excluded.at"
    ),
    // The ids refused from now on.
    concat!(
        "INSERT INTO erased (id, kind, erased_at)
         SELECT doc_id, 'document', CAST(?2 AS BIGINT) FROM documents WHERE doc_id IN ",
        erased_docs!(),
        " ON CONFLICT (id) DO NOTHING"
    ),
    "INSERT INTO erased (id, kind, erased_at)
     SELECT device_id, 'device', CAST(?2 AS BIGINT) FROM devices WHERE person_id = ?1
     ON CONFLICT (id) DO NOTHING",
    "INSERT INTO erased (id, kind, erased_at) VALUES (?1, 'person', ?2)
     ON CONFLICT (id) DO NOTHING",
    concat!("DELETE FROM doc_changes WHERE doc_id IN ", erased_docs!()),
    concat!(
        "DELETE FROM access_log WHERE person_id = ?1 OR doc_id IN ",
        erased_docs!()
    ),
    concat!(
        "DELETE FROM memberships WHERE person_id = ?1 OR doc_id IN ",
        erased_docs!()
    ),
    // Their own list (the other members' rows, written above, stay until their devices
    // have had them: they name only the erased ids and those members).
    "DELETE FROM withdrawn WHERE person_id = ?1",
    "DELETE FROM consents WHERE who = ?1 OR whom = ?1",
    "DELETE FROM recovery_codes WHERE person_id = ?1",
    // Offers from them (a practitioner deactivated before) stay with their clients.
    "DELETE FROM handovers WHERE client = ?1 OR to_person = ?1",
    "DELETE FROM deactivated WHERE person_id = ?1",
    "DELETE FROM links WHERE supporter = ?1 OR supported = ?1",
    "UPDATE codes SET used_by = NULL
     WHERE used_by IN (SELECT device_id FROM devices WHERE person_id = ?1)",
    "DELETE FROM invitations WHERE inviter = ?1",
    "DELETE FROM codes WHERE purpose = 'invitation'
     AND code_hash NOT IN (SELECT code_hash FROM invitations)",
    // Months before their journeys.
    "DELETE FROM documents WHERE journey_id IN (SELECT doc_id FROM documents WHERE owner = ?1)",
    "DELETE FROM documents WHERE owner = ?1 OR with_person = ?1",
    "DELETE FROM devices WHERE person_id = ?1",
    "DELETE FROM people WHERE person_id = ?1",
];

/// SQLite's `?N` parameters as PostgreSQL's `$N`. (Parameters in a select list carry a
/// `CAST`, so that PostgreSQL knows their types.)
pub fn postgres_sql(sql: &str) -> String {
    sql.replace('?', "$")
}

/// The range of a document's stored rows: from `<doc id>/` up to, not including, `<doc id>0`
/// (`0` follows `/`).
pub fn row_range(doc_id: &str) -> (Vec<u8>, Vec<u8>) {
    (
        format!("{doc_id}/").into_bytes(),
        format!("{doc_id}0").into_bytes(),
    )
}
