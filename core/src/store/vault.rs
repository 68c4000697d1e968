//! A store whose key the platform keeps: one rule for every host.
//!
//! The Android Keystore, the iOS Keychain (through the bindings' `KeyVault`) and the desktop's
//! keyring (the command line, through the Secret Service) each keep a random 32-byte key per
//! store, under a name of the host's choosing. [`open_with_vault`] makes the key on first use
//! and seals the store with it (a plain store in place); [`rotate_with_vault`] gives the store a
//! new key. The new key is always kept under `<name>.next` before the store changes to it, and
//! moved to `<name>` after, so a crash at any point loses neither: the next open finds which
//! key opens the store and finishes the move.

use std::path::Path;

use super::seal::{self, StoreKey};
use super::{OpenOptions, Store};
use crate::error::Error;

/// Where a platform keeps store keys, by name. `Error` is the host's own, which the core's
/// errors become (so a host's failure reaches its caller as it was).
pub trait Vault {
    type Error: From<Error>;
    /// The key kept under `name`, or none.
    fn load(&self, name: &str) -> Result<Option<Vec<u8>>, Self::Error>;
    /// Keeps `key` under `name`, replacing any key there.
    fn save(&self, name: &str, key: &[u8]) -> Result<(), Self::Error>;
    /// Forgets the key under `name` (nothing when there is none).
    fn remove(&self, name: &str) -> Result<(), Self::Error>;
}

/// Where a key waits while a store changes to it.
pub fn next_name(name: &str) -> String {
    format!("{name}.next")
}

fn key_of(bytes: &[u8]) -> Result<StoreKey, Error> {
    StoreKey::from_bytes(bytes)
}

/// A new random key and its bytes, for the vault.
fn random_key() -> (StoreKey, Vec<u8>) {
    let key = StoreKey::random();
    let bytes = key.bytes().map(|b| b.to_vec()).unwrap_or_default();
    (key, bytes)
}

/// The store's key from `vault`, finishing a change of key cut short; `None` when the vault
/// has none for it. `Err(KeyNeeded)` for an encrypted store whose key the vault has lost.
/// With `make`, a store without a key gets a new one, kept first.
pub fn key_from_vault<V: Vault>(
    path: &Path,
    vault: &V,
    name: &str,
    make: bool,
) -> Result<Option<StoreKey>, V::Error> {
    let encrypted = seal::is_encrypted(path)?;
    let Some(bytes) = vault.load(name)? else {
        if let Some(next) = vault.load(&next_name(name))? {
            // A first encryption cut short: the key waiting is the one (or the store is
            // still plain, and takes it now).
            if !encrypted || seal::opens(path, &key_of(&next)?)? {
                vault.save(name, &next)?;
                vault.remove(&next_name(name))?;
                return Ok(Some(key_of(&next)?));
            }
        }
        if encrypted {
            return Err(Error::KeyNeeded.into());
        }
        if !make {
            return Ok(None);
        }
        let (key, bytes) = random_key();
        vault.save(name, &bytes)?;
        return Ok(Some(key));
    };
    let key = key_of(&bytes)?;
    if !encrypted || seal::opens(path, &key)? {
        // A change of key cut short at its last step leaves the same key waiting too.
        if vault
            .load(&next_name(name))?
            .is_some_and(|next| next == bytes)
        {
            vault.remove(&next_name(name))?;
        }
        return Ok(Some(key));
    }
    // A change of key cut short after the store took the new key: it is waiting.
    match vault.load(&next_name(name))? {
        Some(next) if seal::opens(path, &key_of(&next)?)? => {
            vault.save(name, &next)?;
            vault.remove(&next_name(name))?;
            Ok(Some(key_of(&next)?))
        }
        _ => Err(Error::WrongKey("the key kept for this store does not open it".into()).into()),
    }
}

/// Opens the store at `path` with the key `vault` keeps under `name`: on first use it makes
/// one, keeps it, and encrypts the store with it (a plain store in place). Slow on first use
/// for a large store.
pub fn open_with_vault<V: Vault>(
    path: &Path,
    vault: &V,
    name: &str,
    options: OpenOptions,
) -> Result<Store, V::Error> {
    let key = key_from_vault(path, vault, name, true)?;
    Ok(Store::open(path, OpenOptions { key, ..options })?)
}

/// Gives the closed store at `path` a new random key, kept by `vault` under `name` in place
/// of the old one (a plain store is encrypted). A crash midway loses neither key.
pub fn rotate_with_vault<V: Vault>(path: &Path, vault: &V, name: &str) -> Result<(), V::Error> {
    let old = key_from_vault(path, vault, name, false)?;
    // A plain store's key not yet used (a first encryption cut short) opens nothing yet.
    let old = if seal::is_encrypted(path)? { old } else { None };
    let (new, bytes) = random_key();
    vault.save(&next_name(name), &bytes)?;
    seal::rekey(path, old.as_ref(), &new)?;
    vault.save(name, &bytes)?;
    vault.remove(&next_name(name))?;
    Ok(())
}

/// Forgets the keys `vault` keeps for a store, once its files are gone.
pub fn forget<V: Vault>(vault: &V, name: &str) -> Result<(), V::Error> {
    vault.remove(name)?;
    vault.remove(&next_name(name))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;
    use crate::journey::{LifeArea, ValueInput};

    /// A vault in memory.
    #[derive(Default)]
    struct Memory(RefCell<HashMap<String, Vec<u8>>>);

    impl Vault for Memory {
        type Error = Error;
        fn load(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
            Ok(self.0.borrow().get(name).cloned())
        }
        fn save(&self, name: &str, key: &[u8]) -> Result<(), Error> {
            self.0.borrow_mut().insert(name.into(), key.to_vec());
            Ok(())
        }
        fn remove(&self, name: &str) -> Result<(), Error> {
            self.0.borrow_mut().remove(name);
            Ok(())
        }
    }

    fn options() -> OpenOptions {
        OpenOptions {
            time_zone: Some("Europe/London".into()),
            ..OpenOptions::default()
        }
    }

    /// A store with one value, opened through `vault` (made, encrypted), then closed.
    fn a_store(dir: &tempfile::TempDir, vault: &Memory) -> std::path::PathBuf {
        let path = dir.path().join("store.db");
        let store = open_with_vault(&path, vault, "mine", options()).unwrap();
        store
            .add_value(&ValueInput {
                text: "Gannets-off-the-headland".into(),
                life_area: LifeArea::Health,
                importance: 6,
            })
            .unwrap();
        path
    }

    fn values(path: &Path, vault: &Memory) -> usize {
        let store = open_with_vault(path, vault, "mine", options()).unwrap();
        store.journey().unwrap().values.len()
    }

    #[test]
    fn a_first_open_makes_and_keeps_the_key_and_encrypts() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Memory::default();
        let path = a_store(&dir, &vault);
        assert!(seal::is_encrypted(&path).unwrap());
        assert_eq!(vault.load("mine").unwrap().map(|k| k.len()), Some(32));
        assert_eq!(values(&path, &vault), 1);
        // A vault that lost the key: the store says it needs it.
        assert!(matches!(
            key_from_vault(&path, &Memory::default(), "mine", true),
            Err(Error::KeyNeeded)
        ));
    }

    /// Every point a rotation can stop at: the store opens, with one key or the other, and
    /// the vault ends up keeping the one that opens it.
    #[test]
    fn a_rotation_cut_short_at_any_step_loses_no_key() {
        for stop in 0..3 {
            let dir = tempfile::tempdir().unwrap();
            let vault = Memory::default();
            let path = a_store(&dir, &vault);
            let old = vault.load("mine").unwrap().unwrap();
            let (new, bytes) = random_key();
            // The steps of rotate_with_vault, stopped after `stop` of them.
            vault.save(&next_name("mine"), &bytes).unwrap();
            if stop >= 1 {
                seal::rekey(&path, Some(&key_of(&old).unwrap()), &new).unwrap();
            }
            if stop >= 2 {
                vault.save("mine", &bytes).unwrap();
            }
            assert_eq!(values(&path, &vault), 1, "stopped after step {stop}");
            let kept = vault.load("mine").unwrap().unwrap();
            assert_eq!(kept, if stop >= 1 { bytes.clone() } else { old }, "{stop}");
            if stop >= 1 {
                assert!(vault.load(&next_name("mine")).unwrap().is_none());
            }
        }
    }

    #[test]
    fn a_first_encryption_by_rotation_cut_short_finds_the_waiting_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        drop(Store::open(&path, options()).unwrap());
        let vault = Memory::default();
        let (new, bytes) = random_key();
        vault.save(&next_name("mine"), &bytes).unwrap();
        seal::rekey(&path, None, &new).unwrap();
        // Stopped here: the store is sealed with the key waiting under `.next`.
        assert_eq!(values(&path, &vault), 0);
        assert_eq!(vault.load("mine").unwrap(), Some(bytes));
        rotate_with_vault(&path, &vault, "mine").unwrap();
        assert_eq!(values(&path, &vault), 0);
    }
}
