//! samod's share policy, answered from the directory's membership table, live.
//!
//! For each (document, peer) pair samod keeps open, [`MembershipPolicy::share`] returns a stream:
//! the current decision first, then a fresh decision after every membership change. Every grant,
//! revoke, registration or join calls [`MembershipPolicy::memberships_changed`], which bumps a
//! watch channel; each open stream looks the pair up again, and samod installs a changed
//! decision on the connections already open (identical decisions are ignored). So a revoke stops
//! sync to that member at once, and a grant answers, without reconnecting, a request the member
//! made before (samod remembers it).
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
use tokio::sync::watch;

use crate::connections::Connections;
use crate::directory::Directory;
use crate::fanout::Peers;
use crate::notices::LinkWatchers;

/// The share policy (cheap to clone: clones share the directory and the change signals).
#[derive(Clone)]
pub struct MembershipPolicy {
    directory: Directory,
    changes: Arc<watch::Sender<u64>>,
    links: Arc<LinkWatchers>,
    /// The other server processes on the same database, if any (`fanout.rs`).
    peers: Option<Peers>,
    /// The sync connections open here, closed when their device is removed.
    pub connections: Arc<Connections>,
}

impl MembershipPolicy {
    pub fn new(directory: Directory) -> Self {
        MembershipPolicy {
            directory,
            changes: Arc::new(watch::Sender::new(0)),
            links: Arc::default(),
            peers: None,
            connections: Arc::default(),
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
        self.memberships_changed(people);
        if let Some(peers) = &self.peers {
            peers.memberships_changed(people).await;
        }
    }

    /// Tells every open decision here to look again, and the sync connections of `people`
    /// (those whose links the change may have touched) to look at their links again; `&[]`
    /// tells every connection.
    pub fn memberships_changed(&self, people: &[&str]) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
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
        let Some(device) = peer_id.as_str().strip_prefix("device-") else {
            return ShareConfig::none();
        };
        let person = match self.directory.device_person(device).await {
            Ok(Some(person)) => person,
            Ok(None) => return ShareConfig::none(),
            Err(err) => {
                tracing::error!(%err, "share policy could not read the directory");
                return ShareConfig::none();
            }
        };
        match self
            .directory
            .access(&doc_id.to_string(), &person.person_id)
            .await
        {
            Ok(Some(Access::Write)) => ShareConfig::read_write().with_announce(false),
            Ok(Some(Access::Read)) => ShareConfig::read_only().with_announce(false),
            Ok(None) => ShareConfig::none(),
            Err(err) => {
                tracing::error!(%err, "share policy could not read the directory");
                ShareConfig::none()
            }
        }
    }
}

impl samod::SharePolicy for MembershipPolicy {
    fn share(
        &self,
        doc_id: DocumentId,
        peer_id: PeerId,
    ) -> impl Stream<Item = ShareConfig> + Send + 'static {
        // Subscribe before the first decision, so a change made meanwhile is not missed.
        let changes = self.changes.subscribe();
        let policy = self.clone();
        futures::stream::unfold(
            (policy, changes, doc_id, peer_id, true),
            |(policy, mut changes, doc_id, peer_id, first)| async move {
                if !first && changes.changed().await.is_err() {
                    return None;
                }
                let decision = policy.decide(&doc_id, &peer_id).await;
                tracing::debug!(%doc_id, %peer_id, ?decision, "share decision");
                Some((decision, (policy, changes, doc_id, peer_id, false)))
            },
        )
    }
}
