//! Where the server keeps documents, and how it knows what is safely on disk.
//!
//! [`DocumentStore`] is the storage interface: samod's key/value layout (`<docId>/incremental/
//! <changeHash>`, `<docId>/snapshot/<hash>`) with fallible calls, so that another backend
//! (PostgreSQL) can take SQLite's place. [`SqliteDocuments`] keeps the rows in the server's SQLite
//! file with tandem-storage's key/value helpers; [`PostgresDocuments`] keeps them in PostgreSQL.
//! [`SamodStorage`] adapts a store to samod's storage interface, whose calls cannot fail (the
//! sync engine, `engine.rs`, reads and writes through it): an error is logged, counted, and
//! remembered against the document.
//! Every stored change of a document also moves it to the top of the change feed (see
//! [`DocumentStore`]), which `GET /v1/catch-up` and the sync connection's notices read.
//!
//! [`Durability`] follows which changes of each document are on disk. The sync engine stores a
//! change before it answers; the WebSocket transport (`transport.rs`) asks [`Durability::wait`]
//! again before sending a sync message, so the server never tells a peer it has changes (the
//! heads in its message) that a crash could still lose.

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::ChangeHash;
use rusqlite::Connection;
use samod::storage::StorageKey;
use tandem_storage::blocking;
use tandem_storage::kv;
use tokio::sync::watch;

use crate::chunks;

/// A storage failure, as text (the backend's own error is logged where it happens).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("document storage: {0}")]
pub struct StoreError(pub String);

pub type StoreResult<T> = Result<T, StoreError>;

/// A key/value store for samod's document rows. Keys are compared byte by byte (document ids are
/// case sensitive); `load_range(prefix)` answers every key equal to `prefix` or under `prefix/`.
///
/// The change feed lives behind this trait too: a `put` of a document's row (a key
/// `<docId>/...`) gives that document the next value of the server-wide change sequence, in the
/// same transaction as the row, so the feed never names a change that is not stored and never
/// misses one that is. [`crate::directory::Directory::changed_since`] reads the feed back,
/// filtered by who may see what; the two share one database.
pub trait DocumentStore: Send + Sync + 'static {
    fn load(&self, key: &StorageKey) -> impl Future<Output = StoreResult<Option<Vec<u8>>>> + Send;
    fn load_range(
        &self,
        prefix: &StorageKey,
    ) -> impl Future<Output = StoreResult<Vec<(StorageKey, Vec<u8>)>>> + Send;
    fn put(&self, key: &StorageKey, value: &[u8]) -> impl Future<Output = StoreResult<()>> + Send;
    fn delete(&self, key: &StorageKey) -> impl Future<Output = StoreResult<()>> + Send;
}

/// Documents in the server's SQLite file (the `kv` table), through tandem-core's helpers.
///
/// A read completes when first polled (on a blocking thread, `tandem_storage::blocking`).
///
/// **Writes commit in groups.** A put or a delete is handed, in the order the engine issues them, to
/// the store's writer thread and awaited; the writer takes every write waiting for it, writes
/// them in one transaction and answers each once it is committed. Under load one commit (its
/// WAL frames, its page writes) then serves the writes of many devices, while the executor
/// goes on with other connections. A failed transaction fails every write in it, and none of
/// them is acknowledged. Reads share the connection with the writer.
pub struct SqliteDocuments {
    conn: Arc<Mutex<Connection>>,
    writes: Writes,
}

/// A row to write or delete, queued for the next group commit.
enum Write {
    Put {
        key: Vec<u8>,
        value: Vec<u8>,
        /// The document whose change feed the row moves, if it is a document's row.
        doc: Option<String>,
    },
    Delete {
        key: Vec<u8>,
    },
}

impl Write {
    /// `value` as the row `key` (moving its document's change feed, if it is a document's).
    fn put(key: &StorageKey, value: &[u8]) -> Write {
        Write::Put {
            key: kv::key_bytes(key),
            value: value.to_vec(),
            doc: doc_of(key).map(str::to_string),
        }
    }

    fn delete(key: &StorageKey) -> Write {
        Write::Delete {
            key: kv::key_bytes(key),
        }
    }
}

/// How a queued write's group commit went.
type Answer = tokio::sync::oneshot::Sender<Result<(), String>>;

/// Where writes queue for a store's writer (a thread on SQLite, a task on PostgreSQL).
type Writes = tokio::sync::mpsc::UnboundedSender<(Write, Answer)>;

impl SqliteDocuments {
    /// Documents on `conn`, whose database has the `kv` table (see `db.rs`). Starts the
    /// writer thread, which ends when the store is dropped.
    pub fn new(conn: Connection) -> Self {
        let conn = Arc::new(Mutex::new(conn));
        let (writes, queue) = tokio::sync::mpsc::unbounded_channel();
        let writer = conn.clone();
        std::thread::Builder::new()
            .name("tandem-doc-writer".into())
            .spawn(move || write_groups(&writer, queue))
            .expect("a thread for the document writer");
        SqliteDocuments { conn, writes }
    }

    /// Runs `f` on the connection, off the async executor's worker (`db::blocking`).
    fn run<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> StoreResult<T> {
        blocking(|| {
            let conn = lock(&self.conn);
            f(&conn).map_err(|e| StoreError(e.to_string()))
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The writer thread: every write waiting when it is free goes into one transaction.
fn write_groups(
    conn: &Mutex<Connection>,
    mut queue: tokio::sync::mpsc::UnboundedReceiver<(Write, Answer)>,
) {
    while let Some(first) = queue.blocking_recv() {
        let mut group = vec![first];
        while let Ok(next) = queue.try_recv() {
            group.push(next);
        }
        let result = commit_group(&mut lock(conn), &group).map_err(|e| {
            tracing::error!(error = %e, writes = group.len(), "storing documents failed");
            e.to_string()
        });
        for (_, answer) in group {
            let _ = answer.send(result.clone());
        }
    }
}

/// Writes `group` in one immediate transaction, committed only if every write succeeds.
fn commit_group(conn: &mut Connection, group: &[(Write, Answer)]) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for (write, _) in group {
        match write {
            Write::Put { key, value, doc } => {
                kv::put(&tx, key, value)?;
                if let Some(doc) = doc {
                    advance_feed(&tx, doc)?;
                }
            }
            Write::Delete { key } => kv::delete(&tx, key)?,
        }
    }
    tx.commit()
}

/// Gives `doc_id` the next value of the change sequence (tables in `db.rs`); the value.
fn advance_feed(conn: &Connection, doc_id: &str) -> rusqlite::Result<i64> {
    let seq: i64 = conn
        .prepare_cached("UPDATE change_feed SET seq = seq + 1 WHERE id = 1 RETURNING seq")?
        .query_row([], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO doc_changes (doc_id, seq) VALUES (?1, ?2)
         ON CONFLICT (doc_id) DO UPDATE SET seq = excluded.seq",
    )?
    .execute(rusqlite::params![doc_id, seq])?;
    Ok(seq)
}

impl DocumentStore for SqliteDocuments {
    async fn load(&self, key: &StorageKey) -> StoreResult<Option<Vec<u8>>> {
        self.run(|c| kv::get(c, &kv::key_bytes(key)))
    }

    async fn load_range(&self, prefix: &StorageKey) -> StoreResult<Vec<(StorageKey, Vec<u8>)>> {
        let rows = self.run(|c| kv::load_prefix(c, &kv::key_bytes(prefix)))?;
        Ok(rows
            .into_iter()
            .filter_map(|(k, v)| kv::key_from_bytes(&k).map(|k| (k, v)))
            .collect())
    }

    async fn put(&self, key: &StorageKey, value: &[u8]) -> StoreResult<()> {
        queue_write(&self.writes, Write::put(key, value)).await
    }

    async fn delete(&self, key: &StorageKey) -> StoreResult<()> {
        queue_write(&self.writes, Write::delete(key)).await
    }
}

impl<S: DocumentStore> DocumentStore for Arc<S> {
    async fn load(&self, key: &StorageKey) -> StoreResult<Option<Vec<u8>>> {
        (**self).load(key).await
    }

    async fn load_range(&self, prefix: &StorageKey) -> StoreResult<Vec<(StorageKey, Vec<u8>)>> {
        (**self).load_range(prefix).await
    }

    async fn put(&self, key: &StorageKey, value: &[u8]) -> StoreResult<()> {
        (**self).put(key, value).await
    }

    async fn delete(&self, key: &StorageKey) -> StoreResult<()> {
        (**self).delete(key).await
    }
}

/// Documents in a PostgreSQL database (the `kv` table of `postgres.rs`), which several server
/// processes share. A `put` of a document's row moves the change feed in the same transaction,
/// as [`SqliteDocuments`] does; the feed's one row serialises those writes across processes, so
/// a cursor read never passes a change that commits later with a lower number.
///
/// The same transaction notifies the other processes (`fanout.rs`).
///
/// Writes commit in groups, as on SQLite: each is queued when first polled and answered once
/// committed; a writer task takes every write waiting and stores them in one transaction —
/// the rows in one statement, the feed moved once for each document, one notification per
/// document — so one commit (one disk flush, one turn holding the feed's row) serves many.
pub struct PostgresDocuments {
    pool: deadpool_postgres::Pool,
    writes: Writes,
}

impl PostgresDocuments {
    /// Documents on `pool` (migrated by [`crate::postgres::open`]), written by the process
    /// that names itself `origin` in notifications. Starts the writer task (on the current
    /// tokio runtime), which ends when the store is dropped.
    pub fn new(pool: deadpool_postgres::Pool, origin: &str) -> Self {
        let (writes, queue) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(pg_write_groups(pool.clone(), origin.to_string(), queue));
        PostgresDocuments { pool, writes }
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Object> {
        self.pool.get().await.map_err(|e| StoreError(e.to_string()))
    }
}

fn pg_error(err: tokio_postgres::Error) -> StoreError {
    StoreError(crate::postgres::describe(&err))
}

impl DocumentStore for PostgresDocuments {
    async fn load(&self, key: &StorageKey) -> StoreResult<Option<Vec<u8>>> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached("SELECT value FROM kv WHERE key = $1")
            .await
            .map_err(pg_error)?;
        let row = client
            .query_opt(&statement, &[&kv::key_bytes(key)])
            .await
            .map_err(pg_error)?;
        row.map(|r| r.try_get(0)).transpose().map_err(pg_error)
    }

    async fn load_range(&self, prefix: &StorageKey) -> StoreResult<Vec<(StorageKey, Vec<u8>)>> {
        let prefix = kv::key_bytes(prefix);
        let (lower, upper) = kv::bounds_under(&prefix);
        let client = self.client().await?;
        let statement = client
            .prepare_cached(
                "SELECT key, value FROM kv
                 WHERE key = $1 OR (key >= $2 AND key < $3) ORDER BY key",
            )
            .await
            .map_err(pg_error)?;
        let rows = client
            .query(&statement, &[&prefix, &lower, &upper])
            .await
            .map_err(pg_error)?;
        let mut found = Vec::with_capacity(rows.len());
        for row in rows {
            let key: Vec<u8> = row.try_get(0).map_err(pg_error)?;
            let value: Vec<u8> = row.try_get(1).map_err(pg_error)?;
            if let Some(key) = kv::key_from_bytes(&key) {
                found.push((key, value));
            }
        }
        Ok(found)
    }

    async fn put(&self, key: &StorageKey, value: &[u8]) -> StoreResult<()> {
        queue_write(&self.writes, Write::put(key, value)).await
    }

    async fn delete(&self, key: &StorageKey) -> StoreResult<()> {
        queue_write(&self.writes, Write::delete(key)).await
    }
}

/// Queues `write` for its store's writer (at once, when first polled); answers once it is
/// committed.
async fn queue_write(writes: &Writes, write: Write) -> StoreResult<()> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    if writes.send((write, answer)).is_err() {
        return Err(StoreError("the document writer has stopped".into()));
    }
    match answered.await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(StoreError(e)),
        Err(_) => Err(StoreError("the document writer has stopped".into())),
    }
}

/// The PostgreSQL writer: every write waiting when it is free goes into one transaction.
async fn pg_write_groups(
    pool: deadpool_postgres::Pool,
    origin: String,
    mut queue: tokio::sync::mpsc::UnboundedReceiver<(Write, Answer)>,
) {
    let mut group = Vec::new();
    while queue.recv_many(&mut group, 4096).await > 0 {
        let result = pg_commit_group(&pool, &origin, &group).await.map_err(|e| {
            tracing::error!(error = %e, writes = group.len(), "storing documents failed");
            e.0
        });
        for (_, answer) in group.drain(..) {
            let _ = answer.send(result.clone());
        }
    }
}

/// Writes `group` in one transaction: within it only each key's last write counts, so the rows
/// go in one upsert and one delete; then the feed moves once for each document written, in the
/// order of their first write, and each is announced to the other processes.
async fn pg_commit_group(
    pool: &deadpool_postgres::Pool,
    origin: &str,
    group: &[(Write, Answer)],
) -> StoreResult<()> {
    let mut last: HashMap<&[u8], Option<&[u8]>> = HashMap::new();
    let mut order: Vec<&[u8]> = Vec::new();
    let mut docs: Vec<&str> = Vec::new();
    for (write, _) in group {
        let (key, value) = match write {
            Write::Put { key, value, doc } => {
                if let Some(doc) = doc {
                    if !docs.contains(&doc.as_str()) {
                        docs.push(doc);
                    }
                }
                (key.as_slice(), Some(value.as_slice()))
            }
            Write::Delete { key } => (key.as_slice(), None),
        };
        if last.insert(key, value).is_none() {
            order.push(key);
        }
    }
    let (mut put_keys, mut put_values, mut deleted) = (Vec::new(), Vec::new(), Vec::new());
    for key in order {
        match last[key] {
            Some(value) => {
                put_keys.push(key);
                put_values.push(value);
            }
            None => deleted.push(key),
        }
    }

    let mut client = pool.get().await.map_err(|e| StoreError(e.to_string()))?;
    let tx = client.transaction().await.map_err(pg_error)?;
    if !put_keys.is_empty() {
        let put = tx.prepare_cached(PG_PUT_ROWS).await.map_err(pg_error)?;
        tx.execute(&put, &[&put_keys, &put_values])
            .await
            .map_err(pg_error)?;
    }
    if !deleted.is_empty() {
        let delete = tx
            .prepare_cached("DELETE FROM kv WHERE key = ANY($1)")
            .await
            .map_err(pg_error)?;
        tx.execute(&delete, &[&deleted]).await.map_err(pg_error)?;
    }
    if !docs.is_empty() {
        let advance = tx.prepare_cached(PG_ADVANCE_FEED).await.map_err(pg_error)?;
        tx.execute(&advance, &[&docs]).await.map_err(pg_error)?;
        let payloads: Vec<String> = docs
            .iter()
            .map(|doc| crate::fanout::change_payload(origin, doc))
            .collect();
        let notify = tx
            .prepare_cached("SELECT pg_notify($1, payload) FROM UNNEST($2::text[]) AS payload")
            .await
            .map_err(pg_error)?;
        tx.execute(&notify, &[&crate::fanout::CHANGES, &payloads])
            .await
            .map_err(pg_error)?;
    }
    tx.commit().await.map_err(pg_error)
}

/// Every row of a group in one statement (no key twice: the group keeps each key's last).
const PG_PUT_ROWS: &str = "INSERT INTO kv (key, value)
    SELECT * FROM UNNEST($1::bytea[], $2::bytea[])
    ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/// Moves the feed by one for each document of `$1`, in order: the first gets the lowest of the
/// new numbers.
const PG_ADVANCE_FEED: &str = "WITH docs AS (
        SELECT doc_id, ord FROM UNNEST($1::text[]) WITH ORDINALITY AS d (doc_id, ord)
    ), next AS (
        UPDATE change_feed SET seq = seq + (SELECT count(*) FROM docs) WHERE id = 1 RETURNING seq
    )
    INSERT INTO doc_changes (doc_id, seq)
    SELECT docs.doc_id, next.seq - (SELECT count(*) FROM docs) + docs.ord FROM docs, next
    ON CONFLICT (doc_id) DO UPDATE SET seq = excluded.seq";

/// How many on-disk heads are remembered per document: a document has a handful of heads; the
/// bound only matters for a damaged history.
const MAX_REMEMBERED_HEADS: usize = 64;
/// How many superseded heads are remembered per document, for a while (see [`DocState`]).
const MAX_RECENTLY_SUPERSEDED: usize = 256;

/// What is on disk of one document.
///
/// A sync message advertises the heads the document had when the message was made; every one of
/// them was saved in the step that brought it (as its own change row, or as a head of a saved
/// document). By the time the message is about to leave, newer changes may have superseded those
/// heads, so heads superseded recently are remembered too.
#[derive(Default)]
struct DocState {
    /// Changes known to be on disk that no other change on disk is known to depend on.
    heads: VecDeque<ChangeHash>,
    /// Former heads, with when they were superseded.
    superseded: VecDeque<(ChangeHash, Instant)>,
    /// Writes started and not finished.
    writing: usize,
    /// A write of this document failed: what it held may be lost until a peer sends it again.
    failed: bool,
}

impl DocState {
    fn add_head(&mut self, hash: ChangeHash) {
        if !self.heads.contains(&hash) {
            if self.heads.len() == MAX_REMEMBERED_HEADS {
                self.heads.pop_front();
            }
            self.heads.push_back(hash);
        }
    }

    fn contains(&self, hash: &ChangeHash) -> bool {
        self.heads.contains(hash) || self.superseded.iter().any(|(h, _)| h == hash)
    }

    /// Notes rows now on disk: changes (`incremental`) and saved documents (`snapshot`).
    fn note_rows<'a>(
        &mut self,
        rows: impl IntoIterator<Item = (&'a StorageKey, &'a [u8])>,
        now: Instant,
        keep: Duration,
    ) {
        let mut changes = Vec::new();
        let mut deps = HashSet::new();
        for (key, data) in rows {
            let parts: Vec<&str> = key.into_iter().map(String::as_str).collect();
            match parts.as_slice() {
                [_, "incremental", hash] => {
                    let Ok(hash) = hash.parse::<ChangeHash>() else {
                        continue;
                    };
                    deps.extend(chunks::change_deps(data).unwrap_or_default());
                    changes.push(hash);
                }
                [_, "snapshot", _] => match chunks::document_heads(data) {
                    Some(heads) => heads.into_iter().for_each(|h| self.add_head(h)),
                    None => tracing::warn!(%key, "could not read the heads of a saved document"),
                },
                _ => {}
            }
        }
        while self
            .superseded
            .front()
            .is_some_and(|(_, at)| now.duration_since(*at) > keep)
        {
            self.superseded.pop_front();
        }
        let (gone, kept): (Vec<_>, Vec<_>) = self.heads.drain(..).partition(|h| deps.contains(h));
        self.heads = kept.into();
        for hash in gone {
            if self.superseded.len() == MAX_RECENTLY_SUPERSEDED {
                self.superseded.pop_front();
            }
            self.superseded.push_back((hash, now));
        }
        for hash in changes {
            if !deps.contains(&hash) {
                self.add_head(hash);
            }
        }
    }
}

/// Whether a document's heads are on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durable {
    Yes,
    NotYet,
    /// A write of this document failed.
    Failed,
}

/// Why a sync message was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotDurable {
    #[error("a write of document {0} failed: its changes may not be on disk")]
    Failed(String),
}

/// What the server knows is on disk, per document (see the module documentation).
pub struct Durability {
    docs: Mutex<HashMap<String, DocState>>,
    /// Bumped after every write, so waiters look again.
    written: watch::Sender<u64>,
    failures: prometheus_client::metrics::counter::Counter,
    wait_limit: Duration,
    /// Bumped after every change of a document that reached the disk (and so the change feed).
    stored: watch::Sender<u64>,
    /// Which documents those changes were of, since [`Durability::take_stored`] last looked.
    stored_docs: Mutex<StoredDocs>,
}

/// The documents whose changes reached the disk since the last look (see
/// [`Durability::take_stored`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StoredDocs {
    pub docs: HashSet<String>,
    /// Any document may have changed (changes another process stored went unheard).
    pub all: bool,
}

impl Default for Durability {
    fn default() -> Self {
        Self::new(Duration::from_secs(10))
    }
}

impl Durability {
    /// A tracker whose waits give up after `wait_limit` (then the message goes out anyway, with
    /// a warning, unless a write failed).
    pub fn new(wait_limit: Duration) -> Self {
        Durability {
            docs: Mutex::default(),
            written: watch::Sender::new(0),
            failures: Default::default(),
            wait_limit,
            stored: watch::Sender::new(0),
            stored_docs: Mutex::default(),
        }
    }

    /// Hears of every change of a document stored from now on (the value only counts them);
    /// [`Durability::take_stored`] says which documents changed.
    pub fn stored_changes(&self) -> watch::Receiver<u64> {
        self.stored.subscribe()
    }

    /// The documents changed since the last call (by this process or, as heard, another), and
    /// forgets them. Held until taken: one set, each document once.
    pub fn take_stored(&self) -> StoredDocs {
        std::mem::take(&mut *lock(&self.stored_docs))
    }

    fn note_stored<'a>(&self, docs: impl IntoIterator<Item = &'a str>, all: bool) {
        {
            let mut stored = lock(&self.stored_docs);
            stored.all |= all;
            if !stored.all {
                stored.docs.extend(docs.into_iter().map(str::to_string));
            }
        }
        self.stored.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn docs(&self) -> std::sync::MutexGuard<'_, HashMap<String, DocState>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        self.written.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// How many storage calls have failed since the server started.
    pub fn failures(&self) -> u64 {
        self.failures.get()
    }

    /// The same count, for `/metrics`.
    pub fn failure_counter(&self) -> prometheus_client::metrics::counter::Counter {
        self.failures.clone()
    }

    /// How many documents the engine loaded or wrote in this process (and has not forgotten).
    pub fn documents(&self) -> usize {
        self.docs().len()
    }

    fn failed(&self, doc_id: Option<&str>) {
        self.failures.inc();
        if let Some(doc_id) = doc_id {
            self.docs().entry(doc_id.to_string()).or_default().failed = true;
        }
        self.bump();
    }

    fn write_started(&self, doc_id: &str) {
        self.docs().entry(doc_id.to_string()).or_default().writing += 1;
    }

    fn write_finished(&self, doc_id: &str, key: &StorageKey, data: &[u8], ok: bool) {
        {
            let mut docs = self.docs();
            let doc = docs.entry(doc_id.to_string()).or_default();
            doc.writing = doc.writing.saturating_sub(1);
            if ok {
                doc.note_rows([(key, data)], Instant::now(), self.wait_limit * 3);
            } else {
                doc.failed = true;
            }
        }
        self.bump();
        if ok {
            self.note_stored([doc_id], false);
        }
    }

    /// Whether the engine loaded or wrote `doc_id` in this process (and has not forgotten it).
    pub fn knows(&self, doc_id: &str) -> bool {
        self.docs().contains_key(doc_id)
    }

    /// `doc_id` left memory (no connection uses it): what was known of it goes, unless a write of
    /// it is still under way or failed.
    pub fn forget(&self, doc_id: &str) {
        let mut docs = self.docs();
        if docs
            .get(doc_id)
            .is_some_and(|d| d.writing == 0 && !d.failed)
        {
            docs.remove(doc_id);
        }
    }

    /// Another process stored changes to `docs` (`fanout.rs`), or to any document when
    /// `all` (what it said while this one was not listening).
    pub fn stored_elsewhere<'a>(&self, docs: impl IntoIterator<Item = &'a str>, all: bool) {
        self.note_stored(docs, all);
    }

    /// Notes rows of `doc_id` read from storage: they are on disk.
    pub(crate) fn loaded(&self, doc_id: &str, rows: &[(StorageKey, Vec<u8>)]) {
        if rows.is_empty() {
            return;
        }
        self.docs()
            .entry(doc_id.to_string())
            .or_default()
            .note_rows(
                rows.iter().map(|(k, v)| (k, v.as_slice())),
                Instant::now(),
                self.wait_limit * 3,
            );
        self.bump();
    }

    /// Whether every one of `heads` of `doc_id` is on disk, with no write of it under way.
    pub fn check(&self, doc_id: &str, heads: &[ChangeHash]) -> Durable {
        if heads.is_empty() {
            return Durable::Yes;
        }
        let docs = self.docs();
        let Some(doc) = docs.get(doc_id) else {
            return Durable::NotYet;
        };
        if doc.failed {
            Durable::Failed
        } else if doc.writing == 0 && heads.iter().all(|h| doc.contains(h)) {
            Durable::Yes
        } else {
            Durable::NotYet
        }
    }

    /// Waits until `heads` of `doc_id` are on disk. After the wait limit the answer is yes, with
    /// a warning (the tracker may have missed a write); a failed write is an error.
    pub async fn wait(&self, doc_id: &str, heads: &[ChangeHash]) -> Result<(), NotDurable> {
        let deadline = tokio::time::Instant::now() + self.wait_limit;
        loop {
            let mut written = self.written.subscribe();
            match self.check(doc_id, heads) {
                Durable::Yes => return Ok(()),
                Durable::Failed => return Err(NotDurable::Failed(doc_id.to_string())),
                Durable::NotYet => {
                    if tracing::enabled!(tracing::Level::DEBUG) {
                        let docs = self.docs();
                        let doc = docs.get(doc_id);
                        tracing::debug!(
                            doc_id,
                            ?heads,
                            on_disk = ?doc.map(|d| &d.heads),
                            writing = doc.map(|d| d.writing),
                            "sync message waits for its heads to reach the disk"
                        );
                    }
                }
            }
            if tokio::time::timeout_at(deadline, written.changed())
                .await
                .is_err()
            {
                tracing::warn!(
                    doc_id,
                    ?heads,
                    "heads not seen on disk in time; sending the sync message anyway"
                );
                return Ok(());
            }
        }
    }
}

/// A [`DocumentStore`] as samod's storage, telling [`Durability`] what reaches the disk.
pub struct SamodStorage<S> {
    store: Arc<S>,
    durability: Arc<Durability>,
}

impl<S> Clone for SamodStorage<S> {
    fn clone(&self) -> Self {
        SamodStorage {
            store: self.store.clone(),
            durability: self.durability.clone(),
        }
    }
}

impl<S: DocumentStore> SamodStorage<S> {
    pub fn new(store: S, durability: Arc<Durability>) -> Self {
        SamodStorage {
            store: Arc::new(store),
            durability,
        }
    }

    /// The store under it.
    pub fn store(&self) -> Arc<S> {
        self.store.clone()
    }

    /// samod's `put` without taking the row, which the caller may still pass on; whether the row
    /// was stored.
    pub async fn put_row(&self, key: &StorageKey, data: &[u8]) -> bool {
        let doc_id = doc_of(key).map(str::to_string);
        if let Some(doc_id) = &doc_id {
            self.durability.write_started(doc_id);
        }
        let result = self.store.put(key, data).await;
        tracing::trace!(%key, ok = result.is_ok(), "put");
        if let Err(err) = &result {
            tracing::error!(%err, %key, "storage put failed");
            self.durability.failed(doc_id.as_deref());
        }
        if let Some(doc_id) = &doc_id {
            self.durability
                .write_finished(doc_id, key, data, result.is_ok());
        }
        result.is_ok()
    }
}

/// The document a key belongs to (`None` for samod's own keys, such as its storage id).
fn doc_of(key: &StorageKey) -> Option<&str> {
    let mut parts = key.into_iter();
    let doc = parts.next()?;
    parts.next().map(|_| doc.as_str())
}

impl<S: DocumentStore> samod::storage::Storage for SamodStorage<S> {
    async fn load(&self, key: StorageKey) -> Option<Vec<u8>> {
        match self.store.load(&key).await {
            Ok(value) => value,
            Err(err) => {
                tracing::error!(%err, %key, "storage load failed");
                self.durability.failed(None);
                None
            }
        }
    }

    async fn load_range(&self, prefix: StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        match self.store.load_range(&prefix).await {
            Ok(rows) => {
                if let Some(doc_id) = (&prefix).into_iter().next() {
                    self.durability.loaded(doc_id, &rows);
                }
                rows.into_iter().collect()
            }
            Err(err) => {
                tracing::error!(%err, %prefix, "storage range load failed");
                self.durability.failed(None);
                HashMap::new()
            }
        }
    }

    async fn put(&self, key: StorageKey, data: Vec<u8>) {
        self.put_row(&key, &data).await;
    }

    async fn delete(&self, key: StorageKey) {
        if let Err(err) = self.store.delete(&key).await {
            // A failed delete leaves superseded rows behind; loading still works.
            tracing::error!(%err, %key, "storage delete failed");
            self.durability.failed(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    fn key(parts: &[&str]) -> StorageKey {
        StorageKey::from_parts(parts).unwrap()
    }

    fn store() -> SqliteDocuments {
        SqliteDocuments::new(crate::db::open_file(std::path::Path::new(":memory:")).unwrap())
    }

    #[tokio::test]
    async fn the_sqlite_store_round_trips_and_ranges_by_exact_bytes() {
        let s = store();
        s.put(&key(&["AbC", "incremental", "1"]), b"a")
            .await
            .unwrap();
        s.put(&key(&["abc", "incremental", "2"]), b"b")
            .await
            .unwrap();
        s.put(&key(&["AbCd", "snapshot", "3"]), b"c").await.unwrap();
        let found = s.load_range(&key(&["AbC"])).await.unwrap();
        assert_eq!(
            found,
            vec![(key(&["AbC", "incremental", "1"]), b"a".to_vec())]
        );
        assert_eq!(
            s.load(&key(&["abc", "incremental", "2"])).await.unwrap(),
            Some(b"b".to_vec())
        );
        s.delete(&key(&["abc", "incremental", "2"])).await.unwrap();
        assert_eq!(
            s.load(&key(&["abc", "incremental", "2"])).await.unwrap(),
            None
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_made_together_are_all_stored_in_the_order_they_were_made() {
        let s = Arc::new(store());
        // Many devices' edits at once: each is stored, and each document is in the feed.
        let row = |i: usize| key(&[&format!("doc{i}"), "incremental", "h"]);
        let writes = (0..200).map(|i| {
            let s = s.clone();
            async move { s.put(&row(i), i.to_string().as_bytes()).await }
        });
        for written in futures::future::join_all(writes).await {
            written.unwrap();
        }
        for i in 0..200 {
            assert_eq!(
                s.load(&row(i)).await.unwrap(),
                Some(i.to_string().into_bytes())
            );
        }
        let in_feed: i64 = s
            .run(|c| c.query_row("SELECT count(*) FROM doc_changes", [], |r| r.get(0)))
            .unwrap();
        assert_eq!(in_feed, 200, "every document written is in the change feed");

        // A put and a delete of one row made together: the later one counts, either way.
        let k = key(&["d", "snapshot", "s"]);
        let (put, delete) = futures::join!(s.put(&k, b"x"), s.delete(&k));
        put.unwrap();
        delete.unwrap();
        assert_eq!(s.load(&k).await.unwrap(), None);
        let (delete, put) = futures::join!(s.delete(&k), s.put(&k, b"y"));
        delete.unwrap();
        put.unwrap();
        assert_eq!(s.load(&k).await.unwrap(), Some(b"y".to_vec()));

        // A commit that fails answers every write in it with the error: none is acknowledged.
        s.run(|c| c.execute_batch("DROP TABLE kv")).unwrap();
        let (one, two) = (row(1), row(2));
        let (first, second) = futures::join!(s.put(&one, b"lost"), s.put(&two, b"lost"));
        assert!(first.is_err() && second.is_err(), "{first:?} {second:?}");
    }

    #[tokio::test]
    async fn heads_become_durable_when_their_change_or_a_snapshot_is_written() {
        use samod::storage::Storage;
        let durability = Arc::new(Durability::new(Duration::from_millis(50)));
        let storage = SamodStorage::new(store(), durability.clone());
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "a", 1).unwrap();
        let first = doc.commit().unwrap();
        doc.put(ROOT, "b", 2).unwrap();
        let second = doc.commit().unwrap();

        assert_eq!(durability.check("d", &[]), Durable::Yes);
        assert_eq!(durability.check("d", &[first]), Durable::NotYet);
        for change in doc.document().get_changes(&[]) {
            let k = key(&["d", "incremental", &change.hash().to_string()]);
            storage.put(k, change.raw_bytes().to_vec()).await;
        }
        assert_eq!(durability.check("d", &[second]), Durable::Yes);
        // The first change is no longer a head, but a message made before the second arrived
        // advertises it: it is on disk too.
        assert_eq!(durability.check("d", &[first]), Durable::Yes);

        doc.put(ROOT, "c", 3).unwrap();
        let third = doc.commit().unwrap();
        assert_eq!(durability.check("d", &[third]), Durable::NotYet);
        storage.put(key(&["d", "snapshot", "x"]), doc.save()).await;
        assert_eq!(durability.check("d", &[third]), Durable::Yes);
        durability.wait("d", &[third]).await.unwrap();

        // A new server reading the rows back knows them durable too.
        let reloaded = Arc::new(Durability::default());
        let again = SamodStorage {
            store: storage.store.clone(),
            durability: reloaded.clone(),
        };
        again.load_range(key(&["d", "snapshot"])).await;
        again.load_range(key(&["d", "incremental"])).await;
        assert_eq!(reloaded.check("d", &[third]), Durable::Yes);
    }
}
