//! Compaction off the edit path.
//!
//! Every edit is one row (a single automerge change). After [`super::COMPACT_AFTER`] of them a
//! document's single-change rows are folded into one bundle row, and past
//! [`SNAPSHOT_AFTER_BUNDLES`] bundles the whole document is rewritten as one snapshot. Doing
//! that inside the edit that crossed the threshold cost that edit milliseconds (the store's
//! p99.9), so a thread of the store's own does it from the rows on disk: it reads them, builds
//! its own copy of the document, and replaces exactly the rows it read, in one transaction —
//! and only if they are all still there, so an edit, a sync or another compaction meanwhile is
//! never lost or doubled. It holds the database only to read and to write; no edit waits for
//! its automerge work.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use automerge::{Automerge, ChangeHash};
use rusqlite::Connection;
use samod::DocumentId;
use sha2::{Digest, Sha256};

use super::seal::{self, Sealer};
use super::SNAPSHOT_AFTER_BUNDLES;
use crate::error::{Error, Result};

enum Request {
    Compact(DocumentId),
    /// Answered once every request before it is done.
    Settle(mpsc::Sender<()>),
}

/// The store's compaction thread; stops (after the requests already made) when dropped.
pub(crate) struct Compactor {
    requests: Option<mpsc::Sender<Request>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Compactor {
    pub(crate) fn start(db: Arc<Mutex<Connection>>, sealer: Arc<Sealer>) -> Result<Compactor> {
        let (requests, received) = mpsc::channel::<Request>();
        let thread = std::thread::Builder::new()
            .name("tandem-compact".into())
            .spawn(move || {
                for request in received {
                    match request {
                        Request::Compact(id) => {
                            if let Err(err) =
                                compact_rows(&db, &sealer, &id, SNAPSHOT_AFTER_BUNDLES)
                            {
                                tracing::warn!(%err, doc = %id, "compaction failed; will retry");
                            }
                        }
                        Request::Settle(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            })?;
        Ok(Compactor {
            requests: Some(requests),
            thread: Some(thread),
        })
    }

    /// Asks for `id`'s rows to be compacted; returns at once.
    pub(crate) fn request(&self, id: &DocumentId) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Compact(id.clone()));
        }
    }

    /// Waits until every compaction asked for so far is done.
    pub(crate) fn settle(&self) {
        let (done, settled) = mpsc::channel();
        if let Some(requests) = &self.requests {
            if requests.send(Request::Settle(done)).is_ok() {
                let _ = settled.recv();
            }
        }
    }
}

impl Drop for Compactor {
    fn drop(&mut self) {
        drop(self.requests.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What one compaction did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Compacted {
    /// Single changes folded into one bundle row.
    Bundled(usize),
    /// The document rewritten as one snapshot, replacing this many rows.
    Snapshot(usize),
    /// Nothing worth doing, or the rows changed while it worked (the next request redoes it).
    Skipped,
}

fn is_kind(key: &[u8], kind: &[u8]) -> bool {
    key.windows(kind.len()).any(|w| w == kind)
}

/// A document from its rows: snapshots first, then the bundles and changes made since (one
/// load of all chunks together is several times faster than one load per row).
pub(crate) fn doc_from_rows(
    id: &DocumentId,
    rows: &[(Vec<u8>, Vec<u8>)],
    doc: Automerge,
) -> Result<Automerge> {
    let (snapshots, changes): (Vec<_>, Vec<_>) = rows
        .iter()
        .partition(|(key, _)| is_kind(key, b"/snapshot/"));
    let bytes: Vec<u8> = snapshots
        .into_iter()
        .chain(changes)
        .flat_map(|(_, v)| v.iter().copied())
        .collect();
    let mut doc = doc;
    match crate::document::no_panic(|| doc.load_incremental(&bytes)) {
        Some(Ok(_)) => Ok(doc),
        Some(Err(e)) => Err(Error::damaged(
            id,
            format!("its stored changes do not load: {e}"),
        )),
        None => Err(Error::damaged(
            id,
            "its stored changes make the document engine fail",
        )),
    }
}

/// Counts a document's rows by kind: (single changes, bundles).
pub(crate) fn count_rows(rows: &[(Vec<u8>, Vec<u8>)]) -> (usize, usize) {
    let singles = rows
        .iter()
        .filter(|(key, _)| is_kind(key, b"/incremental/"))
        .count();
    let bundles = rows
        .iter()
        .filter(|(key, _)| is_kind(key, b"/bundle/"))
        .count();
    (singles, bundles)
}

/// Compacts `id`'s rows as they are on disk: bundles its single changes, or, with
/// `snapshot_after` bundles or more already there, rewrites it as one snapshot.
pub(crate) fn compact_rows(
    db: &Mutex<Connection>,
    sealer: &Sealer,
    id: &DocumentId,
    snapshot_after: usize,
) -> Result<Compacted> {
    match Plan::read(db, sealer, id, snapshot_after)? {
        Some(plan) => plan.write(db, sealer),
        None => Ok(Compacted::Skipped),
    }
}

/// A compaction worked out from the rows read, not yet written.
pub(crate) struct Plan {
    id: DocumentId,
    /// The keys of the rows it replaces.
    replaced: Vec<Vec<u8>>,
    /// The row that replaces them.
    row: (Vec<u8>, Vec<u8>),
    snapshot: bool,
}

fn lock(db: &Mutex<Connection>) -> std::sync::MutexGuard<'_, Connection> {
    db.lock().unwrap_or_else(|e| e.into_inner())
}

impl Plan {
    /// Reads `id`'s rows and works out their replacement (the database is held only while
    /// reading); `None` when there is nothing worth folding.
    pub(crate) fn read(
        db: &Mutex<Connection>,
        sealer: &Sealer,
        id: &DocumentId,
        snapshot_after: usize,
    ) -> Result<Option<Plan>> {
        let rows = seal::load_rows(&lock(db), sealer, id.to_string().as_bytes())?;
        let (singles, bundles) = count_rows(&rows);
        if singles < 2 {
            return Ok(None);
        }
        let doc = doc_from_rows(id, &rows, Automerge::new())?;
        let snapshot = bundles >= snapshot_after;
        let replaced: Vec<Vec<u8>> = rows
            .into_iter()
            .map(|(key, _)| key)
            .filter(|key| snapshot || is_kind(key, b"/incremental/"))
            .collect();
        let row = if snapshot {
            (snapshot_key(id, &doc).into_bytes(), doc.save())
        } else {
            let hashes: Vec<ChangeHash> = replaced
                .iter()
                .map(|key| {
                    std::str::from_utf8(key)
                        .ok()
                        .and_then(|k| k.rsplit('/').next())
                        .and_then(|hash| hash.parse().ok())
                        .ok_or_else(|| Error::damaged(id, "a stored change's key is unreadable"))
                })
                .collect::<Result<_>>()?;
            let bundle = doc
                .bundle(hashes.iter().copied())
                .map_err(|e| Error::damaged(id, format!("its changes do not bundle: {e}")))?;
            let name = hex_digest(hashes.iter().map(|h| h.as_ref()));
            (
                format!("{id}/bundle/{name}").into_bytes(),
                bundle.bytes().to_vec(),
            )
        };
        Ok(Some(Plan {
            id: id.clone(),
            replaced,
            row,
            snapshot,
        }))
    }

    /// Replaces the rows read by the new one, in one transaction, if they are all still
    /// there; otherwise changes nothing (`Skipped`).
    pub(crate) fn write(self, db: &Mutex<Connection>, sealer: &Sealer) -> Result<Compacted> {
        let mut conn = lock(db);
        let tx = conn.transaction()?;
        for key in &self.replaced {
            let gone = tx
                .prepare_cached("DELETE FROM kv WHERE key = ?1")?
                .execute([key])?;
            if gone == 0 {
                tracing::debug!(doc = %self.id, "rows changed while compacting; left as they are");
                return Ok(Compacted::Skipped); // the transaction rolls back
            }
        }
        seal::put_row(&tx, sealer, &self.row.0, &self.row.1)?;
        tx.commit()?;
        let n = self.replaced.len();
        Ok(if self.snapshot {
            Compacted::Snapshot(n)
        } else {
            Compacted::Bundled(n)
        })
    }
}

/// The lowercase hex SHA-256 of `parts`, one after another.
pub(crate) fn hex_digest<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where `doc` is stored whole: `<id>/snapshot/<hash of its heads>`, as samod names snapshots.
pub(crate) fn snapshot_key(id: &DocumentId, doc: &Automerge) -> String {
    let heads = doc.get_heads();
    format!(
        "{id}/snapshot/{}",
        hex_digest(heads.iter().map(|h| h.as_ref()))
    )
}
