//! The sync connections open on this process, by device and person, so that a device removed
//! from its account (a lost phone) is cut off at once: here when it is removed through this
//! process, and on every other process when the change reaches it (`policy.rs` looks again at
//! the connections of the people whose memberships changed; `fanout.rs` carries that).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::directory::Directory;

/// The open connections.
#[derive(Default)]
pub struct Connections {
    open: Mutex<HashMap<u64, Open>>,
    next: AtomicU64,
}

struct Open {
    device_id: String,
    person_id: String,
    close: watch::Sender<Option<Closing>>,
}

/// Why a connection must end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    /// Its device was removed from its account.
    Removed,
}

/// One connection, registered until dropped; [`Registered::closed`] resolves when it must end.
pub struct Registered {
    /// The device, and whose it is.
    pub device_id: String,
    pub person_id: String,
    id: u64,
    connections: Arc<Connections>,
    closed: watch::Receiver<Option<Closing>>,
}

impl Registered {
    /// Resolves once the connection must be closed, with why.
    pub async fn closed(&mut self) -> Closing {
        let why = self
            .closed
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|why| *why);
        match why {
            Some(why) => why,
            // Never: the sender lives in the map until this is dropped.
            None => std::future::pending().await,
        }
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.connections.lock().remove(&self.id);
    }
}

impl Connections {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Open>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a connection of `device_id`, a device of `person_id`.
    pub fn register(self: &Arc<Self>, device_id: &str, person_id: &str) -> Registered {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (close, closed) = watch::channel(None);
        self.lock().insert(
            id,
            Open {
                device_id: device_id.to_string(),
                person_id: person_id.to_string(),
                close,
            },
        );
        Registered {
            device_id: device_id.to_string(),
            person_id: person_id.to_string(),
            id,
            connections: self.clone(),
            closed,
        }
    }

    /// How many connections are open.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes every connection of `device_id` (removed from its account).
    pub fn close_device(&self, device_id: &str) {
        self.close(device_id, Closing::Removed);
    }

    fn close(&self, device_id: &str, why: Closing) {
        for open in self.lock().values().filter(|o| o.device_id == device_id) {
            open.close.send_if_modified(|now| {
                let first = now.is_none();
                if first {
                    *now = Some(why);
                }
                first
            });
        }
    }

    /// Looks again at the connections of `people`'s devices and closes those of devices that
    /// belong to nobody now (removed from their account, or their account erased).
    pub async fn recheck(&self, directory: &Directory, people: &[String]) {
        let devices: Vec<String> = {
            let open = self.lock();
            let mut devices: Vec<String> = open
                .values()
                .filter(|o| people.contains(&o.person_id))
                .map(|o| o.device_id.clone())
                .collect();
            devices.sort();
            devices.dedup();
            devices
        };
        for device in devices {
            match directory.device_person(&device).await {
                Ok(None) => {
                    tracing::info!(%device, "closing the connections of a removed device");
                    self.close_device(&device);
                }
                Ok(Some(_)) => {}
                Err(err) => tracing::warn!(%err, %device, "could not look at a device"),
            }
        }
    }
}
