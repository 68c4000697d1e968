//! Notices on a device's sync connection (docs/SYNC.md, "Notices").
//!
//! A device that connects with `/v1/sync?…&notices=1` hears, beside automerge-repo's messages,
//! two kinds of binary CBOR map:
//!
//! - `{"type": "tandem-changed", "documentIds": [text, …]}`: the server stored changes to these
//!   documents, which this person may see and which this connection has not named yet (a
//!   connection that sent a message about a document gets its changes from the engine already, and a
//!   change it sent itself is one it named). Changes close together go in one notice.
//! - `{"type": "tandem-links-changed"}`: this person's links (`GET /v1/links`) changed.
//!
//! [`ConnectionNotices`] makes them for one connection: it reads the change feed
//! ([`Directory::changed_since`], filtered by the share rules at the time of sending) after a
//! stored change of a document its person may see, and reads the person's links again each time
//! they may have changed, comparing them with what it saw before. Plain automerge-repo peers (no
//! `notices=1`) never get either.
//!
//! Who hears of a stored change is decided once for the process, not by every connection:
//! [`route_stored`] asks the directory who may see the documents just stored
//! ([`Directory::viewers`], remembered until a membership changes) and tells only those
//! people's connections which documents ([`StoredSignals`]); a connection reads the feed only
//! when one of them is a document it has not named.
//! Were every connection to read the feed after every change, a thousand connected devices
//! editing once a second would make a million feed queries a second.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tandem_protocol::api::{notice, Link};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::directory::{Directory, Person};
use crate::documents::StoredDocs;

/// How long changes are gathered into one notice after the first of them is stored.
pub const BATCH: Duration = Duration::from_millis(10);
/// The most document ids in one notice (a longer list goes in several).
pub const MAX_IDS_PER_NOTICE: usize = 1000;
/// The most document ids remembered as named by one connection; beyond that a connection may
/// hear of a document it has named (harmless: it syncs it already).
const MAX_NAMED: usize = 100_000;

/// Each person whose sync connections want to hear when their links may have changed.
#[derive(Default)]
pub struct PersonWatchers {
    people: Mutex<HashMap<String, watch::Sender<u64>>>,
}

impl PersonWatchers {
    fn people(&self) -> std::sync::MutexGuard<'_, HashMap<String, watch::Sender<u64>>> {
        self.people.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hears each time [`PersonWatchers::nudge`] names `person_id`.
    pub fn watch(&self, person_id: &str) -> watch::Receiver<u64> {
        let mut people = self.people();
        // Forget people whose connections have all ended.
        people.retain(|_, sender| sender.receiver_count() > 0);
        people
            .entry(person_id.to_string())
            .or_insert_with(|| watch::Sender::new(0))
            .subscribe()
    }

    /// Tells the connections of `people` (of everyone, for `&[]`) that their links may have
    /// changed.
    pub fn nudge(&self, people: &[&str]) {
        let people_watching = self.people();
        if people.is_empty() {
            for sender in people_watching.values() {
                sender.send_modify(|n| *n = n.wrapping_add(1));
            }
            return;
        }
        for person in people {
            if let Some(sender) = people_watching.get(*person) {
                sender.send_modify(|n| *n = n.wrapping_add(1));
            }
        }
    }
}

/// Each connection with notices, by person, and the documents stored since it last looked
/// that its person may see ([`route_stored`] fills them).
#[derive(Default)]
pub struct StoredSignals {
    people: Mutex<HashMap<String, Vec<std::sync::Weak<Pending>>>>,
}

/// What one connection has not looked at yet.
#[derive(Default)]
pub struct Pending {
    stored: Mutex<StoredDocs>,
    notify: tokio::sync::Notify,
}

impl Pending {
    fn take(&self) -> StoredDocs {
        std::mem::take(&mut *self.stored.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl StoredSignals {
    fn people(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<std::sync::Weak<Pending>>>> {
        self.people.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new connection of `person_id`: told of every document they may see stored from now
    /// on, until it is dropped.
    pub fn watch(&self, person_id: &str) -> Arc<Pending> {
        let pending = Arc::new(Pending::default());
        let mut people = self.people();
        let connections = people.entry(person_id.to_string()).or_default();
        connections.retain(|c| c.strong_count() > 0);
        connections.push(Arc::downgrade(&pending));
        if people.len() >= 1024 && people.len().is_power_of_two() {
            people.retain(|_, c| c.iter().any(|c| c.strong_count() > 0));
        }
        pending
    }

    /// Whether any connection is listening.
    pub fn any(&self) -> bool {
        self.people()
            .values()
            .any(|c| c.iter().any(|c| c.strong_count() > 0))
    }

    /// Tells the connections of `person_id` that `docs` were stored (any document, if `all`).
    fn tell<'a>(&self, person_id: &str, docs: impl IntoIterator<Item = &'a String>, all: bool) {
        let people = self.people();
        let Some(connections) = people.get(person_id) else {
            return;
        };
        let docs: Vec<&String> = docs.into_iter().collect();
        for pending in connections.iter().filter_map(std::sync::Weak::upgrade) {
            {
                let mut stored = pending.stored.lock().unwrap_or_else(|e| e.into_inner());
                stored.all |= all;
                stored.docs.extend(docs.iter().map(|d| d.to_string()));
            }
            pending.notify.notify_one();
        }
    }

    fn tell_everyone(&self) {
        let people: Vec<String> = self.people().keys().cloned().collect();
        for person in people {
            self.tell(&person, [], true);
        }
    }
}

/// Who may see each document lately stored, while no membership changed (the
/// [`MembershipPolicy::generation`](crate::policy::MembershipPolicy::generation) it was read in).
#[derive(Default)]
struct Viewers {
    generation: u64,
    docs: HashMap<String, Vec<String>>,
}

/// The most documents whose viewers are remembered at once.
const MAX_VIEWERS_KEPT: usize = 65_536;

/// Tells the connections of each person who may see a document as it is stored (by this
/// process or, as heard, another) which documents, until `durability` is dropped. What is
/// stored while the directory is being asked is taken together afterwards. Who may see a
/// document is asked once and remembered until a membership changes (`generation`).
pub async fn route_stored(
    durability: std::sync::Weak<crate::documents::Durability>,
    directory: Directory,
    signals: Arc<StoredSignals>,
    generation: Arc<std::sync::atomic::AtomicU64>,
) {
    let Some(mut stored) = durability.upgrade().map(|d| d.stored_changes()) else {
        return;
    };
    let mut viewers = Viewers::default();
    while stored.changed().await.is_ok() {
        let Some(taken) = durability.upgrade().map(|d| d.take_stored()) else {
            return;
        };
        if taken.all {
            signals.tell_everyone();
            continue;
        }
        if taken.docs.is_empty() || !signals.any() {
            continue;
        }
        let now = generation.load(std::sync::atomic::Ordering::Acquire);
        if now != viewers.generation || viewers.docs.len() >= MAX_VIEWERS_KEPT {
            viewers = Viewers {
                generation: now,
                docs: HashMap::new(),
            };
        }
        let unknown: Vec<String> = taken
            .docs
            .iter()
            .filter(|d| !viewers.docs.contains_key(*d))
            .cloned()
            .collect();
        for doc in unknown {
            match directory.viewers(std::slice::from_ref(&doc)).await {
                Ok(people) => {
                    viewers.docs.insert(doc, people);
                }
                Err(err) => {
                    // Everyone reads the feed, which is filtered by the share rules anyway.
                    tracing::error!(%err, "could not look up who may see a stored document");
                    signals.tell_everyone();
                    break;
                }
            }
        }
        let mut told: HashMap<&str, Vec<&String>> = HashMap::new();
        for doc in &taken.docs {
            for person in viewers.docs.get(doc).into_iter().flatten() {
                told.entry(person).or_default().push(doc);
            }
        }
        for (person, docs) in told {
            signals.tell(person, docs, false);
        }
    }
}

/// The documents a connection has named in its inbound messages (shared by its inbound side,
/// which records them, and its notices, which leave them out).
#[derive(Clone, Default)]
pub struct Named(Arc<Mutex<HashSet<String>>>);

impl Named {
    fn set(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes that the connection sent a message about `doc_id`.
    pub fn add(&self, doc_id: &str) {
        let mut set = self.set();
        if set.len() < MAX_NAMED && !set.contains(doc_id) {
            set.insert(doc_id.to_string());
        }
    }

    /// Forgets `doc_id`: the server answered the connection it does not have it (or may not
    /// give it), so a change to it later is worth a notice.
    pub fn remove(&self, doc_id: &str) {
        self.set().remove(doc_id);
    }

    pub fn contains(&self, doc_id: &str) -> bool {
        self.set().contains(doc_id)
    }
}

/// `{"type": "tandem-changed", "documentIds": [...]}`.
pub fn changed_notice(doc_ids: &[String]) -> Vec<u8> {
    let mut e = minicbor::Encoder::new(Vec::new());
    e.map(2)
        .and_then(|e| e.str("type"))
        .and_then(|e| e.str(notice::CHANGED))
        .and_then(|e| e.str("documentIds"))
        .and_then(|e| e.array(doc_ids.len() as u64))
        .expect("writing to a Vec");
    for id in doc_ids {
        e.str(id).expect("writing to a Vec");
    }
    e.into_writer()
}

/// `{"type": "tandem-links-changed"}`.
pub fn links_changed_notice() -> Vec<u8> {
    let mut e = minicbor::Encoder::new(Vec::new());
    e.map(1)
        .and_then(|e| e.str("type"))
        .and_then(|e| e.str(notice::LINKS_CHANGED))
        .expect("writing to a Vec");
    e.into_writer()
}

/// What one connection's notices need to start.
pub struct NoticeSetup {
    pub directory: Directory,
    pub person: Person,
    pub named: Named,
    /// Told which documents this person may see were stored ([`StoredSignals::watch`]).
    pub stored: Arc<Pending>,
    /// [`crate::policy::MembershipPolicy::watch_links`] for this person.
    pub links: watch::Receiver<u64>,
    /// Where in the change feed to start: a catch-up cursor the device gave, or the feed's top
    /// now (`None`).
    pub since: Option<u64>,
}

/// The notices of one connection, made as they become due.
pub struct ConnectionNotices {
    directory: Directory,
    person: Person,
    named: Named,
    cursor: u64,
    stored: Arc<Pending>,
    links_changed: Option<watch::Receiver<u64>>,
    /// The links may have changed and are to be read again.
    links_due: bool,
    links: Vec<Link>,
    /// When the change feed is to be read next (changes are gathered until then).
    due: Option<Instant>,
    ready: VecDeque<Vec<u8>>,
}

impl ConnectionNotices {
    /// Notices from now on. The signals are subscribed before the feed's top and the links
    /// are read, so nothing that changes meanwhile is missed.
    pub async fn start(setup: NoticeSetup) -> crate::directory::Result<ConnectionNotices> {
        let NoticeSetup {
            directory,
            person,
            named,
            stored,
            mut links,
            since,
        } = setup;
        links.mark_unchanged();
        let (cursor, due) = match since {
            Some(since) => (since, Some(Instant::now())),
            None => (directory.feed_cursor().await?, None),
        };
        let current_links = directory.links(&person).await?;
        Ok(ConnectionNotices {
            directory,
            person,
            named,
            cursor,
            stored,
            links_changed: Some(links),
            links_due: false,
            links: current_links,
            due,
            ready: VecDeque::new(),
        })
    }

    /// Where the connection's inbound side records the documents it names.
    pub fn named(&self) -> Named {
        self.named.clone()
    }

    /// The next notice to send. Cancel safe: what is due stays due until it has been read
    /// (a read cut short is done again).
    pub async fn next(&mut self) -> Vec<u8> {
        loop {
            if let Some(notice) = self.ready.pop_front() {
                return notice;
            }
            // The reads are boxed: this future waits for the life of the connection, and
            // needs their room only while one runs.
            if self.links_due {
                Box::pin(self.read_links()).await;
                self.links_due = false;
                continue;
            }
            if self.due.is_some_and(|due| due <= Instant::now()) {
                Box::pin(self.read_feed()).await;
                self.due = None;
                continue;
            }
            let due = self.due;
            tokio::select! {
                () = self.stored.notify.notified() => {
                    // Documents this connection named reach it through the engine already.
                    let taken = self.stored.take();
                    if taken.all || taken.docs.iter().any(|d| !self.named.contains(d)) {
                        self.due.get_or_insert_with(|| Instant::now() + BATCH);
                    }
                }
                alive = changed(&mut self.links_changed) => {
                    if alive {
                        self.links_due = true;
                        // New links give access to documents whose changes this person was
                        // not signalled about when they were stored.
                        self.due.get_or_insert_with(|| Instant::now() + BATCH);
                    } else {
                        self.links_changed = None;
                    }
                }
                () = sleep_until(due) => {}
            }
        }
    }

    /// Reads the change feed after the cursor and queues a notice of what this connection has
    /// not named.
    async fn read_feed(&mut self) {
        match self
            .directory
            .changed_since(&self.person.person_id, self.cursor)
            .await
        {
            Ok(changed) => {
                self.cursor = changed.cursor;
                let unnamed: Vec<String> = changed
                    .doc_ids
                    .into_iter()
                    .filter(|id| !self.named.contains(id))
                    .collect();
                for ids in unnamed.chunks(MAX_IDS_PER_NOTICE) {
                    self.ready.push_back(changed_notice(ids));
                }
            }
            // The cursor stays: the next stored change reads again from there.
            Err(err) => tracing::error!(%err, "notices could not read the change feed"),
        }
    }

    /// Reads the person's links and queues a notice if they differ from what was seen before.
    async fn read_links(&mut self) {
        match self.directory.links(&self.person).await {
            Ok(links) => {
                if links != self.links {
                    self.links = links;
                    self.ready.push_back(links_changed_notice());
                }
            }
            Err(err) => tracing::error!(%err, "notices could not read the links"),
        }
    }
}

/// Whether the signal fired (`false`: its sender is gone); never resolves without a signal.
async fn changed(signal: &mut Option<watch::Receiver<u64>>) -> bool {
    match signal {
        Some(receiver) => receiver.changed().await.is_ok(),
        None => std::future::pending().await,
    }
}

async fn sleep_until(due: Option<Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> (String, Option<Vec<String>>) {
        let mut d = minicbor::Decoder::new(bytes);
        let len = d.map().unwrap().unwrap();
        let (mut kind, mut ids) = (String::new(), None);
        for _ in 0..len {
            match d.str().unwrap() {
                "type" => kind = d.str().unwrap().to_string(),
                "documentIds" => {
                    let n = d.array().unwrap().unwrap();
                    ids = Some((0..n).map(|_| d.str().unwrap().to_string()).collect());
                }
                other => panic!("unexpected key {other}"),
            }
        }
        assert_eq!(d.position(), bytes.len());
        (kind, ids)
    }

    #[test]
    fn notices_are_cbor_maps_of_the_documented_shape() {
        let ids = vec!["a".to_string(), "b".to_string()];
        assert_eq!(
            read(&changed_notice(&ids)),
            ("tandem-changed".to_string(), Some(ids))
        );
        assert_eq!(
            read(&links_changed_notice()),
            ("tandem-links-changed".to_string(), None)
        );
        // Neither reads as an automerge-repo message the server would act on.
        let empty = changed_notice(&[]);
        let envelope = crate::transport::envelope(&empty).unwrap();
        assert_eq!(
            (envelope.kind, envelope.document_id),
            ("tandem-changed", None)
        );
    }

    #[tokio::test]
    async fn a_connection_hears_of_what_it_may_see_and_has_not_named() {
        use crate::directory::{Directory, SqliteBackend};
        use crate::documents::{Durability, SamodStorage, SqliteDocuments};
        use samod::storage::{Storage, StorageKey};
        use tandem_protocol::api::{DocumentKind, EnrolRequest, RegisterDocument, Role};

        let dir = tempfile::tempdir().unwrap();
        let directory = Directory::new(SqliteBackend::open(dir.path()).unwrap());
        let durability = Arc::new(Durability::default());
        let storage = SamodStorage::new(
            SqliteDocuments::new(crate::db::open(dir.path()).unwrap()),
            durability.clone(),
        );
        let doc_id = || {
            samod::DocumentId::try_from(rand::random::<[u8; 16]>().to_vec())
                .unwrap()
                .to_string()
        };
        let now = chrono::Utc::now().timestamp();
        let person = async |n: u8| {
            let code = directory
                .create_enrolment_code(Role::Practitioner, now, now + 100)
                .await
                .unwrap();
            let request = EnrolRequest {
                code,
                person_id: bs58::encode([n; 16]).into_string(),
                journey_id: doc_id(),
                private_id: doc_id(),
            };
            directory
                .enrol(&format!("device-{n}"), &request, now)
                .await
                .unwrap();
            directory.person(&request.person_id).await.unwrap().unwrap()
        };
        let (me, other) = (person(1).await, person(2).await);
        let month = async |owner: &Person| {
            let id = doc_id();
            let request = RegisterDocument {
                doc_id: id.clone(),
                kind: DocumentKind::CheckIns,
                journey_id: Some(owner.journey_id.clone()),
                with_person: None,
            };
            directory.register(owner, &request, now).await.unwrap();
            id
        };
        let (named_month, unnamed_month, theirs) =
            (month(&me).await, month(&me).await, month(&other).await);

        let (watchers, signals) = (
            PersonWatchers::default(),
            Arc::new(StoredSignals::default()),
        );
        tokio::spawn(route_stored(
            Arc::downgrade(&durability),
            directory.clone(),
            signals.clone(),
            Arc::default(),
        ));
        let mut notices = ConnectionNotices::start(NoticeSetup {
            directory: directory.clone(),
            person: me.clone(),
            named: Named::default(),
            stored: signals.watch(&me.person_id),
            links: watchers.watch(&me.person_id),
            since: None,
        })
        .await
        .unwrap();
        notices.named().add(&named_month);
        for doc in [&named_month, &theirs, &unnamed_month] {
            let key = StorageKey::from_parts([doc.as_str(), "incremental", "x"]).unwrap();
            storage.put(key, b"a change".to_vec()).await;
        }
        let notice = tokio::time::timeout(Duration::from_secs(10), notices.next())
            .await
            .expect("a notice");
        assert_eq!(
            read(&notice),
            ("tandem-changed".to_string(), Some(vec![unnamed_month]))
        );
        // Nothing of the other person's reaches the feed's reader either.
        let changed = directory.changed_since(&me.person_id, 0).await.unwrap();
        assert!(!changed.doc_ids.contains(&theirs));
        assert_eq!(changed.cursor, 3);
    }

    #[test]
    fn only_watched_people_are_nudged_and_ended_connections_are_forgotten() {
        let watchers = PersonWatchers::default();
        let mut a = watchers.watch("a");
        let b = watchers.watch("b");
        watchers.nudge(&["a", "c"]);
        assert!(a.has_changed().unwrap());
        assert!(!b.has_changed().unwrap());
        a.mark_unchanged();
        drop(b);
        let _c = watchers.watch("c");
        assert_eq!(watchers.people().len(), 2, "b's entry is gone");
    }
}
