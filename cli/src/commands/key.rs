//! `tandem key`: encryption at rest — encrypt a plain store, change its passphrase, or say
//! whether it is encrypted. These work on the store's file, not through an open store.

use serde::Serialize;
use tandem_core::store::seal;
use tandem_core::StoreKey;

use crate::args::{Globals, KeyCommand};
use crate::session::{self, Failure, NEW_PASSPHRASE_VAR, PASSPHRASE_VAR};

#[derive(Serialize)]
struct KeyStatus {
    store: String,
    encrypted: bool,
}

pub fn key(globals: &Globals, command: KeyCommand) -> Result<String, Failure> {
    let path = session::store_file(globals.store.as_deref())?;
    let shown = path.display().to_string();
    let encrypted = seal::is_encrypted(&path)?;
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
            };
            if globals.json {
                return session::json(&status);
            }
            match encrypted {
                true => format!("{shown} is encrypted: it opens with its passphrase\n"),
                false => format!("{shown} is not encrypted (`tandem key set` encrypts it)\n"),
            }
        }
        KeyCommand::Set => {
            if encrypted {
                return Err(Failure::Refused(
                    "this store is encrypted already: `tandem key change` changes its passphrase"
                        .into(),
                ));
            }
            let new = new_passphrase()?;
            seal::rekey(&path, None, &new)?;
            format!("{shown} is encrypted: from now on it opens with its passphrase ({PASSPHRASE_VAR}, or asked)\n")
        }
        KeyCommand::Change => {
            if !encrypted {
                return Err(Failure::Refused(
                    "this store is not encrypted: `tandem key set` encrypts it".into(),
                ));
            }
            let old = session::store_key(encrypted)?
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
    Ok(format!("Erased {}.\n", path.display()))
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
