//! Opening the SQLite database: WAL, one connection, migrations counted by `user_version`.

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Each entry moves the schema one version up; the index + 1 is the resulting `user_version`.
/// Never edit a shipped migration: add one.
const MIGRATIONS: &[&str] = &[
    // 1: documents in samod's key/value layout, and this device's identity.
    "CREATE TABLE kv (
        key BLOB PRIMARY KEY NOT NULL,
        value BLOB NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        person_id TEXT NOT NULL,
        device_secret_key BLOB NOT NULL,
        journey_doc TEXT NOT NULL,
        private_doc TEXT NOT NULL,
        created_at TEXT NOT NULL
     );",
    // 2: the sync server this store is joined to, the people linked to it, and which of its
    // documents the server knows.
    "CREATE TABLE sync_server (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        url TEXT NOT NULL,
        server_id TEXT NOT NULL,
        role TEXT NOT NULL,
        last_synced_at TEXT
     );
     CREATE TABLE links (
        person_id TEXT PRIMARY KEY NOT NULL,
        role TEXT NOT NULL,
        journey_id TEXT,
        relationship_doc_id TEXT,
        access TEXT
     );
     CREATE TABLE registered_documents (doc_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;",
];

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
///
/// Durability: WAL with `synchronous = NORMAL`. A commit is on disk once it returns as far as
/// a crash of this process is concerned; only a power loss may drop the last commits.
pub(crate) fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "SQLite refused WAL mode");
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    migrate(&conn)?;
    Ok(conn)
}

fn migrate(conn: &Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > MIGRATIONS.len() {
        return Err(Error::NewerSchema {
            doc: "the local store".to_string(),
            found: version.try_into().unwrap_or(i64::MAX),
            supported: MIGRATIONS.len() as i64,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        open(&path).unwrap();
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        assert!(matches!(
            open(&path),
            Err(Error::NewerSchema { found: 99, .. })
        ));
    }

    #[test]
    fn reopening_does_not_rerun_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/store.db");
        open(&path).unwrap();
        let conn = open(&path).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }
}
