//! Who may see which document, answered from the directory's membership table, live.
//!
//! [`MembershipPolicy::access`] is the decision for one device and one document: write, read or
//! nothing. The sync engine (`engine.rs`) takes it when a device first names a document on its
//! connection and keeps it; every grant, revoke, registration or join calls
//! [`MembershipPolicy::memberships_changed`] with the people whose access it may change (and a
//! registration with the document too), which every connection hears
//! ([`MembershipPolicy::nudges`]): the connections of those people's devices, and those using
//! that document, decide again. So a revoke stops sync to that member at once, and a grant
//! answers, without reconnecting, a request the member made before. Only those connections look
//! again: were every connection to re-read the directory on every change, each enrolment or
//! registration would cost a server with N open decisions N directory reads.
//!
//! Devices are never *announced* to: the server syncs a document with a device only once that
//! device has sent a message about it on the connection (a request or a sync message); from then
//! on the engine pushes the document's changes to that connection. A device learns what else
//! changed from `GET /v1/catch-up` and from its connection's notices (`notices.rs`), and asks
//! for those documents itself. So a connection costs the server only the documents its device
//! is working on.
//!
//! `memberships_changed` names the people whose links may have changed, so that only their
//! sync connections look again (and tell their device, if its links did change).
//!
//! Peers are trusted by id only because the server bound each connection to the peer id of the
//! device that authenticated it (`device-<device id>`). Any other peer, a device the directory
//! does not know, an unregistered document and a non-member all get no access: the engine then
//! answers "unavailable", exactly as for a document that does not exist.

use std::sync::Arc;

use tandem_protocol::api::Access;
use tokio::sync::{broadcast, watch};

/// How many changes a connection of the sync engine may fall behind before it looks again at
/// every decision it holds.
const NUDGES_KEPT: usize = 256;

/// A change that may touch decisions: about `people` (their devices' decisions), about `docs`;
/// with neither, about everyone.
#[derive(Debug)]
pub struct Nudge {
    pub people: Vec<String>,
    pub docs: Vec<String>,
}

impl Nudge {
    pub fn everyone(&self) -> bool {
        self.people.is_empty() && self.docs.is_empty()
    }
}

use crate::connections::Connections;
use crate::directory::Directory;
use crate::fanout::Peers;
use crate::notices::PersonWatchers;

/// The share policy (cheap to clone: clones share the directory and the change signals).
#[derive(Clone)]
pub struct MembershipPolicy {
    directory: Directory,
    links: Arc<PersonWatchers>,
    /// The other server processes on the same database, if any (`fanout.rs`).
    peers: Option<Peers>,
    /// The sync connections open here, closed when their device is removed.
    pub connections: Arc<Connections>,
    /// Every change that may touch a decision, for the connections of the sync engine
    /// (`engine.rs`), which look again at theirs.
    heard: broadcast::Sender<Arc<Nudge>>,
    /// Counts the membership changes heard ([`Self::memberships_changed_about`]): what was
    /// learnt of who may see what is stale once it moves (`notices::route_stored`).
    pub generation: Arc<std::sync::atomic::AtomicU64>,
}

impl MembershipPolicy {
    pub fn new(directory: Directory) -> Self {
        MembershipPolicy {
            directory,
            links: Arc::default(),
            peers: None,
            connections: Arc::default(),
            generation: Arc::default(),
            heard: broadcast::channel(NUDGES_KEPT).0,
        }
    }

    /// Hears every change that may touch a decision from now on (`engine.rs`).
    pub fn nudges(&self) -> broadcast::Receiver<Arc<Nudge>> {
        self.heard.subscribe()
    }

    /// `docs` were stored (here or by another process): the connections that were told they
    /// were unavailable look again (`engine.rs`).
    pub fn documents_stored(&self, docs: &[&str]) {
        if self.heard.receiver_count() > 0 {
            let _ = self.heard.send(Arc::new(Nudge {
                people: Vec::new(),
                docs: docs.iter().map(|d| d.to_string()).collect(),
            }));
        }
    }

    /// The access of the device `peer_id` (`device-<device id>`) to `doc_id` now; `None` for
    /// anyone else, an unknown device, an unregistered document, a non-member.
    pub async fn access(&self, doc_id: &str, peer_id: &str) -> Option<Access> {
        let device = peer_id.strip_prefix("device-")?;
        let person = match self.directory.device_person(device).await {
            Ok(Some(person)) => person,
            Ok(None) => return None,
            Err(err) => {
                tracing::error!(%err, "share policy could not read the directory");
                return None;
            }
        };
        match self.directory.access(doc_id, &person.person_id).await {
            Ok(access) => access,
            Err(err) => {
                tracing::error!(%err, "share policy could not read the directory");
                None
            }
        }
    }

    /// The policy of one of several processes on one database: [`Self::announce`] tells the
    /// others too.
    pub fn with_peers(mut self, peers: Peers) -> Self {
        self.peers = Some(peers);
        self
    }

    /// A change this process made to the memberships or links of `people`: looked at again
    /// here ([`Self::memberships_changed`]) and by every other process on the database.
    pub async fn announce(&self, people: &[&str]) {
        self.announce_about(people, &[]).await;
    }

    /// [`Self::announce`] for a change that may also touch anyone's access to `docs` (a
    /// registration: the members of the journey a month belongs to gain it).
    pub async fn announce_about(&self, people: &[&str], docs: &[&str]) {
        self.memberships_changed_about(people, docs);
        if let Some(peers) = &self.peers {
            peers.memberships_changed(people, docs).await;
        }
    }

    /// Tells the open decisions of `people`'s devices to look again, and their sync
    /// connections to look at their links again; `&[]` tells every decision and connection.
    pub fn memberships_changed(&self, people: &[&str]) {
        self.memberships_changed_about(people, &[]);
    }

    /// [`Self::memberships_changed`], and the open decisions about `docs` too.
    pub fn memberships_changed_about(&self, people: &[&str], docs: &[&str]) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        if self.heard.receiver_count() > 0 {
            let _ = self.heard.send(Arc::new(Nudge {
                people: people.iter().map(|p| p.to_string()).collect(),
                docs: docs.iter().map(|d| d.to_string()).collect(),
            }));
        }
        self.links.nudge(people);
        // A device of theirs may have been removed: its open connections end.
        if !people.is_empty() && !self.connections.is_empty() {
            let (connections, directory) = (self.connections.clone(), self.directory.clone());
            let people: Vec<String> = people.iter().map(|p| p.to_string()).collect();
            tokio::spawn(async move { connections.recheck(&directory, &people).await });
        }
    }

    /// Hears each time `person_id`'s links may have changed (see [`Self::memberships_changed`]).
    pub fn watch_links(&self, person_id: &str) -> watch::Receiver<u64> {
        self.links.watch(person_id)
    }
}
