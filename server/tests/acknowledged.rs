//! The server acknowledges only what is on disk: with a store whose writes are slow, a peer's
//! `they_have_our_changes` (the server's sync message advertising the peer's heads) resolves only
//! once those changes are stored. The sync engine stores a change before it answers the message
//! that brought it; this test reads its answers without the writer's second look
//! (`transport.rs`), so it fails if the engine answered first.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ReadDoc, ROOT};
use futures::future::BoxFuture;
use futures::StreamExt;
use samod::storage::StorageKey;
use samod::{BackoffConfig, DialError, Dialer, PeerId, Repo, Transport};
use tandem_protocol::api::{EnrolRequest, Role};
use tandem_server::directory::{Directory, SqliteBackend};
use tandem_server::documents::{
    DocumentStore, Durability, SamodStorage, SqliteDocuments, StoreResult,
};
use tandem_server::engine::{Engine, Outbox};
use tandem_server::policy::MembershipPolicy;
use tandem_server::transport::TransportError;

const WRITE_DELAY: Duration = Duration::from_millis(300);

/// SQLite documents whose writes take a while.
struct SlowStore {
    inner: Arc<SqliteDocuments>,
}

impl DocumentStore for SlowStore {
    async fn load(&self, key: &StorageKey) -> StoreResult<Option<Vec<u8>>> {
        self.inner.load(key).await
    }

    async fn load_range(&self, prefix: &StorageKey) -> StoreResult<Vec<(StorageKey, Vec<u8>)>> {
        self.inner.load_range(prefix).await
    }

    async fn put(&self, key: &StorageKey, value: &[u8]) -> StoreResult<()> {
        tokio::time::sleep(WRITE_DELAY).await;
        self.inner.put(key, value).await
    }

    async fn delete(&self, key: &StorageKey) -> StoreResult<()> {
        self.inner.delete(key).await
    }
}

/// Connects a client repo to the engine through in-memory channels, as the device `peer` of
/// `person`.
struct ChannelDialer {
    engine: Engine,
    peer: String,
    person: String,
}

impl Dialer for ChannelDialer {
    type Error = Infallible;

    fn url(&self) -> samod::Url {
        samod::Url::parse("memory://server").unwrap()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Infallible>>> {
        let (to_server, from_client) = futures::channel::mpsc::unbounded::<Vec<u8>>();
        let (to_client, from_server) = futures::channel::mpsc::unbounded::<Vec<u8>>();
        let (outbox, answers) = Outbox::new();
        let connection = self
            .engine
            .connect(&self.peer, &self.person, outbox)
            .unwrap();
        let engine = self.engine.clone();
        tokio::spawn(async move {
            let inbound = from_client.map(Ok::<_, TransportError>);
            let forward = answers.map(Ok).forward(to_client);
            futures::future::select(Box::pin(engine.serve(&connection, inbound)), forward).await;
            engine.leave(&connection).await;
        });
        Box::pin(async move {
            Ok(
                Transport::new(from_server.map(Ok::<_, Infallible>), to_server)
                    .with_expected_peer_id(PeerId::from("server-test")),
            )
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_hears_its_changes_acknowledged_only_once_they_are_on_disk() {
    let sqlite = Arc::new(SqliteDocuments::new(
        tandem_server::db::open_file(std::path::Path::new(":memory:")).unwrap(),
    ));
    let durability = Arc::new(Durability::default());
    let directory_db = tandem_server::db::open_file(std::path::Path::new(":memory:")).unwrap();
    let directory = Directory::new(SqliteBackend::new(directory_db).unwrap());
    let engine = Engine::new(
        SamodStorage::new(
            SlowStore {
                inner: sqlite.clone(),
            },
            durability.clone(),
        ),
        MembershipPolicy::new(directory.clone()),
        durability,
        "server-test".into(),
    );
    let new_id = || {
        samod::DocumentId::try_from(rand::random::<[u8; 16]>().to_vec())
            .unwrap()
            .to_string()
    };
    // The person's journey is the document the client makes, so that it may write it.
    let client = Repo::build_tokio()
        .with_peer_id(PeerId::from("device-a-phone"))
        .load()
        .await;
    let mut doc = Automerge::new();
    doc.transact::<_, _, AutomergeError>(|tx| {
        tx.put(ROOT, "first", 1)?;
        Ok(())
    })
    .unwrap();
    let handle = client.create(doc).await.unwrap();
    let journey = handle.document_id().to_string();
    let (device, person) = (
        "a-phone",
        bs58::encode(rand::random::<[u8; 16]>()).into_string(),
    );
    let now = chrono::Utc::now().timestamp();
    let code = directory
        .create_enrolment_code(Role::Practitioner, now, now + 60)
        .await
        .unwrap();
    let request = EnrolRequest {
        code,
        person_id: person.clone(),
        journey_id: journey.clone(),
        private_id: new_id(),
    };
    directory.enrol(device, &request, now).await.unwrap();
    let dialer = client
        .dial(
            BackoffConfig::default(),
            Arc::new(ChannelDialer {
                engine,
                peer: format!("device-{device}"),
                person,
            }),
        )
        .unwrap();
    dialer.established().await.unwrap();
    let connection = dialer.connection_id().unwrap();

    for round in 0..4 {
        for i in 0..(round * 5 + 1) {
            handle.with_document(|d| {
                d.transact::<_, _, AutomergeError>(|tx| {
                    tx.put(ROOT, format!("r{round}-{i}").as_str(), i)?;
                    Ok(())
                })
                .unwrap();
            });
        }
        let started = Instant::now();
        tokio::time::timeout(
            Duration::from_secs(20),
            handle.they_have_our_changes(connection),
        )
        .await
        .expect("acknowledged in time");
        assert!(
            started.elapsed() >= WRITE_DELAY,
            "round {round}: acknowledged before a write could finish"
        );

        // Everything acknowledged is in the store.
        let heads = handle.with_document(|d| d.get_heads());
        let rows = sqlite
            .load_range(&StorageKey::from_parts([handle.document_id().to_string()]).unwrap())
            .await
            .unwrap();
        let mut stored = Automerge::new();
        for (_, bytes) in rows {
            stored.load_incremental(&bytes).unwrap();
        }
        for head in heads {
            assert!(
                stored.get_change_by_hash(&head).is_some(),
                "round {round}: head {head} acknowledged but not stored"
            );
        }
    }
    client.stop().await;
}
