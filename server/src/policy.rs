//! samod's share policy, answered from the directory's membership table, live.
//!
//! For each (document, peer) pair samod keeps open, [`MembershipPolicy::share`] returns a stream:
//! the current decision first, then a fresh decision after every membership change that may
//! touch it. Every grant, revoke, registration or join calls
//! [`MembershipPolicy::memberships_changed`] with the people whose access it may change (and a
//! registration with the document too); the open streams of those people's devices, and of
//! that document, look the pair up again, and samod installs a changed decision on the
//! connections already open (identical decisions are ignored). So a revoke stops sync to that
//! member at once, and a grant answers, without reconnecting, a request the member made before
//! (samod remembers it). Only those streams look again: were every open stream to re-read the
//! directory on every change, each enrolment or registration would cost a server with N open
//! decisions N directory reads.
//!
//! Devices are never *announced* to: a device's decisions carry `with_announce(false)`, so the
//! server syncs a document with a device only once that device has sent a message about it on
//! the connection (a request or a sync message); from then on samod pushes the document's
//! changes to that connection. A device learns what else changed from `GET /v1/catch-up` and
//! from its connection's notices (`notices.rs`), and asks for those documents itself. So a
//! connection costs the server only the documents its device is working on.
//!
//! `memberships_changed` names the people whose links may have changed, so that only their
//! sync connections look again (and tell their device, if its links did change).
//!
//! Peers are trusted by id only because the server bound each connection to the peer id of the
//! device that authenticated it (`device-<device id>`). Any other peer, a device the directory
//! does not know, an unregistered document and a non-member all get [`ShareConfig::none`]:
//! samod then answers "unavailable", exactly as for a document that does not exist.

use std::sync::Arc;

use futures::Stream;
use samod::{DocumentId, PeerId, ShareConfig};
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
    changes: Arc<Changes>,
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
            changes: Arc::default(),
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
        self.changes.nudge(people, docs);
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

    /// The decision for `peer_id` on `doc_id` now.
    pub async fn decide(&self, doc_id: &DocumentId, peer_id: &PeerId) -> ShareConfig {
        match self.access(&doc_id.to_string(), peer_id.as_str()).await {
            Some(Access::Write) => ShareConfig::read_write().with_announce(false),
            Some(Access::Read) => ShareConfig::read_only().with_announce(false),
            None => ShareConfig::none(),
        }
    }
}

impl samod::SharePolicy for MembershipPolicy {
    fn share(
        &self,
        doc_id: DocumentId,
        peer_id: PeerId,
    ) -> impl Stream<Item = ShareConfig> + Send + 'static {
        // Each step is a boxed future of its own, so that a decision waiting for a change
        // holds only that wait: samod keeps one of these for each pair of a document and a peer
        // in a repo (1,040 bytes each as one async block, with its captured state kept twice).
        futures::stream::unfold(
            Watch::Start(self.clone(), doc_id, peer_id),
            |watch| match watch {
                Watch::Start(policy, doc_id, peer_id) => {
                    futures::FutureExt::boxed(first_decision(policy, doc_id, peer_id))
                }
                Watch::Watching(w) => futures::FutureExt::boxed(next_decision(w)),
            },
        )
    }
}

/// Subscribes to the changes that may touch the pair, then decides.
async fn first_decision(
    policy: MembershipPolicy,
    doc_id: DocumentId,
    peer_id: PeerId,
) -> Option<(ShareConfig, Watch)> {
    // Subscribed before the first decision, so that a change made meanwhile is not missed.
    let everyone = policy.changes.everyone.subscribe();
    let about_doc = policy.changes.watch(Topic::Doc, &doc_id.to_string());
    let person = match peer_id.as_str().strip_prefix("device-") {
        Some(device) => policy.directory.device_person(device).await.ok().flatten(),
        None => None,
    };
    let about_person = person.map(|p| policy.changes.watch(Topic::Person, &p.person_id));
    let w = Watching {
        policy,
        doc_id,
        peer_id,
        everyone,
        about_doc,
        about_person,
    };
    Some(decided(w).await)
}

/// Waits for a change that may touch the pair, then decides again (`None`: the server is
/// stopping).
async fn next_decision(mut w: Watching) -> Option<(ShareConfig, Watch)> {
    let person_changed = async {
        match w.about_person.as_mut() {
            Some(rx) => rx.changed().await,
            None => std::future::pending().await,
        }
    };
    let heard = tokio::select! {
        r = w.everyone.changed() => r,
        r = w.about_doc.changed() => r,
        r = person_changed => r,
    };
    heard.ok()?;
    Some(decided(w).await)
}

async fn decided(w: Watching) -> (ShareConfig, Watch) {
    let decision = Box::pin(w.policy.decide(&w.doc_id, &w.peer_id)).await;
    tracing::debug!(doc_id = %w.doc_id, peer_id = %w.peer_id, ?decision, "share decision");
    (decision, Watch::Watching(w))
}

/// A share decision's stream: about to make its first decision, or waiting for a change.
enum Watch {
    Start(MembershipPolicy, DocumentId, PeerId),
    Watching(Watching),
}

struct Watching {
    policy: MembershipPolicy,
    doc_id: DocumentId,
    peer_id: PeerId,
    everyone: watch::Receiver<u64>,
    about_doc: watch::Receiver<u64>,
    about_person: Option<watch::Receiver<u64>>,
}

/// Whom a change signal is about.
#[derive(Clone, Copy)]
enum Topic {
    Person,
    Doc,
}

/// The change signals the open decisions wait on: one for everything, one per person, one per
/// document (made while someone waits on it, dropped once nobody does).
#[derive(Default)]
struct Changes {
    everyone: watch::Sender<u64>,
    people: std::sync::Mutex<std::collections::HashMap<String, watch::Sender<u64>>>,
    docs: std::sync::Mutex<std::collections::HashMap<String, watch::Sender<u64>>>,
}

impl Changes {
    fn map(
        &self,
        topic: Topic,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, watch::Sender<u64>>> {
        let map = match topic {
            Topic::Person => &self.people,
            Topic::Doc => &self.docs,
        };
        map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hears each change about `key` from now on.
    fn watch(&self, topic: Topic, key: &str) -> watch::Receiver<u64> {
        let mut map = self.map(topic);
        if map.len() >= 1024 && map.len().is_power_of_two() {
            map.retain(|_, sender| sender.receiver_count() > 0);
        }
        match map.get(key) {
            Some(sender) => sender.subscribe(),
            None => {
                let (sender, receiver) = watch::channel(0);
                map.insert(key.to_string(), sender);
                receiver
            }
        }
    }

    /// Wakes the decisions about `people` and `docs`; with neither, every decision.
    fn nudge(&self, people: &[&str], docs: &[&str]) {
        if people.is_empty() && docs.is_empty() {
            self.everyone.send_modify(|n| *n = n.wrapping_add(1));
            return;
        }
        for (topic, keys) in [(Topic::Person, people), (Topic::Doc, docs)] {
            let mut map = self.map(topic);
            for key in keys {
                if let Some(sender) = map.get(*key) {
                    if sender.receiver_count() == 0 {
                        map.remove(*key);
                    } else {
                        sender.send_modify(|n| *n = n.wrapping_add(1));
                    }
                }
            }
        }
    }
}
