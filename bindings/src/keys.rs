//! Encryption at rest, as the apps use it: the store's key kept by the platform.
//!
//! A phone keeps a random 32-byte key for its store in its own key store — wrapped by the
//! Android Keystore, or in the iOS Keychain — through [`KeyVault`], which the app implements;
//! `open_store_with_vault` makes the key on first use and encrypts the store with it (a plain
//! store is encrypted in place). A person may instead choose a passphrase
//! ([`StoreKey::Passphrase`]). The core seals every value it stores (tandem-core's
//! `store/seal.rs`); a wrong key is refused (`TandemError::WrongKey`) before anything is
//! written, and a store opened without its key says so (`TandemError::KeyNeeded`).

use std::path::PathBuf;
use std::sync::Arc;

use tandem_core::store::{seal, vault};
use tandem_core::OpenOptions;

use crate::error::TandemError;
use crate::store::TandemStore;

/// The store's key, as the platform gives it.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum StoreKey {
    /// 32 random bytes the platform keeps (`new_store_key` makes them).
    Key { bytes: Vec<u8> },
    /// A passphrase the person types; the key is derived from it (Argon2id).
    Passphrase { words: String },
}

impl TryFrom<StoreKey> for tandem_core::StoreKey {
    type Error = TandemError;

    fn try_from(key: StoreKey) -> Result<Self, TandemError> {
        Ok(match key {
            StoreKey::Key { bytes } => tandem_core::StoreKey::from_bytes(&bytes)?,
            StoreKey::Passphrase { words } => tandem_core::StoreKey::passphrase(words)?,
        })
    }
}

/// Where the platform keeps keys: implemented by the app over the Android Keystore or the iOS
/// Keychain. Names are the app's own (one per store). Called on the caller's thread.
#[uniffi::export(foreign)]
pub trait KeyVault: Send + Sync {
    /// The key kept under `name`, or none.
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, TandemError>;
    /// Keeps `key` under `name`, replacing any key there.
    fn save(&self, name: String, key: Vec<u8>) -> Result<(), TandemError>;
    /// Forgets the key under `name` (nothing when there is none).
    fn remove(&self, name: String) -> Result<(), TandemError>;
}

/// The app's vault, as the core's rule for vaults uses it (tandem-core's `store/vault.rs`).
struct AppVault<'a>(&'a dyn KeyVault);

impl vault::Vault for AppVault<'_> {
    type Error = TandemError;

    fn load(&self, name: &str) -> Result<Option<Vec<u8>>, TandemError> {
        self.0.load(name.to_string())
    }

    fn save(&self, name: &str, key: &[u8]) -> Result<(), TandemError> {
        self.0.save(name.to_string(), key.to_vec())
    }

    fn remove(&self, name: &str) -> Result<(), TandemError> {
        self.0.remove(name.to_string())
    }
}

/// A new random key for a store, for the platform to keep.
#[uniffi::export]
pub fn new_store_key() -> Vec<u8> {
    tandem_core::StoreKey::random()
        .bytes()
        .map(|b| b.to_vec())
        .unwrap_or_default()
}

/// Whether the store at `path` is encrypted (needs its key to open). Quick.
#[uniffi::export]
pub fn is_store_encrypted(path: String) -> Result<bool, TandemError> {
    Ok(seal::is_encrypted(&PathBuf::from(path))?)
}

/// Changes the key of the store at `path`, which must not be open: `old` opens it (none for a
/// plain store, which is then encrypted), `new` from then on. A crash midway leaves it whole,
/// with one key or the other. Slow for a large store (it re-seals every value): call it off
/// the UI thread.
#[uniffi::export]
pub fn change_store_key(
    path: String,
    old: Option<StoreKey>,
    new: StoreKey,
) -> Result<(), TandemError> {
    let old = old.map(tandem_core::StoreKey::try_from).transpose()?;
    seal::rekey(&PathBuf::from(path), old.as_ref(), &new.try_into()?)?;
    Ok(())
}

/// Opens the store at `path` with the key `vault` keeps under `name`: on first use it makes
/// one, keeps it, and encrypts the store with it (a plain store in place). If a key change was
/// cut short, the key it was changing to is found and kept. A store whose key the vault no
/// longer has cannot be opened (`KeyNeeded`). Slow on first use for a large store: call it off
/// the UI thread.
#[uniffi::export(default(time_zone = None, trusted_certificates = None))]
pub fn open_store_with_vault(
    path: String,
    vault: Arc<dyn KeyVault>,
    name: String,
    time_zone: Option<String>,
    trusted_certificates: Option<String>,
) -> Result<Arc<TandemStore>, TandemError> {
    let options = OpenOptions {
        time_zone,
        trusted_certificates,
        ..OpenOptions::default()
    };
    let store = vault::open_with_vault(&PathBuf::from(path), &AppVault(&*vault), &name, options)?;
    Ok(TandemStore::new(store))
}

/// Gives the store at `path` (not open) a new random key, kept by `vault` under `name` in
/// place of the old one. The new key is kept before the store changes to it, so a crash
/// midway loses neither. Slow for a large store: call it off the UI thread.
#[uniffi::export]
pub fn rotate_store_key(
    path: String,
    vault: Arc<dyn KeyVault>,
    name: String,
) -> Result<(), TandemError> {
    vault::rotate_with_vault(&PathBuf::from(path), &AppVault(&*vault), &name)
}
