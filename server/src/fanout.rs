//! Several server processes on one PostgreSQL database: what one process stores or decides,
//! the others hear of through the database's own `LISTEN`/`NOTIFY`.
//!
//! - A stored change of a document notifies `tandem_changes` in the same transaction as its row
//!   (`documents::PostgresDocuments::put`), so the notification is delivered exactly when the
//!   row is committed. A process that holds that document (one of its connections uses it:
//!   `engine.rs`) reads the document's rows from the database and merges them into its copy,
//!   and sends them on to the devices connected here that use it; its connections that were
//!   told the document was unavailable look again. Every process also reads the change feed
//!   again for its connections' notices.
//! - A grant, a revocation, a registration or a join notifies `tandem_memberships` with the
//!   people it touched ([`Peers::memberships_changed`]); every process then decides again on its
//!   open connections, as the process that made the change does (`policy.rs`).
//!
//! Each notification names the process it came from, which ignores its own. Notifications are
//! not kept: a process whose listening connection drops reconnects, and then looks again at
//! every decision and at the change feed, since it may have missed some.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::Pool;

use crate::documents::Durability;
use crate::metrics::Metrics;
use crate::policy::MembershipPolicy;
use crate::postgres;

/// The channel of stored changes: `<origin> <Unix microseconds when stored> <document id>`.
pub const CHANGES: &str = "tandem_changes";
/// The channel of membership changes: `<origin> <person id> … doc:<document id> …` (the
/// people whose access may have changed, and documents anyone's access to may have).
pub const MEMBERSHIPS: &str = "tandem_memberships";
/// How a document is named among the people of a membership change.
const DOC: &str = "doc:";
const LISTEN: &str = "LISTEN tandem_changes; LISTEN tandem_memberships;";

/// What a stored change of `doc_id` by process `origin` notifies.
pub fn change_payload(origin: &str, doc_id: &str) -> String {
    format!("{origin} {} {doc_id}", unix_micros())
}

fn unix_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// How long a process waits before listening again after its connection dropped.
const RELISTEN: Duration = Duration::from_secs(1);

/// This process among the others on the database (cheap to clone).
#[derive(Clone)]
pub struct Peers {
    origin: Arc<str>,
    pool: Pool,
}

impl Peers {
    /// A new process id on `pool`'s database.
    pub fn new(pool: Pool) -> Peers {
        Peers {
            origin: bs58::encode(rand::random::<[u8; 8]>()).into_string().into(),
            pool,
        }
    }

    /// How this process names itself in notifications.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Tells the other processes that the memberships or links of `people` changed; returns
    /// once the database has the notification (an error is logged: the others then learn of
    /// the change only when they next look).
    pub async fn memberships_changed(&self, people: &[&str], docs: &[&str]) {
        let mut words = vec![self.origin.to_string()];
        words.extend(people.iter().map(|p| p.to_string()));
        words.extend(docs.iter().map(|d| format!("{DOC}{d}")));
        let payload = words.join(" ");
        let sent = async {
            let client = self.pool.get().await.map_err(|e| e.to_string())?;
            client
                .execute("SELECT pg_notify($1, $2)", &[&MEMBERSHIPS, &payload])
                .await
                .map_err(|e| postgres::describe(&e))
        };
        if let Err(err) = sent.await {
            tracing::error!(%err, "could not tell the other server processes of a membership change");
        }
    }
}

/// What a process listens with.
pub struct Listener {
    pub url: String,
    pub peers: Peers,
    /// The sync engine, which merges what the others stored into the copies it holds.
    pub engine: crate::engine::Engine,
    pub policy: MembershipPolicy,
    pub durability: Arc<Durability>,
    pub metrics: Arc<Metrics>,
}

impl Listener {
    /// Listens until aborted, reconnecting when the connection drops.
    pub async fn run(self) {
        let mut first = true;
        loop {
            match postgres::listen(&self.url, LISTEN).await {
                Ok(mut listening) => {
                    let heard = &mut listening.notifications;
                    if !first {
                        tracing::info!("listening to the other server processes again");
                        // What was said while nobody listened is lost: look again at all.
                        self.policy.memberships_changed(&[]);
                        self.durability.stored_elsewhere([], true);
                    }
                    first = false;
                    while let Some(notification) = heard.recv().await {
                        let mut batch = vec![notification];
                        while let Ok(more) = heard.try_recv() {
                            batch.push(more);
                        }
                        self.hear(batch).await;
                    }
                }
                Err(err) => tracing::warn!(%err, "cannot listen to the other server processes"),
            }
            tokio::time::sleep(RELISTEN).await;
        }
    }

    async fn hear(&self, batch: Vec<tokio_postgres::Notification>) {
        let mut docs = BTreeSet::new();
        let mut people = BTreeSet::new();
        let mut about_docs = BTreeSet::new();
        // When each change was stored, for the lag.
        let mut stored_at = Vec::new();
        for n in &batch {
            let mut words = n.payload().split(' ');
            if words.next() == Some(self.peers.origin()) {
                continue;
            }
            match n.channel() {
                CHANGES => {
                    stored_at.extend(words.next().and_then(|w| w.parse::<i64>().ok()));
                    docs.extend(words.map(str::to_string));
                }
                MEMBERSHIPS => {
                    for word in words.filter(|w| !w.is_empty()) {
                        match word.strip_prefix(DOC) {
                            Some(doc) => about_docs.insert(doc.to_string()),
                            None => people.insert(word.to_string()),
                        };
                    }
                }
                _ => {}
            }
        }
        if !people.is_empty() || !about_docs.is_empty() {
            let people: Vec<&str> = people.iter().map(String::as_str).collect();
            let about_docs: Vec<&str> = about_docs.iter().map(String::as_str).collect();
            self.policy.memberships_changed_about(&people, &about_docs);
        }
        if docs.is_empty() {
            return;
        }
        tracing::debug!(?docs, "documents changed on another process");
        self.durability
            .stored_elsewhere(docs.iter().map(String::as_str), false);
        for doc in &docs {
            // Merged where held; connections waiting for it look again.
            self.engine.refresh(doc).await;
        }
        let now = unix_micros();
        for at in stored_at {
            self.metrics
                .fanout_lag
                .observe((now - at).max(0) as f64 / 1e6);
        }
    }
}
