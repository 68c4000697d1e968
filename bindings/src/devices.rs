//! A person's devices: listed, named, a lost one removed from another; a removed device erases
//! what it holds (`erase_store`).

use std::time::SystemTime;

use chrono::DateTime;
use tandem_core::sync::session;

use crate::error::TandemError;
use crate::runtime::run;
use crate::store::TandemStore;

/// One of the person's devices, as their server lists them.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Device {
    pub device_id: String,
    /// The name it gave itself, if it gave one.
    pub name: Option<String>,
    pub added_at: SystemTime,
    /// When it last called the server (to the minute), if it has.
    pub last_seen_at: Option<SystemTime>,
    /// Whether it is this device.
    pub this_device: bool,
}

/// When another person's device last synced this person's journey.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Looked {
    pub person_id: String,
    pub device_id: String,
    /// To the minute.
    pub last_at: SystemTime,
}

fn instant(seconds: i64) -> SystemTime {
    crate::convert::system_time(DateTime::from_timestamp(seconds, 0).unwrap_or_default())
}

#[uniffi::export]
impl TandemStore {
    /// The person's devices, oldest first. Network: async.
    pub async fn devices(&self) -> Result<Vec<Device>, TandemError> {
        let store = self.store();
        run(async move {
            Ok(session::devices(&store)
                .await?
                .into_iter()
                .map(|d| Device {
                    device_id: d.device_id,
                    name: d.name,
                    added_at: instant(d.added_at),
                    last_seen_at: d.last_seen_at.map(instant),
                    this_device: d.this_device,
                })
                .collect())
        })
        .await
    }

    /// Removes another of the person's devices (a lost phone) from their account: the server
    /// refuses it from now on and closes its connections at once; it learns so on its next
    /// contact (`RefusalReason.DEVICE_REMOVED`). This device cannot remove itself
    /// (`InvalidInput` on `device_id`). Network: async.
    pub async fn remove_device(&self, device_id: String) -> Result<(), TandemError> {
        let store = self.store();
        run(async move { Ok(session::remove_device(&store, &device_id).await?) }).await
    }

    /// Erases this person's account on their server: their documents, devices, links,
    /// consents and codes. The people they shared with delete their copies when they next sync;
    /// their other devices learn it on their next contact (`RefusalReason.ACCOUNT_ERASED`).
    /// Answers when. This store stays as it was: close it and `erase_store` it next.
    /// Network: async.
    pub async fn erase_account(&self) -> Result<SystemTime, TandemError> {
        let store = self.store();
        run(async move { Ok(instant(session::erase_account(&store).await?)) }).await
    }

    /// Who looked: when each other person's device last synced this person's journey (or a
    /// month of its check-ins), latest first. Network: async.
    pub async fn access_log(&self) -> Result<Vec<Looked>, TandemError> {
        let store = self.store();
        run(async move {
            Ok(session::access_log(&store)
                .await?
                .into_iter()
                .map(|e| Looked {
                    person_id: e.person_id,
                    device_id: e.device_id,
                    last_at: instant(e.last_at),
                })
                .collect())
        })
        .await
    }

    /// The name this device gives itself on the person's list ("Sam's phone"): 1 to 60
    /// characters. Network: async.
    pub async fn name_device(&self, name: String) -> Result<(), TandemError> {
        let store = self.store();
        run(async move { Ok(session::name_device(&store, &name).await?) }).await
    }
}

/// Erases the store at `path`, which must not be open (close every `TandemStore` on it
/// first): a device removed from its account, or a phone handed on. With a store encrypted
/// by a key the app's vault keeps, remove the key from the vault too.
#[uniffi::export]
pub fn erase_store(path: String) -> Result<(), TandemError> {
    Ok(tandem_core::store::erase_store(std::path::Path::new(
        &path,
    ))?)
}
