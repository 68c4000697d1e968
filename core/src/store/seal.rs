//! Encryption at rest: every value a person's words can reach is sealed before it is written.
//!
//! A store opened with a key ([`StoreKey`]) seals, with XChaCha20-Poly1305, each document row
//! (`kv.value`), the device's secret key (`identity.device_secret_key`), each month's copy of
//! its check-ins (`month_check_ins.check_ins`) and each peer's sync state
//! (`peer_sync_state.state`). What stays readable names no one and says nothing a person
//! typed: document ids and change hashes (the rows' keys), the person's and linked people's
//! random ids, the server's address, the schema. Each sealed value is bound to where it lies
//! (its table and row key are the cipher's associated data), so rows cannot be swapped.
//!
//! Why this and not SQLCipher (docs/ARCHITECTURE.md, "Encryption at rest"): SQLCipher needs
//! OpenSSL built for every phone ABI (rusqlite's `bundled-sqlcipher-vendored-openssl`), adds
//! about 2 MB to a mobile library already over its budget, and its rusqlite features would
//! unify into the server's SQLite in this workspace. Sealing values costs two small RustCrypto
//! crates and keeps the store's layout; it leaves the keys above and the row sizes readable.
//!
//! The `encryption` table (local migration 7) says whether a store is sealed: the scheme, how
//! the key is made (a platform key as is, or a passphrase through Argon2id with the salt kept
//! there), a value sealed with the key to tell a wrong key at once, and whether the plain pages
//! of an encryption in place have been vacuumed away yet.
//!
//! Sealing a plain store in place, and changing the key, re-seal every value in one SQLite
//! transaction (a crash leaves the store as it was before, or done), then vacuum the database
//! and truncate its write-ahead log so no page still holds what was plain; a crash before the
//! vacuum is finished is seen on the next open (`clean = 0`) and the vacuum runs again.

use std::borrow::Cow;

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::{params, Connection, OptionalExtension};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The store's key, as the platform gives it.
#[derive(Clone)]
pub enum StoreKey {
    /// A random 32-byte key the platform keeps (Android Keystore, iOS Keychain, a keyring).
    Key(Zeroizing<[u8; 32]>),
    /// A passphrase the person types; the key is derived from it with Argon2id.
    Passphrase(Zeroizing<String>),
}

impl StoreKey {
    /// A key from 32 bytes; anything else is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<StoreKey> {
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::invalid(
                "key",
                format!("a store key is 32 bytes, not {}", bytes.len()),
            )
        })?;
        Ok(StoreKey::Key(Zeroizing::new(key)))
    }

    /// A new random key, for a platform to keep.
    pub fn random() -> StoreKey {
        let key: [u8; 32] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
        StoreKey::Key(Zeroizing::new(key))
    }

    /// A passphrase; an empty one is refused.
    pub fn passphrase(words: impl Into<String>) -> Result<StoreKey> {
        let words = Zeroizing::new(words.into());
        if words.trim().is_empty() {
            return Err(Error::invalid("passphrase", "the passphrase is empty"));
        }
        Ok(StoreKey::Passphrase(words))
    }

    /// The raw key's bytes (none for a passphrase), for a platform to keep.
    pub fn bytes(&self) -> Option<&[u8; 32]> {
        match self {
            StoreKey::Key(key) => Some(key),
            StoreKey::Passphrase(_) => None,
        }
    }

    fn source(&self) -> &'static str {
        match self {
            StoreKey::Key(_) => KEY,
            StoreKey::Passphrase(_) => PASSPHRASE,
        }
    }
}

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StoreKey::Key(_) => "StoreKey::Key(..)",
            StoreKey::Passphrase(_) => "StoreKey::Passphrase(..)",
        })
    }
}

const SCHEME: &str = "xchacha20poly1305";
const KEY: &str = "key";
const PASSPHRASE: &str = "passphrase";
/// What the key check seals: opening it tells the right key from a wrong one.
const CHECK: &[u8] = b"a tandem store key";
const NONCE_LEN: usize = 24;

/// Where a sealed value lies: its table, and its row's key within it.
#[derive(Clone, Copy)]
pub(crate) enum At<'a> {
    /// A document row, by its key.
    Row(&'a [u8]),
    /// The device's secret key.
    DeviceKey,
    /// A month's copy of its check-ins, by the month document's id.
    MonthCopy(&'a str),
    /// What a peer has of a document.
    SyncState {
        peer: &'a str,
        doc_id: &'a str,
    },
    KeyCheck,
}

impl At<'_> {
    /// The associated data: the table's tag, then the row's key.
    fn data(&self) -> Vec<u8> {
        let (tag, parts): (&[u8], Vec<&[u8]>) = match self {
            At::Row(key) => (b"kv", vec![key]),
            At::DeviceKey => (b"identity", vec![]),
            At::MonthCopy(doc) => (b"month", vec![doc.as_bytes()]),
            At::SyncState { peer, doc_id } => (b"sync", vec![peer.as_bytes(), doc_id.as_bytes()]),
            At::KeyCheck => (b"check", vec![]),
        };
        let mut data = tag.to_vec();
        for part in parts {
            data.push(0);
            data.extend_from_slice(part);
        }
        data
    }
}

/// Seals and opens a store's values: with a cipher when the store is encrypted, else it passes
/// values through unchanged.
pub(crate) struct Sealer {
    cipher: Option<XChaCha20Poly1305>,
}

impl Sealer {
    pub(crate) fn plain() -> Sealer {
        Sealer { cipher: None }
    }

    fn with_key(key: &[u8; 32]) -> Sealer {
        Sealer {
            cipher: Some(XChaCha20Poly1305::new(key.into())),
        }
    }

    pub(crate) fn is_sealed(&self) -> bool {
        self.cipher.is_some()
    }

    /// `plain` as it is stored at `at`: a fresh nonce, then the sealed bytes.
    pub(crate) fn seal<'a>(&self, at: At<'_>, plain: &'a [u8]) -> Cow<'a, [u8]> {
        let Some(cipher) = &self.cipher else {
            return Cow::Borrowed(plain);
        };
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = at.data();
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            // Only a message longer than 256 GiB fails.
            .expect("a value the cipher can seal");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Cow::Owned(out)
    }

    /// What was sealed at `at`. A value that does not open (damaged, moved, or sealed with
    /// another key) is an error naming where it lies.
    pub(crate) fn open<'a>(&self, at: At<'_>, stored: &'a [u8]) -> Result<Cow<'a, [u8]>> {
        let Some(cipher) = &self.cipher else {
            return Ok(Cow::Borrowed(stored));
        };
        let damaged = || {
            Error::damaged(
                "the local store",
                format!("{} does not open with its key", at.name()),
            )
        };
        if stored.len() < NONCE_LEN {
            return Err(damaged());
        }
        let (nonce, sealed) = stored.split_at(NONCE_LEN);
        let aad = at.data();
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map(Cow::Owned)
            .map_err(|_| damaged())
    }

    /// [`Sealer::open`] for an owned value.
    pub(crate) fn open_vec(&self, at: At<'_>, stored: Vec<u8>) -> Result<Vec<u8>> {
        if self.cipher.is_none() {
            return Ok(stored);
        }
        Ok(self.open(at, &stored)?.into_owned())
    }

    /// Document rows as loaded (key, stored value), opened.
    pub(crate) fn open_rows(
        &self,
        rows: Vec<(Vec<u8>, Vec<u8>)>,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        if self.cipher.is_none() {
            return Ok(rows);
        }
        rows.into_iter()
            .map(|(key, value)| {
                let value = self.open(At::Row(&key), &value)?.into_owned();
                Ok((key, value))
            })
            .collect()
    }
}

impl At<'_> {
    fn name(&self) -> String {
        match self {
            At::Row(key) => format!("the row {}", String::from_utf8_lossy(key)),
            At::DeviceKey => "the device's key".into(),
            At::MonthCopy(doc) => format!("the copy of month {doc}"),
            At::SyncState { peer, doc_id } => format!("the sync state of {doc_id} with {peer}"),
            At::KeyCheck => "the key check".into(),
        }
    }
}

/// Writes a document row, sealed.
pub(crate) fn put_row(conn: &Connection, sealer: &Sealer, key: &[u8], value: &[u8]) -> Result<()> {
    tandem_storage::kv::put(conn, key, &sealer.seal(At::Row(key), value))?;
    Ok(())
}

/// Every document row under `prefix`, opened.
pub(crate) fn load_rows(
    conn: &Connection,
    sealer: &Sealer,
    prefix: &[u8],
) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    sealer.open_rows(tandem_storage::kv::load_prefix(conn, prefix)?)
}

/// The store's `encryption` row.
struct Encryption {
    source: String,
    salt: Option<Vec<u8>>,
    key_check: Vec<u8>,
    clean: bool,
}

fn read_row(conn: &Connection) -> Result<Option<Encryption>> {
    let row = conn
        .query_row(
            "SELECT scheme, key_source, salt, key_check, clean FROM encryption WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Encryption {
                        source: r.get(1)?,
                        salt: r.get(2)?,
                        key_check: r.get(3)?,
                        clean: r.get(4)?,
                    },
                ))
            },
        )
        .optional()?;
    match row {
        Some((scheme, _)) if scheme != SCHEME => Err(Error::NewerSchema {
            doc: format!("the local store's encryption ({scheme})"),
            found: 0,
            supported: 0,
        }),
        Some((_, row)) => Ok(Some(row)),
        None => Ok(None),
    }
}

/// Argon2id's settings for a passphrase: OWASP's first choice (19 MiB, two passes).
fn derive(passphrase: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let mut key = Zeroizing::new([0u8; 32]);
    argon2::Argon2::default()
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| Error::invalid("passphrase", format!("cannot derive a key from it: {e}")))?;
    Ok(key)
}

/// The sealer `key` makes for a store whose row says how keys are made (its salt).
fn sealer_for(key: &StoreKey, salt: Option<&[u8]>) -> Result<Sealer> {
    match key {
        StoreKey::Key(bytes) => Ok(Sealer::with_key(bytes)),
        StoreKey::Passphrase(words) => {
            let salt = salt.ok_or_else(|| {
                Error::WrongKey("this store was sealed with a key, not a passphrase".into())
            })?;
            let key = derive(words, salt)?;
            Ok(Sealer::with_key(&key))
        }
    }
}

/// A new sealer for `key` and the `encryption` row that goes with it.
fn new_sealer(key: &StoreKey) -> Result<(Sealer, Option<Vec<u8>>, Vec<u8>)> {
    let salt = match key {
        StoreKey::Key(_) => None,
        StoreKey::Passphrase(_) => Some(tandem_protocol::random::bytes::<16>().to_vec()),
    };
    let sealer = sealer_for(key, salt.as_deref())?;
    let check = sealer.seal(At::KeyCheck, CHECK).into_owned();
    Ok((sealer, salt, check))
}

/// Opens the store's values for this session. A sealed store needs its key (a wrong one is
/// refused before anything is written); a plain store given a key is sealed in place first.
pub(crate) fn unlock(conn: &mut Connection, key: Option<&StoreKey>) -> Result<Sealer> {
    // Never a plaintext temporary file (sorting, vacuum).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    match (read_row(conn)?, key) {
        (None, None) => Ok(Sealer::plain()),
        (Some(_), None) => Err(Error::KeyNeeded),
        (Some(row), Some(key)) => {
            let sealer = check_key(&row, key)?;
            if !row.clean {
                // Another program may have the store open; the next open tries again.
                if let Err(err) = vacuum(conn) {
                    tracing::warn!(%err, "the store's plain pages are not vacuumed away yet");
                }
            }
            Ok(sealer)
        }
        (None, Some(key)) => match reseal(conn, None, &Sealer::plain(), key)? {
            Some(sealer) => Ok(sealer),
            // Another program encrypted it meanwhile: open it as it is now.
            None => unlock(conn, Some(key)),
        },
    }
}

/// Held while a store is open (shared) or its key changes (exclusive), on a file beside it:
/// a key never changes under an open store, whose writes would then be sealed with the old key.
pub(crate) struct KeyLock(#[allow(dead_code)] std::fs::File);

impl KeyLock {
    fn file(path: &std::path::Path) -> Result<std::fs::File> {
        let mut name = path.as_os_str().to_owned();
        name.push(".keylock");
        Ok(std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(std::path::PathBuf::from(name))?)
    }

    /// For an open store: waits while the key is being changed.
    pub(crate) fn shared(path: &std::path::Path) -> Result<KeyLock> {
        let file = KeyLock::file(path)?;
        file.lock_shared()?;
        Ok(KeyLock(file))
    }

    /// For changing the key, or erasing the store: refused while the store is open anywhere.
    pub(crate) fn exclusive(path: &std::path::Path) -> Result<KeyLock> {
        let file = KeyLock::file(path)?;
        match file.try_lock() {
            Ok(()) => Ok(KeyLock(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::NotPermitted(
                "the store is open in another program (the app, or a live sync): close it \
                 first; nothing was changed"
                    .into(),
            )),
            Err(std::fs::TryLockError::Error(err)) => Err(err.into()),
        }
    }
}

fn check_key(row: &Encryption, key: &StoreKey) -> Result<Sealer> {
    let sealer = sealer_for(key, row.salt.as_deref())?;
    if sealer.open(At::KeyCheck, &row.key_check).is_err() {
        return Err(Error::WrongKey(match (key.source(), row.source.as_str()) {
            (PASSPHRASE, PASSPHRASE) => "this passphrase does not open this store".into(),
            (_, PASSPHRASE) => "this store opens with a passphrase, not a key".into(),
            _ => "this key does not open this store".into(),
        }));
    }
    Ok(sealer)
}

/// Changes the key of a closed store: `old` opens it (`None` for a plain store), `new` seals
/// it from then on. Nothing changes unless `old` opens it; a crash leaves it with one key or
/// the other, whole.
pub fn rekey(path: &std::path::Path, old: Option<&StoreKey>, new: &StoreKey) -> Result<()> {
    if !path.exists() {
        return Err(Error::not_found("store", path.display().to_string()));
    }
    let _lock = KeyLock::exclusive(path)?;
    let mut conn = super::db::open(path)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    let row = read_row(&conn)?;
    let current = match (&row, old) {
        (None, None) => Sealer::plain(),
        (None, Some(_)) => {
            return Err(Error::WrongKey(
                "this store is not encrypted: it has no key to change".into(),
            ))
        }
        (Some(_), None) => return Err(Error::KeyNeeded),
        (Some(row), Some(old)) => check_key(row, old)?,
    };
    let expected = row.map(|r| r.key_check);
    match reseal(&mut conn, expected.as_deref(), &current, new)? {
        Some(_) => Ok(()),
        None => Err(Error::WrongKey(
            "the store's key changed while this ran".into(),
        )),
    }
}

/// Whether `key` opens the store at `path` (any key opens a plain store, which it would then
/// encrypt). Reads the key check only: slow only for a passphrase (Argon2id).
pub fn opens(path: &std::path::Path, key: &StoreKey) -> Result<bool> {
    if !path.exists() {
        return Ok(true);
    }
    let conn = super::db::open(path)?;
    match read_row(&conn)? {
        None => Ok(true),
        Some(row) => match check_key(&row, key) {
            Ok(_) => Ok(true),
            Err(Error::WrongKey(_)) => Ok(false),
            Err(other) => Err(other),
        },
    }
}

/// How an encrypted store's key is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// A random key a platform keeps (a vault, a keyring).
    Key,
    /// A passphrase the person types.
    Passphrase,
}

/// How the store at `path` opens: `None` for a plain store (or none there yet).
pub fn key_source(path: &std::path::Path) -> Result<Option<KeySource>> {
    if !path.exists() {
        return Ok(None);
    }
    let conn = super::db::open(path)?;
    Ok(read_row(&conn)?.map(|row| match row.source.as_str() {
        PASSPHRASE => KeySource::Passphrase,
        _ => KeySource::Key,
    }))
}

/// Whether the store at `path` is encrypted (it needs a key to open).
pub fn is_encrypted(path: &std::path::Path) -> Result<bool> {
    if !path.exists() {
        return Ok(false);
    }
    let conn = super::db::open(path)?;
    Ok(read_row(&conn)?.is_some())
}

/// Re-seals every sealed value with `key` in one transaction, records the new key's row, then
/// vacuums what was there before out of the files. `expected` is the key check `from` was
/// chosen by (`None`: a plain store); if another program changed it meanwhile, nothing is done
/// and the answer is `None`.
fn reseal(
    conn: &mut Connection,
    expected: Option<&[u8]>,
    from: &Sealer,
    key: &StoreKey,
) -> Result<Option<Sealer>> {
    let (to, salt, check) = new_sealer(key)?;
    // Freed cells are zeroed as they go, and then the database is rewritten whole.
    conn.pragma_update(None, "secure_delete", true)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let now: Option<Vec<u8>> = tx
        .query_row("SELECT key_check FROM encryption WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    if now.as_deref() != expected {
        return Ok(None); // the transaction rolls back
    }
    let keys: Vec<Vec<u8>> = tx
        .prepare("SELECT key FROM kv")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for key in keys {
        let value = tandem_storage::kv::get(&tx, &key)?.unwrap_or_default();
        let plain = from.open(At::Row(&key), &value)?;
        tandem_storage::kv::put(&tx, &key, &to.seal(At::Row(&key), &plain))?;
    }
    let device_key: Option<Vec<u8>> = tx
        .query_row(
            "SELECT device_secret_key FROM identity WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(stored) = device_key {
        let plain = Zeroizing::new(from.open(At::DeviceKey, &stored)?.into_owned());
        tx.execute(
            "UPDATE identity SET device_secret_key = ?1 WHERE id = 1",
            [to.seal(At::DeviceKey, &plain).as_ref()],
        )?;
    }
    let months: Vec<(String, Vec<u8>)> = tx
        .prepare("SELECT doc_id, check_ins FROM month_check_ins")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (doc_id, stored) in months {
        let plain = from.open(At::MonthCopy(&doc_id), &stored)?;
        tx.execute(
            "UPDATE month_check_ins SET check_ins = ?1 WHERE doc_id = ?2",
            params![to.seal(At::MonthCopy(&doc_id), &plain).as_ref(), doc_id],
        )?;
    }
    let states: Vec<(String, String, Vec<u8>)> = tx
        .prepare("SELECT peer, doc_id, state FROM peer_sync_state")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (peer, doc_id, stored) in states {
        let at = At::SyncState {
            peer: &peer,
            doc_id: &doc_id,
        };
        let plain = from.open(at, &stored)?;
        tx.execute(
            "UPDATE peer_sync_state SET state = ?1 WHERE peer = ?2 AND doc_id = ?3",
            params![to.seal(at, &plain).as_ref(), peer, doc_id],
        )?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO encryption (id, scheme, key_source, salt, key_check, clean)
         VALUES (1, ?1, ?2, ?3, ?4, 0)",
        params![SCHEME, key.source(), salt, check],
    )?;
    tx.commit()?;
    // Sealed now. If another program holds the store open (it may, when a store is encrypted
    // on opening), the vacuum waits for the next open: `clean` stays 0 until it is done.
    if let Err(err) = vacuum(conn) {
        tracing::warn!(%err, "the store's plain pages are not vacuumed away yet");
    }
    conn.pragma_update(None, "secure_delete", false)?;
    Ok(Some(to))
}

/// Rewrites the database whole and empties its write-ahead log, so no page or log frame keeps
/// a value from before it was sealed; then marks the store clean.
fn vacuum(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.execute_batch("VACUUM")?;
    conn.execute("UPDATE encryption SET clean = 1 WHERE id = 1", [])?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::{LifeArea, Outcome, ValueInput};
    use crate::store::test_support::{check, evening, walk};
    use crate::store::{Clock, OpenOptions, Store};

    /// Words no automerge compression could hide: short, fresh, in small edits.
    const VALUE: &str = "Marmalade-on-Sundays";
    const NOTE: &str = "Quokka-sized-worries";

    fn open(dir: &tempfile::TempDir, key: Option<&StoreKey>) -> Result<Store> {
        Store::open(
            dir.path().join("store.db"),
            OpenOptions {
                time_zone: Some("Europe/London".into()),
                clock: Clock::fixed(evening("2027-01-20")),
                key: key.cloned(),
                ..Default::default()
            },
        )
    }

    /// A person's words: a value, and a check-in with a note in a month now past, read back
    /// (so its month's copy is written too).
    fn write_words(store: &Store) {
        store
            .add_value(&ValueInput {
                text: VALUE.into(),
                life_area: LifeArea::Family,
                importance: 8,
            })
            .unwrap();
        let plan = store.add_plan(&walk(None)).unwrap();
        let mut input = check(&plan, "2026-11-04", Outcome::NotDone);
        input.note = Some(NOTE.into());
        store.check_in(&input).unwrap();
        store.lock_docs().clear(); // months are then read from disk, and copied
        let check_ins = store
            .check_ins(chrono::NaiveDate::MIN, chrono::NaiveDate::MAX)
            .unwrap();
        assert!(check_ins.iter().any(|c| c.note.as_deref() == Some(NOTE)));
    }

    /// Every file of the store (database, write-ahead log, shared memory, journal) holding
    /// `needle`.
    fn files_holding(dir: &tempfile::TempDir, needle: &[u8]) -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|path| {
                let bytes = std::fs::read(path).unwrap();
                bytes.windows(needle.len()).any(|w| w == needle)
            })
            .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    fn secret_key(store: &Store) -> [u8; 32] {
        *store.me.signing_key.seed()
    }

    fn has_value(store: &Store) -> bool {
        store
            .journey()
            .unwrap()
            .values
            .iter()
            .any(|v| v.text == VALUE)
    }

    #[test]
    fn a_word_typed_is_in_a_plain_stores_files_and_in_no_file_of_an_encrypted_one() {
        for key in [None, Some(StoreKey::random())] {
            let dir = tempfile::tempdir().unwrap();
            let store = open(&dir, key.as_ref()).unwrap();
            write_words(&store);
            let secret = secret_key(&store);
            let found_open = [
                files_holding(&dir, VALUE.as_bytes()),
                files_holding(&dir, NOTE.as_bytes()),
                files_holding(&dir, &secret),
            ];
            drop(store);
            let found_closed = [
                files_holding(&dir, VALUE.as_bytes()),
                files_holding(&dir, NOTE.as_bytes()),
                files_holding(&dir, &secret),
            ];
            if key.is_none() {
                // The check can fail: a plain store shows each of them.
                for found in found_open.iter().chain(&found_closed) {
                    assert!(!found.is_empty(), "a plain store hides nothing");
                }
            } else {
                assert_eq!(found_open, [vec![], vec![], vec![]] as [Vec<String>; 3]);
                assert_eq!(found_closed, [vec![], vec![], vec![]] as [Vec<String>; 3]);
                let store = open(&dir, key.as_ref()).unwrap();
                assert!(store.is_encrypted() && has_value(&store));
                assert_eq!(secret_key(&store), secret);
            }
        }
    }

    #[test]
    fn a_wrong_key_or_none_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let key = StoreKey::random();
        write_words(&open(&dir, Some(&key)).unwrap());
        let before = std::fs::read(dir.path().join("store.db")).unwrap();
        let wrong = StoreKey::random();
        assert!(matches!(open(&dir, Some(&wrong)), Err(Error::WrongKey(_))));
        assert!(matches!(open(&dir, None), Err(Error::KeyNeeded)));
        let passphrase = StoreKey::passphrase("correct horse").unwrap();
        let Err(Error::WrongKey(said)) = open(&dir, Some(&passphrase)) else {
            panic!("a passphrase opened a store sealed with a key");
        };
        assert!(said.contains("with a key, not a passphrase"), "{said}");
        assert_eq!(std::fs::read(dir.path().join("store.db")).unwrap(), before);
        assert!(has_value(&open(&dir, Some(&key)).unwrap()));
    }

    #[test]
    fn a_plain_store_is_encrypted_in_place_on_first_open_with_a_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir, None).unwrap();
        write_words(&store);
        let secret = secret_key(&store);
        drop(store);
        assert!(!files_holding(&dir, VALUE.as_bytes()).is_empty());
        let key = StoreKey::random();
        let store = open(&dir, Some(&key)).unwrap();
        assert!(store.is_encrypted() && has_value(&store));
        assert_eq!(secret_key(&store), secret, "the same device");
        let check_ins = store
            .check_ins(chrono::NaiveDate::MIN, chrono::NaiveDate::MAX)
            .unwrap();
        assert!(check_ins.iter().any(|c| c.note.as_deref() == Some(NOTE)));
        for needle in [VALUE.as_bytes(), NOTE.as_bytes(), &secret] {
            assert!(files_holding(&dir, needle).is_empty());
        }
        drop(store);
        assert!(matches!(open(&dir, None), Err(Error::KeyNeeded)));
    }

    #[test]
    fn a_passphrase_opens_its_store_and_the_key_can_be_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let first = StoreKey::passphrase("first words").unwrap();
        write_words(&open(&dir, Some(&first)).unwrap());
        let Err(Error::WrongKey(said)) = open(&dir, Some(&StoreKey::passphrase("other").unwrap()))
        else {
            panic!("a wrong passphrase opened the store");
        };
        assert_eq!(said, "this passphrase does not open this store");
        // From a passphrase to a platform key, then to another passphrase.
        let key = StoreKey::random();
        assert!(matches!(
            rekey(&path, Some(&StoreKey::random()), &key),
            Err(Error::WrongKey(_))
        ));
        rekey(&path, Some(&first), &key).unwrap();
        assert!(matches!(open(&dir, Some(&first)), Err(Error::WrongKey(_))));
        assert!(has_value(&open(&dir, Some(&key)).unwrap()));
        let second = StoreKey::passphrase("second words").unwrap();
        rekey(&path, Some(&key), &second).unwrap();
        assert!(matches!(open(&dir, Some(&key)), Err(Error::WrongKey(_))));
        let store = open(&dir, Some(&second)).unwrap();
        assert!(has_value(&store));
        let check_ins = store
            .check_ins(chrono::NaiveDate::MIN, chrono::NaiveDate::MAX)
            .unwrap();
        assert!(check_ins.iter().any(|c| c.note.as_deref() == Some(NOTE)));
        drop(store);
        assert!(files_holding(&dir, VALUE.as_bytes()).is_empty());
    }

    #[test]
    fn empty_passphrases_and_short_keys_are_refused() {
        assert!(matches!(StoreKey::passphrase("  "), Err(Error::Invalid(_))));
        assert!(matches!(
            StoreKey::from_bytes(&[1; 16]),
            Err(Error::Invalid(_))
        ));
        assert!(StoreKey::from_bytes(&[1; 32]).is_ok());
    }

    #[test]
    fn a_row_moved_under_another_key_does_not_open() {
        let sealer = Sealer::with_key(&[7; 32]);
        let sealed = sealer
            .seal(At::Row(b"a/incremental/1"), b"words")
            .into_owned();
        assert_eq!(
            &*sealer.open(At::Row(b"a/incremental/1"), &sealed).unwrap(),
            b"words"
        );
        assert!(sealer.open(At::Row(b"b/incremental/1"), &sealed).is_err());
        assert!(sealer.open(At::DeviceKey, &sealed).is_err());
        assert!(sealer
            .open(At::Row(b"a/incremental/1"), &sealed[..10])
            .is_err());
    }
}

#[cfg(test)]
mod lock_tests {
    use super::*;
    use crate::store::{OpenOptions, Store};

    #[test]
    fn the_key_of_an_open_store_cannot_change_under_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let store = Store::open(&path, OpenOptions::default()).unwrap();
        let key = StoreKey::random();
        let Err(Error::NotPermitted(said)) = rekey(&path, None, &key) else {
            panic!("the key changed under an open store");
        };
        assert!(said.contains("open in another program"), "{said}");
        assert!(!is_encrypted(&path).unwrap(), "nothing was changed");
        drop(store);
        rekey(&path, None, &key).unwrap();
        assert!(Store::open(
            &path,
            OpenOptions {
                key: Some(key),
                ..Default::default()
            }
        )
        .unwrap()
        .is_encrypted());
    }
}
