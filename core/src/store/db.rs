//! Opening the device's SQLite database: WAL, one connection, its migrations (run by the one
//! migration runner, `tandem_storage::migrate`, which the server's database uses too).

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};
pub use tandem_storage::{blocking, migrate, Migration, MigrationError};

/// How often the background checkpointer moves the write-ahead log into the database.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(250);
/// A write-ahead log longer than this (pages) is checkpointed to its end and restarted, even
/// if a writer must wait a moment: under a long run of edits a passive checkpoint never
/// catches the last one, and the log would grow without bound.
const RESTART_AFTER_FRAMES: i64 = 4096;

/// Moves a store's write-ahead log into its database on a thread of its own, with its own
/// connection, so no edit waits for a checkpoint's disk syncs (SQLite would otherwise run one
/// inside every thousandth page's commit). Passive: it never blocks a writer. Stops when
/// dropped.
pub(crate) struct Checkpointer {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Turns automatic checkpoints off on `conn` and starts checkpointing `path` beside it.
    pub(crate) fn start(conn: &Connection, path: &Path) -> Result<Checkpointer> {
        let own = Connection::open(path)?;
        own.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        own.pragma_update(None, "wal_autocheckpoint", 0)?;
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("tandem-checkpoint".into())
            .spawn(move || {
                // Until told to stop (or the store is gone): a message or a hang-up ends it.
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(CHECKPOINT_EVERY)
                {
                    let frames =
                        own.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1));
                    let outcome = match frames {
                        Ok(frames) if frames > RESTART_AFTER_FRAMES => {
                            own.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                        }
                        other => other.map(|_| ()),
                    };
                    if let Err(err) = outcome {
                        tracing::warn!(%err, "checkpoint failed; will retry");
                    }
                }
            })?;
        Ok(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Each entry moves the schema one version up; the index + 1 is the resulting `user_version`.
/// Never edit a shipped migration: add one.
const MIGRATIONS: &[Migration] = &[
    // 1: documents in samod's key/value layout, and this device's identity.
    |tx| {
        tx.execute_batch(
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
        )
    },
    // 2: the sync server this store is joined to, the people linked to it, and which of its
    // documents the server knows.
    |tx| {
        tx.execute_batch(
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
        )
    },
    // 3: live sync: what this device knows each peer has of each document (automerge's
    // encoded sync state), and where it stands in its server's change feed.
    |tx| {
        tx.execute_batch(
            "CREATE TABLE peer_sync_state (
        peer TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (peer, doc_id)
     ) WITHOUT ROWID;
     ALTER TABLE sync_server ADD COLUMN catch_up_cursor INTEGER NOT NULL DEFAULT 0;",
        )
    },
    // 4: the documents edited here since their server last had all of them, so a reconnect
    // finds them without reading every document.
    |tx| {
        tx.execute_batch(
            "CREATE TABLE local_edits (doc_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;",
        )
    },
    // 5: what this person shares with each linked person (their access to this journey).
    |tx| tx.execute_batch("ALTER TABLE links ADD COLUMN their_access TEXT;"),
    // 6: a ready-to-read copy of each past month's check-ins (store/month_cache.rs), made from
    // the rows whose keys' digest it carries, and gone with the document's rows.
    |tx| {
        tx.execute_batch(
            "CREATE TABLE month_check_ins (
        doc_id TEXT PRIMARY KEY NOT NULL,
        rows_digest TEXT NOT NULL,
        format INTEGER NOT NULL,
        check_ins BLOB NOT NULL
     ) WITHOUT ROWID;
     CREATE TRIGGER a_month_copy_goes_with_its_rows AFTER DELETE ON kv BEGIN
        DELETE FROM month_check_ins
        WHERE doc_id = CAST(substr(OLD.key, 1, instr(OLD.key, X'2F') - 1) AS TEXT);
     END;",
        )
    },
    // 7: encryption at rest (store/seal.rs): how this store's values are sealed, if they are.
    |tx| {
        tx.execute_batch(
            "CREATE TABLE encryption (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        scheme TEXT NOT NULL,
        key_source TEXT NOT NULL,
        salt BLOB,
        key_check BLOB NOT NULL,
        clean INTEGER NOT NULL
     );",
        )
    },
];

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
///
/// Durability: WAL with `synchronous = NORMAL`. A commit is on disk once it returns as far as
/// a crash of this process is concerned; only a power loss may drop the last commits.
pub(crate) fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "SQLite refused WAL mode");
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    migrate(&mut conn, MIGRATIONS).map_err(|e| match e {
        MigrationError::Newer { found, supported } => Error::NewerSchema {
            doc: "the local store".to_string(),
            found,
            supported,
        },
        MigrationError::Sqlite(e) => Error::Storage(e),
    })?;
    Ok(conn)
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
