//! The notices of a device's sync connection (`/v1/sync?…&notices=1`), through the real
//! `tandem-server` binary on 127.0.0.1: raw WebSocket clients hold practitioners' devices (keys
//! made here, enrolled over HTTP), and their clients are Tandem stores that join, edit and
//! `sync_now` as the app does.
//!
//! - a member's connection hears `tandem-changed` with the documents another member changed,
//!   and never one it may not see;
//! - a non-member's connection hears nothing of them: the first change notice it gets names only
//!   documents of its own link;
//! - `tandem-links-changed` reaches the person whose link was made, revoked or granted again;
//! - a plain connection (no `notices=1`) hears none.
//!
//! No timed assertions: each wait is for a message, with a generous timeout.

#![cfg(unix)]

use std::collections::BTreeSet;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tandem_core::auth::{device_id, make_token, peer_id_for, DeviceKey, LIFETIME_SECS};
use tandem_core::sync::api::{notice, Access};
use tandem_core::sync::session::{join, revoke, share, sync_now};
use tandem_core::{OpenOptions, Store};
use tandem_tests::devices::walk;
use tandem_tests::server_process::ServerProcess;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;

const PATIENCE: Duration = Duration::from_secs(30);

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn random_id() -> String {
    bs58::encode(rand::random::<[u8; 16]>()).into_string()
}

fn random_doc_id() -> String {
    samod::DocumentId::try_from(rand::random::<[u8; 16]>().to_vec())
        .unwrap()
        .to_string()
}

fn quiet(_: tandem_core::sync::SyncStatus) {}

fn store(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(
        dir.path().join(format!("{name}.db")),
        OpenOptions {
            time_zone: Some("Europe/London".into()),
            ..Default::default()
        },
    )
    .unwrap()
}

/// A practitioner on a device whose key the test holds.
struct Practitioner {
    key: DeviceKey,
    person_id: String,
    url: String,
    server_id: String,
}

impl Practitioner {
    async fn enrolled(process: &ServerProcess) -> Practitioner {
        let info: Value = reqwest::get(format!("{}/v1/server", process.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let practitioner = Practitioner {
            key: DeviceKey::generate(),
            person_id: random_id(),
            url: process.url.clone(),
            server_id: info["server_id"].as_str().unwrap().to_string(),
        };
        practitioner
            .post(
                "/v1/enrol",
                json!({"code": process.enrol_code("practitioner"),
                       "person_id": practitioner.person_id,
                       "journey_id": random_doc_id(), "private_id": random_doc_id()}),
            )
            .await;
        practitioner
    }

    fn token(&self) -> String {
        make_token(&self.key, &self.server_id, now(), LIFETIME_SECS)
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let response = reqwest::Client::new()
            .post(format!("{}{path}", self.url))
            .bearer_auth(self.token())
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "POST {path} -> {status} {answer}");
        answer
    }

    async fn invite_client(&self) -> String {
        let answer = self
            .post("/v1/invitations", json!({"kind": "client"}))
            .await;
        answer["code"].as_str().unwrap().to_string()
    }

    /// A raw sync connection (`query` added to the URL), past the automerge-repo handshake.
    async fn connect(&self, query: &str) -> RawSocket {
        let url = format!(
            "{}/v1/sync?token={}{query}",
            self.url.replacen("http://", "ws://", 1),
            self.token()
        );
        let (mut ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("a member's upgrade succeeds");
        let join = {
            let mut e = minicbor::Encoder::new(Vec::new());
            e.map(3).unwrap();
            e.str("type").unwrap().str("join").unwrap();
            e.str("senderId")
                .unwrap()
                .str(&peer_id_for(&device_id(&self.key)))
                .unwrap();
            e.str("supportedProtocolVersions").unwrap();
            e.array(1).unwrap().str("1").unwrap();
            e.into_writer()
        };
        ws.send(Message::Binary(join.into())).await.unwrap();
        let answer = next_message(&mut ws).await;
        assert_eq!(answer.kind, "peer", "the server answers the handshake");
        ws
    }
}

type RawSocket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What the test reads of a message from the server.
#[derive(Debug)]
struct Received {
    kind: String,
    document_ids: Option<Vec<String>>,
}

async fn next_message(ws: &mut RawSocket) -> Received {
    loop {
        let message = timeout(PATIENCE, ws.next())
            .await
            .expect("a message in time")
            .expect("the connection stays open")
            .expect("a readable message");
        let Message::Binary(bytes) = message else {
            continue;
        };
        let mut d = minicbor::Decoder::new(&bytes);
        let len = d.map().unwrap().expect("a definite map");
        let mut received = Received {
            kind: String::new(),
            document_ids: None,
        };
        for _ in 0..len {
            match d.str().unwrap() {
                "type" => received.kind = d.str().unwrap().to_string(),
                "documentIds" => {
                    let n = d.array().unwrap().unwrap();
                    received.document_ids =
                        Some((0..n).map(|_| d.str().unwrap().to_string()).collect());
                }
                _ => d.skip().unwrap(),
            }
        }
        return received;
    }
}

/// The next notice (automerge-repo's own messages are not expected: nothing is asked for).
async fn next_notice(ws: &mut RawSocket) -> Received {
    let received = next_message(ws).await;
    assert!(
        received.kind == notice::CHANGED || received.kind == notice::LINKS_CHANGED,
        "only notices on this connection: {received:?}"
    );
    received
}

/// Reads notices until one names `doc_id`; every document named on the way must be in
/// `visible`. Answers how many links notices went by.
async fn until_changed(ws: &mut RawSocket, doc_id: &str, visible: &BTreeSet<String>) -> usize {
    let mut links_notices = 0;
    loop {
        let received = next_notice(ws).await;
        match received.document_ids {
            None => links_notices += 1,
            Some(ids) => {
                assert!(!ids.is_empty(), "a change notice names something");
                for id in &ids {
                    assert!(visible.contains(id), "{id} is not for this person: {ids:?}");
                }
                if ids.iter().any(|id| id == doc_id) {
                    return links_notices;
                }
            }
        }
    }
}

/// Reads notices until a links notice; every document named on the way must be in `visible`.
async fn until_links_changed(ws: &mut RawSocket, visible: &BTreeSet<String>) {
    loop {
        let received = next_notice(ws).await;
        match received.document_ids {
            None => return,
            Some(ids) => {
                for id in &ids {
                    assert!(visible.contains(id), "{id} is not for this person: {ids:?}");
                }
            }
        }
    }
}

/// What a practitioner may see of their client's: the journey and their care document.
fn visible_of(client: &Store) -> BTreeSet<String> {
    let mut visible: BTreeSet<String> = client
        .relationships()
        .unwrap()
        .into_iter()
        .map(|r| r.doc_id)
        .collect();
    visible.insert(client.identity().journey_id.clone());
    visible
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_tell_a_member_what_changed_and_a_non_member_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let first = Practitioner::enrolled(&process).await;
    let second = Practitioner::enrolled(&process).await;
    let mut first_ws = first.connect("&notices=1").await;
    let mut second_ws = second.connect("&notices=1").await;
    let mut plain_ws = first.connect("").await;

    // A client joins the first practitioner: that practitioner's links change.
    let client = store(&dir, "client");
    join(&client, &process.url, &first.invite_client().await)
        .await
        .unwrap();
    // (Nothing of the client's is stored on the server yet: no change notice may come first.)
    until_links_changed(&mut first_ws, &BTreeSet::new()).await;

    // The client edits their journey on their own device and syncs: the first practitioner
    // hears of it (and of nothing they may not see, such as the client's private document).
    client.add_plan(&walk()).unwrap();
    sync_now(&client, &quiet).await.unwrap();
    let visible = visible_of(&client);
    assert_eq!(visible.len(), 2, "the journey and the care document");
    assert!(!visible.contains(&client.identity().private_id));
    let journey = client.identity().journey_id.clone();
    until_changed(&mut first_ws, &journey, &visible).await;

    // The client withdraws their journey: the practitioner's links change again.
    revoke(&client, &journey, &first.person_id).await.unwrap();
    until_links_changed(&mut first_ws, &visible).await;
    // And shares it again: again.
    share(&client, &journey, &first.person_id, Access::Write)
        .await
        .unwrap();
    until_links_changed(&mut first_ws, &visible).await;

    // The second practitioner heard nothing of the first's client. Their first notices are of
    // their own client's join and documents, and only those.
    let other = store(&dir, "other");
    join(&other, &process.url, &second.invite_client().await)
        .await
        .unwrap();
    other.add_plan(&walk()).unwrap();
    sync_now(&other, &quiet).await.unwrap();
    let theirs = visible_of(&other);
    let links_notices = until_changed(&mut second_ws, &other.identity().journey_id, &theirs).await;
    // The join and the registration of the care document changed their links; the first
    // client's join and revocation did not.
    assert!(
        (1..=2).contains(&links_notices),
        "{links_notices} links notices"
    );

    // A plain connection carries no notices: the first message it gets is the answer to its
    // own request.
    let request = {
        use automerge::sync::SyncDoc;
        let data = automerge::Automerge::new()
            .generate_sync_message(&mut automerge::sync::State::new())
            .unwrap()
            .encode();
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(5).unwrap();
        e.str("type").unwrap().str("request").unwrap();
        e.str("senderId")
            .unwrap()
            .str(&peer_id_for(&device_id(&first.key)))
            .unwrap();
        e.str("targetId")
            .unwrap()
            .str(&format!("server-{}", first.server_id))
            .unwrap();
        e.str("documentId").unwrap().str(&random_doc_id()).unwrap();
        e.str("data").unwrap().bytes(&data).unwrap();
        e.into_writer()
    };
    plain_ws
        .send(Message::Binary(request.into()))
        .await
        .unwrap();
    let answer = next_message(&mut plain_ws).await;
    assert_eq!(answer.kind, "doc-unavailable", "{answer:?}");

    for ws in [&mut first_ws, &mut second_ws, &mut plain_ws] {
        let _ = ws.close(None).await;
    }
}

/// Two processes on one PostgreSQL (a throwaway one this test starts): a change stored through
/// process A reaches a member's connection to process B as a notice, through the database's
/// notification, and a non-member's connection to B hears nothing of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_stored_through_one_process_is_noticed_on_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let database = tandem_testdb::cluster().new_database();
    let a = ServerProcess::start_on_database(&dir.path().join("a"), &database);
    let b = ServerProcess::start_on_database(&dir.path().join("b"), &database);
    let first = Practitioner::enrolled(&a).await;
    let second = Practitioner::enrolled(&a).await;
    let on_b = |p: &Practitioner| Practitioner {
        key: p.key.clone(),
        person_id: p.person_id.clone(),
        url: b.url.clone(),
        server_id: p.server_id.clone(),
    };
    let mut first_ws = on_b(&first).connect("&notices=1").await;
    let mut second_ws = on_b(&second).connect("&notices=1").await;

    // The first practitioner's client joins and writes through A only.
    let client = store(&dir, "client");
    join(&client, &a.url, &first.invite_client().await)
        .await
        .unwrap();
    client.add_plan(&walk()).unwrap();
    sync_now(&client, &quiet).await.unwrap();
    let journey = client.identity().journey_id.clone();
    until_changed(&mut first_ws, &journey, &visible_of(&client)).await;

    // The second practitioner's first change notice on B is of their own client, written
    // through A after the first client's: nothing of the first client's came before it.
    let other = store(&dir, "other");
    join(&other, &a.url, &second.invite_client().await)
        .await
        .unwrap();
    other.add_plan(&walk()).unwrap();
    sync_now(&other, &quiet).await.unwrap();
    until_changed(
        &mut second_ws,
        &other.identity().journey_id,
        &visible_of(&other),
    )
    .await;

    for ws in [&mut first_ws, &mut second_ws] {
        let _ = ws.close(None).await;
    }
}
