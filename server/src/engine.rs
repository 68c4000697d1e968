//! Tandem's own sync engine on automerge: one copy of each document in use for the whole process,
//! and for each connection using it only automerge's sync state.
//!
//! It replaced samod's repos on the server (server/README.md, "One copy of each document"):
//! samod 0.16 keeps every document a repo touched until the repo stops, and its per-document
//! and per-connection structures cost a device about 25 KB more. The devices still run samod;
//! the engine speaks automerge-repo's wire protocol (docs/SYNC.md) to them:
//!
//! - `join` → `peer`: the device's `senderId` must be the peer id its connection authenticated
//!   (`device-<device id>`); anything else ends the connection.
//! - `request` and `sync` about a document: the share policy's decision for the device
//!   ([`MembershipPolicy::access`]) is taken once and kept, then looked at again when a change
//!   may touch it (a grant, a revocation, a registration: [`MembershipPolicy::nudges`]). A
//!   document the device may not see, or that nobody has stored, is answered
//!   `doc-unavailable`, the same answer for both; once it is stored (here or by another process)
//!   or granted, the device is sent the document without asking again.
//! - The document is loaded from storage the first time a connection uses it and unloaded when
//!   the last connection using it ends. Its changes are stored before anything is sent about
//!   them, in samod's key layout (`<doc>/incremental/<change hash>`, compacted into
//!   `<doc>/snapshot/<sha-256 of the heads>` past ten rows, as samod does), through the same
//!   [`SamodStorage`] whose [`Durability`] the writer checks again before each send.
//! - A change received on one connection is sent at once to every other connection here using
//!   the document; other processes hear of it through the database (`fanout.rs`), and
//!   [`Engine::refresh`] merges what they stored.
//! - A device with read access gets the document and its changes; what it sends is not applied
//!   (automerge's read-only sync state).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash};
use futures::future::BoxFuture;
use futures::{Stream, StreamExt};
use samod::storage::StorageKey;
use sha2::Digest;
use tandem_protocol::api::Access;
use tokio::sync::broadcast;

use crate::documents::{DocumentStore, SamodStorage};
use crate::policy::{MembershipPolicy, Nudge};
use crate::transport::{envelope, TransportError};

/// The most messages that may wait for one connection's writer: a device that reads more slowly
/// than its documents change is dropped past this (it syncs again when it reconnects), rather
/// than holding ever more of the server's memory.
pub const MAX_QUEUED: usize = 1024;

/// What one connection is sent, queued for its writer.
#[derive(Clone)]
pub struct Outbox {
    tx: futures::channel::mpsc::UnboundedSender<Vec<u8>>,
    queue: Arc<Queue>,
}

#[derive(Default)]
struct Queue {
    queued: std::sync::atomic::AtomicUsize,
    overflowed: AtomicBool,
}

impl Outbox {
    /// An outbox, and the messages it queues for the writer in order; they end once the
    /// connection has fallen [`MAX_QUEUED`] messages behind.
    pub fn new() -> (Outbox, impl Stream<Item = Vec<u8>> + Send + Unpin + 'static) {
        let (tx, rx) = futures::channel::mpsc::unbounded();
        let queue = Arc::new(Queue::default());
        let taken = queue.clone();
        let messages = rx.take_while(move |_| {
            taken.queued.fetch_sub(1, Ordering::AcqRel);
            futures::future::ready(!taken.overflowed.load(Ordering::Acquire))
        });
        (Outbox { tx, queue }, messages)
    }

    fn send(&self, bytes: Vec<u8>) {
        if self.queue.queued.fetch_add(1, Ordering::AcqRel) >= MAX_QUEUED {
            if !self.queue.overflowed.swap(true, Ordering::AcqRel) {
                tracing::warn!(
                    "a device fell {MAX_QUEUED} messages behind; dropping its connection"
                );
            }
            self.tx.close_channel();
            return;
        }
        let _ = self.tx.unbounded_send(bytes);
    }
}

/// Past this many rows of a document (or new changes at once), its rows are compacted into one
/// snapshot, as samod does.
const COMPACT_AFTER: usize = 10;

/// The most documents one connection is remembered to wait for (told they were unavailable):
/// a device asking for ever more ids that do not exist does not grow the server's memory. One
/// past it is answered all the same, and not sent when it is stored or granted (the device
/// hears of it from its notices and catch-up, and asks again).
const MAX_WAITING: usize = 4096;

/// The most sync messages generated for one peer in one go (automerge sends what it has in a
/// few; this only stops a loop that would not end).
const MAX_MESSAGES_AT_ONCE: usize = 64;

/// Why a connection ended when its device said `leave`.
const LEFT: &str = "the device left";

/// The rows of documents, as the engine reads and writes them.
trait Rows: Send + Sync + 'static {
    fn load(&self, doc: &str) -> BoxFuture<'_, Vec<(StorageKey, Vec<u8>)>>;
    /// Whether the row was stored.
    fn put<'a>(&'a self, key: &'a StorageKey, data: &'a [u8]) -> BoxFuture<'a, bool>;
    fn delete<'a>(&'a self, key: &'a StorageKey) -> BoxFuture<'a, ()>;
}

impl<S: DocumentStore> Rows for SamodStorage<S> {
    fn load(&self, doc: &str) -> BoxFuture<'_, Vec<(StorageKey, Vec<u8>)>> {
        // Only documents the directory knows are loaded, whose ids are keys; anything else has
        // no rows.
        let prefix = StorageKey::from_parts([doc]).ok();
        Box::pin(async move {
            match prefix {
                Some(prefix) => samod::storage::Storage::load_range(self, prefix)
                    .await
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            }
        })
    }
    fn put<'a>(&'a self, key: &'a StorageKey, data: &'a [u8]) -> BoxFuture<'a, bool> {
        Box::pin(self.put_row(key, data))
    }
    fn delete<'a>(&'a self, key: &'a StorageKey) -> BoxFuture<'a, ()> {
        Box::pin(samod::storage::Storage::delete(self, key.clone()))
    }
}

/// The engine (cheap to clone).
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    docs: Mutex<HashMap<String, Slot>>,
    rows: Box<dyn Rows>,
    policy: MembershipPolicy,
    durability: Arc<crate::documents::Durability>,
    /// The server's peer id (`server-<server id>`).
    server_peer: String,
    next_connection: AtomicU64,
    stopping: AtomicBool,
    /// How many connections here were told each document was unavailable: only those look
    /// again when it is stored.
    waiting: Mutex<HashMap<String, usize>>,
}

/// One document in memory, locked while a message about it is handled.
type Slot = Arc<tokio::sync::Mutex<Doc>>;
type Held = tokio::sync::OwnedMutexGuard<Doc>;

#[derive(Default)]
struct Doc {
    /// `None`: nobody has stored it.
    doc: Option<Automerge>,
    loaded: bool,
    /// Out of the map: whoever still holds this slot looks the document up again.
    retired: bool,
    /// The connections using it, by connection number.
    peers: HashMap<u64, Peer>,
    /// The heads whose changes are stored.
    saved_heads: Vec<ChangeHash>,
    /// The rows it has on disk.
    on_disk: HashSet<StorageKey>,
}

struct Peer {
    state: sync::State,
    outbox: Outbox,
    peer_id: Arc<str>,
}

/// What a connection learnt about a document it named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// It syncs the document with this access.
    Joined(Access),
    /// It was answered `doc-unavailable`; `announced`: it sent the document's changes (it has
    /// the document), rather than asking for it.
    Unavailable { announced: bool },
}

/// One device's connection, as the engine knows it.
pub struct Connection {
    id: u64,
    peer_id: Arc<str>,
    person_id: String,
    outbox: Outbox,
    joined: AtomicBool,
    docs: Mutex<HashMap<String, Seen>>,
    /// How many of `docs` it waits for (`Seen::Unavailable`).
    waiting: std::sync::atomic::AtomicUsize,
}

impl Engine {
    pub fn new<S: DocumentStore>(
        storage: SamodStorage<S>,
        policy: MembershipPolicy,
        durability: Arc<crate::documents::Durability>,
        server_peer: String,
    ) -> Engine {
        Engine {
            inner: Arc::new(Inner {
                docs: Mutex::default(),
                rows: Box::new(storage),
                policy,
                durability,
                server_peer,
                next_connection: AtomicU64::new(1),
                stopping: AtomicBool::new(false),
                waiting: Mutex::default(),
            }),
        }
    }

    /// Stores `doc` as a new document (a new id, answered), as a device's first sync would:
    /// one row per change. For tests and tools: the server itself makes no documents.
    pub async fn store_new(&self, doc: &Automerge) -> String {
        let id = samod::DocumentId::try_from(rand::random::<[u8; 16]>().to_vec())
            .expect("16 bytes are a document id")
            .to_string();
        self.store(&id, doc).await;
        id
    }

    /// Stores every change of `doc` as the document `id`'s (tests and tools). Connections using
    /// it here are not told: as for a change stored by another process, [`Engine::refresh`] is.
    pub async fn store(&self, id: &str, doc: &Automerge) {
        for change in doc.get_changes(&[]) {
            let Ok(key) = StorageKey::from_parts([id, "incremental", &change.hash().to_string()])
            else {
                continue;
            };
            self.inner.rows.put(&key, change.raw_bytes()).await;
        }
    }

    /// Documents in memory.
    pub fn documents(&self) -> usize {
        self.inner.docs().len()
    }

    /// Takes no new connection from now on.
    pub fn stop(&self) {
        self.inner.stopping.store(true, Ordering::Release);
    }

    /// A new connection of `peer_id` (of `person_id`), whose messages go to `outbox`; `None`
    /// once the server is stopping.
    pub fn connect(&self, peer_id: &str, person_id: &str, outbox: Outbox) -> Option<Connection> {
        if self.inner.stopping.load(Ordering::Acquire) {
            return None;
        }
        Some(Connection {
            id: self.inner.next_connection.fetch_add(1, Ordering::Relaxed),
            peer_id: peer_id.into(),
            person_id: person_id.to_string(),
            outbox,
            joined: AtomicBool::new(false),
            docs: Mutex::default(),
            waiting: Default::default(),
        })
    }

    /// Reads `inbound` (checked messages, `transport.rs`) until it ends or fails, looking again
    /// at the connection's decisions when the memberships change.
    pub async fn serve(
        &self,
        connection: &Connection,
        inbound: impl Stream<Item = Result<Vec<u8>, TransportError>> + Unpin,
    ) {
        let mut nudges = self.inner.policy.nudges();
        let mut inbound = inbound;
        loop {
            tokio::select! {
                next = inbound.next() => match next {
                    Some(Ok(bytes)) => {
                        if let Err(e) = Box::pin(self.receive(connection, &bytes)).await {
                            if e != LEFT {
                                tracing::warn!(peer = %connection.peer_id, error = %e, "dropping the connection");
                            }
                            return;
                        }
                    }
                    _ => return,
                },
                nudge = nudges.recv() => {
                    let docs = match nudge {
                        Ok(nudge) => connection.touched_by(&nudge),
                        Err(broadcast::error::RecvError::Lagged(_)) => connection.named(),
                        Err(broadcast::error::RecvError::Closed) => return,
                    };
                    for doc in docs {
                        Box::pin(self.look_again(connection, &doc)).await;
                    }
                }
            }
        }
    }

    /// The connection has ended: it leaves every document it used.
    pub async fn leave(&self, connection: &Connection) {
        let named: Vec<(String, Seen)> = connection
            .docs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
            .collect();
        let mut docs = Vec::new();
        for (doc, seen) in named {
            match seen {
                Seen::Joined(_) => docs.push(doc),
                Seen::Unavailable { .. } => self.inner.stop_waiting(&doc),
            }
        }
        for doc in docs {
            let Some(slot) = self.inner.slot(&doc) else {
                continue;
            };
            let mut held = slot.lock_owned().await;
            held.peers.remove(&connection.id);
            self.inner.unload_if_unused(&doc, &mut held);
        }
    }

    /// Another process stored rows of `doc`: merged into the copy held here (sent on to the
    /// connections using it), and the connections waiting for it look again.
    pub async fn refresh(&self, doc: &str) {
        let slot = self.inner.slot(doc);
        if let Some(slot) = slot {
            let mut held = slot.lock_owned().await;
            if !held.retired && held.loaded {
                let rows = self.inner.rows.load(doc).await;
                let before = held.heads();
                held.merge_rows(rows);
                if held.heads() != before {
                    held.saved_heads = held.heads();
                    self.inner.send_all(doc, &mut held, None);
                }
            }
        }
        self.inner.stored(doc);
    }

    async fn receive(&self, connection: &Connection, bytes: &[u8]) -> Result<(), String> {
        let message = envelope(bytes)?;
        match message.kind {
            "join" => {
                let (sender, speaks_1) = join_fields(bytes)?;
                if !speaks_1 {
                    return Err("the peer does not speak protocol version 1".into());
                }
                if sender != *connection.peer_id {
                    return Err(format!(
                        "joined as {sender}, authenticated as {}",
                        connection.peer_id
                    ));
                }
                connection.joined.store(true, Ordering::Release);
                connection.send(peer_message(&self.inner.server_peer, &connection.peer_id));
                Ok(())
            }
            "request" | "sync" => {
                if !connection.joined.load(Ordering::Acquire) {
                    return Err("a message before join".into());
                }
                let doc = message.document_id.ok_or("no documentId")?;
                let data = message.data.ok_or("no data")?;
                let sync_message = sync::Message::decode(data).map_err(|e| e.to_string())?;
                self.sync(connection, &doc, sync_message, message.kind == "sync")
                    .await
            }
            "leave" => Err(LEFT.into()),
            // Ephemeral messages, remote heads: not used by Tandem's devices.
            _ => Ok(()),
        }
    }

    async fn sync(
        &self,
        connection: &Connection,
        doc: &str,
        message: sync::Message,
        may_create: bool,
    ) -> Result<(), String> {
        let seen = connection.seen(doc);
        let access = match seen {
            Some(Seen::Joined(access)) => Some(access),
            _ => self.inner.policy.access(doc, &connection.peer_id).await,
        };
        let Some(access) = access else {
            self.inner.set_seen(
                connection,
                doc,
                Seen::Unavailable {
                    announced: may_create,
                },
            );
            connection.send(unavailable_message(
                &self.inner.server_peer,
                &connection.peer_id,
                doc,
            ));
            return Ok(());
        };
        let mut held = self.inner.hold(doc).await;
        if held.doc.is_none() && may_create && access == Access::Write {
            held.doc = Some(Automerge::new());
        }
        let Some(_) = held.doc.as_ref() else {
            self.inner
                .set_seen(connection, doc, Seen::Unavailable { announced: false });
            connection.send(unavailable_message(
                &self.inner.server_peer,
                &connection.peer_id,
                doc,
            ));
            self.inner.unload_if_unused(doc, &mut held);
            return Ok(());
        };
        self.inner.set_seen(connection, doc, Seen::Joined(access));
        let Doc {
            doc: copy, peers, ..
        } = &mut *held;
        let copy = copy.as_mut().expect("checked above");
        let peer = peers
            .entry(connection.id)
            .or_insert_with(|| connection.peer(access));
        let before = copy.get_heads();
        copy.receive_sync_message(&mut peer.state, message)
            .map_err(|e| format!("sync message not applied: {e}"))?;
        let changed = copy.get_heads() != before;
        let first_stored = changed && held.saved_heads.is_empty();
        if changed {
            self.inner.save(doc, &mut held).await;
            self.inner.send_all(doc, &mut held, None);
        } else {
            self.inner.send_all(doc, &mut held, Some(connection.id));
        }
        drop(held);
        if first_stored {
            // Devices that asked for it before it was stored (here) look again.
            self.inner.stored(doc);
        }
        Ok(())
    }

    /// Decides again for `doc`, after a change that may touch it.
    async fn look_again(&self, connection: &Connection, doc: &str) {
        let Some(seen) = connection.seen(doc) else {
            return;
        };
        let access = self.inner.policy.access(doc, &connection.peer_id).await;
        match (seen, access) {
            (Seen::Joined(_), None) => {
                // Revoked: nothing more is sent, nothing more applied.
                self.inner
                    .set_seen(connection, doc, Seen::Unavailable { announced: false });
                if let Some(slot) = self.inner.slot(doc) {
                    let mut held = slot.lock_owned().await;
                    held.peers.remove(&connection.id);
                    self.inner.unload_if_unused(doc, &mut held);
                }
            }
            (Seen::Joined(was), Some(now)) if was != now => {
                self.inner.set_seen(connection, doc, Seen::Joined(now));
                if let Some(slot) = self.inner.slot(doc) {
                    let mut held = slot.lock_owned().await;
                    if let Some(peer) = held.peers.get_mut(&connection.id) {
                        peer.state.set_read_only(now == Access::Read);
                    }
                    self.inner.send_all(doc, &mut held, Some(connection.id));
                }
            }
            (Seen::Unavailable { announced }, Some(access)) => {
                // Granted, or stored since: the device is sent the document it asked for; a
                // device that has it (it sent its changes) is asked for them.
                let mut held = self.inner.hold(doc).await;
                if held.doc.is_none() && announced && access == Access::Write {
                    held.doc = Some(Automerge::new());
                }
                if held.doc.is_none() {
                    self.inner.unload_if_unused(doc, &mut held);
                    return;
                }
                self.inner.set_seen(connection, doc, Seen::Joined(access));
                held.peers
                    .entry(connection.id)
                    .or_insert_with(|| connection.peer(access));
                self.inner.send_all(doc, &mut held, Some(connection.id));
            }
            _ => {}
        }
    }
}

impl Inner {
    /// Records what `connection` learnt about `doc`, counting the connections waiting for it.
    /// Past [`MAX_WAITING`] documents a connection waits for, a further one is not remembered.
    fn set_seen(&self, connection: &Connection, doc: &str, seen: Seen) {
        let waits = |s: Option<Seen>| matches!(s, Some(Seen::Unavailable { .. }));
        let mut docs = connection.docs.lock().unwrap_or_else(|e| e.into_inner());
        let was = docs.get(doc).copied();
        let (was_waiting, now_waiting) = (waits(was), waits(Some(seen)));
        let count = &connection.waiting;
        if now_waiting && !was_waiting && count.load(Ordering::Relaxed) >= MAX_WAITING {
            docs.remove(doc);
            return;
        }
        docs.insert(doc.to_string(), seen);
        match (was_waiting, now_waiting) {
            (false, true) => {
                count.fetch_add(1, Ordering::Relaxed);
                drop(docs);
                *self.waiting().entry(doc.to_string()).or_default() += 1;
            }
            (true, false) => {
                count.fetch_sub(1, Ordering::Relaxed);
                drop(docs);
                self.stop_waiting(doc);
            }
            _ => {}
        }
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stop_waiting(&self, doc: &str) {
        let mut waiting = self.waiting();
        if let Some(n) = waiting.get_mut(doc) {
            *n -= 1;
            if *n == 0 {
                waiting.remove(doc);
            }
        }
    }

    /// `doc` was stored: the connections here waiting for it look again.
    fn stored(&self, doc: &str) {
        if self.waiting().contains_key(doc) {
            self.policy.documents_stored(&[doc]);
        }
    }

    fn docs(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The document's slot, if it is in memory.
    fn slot(&self, doc: &str) -> Option<Slot> {
        self.docs().get(doc).cloned()
    }

    /// The document, locked, loaded from storage if it was not in memory.
    async fn hold(&self, doc: &str) -> Held {
        loop {
            let slot = self.docs().entry(doc.to_string()).or_default().clone();
            let mut held = slot.lock_owned().await;
            if held.retired {
                // Unloaded meanwhile: look it up again.
                continue;
            }
            if !held.loaded {
                let rows = self.rows.load(doc).await;
                held.merge_rows(rows);
                held.saved_heads = held.heads();
                held.loaded = true;
            }
            return held;
        }
    }

    /// Unloads the document once no connection uses it (its changes were stored before the lock
    /// was let go).
    fn unload_if_unused(&self, doc: &str, held: &mut Held) {
        if !held.peers.is_empty() || held.retired {
            return;
        }
        held.retired = true;
        let mut docs = self.docs();
        if docs
            .get(doc)
            .is_some_and(|slot| Arc::ptr_eq(slot, tokio::sync::OwnedMutexGuard::mutex(held)))
        {
            docs.remove(doc);
        }
        drop(docs);
        self.durability.forget(doc);
    }

    /// Stores the document's new changes: one row each, or past [`COMPACT_AFTER`] one snapshot
    /// replacing its rows.
    async fn save(&self, doc_id: &str, held: &mut Held) {
        let Some(doc) = held.doc.as_ref() else {
            return;
        };
        let heads = doc.get_heads();
        let new: Vec<(StorageKey, Vec<u8>)> = doc
            .get_changes(&held.saved_heads)
            .into_iter()
            .filter_map(|change| {
                let key =
                    StorageKey::from_parts([doc_id, "incremental", &change.hash().to_string()])
                        .ok()?;
                Some((key, change.raw_bytes().to_vec()))
            })
            .collect();
        if new.is_empty() {
            return;
        }
        if new.len() > COMPACT_AFTER || held.on_disk.len() > COMPACT_AFTER {
            let mut hash = sha2::Sha256::new();
            for head in &heads {
                hash.update(head.as_ref());
            }
            let hash: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
            let Ok(key) = StorageKey::from_parts([doc_id, "snapshot", &hash]) else {
                return;
            };
            let bytes = doc.save();
            if self.rows.put(&key, &bytes).await {
                let superseded: Vec<StorageKey> =
                    held.on_disk.drain().filter(|k| *k != key).collect();
                held.on_disk.insert(key);
                // Issued together, they are committed together (`documents.rs`).
                futures::future::join_all(superseded.iter().map(|old| self.rows.delete(old))).await;
            }
        } else {
            let stored =
                futures::future::join_all(new.iter().map(|(key, bytes)| self.rows.put(key, bytes)))
                    .await;
            for ((key, _), stored) in new.iter().zip(stored) {
                if stored {
                    held.on_disk.insert(key.clone());
                }
            }
        }
        // A failed write is known to the durability (it fails the waits of the heads it would
        // have stored, which ends the connections that would announce them).
        held.saved_heads = heads;
    }

    /// Sends what each connection using the document (but `except`) has not had.
    fn send_all(&self, doc_id: &str, held: &mut Held, only: Option<u64>) {
        let Doc { doc, peers, .. } = &mut **held;
        let Some(doc) = doc.as_ref() else {
            return;
        };
        for (id, peer) in peers.iter_mut() {
            if only.is_some_and(|only| only != *id) {
                continue;
            }
            for _ in 0..MAX_MESSAGES_AT_ONCE {
                let Some(message) = doc.generate_sync_message(&mut peer.state) else {
                    break;
                };
                peer.outbox.send(sync_message(
                    &self.server_peer,
                    &peer.peer_id,
                    doc_id,
                    &message.encode(),
                ));
            }
        }
    }
}

impl Doc {
    fn heads(&self) -> Vec<ChangeHash> {
        self.doc
            .as_ref()
            .map(Automerge::get_heads)
            .unwrap_or_default()
    }

    /// Merges stored rows (not yet merged) into the copy.
    fn merge_rows(&mut self, rows: Vec<(StorageKey, Vec<u8>)>) {
        let mut rows = rows;
        // Snapshots first: the changes after them then apply at once.
        rows.sort_by_key(|(key, _)| key.into_iter().nth(1).map(String::as_str) != Some("snapshot"));
        for (key, bytes) in rows {
            if self.on_disk.contains(&key) {
                continue;
            }
            let doc = self.doc.get_or_insert_with(Automerge::new);
            match doc.load_incremental(&bytes) {
                Ok(_) => {
                    self.on_disk.insert(key);
                }
                Err(err) => tracing::error!(%err, %key, "a stored row did not load"),
            }
        }
    }
}

impl Connection {
    fn seen(&self, doc: &str) -> Option<Seen> {
        self.docs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(doc)
            .copied()
    }

    /// The documents it named.
    fn named(&self) -> Vec<String> {
        self.docs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect()
    }

    /// The documents it named that `nudge` may touch.
    fn touched_by(&self, nudge: &Nudge) -> Vec<String> {
        if nudge.everyone() || nudge.people.contains(&self.person_id) {
            return self.named();
        }
        let docs = self.docs.lock().unwrap_or_else(|e| e.into_inner());
        nudge
            .docs
            .iter()
            .filter(|d| docs.contains_key(d.as_str()))
            .cloned()
            .collect()
    }

    fn peer(&self, access: Access) -> Peer {
        Peer {
            state: match access {
                Access::Write => sync::State::new(),
                Access::Read => sync::State::new_read_only(),
            },
            outbox: self.outbox.clone(),
            peer_id: self.peer_id.clone(),
        }
    }

    fn send(&self, bytes: Vec<u8>) {
        self.outbox.send(bytes);
    }
}

/// The `senderId` of a `join`, and whether it speaks protocol version 1.
fn join_fields(bytes: &[u8]) -> Result<(String, bool), String> {
    let mut d = minicbor::Decoder::new(bytes);
    let len = d
        .map()
        .map_err(|e| e.to_string())?
        .ok_or("an indefinite map")?;
    let (mut sender, mut speaks_1) = (None, false);
    for _ in 0..len {
        match d.str().map_err(|e| e.to_string())? {
            "senderId" => sender = Some(d.str().map_err(|e| e.to_string())?.to_string()),
            "supportedProtocolVersions" => {
                let versions = d
                    .array()
                    .map_err(|e| e.to_string())?
                    .ok_or("an indefinite array")?;
                for _ in 0..versions {
                    speaks_1 |= d.str().map_err(|e| e.to_string())? == "1";
                }
            }
            _ => d.skip().map_err(|e| e.to_string())?,
        }
    }
    Ok((sender.ok_or("no senderId")?, speaks_1))
}

type Encoder = minicbor::Encoder<Vec<u8>>;
type Encoded = Result<(), minicbor::encode::Error<std::convert::Infallible>>;

/// A message from the server to `peer` of type `kind`: a CBOR map of `type`, `senderId`,
/// `targetId` and the `more` entries `rest` writes.
fn message(
    kind: &str,
    server: &str,
    peer: &str,
    more: u64,
    rest: impl FnOnce(&mut Encoder) -> Encoded,
) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    let written = (|| -> Encoded {
        e.map(3 + more)?;
        e.str("type")?.str(kind)?;
        e.str("senderId")?.str(server)?;
        e.str("targetId")?.str(peer)?;
        rest(&mut e)
    })();
    // Writing to a Vec cannot fail.
    debug_assert!(written.is_ok());
    e.into_writer()
}

/// The answer to `join`.
fn peer_message(server: &str, peer: &str) -> Vec<u8> {
    message("peer", server, peer, 2, |e| {
        e.str("selectedProtocolVersion")?.str("1")?;
        e.str("peerMetadata")?
            .map(1)?
            .str("isEphemeral")?
            .bool(false)?;
        Ok(())
    })
}

fn unavailable_message(server: &str, peer: &str, doc: &str) -> Vec<u8> {
    message("doc-unavailable", server, peer, 1, |e| {
        e.str("documentId")?.str(doc)?;
        Ok(())
    })
}

fn sync_message(server: &str, peer: &str, doc: &str, data: &[u8]) -> Vec<u8> {
    message("sync", server, peer, 2, |e| {
        e.str("documentId")?.str(doc)?;
        e.str("data")?.bytes(data)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{Directory, SqliteBackend};
    use crate::documents::{Durability, SqliteDocuments};
    use automerge::transaction::Transactable;

    fn open() -> rusqlite::Connection {
        crate::db::open_file(std::path::Path::new(":memory:")).unwrap()
    }

    fn engine() -> (Engine, Arc<SqliteDocuments>) {
        let store = Arc::new(SqliteDocuments::new(open()));
        (engine_on(store.clone()), store)
    }

    fn engine_on(store: Arc<SqliteDocuments>) -> Engine {
        let directory = Directory::new(SqliteBackend::new(open()).unwrap());
        let durability = Arc::new(Durability::default());
        Engine::new(
            SamodStorage::new(store, durability.clone()),
            MembershipPolicy::new(directory),
            durability,
            "server-test".into(),
        )
    }

    /// `n` changes to `doc`, each a new one.
    fn edit(doc: &mut Automerge, n: usize) {
        for _ in 0..n {
            let at = doc.get_changes(&[]).len() as i64;
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, "edits", at)?;
                Ok(())
            })
            .unwrap();
        }
    }

    async fn rows(store: &SqliteDocuments, doc: &str) -> Vec<String> {
        let mut kinds: Vec<String> = store
            .load_range(&StorageKey::from_parts([doc]).unwrap())
            .await
            .unwrap()
            .into_iter()
            .map(|(key, _)| (&key).into_iter().nth(1).unwrap().clone())
            .collect();
        kinds.sort();
        kinds
    }

    /// A document's rows are one per change, compacted into one snapshot past ten, as samod
    /// does; what is stored loads back whole, and a document nobody uses leaves memory.
    #[tokio::test]
    async fn changes_are_stored_compacted_and_loaded_back_and_unused_documents_unload() {
        let (engine, store) = engine();
        let inner = &engine.inner;
        let id = "2mNTn6GxbZVzgwTfkBNbHxuXc6Gd";
        let mut copy = inner.hold(id).await;
        assert!(copy.doc.is_none(), "nothing stored yet");
        copy.doc = Some(Automerge::new());
        edit(copy.doc.as_mut().unwrap(), 3);
        inner.save(id, &mut copy).await;
        assert_eq!(rows(&store, id).await, ["incremental"; 3]);
        edit(copy.doc.as_mut().unwrap(), 11);
        inner.save(id, &mut copy).await;
        assert_eq!(
            rows(&store, id).await,
            ["snapshot"],
            "eleven new changes: compacted"
        );
        edit(copy.doc.as_mut().unwrap(), 2);
        inner.save(id, &mut copy).await;
        assert_eq!(
            rows(&store, id).await,
            ["incremental", "incremental", "snapshot"]
        );
        let heads = copy.heads();
        assert_eq!(engine.documents(), 1);
        inner.unload_if_unused(id, &mut copy);
        drop(copy);
        assert_eq!(engine.documents(), 0, "unused: unloaded");

        let reloaded = inner.hold(id).await;
        assert_eq!(reloaded.heads(), heads, "loaded back whole");
        assert_eq!(reloaded.saved_heads, heads, "nothing to store again");
        assert_eq!(reloaded.on_disk.len(), 3);
    }

    /// What samod's repos stored (the server before this engine, as every device still does)
    /// loads whole: its compacted snapshot and the changes after it.
    #[tokio::test]
    async fn documents_samod_stored_load_whole() {
        let store = Arc::new(SqliteDocuments::new(open()));
        let durability = Arc::new(Durability::default());
        let repo = samod::Repo::build_tokio()
            .with_storage(SamodStorage::new(store.clone(), durability))
            .load()
            .await;
        let handle = repo.create(Automerge::new()).await.unwrap();
        let id = handle.document_id().to_string();
        // Twenty changes at once, which samod stores compacted; then three more, one row each.
        handle.with_document(|doc| edit(doc, 20));
        for _ in 0..500 {
            if rows(&store, &id).await.contains(&"snapshot".to_string()) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        handle.with_document(|doc| edit(doc, 3));
        let heads = handle.with_document(|doc| doc.get_heads());
        repo.stop().await;
        let kinds = rows(&store, &id).await;
        assert!(kinds.contains(&"snapshot".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"incremental".to_string()), "{kinds:?}");

        let engine = engine_on(store);
        let copy = engine.inner.hold(&id).await;
        assert_eq!(copy.heads(), heads);
        assert_eq!(copy.saved_heads, heads, "nothing to store again");
    }
}
