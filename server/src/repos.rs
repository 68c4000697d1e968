//! samod repos shared by a few sync connections each, so that the server's memory follows what
//! is in use.
//!
//! samod 0.16 keeps every document a repo has touched until the repo stops, and cannot unload
//! one. So connections join a repo a few at a time ([`CONNECTIONS_PER_REPO`] over its life), on
//! the process's one storage: it loads the documents those devices sync, and when the last of
//! its connections ends the repo is stopped (after its last writes are stored) and its
//! documents leave memory. Memory then grows with open connections and the documents they use,
//! not with documents stored. (A repo of its own for each connection was measured too: samod's
//! costs that are a repo's, its queues and tasks, made a device cost about 17 KB more. A repo for
//! many: samod keeps state for each pair of a document and a peer in a repo, and asks the share
//! policy about each pair, so a device cost more again from 4 devices a repo on.)
//!
//! Devices that share a document (a client's phone and their practitioner's) are mostly in
//! different repos, so a change one repo stores must reach the others: the storage each repo
//! writes through ([`Tracked`]) tells the [`Hub`] which repo holds which document and which
//! rows it stored, and the hub merges each stored row into every other repo holding the
//! document, which samod then sends to its devices — as a change stored by another server
//! process arrives (`fanout.rs`, which reads the document's rows back). A row another repo
//! already stored is not announced again, so the copies settle after one round. Within one
//! repo, samod itself syncs a document among the devices that may see it.
//!
//! One case samod cannot mend in place: a device that asked for a document before any device
//! had stored it was answered "unavailable", and its repo keeps that answer. When the document
//! is then stored in another repo, the connections of that repo's devices that may see it are
//! closed (WebSocket close code 1012, "service restart"), and no new connection joins that
//! repo; the devices reconnect (as after any dropped connection) to another repo, which finds
//! the document stored. Only devices that may see the document are sent away: for any other,
//! the reconnection would tell it that the document was just stored.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use samod::storage::StorageKey;
use samod::{DocumentId, Repo, SearchState};
use tandem_storage::blocking;

use crate::documents::{DocumentStore, Durability, SamodStorage};

/// Reads every stored row of a document (its id), to merge into a copy.
type LoadRows = Arc<
    dyn Fn(String) -> BoxFuture<'static, Result<Vec<(StorageKey, Vec<u8>)>, String>> + Send + Sync,
>;

/// How many stored rows of one document the hub remembers having announced. A repo stores a
/// merged row again within moments of the merge, so a short memory is enough; forgetting costs
/// at most one more round of merges, in which nothing is new.
const MAX_ANNOUNCED: usize = 256;

/// Makes repo number `id`: on the process's storage through [`Tracked`], with its share policy,
/// its tasks on [`RepoTasks`].
pub type MakeRepo = Arc<dyn Fn(u64) -> BoxFuture<'static, (Repo, RepoTasks)> + Send + Sync>;

/// The runtime one repo's tasks run on: tokio's, each task remembered so that it can be ended.
///
/// samod 0.16's repo tasks never end by themselves, not even after `Repo::stop`: each holds
/// the repo's state, which holds the channels they wait on. A repo for a few connections would
/// then leave four tasks behind for every few connections ever made (`tandem_tasks` in `/metrics`
/// counting up). Once a repo has stopped (its writes stored) its tasks are aborted. (Its
/// state is freed only once its acceptor is closed too: [`Running`].)
#[derive(Clone, Default)]
pub struct RepoTasks(Arc<Mutex<Tasks>>);

#[derive(Default)]
struct Tasks {
    running: Vec<tokio::task::AbortHandle>,
    ended: bool,
}

impl RepoTasks {
    /// Ends every task of the repo, and any it spawns from now on.
    pub fn end(&self) {
        let mut tasks = self.0.lock().unwrap_or_else(|e| e.into_inner());
        tasks.ended = true;
        for task in tasks.running.drain(..) {
            task.abort();
        }
    }
}

impl samod::runtime::RuntimeHandle for RepoTasks {
    fn spawn(&self, f: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>>) {
        let task = tokio::spawn(f).abort_handle();
        let mut tasks = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if tasks.ended {
            task.abort();
            return;
        }
        tasks.running.retain(|t| !t.is_finished());
        tasks.running.push(task);
    }

    /// Never wakes. samod 0.16 sleeps for one thing only: a loop that wakes its repo every
    /// 100 ms to retry the dialers whose backoff has run out, and a server's repos never dial.
    /// Each of them woke its repo ten times a second for nothing (50,000 wakeups a second under
    /// 5,000 devices); the loop now waits for good, and ends with the repo's other tasks.
    fn sleep(
        &self,
        _duration: std::time::Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>> {
        Box::pin(std::future::pending())
    }
}

/// How many connections share one repo at most (over its life, not at once). samod's costs
/// that are a repo's, not a document's or a connection's (its queues, each allocating a block
/// of 31 slots at its first message, its tasks and its hub), are then shared; those of each
/// pair of a document and a peer grow with it (server/README.md, "Load": 3 was the least
/// memory under 1,000 devices, of 1 to 6 and 16). A repo holds every document any of its
/// connections used until the last of them ends, so a long-lived connection keeps up to this
/// many connections' documents in memory.
pub const CONNECTIONS_PER_REPO: usize = 3;

/// The repos of this process, which connections join (cheap to clone).
#[derive(Clone)]
pub struct Repos {
    pub hub: Arc<Hub>,
    make: MakeRepo,
    /// One connection at a time chooses or makes its repo, so that those arriving together
    /// share one.
    opening: Arc<tokio::sync::Mutex<()>>,
}

impl Repos {
    pub fn new(hub: Arc<Hub>, make: MakeRepo) -> Repos {
        Repos {
            hub,
            make,
            opening: Arc::default(),
        }
    }

    /// The repo a new connection of `device` joins and the acceptor it joins through, kept
    /// until [`Hub::release`] of its number by its last connection: the repo that connections
    /// are joining now, or a new one once that has had [`CONNECTIONS_PER_REPO`]. Refused once
    /// the server is stopping.
    pub async fn open(
        &self,
        device: samod::PeerId,
    ) -> Result<(u64, samod::AcceptorHandle), samod::Stopped> {
        let _one = self.opening.lock().await;
        if let Some(joined) = self.hub.join(&device)? {
            return Ok(joined);
        }
        let id = self.hub.next_id();
        let (repo, tasks) = (self.make)(id).await;
        let mut running = Running {
            repo,
            tasks,
            acceptor: None,
        };
        let url = samod::Url::parse("ws://tandem-server/v1/sync").expect("a valid url");
        let acceptor = match running.repo.make_acceptor(url) {
            Ok(acceptor) => acceptor,
            Err(stopped) => {
                running.end().await;
                return Err(stopped);
            }
        };
        running.acceptor = Some(acceptor.clone());
        if let Err(refused) = self.hub.add_joining(id, running, device) {
            refused.end().await;
            return Err(samod::Stopped);
        }
        Ok((id, acceptor))
    }
}

/// The repos of this process's connections, and which documents each holds.
pub struct Hub {
    state: Mutex<State>,
    durability: Arc<Durability>,
    load_rows: LoadRows,
    /// Who may see what: a repo is restarted for a document only if its device may see it.
    policy: std::sync::OnceLock<crate::policy::MembershipPolicy>,
    /// The repos whose state is in memory.
    alive: RepoCount,
}

/// Counts repos whose state is in memory. samod keeps a repo's observer in its state, its
/// tasks and its documents; the observer is dropped with the last of them.
#[derive(Default)]
struct RepoCount(Arc<AtomicUsize>);

impl RepoCount {
    fn observer(&self) -> Alive {
        self.0.fetch_add(1, Ordering::Relaxed);
        Alive(self.0.clone())
    }

    fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// One repo's part of a [`RepoCount`]; it watches nothing else.
struct Alive(Arc<AtomicUsize>);

impl samod::RepoObserver for Alive {
    fn observe(&self, _: &samod::RepoEvent) {}
}

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A repo of this process, and what ends it.
pub struct Running {
    pub repo: Repo,
    /// Its tasks, ended once it has stopped.
    pub tasks: RepoTasks,
    /// The acceptor its connection came through, closed once it has stopped. samod keeps each
    /// acceptor in the repo's state and each acceptor keeps the repo: until it is closed,
    /// neither is ever freed, and with them every document the repo held.
    pub acceptor: Option<samod::AcceptorHandle>,
}

impl Running {
    /// Stops the repo (once its writes are stored), then ends its tasks and closes its
    /// acceptor, so that all of it can be freed.
    async fn end(self) {
        self.repo.stop().await;
        self.tasks.end();
        if let Some(acceptor) = self.acceptor {
            acceptor.close();
        }
    }
}

#[derive(Default)]
struct State {
    next: u64,
    /// The server is stopping: no new repo.
    stopping: bool,
    /// Each connection's repo (and the process's own, 0).
    repos: HashMap<u64, Running>,
    /// The devices each repo serves, one entry for each open connection.
    devices: HashMap<u64, Vec<samod::PeerId>>,
    /// The repo new connections join, and how many have joined it.
    joining: Option<(u64, usize)>,
    /// Which repos hold each document.
    holders: HashMap<String, HashSet<u64>>,
    /// Which documents each repo holds (the same pairs, for its release).
    held: HashMap<u64, HashSet<String>>,
    /// The rows of each document held by more than one repo that some repo stored, each as a
    /// hash of its key: each is announced once (a repo that merged a row stores it again, and
    /// that need not go round again). A document one repo holds alone needs no memory of it.
    stored: HashMap<String, HashSet<u64>>,
    /// Hashes row keys for `stored`.
    keys: std::hash::RandomState,
}

impl Hub {
    /// A hub over `store`, whose reads [`Hub::refresh`] merges from.
    pub fn new<S: DocumentStore>(store: Arc<S>, durability: Arc<Durability>) -> Arc<Hub> {
        let load_rows: LoadRows = Arc::new(move |doc: String| {
            let store = store.clone();
            Box::pin(async move {
                let prefix = StorageKey::from_parts([doc.as_str()]).map_err(|e| e.to_string())?;
                store.load_range(&prefix).await.map_err(|e| e.to_string())
            })
        });
        Arc::new(Hub {
            state: Mutex::default(),
            durability,
            load_rows,
            policy: std::sync::OnceLock::new(),
            alive: RepoCount::default(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The share policy, which decides whether a repo is restarted for a document (once).
    pub fn set_policy(&self, policy: crate::policy::MembershipPolicy) {
        let _ = self.policy.set(policy);
    }

    /// A number for a new repo.
    pub fn next_id(&self) -> u64 {
        let mut state = self.lock();
        state.next += 1;
        state.next
    }

    /// Keeps `running` as repo number `id` until it is stopped; handed back once the server
    /// is stopping.
    pub fn add(&self, id: u64, running: Running) -> Result<(), Running> {
        let mut state = self.lock();
        if state.stopping {
            return Err(running);
        }
        state.repos.insert(id, running);
        Ok(())
    }

    /// Keeps `running` as repo number `id`, which `device`'s connection has joined and others
    /// will join, until the last of them is [released](Hub::release).
    fn add_joining(&self, id: u64, running: Running, device: samod::PeerId) -> Result<(), Running> {
        let mut state = self.lock();
        if state.stopping {
            return Err(running);
        }
        state.repos.insert(id, running);
        state.devices.insert(id, vec![device]);
        state.joining = Some((id, 1));
        Ok(())
    }

    /// `device`'s connection joins the repo connections are joining now, if it has room: its
    /// number and acceptor.
    fn join(
        &self,
        device: &samod::PeerId,
    ) -> Result<Option<(u64, samod::AcceptorHandle)>, samod::Stopped> {
        let mut state = self.lock();
        if state.stopping {
            return Err(samod::Stopped);
        }
        let Some((id, joined)) = state.joining else {
            return Ok(None);
        };
        let acceptor = state.repos.get(&id).and_then(|r| r.acceptor.clone());
        let Some(acceptor) = acceptor.filter(|_| joined < CONNECTIONS_PER_REPO) else {
            state.joining = None;
            return Ok(None);
        };
        state.joining = Some((id, joined + 1));
        state.devices.entry(id).or_default().push(device.clone());
        Ok(Some((id, acceptor)))
    }

    /// How many repos have state in memory: the running ones, and any stopped one not yet
    /// freed (`/metrics`).
    pub fn repos_in_memory(&self) -> usize {
        self.alive.count()
    }

    /// What each new repo is built with, to count it in [`Hub::repos_in_memory`] until the last
    /// of its state is freed.
    pub fn observer(&self) -> impl samod::RepoObserver {
        self.alive.observer()
    }

    /// How many documents are in memory: each document once, however many repos hold it.
    pub fn documents(&self) -> usize {
        self.lock().holders.len()
    }

    /// Repo `id` loads `doc`, or its device asked for it: from now on it hears of every
    /// change another repo stores.
    pub fn hold(&self, id: u64, doc: &str) {
        let mut state = self.lock();
        let new = match state.holders.get_mut(doc) {
            Some(holders) => holders.insert(id),
            None => {
                state.holders.insert(doc.to_string(), HashSet::from([id]));
                true
            }
        };
        if new {
            state.held.entry(id).or_default().insert(doc.to_string());
        }
    }

    /// Repo `id` stored `data` as the row `key` of `doc`: every other repo holding `doc`
    /// merges it.
    fn stored(self: &Arc<Self>, id: u64, doc: &str, key: &StorageKey, data: Vec<u8>) {
        let others: Vec<(u64, Repo)> = {
            let mut state = self.lock();
            let state = &mut *state;
            let Some(holders) = state.holders.get(doc) else {
                return;
            };
            if !holders.iter().any(|h| *h != id) {
                return;
            }
            let row = std::hash::BuildHasher::hash_one(&state.keys, key);
            let stored = state.stored.entry(doc.to_string()).or_default();
            if stored.len() >= MAX_ANNOUNCED {
                stored.clear();
            }
            if !stored.insert(row) {
                return;
            }
            holders
                .iter()
                .filter(|h| **h != id)
                .filter_map(|h| state.repos.get(h).map(|r| (*h, r.repo.clone())))
                .collect()
        };
        tracing::trace!(repo = id, doc, %key, others = others.len(), "stored");
        if others.is_empty() {
            return;
        }
        let (hub, doc, row) = (self.clone(), doc.to_string(), (key.clone(), data));
        tokio::spawn(async move { hub.merge(&doc, &[row], others).await });
    }

    /// Merges what storage holds of `doc` into every repo here that holds it (a change another
    /// process stored).
    pub async fn refresh(&self, doc: &str) {
        let holders: Vec<(u64, Repo)> = {
            let state = self.lock();
            let Some(holders) = state.holders.get(doc) else {
                return;
            };
            holders
                .iter()
                .filter_map(|h| state.repos.get(h).map(|r| (*h, r.repo.clone())))
                .collect()
        };
        self.merge_into(doc, holders).await;
    }

    /// Merges every stored row of `doc` into `repos`.
    async fn merge_into(&self, doc: &str, repos: Vec<(u64, Repo)>) {
        let rows = match (self.load_rows)(doc.to_string()).await {
            Ok(rows) => rows,
            Err(err) => {
                tracing::error!(%err, doc, "could not read a document another process changed");
                return;
            }
        };
        self.durability.loaded(doc, &rows);
        self.merge(doc, &rows, repos).await;
    }

    /// Merges `rows` of `doc` into the copies `repos` hold, which samod then sends on.
    async fn merge(&self, doc: &str, rows: &[(StorageKey, Vec<u8>)], repos: Vec<(u64, Repo)>) {
        let Ok(id) = DocumentId::from_str(doc) else {
            return;
        };
        for (number, repo) in repos {
            let handle = match held(&repo, &id).await {
                Some(Some(handle)) => handle,
                Some(None) if number != 0 => {
                    // A device of it asked for the document before anyone had stored it, and
                    // samod never looks in storage again for a document it is requesting from
                    // its peers. The connections of the repo's devices that may see it are
                    // closed; they connect again, to another repo (no new connection joins
                    // this one), which loads the document from storage. The repo's other
                    // devices are told nothing.
                    let devices = self.may_see(number, &id).await;
                    if devices.is_empty() {
                        continue;
                    }
                    tracing::debug!(
                        repo = number,
                        doc,
                        devices = devices.len(),
                        "asked for before it was stored: its devices connect again"
                    );
                    self.retire(number);
                    if let Some(policy) = self.policy.get() {
                        for device in devices {
                            if let Some(device) = device.as_str().strip_prefix("device-") {
                                policy.connections.reconnect_device(device);
                            }
                        }
                    }
                    continue;
                }
                _ => continue, // stopped meanwhile
            };
            blocking(|| {
                handle.with_document(|copy| {
                    for (key, bytes) in rows {
                        if let Err(err) = copy.load_incremental(bytes) {
                            tracing::warn!(%err, %key, "a stored row of a document does not load");
                        }
                    }
                })
            });
        }
    }

    /// The devices repo `number` serves that may see `doc` now. Only they are sent to
    /// another repo for it: for any other device, connecting again would tell it the document
    /// was just stored.
    async fn may_see(&self, number: u64, doc: &DocumentId) -> Vec<samod::PeerId> {
        let mut devices = self
            .lock()
            .devices
            .get(&number)
            .cloned()
            .unwrap_or_default();
        devices.sort();
        devices.dedup();
        let Some(policy) = self.policy.get() else {
            return Vec::new();
        };
        let mut may = Vec::new();
        for device in devices {
            if policy.decide(doc, &device).await != samod::ShareConfig::none() {
                may.push(device);
            }
        }
        may
    }

    /// No new connection joins repo `id` (it is being stopped).
    fn retire(&self, id: u64) {
        let mut state = self.lock();
        if state.joining.is_some_and(|(joining, _)| joining == id) {
            state.joining = None;
        }
    }

    /// A connection of `device` to repo `id` has ended. Once it was the repo's last, the repo
    /// is stopped (once its writes are stored) and what only it held is forgotten.
    pub async fn release(&self, id: u64, device: &samod::PeerId) {
        {
            let mut state = self.lock();
            let Some(devices) = state.devices.get_mut(&id) else {
                return;
            };
            if let Some(at) = devices.iter().position(|d| d == device) {
                devices.swap_remove(at);
            }
            if !devices.is_empty() {
                return;
            }
            // Under the same lock: no connection joins a repo about to stop.
            state.devices.remove(&id);
            if state.joining.is_some_and(|(joining, _)| joining == id) {
                state.joining = None;
            }
        }
        self.end(id).await;
    }

    /// Stops repo `id` (once its writes are stored) and forgets what only it held.
    async fn end(&self, id: u64) {
        let running = {
            let mut state = self.lock();
            state.devices.remove(&id);
            if state.joining.is_some_and(|(joining, _)| joining == id) {
                state.joining = None;
            }
            state.repos.remove(&id)
        };
        if let Some(running) = running {
            running.end().await;
        }
        let unheld: Vec<String> = {
            let mut state = self.lock();
            let mut unheld = Vec::new();
            for doc in state.held.remove(&id).unwrap_or_default() {
                let Some(holders) = state.holders.get_mut(&doc) else {
                    continue;
                };
                holders.remove(&id);
                if holders.is_empty() {
                    state.holders.remove(&doc);
                    state.stored.remove(&doc);
                    unheld.push(doc);
                }
            }
            unheld
        };
        for doc in &unheld {
            self.durability.forget(doc);
        }
        if !unheld.is_empty() {
            tracing::debug!(repo = id, unloaded = unheld.len(), "documents left memory");
        }
    }

    /// Stops every repo (the server is stopping), and refuses new ones.
    pub async fn stop(&self) {
        let ids: Vec<u64> = {
            let mut state = self.lock();
            state.stopping = true;
            state.repos.keys().copied().collect()
        };
        for id in ids {
            self.end(id).await;
        }
    }
}

/// The copy of `id` that `repo` holds (`Some(None)`: it is asking its peers for it, not
/// having found it in storage); `None` when the repo has stopped.
async fn held(repo: &Repo, id: &DocumentId) -> Option<Option<samod::DocHandle>> {
    use futures::StreamExt;
    let (mut state, mut updates) = repo.search(id.clone()).ok()?;
    loop {
        match state {
            SearchState::Found(handle) => return Some(Some(handle)),
            SearchState::Requesting(_) => return Some(None),
            SearchState::Loading => state = updates.next().await?,
        }
    }
}

/// The storage one repo writes through: the process's storage, telling the [`Hub`] what the
/// repo loads and stores.
pub struct Tracked<S> {
    inner: SamodStorage<S>,
    id: u64,
    hub: Arc<Hub>,
}

impl<S> Clone for Tracked<S> {
    fn clone(&self) -> Self {
        Tracked {
            inner: self.inner.clone(),
            id: self.id,
            hub: self.hub.clone(),
        }
    }
}

impl<S> Tracked<S> {
    pub fn new(inner: SamodStorage<S>, id: u64, hub: Arc<Hub>) -> Self {
        Tracked { inner, id, hub }
    }
}

/// The document a key belongs to (`None` for samod's own keys, such as its storage id).
fn doc_of(key: &StorageKey) -> Option<String> {
    let mut parts = key.into_iter();
    let doc = parts.next()?;
    parts.next().map(|_| doc.to_string())
}

impl<S: DocumentStore> samod::storage::Storage for Tracked<S> {
    async fn load(&self, key: StorageKey) -> Option<Vec<u8>> {
        if let Some(doc) = doc_of(&key) {
            self.hub.hold(self.id, &doc);
        }
        self.inner.load(key).await
    }

    async fn load_range(&self, prefix: StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        // Held before it is read, so that no change stored meanwhile is missed.
        let doc = (&prefix).into_iter().next().cloned();
        if let Some(doc) = &doc {
            self.hub.hold(self.id, doc);
        }
        self.inner.load_range(prefix).await
    }

    async fn put(&self, key: StorageKey, data: Vec<u8>) {
        let doc = doc_of(&key);
        if let Some(doc) = &doc {
            self.hub.hold(self.id, doc);
        }
        let Some(doc) = doc else {
            return self.inner.put(key, data).await;
        };
        self.inner.put_row(&key, &data).await;
        self.hub.stored(self.id, &doc, &key, data);
    }

    async fn delete(&self, key: StorageKey) {
        self.inner.delete(key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::SqliteDocuments;

    fn hub() -> Arc<Hub> {
        let conn = crate::db::open_file(std::path::Path::new(":memory:")).unwrap();
        Hub::new(
            Arc::new(SqliteDocuments::new(conn)),
            Arc::new(Durability::default()),
        )
    }

    fn row(n: usize) -> StorageKey {
        StorageKey::from_parts(["doc", "incremental", &format!("{n:064x}")]).unwrap()
    }

    /// What the hub keeps to announce each stored row once does not grow with the edits: a
    /// server up for a week keeps no more of it than one up for a minute.
    #[tokio::test]
    async fn the_memory_of_announced_rows_stays_small() {
        let hub = hub();
        // One repo holds the document alone: nobody to announce to, nothing to remember.
        hub.hold(1, "doc");
        for n in 0..1000 {
            hub.stored(1, "doc", &row(n), vec![1]);
        }
        assert!(hub.lock().stored.is_empty());

        // Two repos hold it: each row is remembered, and no more than MAX_ANNOUNCED of them.
        hub.hold(2, "doc");
        for n in 0..10_000 {
            hub.stored(1, "doc", &row(n), vec![1]);
            let remembered = hub.lock().stored.get("doc").map_or(0, HashSet::len);
            assert!((1..=MAX_ANNOUNCED).contains(&remembered), "{remembered}");
        }

        // The last repo lets it go: so does the hub.
        hub.end(1).await;
        hub.end(2).await;
        assert!(hub.lock().stored.is_empty());
        assert_eq!(hub.documents(), 0);
    }
}
