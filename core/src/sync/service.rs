//! Staying in sync while the app is online: a background task that runs a sync session when the
//! app goes online, soon after each edit, and every little while for others' edits; that backs
//! off when the server cannot be reached; and that reports its status as a stream.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::session::{sync_now, SyncState, SyncStatus};
use crate::store::Store;

/// How often an online device looks for others' edits when it has none of its own to send.
pub const POLL_EVERY: Duration = Duration::from_secs(30);
/// The first wait after a failed session; it doubles up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Edits made within this long of each other go in one session.
const GATHER_EDITS: Duration = Duration::from_millis(200);

/// The background sync of one store. Dropping it stops the task.
pub struct SyncService {
    online: watch::Sender<bool>,
    status: watch::Receiver<SyncStatus>,
    task: JoinHandle<()>,
}

impl SyncService {
    /// Starts the service, offline, on the current tokio runtime.
    pub fn start(store: Arc<Store>) -> SyncService {
        let (online, online_rx) = watch::channel(false);
        let last_synced_at = store.server().ok().flatten().and_then(|s| s.last_synced_at);
        let (status_tx, status) = watch::channel(SyncStatus {
            state: SyncState::Offline,
            last_synced_at,
            last_error: None,
        });
        let task = tokio::spawn(run(store, online_rx, status_tx));
        SyncService {
            online,
            status,
            task,
        }
    }

    /// Tells the service whether the device is online (the app knows; the core does not).
    pub fn set_online(&self, online: bool) {
        let _ = self.online.send(online);
    }

    /// The current status, and every change to it (`changed().await`).
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Stops the task (a session under way is cut off; what it received is on disk or will be
    /// fetched again next time).
    pub fn stop(self) {
        self.task.abort();
    }
}

impl Drop for SyncService {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(
    store: Arc<Store>,
    mut online: watch::Receiver<bool>,
    status: watch::Sender<SyncStatus>,
) {
    let mut backoff = FIRST_BACKOFF;
    let mut changes = store.watch_changes();
    loop {
        // Offline: wait to be told otherwise.
        while !*online.borrow_and_update() {
            status.send_modify(|s| s.state = SyncState::Offline);
            if online.changed().await.is_err() {
                return;
            }
        }
        let publish = |next: SyncStatus| {
            status.send_modify(|s| {
                s.state = next.state;
                if next.last_synced_at.is_some() {
                    s.last_synced_at = next.last_synced_at;
                }
                if next.state != SyncState::Offline {
                    s.last_error = None;
                }
                if next.last_error.is_some() {
                    s.last_error = next.last_error;
                }
            })
        };
        let wait = match sync_now(&store, &publish).await {
            Ok(_) => {
                backoff = FIRST_BACKOFF;
                let synced = store.server().ok().flatten().and_then(|s| s.last_synced_at);
                status.send_modify(|s| s.last_synced_at = synced);
                None
            }
            Err(_) => {
                let wait = backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                Some(wait)
            }
        };
        match wait {
            // Up to date: go again after an edit, a while, or a change of online state.
            None => {
                tokio::select! {
                    _ = local_edit(&mut changes) => tokio::time::sleep(GATHER_EDITS).await,
                    _ = tokio::time::sleep(POLL_EVERY) => {}
                    changed = online.changed() => if changed.is_err() { return },
                }
            }
            // Failed: back off, unless the app says the network changed.
            Some(wait) => {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    changed = online.changed() => if changed.is_err() { return },
                }
            }
        }
    }
}

/// Resolves at the next edit made on this device (not at sessions' own notices).
async fn local_edit(changes: &mut watch::Receiver<crate::store::Changes>) {
    let seen = changes.borrow_and_update().local;
    while changes.changed().await.is_ok() {
        if changes.borrow_and_update().local != seen {
            return;
        }
    }
    std::future::pending::<()>().await
}
