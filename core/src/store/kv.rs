//! Documents stored as keys and values in the layout samod uses:
//! `<docId>/incremental/<changeHash>` for single changes and `<docId>/snapshot/<hash>` for
//! compacted documents. The core writes these rows itself, and [`SqliteStorage`] lets a samod
//! repo (the sync engine) read and write the very same rows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use samod::storage::{Storage, StorageKey};

use crate::error::Result;

/// The table these functions use; a database that holds documents creates it.
pub const KV_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;";

/// The stored form of a key: its parts joined by `/` (parts never contain `/`).
pub fn key_bytes(key: &StorageKey) -> Vec<u8> {
    key.into_iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("/")
        .into_bytes()
}

fn key_from_bytes(bytes: &[u8]) -> Option<StorageKey> {
    let text = std::str::from_utf8(bytes).ok()?;
    StorageKey::from_parts(text.split('/')).ok()
}

pub fn put(conn: &Connection, key: &[u8], value: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)")?
        .execute(params![key, value])?;
    Ok(())
}

pub fn get(conn: &Connection, key: &[u8]) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT value FROM kv WHERE key = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()?)
}

pub fn delete(conn: &Connection, key: &[u8]) -> Result<()> {
    conn.prepare_cached("DELETE FROM kv WHERE key = ?1")?
        .execute(params![key])?;
    Ok(())
}

/// The bounds of the keys under `prefix/`: at or after `prefix/`, before `prefix0` ('0' follows
/// '/' in byte order).
fn under(prefix: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut lower = prefix.to_vec();
    lower.push(b'/');
    let mut upper = prefix.to_vec();
    upper.push(b'/' + 1);
    (lower, upper)
}

/// Deletes every row whose key is `prefix` or lies under it.
pub fn delete_prefix(conn: &Connection, prefix: &[u8]) -> Result<()> {
    let (lower, upper) = under(prefix);
    conn.prepare_cached("DELETE FROM kv WHERE key = ?1 OR (key >= ?2 AND key < ?3)")?
        .execute(params![prefix, lower, upper])?;
    Ok(())
}

/// Every row whose key is `prefix` or lies under it (`prefix/...`), compared byte by byte:
/// document ids are case-sensitive, so SQL `LIKE` would be wrong.
pub fn load_prefix(conn: &Connection, prefix: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let (lower, upper) = under(prefix);
    let mut stmt = conn.prepare_cached(
        "SELECT key, value FROM kv WHERE key = ?1 OR (key >= ?2 AND key < ?3) ORDER BY key",
    )?;
    let rows = stmt
        .query_map(params![prefix, lower, upper], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// samod's storage on the store's SQLite database.
///
/// samod's storage calls cannot fail, so a database error is logged and kept; the owner asks
/// [`SqliteStorage::take_failure`] and fails its next public call with it.
#[derive(Clone)]
pub struct SqliteStorage {
    conn: Arc<Mutex<Connection>>,
    failure: Arc<Mutex<Option<String>>>,
}

impl SqliteStorage {
    /// Storage on `conn`, whose database must have the `kv` table (see [`KV_TABLE`]).
    pub fn new(conn: Arc<Mutex<Connection>>) -> Self {
        SqliteStorage {
            conn,
            failure: Arc::default(),
        }
    }

    /// The first storage error since the last call, if any.
    pub fn take_failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    fn run<T>(&self, what: &str, default: T, f: impl FnOnce(&Connection) -> Result<T>) -> T {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        match f(&conn) {
            Ok(value) => value,
            Err(err) => {
                tracing::error!(%err, what, "storage failed");
                self.failure
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert_with(|| format!("{what}: {err}"));
                default
            }
        }
    }
}

impl Storage for SqliteStorage {
    async fn load(&self, key: StorageKey) -> Option<Vec<u8>> {
        self.run("load", None, |c| get(c, &key_bytes(&key)))
    }

    async fn load_range(&self, prefix: StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        let rows = self.run("load range", Vec::new(), |c| {
            load_prefix(c, &key_bytes(&prefix))
        });
        rows.into_iter()
            .filter_map(|(k, v)| key_from_bytes(&k).map(|k| (k, v)))
            .collect()
    }

    async fn put(&self, key: StorageKey, data: Vec<u8>) {
        self.run("put", (), |c| put(c, &key_bytes(&key), &data))
    }

    async fn delete(&self, key: StorageKey) {
        self.run("delete", (), |c| delete(c, &key_bytes(&key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    fn storage() -> SqliteStorage {
        let conn = crate::store::db::open(std::path::Path::new(":memory:")).unwrap();
        SqliteStorage::new(Arc::new(Mutex::new(conn)))
    }

    fn key(parts: &[&str]) -> StorageKey {
        StorageKey::from_parts(parts).unwrap()
    }

    #[test]
    fn range_loads_match_by_exact_bytes_not_case_or_wildcards() {
        let s = storage();
        block_on(async {
            s.put(key(&["AbC", "incremental", "1"]), b"a".to_vec())
                .await;
            s.put(key(&["abc", "incremental", "2"]), b"b".to_vec())
                .await;
            s.put(key(&["AbC_", "snapshot", "3"]), b"c".to_vec()).await;
            s.put(key(&["AbCd", "snapshot", "4"]), b"d".to_vec()).await;
            let found = s.load_range(key(&["AbC"])).await;
            assert_eq!(found.len(), 1);
            assert_eq!(found[&key(&["AbC", "incremental", "1"])], b"a");
            assert_eq!(s.load_range(key(&["AbC", "snapshot"])).await.len(), 0);
        });
    }

    #[test]
    fn put_load_and_delete_round_trip() {
        let s = storage();
        block_on(async {
            let k = key(&["storage-adapter-id"]);
            assert_eq!(s.load(k.clone()).await, None);
            s.put(k.clone(), b"one".to_vec()).await;
            s.put(k.clone(), b"two".to_vec()).await;
            assert_eq!(s.load(k.clone()).await.as_deref(), Some(&b"two"[..]));
            s.delete(k.clone()).await;
            assert_eq!(s.load(k).await, None);
        });
        assert_eq!(s.take_failure(), None);
    }
}
