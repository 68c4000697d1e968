//! `tandem key`: encryption at rest — encrypt a plain store, change its passphrase, or say
//! whether it is encrypted. These work on the store's file, not through an open store.

use serde::Serialize;
use tandem_core::store::seal::{self, KeySource};
use tandem_core::store::vault;
use tandem_core::StoreKey;

use crate::args::{Globals, KeyCommand};
use crate::keyring::{self, Keyring};
use crate::session::{self, Failure, NEW_PASSPHRASE_VAR, PASSPHRASE_VAR};

#[derive(Serialize)]
struct KeyStatus {
    store: String,
    encrypted: bool,
    /// `keyring` (a random key the desktop's keyring keeps) or `passphrase`; none when plain.
    key: Option<&'static str>,
}

/// The keyring, for a store whose key it keeps.
fn keyring_for_key() -> Result<Keyring, Failure> {
    Keyring::reach().ok_or_else(|| {
        Failure::Failed(
            "this store's key is kept in the desktop's keyring (the Secret Service), which \
             cannot be reached now: unlock your keyring and run this again"
                .into(),
        )
    })
}

pub fn key(globals: &Globals, command: KeyCommand) -> Result<String, Failure> {
    let path = session::store_file(globals.store.as_deref())?;
    let shown = path.display().to_string();
    let source = seal::key_source(&path)?;
    let encrypted = source.is_some();
    if !path.exists() && !matches!(command, KeyCommand::Status) {
        return Err(Failure::Failed(format!(
            "there is no store at {shown}: create one first (`tandem init`)"
        )));
    }
    let said = match command {
        KeyCommand::Status => {
            let status = KeyStatus {
                store: shown.clone(),
                encrypted,
                key: source.map(|s| match s {
                    KeySource::Key => "keyring",
                    KeySource::Passphrase => "passphrase",
                }),
            };
            if globals.json {
                return session::json(&status);
            }
            match source {
                Some(KeySource::Passphrase) => {
                    format!("{shown} is encrypted: it opens with its passphrase\n")
                }
                Some(KeySource::Key) => format!(
                    "{shown} is encrypted: it opens with the key your desktop's keyring keeps for it\n"
                ),
                None => format!("{shown} is not encrypted (`tandem key set` encrypts it)\n"),
            }
        }
        KeyCommand::Set { passphrase } => {
            if encrypted {
                return Err(Failure::Refused(
                    "this store is encrypted already: `tandem key change` changes its passphrase"
                        .into(),
                ));
            }
            if let Some(keyring) = Keyring::reach().filter(|_| !passphrase) {
                vault::rotate_with_vault(&path, &keyring, &keyring::name_of(&path))?;
                return Ok(format!(
                    "{shown} is encrypted: its key is kept in your desktop's keyring, which opens \
                     it from now on (`tandem key set --passphrase` would have used a passphrase)\n"
                ));
            }
            let new = new_passphrase()?;
            seal::rekey(&path, None, &new)?;
            format!("{shown} is encrypted: from now on it opens with its passphrase ({PASSPHRASE_VAR}, or asked)\n")
        }
        KeyCommand::Change if source == Some(KeySource::Key) => {
            let keyring = keyring_for_key()?;
            vault::rotate_with_vault(&path, &keyring, &keyring::name_of(&path))?;
            format!("{shown} has a new key, kept in your desktop's keyring\n")
        }
        KeyCommand::Change => {
            if !encrypted {
                return Err(Failure::Refused(
                    "this store is not encrypted: `tandem key set` encrypts it".into(),
                ));
            }
            let old = session::store_key(&path, false)?
                .ok_or_else(|| Failure::Failed("the current passphrase is needed".into()))?;
            let new = new_passphrase()?;
            seal::rekey(&path, Some(&old), &new)?;
            format!("{shown} now opens with its new passphrase\n")
        }
    };
    Ok(said)
}

/// `tandem erase-local --yes`: the store's files, gone.
pub fn erase_local(globals: &Globals, yes: bool) -> Result<String, Failure> {
    let path = session::store_file(globals.store.as_deref())?;
    if !path.exists() {
        return Err(Failure::Failed(format!(
            "there is no store at {}",
            path.display()
        )));
    }
    if !yes {
        return Err(Failure::Refused(format!(
            "this erases everything this device holds at {}; nothing here can bring it back \
             (what you synced stays on the server and your other devices): run it again with --yes",
            path.display()
        )));
    }
    tandem_core::store::erase_store(&path)?;
    forget_key(&path);
    Ok(format!("Erased {}.\n", path.display()))
}

/// Once a store's files are gone, the key the desktop's keyring kept for it goes too (a
/// keyring that cannot be reached now is said, not a failure: the files are gone).
pub fn forget_key(path: &std::path::Path) {
    let Some(keyring) = Keyring::reach() else {
        return;
    };
    if let Err(failure) = vault::forget(&keyring, &keyring::name_of(path)) {
        session::note(&format!(
            "the store is erased, but its key stays in the keyring: {}",
            failure.message()
        ));
    }
}

/// The new passphrase: `TANDEM_NEW_PASSPHRASE`, else typed twice on the terminal.
fn new_passphrase() -> Result<StoreKey, Failure> {
    if let Some(words) = std::env::var_os(NEW_PASSPHRASE_VAR).filter(|v| !v.is_empty()) {
        let words = words
            .into_string()
            .map_err(|_| Failure::Refused(format!("{NEW_PASSPHRASE_VAR} is not valid text")))?;
        return Ok(StoreKey::passphrase(words)?);
    }
    let instead =
        format!("set {NEW_PASSPHRASE_VAR} to the new passphrase, or run in a terminal to be asked");
    let first = session::read_passphrase("New passphrase: ", &instead)?;
    let again = session::read_passphrase("The same again: ", &instead)?;
    if *first != *again {
        return Err(Failure::Refused(
            "the two passphrases differ; nothing was changed".into(),
        ));
    }
    Ok(StoreKey::passphrase(first.as_str())?)
}
