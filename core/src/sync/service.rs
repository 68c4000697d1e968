//! Staying in sync while the app is online: a background task that holds one live connection
//! (the sync engine) for as long as the app says it is online; that reconnects with backoff
//! when the connection fails (0.5 s doubling to 60 s, reset by a change of network); and that
//! reports its status as a stream.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::session::{sync_live, SyncState, SyncStatus};
use crate::store::Store;

/// The first wait after a failed connection; it doubles up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);

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
            last_refusal: None,
        });
        let task = tokio::spawn(run(store, online_rx, status_tx));
        SyncService {
            online,
            status,
            task,
        }
    }

    /// Tells the service whether the device is online (the app knows; the core does not).
    /// Saying online again while online means the network changed: the service reconnects at
    /// once, its backoff reset. Going to the background is `set_online(false)`.
    pub fn set_online(&self, online: bool) {
        let _ = self.online.send(online);
    }

    /// The current status, and every change to it (`changed().await`).
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Stops the task (a connection is cut off; what it received is on disk, and what it did
    /// not is fetched again next time).
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
    loop {
        // Offline: wait to be told otherwise.
        while !*online.borrow_and_update() {
            status.send_modify(|s| s.state = SyncState::Offline);
            if online.changed().await.is_err() {
                return;
            }
        }
        let went_live = std::sync::atomic::AtomicBool::new(false);
        let on_state = |state: SyncState| {
            if state == SyncState::Live {
                went_live.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            let synced = store.server().ok().flatten().and_then(|s| s.last_synced_at);
            status.send_modify(|s| {
                s.state = state;
                if state == SyncState::Live {
                    s.last_error = None;
                    s.last_refusal = None;
                    s.last_synced_at = synced;
                }
            });
        };
        let (stop_tx, stop_rx) = watch::channel(false);
        let conversation = sync_live(&store, stop_rx, &on_state, &|_| {});
        tokio::pin!(conversation);
        let mut network_changed = false;
        let outcome = tokio::select! {
            outcome = &mut conversation => outcome,
            changed = online.changed() => {
                if changed.is_err() {
                    return;
                }
                // Offline, or another network: close cleanly, then see.
                network_changed = true;
                let _ = stop_tx.send(true);
                conversation.await
            }
        };
        if went_live.load(std::sync::atomic::Ordering::Relaxed) || network_changed {
            backoff = FIRST_BACKOFF;
        }
        if let Err(err) = outcome {
            status.send_modify(|s| {
                s.state = SyncState::Offline;
                s.last_error = Some(err.to_string());
                s.last_refusal = err.refusal();
            });
        }
        if network_changed {
            continue;
        }
        // The connection failed: back off, unless the app says the network changed.
        let wait = backoff;
        backoff = (backoff * 2).min(MAX_BACKOFF);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            changed = online.changed() => {
                if changed.is_err() {
                    return;
                }
                backoff = FIRST_BACKOFF;
            }
        }
    }
}
