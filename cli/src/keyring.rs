//! The desktop's keyring: where the command line keeps a store's key, through the Secret
//! Service (GNOME Keyring, KWallet, KeePassXC ...) — not the kernel's keyutils, which forget
//! at a reboot.
//!
//! Each store has one item: attributes `service` = [`SERVICE`] and `username` = the store
//! file's absolute path (so a moved store is opened with its passphrase-less key no more:
//! move it back, or `tandem key` it again), its secret the 32-byte key in base64 (text, so
//! `secret-tool lookup service org.tandem.store username PATH` shows it, and the desktop app
//! reads the same item). A key being changed to waits under `PATH.next` (tandem-core's
//! `store/vault.rs`).
//!
//! `TANDEM_KEYRING=off` leaves the keyring alone (the tests set it, so that a developer's
//! keyring does not fill with their temporary stores).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use tandem_core::store::vault::Vault;

use crate::session::Failure;

/// The items' `service` attribute.
pub const SERVICE: &str = "org.tandem.store";
/// `off` leaves the keyring alone.
pub const KEYRING_VAR: &str = "TANDEM_KEYRING";

/// A reachable Secret Service.
pub struct Keyring {
    store: Arc<CredentialStore>,
}

impl Keyring {
    /// The desktop's keyring, when a Secret Service answers on the session bus (and
    /// `TANDEM_KEYRING` is not `off`).
    pub fn reach() -> Option<Keyring> {
        if std::env::var(KEYRING_VAR).is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
            return None;
        }
        let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new().ok()?;
        Some(Keyring { store })
    }

    fn entry(&self, name: &str) -> Result<Entry, Failure> {
        let label = format!("Tandem: the key of the store {name}");
        let modifiers = HashMap::from([("label", label.as_str())]);
        Entry::new_in_store_with_modifiers(&self.store, SERVICE, name, &modifiers).map_err(failed)
    }
}

/// The keyring's name for the store at `path`: its absolute path.
pub fn name_of(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn failed(err: KeyringError) -> Failure {
    Failure::Failed(format!("the desktop's keyring: {err}"))
}

impl Vault for Keyring {
    type Error = Failure;

    fn load(&self, name: &str) -> Result<Option<Vec<u8>>, Failure> {
        match self.entry(name)?.get_password() {
            Ok(text) => base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map(Some)
                .map_err(|_| {
                    Failure::Failed(format!(
                        "the desktop's keyring holds something that is not a key for {name}"
                    ))
                }),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(err) => Err(failed(err)),
        }
    }

    fn save(&self, name: &str, key: &[u8]) -> Result<(), Failure> {
        let text = base64::engine::general_purpose::STANDARD.encode(key);
        self.entry(name)?.set_password(&text).map_err(failed)
    }

    fn remove(&self, name: &str) -> Result<(), Failure> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(err) => Err(failed(err)),
        }
    }
}
