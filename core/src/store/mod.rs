//! The local store: a person's documents in SQLite, opened at a path.
//!
//! Every edit is one automerge change, written to SQLite as one row (in samod's layout) before
//! the edit returns, so an edit that returned survives the process being killed. An edit that
//! fails leaves nothing behind: its change is rolled back, or, if the write failed, the
//! document is dropped from memory and reloaded from disk on next use.

mod compactor;
pub(crate) use compactor::doc_from_rows;
pub mod db;
mod identity;
pub use tandem_storage::kv;
pub(crate) mod month_cache;
pub mod seal;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
pub mod vault;

pub use identity::Identity;
pub use seal::StoreKey;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use automerge::transaction::{CommitOptions, Transaction};
use automerge::{ActorId, Automerge};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use samod::DocumentId;

use crate::document::{self, check_header, check_ins, DocKind};
use crate::error::{Error, Result};
use identity::StoredIdentity;

/// After this many single-change rows, a document's rows are compacted: the single changes
/// folded into one bundle row (automerge's compressed form of those changes), which costs in
/// proportion to them, not to the document.
pub const COMPACT_AFTER: usize = 256;
/// After this many bundle rows, a compaction rewrites the document as one snapshot instead.
pub const SNAPSHOT_AFTER_BUNDLES: usize = 16;

/// How many edits the store keeps for a sync engine that has not read them yet.
pub const EDITS_BUFFERED: usize = 1024;

/// How to open a store.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// The time zone a new journey is scheduled in (IANA name). Ignored when the store exists;
    /// `None` means UTC.
    pub time_zone: Option<String>,
    /// The clock the store reads whenever it needs the time: the system's unless a test (or
    /// the command line's `--now`) fixes it.
    pub clock: Clock,
    /// Certificates (PEM) this device trusts for its server besides the public web's roots:
    /// a service's own certificate authority, or the server's own certificate, pinned.
    pub trusted_certificates: Option<String>,
    /// The store's key: a store opened with one is encrypted at rest (`seal.rs`), and a plain
    /// store opened with one is encrypted in place first. An encrypted store needs it.
    pub key: Option<StoreKey>,
}

/// Where a store reads the time: every "now" in the core comes from here.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }

    /// A clock stopped at `at`.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// A clock that reads `now` (a test's clock it moves by hand, say).
    pub fn from_fn(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(now))
    }

    /// The time now.
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now().to_rfc3339())
    }
}

/// A person's local store: their journey, its check-ins, and their private document.
pub struct Store {
    path: PathBuf,
    db: Arc<Mutex<Connection>>,
    /// Seals what is written to `db` and opens what is read (plain unless it has a key).
    pub(crate) sealer: Arc<seal::Sealer>,
    docs: Mutex<HashMap<DocumentId, OpenDoc>>,
    me: StoredIdentity,
    pub(crate) journey_id: DocumentId,
    /// Counts edits made here and others' edits received; observers (the app) watch it.
    pub(crate) changes: tokio::sync::watch::Sender<Changes>,
    /// The document of each edit made here, as it becomes durable: the sync engine sends it.
    edits: tokio::sync::broadcast::Sender<DocumentId>,
    /// This session's automerge actor: a new one each time the store is opened, so two
    /// processes that open one store by mistake can never write clashing changes.
    pub(crate) actor: ActorId,
    clock: Clock,
    pub(crate) trusted_certificates: Option<String>,
    /// The key it was opened with, to open it again (a device joining its person's account).
    pub(crate) key: Option<StoreKey>,
    /// Checkpoints the write-ahead log off the edit path (none for an in-memory database).
    _checkpointer: Option<db::Checkpointer>,
    /// Compacts documents' rows off the edit path.
    compactor: compactor::Compactor,
    /// Keeps the key from changing while the store is open (none in memory).
    _key_lock: Option<seal::KeyLock>,
    /// The TLS settings made from them, once needed.
    tls: std::sync::OnceLock<Arc<rustls::ClientConfig>>,
}

/// How many times a store has changed since it was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// Edits made on this device.
    pub local: u64,
    /// Edits from elsewhere received by sync and stored.
    pub remote: u64,
}

/// Makes a document that does not exist yet, for this session's actor.
type CreateDoc<'a> = &'a dyn Fn(&ActorId) -> Result<Automerge>;

pub(crate) struct OpenDoc {
    pub(crate) doc: Automerge,
    /// Whether its header was checked against the kind a reader expects: a document sync
    /// loaded or received is checked when first read.
    pub(crate) checked: bool,
    /// For a check-in document, its month.
    pub(crate) month: Option<String>,
    /// Single-change rows written since the last compaction was asked for.
    pub(crate) incrementals: usize,
}

impl OpenDoc {
    pub(crate) fn new(doc: Automerge, incrementals: usize) -> Self {
        let month = document::header_str(&doc, "period");
        OpenDoc {
            doc,
            checked: true,
            month,
            incrementals,
        }
    }
}

impl Store {
    /// Opens the store at `path`, creating it (with a new device key, journey and private
    /// document) if there is none.
    pub fn open(path: impl AsRef<Path>, options: OpenOptions) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let key_lock = if path.as_os_str() == ":memory:" {
            None
        } else {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            Some(seal::KeyLock::shared(&path)?)
        };
        let mut conn = db::open(&path)?;
        let sealer = Arc::new(seal::unlock(&mut conn, options.key.as_ref())?);
        let checkpointer = if path.as_os_str() == ":memory:" {
            None
        } else {
            Some(db::Checkpointer::start(&conn, &path)?)
        };
        let actor = ActorId::random();
        let mut created = Vec::new();
        let me = match StoredIdentity::load(&conn, &sealer)? {
            Some(me) => me,
            None => {
                let time_zone = options.time_zone.as_deref().unwrap_or("UTC");
                crate::journey::schedule::parse_time_zone(time_zone)?;
                let journey_id = document::new_doc_id();
                let private_id = document::new_doc_id();
                let me = StoredIdentity::generate(journey_id.to_string(), private_id.to_string());
                let now = options.clock.now();
                let journey = document::journey::new_journey(
                    &journey_id,
                    &me.identity.person_id,
                    time_zone,
                    &actor,
                    now.timestamp(),
                )?;
                let private = document::genesis(
                    DocKind::Private,
                    &private_id,
                    vec![(
                        "owner",
                        document::fields::Field::str(&me.identity.person_id),
                    )],
                    document::Made::Here(now.timestamp()),
                    &actor,
                )?;
                let tx = conn.unchecked_transaction()?;
                me.save(&tx, &sealer, now)?;
                for (id, doc) in [(&journey_id, &journey), (&private_id, &private)] {
                    write_snapshot(&tx, &sealer, id, doc)?;
                }
                tx.commit()?;
                created.push((journey_id, journey));
                created.push((private_id, private));
                me
            }
        };
        let journey_id: DocumentId = me
            .identity
            .journey_id
            .parse()
            .map_err(|_| Error::damaged("the local store", "its journey id is unreadable"))?;
        let db = Arc::new(Mutex::new(conn));
        let store = Store {
            path,
            compactor: compactor::Compactor::start(db.clone(), sealer.clone())?,
            db,
            sealer,
            docs: Mutex::new(HashMap::new()),
            me,
            journey_id,
            actor,
            changes: tokio::sync::watch::Sender::new(Changes::default()),
            edits: tokio::sync::broadcast::Sender::new(EDITS_BUFFERED),
            clock: options.clock.clone(),
            trusted_certificates: options.trusted_certificates.clone(),
            key: options.key.clone(),
            _checkpointer: checkpointer,
            _key_lock: key_lock,
            tls: std::sync::OnceLock::new(),
        };
        {
            let mut docs = store.lock_docs();
            for (id, doc) in created {
                docs.insert(id, OpenDoc::new(doc, 0));
            }
        }
        // Opening means the journey is ready to show.
        store.read_doc(&store.journey_id.clone(), DocKind::Journey, true, |_| ())?;
        Ok(store)
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the store is encrypted at rest (opened with its key).
    pub fn is_encrypted(&self) -> bool {
        self.sealer.is_sealed()
    }

    /// The person and device this store belongs to.
    pub fn identity(&self) -> &Identity {
        &self.me.identity
    }

    /// The time now, by the store's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The clock the store reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// How this store's connections check the server's certificate.
    pub(crate) fn tls(&self) -> Result<Arc<rustls::ClientConfig>> {
        if let Some(tls) = self.tls.get() {
            return Ok(tls.clone());
        }
        let tls = crate::sync::tls::client_config(self.trusted_certificates.as_deref())?;
        Ok(self.tls.get_or_init(|| tls).clone())
    }

    /// The certificates this store trusts besides the public roots ([`OpenOptions`]).
    pub fn trusted_certificates(&self) -> Option<&str> {
        self.trusted_certificates.as_deref()
    }

    /// A fresh token for `server_id`, signed by this device (docs/SYNC.md).
    pub fn token(&self, server_id: &str) -> String {
        crate::auth::make_token(
            &self.me.signing_key,
            server_id,
            self.now().timestamp(),
            crate::auth::LIFETIME_SECS,
        )
    }

    /// Watches the store's changes: `changed().await` wakes after each durable edit made here
    /// and after each edit from elsewhere that sync stored.
    pub fn watch_changes(&self) -> tokio::sync::watch::Receiver<Changes> {
        self.changes.subscribe()
    }

    /// The document of every durable edit made here from now on (a receiver that lags behind
    /// by more than [`EDITS_BUFFERED`] hears `Lagged` and must look at every document).
    pub fn watch_edits(&self) -> tokio::sync::broadcast::Receiver<DocumentId> {
        self.edits.subscribe()
    }

    /// Creates a care or coaching document naming its two people, with the consent the joining
    /// person gave; returns its id.
    /// `names`: the names known of the two people (none where a person has not chosen one).
    pub(crate) fn create_relationship(
        &self,
        kind: DocKind,
        people: [(&'static str, &str); 2],
        consent: &crate::document::Consent,
        names: &[(&str, Option<String>)],
    ) -> Result<DocumentId> {
        let id = document::new_doc_id();
        let now = self.now().timestamp();
        let create = |actor: &ActorId| document::new_relationship(kind, &id, people, actor, now);
        self.edit_doc(&id, kind, Some(&create), |tx| {
            document::record_consent(tx, consent)?;
            for (person, name) in names {
                if let Some(name) = name {
                    document::put_name(tx, person, name)?;
                }
            }
            Ok(())
        })?;
        Ok(id)
    }

    /// A document exactly as this store holds it on disk, saved whole (automerge's format),
    /// whatever its kind; `None` when the store has none of it.
    pub fn saved_document(&self, doc_id: &str) -> Result<Option<Vec<u8>>> {
        let Ok(id) = doc_id.parse::<DocumentId>() else {
            return Err(Error::invalid(
                "doc_id",
                format!("{doc_id} is not a document id"),
            ));
        };
        Ok(self.load_unchecked(&id)?.map(|open| open.doc.save()))
    }

    pub(crate) fn lock_docs(&self) -> MutexGuard<'_, HashMap<DocumentId, OpenDoc>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn lock_db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Loads a document's rows from disk and checks it is a `kind` document; `None` if it has
    /// no rows.
    pub(crate) fn load_from_disk(&self, id: &DocumentId, kind: DocKind) -> Result<Option<OpenDoc>> {
        let Some(open) = self.load_unchecked(id)? else {
            return Ok(None);
        };
        check_header(&open.doc, id, kind)?;
        Ok(Some(open))
    }

    /// Loads a document's rows from disk, whatever its kind (marked unchecked); `None` if it
    /// has no rows.
    pub(crate) fn load_unchecked(&self, id: &DocumentId) -> Result<Option<OpenDoc>> {
        let rows = seal::load_rows(&self.lock_db(), &self.sealer, id.to_string().as_bytes())?;
        if rows.is_empty() {
            return Ok(None);
        }
        let (incrementals, _) = compactor::count_rows(&rows);
        let doc =
            compactor::doc_from_rows(id, &rows, Automerge::new().with_actor(self.actor.clone()))?;
        let mut open = OpenDoc::new(doc, incrementals);
        open.checked = false;
        Ok(Some(open))
    }

    /// Runs `f` on a document. With `keep`, the document stays in memory afterwards;
    /// otherwise (old months of check-ins) it is read and dropped, so long histories do not
    /// pile up in memory. `Ok(None)` when the document does not exist.
    pub(crate) fn read_doc<R>(
        &self,
        id: &DocumentId,
        kind: DocKind,
        keep: bool,
        f: impl FnOnce(&Automerge) -> R,
    ) -> Result<Option<R>> {
        // The work is in `read_doc_with`, compiled once; each caller's copy is this shim
        // (the mobile library's size: bindings/README.md, "Size").
        let mut f = Some(f);
        let mut out = None;
        self.read_doc_with(id, kind, keep, &mut |doc| out = f.take().map(|f| f(doc)))?;
        Ok(out)
    }

    /// [`Store::read_doc`]'s body: calls `f` once when the document exists.
    fn read_doc_with(
        &self,
        id: &DocumentId,
        kind: DocKind,
        keep: bool,
        f: &mut dyn FnMut(&Automerge),
    ) -> Result<()> {
        let mut docs = self.lock_docs();
        if let Some(open) = docs.get_mut(id) {
            if open.doc.get_heads().is_empty() {
                return Ok(()); // sync asked for it; nothing has arrived yet
            }
            if !open.checked {
                check_header(&open.doc, id, kind)?;
                open.checked = true;
            }
            f(&open.doc);
            return Ok(());
        }
        let Some(open) = self.load_from_disk(id, kind)? else {
            return Ok(());
        };
        f(&open.doc);
        if keep {
            docs.insert(id.clone(), open);
        }
        Ok(())
    }

    /// Applies `f` to a document as one change and makes that change durable before
    /// returning. `create` makes the document when it does not exist yet.
    pub(crate) fn edit_doc<R>(
        &self,
        id: &DocumentId,
        kind: DocKind,
        create: Option<CreateDoc<'_>>,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        // As in `read_doc`: the work is compiled once, in `edit_doc_with`.
        let mut f = Some(f);
        let mut out = None;
        self.edit_doc_with(id, kind, create, &mut |tx| {
            if let Some(f) = f.take() {
                out = Some(f(tx)?);
            }
            Ok(())
        })?;
        Ok(out.expect("edit_doc_with runs the edit once when it returns Ok"))
    }

    /// [`Store::edit_doc`]'s body: calls `f` once, unless the document cannot be opened.
    fn edit_doc_with(
        &self,
        id: &DocumentId,
        kind: DocKind,
        create: Option<CreateDoc<'_>>,
        f: &mut dyn FnMut(&mut Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut docs = self.lock_docs();
        if let Some(open) = docs.get_mut(id) {
            if open.doc.get_heads().is_empty() {
                docs.remove(id); // sync asked for it; nothing has arrived: as if absent
            } else if !open.checked {
                check_header(&open.doc, id, kind)?;
                open.checked = true;
            }
        }
        if !docs.contains_key(id) {
            let open = match (self.load_from_disk(id, kind)?, create) {
                (Some(open), _) => open,
                (None, Some(create)) => {
                    let doc = create(&self.actor)?;
                    write_snapshot(&self.lock_db(), &self.sealer, id, &doc)?;
                    OpenDoc::new(doc, 0)
                }
                (None, None) => return Err(Error::not_found("document", id.to_string())),
            };
            docs.insert(id.clone(), open);
        }
        let open = docs.get_mut(id).expect("inserted above");
        let mut tx = open.doc.transaction();
        if let Err(err) = f(&mut tx) {
            tx.rollback();
            return Err(err);
        }
        let now = self.now().timestamp();
        let (hash, _) = tx.commit_with(CommitOptions::default().with_time(now));
        if hash.is_none() {
            return Ok(()); // nothing changed
        }
        let change = open
            .doc
            .get_last_local_change()
            .expect("a change was just committed");
        let key = format!("{id}/incremental/{}", change.hash());
        // The change, and that the document has an edit its server may lack, in one commit.
        let written = (|| -> Result<()> {
            let mut conn = self.lock_db();
            let tx = conn.transaction()?;
            seal::put_row(&tx, &self.sealer, key.as_bytes(), change.raw_bytes())?;
            tx.prepare_cached("INSERT OR IGNORE INTO local_edits (doc_id) VALUES (?1)")?
                .execute([id.to_string()])?;
            tx.commit()?;
            Ok(())
        })();
        if let Err(err) = written {
            // The change is in memory only: forget the document so it reloads from disk.
            docs.remove(id);
            return Err(err);
        }
        open.incrementals += 1;
        self.changes.send_modify(|c| c.local += 1);
        let _ = self.edits.send(id.clone());
        self.compact_if_due(id, open);
        Ok(())
    }

    /// Asks the compactor to fold a document's rows once [`COMPACT_AFTER`] single changes
    /// have been written since it last asked; the edit does not wait for it.
    pub(crate) fn compact_if_due(&self, id: &DocumentId, open: &mut OpenDoc) {
        if open.incrementals >= COMPACT_AFTER {
            self.compactor.request(id);
            open.incrementals = 0;
        }
    }

    /// Drops from memory the check-ins of months past (they stay on disk) but `except`, so a
    /// long session going back through old months holds one of them at a time.
    pub(crate) fn forget_old_months(&self, except: &DocumentId) {
        self.forget_old_months_but(Some(except));
    }

    /// [`Store::forget_old_months`], for sync, which may have read many of them.
    pub(crate) fn forget_old_months_but(&self, except: Option<&DocumentId>) {
        let now = self.now();
        self.lock_docs().retain(|id, open| {
            Some(id) == except
                || open
                    .month
                    .as_deref()
                    .is_none_or(|month| check_ins::is_recent(month, now))
        });
    }

    /// Replaces a document's rows by one snapshot, in one transaction.
    pub(crate) fn compact(&self, id: &DocumentId, doc: &Automerge) -> Result<()> {
        let mut conn = self.lock_db();
        let tx = conn.transaction()?;
        kv::delete_prefix(&tx, id.to_string().as_bytes())?;
        write_snapshot(&tx, &self.sealer, id, doc)?;
        tx.commit()?;
        Ok(())
    }

    /// Bytes the store's documents take on disk, and how many rows hold them.
    pub fn stored_bytes(&self) -> Result<(u64, u64)> {
        let conn = self.lock_db();
        Ok(conn.query_row(
            "SELECT COALESCE(SUM(LENGTH(key) + LENGTH(value)), 0), COUNT(*) FROM kv",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?)
    }

    /// Rewrites each of the person's documents (journey, private, every month of check-ins)
    /// as one snapshot, so the store takes the least room. Months not in memory are loaded,
    /// compacted and let go.
    pub fn compact_all(&self) -> Result<()> {
        self.compactor.settle();
        let all = self.own_documents()?.into_iter().filter_map(|d| {
            let id: DocumentId = d.doc_id.parse().ok()?;
            Some((id, d.kind))
        });
        for (id, kind) in all {
            let rows = kv::keys_under(&self.lock_db(), id.to_string().as_bytes())?.len();
            if rows <= 1 {
                continue; // one snapshot already, or nothing
            }
            let mut docs = self.lock_docs();
            if let Some(open) = docs.get_mut(&id) {
                self.compact(&id, &open.doc)?;
                open.incrementals = 0;
                continue;
            }
            drop(docs);
            if let Some(open) = self.load_from_disk(&id, kind)? {
                self.compact(&id, &open.doc)?;
            }
        }
        Ok(())
    }

    /// Waits until the compactions asked for so far are done (tests and benchmarks).
    pub fn settle_compaction(&self) {
        self.compactor.settle();
    }
}

/// Erases the store at `path` — its database, write-ahead log and the files beside them — as a
/// device removed from its account does, or a person handing a phone on. The store must not be
/// open anywhere (refused, `NotPermitted`, if it is). On flash storage deleting a file does not
/// scrub its blocks: an encrypted store whose key the platform forgets as well is the erasure
/// that holds (the apps remove the key from their vault).
pub fn erase_store(path: &Path) -> Result<()> {
    if !path.exists() {
        return Err(Error::not_found("store", path.display().to_string()));
    }
    let lock = seal::KeyLock::exclusive(path)?;
    for suffix in ["-wal", "-shm", "-journal", ""] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(PathBuf::from(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    drop(lock);
    let mut name = path.as_os_str().to_owned();
    name.push(".keylock");
    let _ = std::fs::remove_file(PathBuf::from(name));
    Ok(())
}

/// Writes `doc` whole under `<id>/snapshot/<hash of its heads>`, as samod names snapshots.
pub(crate) fn write_snapshot(
    conn: &Connection,
    sealer: &seal::Sealer,
    id: &DocumentId,
    doc: &Automerge,
) -> Result<()> {
    seal::put_row(
        conn,
        sealer,
        compactor::snapshot_key(id, doc).as_bytes(),
        &doc.save(),
    )
}
