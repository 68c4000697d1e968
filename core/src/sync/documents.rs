//! What sync does with the store's documents.
//!
//! The sync engine (`crate::sync::engine`) has no documents of its own: it reads and changes
//! the very copy of each document the store holds, through these calls. A sync message
//! received is applied to that copy, and the changes it brought are written to SQLite, with
//! what the device now knows the peer has, in one transaction, before the engine answers —
//! so the device never acknowledges what a crash could lose, and after a reconnect an
//! unchanged document needs no exchange at all.

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash};
use rusqlite::{params, OptionalExtension};
use samod::DocumentId;

use crate::document::check_ins::period_doc_id;
use crate::document::journey as jdoc;
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::store::seal::{self, At};
use crate::store::{kv, write_snapshot, OpenDoc, Store};
use crate::sync::api::WithdrawnDocument;

/// What a document is, in a person's terms: whose, and which part of Tandem.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentAbout {
    /// The person the document belongs to (for a care or coaching document: the other one).
    pub person_id: String,
    /// Whether that person is the one this store belongs to.
    pub mine: bool,
    pub what: DocumentWhat,
}

/// Which part of Tandem a document holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DocumentWhat {
    Journey,
    /// One month's check-ins (`2026-12`).
    CheckIns {
        month: String,
    },
    Private,
    /// The care or coaching document between this person and `person_id`.
    Relationship,
}

/// A sync message to send for one document.
pub(crate) struct Outgoing {
    /// automerge's sync message, encoded.
    pub data: Vec<u8>,
    /// Whether this device holds anything of the document (otherwise the message asks for it).
    pub have_doc: bool,
}

/// Where a document stands with a peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Both have the same changes.
    InSync,
    /// Neither side has anything of it yet.
    NeitherHasIt,
    /// One side still lacks something.
    Behind,
}

/// What a received sync message did.
pub(crate) struct Received {
    /// The document changed (edits from elsewhere were stored).
    pub changed: bool,
}

impl Store {
    /// Every document this device syncs: the person's own (journey, private, each month of
    /// check-ins known here), and for each linked person the care or coaching document, their
    /// journey when shared, and its months once the journey is here.
    pub fn wanted_documents(&self) -> Result<Vec<DocumentId>> {
        let mut wanted: Vec<DocumentId> = Vec::new();
        for doc in self.own_documents()? {
            if let Ok(doc_id) = doc.doc_id.parse() {
                wanted.push(doc_id);
            }
        }
        for link in self.links()? {
            let others = link
                .relationship_doc_id
                .iter()
                .chain(link.journey_id.iter());
            for id in others {
                if let Ok(doc_id) = id.parse() {
                    wanted.push(doc_id);
                }
            }
            let Some(journey) = &link.journey_id else {
                continue;
            };
            let Ok(journey_id) = journey.parse::<DocumentId>() else {
                continue;
            };
            let months = self
                .read_doc(&journey_id, DocKind::Journey, true, jdoc::check_in_periods)
                .unwrap_or_default()
                .unwrap_or_default();
            for month in months {
                wanted.push(period_doc_id(journey, &month));
            }
        }
        wanted.sort();
        wanted.dedup();
        Ok(wanted)
    }

    /// Deletes this device's copies of documents their owner withdrew from this person (they
    /// stopped sharing, or erased their account): every stored row, the sync states, the copy
    /// in memory. The person's own documents are never deleted this way, whatever a server
    /// says. Returns how many documents were held here and are gone now; screens hear of it
    /// as a change from elsewhere.
    pub fn drop_withdrawn(&self, withdrawn: &[WithdrawnDocument]) -> Result<usize> {
        if withdrawn.is_empty() {
            return Ok(0);
        }
        let own: Vec<String> = self
            .own_documents()?
            .into_iter()
            .map(|d| d.doc_id)
            .collect();
        let mut dropped = 0;
        for doc in withdrawn {
            if own.contains(&doc.doc_id) {
                tracing::warn!(doc = %doc.doc_id, "the server withdrew one of this person's own documents: kept");
                continue;
            }
            let held = delete_document(&mut self.lock_db(), &doc.doc_id)?;
            if let Ok(id) = doc.doc_id.parse::<DocumentId>() {
                self.lock_docs().remove(&id);
            }
            if held {
                tracing::info!(doc = %doc.doc_id, reason = %doc.reason, "a withdrawn document was deleted here");
                dropped += 1;
            }
        }
        if dropped > 0 {
            // Nothing of them is left in the files either: not in free pages (a compaction
            // long ago left older copies there too), nor in the write-ahead log. A rare event
            // (someone stopped sharing), so the store is rewritten whole.
            let conn = self.lock_db();
            let rewritten = conn
                .execute_batch("VACUUM")
                .and_then(|()| empty_the_log(&conn));
            if rewritten != Ok(true) {
                tracing::warn!(
                    ?rewritten,
                    "the store's files may keep pages of deleted documents until it is vacuumed"
                );
            }
            drop(conn);
            self.changes.send_modify(|c| c.remote += 1);
        }
        Ok(dropped)
    }

    /// What a document this device syncs is, or `None` for one it does not know.
    pub fn about_document(&self, doc_id: &str) -> Result<Option<DocumentAbout>> {
        let me = self.identity().person_id.clone();
        let about = |person_id: &str, what| DocumentAbout {
            mine: person_id == me,
            person_id: person_id.to_string(),
            what,
        };
        if doc_id == self.identity().private_id {
            return Ok(Some(about(&me, DocumentWhat::Private)));
        }
        let links = self.links()?;
        let journeys = std::iter::once((me.clone(), self.identity().journey_id.clone())).chain(
            links
                .iter()
                .filter_map(|l| Some((l.person_id.clone(), l.journey_id.clone()?))),
        );
        for (person, journey) in journeys {
            if doc_id == journey {
                return Ok(Some(about(&person, DocumentWhat::Journey)));
            }
            let Ok(journey_id) = journey.parse::<DocumentId>() else {
                continue;
            };
            let months = self
                .read_doc(&journey_id, DocKind::Journey, true, jdoc::check_in_periods)?
                .unwrap_or_default();
            if let Some(month) = months
                .into_iter()
                .find(|m| period_doc_id(&journey, m).to_string() == doc_id)
            {
                return Ok(Some(about(&person, DocumentWhat::CheckIns { month })));
            }
        }
        Ok(links
            .iter()
            .find(|l| l.relationship_doc_id.as_deref() == Some(doc_id))
            .map(|l| about(&l.person_id, DocumentWhat::Relationship)))
    }

    /// What this device last knew `peer` had of a document (`None`: they never synced it).
    pub(crate) fn sync_state(&self, peer: &str, id: &DocumentId) -> Result<Option<sync::State>> {
        let bytes: Option<Vec<u8>> = self
            .lock_db()
            .prepare_cached("SELECT state FROM peer_sync_state WHERE peer = ?1 AND doc_id = ?2")?
            .query_row(params![peer, id.to_string()], |r| r.get(0))
            .optional()?;
        // A state this version cannot read only costs a longer exchange.
        let at = At::SyncState {
            peer,
            doc_id: &id.to_string(),
        };
        Ok(bytes.and_then(|b| sync::State::decode(&self.sealer.open(at, &b).ok()?).ok()))
    }

    /// The next sync message for a document, or `None` when the peer is known to have all of
    /// it. With `first` (the first message on a connection) the changes the peer is known to
    /// lack go along at once — everything since the heads both last had, or the whole document
    /// when they never synced it — so the peer can answer with all it has in one round trip.
    pub(crate) fn sync_out(
        &self,
        id: &DocumentId,
        state: &mut sync::State,
        first: bool,
    ) -> Result<Option<Outgoing>> {
        self.with_sync_doc(id, |open| {
            let doc = &open.doc;
            let Some(mut message) = doc.generate_sync_message(state) else {
                return Ok(None);
            };
            let have_doc = !doc.get_heads().is_empty();
            if first && have_doc && message.changes.is_empty() {
                let (chunks, hashes) = lacking(doc, &state.shared_heads);
                if !chunks.is_empty() {
                    message.changes = chunks.into();
                    state.sent_hashes.extend(hashes);
                }
            }
            Ok(Some(Outgoing {
                data: message.encode(),
                have_doc,
            }))
        })
    }

    /// Applies a sync message from `peer` to a document and stores what it brought, with what
    /// the device now knows `peer` has, in one transaction. On an error nothing is stored, the
    /// document is read again from disk next time, and `state` must be thrown away.
    pub(crate) fn sync_in(
        &self,
        peer: &str,
        id: &DocumentId,
        state: &mut sync::State,
        data: &[u8],
    ) -> Result<Received> {
        let message = sync::Message::decode(data)
            .map_err(|e| Error::Sync(format!("an unreadable sync message for {id}: {e}")))?;
        let shared_before = state.shared_heads.clone();
        let outcome =
            self.with_sync_doc(id, |open| {
                let before = open.doc.get_heads();
                // A bundle never travels in sync, and automerge allocates without bound for
                // some malformed ones (tandem_protocol::chunks): refused before it parses them.
                if tandem_protocol::chunks::carries_bundle(message.changes.iter()) {
                    return Err(Error::Sync(format!(
                        "a sync message for {id} carries a bundle chunk, which sync never sends"
                    )));
                }
                // A peer's changes may make automerge's loader panic: refused like any bad
                // message, and the document (in an unknown state) is read again from disk.
                crate::document::no_panic(|| open.doc.receive_sync_message(state, message))
                    .ok_or_else(|| {
                        Error::Sync(format!(
                            "a sync message for {id} made the document engine fail"
                        ))
                    })?
                    .map_err(|e| {
                        Error::Sync(format!("a sync message for {id} does not apply: {e}"))
                    })?;
                let changed = open.doc.get_heads() != before;
                if !changed && state.shared_heads == shared_before {
                    return Ok(Received { changed: false });
                }
                let mut conn = self.lock_db();
                let tx = conn.transaction()?;
                let mut written = 0;
                if changed {
                    if before.is_empty() {
                        write_snapshot(&tx, &self.sealer, id, &open.doc)?;
                    } else {
                        for change in open.doc.get_changes(&before) {
                            let key = format!("{id}/incremental/{}", change.hash());
                            seal::put_row(&tx, &self.sealer, key.as_bytes(), change.raw_bytes())?;
                            written += 1;
                        }
                    }
                }
                tx.prepare_cached(
                "INSERT OR REPLACE INTO peer_sync_state (peer, doc_id, state) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                peer,
                id.to_string(),
                self.sealer
                    .seal(At::SyncState { peer, doc_id: &id.to_string() }, &state.encode())
                    .as_ref()
            ])?;
                tx.commit()?;
                if changed {
                    open.month = crate::document::header_str(&open.doc, "period");
                    open.incrementals += written;
                    self.compact_if_due(id, open);
                }
                Ok(Received { changed })
            });
        match outcome {
            Ok(received) => {
                if received.changed {
                    self.changes.send_modify(|c| c.remote += 1);
                }
                Ok(received)
            }
            Err(err) => {
                // What is in memory may be ahead of the disk: read the disk again next time.
                self.lock_docs().remove(id);
                Err(err)
            }
        }
    }

    /// Where a document stands with the peer of `state`. In sync, the document no longer
    /// counts as edited here (checked and cleared while no edit can land in between).
    pub(crate) fn standing(&self, id: &DocumentId, state: &sync::State) -> Result<Standing> {
        self.with_sync_doc(id, |open| {
            let heads = open.doc.get_heads();
            let standing = match &state.their_heads {
                Some(theirs) if *theirs == heads && heads.is_empty() => Standing::NeitherHasIt,
                Some(theirs) if *theirs == heads => Standing::InSync,
                _ => Standing::Behind,
            };
            if standing == Standing::InSync {
                self.lock_db()
                    .prepare_cached("DELETE FROM local_edits WHERE doc_id = ?1")?
                    .execute([id.to_string()])?;
            }
            Ok(standing)
        })
    }

    /// Whether the document was edited here since its server last had all of it.
    pub(crate) fn has_local_edits(&self, id: &DocumentId) -> Result<bool> {
        Ok(self
            .lock_db()
            .prepare_cached("SELECT 1 FROM local_edits WHERE doc_id = ?1")?
            .exists([id.to_string()])?)
    }

    /// Where the server's change feed stood when this device last caught up with all of it.
    pub(crate) fn catch_up_cursor(&self) -> Result<u64> {
        let cursor: Option<i64> = self
            .lock_db()
            .query_row(
                "SELECT catch_up_cursor FROM sync_server WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(cursor.unwrap_or(0).max(0) as u64)
    }

    pub(crate) fn set_catch_up_cursor(&self, cursor: u64) -> Result<()> {
        self.lock_db().execute(
            "UPDATE sync_server SET catch_up_cursor = ?1 WHERE id = 1",
            params![cursor as i64],
        )?;
        Ok(())
    }

    /// Runs `f` on the document as sync sees it: the copy in memory, else the one on disk,
    /// else an empty one (nothing arrived yet; reads treat it as absent). The engine lets the
    /// months past go once it is up to date ([`Store::forget_old_months_but`]).
    fn with_sync_doc<R>(
        &self,
        id: &DocumentId,
        f: impl FnOnce(&mut OpenDoc) -> Result<R>,
    ) -> Result<R> {
        let mut docs = self.lock_docs();
        if !docs.contains_key(id) {
            let open = match self.load_unchecked(id)? {
                Some(open) => open,
                None => {
                    let mut open = OpenDoc::new(Automerge::new().with_actor(self.actor.clone()), 0);
                    open.checked = false;
                    open
                }
            };
            docs.insert(id.clone(), open);
        }
        let open = docs.get_mut(id).expect("inserted above");
        f(open)
    }
}

/// Above this many bytes of single changes, the whole document saved (automerge's compressed
/// columns) may well be smaller, and is weighed against them.
const WEIGH_SAVE_ABOVE: usize = 2048;

/// The changes of `doc` a peer lacks when all it had were `shared` heads, and their hashes:
/// each change since, or the whole saved document when the peer had nothing or when that is
/// smaller (many small edits compress well together; the peer skips what it has).
fn lacking(doc: &Automerge, shared: &[ChangeHash]) -> (Vec<Vec<u8>>, Vec<ChangeHash>) {
    let changes = doc.get_changes(shared);
    let hashes: Vec<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
    if shared.is_empty() {
        return (vec![doc.save()], hashes);
    }
    let size: usize = changes.iter().map(|c| c.raw_bytes().len()).sum();
    if size > WEIGH_SAVE_ABOVE {
        let saved = doc.save();
        if saved.len() < size {
            return (vec![saved], hashes);
        }
    }
    let chunks = changes.iter().map(|c| c.raw_bytes().to_vec()).collect();
    (chunks, hashes)
}

/// Deletes every row of `doc_id` on this device, in one transaction; whether there were any.
fn delete_document(conn: &mut rusqlite::Connection, doc_id: &str) -> Result<bool> {
    let tx = conn.transaction()?;
    let held = !kv::keys_under(&tx, doc_id.as_bytes())?.is_empty();
    kv::delete_prefix(&tx, doc_id.as_bytes())?;
    for table in ["peer_sync_state", "local_edits", "registered_documents"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE doc_id = ?1"),
            params![doc_id],
        )?;
    }
    tx.commit()?;
    Ok(held)
}

/// Moves the whole write-ahead log into the database and empties it, waiting (a second at most)
/// while the background checkpointer or a reader holds an older snapshot: SQLite answers such a
/// checkpoint "busy" at once, leaving the log's older pages in place. Whether it was emptied.
fn empty_the_log(conn: &rusqlite::Connection) -> rusqlite::Result<bool> {
    for _ in 0..100 {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy == 0 {
            return Ok(true);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    Ok(false)
}
