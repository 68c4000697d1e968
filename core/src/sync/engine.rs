//! The sync engine: one WebSocket to a peer, speaking the automerge-repo protocol over the
//! store's own documents (docs/SYNC.md, "Live sync"; the decision in docs/ARCHITECTURE.md).
//!
//! One conversation is one connection. Before it, a Tandem server is asked (one HTTP call)
//! for the person's links and the documents that changed there since the device last caught
//! up. Then the device sends, for every document that changed on either side or was never
//! synced with this peer, one sync message that already carries what the peer is known to
//! lack, so the peer answers with everything it has in one round trip; unchanged documents
//! cost nothing. After that, in live mode, each edit made here goes out as it becomes durable,
//! each edit from elsewhere arrives as the server stores it, and the server's notices bring
//! documents and links that changed while connected. A connection that falls silent for
//! [`DEAD_AFTER`] is given up; the caller reconnects.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::sync;
use futures::{SinkExt, StreamExt};
use samod::DocumentId;
use tokio::sync::{broadcast, watch};
use tokio_tungstenite::tungstenite::Message;

use super::api::{CatchUp, RegisterDocument};
use super::http::Api;
use super::session::{SyncReport, SyncState};
use super::transport::{self, frame_bytes, Socket, WireCounter};
use super::wire::Wire;
use crate::auth::peer_id_for;
use crate::error::{Error, Result};
use crate::store::db::blocking;
use crate::store::Store;
use crate::sync::{ServerLink, Standing};

/// How long connecting and the handshake may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// How often a live connection is pinged when nothing else crosses it.
pub const PING_EVERY: Duration = Duration::from_secs(5);
/// A connection the peer has said nothing on for this long is dead.
pub const DEAD_AFTER: Duration = Duration::from_secs(15);
/// How long a one-shot sync waits for the peer's next answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// Whom the engine talks to.
#[derive(Clone)]
pub(crate) enum Target {
    /// A Tandem server: catch-up before connecting, a fresh token, and notices.
    Server(ServerLink),
    /// Any automerge-repo WebSocket peer (no token, no notices), for these documents.
    Plain {
        url: url::Url,
        docs: Vec<DocumentId>,
    },
}

/// How long the conversation lasts.
pub(crate) enum Mode {
    /// Until everything is up to date.
    Once,
    /// Until `stop` says true (or the connection fails).
    Live { stop: watch::Receiver<bool> },
}

/// What the engine tells its caller as it goes.
pub(crate) struct Events<'a> {
    pub state: &'a (dyn Fn(SyncState) + Send + Sync),
    /// A document changed by an edit from elsewhere (live mode's "who, what, when").
    pub arrived: &'a (dyn Fn(&DocumentId) + Send + Sync),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// A message went out; the peer's answer is awaited.
    Waiting,
    /// Both sides have the same document.
    Settled,
    /// The peer does not have it or may not give it (asked again when it changes there).
    Unavailable,
    /// Applying what the peer sent failed; left until the next connection.
    Failed,
}

struct DocSync {
    state: sync::State,
    phase: Phase,
    /// The round trips waited before the message last sent for it.
    round: u64,
}

/// Runs one conversation with `target` on `store`.
pub(crate) async fn converse(
    store: &Store,
    target: &Target,
    mode: Mode,
    events: &Events<'_>,
) -> Result<SyncReport> {
    let started = Instant::now();
    (events.state)(SyncState::Connecting);
    let me = peer_id_for(&store.identity().device_key);
    let (peer_key, url, expected_peer, api) = match target {
        Target::Server(server) => {
            let base = url::Url::parse(&server.url).map_err(|e| Error::Sync(e.to_string()))?;
            let mut url = transport::sync_url(&base);
            url.query_pairs_mut()
                .append_pair("token", &store.token(&server.server_id))
                .append_pair("notices", "1");
            let api = Api::new(&server.url, store.tls()?)?;
            (
                server.server_id.clone(),
                url,
                Some(format!("server-{}", server.server_id)),
                Some((api, server.server_id.clone())),
            )
        }
        Target::Plain { url, .. } => (url.to_string(), url.clone(), None, None),
    };
    // Before connecting: register new documents, and one call for links and what changed.
    let catch_up = match &api {
        Some((api, server_id)) => catch_up(store, api, server_id).await?,
        None => None,
    };
    // Without a change feed (a plain peer, an older server) every document is due.
    let everything_due = catch_up.is_none();
    let mut url = url;
    if let Some(caught) = &catch_up {
        // Notices from where the catch-up left off: nothing stored in between is missed.
        url.query_pairs_mut()
            .append_pair("since", &caught.cursor.to_string());
    }
    let tls = store.tls()?;
    let socket = tokio::time::timeout(CONNECT_TIMEOUT, transport::connect(&url, tls))
        .await
        .map_err(|_| Error::Sync("cannot connect: timed out".into()))??;
    let mut talk = Conversation {
        store,
        peer_key,
        me,
        them: String::new(),
        socket,
        docs: HashMap::new(),
        wire: Arc::default(),
        last_heard: Instant::now(),
        api,
        cursor: catch_up.as_ref().map(|c| c.cursor),
        at_up_to_date: None,
    };
    tokio::time::timeout(CONNECT_TIMEOUT, talk.handshake(expected_peer.as_deref()))
        .await
        .map_err(|_| Error::Sync("the peer did not answer the handshake".into()))??;

    let changed: BTreeSet<DocumentId> = catch_up
        .iter()
        .flat_map(|c| c.changed.iter())
        .filter_map(|id| id.parse().ok())
        .collect();
    let wanted: Vec<DocumentId> = match target {
        Target::Server(_) => {
            let mut all: BTreeSet<DocumentId> =
                blocking(|| store.wanted_documents())?.into_iter().collect();
            all.extend(changed.iter().cloned());
            all.into_iter().collect()
        }
        Target::Plain { docs, .. } => docs.clone(),
    };
    for id in wanted {
        let state = blocking(|| store.sync_state(&talk.peer_key, &id))?;
        let due = match &state {
            None => true,
            Some(_) => changed.contains(&id) || blocking(|| store.has_local_edits(&id))?,
        };
        if due || everything_due {
            talk.start(id, state, 0).await?;
        }
    }
    (events.state)(SyncState::Syncing {
        documents: talk.docs.len() as u32,
    });
    let outcome = talk.run(mode, events).await;
    let _ = talk.socket.close(None).await;
    blocking(|| store.forget_old_months_but(None));
    outcome?;
    let (documents, unavailable) = talk.counts();
    Ok(SyncReport {
        documents,
        unavailable,
        duration_ms: started.elapsed().as_millis() as u64,
        wire: talk.wire.stats(),
        since_up_to_date: talk.since_up_to_date(),
    })
}

/// Registers the person's documents the server does not know yet, then asks for links and
/// what changed since the device last caught up, and stores the links.
async fn catch_up(store: &Store, api: &Api, server_id: &str) -> Result<Option<CatchUp>> {
    for doc in blocking(|| store.unregistered_documents())? {
        register(store, api, server_id, doc).await?;
    }
    let since = blocking(|| store.catch_up_cursor())?;
    let caught = match api.catch_up(&store.token(server_id), since).await {
        Ok(caught) => Some(caught),
        // A server without a change feed: every document is synced.
        Err(e) if e.refusal() == Some(super::api::Reason::NotFound) => None,
        Err(e) => return Err(e),
    };
    let links = match &caught {
        Some(caught) => caught.links.clone(),
        None => api.links(&store.token(server_id)).await?,
    };
    blocking(|| store.set_links(&links))?;
    if let Some(caught) = &caught {
        blocking(|| store.drop_withdrawn(&caught.withdrawn))?;
    }
    Ok(caught)
}

async fn register(
    store: &Store,
    api: &Api,
    server_id: &str,
    doc: crate::sync::OwnDocument,
) -> Result<()> {
    let body = RegisterDocument {
        doc_id: doc.doc_id.clone(),
        kind: doc.kind,
        journey_id: doc.journey_id.clone(),
        with_person: None,
    };
    api.register(&store.token(server_id), &body).await?;
    blocking(|| store.mark_registered(&doc.doc_id))
}

struct Conversation<'a> {
    store: &'a Store,
    /// Whom the stored sync states are kept against: the server's id, or the peer's address.
    peer_key: String,
    me: String,
    them: String,
    socket: Socket,
    docs: HashMap<DocumentId, DocSync>,
    wire: Arc<WireCounter>,
    last_heard: Instant,
    /// For a Tandem server: its API and id, to register documents and fetch links.
    api: Option<(Api, String)>,
    /// The server's change feed as of the catch-up; kept once everything it listed settled.
    cursor: Option<u64>,
    /// The wire's figures when everything was first up to date.
    at_up_to_date: Option<super::transport::WireStats>,
}

impl Conversation<'_> {
    async fn send(&mut self, message: Wire) -> Result<()> {
        let bytes = message.encode();
        self.wire.sent(frame_bytes(bytes.len(), true));
        self.socket
            .send(transport::binary(bytes))
            .await
            .map_err(|e| Error::Sync(format!("the connection broke: {e}")))
    }

    /// The next message from the peer (control frames are answered by the socket itself).
    async fn next(&mut self) -> Result<Option<Wire>> {
        loop {
            let Some(frame) = self.socket.next().await else {
                return Ok(None);
            };
            let frame = frame.map_err(|e| Error::Sync(format!("the connection broke: {e}")))?;
            self.last_heard = Instant::now();
            match frame {
                Message::Binary(bytes) => {
                    self.wire.received(frame_bytes(bytes.len(), false));
                    return Wire::decode(&bytes)
                        .map(Some)
                        .map_err(|e| Error::Sync(e.to_string()));
                }
                Message::Close(_) => return Ok(None),
                Message::Ping(p) | Message::Pong(p) => {
                    self.wire.received(frame_bytes(p.len(), false));
                }
                Message::Text(_) | Message::Frame(_) => {
                    return Err(Error::Sync(
                        "the peer sent text, not the sync protocol".into(),
                    ))
                }
            }
        }
    }

    async fn handshake(&mut self, expected: Option<&str>) -> Result<()> {
        self.send(Wire::Join {
            sender: self.me.clone(),
        })
        .await?;
        loop {
            match self.next().await? {
                Some(Wire::Peer { sender, .. }) => {
                    if expected.is_some_and(|e| e != sender) {
                        return Err(Error::Sync(format!(
                            "the server answered as {sender}, not as the server this device joined"
                        )));
                    }
                    // Bytes count the handshake; round trips count from here (only
                    // documents record them).
                    self.them = sender;
                    return Ok(());
                }
                Some(Wire::Error { message }) => {
                    return Err(Error::Sync(format!("the peer refused: {message}")))
                }
                Some(_) => continue,
                None => return Err(Error::Sync("the connection closed at once".into())),
            }
        }
    }

    /// Starts syncing a document: its first message on this connection, with what the peer
    /// is known to lack.
    async fn start(
        &mut self,
        id: DocumentId,
        state: Option<sync::State>,
        round: u64,
    ) -> Result<()> {
        let mut state = state.unwrap_or_default();
        let out = blocking(|| self.store.sync_out(&id, &mut state, true))?;
        let phase = match out {
            Some(out) => {
                let message = if out.have_doc {
                    Wire::Sync {
                        doc: id.to_string(),
                        sender: self.me.clone(),
                        target: self.them.clone(),
                        data: out.data,
                    }
                } else {
                    Wire::Request {
                        doc: id.to_string(),
                        sender: self.me.clone(),
                        target: self.them.clone(),
                        data: out.data,
                    }
                };
                self.send(message).await?;
                Phase::Waiting
            }
            None => Phase::Settled,
        };
        self.docs.insert(
            id,
            DocSync {
                state,
                phase,
                round,
            },
        );
        Ok(())
    }

    /// Sends what a document needs next, if anything.
    async fn follow_up(&mut self, id: &DocumentId) -> Result<()> {
        let Some(doc) = self.docs.get_mut(id) else {
            return Ok(());
        };
        if doc.phase == Phase::Failed {
            return Ok(());
        }
        let out = blocking(|| self.store.sync_out(id, &mut doc.state, false))?;
        let standing = blocking(|| self.store.standing(id, &doc.state))?;
        doc.phase = if standing == Standing::InSync {
            Phase::Settled
        } else if standing == Standing::NeitherHasIt {
            Phase::Unavailable
        } else if out.is_some() {
            Phase::Waiting
        } else {
            doc.phase
        };
        if let Some(out) = out {
            let message = Wire::Sync {
                doc: id.to_string(),
                sender: self.me.clone(),
                target: self.them.clone(),
                data: out.data,
            };
            self.send(message).await?;
        }
        Ok(())
    }

    async fn received(&mut self, message: Wire, events: &Events<'_>) -> Result<()> {
        match message {
            Wire::Sync { doc, data, .. } | Wire::Request { doc, data, .. } => {
                let Ok(id) = doc.parse::<DocumentId>() else {
                    return Ok(());
                };
                let Some(entry) = self.docs.get_mut(&id) else {
                    // Not a document this device asked for (a plain peer announcing its own).
                    return Ok(());
                };
                let round = entry.round + 1;
                entry.round = round;
                let applied = blocking(|| {
                    self.store
                        .sync_in(&self.peer_key, &id, &mut entry.state, &data)
                });
                match applied {
                    Ok(received) => {
                        self.follow_up(&id).await?;
                        if self
                            .docs
                            .get(&id)
                            .is_some_and(|d| matches!(d.phase, Phase::Settled | Phase::Unavailable))
                        {
                            self.wire.round_trips_at_least(round);
                        }
                        if received.changed {
                            (events.arrived)(&id);
                            // A journey that changed may list new months.
                            if self.is_journey(&id) {
                                self.discover(round).await?;
                            }
                        }
                    }
                    Err(err) => {
                        tracing::warn!(%err, doc = %id, "a document did not sync");
                        entry.phase = Phase::Failed;
                        entry.state = sync::State::new();
                    }
                }
            }
            Wire::Unavailable { doc, .. } => {
                if let Some(entry) = doc.parse().ok().and_then(|id| self.docs.get_mut(&id)) {
                    entry.phase = Phase::Unavailable;
                    entry.round += 1;
                    self.wire.round_trips_at_least(entry.round);
                }
            }
            Wire::Changed { docs } => {
                for id in docs.iter().filter_map(|d| d.parse::<DocumentId>().ok()) {
                    let active = self
                        .docs
                        .get(&id)
                        .is_some_and(|d| matches!(d.phase, Phase::Waiting | Phase::Settled));
                    if !active {
                        let state = blocking(|| self.store.sync_state(&self.peer_key, &id))?;
                        self.start(id, state, 0).await?;
                    }
                }
            }
            Wire::LinksChanged => {
                if let Some((api, server_id)) = &self.api {
                    let links = api.links(&self.store.token(server_id)).await?;
                    blocking(|| self.store.set_links(&links))?;
                    // A link that changed may have taken a document away: delete it here.
                    match api.withdrawn(&self.store.token(server_id)).await {
                        Ok(withdrawn) => {
                            blocking(|| self.store.drop_withdrawn(&withdrawn.documents))?;
                        }
                        // An older server, without the list.
                        Err(e) if e.refusal() == Some(super::api::Reason::NotFound) => {}
                        Err(e) => return Err(e),
                    }
                    self.discover(0).await?;
                }
            }
            Wire::Error { message } => {
                return Err(Error::Sync(format!(
                    "the peer reported an error: {message}"
                )))
            }
            Wire::Join { .. } | Wire::Peer { .. } | Wire::Other { .. } => {}
        }
        Ok(())
    }

    /// Whether `id` is this person's journey or a linked person's.
    fn is_journey(&self, id: &DocumentId) -> bool {
        let id = id.to_string();
        id == self.store.identity().journey_id
            || self
                .store
                .links()
                .is_ok_and(|links| links.iter().any(|l| l.journey_id.as_deref() == Some(&id)))
    }

    /// Starts the documents this device now wants and is not syncing yet: months of a journey
    /// that just arrived, the documents of a new link. `round` is the round trips waited so far.
    async fn discover(&mut self, round: u64) -> Result<()> {
        if self.api.is_none() {
            return Ok(());
        }
        let wanted = blocking(|| self.store.wanted_documents())?;
        for id in wanted {
            if !self.docs.contains_key(&id) {
                let state = blocking(|| self.store.sync_state(&self.peer_key, &id))?;
                self.start(id, state, round).await?;
            }
        }
        Ok(())
    }

    /// An edit made here: send it, registering a new document of this person first.
    async fn edited(&mut self, id: DocumentId) -> Result<()> {
        if self.docs.contains_key(&id) {
            return self.follow_up(&id).await;
        }
        if let Some((api, server_id)) = &self.api {
            let new = blocking(|| self.store.unregistered_documents())?;
            for doc in new {
                register(self.store, api, server_id, doc).await?;
            }
        }
        let wanted = blocking(|| self.store.wanted_documents())?;
        if wanted.contains(&id) || self.api.is_none() {
            let state = blocking(|| self.store.sync_state(&self.peer_key, &id))?;
            self.start(id, state, 0).await?;
        }
        Ok(())
    }

    /// What crossed the wire since everything was first up to date.
    fn since_up_to_date(&self) -> super::transport::WireStats {
        let (now, then) = (self.wire.stats(), self.at_up_to_date.unwrap_or_default());
        super::transport::WireStats {
            sent_bytes: now.sent_bytes - then.sent_bytes,
            received_bytes: now.received_bytes - then.received_bytes,
            sent_messages: now.sent_messages - then.sent_messages,
            received_messages: now.received_messages - then.received_messages,
            round_trips: 0,
        }
    }

    fn pending(&self) -> bool {
        self.docs.values().any(|d| d.phase == Phase::Waiting)
    }

    fn counts(&self) -> (u32, u32) {
        let settled = self
            .docs
            .values()
            .filter(|d| d.phase == Phase::Settled)
            .count();
        let unavailable = self
            .docs
            .values()
            .filter(|d| d.phase == Phase::Unavailable)
            .count();
        (settled as u32, unavailable as u32)
    }

    /// Keeps the change feed's cursor and the time once everything is up to date.
    /// A one-shot sync with a document that failed is an error; a live one stays up (the
    /// document is tried again on the next connection) rather than reconnect for nothing.
    fn caught_up(&mut self, once: bool) -> Result<()> {
        let failed = self
            .docs
            .values()
            .filter(|d| d.phase == Phase::Failed)
            .count();
        if failed > 0 {
            if once {
                return Err(Error::Sync(format!(
                    "{failed} documents did not sync; they are tried again next time"
                )));
            }
            tracing::warn!(
                failed,
                "documents did not sync; tried again on the next connection"
            );
            return Ok(());
        }
        blocking(|| self.store.forget_old_months_but(None));
        if let Some(cursor) = self.cursor.take() {
            blocking(|| self.store.set_catch_up_cursor(cursor))?;
        }
        if self.api.is_some() {
            blocking(|| self.store.set_last_synced(self.store.now()))?;
        }
        Ok(())
    }

    async fn run(&mut self, mode: Mode, events: &Events<'_>) -> Result<()> {
        let mut edits = self.store.watch_edits();
        let (once, mut stop) = match mode {
            Mode::Once => (true, None),
            Mode::Live { stop } => (false, Some(stop)),
        };
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ping.tick().await;
        let mut up_to_date = false;
        loop {
            if !self.pending() && !up_to_date {
                up_to_date = true;
                self.caught_up(once)?;
                if once {
                    return Ok(());
                }
                self.at_up_to_date.get_or_insert_with(|| self.wire.stats());
                (events.state)(SyncState::Live);
            } else if self.pending() && up_to_date && once {
                up_to_date = false;
            }
            let silence = if once { ANSWER_TIMEOUT } else { DEAD_AFTER };
            let deadline = tokio::time::Instant::from_std(self.last_heard + silence);
            tokio::select! {
                message = self.next() => match message? {
                    Some(message) => self.received(message, events).await?,
                    None => return Err(Error::Sync("the peer closed the connection".into())),
                },
                edit = edits.recv(), if !once => match edit {
                    Ok(id) => self.edited(id).await?,
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let ids: Vec<DocumentId> = self.docs.keys().cloned().collect();
                        for id in ids {
                            self.follow_up(&id).await?;
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return Ok(()),
                },
                _ = ping.tick(), if !once => {
                    self.wire.sent(frame_bytes(0, true));
                    self.socket
                        .send(Message::Ping(Default::default()))
                        .await
                        .map_err(|e| Error::Sync(format!("the connection broke: {e}")))?;
                }
                _ = tokio::time::sleep_until(deadline) => {
                    return Err(Error::Sync(if once {
                        "the peer stopped answering before everything was up to date".into()
                    } else {
                        "the connection went silent".into()
                    }));
                }
                stopped = wait_stop(&mut stop) => if stopped { return Ok(()) },
            }
        }
    }
}

/// Resolves true when the live conversation is told to stop (or its owner is gone).
async fn wait_stop(stop: &mut Option<watch::Receiver<bool>>) -> bool {
    let Some(stop) = stop else {
        return std::future::pending().await;
    };
    loop {
        if *stop.borrow_and_update() {
            return true;
        }
        if stop.changed().await.is_err() {
            return true;
        }
    }
}
