//! Observers the app implements, and the subscriptions that feed them.
//!
//! Each subscription is a task on the bindings' runtime that waits on one of the core's watch
//! channels and calls the observer; the `Subscription` handle aborts the task when cancelled or
//! dropped, so no background work outlives it.

use std::sync::{Arc, Weak};

use tokio::sync::watch;
use tokio::task::AbortHandle;

use crate::error::TandemError;
use crate::runtime::runtime;
use crate::slot::Slot;
use crate::sync::SyncStatus;

/// Implemented by the app to hear that the store changed (to reload what it shows).
#[uniffi::export(foreign)]
pub trait ChangeObserver: Send + Sync {
    /// The store changed: `local` is true after an edit made on this device, false after a
    /// sync session (which may have brought edits from elsewhere). Called on a background
    /// thread; return quickly. A thrown error is logged and the subscription goes on.
    fn on_change(&self, local: bool) -> Result<(), TandemError>;
}

/// Implemented by the app to hear where sync stands (to show it).
#[uniffi::export(foreign)]
pub trait SyncStatusObserver: Send + Sync {
    /// The sync status now. Called on a background thread; return quickly. A thrown error is
    /// logged and the subscription goes on.
    fn on_status(&self, status: SyncStatus) -> Result<(), TandemError>;
}

/// A running subscription. Cancel it (or drop it: `close()` in Kotlin, release it in Swift)
/// to stop its observer being called.
#[derive(uniffi::Object)]
pub struct Subscription {
    task: AbortHandle,
}

#[uniffi::export]
impl Subscription {
    /// Stops the subscription: once this returns the observer is not called again (a call
    /// already under way finishes). Cancelling twice is harmless. Quick.
    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn report(result: Result<(), TandemError>) {
    if let Err(err) = result {
        tracing::warn!(%err, "an observer failed");
    }
}

/// Calls `observer` after each change of the store in `slot`, following the store when `join`
/// replaces it. Holds the slot weakly: dropping the `TandemStore` ends the subscription.
pub(crate) fn follow_changes(
    slot: &Arc<Slot>,
    observer: Arc<dyn super::ChangeObserver>,
) -> Result<Arc<Subscription>, TandemError> {
    let weak: Weak<Slot> = Arc::downgrade(slot);
    let mut replacements = slot.replacements();
    let mut changes = slot.watch_changes();
    let task = runtime()?.spawn(async move {
        let mut moved = false;
        loop {
            if let Some(mut current) = changes.take() {
                if moved {
                    // A store replaced by `join` holds what came with it.
                    report(observer.on_change(false));
                }
                let mut seen = *current.borrow_and_update();
                while current.changed().await.is_ok() {
                    let now = *current.borrow_and_update();
                    report(observer.on_change(now.synced == seen.synced));
                    seen = now;
                }
                moved = true;
            }
            // The store was let go: by `join` (a new one follows) or for good.
            replacements.borrow_and_update();
            changes = match weak.upgrade() {
                Some(slot) => slot.watch_changes(),
                None => return,
            };
            if changes.is_none() && replacements.changed().await.is_err() {
                return;
            }
        }
    });
    Ok(Arc::new(Subscription {
        task: task.abort_handle(),
    }))
}

/// Calls `observer` with the current status, then with every change, until the sync service
/// stops.
pub(crate) fn follow_status(
    mut status: watch::Receiver<tandem_core::sync::SyncStatus>,
    observer: Arc<dyn super::SyncStatusObserver>,
) -> Result<Arc<Subscription>, TandemError> {
    let task = runtime()?.spawn(async move {
        let first = status.borrow_and_update().clone();
        report(observer.on_status(first.into()));
        while status.changed().await.is_ok() {
            let now = status.borrow_and_update().clone();
            report(observer.on_status(now.into()));
        }
    });
    Ok(Arc::new(Subscription {
        task: task.abort_handle(),
    }))
}
