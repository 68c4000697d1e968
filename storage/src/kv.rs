//! Documents stored as keys and values in the layout samod uses:
//! `<docId>/incremental/<changeHash>` for single changes and `<docId>/snapshot/<hash>` for
//! compacted documents. The device's store writes these rows itself; the server's samod
//! storage (`tandem-server`'s `documents.rs`) keeps the same layout with these helpers.

use rusqlite::{params, Connection, OptionalExtension};
use samod::storage::StorageKey;

use rusqlite::Result;

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

/// A key read back from its stored form; `None` for bytes that are not one.
pub fn key_from_bytes(bytes: &[u8]) -> Option<StorageKey> {
    let text = std::str::from_utf8(bytes).ok()?;
    StorageKey::from_parts(text.split('/')).ok()
}

pub fn put(conn: &Connection, key: &[u8], value: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)")?
        .execute(params![key, value])?;
    Ok(())
}

pub fn get(conn: &Connection, key: &[u8]) -> Result<Option<Vec<u8>>> {
    conn.prepare_cached("SELECT value FROM kv WHERE key = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()
}

pub fn delete(conn: &Connection, key: &[u8]) -> Result<()> {
    conn.prepare_cached("DELETE FROM kv WHERE key = ?1")?
        .execute(params![key])?;
    Ok(())
}

/// The bounds of the keys under `prefix/`: at or after `prefix/`, before `prefix0` ('0' follows
/// '/' in byte order).
pub fn bounds_under(prefix: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut lower = prefix.to_vec();
    lower.push(b'/');
    let mut upper = prefix.to_vec();
    upper.push(b'/' + 1);
    (lower, upper)
}

/// Deletes every row whose key is `prefix` or lies under it.
pub fn delete_prefix(conn: &Connection, prefix: &[u8]) -> Result<()> {
    let (lower, upper) = bounds_under(prefix);
    conn.prepare_cached("DELETE FROM kv WHERE key = ?1 OR (key >= ?2 AND key < ?3)")?
        .execute(params![prefix, lower, upper])?;
    Ok(())
}

/// The keys under `prefix/`, in order (their values are not read).
pub fn keys_under(conn: &Connection, prefix: &[u8]) -> Result<Vec<Vec<u8>>> {
    let (lower, upper) = bounds_under(prefix);
    let mut stmt =
        conn.prepare_cached("SELECT key FROM kv WHERE key >= ?1 AND key < ?2 ORDER BY key")?;
    let keys = stmt
        .query_map(params![lower, upper], |r| r.get(0))?
        .collect::<Result<Vec<_>>>()?;
    Ok(keys)
}

/// Every row whose key is `prefix` or lies under it (`prefix/...`), compared byte by byte:
/// document ids are case-sensitive, so SQL `LIKE` would be wrong.
pub fn load_prefix(conn: &Connection, prefix: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let (lower, upper) = bounds_under(prefix);
    let mut stmt = conn.prepare_cached(
        "SELECT key, value FROM kv WHERE key = ?1 OR (key >= ?2 AND key < ?3) ORDER BY key",
    )?;
    let rows = stmt
        .query_map(params![prefix, lower, upper], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(KV_TABLE).unwrap();
        c
    }

    #[test]
    fn range_loads_match_by_exact_bytes_not_case_or_wildcards() {
        let c = conn();
        put(&c, b"AbC/incremental/1", b"a").unwrap();
        put(&c, b"abc/incremental/2", b"b").unwrap();
        put(&c, b"AbC_/snapshot/3", b"c").unwrap();
        put(&c, b"AbCd/snapshot/4", b"d").unwrap();
        let found = load_prefix(&c, b"AbC").unwrap();
        assert_eq!(found, vec![(b"AbC/incremental/1".to_vec(), b"a".to_vec())]);
        assert!(load_prefix(&c, b"AbC/snapshot").unwrap().is_empty());
    }

    #[test]
    fn put_load_and_delete_round_trip() {
        let c = conn();
        assert_eq!(get(&c, b"storage-adapter-id").unwrap(), None);
        put(&c, b"storage-adapter-id", b"one").unwrap();
        put(&c, b"storage-adapter-id", b"two").unwrap();
        assert_eq!(
            get(&c, b"storage-adapter-id").unwrap().as_deref(),
            Some(&b"two"[..])
        );
        delete(&c, b"storage-adapter-id").unwrap();
        assert_eq!(get(&c, b"storage-adapter-id").unwrap(), None);
        put(&c, b"doc/incremental/1", b"x").unwrap();
        put(&c, b"doc/snapshot/2", b"y").unwrap();
        delete_prefix(&c, b"doc").unwrap();
        assert!(load_prefix(&c, b"doc").unwrap().is_empty());
    }
}
