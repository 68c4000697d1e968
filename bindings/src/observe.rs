//! Observers the app implements, and the subscriptions that feed them.
//!
//! Each subscription is a task on the bindings' runtime that waits on one of the core's watch
//! channels and calls the observer; the `Subscription` handle aborts the task when cancelled or
//! dropped, so no background work outlives it.

use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use tokio::task::AbortHandle;

use crate::error::TandemError;
use crate::runtime::runtime;
use crate::sync::SyncStatus;
use tandem_core::Store;

/// Implemented by the app to hear that the store changed (to reload what it shows).
#[uniffi::export(foreign)]
pub trait ChangeObserver: Send + Sync {
    /// The store changed: `local` is true after an edit made on this device, false after sync
    /// stored an edit from elsewhere (on a live connection, as it arrives). Called on a background
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
    /// Lets go of the observer on the thread that cancels or drops the subscription.
    release: Box<dyn Fn() + Send + Sync>,
}

#[uniffi::export]
impl Subscription {
    /// Stops the subscription: once this returns the observer is not called again (a call
    /// already under way finishes) and Tandem holds it no more. Cancelling twice is harmless.
    /// Quick.
    pub fn cancel(&self) {
        self.task.abort();
        (self.release)();
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The app's observer, held for a subscription's task.
///
/// The task borrows it for each call, and the subscription lets it go when cancelled or
/// dropped, on that thread. Were the observer dropped with the task, on a runtime thread, the
/// host would be called from there to free it, possibly while the host is shutting down
/// (Python then ends that thread, which aborts the process).
struct Held<T: ?Sized>(Mutex<Option<Arc<T>>>);

impl<T: ?Sized + Send + Sync + 'static> Held<T> {
    fn new(observer: Arc<T>) -> Arc<Self> {
        Arc::new(Held(Mutex::new(Some(observer))))
    }

    /// The observer, unless the subscription has ended.
    fn get(&self) -> Option<Arc<T>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn subscription(self: &Arc<Self>, task: AbortHandle) -> Arc<Subscription> {
        let held = self.clone();
        let release = move || drop(held.0.lock().unwrap_or_else(|e| e.into_inner()).take());
        Arc::new(Subscription {
            task,
            release: Box::new(release),
        })
    }
}

fn report(result: Result<(), TandemError>) {
    if let Err(err) = result {
        tracing::warn!(%err, "an observer failed");
    }
}

/// Calls `observer` after each change of `store`, until the subscription is cancelled or
/// dropped, or the store is let go.
pub(crate) fn follow_changes(
    store: &Arc<Store>,
    observer: Arc<dyn ChangeObserver>,
) -> Result<Arc<Subscription>, TandemError> {
    let observer = Held::new(observer);
    let notify = {
        let observer = observer.clone();
        move |local: bool| {
            if let Some(observer) = observer.get() {
                report(observer.on_change(local));
            }
        }
    };
    // Taken here, not in the task: an edit made before the task first runs is still heard.
    let mut changes = store.watch_changes();
    let mut seen = *changes.borrow_and_update();
    let task = runtime()?.spawn(async move {
        while changes.changed().await.is_ok() {
            let now = *changes.borrow_and_update();
            notify(now.remote == seen.remote);
            seen = now;
        }
    });
    Ok(observer.subscription(task.abort_handle()))
}

/// Calls `observer` with the current status, then with every change, until the sync service
/// stops.
pub(crate) fn follow_status(
    mut status: watch::Receiver<tandem_core::sync::SyncStatus>,
    observer: Arc<dyn SyncStatusObserver>,
) -> Result<Arc<Subscription>, TandemError> {
    let observer = Held::new(observer);
    let notify = {
        let observer = observer.clone();
        move |status: tandem_core::sync::SyncStatus| {
            if let Some(observer) = observer.get() {
                report(observer.on_status(status.into()));
            }
        }
    };
    // The status now is marked seen here, so no change after it is missed.
    let first = status.borrow_and_update().clone();
    let task = runtime()?.spawn(async move {
        notify(first);
        while status.changed().await.is_ok() {
            let now = status.borrow_and_update().clone();
            notify(now);
        }
    });
    Ok(observer.subscription(task.abort_handle()))
}
