//! The server's SQLite database: documents (samod's key/value rows) and the directory (people,
//! devices, codes, invitations, links, documents, memberships, consents, token nonces) in one
//! file. WAL mode, a busy timeout so a second process (`tandem-server enrol`) can write while the
//! server runs, and migrations counted by `PRAGMA user_version`.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, Transaction};
use tandem_storage::{migrate, Migration, MigrationError};

/// The database's file name inside the data directory.
pub const DB_FILE: &str = "tandem-server.db";

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Each entry moves the schema one version up; the index + 1 is the resulting `user_version`.
/// Never edit a shipped migration: add one.
const MIGRATIONS: &[Migration] = &[
    migrate_1, migrate_2, migrate_3, migrate_4, migrate_5, migrate_6, migrate_7, migrate_8,
];

/// 1: documents, and the directory.
///
/// Times are Unix seconds. Ids are the strings of the protocol (docs/SYNC.md): person ids are
/// base58 of 16 bytes, device ids base58 of an ed25519 key, document ids automerge-repo's
/// bs58check form.
fn migrate_1(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(tandem_storage::kv::KV_TABLE)?;
    tx.execute_batch(
        "CREATE TABLE server (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            server_id TEXT NOT NULL,
            created_at INTEGER NOT NULL
         );
         CREATE TABLE people (
            person_id TEXT PRIMARY KEY NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('client', 'practitioner', 'coach')),
            journey_id TEXT NOT NULL,
            private_id TEXT NOT NULL,
            created_at INTEGER NOT NULL
         );
         CREATE TABLE devices (
            device_id TEXT PRIMARY KEY NOT NULL,
            person_id TEXT NOT NULL REFERENCES people (person_id),
            created_at INTEGER NOT NULL
         );
         CREATE INDEX devices_by_person ON devices (person_id);
         -- One-time codes, stored as the SHA-256 of their normalised text.
         CREATE TABLE codes (
            code_hash BLOB PRIMARY KEY NOT NULL,
            purpose TEXT NOT NULL CHECK (purpose IN ('enrol', 'invitation')),
            -- For an enrolment code: the role it gives.
            role TEXT CHECK (role IN ('practitioner', 'coach')),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER,
            -- The device that used it.
            used_by TEXT
         );
         CREATE TABLE invitations (
            code_hash BLOB PRIMARY KEY NOT NULL REFERENCES codes (code_hash),
            kind TEXT NOT NULL CHECK (kind IN ('client', 'practitioner', 'device')),
            inviter TEXT NOT NULL REFERENCES people (person_id)
         );
         -- Two linked people. `supporter` is the practitioner of a care link and the coach of a
         -- coaching link; `supported` is the client, or the practitioner.
         CREATE TABLE links (
            supporter TEXT NOT NULL REFERENCES people (person_id),
            supported TEXT NOT NULL REFERENCES people (person_id),
            kind TEXT NOT NULL CHECK (kind IN ('care', 'coaching')),
            relationship_doc TEXT,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (supporter, supported)
         );
         CREATE INDEX links_by_supported ON links (supported);
         CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('journey', 'check_ins', 'care', 'coaching', 'private')),
            owner TEXT NOT NULL REFERENCES people (person_id),
            -- For a month of check-ins: the journey whose members it follows.
            journey_id TEXT REFERENCES documents (doc_id),
            -- For a care or coaching document: the other person in it.
            with_person TEXT REFERENCES people (person_id),
            created_at INTEGER NOT NULL
         );
         CREATE TABLE memberships (
            doc_id TEXT NOT NULL REFERENCES documents (doc_id),
            person_id TEXT NOT NULL REFERENCES people (person_id),
            access TEXT NOT NULL CHECK (access IN ('read', 'write')),
            granted_by TEXT NOT NULL,
            granted_at INTEGER NOT NULL,
            PRIMARY KEY (doc_id, person_id)
         ) WITHOUT ROWID;
         -- Every grant and revocation: who shared what with whom, when, under which consent text.
         CREATE TABLE consents (
            id INTEGER PRIMARY KEY,
            who TEXT NOT NULL,
            whom TEXT NOT NULL,
            what TEXT NOT NULL,
            access TEXT,
            action TEXT NOT NULL CHECK (action IN ('grant', 'revoke')),
            at INTEGER NOT NULL,
            consent_text_version TEXT
         );
         -- Token nonces, each accepted once, kept until their token expires.
         CREATE TABLE nonces (
            nonce TEXT PRIMARY KEY NOT NULL,
            expires_at INTEGER NOT NULL
         ) WITHOUT ROWID;
         CREATE INDEX nonces_by_expiry ON nonces (expires_at);",
    )
}

/// 2: the change feed, and who may see what as one view.
///
/// `change_feed` holds the top of one server-wide sequence; every stored change of a document
/// takes the next value and writes it into that document's `doc_changes` row (see
/// `documents::SqliteDocuments::put`), in the same transaction as the change. Documents stored
/// before this migration start at 1.
///
/// `document_access` is the sharing rule as SQL, the one place it is written: a person's access
/// to a document (a month answers for its journey); a coach never gets a client's document nor
/// a care document, whatever the rows say (defence in depth: grants refuse this already). Both
/// the single lookup and the change feed's list read it.
fn migrate_2(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE change_feed (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL
         );
         CREATE TABLE doc_changes (
            doc_id TEXT PRIMARY KEY NOT NULL,
            seq INTEGER NOT NULL
         ) WITHOUT ROWID;
         CREATE INDEX doc_changes_by_seq ON doc_changes (seq);
         INSERT INTO doc_changes (doc_id, seq)
            SELECT DISTINCT CAST(substr(key, 1, instr(key, X'2F') - 1) AS TEXT), 1
            FROM kv WHERE instr(key, X'2F') > 1;
         INSERT INTO change_feed (id, seq)
            VALUES (1, (SELECT COUNT(*) > 0 FROM doc_changes));",
    )?;
    tx.execute_batch(DOCUMENT_ACCESS_VIEW)
}

/// The sharing rule as SQL (see migration 2), which PostgreSQL's schema uses too.
pub const DOCUMENT_ACCESS_VIEW: &str = "
    CREATE VIEW document_access (doc_id, person_id, access) AS
        SELECT d.doc_id, m.person_id, m.access FROM documents d
        JOIN memberships m ON m.doc_id = COALESCE(d.journey_id, d.doc_id)
        JOIN people owner ON owner.person_id = d.owner
        JOIN people member ON member.person_id = m.person_id
        WHERE NOT (member.role = 'coach' AND (owner.role = 'client' OR d.kind = 'care'));";

/// 3: the name an inviter gave with an invitation, told to whoever looks at the code before
/// using it (`POST /v1/codes/about`) and set to NULL when the code is used: people's names live
/// in their documents, not here.
fn migrate_3(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch("ALTER TABLE invitations ADD COLUMN from_name TEXT;")
}

/// 4: a device's name, when it last called, and when it was removed from its account (a
/// removed device's row stays, so its tokens are refused as removed, not as unknown).
fn migrate_4(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(MIGRATE_DEVICES)
}

/// Migration 4, the same text for SQLite and PostgreSQL.
pub const MIGRATE_DEVICES: &str = "ALTER TABLE devices ADD COLUMN name TEXT;
     ALTER TABLE devices ADD COLUMN last_seen_at BIGINT;
     ALTER TABLE devices ADD COLUMN removed_at BIGINT;";

/// 5: who looked: when each device last received each document from this server.
fn migrate_5(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(MIGRATE_ACCESS_LOG)
}

/// Migration 5, the same text for SQLite and PostgreSQL.
pub const MIGRATE_ACCESS_LOG: &str = "CREATE TABLE access_log (
        doc_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        last_at BIGINT NOT NULL,
        PRIMARY KEY (doc_id, device_id)
     );";

/// 6: leaving and erasing: the documents each person's devices must delete, and the ids of
/// erased people, devices and documents (`directory/erasure.rs`).
fn migrate_6(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(crate::directory::erasure::MIGRATE_WITHDRAWN_AND_ERASED)
}

/// 7: recovery codes (`directory/recovery.rs`).
fn migrate_7(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(crate::directory::recovery::MIGRATE_RECOVERY_CODES)
}

/// 8: deactivated people and the offers of a new practitioner to their clients
/// (`directory/handover.rs`).
fn migrate_8(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(crate::directory::handover::MIGRATE_DEACTIVATION)
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database has schema version {found}; this server reads up to {supported}")]
    NewerSchema { found: i64, supported: i64 },
    #[error("data directory: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens (creating if needed) the database in `data_dir` and brings its schema up to date.
///
/// Durability: WAL with `synchronous = NORMAL`: a commit survives a crash of this process; only a
/// power loss may drop the last commits.
pub fn open(data_dir: &Path) -> Result<Connection, OpenError> {
    std::fs::create_dir_all(data_dir)?;
    open_file(&data_dir.join(DB_FILE))
}

/// Opens the database file at `path` (`:memory:` for tests).
pub fn open_file(path: &Path) -> Result<Connection, OpenError> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && path != Path::new(":memory:") {
        tracing::warn!(mode, "SQLite refused WAL mode");
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    migrate(&mut conn, MIGRATIONS).map_err(|e| match e {
        MigrationError::Newer { found, supported } => OpenError::NewerSchema { found, supported },
        MigrationError::Sqlite(e) => OpenError::Sqlite(e),
    })?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_stored_before_the_change_feed_start_on_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let mut old = Connection::open(&path).unwrap();
            migrate(&mut old, &MIGRATIONS[..1]).unwrap();
            for key in [
                "AbC/incremental/1",
                "AbC/snapshot/2",
                "aBc/incremental/3",
                "storage-id",
            ] {
                old.execute(
                    "INSERT INTO kv (key, value) VALUES (?1, x'00')",
                    [key.as_bytes()],
                )
                .unwrap();
            }
        }
        let conn = open_file(&path).unwrap();
        let rows: Vec<(String, i64)> = conn
            .prepare("SELECT doc_id, seq FROM doc_changes ORDER BY doc_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows, vec![("AbC".to_string(), 1), ("aBc".to_string(), 1)]);
        let top: i64 = conn
            .query_row("SELECT seq FROM change_feed", [], |r| r.get(0))
            .unwrap();
        assert_eq!(top, 1);
    }

    #[test]
    fn a_database_from_a_newer_server_is_refused_and_reopening_is_harmless() {
        let dir = tempfile::tempdir().unwrap();
        open(dir.path()).unwrap();
        open(dir.path()).unwrap();
        Connection::open(dir.path().join(DB_FILE))
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        assert!(matches!(
            open(dir.path()),
            Err(OpenError::NewerSchema { found: 99, .. })
        ));
    }
}
