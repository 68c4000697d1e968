//! The server acknowledges only what is on disk: with a store whose writes are slow, a peer's
//! `they_have_our_changes` (the server's sync message advertising the peer's heads) resolves only
//! once those changes are stored. Without the durability gate samod would answer first.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ReadDoc, ROOT};
use futures::future::BoxFuture;
use futures::StreamExt;
use samod::storage::StorageKey;
use samod::{AcceptorHandle, BackoffConfig, DialError, Dialer, PeerId, Repo, Transport};
use tandem_server::documents::{
    DocumentStore, Durability, SamodStorage, SqliteDocuments, StoreResult,
};
use tandem_server::transport::durable_sink;

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

/// Connects a client repo to the server's acceptor through in-memory channels, the server's
/// outbound side going through the durability gate as on a WebSocket.
struct ChannelDialer {
    acceptor: AcceptorHandle,
    durability: Arc<Durability>,
}

impl Dialer for ChannelDialer {
    type Error = Infallible;

    fn url(&self) -> samod::Url {
        samod::Url::parse("memory://server").unwrap()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Infallible>>> {
        let (to_server, from_client) = futures::channel::mpsc::unbounded::<Vec<u8>>();
        let (to_client, from_server) = futures::channel::mpsc::unbounded::<Vec<u8>>();
        let server_side = Transport::new(
            from_client.map(Ok::<_, Infallible>),
            durable_sink(to_client, self.durability.clone()),
        );
        self.acceptor.accept(server_side).unwrap();
        Box::pin(async move {
            Ok(
                Transport::new(from_server.map(Ok::<_, Infallible>), to_server)
                    .with_expected_peer_id(PeerId::from("server")),
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
    let server = Repo::build_tokio()
        .with_storage(SamodStorage::new(
            SlowStore {
                inner: sqlite.clone(),
            },
            durability.clone(),
        ))
        .with_peer_id(PeerId::from("server"))
        .load()
        .await;
    let acceptor = server
        .make_acceptor(samod::Url::parse("memory://server").unwrap())
        .unwrap();
    let client = Repo::build_tokio()
        .with_peer_id(PeerId::from("client"))
        .load()
        .await;
    let dialer = client
        .dial(
            BackoffConfig::default(),
            Arc::new(ChannelDialer {
                acceptor,
                durability,
            }),
        )
        .unwrap();
    dialer.established().await.unwrap();
    let connection = dialer.connection_id().unwrap();

    let mut doc = Automerge::new();
    doc.transact::<_, _, AutomergeError>(|tx| {
        tx.put(ROOT, "first", 1)?;
        Ok(())
    })
    .unwrap();
    let handle = client.create(doc).await.unwrap();
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
    server.stop().await;
}
