//! The core store behind a `TandemStore`, which `join` may replace.
//!
//! The core's `join` consumes the store, because joining with a device code turns it into
//! another device of the inviting person (reopened with their ids). The app keeps one
//! `TandemStore` throughout: the slot hands the core store to `join` and holds the store `join`
//! returns, or reopens it from its path when joining fails. Change subscriptions follow the
//! store across that, through `replacements`.

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tandem_core::store::Changes;
use tandem_core::{OpenOptions, Store};
use tokio::sync::watch;

use crate::error::TandemError;

pub(crate) struct Slot {
    path: PathBuf,
    state: RwLock<State>,
    /// Counts the times the core store was replaced.
    replacements: watch::Sender<u64>,
}

enum State {
    Open(Arc<Store>),
    /// `join` holds the store.
    Joining,
    /// Joining failed and the store could not be reopened: why.
    Lost(String),
}

impl Slot {
    pub(crate) fn open(path: PathBuf, options: OpenOptions) -> Result<Slot, TandemError> {
        let store = Store::open(&path, options)?;
        Ok(Slot {
            path,
            state: RwLock::new(State::Open(Arc::new(store))),
            replacements: watch::Sender::new(0),
        })
    }

    /// The core store, for one call.
    pub(crate) fn store(&self) -> Result<Arc<Store>, TandemError> {
        self.state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .store()
            .cloned()
    }

    /// The current store's changes; `None` while joining.
    pub(crate) fn watch_changes(&self) -> Option<watch::Receiver<Changes>> {
        self.store().ok().map(|store| store.watch_changes())
    }

    /// Wakes each time the core store is replaced (after `join`).
    pub(crate) fn replacements(&self) -> watch::Receiver<u64> {
        self.replacements.subscribe()
    }

    /// Hands the core store to `consume`, which returns the store to use from now on. When
    /// `consume` fails (or is cut off), the store is reopened from its path.
    pub(crate) async fn replace_with<T, F, Fut>(&self, consume: F) -> Result<T, TandemError>
    where
        F: FnOnce(Store) -> Fut,
        Fut: Future<Output = tandem_core::Result<(Store, T)>>,
    {
        let store = self.take()?;
        let reopen = ReopenUnlessPut(self);
        let (store, out) = consume(store).await?;
        self.put(State::Open(Arc::new(store)));
        drop(reopen);
        Ok(out)
    }

    /// Takes the store out, if nothing else holds it.
    fn take(&self) -> Result<Store, TandemError> {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        let store = Arc::clone(state.store()?);
        *state = State::Joining;
        Arc::try_unwrap(store).map_err(|store| {
            *state = State::Open(store);
            TandemError::NotPermitted {
                reason: "the store is in use by a SyncService or a sync under way: stop the \
                         SyncService (and let running calls finish), then join"
                    .into(),
            }
        })
    }

    fn put(&self, state: State) {
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = state;
        self.replacements.send_modify(|n| *n += 1);
    }

    fn is_joining(&self) -> bool {
        matches!(
            *self.state.read().unwrap_or_else(|e| e.into_inner()),
            State::Joining
        )
    }
}

impl State {
    fn store(&self) -> Result<&Arc<Store>, TandemError> {
        match self {
            State::Open(store) => Ok(store),
            State::Joining => Err(TandemError::NotPermitted {
                reason: "the store is joining a server; try again once join has finished".into(),
            }),
            State::Lost(why) => Err(TandemError::Storage {
                detail: format!(
                    "the store could not be reopened after joining failed ({why}); open it again"
                ),
            }),
        }
    }
}

/// Reopens the store from its path if `join` did not put one back.
struct ReopenUnlessPut<'a>(&'a Slot);

impl Drop for ReopenUnlessPut<'_> {
    fn drop(&mut self) {
        let slot = self.0;
        if !slot.is_joining() {
            return;
        }
        let state = match Store::open(&slot.path, OpenOptions::default()) {
            Ok(store) => State::Open(Arc::new(store)),
            Err(err) => {
                tracing::error!(%err, "the store could not be reopened after joining failed");
                State::Lost(err.to_string())
            }
        };
        slot.put(state);
    }
}
