//! The real `tandem-server` binary on 127.0.0.1, seen from test-side samod repos: who may sync
//! what, live revocation, tokens refused at the upgrade, bad peers dropped alone, clean and
//! unclean stops, and the server's memory after many documents.
//!
//! It is also the adversarial suite (issue 13), run on both storage backends (scripts/test runs
//! it again with `TANDEM_TEST_DATABASE=postgres`): another person's device with a valid token
//! (`a_member_syncs…_a_non_member_learns_nothing`), a revoked member on its open connection
//! (`a_revoked_member…`), forged, replayed, expired and foreign tokens
//! (`bad_tokens_are_refused…`), a peer claiming another peer id and oversized or malformed
//! messages (`a_malformed_or_oversized_message…`), a removed device and an erased person
//! (`a_removed_device_and_an_erased_person…`): each obtains nothing, and the server goes on
//! serving everyone else.
//!
//! Each test starts its own server on a free port with its own data directory
//! ([`ServerProcess`] kills and reaps it when dropped). Peers are plain samod repos (in memory)
//! dialing `ws://127.0.0.1:PORT/v1/sync?token=…` with a fresh device-signed token per connection,
//! bound to the server's peer id.

#![cfg(unix)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ReadDoc, ROOT};
use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt, TryStreamExt};
use rand::Rng;
use samod::{BackoffConfig, DialError, Dialer, DialerHandle, DocHandle, DocumentId, PeerId, Repo};
use serde_json::{json, Value};
use tandem_core::auth::{device_id, make_token, peer_id_for, DeviceKey, LIFETIME_SECS};
use tandem_tests::server_process::ServerProcess;
use tokio::time::{sleep, timeout};
use tokio_tungstenite::tungstenite::Message;

const PATIENCE: Duration = Duration::from_secs(15);

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn random_person_id() -> String {
    bs58::encode(rand::random::<[u8; 16]>()).into_string()
}

fn random_doc_id() -> DocumentId {
    DocumentId::try_from(rand::random::<[u8; 16]>().to_vec()).unwrap()
}

/// The server as the tests see it: its address and id.
#[derive(Clone)]
struct Server {
    url: String,
    id: String,
}

impl Server {
    async fn of(process: &ServerProcess) -> Server {
        let info: Value = reqwest::get(format!("{}/v1/server", process.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Server {
            url: process.url.clone(),
            id: info["server_id"].as_str().unwrap().to_string(),
        }
    }

    fn sync_url(&self, token: &str) -> String {
        format!(
            "{}/v1/sync?token={token}",
            self.url.replacen("http://", "ws://", 1)
        )
    }

    fn peer(&self) -> PeerId {
        PeerId::from(format!("server-{}", self.id))
    }
}

/// One device: its key, and calls to the server's HTTP API with fresh tokens.
#[derive(Clone)]
struct Device {
    key: DeviceKey,
    server: Server,
}

impl Device {
    fn new(server: &Server) -> Device {
        Device {
            key: DeviceKey::generate(),
            server: server.clone(),
        }
    }

    fn id(&self) -> String {
        device_id(&self.key)
    }

    fn peer(&self) -> PeerId {
        PeerId::from(peer_id_for(&self.id()))
    }

    fn token(&self) -> String {
        make_token(&self.key, &self.server.id, now(), LIFETIME_SECS)
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.server.url))
            .bearer_auth(self.token());
        if !body.is_null() {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        (status, value)
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let (status, answer) = self.call(reqwest::Method::POST, path, body.clone()).await;
        assert!(
            (200..300).contains(&status),
            "POST {path} {body} -> {status} {answer}"
        );
        answer
    }

    /// A test-side samod repo for this device (in memory), with its peer id.
    async fn repo(&self) -> Repo {
        Repo::build_tokio().with_peer_id(self.peer()).load().await
    }
}

/// A refused connection attempt (the server answered the upgrade with an error).
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// Dials the server's sync endpoint with a fresh token each time, over plain ws:// (no TLS on
/// loopback), bound to the server's peer id.
struct TestDialer {
    device: Device,
}

impl Dialer for TestDialer {
    type Error = Refused;

    fn url(&self) -> url::Url {
        url::Url::parse(&self.device.server.sync_url("…")).unwrap()
    }

    fn connect(&self) -> BoxFuture<'static, Result<samod::Transport, DialError<Refused>>> {
        let url = self.device.server.sync_url(&self.device.token());
        let server_peer = self.device.server.peer();
        Box::pin(async move {
            let ws = match tokio_tungstenite::connect_async(url).await {
                Ok((ws, _)) => ws,
                Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                    return Err(DialError::PermanentFailure(Refused(format!(
                        "{}",
                        response.status()
                    ))))
                }
                Err(e) => return Err(DialError::transient(e)),
            };
            let (sink, stream) = ws.split();
            let stream = stream.try_filter_map(|message| async move {
                Ok(match message {
                    Message::Binary(bytes) => Some(bytes.to_vec()),
                    _ => None,
                })
            });
            let sink = sink.with(|bytes: Vec<u8>| async move {
                Ok::<_, tokio_tungstenite::tungstenite::Error>(Message::Binary(bytes.into()))
            });
            Ok(samod::Transport::new(Box::pin(stream), Box::pin(sink))
                .with_expected_peer_id(server_peer))
        })
    }
}

fn dial(repo: &Repo, device: &Device) -> DialerHandle<Refused> {
    let backoff = BackoffConfig {
        initial_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(500),
        max_retries: None,
    };
    repo.dial(
        backoff,
        Arc::new(TestDialer {
            device: device.clone(),
        }),
    )
    .unwrap()
}

async fn connected(repo: &Repo, device: &Device) -> DialerHandle<Refused> {
    let dialer = dial(repo, device);
    timeout(PATIENCE, dialer.established())
        .await
        .expect("connected in time")
        .expect("the server accepts the device");
    dialer
}

/// A person on one device with a repo holding their journey and private documents.
struct Person {
    device: Device,
    person_id: String,
    repo: Repo,
    journey: DocHandle,
    private: DocHandle,
}

fn put(handle: &DocHandle, key: &str, value: i64) {
    handle.with_document(|d| {
        d.transact::<_, _, AutomergeError>(|tx| {
            tx.put(ROOT, key, value)?;
            Ok(())
        })
        .unwrap();
    });
}

fn get(handle: &DocHandle, key: &str) -> Option<i64> {
    handle.with_document(|d| match d.get(ROOT, key).unwrap() {
        Some((automerge::Value::Scalar(s), _)) => s.as_i64(),
        _ => None,
    })
}

async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = tokio::time::Instant::now();
    while !check() {
        assert!(start.elapsed() < PATIENCE, "timed out waiting: {what}");
        sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the server has told `dialer`'s connection it holds everything `handle` has.
async fn acknowledged(handle: &DocHandle, dialer: &DialerHandle<Refused>) {
    let connection = dialer.connection_id().expect("connected");
    timeout(PATIENCE, handle.they_have_our_changes(connection))
        .await
        .expect("the server acknowledged in time");
}

async fn new_person(server: &Server) -> Person {
    let device = Device::new(server);
    let repo = device.repo().await;
    let mut journey = Automerge::new();
    journey
        .transact::<_, _, AutomergeError>(|tx| {
            tx.put(ROOT, "kind", "journey")?;
            Ok(())
        })
        .unwrap();
    let journey = repo.create(journey).await.unwrap();
    let private = repo.create(Automerge::new()).await.unwrap();
    Person {
        device,
        person_id: random_person_id(),
        repo,
        journey,
        private,
    }
}

impl Person {
    fn ids(&self) -> Value {
        json!({"person_id": self.person_id,
               "journey_id": self.journey.document_id().to_string(),
               "private_id": self.private.document_id().to_string()})
    }

    /// Enrols as `role` with a code from `tandem-server enrol` (run beside the live server).
    async fn enrolled(process: &ServerProcess, server: &Server, role: &str) -> Person {
        let person = new_person(server).await;
        let mut body = person.ids();
        body["code"] = json!(process.enrol_code(role));
        let answer = person.device.post("/v1/enrol", body).await;
        assert_eq!(answer["role"], role);
        person
    }

    /// Joins with an invitation code as a new person.
    async fn joined(server: &Server, code: &str) -> Person {
        let person = new_person(server).await;
        let mut body = person.ids();
        body["code"] = json!(code);
        body["consent_text_version"] = json!("test-1");
        person.device.post("/v1/join", body).await;
        person
    }

    async fn invite(&self, kind: &str) -> String {
        let answer = self
            .device
            .post("/v1/invitations", json!({"kind": kind}))
            .await;
        answer["code"].as_str().unwrap().to_string()
    }

    /// A second device of this person (joined with a device code), with an empty repo.
    async fn second_device(&self) -> (Device, Repo) {
        let code = self.invite("device").await;
        let device = Device::new(&self.device.server);
        let answer = device
            .post(
                "/v1/join",
                json!({"code": code, "person_id": random_person_id(),
                       "journey_id": random_doc_id().to_string(),
                       "private_id": random_doc_id().to_string(),
                       "consent_text_version": "test-1", "device": true}),
            )
            .await;
        assert_eq!(answer["person_id"], self.person_id);
        assert_eq!(answer["journey_id"], self.journey.document_id().to_string());
        let repo = device.repo().await;
        (device, repo)
    }

    /// Registers `month` as a month of check-ins of this person's journey.
    async fn register_month(&self, month: &DocHandle) {
        self.device
            .post(
                "/v1/documents",
                json!({"doc_id": month.document_id().to_string(), "kind": "check_ins",
                       "journey_id": self.journey.document_id().to_string()}),
            )
            .await;
    }

    async fn share(&self, doc: &DocHandle, with: &Person, access: &str) {
        self.device
            .post(
                "/v1/shares",
                json!({"doc_id": doc.document_id().to_string(), "person_id": with.person_id,
                       "access": access}),
            )
            .await;
    }

    async fn revoke(&self, doc: &DocHandle, with: &Person) {
        let (status, answer) = self
            .device
            .call(
                reqwest::Method::DELETE,
                "/v1/shares",
                json!({"doc_id": doc.document_id().to_string(), "person_id": with.person_id,
                       "access": "read"}),
            )
            .await;
        assert_eq!(status, 204, "{answer}");
    }
}

async fn find(repo: &Repo, id: &DocumentId) -> Option<DocHandle> {
    timeout(PATIENCE, repo.find(id.clone()))
        .await
        .expect("find answers in time")
        .expect("the repo runs")
}

async fn find_eventually(repo: &Repo, id: &DocumentId) -> DocHandle {
    let start = tokio::time::Instant::now();
    loop {
        if let Some(handle) = find(repo, id).await {
            return handle;
        }
        assert!(start.elapsed() < PATIENCE, "{id} never arrived");
        sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_syncs_a_registered_document_and_a_non_member_learns_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let owner = Person::enrolled(&process, &server, "practitioner").await;
    put(&owner.journey, "steps", 1);
    let owner_link = connected(&owner.repo, &owner.device).await;
    acknowledged(&owner.journey, &owner_link).await;

    // The owner's second device gets the journey from the server.
    let (tablet_device, tablet) = owner.second_device().await;
    let _tablet_link = connected(&tablet, &tablet_device).await;
    let on_tablet = find(&tablet, owner.journey.document_id())
        .await
        .expect("the owner's other device gets the journey");
    assert_eq!(get(&on_tablet, "steps"), Some(1));
    // And changes flow on, both ways.
    put(&owner.journey, "steps", 2);
    eventually("the tablet sees the owner's edit", || {
        get(&on_tablet, "steps") == Some(2)
    })
    .await;
    put(&on_tablet, "from_tablet", 7);
    eventually("the phone sees the tablet's edit", || {
        get(&owner.journey, "from_tablet") == Some(7)
    })
    .await;

    // A stranger who knows the ids learns nothing: the same answer as for a document that does
    // not exist anywhere.
    let stranger = Person::enrolled(&process, &server, "coach").await;
    let _stranger_link = connected(&stranger.repo, &stranger.device).await;
    for id in [
        owner.journey.document_id().clone(),
        owner.private.document_id().clone(),
        random_doc_id(),
    ] {
        assert!(
            find(&stranger.repo, &id).await.is_none(),
            "a non-member must not get {id}"
        );
    }
    // Nor does a stranger's own, unregistered document reach anyone through the server.
    let unregistered = stranger.repo.create(Automerge::new()).await.unwrap();
    assert!(find(&tablet, unregistered.document_id()).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_member_stops_receiving_changes_on_an_open_connection() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let coach = Person::enrolled(&process, &server, "coach").await;
    let code = coach.invite("practitioner").await;
    let practitioner = Person::joined(&server, &code).await;
    let practitioner_link = connected(&practitioner.repo, &practitioner.device).await;
    put(&practitioner.journey, "n", 1);
    acknowledged(&practitioner.journey, &practitioner_link).await;

    // Not shared yet: the coach cannot have it.
    let coach_link = connected(&coach.repo, &coach.device).await;
    let journey_id = practitioner.journey.document_id().clone();
    assert!(find(&coach.repo, &journey_id).await.is_none());

    // Once shared, it reaches the coach on the open connection (the server announces nothing to
    // devices, and an earlier "unavailable" may linger in the coach's repo for a moment, so ask
    // again until it arrives).
    practitioner
        .share(&practitioner.journey, &coach, "read")
        .await;
    let seen = find_eventually(&coach.repo, &journey_id).await;
    assert_eq!(get(&seen, "n"), Some(1));
    put(&practitioner.journey, "n", 2);
    eventually("the coach receives a live change", || {
        get(&seen, "n") == Some(2)
    })
    .await;
    let connection = coach_link.connection_id();

    practitioner.revoke(&practitioner.journey, &coach).await;
    // Give the server a moment to apply the revocation, then change on.
    sleep(Duration::from_millis(300)).await;
    put(&practitioner.journey, "n", 3);
    acknowledged(&practitioner.journey, &practitioner_link).await;
    sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        get(&seen, "n"),
        Some(2),
        "a revoked member gets no new changes"
    );
    assert!(coach_link.is_connected());
    assert_eq!(
        coach_link.connection_id(),
        connection,
        "on the very same connection"
    );

    // A grant works on the open connection as well.
    practitioner
        .share(&practitioner.journey, &coach, "read")
        .await;
    put(&practitioner.journey, "n", 4);
    eventually("a new grant reaches the open connection", || {
        get(&seen, "n") == Some(4)
    })
    .await;
    assert_eq!(coach_link.connection_id(), connection);
}

/// Tries the sync upgrade with `token`; the status and error word of the refusal, or `None`
/// when the server accepted.
async fn upgrade_with(server: &Server, token: &str) -> Option<(u16, String)> {
    match tokio_tungstenite::connect_async(server.sync_url(token)).await {
        Ok((mut ws, _)) => {
            let _ = ws.close(None).await;
            None
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            let body: Value = serde_json::from_slice(response.body().as_deref().unwrap_or(b"{}"))
                .unwrap_or(Value::Null);
            Some((
                response.status().as_u16(),
                body["error"].as_str().unwrap_or_default().to_string(),
            ))
        }
        Err(e) => panic!("unexpected failure: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_are_refused_at_the_upgrade_with_401() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let member = Person::enrolled(&process, &server, "practitioner").await;
    let key = &member.device.key;
    let t = now();
    let forged = {
        let mine = make_token(key, &server.id, t, 60);
        let theirs = make_token(&DeviceKey::generate(), &server.id, t, 60);
        format!(
            "{}.{}",
            mine.split_once('.').unwrap().0,
            theirs.split_once('.').unwrap().1
        )
    };
    let replayed = make_token(key, &server.id, t, 60);
    assert_eq!(upgrade_with(&server, &replayed).await, None, "a good token");
    let cases = [
        (make_token(key, &server.id, t - 1000, 600), "expired"),
        (forged, "bad_signature"),
        (make_token(key, "some-other-server", t, 60), "wrong_server"),
        (replayed, "replayed"),
        ("not-a-token".to_string(), "malformed"),
        (String::new(), "malformed"),
        (make_token(key, &server.id, t, 3600), "too_long"),
        (make_token(key, &server.id, t + 600, 60), "not_yet_valid"),
        (
            make_token(&DeviceKey::generate(), &server.id, t, 60),
            "unknown_device",
        ),
    ];
    for (token, word) in cases {
        assert_eq!(
            upgrade_with(&server, &token).await,
            Some((401, word.to_string())),
            "{word}"
        );
    }
}

fn cbor(entries: &[(&str, Field)]) -> Vec<u8> {
    let mut e = minicbor::Encoder::new(Vec::new());
    e.map(entries.len() as u64).unwrap();
    for (key, value) in entries {
        e.str(key).unwrap();
        match value {
            Field::Text(s) => e.str(s).unwrap(),
            Field::Bytes(b) => e.bytes(b).unwrap(),
            Field::Texts(list) => {
                e.array(list.len() as u64).unwrap();
                for s in *list {
                    e.str(s).unwrap();
                }
                &mut e
            }
        };
    }
    e.into_writer()
}

enum Field<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
    Texts(&'a [&'a str]),
}

type RawSocket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn raw_socket(device: &Device) -> RawSocket {
    tokio_tungstenite::connect_async(device.server.sync_url(&device.token()))
        .await
        .expect("a member's upgrade succeeds")
        .0
}

/// Sends the automerge-repo handshake as `claimed` and waits for the server's `peer` answer.
async fn handshake(ws: &mut RawSocket, claimed: &str) -> bool {
    let join = cbor(&[
        ("type", Field::Text("join")),
        ("senderId", Field::Text(claimed)),
        ("supportedProtocolVersions", Field::Texts(&["1"])),
    ]);
    ws.send(Message::Binary(join.into())).await.unwrap();
    matches!(
        timeout(PATIENCE, ws.next()).await.expect("an answer"),
        Some(Ok(Message::Binary(_)))
    )
}

/// Whether the server ends this connection (a close, an error, or the end of the stream).
async fn dropped(ws: &mut RawSocket) -> bool {
    loop {
        match timeout(PATIENCE, ws.next()).await {
            Err(_) => return false,
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

/// A practitioner's phone and tablet, both connected, the tablet holding the journey (whose
/// `n` is 0).
struct OwnerAndTablet {
    owner: Person,
    owner_link: DialerHandle<Refused>,
    /// The tablet's repo, kept running.
    _tablet: Repo,
    tablet_link: DialerHandle<Refused>,
    on_tablet: DocHandle,
}

async fn owner_and_tablet(process: &ServerProcess, server: &Server) -> OwnerAndTablet {
    let owner = Person::enrolled(process, server, "practitioner").await;
    let owner_link = connected(&owner.repo, &owner.device).await;
    put(&owner.journey, "n", 0);
    acknowledged(&owner.journey, &owner_link).await;
    let (tablet_device, tablet) = owner.second_device().await;
    let tablet_link = connected(&tablet, &tablet_device).await;
    let on_tablet = find(&tablet, owner.journey.document_id()).await.unwrap();
    OwnerAndTablet {
        owner,
        owner_link,
        _tablet: tablet,
        tablet_link,
        on_tablet,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_or_oversized_message_drops_only_its_connection() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    // Every part bound: a part left out would be dropped at once (the tablet's repo with it).
    let OwnerAndTablet {
        owner,
        owner_link,
        _tablet,
        tablet_link,
        on_tablet,
    } = owner_and_tablet(&process, &server).await;
    let connections = (owner_link.connection_id(), tablet_link.connection_id());

    let attacker = Person::enrolled(&process, &server, "coach").await;
    let me = peer_id_for(&attacker.device.id());
    let junk_sync = |doc: &str| {
        cbor(&[
            ("type", Field::Text("sync")),
            ("senderId", Field::Text(&me)),
            ("targetId", Field::Text(&format!("server-{}", server.id))),
            ("documentId", Field::Text(doc)),
            ("data", Field::Bytes(b"\x42\x03not a sync message")),
        ])
    };
    let doc = owner.journey.document_id().to_string();
    let attacks: Vec<(&str, Option<&str>, Message)> = vec![
        ("a text message", None, Message::Text("hello".into())),
        (
            "binary junk",
            None,
            Message::Binary(b"\xff\x00\x13junk".to_vec().into()),
        ),
        (
            "a message over 16 MiB",
            None,
            Message::Binary(vec![0u8; 17 * 1024 * 1024].into()),
        ),
        (
            "a sync message whose payload does not decode",
            Some(&me),
            Message::Binary(junk_sync(&doc).into()),
        ),
    ];
    for (n, (what, join_as, message)) in attacks.into_iter().enumerate() {
        let mut ws = raw_socket(&attacker.device).await;
        if let Some(peer) = join_as {
            assert!(handshake(&mut ws, peer).await, "{what}: handshake");
        }
        let _ = ws.send(message).await;
        assert!(dropped(&mut ws).await, "{what}: the connection is dropped");

        // Everyone else syncs on, on their same connections.
        put(&owner.journey, "n", n as i64 + 1);
        eventually(what, || get(&on_tablet, "n") == Some(n as i64 + 1)).await;
        assert_eq!(
            (owner_link.connection_id(), tablet_link.connection_id()),
            connections,
            "{what}: the others kept their connections"
        );
    }

    // Claiming another device's peer id in the handshake ends the connection too.
    let mut ws = raw_socket(&attacker.device).await;
    let _ = handshake(&mut ws, &peer_id_for(&owner.device.id())).await;
    assert!(dropped(&mut ws).await, "an impostor is dropped");
    let mut ws = raw_socket(&attacker.device).await;
    assert!(
        handshake(&mut ws, &me).await,
        "a well-behaved peer is still served"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_changes_survive_a_server_kill() {
    let seed: u64 = std::env::var("TANDEM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    println!("TANDEM_SEED={seed}");
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    let mut process = ServerProcess::start(&data);
    let server = Server::of(&process).await;
    let owner = Person::enrolled(&process, &server, "practitioner").await;
    let journey_id = owner.journey.document_id().clone();
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut next = 0usize;

    for round in 0..3 {
        let server = Server::of(&process).await;
        let device = Device {
            key: owner.device.key.clone(),
            server: server.clone(),
        };
        let link = connected(&owner.repo, &device).await;
        let kill_after = Duration::from_millis(rng.gen_range(200..1200));
        let writer = {
            let journey = owner.journey.clone();
            let acked = acked.clone();
            let batches: Vec<usize> = (0..10_000).map(|_| rng.gen_range(1..=12)).collect();
            let mut key = next;
            tokio::spawn(async move {
                for batch in batches {
                    let written: Vec<String> = (0..batch)
                        .map(|_| {
                            key += 1;
                            let name = format!("k{key}");
                            put(&journey, &name, key as i64);
                            name
                        })
                        .collect();
                    let Some(connection) = link.connection_id() else {
                        break;
                    };
                    match timeout(
                        Duration::from_secs(3),
                        journey.they_have_our_changes(connection),
                    )
                    .await
                    {
                        Ok(()) => acked.lock().unwrap().extend(written),
                        Err(_) => break,
                    }
                }
                link.close();
                key
            })
        };
        sleep(kill_after).await;
        process.kill();
        next = writer.await.unwrap();
        let count = acked.lock().unwrap().len();
        println!("round {round}: killed after {kill_after:?}; {count} changes acknowledged so far");

        // Restart on the same data: everything acknowledged is there, for a fresh replica.
        process = ServerProcess::start(&data);
        let server = Server::of(&process).await;
        let device = Device {
            key: owner.device.key.clone(),
            server,
        };
        let fresh = device.repo().await;
        let _link = connected(&fresh, &device).await;
        let copy = find(&fresh, &journey_id)
            .await
            .expect("the journey survived");
        let missing: Vec<String> = acked
            .lock()
            .unwrap()
            .iter()
            .filter(|k| get(&copy, k).is_none())
            .cloned()
            .collect();
        assert!(
            missing.is_empty(),
            "round {round}: acknowledged but lost: {missing:?} (TANDEM_SEED={seed})"
        );
        fresh.stop().await;
    }
    assert!(
        !acked.lock().unwrap().is_empty(),
        "the test acknowledged something"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_cleanly_and_keeps_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    let process = ServerProcess::start(&data);
    let server = Server::of(&process).await;
    let owner = Person::enrolled(&process, &server, "practitioner").await;
    let link = connected(&owner.repo, &owner.device).await;
    put(&owner.journey, "kept", 42);
    acknowledged(&owner.journey, &link).await;
    let status = process.terminate();
    assert!(status.success(), "exit status {status:?}");
    link.close();

    let process = ServerProcess::start(&data);
    let device = Device {
        key: owner.device.key.clone(),
        server: Server::of(&process).await,
    };
    let fresh = device.repo().await;
    let _link = connected(&fresh, &device).await;
    let copy = find(&fresh, owner.journey.document_id()).await.unwrap();
    assert_eq!(get(&copy, "kept"), Some(42));
}

/// The documents a device synced leave the server's memory when the last connection using them
/// ends (`server/src/engine.rs`), as `/metrics` shows, and come back whole to the next device
/// that asks. Prints the server's resident memory
/// on the way, not as a budget check (debug build; `cargo test -p tandem-tests --test server --
/// --nocapture memory` to see it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_documents_leave_the_server_when_no_connection_uses_them() {
    // TANDEM_SERVER_MEMORY_DOCS=N measures with N documents instead.
    let documents: usize = std::env::var("TANDEM_SERVER_MEMORY_DOCS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let rss = || -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", process.pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    let idle = rss();
    let owner = Person::enrolled(&process, &server, "practitioner").await;
    let mut months = Vec::new();
    for i in 0..documents {
        let mut doc = Automerge::new();
        doc.transact::<_, _, AutomergeError>(|tx| {
            tx.put(ROOT, "month", i as i64)?;
            for day in 0..30 {
                tx.put(ROOT, format!("day{day}").as_str(), "done")?;
            }
            Ok(())
        })
        .unwrap();
        let handle = owner.repo.create(doc).await.unwrap();
        owner.register_month(&handle).await;
        months.push(handle);
    }
    let link = connected(&owner.repo, &owner.device).await;
    for month in &months {
        acknowledged(month, &link).await;
    }
    let after_upload = rss();
    let (tablet_device, tablet) = owner.second_device().await;
    let _tablet_link = connected(&tablet, &tablet_device).await;
    for month in &months {
        let copy = find(&tablet, month.document_id()).await.unwrap();
        assert!(get(&copy, "month").is_some());
    }
    let after_serving = rss();
    let in_memory = || metric(&server, "tandem_documents_in_memory");
    let held = in_memory().await;
    assert!(
        held >= documents as f64,
        "{held} documents in memory while two devices use {documents}"
    );

    // The owner's phone goes: the tablet still uses every month, which stays.
    owner.repo.stop().await;
    sleep(Duration::from_millis(300)).await;
    assert!(
        in_memory().await >= documents as f64,
        "the documents the tablet still uses stay in memory"
    );
    // The tablet goes too: every document leaves memory.
    tablet.stop().await;
    let start = tokio::time::Instant::now();
    while in_memory().await > 0.0 {
        assert!(
            start.elapsed() < PATIENCE,
            "{} documents still in memory with no connection",
            in_memory().await,
        );
        sleep(Duration::from_millis(100)).await;
    }
    let after_leaving = rss();
    // The server's tasks with no connection open (its own, its database pool's).
    let tasks = || metric(&server, "tandem_tasks");
    let tasks_idle = tasks().await;
    assert!(tasks_idle >= 1.0, "/metrics counts the server's tasks");

    // Nothing was lost: a new device of the owner gets every month back.
    let (phone_device, phone) = owner.second_device().await;
    let phone_link = connected(&phone, &phone_device).await;
    for (i, month) in months.iter().enumerate() {
        let copy = find(&phone, month.document_id()).await.unwrap();
        assert_eq!(get(&copy, "month"), Some(i as i64));
    }
    assert!(in_memory().await >= documents as f64);
    // The phone goes too: every task its connection ran ends with it, as many as with none open
    // (an HTTP call's task may still be finishing, hence the two), and its documents leave.
    drop(phone_link);
    phone.stop().await;
    let start = tokio::time::Instant::now();
    while tasks().await > tasks_idle + 2.0 || in_memory().await > 0.0 {
        assert!(
            start.elapsed() < PATIENCE,
            "{} tasks alive after the phone's connection ended, {tasks_idle} before it began; \
             {} documents in memory",
            tasks().await,
            in_memory().await
        );
        sleep(Duration::from_millis(100)).await;
    }
    println!(
        "tandem-server resident memory (debug build): idle {} MB; after receiving {documents} \
         documents {} MB; after serving them to a second device {} MB; once both had gone {} MB",
        idle / 1024,
        after_upload / 1024,
        after_serving / 1024,
        after_leaving / 1024
    );
}

/// A figure of the server's `/metrics` (0 when it is not there).
async fn metric(server: &Server, name: &str) -> f64 {
    let text = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_registered_after_it_was_announced_reaches_the_server_on_the_open_connection() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let owner = Person::enrolled(&process, &server, "practitioner").await;
    let _link = connected(&owner.repo, &owner.device).await;
    let (tablet_device, tablet) = owner.second_device().await;
    let _tablet_link = connected(&tablet, &tablet_device).await;

    // Made (and so announced to the server) before it is registered: refused for now.
    let month = owner.repo.create(Automerge::new()).await.unwrap();
    put(&month, "day1", 1);
    sleep(Duration::from_millis(300)).await;
    assert!(find(&tablet, month.document_id()).await.is_none());
    owner.register_month(&month).await;
    let copy = find_eventually(&tablet, month.document_id()).await;
    eventually("the month's content arrives", || {
        get(&copy, "day1") == Some(1)
    })
    .await;
}

/// A device that asks for a document it may not see, before anyone has stored it, is told
/// nothing when it is stored: its connection goes on as it was. (A member's connection is
/// restarted then, to receive it: the test above.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_asking_for_a_document_before_it_is_stored_learns_nothing_when_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let owner = Person::enrolled(&process, &server, "practitioner").await;
    let stranger = Person::enrolled(&process, &server, "practitioner").await;
    let owner_link = connected(&owner.repo, &owner.device).await;
    let stranger_link = connected(&stranger.repo, &stranger.device).await;
    let before = stranger_link.connection_id().expect("connected");

    // Made before it is registered, so the server does not store it yet; the stranger (who
    // somehow knows its id) asks for it meanwhile.
    let month = owner.repo.create(Automerge::new()).await.unwrap();
    put(&month, "day1", 1);
    assert!(find(&stranger.repo, month.document_id()).await.is_none());
    owner.register_month(&month).await;
    acknowledged(&month, &owner_link).await;
    put(&month, "day2", 2);
    acknowledged(&month, &owner_link).await;
    sleep(Duration::from_millis(500)).await;
    assert_eq!(
        stranger_link.connection_id(),
        Some(before),
        "the stranger's connection was restarted when the document was stored"
    );
    assert!(find(&stranger.repo, month.document_id()).await.is_none());
}

/// A device that asked for a document before anyone had stored it is sent the document on its
/// open connection once it is stored (`server/src/engine.rs`), without asking again; a stranger
/// who asked too keeps its connection and learns nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_asked_before_a_document_was_stored_receives_it_and_a_stranger_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let owner = Person::enrolled(&process, &server, "practitioner").await;
    let stranger = Person::enrolled(&process, &server, "practitioner").await;
    let owner_link = connected(&owner.repo, &owner.device).await;
    let (tablet_device, tablet) = owner.second_device().await;
    let tablet_link = connected(&tablet, &tablet_device).await;
    let stranger_link = connected(&stranger.repo, &stranger.device).await;
    let tablet_before = tablet_link.connection_id().expect("connected");
    let stranger_before = stranger_link.connection_id().expect("connected");

    // Made before it is registered, so the server does not store it yet; the tablet and the
    // stranger (who somehow knows its id) ask for it meanwhile.
    let month = owner.repo.create(Automerge::new()).await.unwrap();
    put(&month, "day1", 1);
    assert!(find(&tablet, month.document_id()).await.is_none());
    assert!(find(&stranger.repo, month.document_id()).await.is_none());
    owner.register_month(&month).await;
    acknowledged(&month, &owner_link).await;

    let copy = find_eventually(&tablet, month.document_id()).await;
    eventually("the month reaches the tablet", || {
        get(&copy, "day1") == Some(1)
    })
    .await;
    put(&month, "day2", 2);
    acknowledged(&month, &owner_link).await;
    eventually("the next change reaches the tablet", || {
        get(&copy, "day2") == Some(2)
    })
    .await;
    assert_eq!(
        tablet_link.connection_id(),
        Some(tablet_before),
        "the tablet got the month on the connection it asked on"
    );
    sleep(Duration::from_millis(500)).await;
    assert_eq!(
        stranger_link.connection_id(),
        Some(stranger_before),
        "the stranger's connection was restarted when the document was stored"
    );
    assert!(find(&stranger.repo, month.document_id()).await.is_none());
}

/// The adversarial cases of leaving: a device removed from its account and the devices of an
/// erased person, each with what it held before — neither obtains anything more, on its open
/// connection or a new one, by sync or by API; an erased document cannot be uploaded again by
/// anyone; and everyone else goes on being served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_device_and_an_erased_person_obtain_nothing_and_everyone_else_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let alex = Person::enrolled(&process, &server, "practitioner").await;
    let alex_link = connected(&alex.repo, &alex.device).await;
    put(&alex.journey, "n", 1);
    acknowledged(&alex.journey, &alex_link).await;
    let (tablet_device, tablet) = alex.second_device().await;
    let tablet_link = connected(&tablet, &tablet_device).await;
    let on_tablet = find(&tablet, alex.journey.document_id())
        .await
        .expect("the tablet has Alex's journey");
    // Sam, Alex's client, syncing his journey, which Alex receives.
    let sam = Person::joined(&server, &alex.invite("client").await).await;
    let sam_link = connected(&sam.repo, &sam.device).await;
    put(&sam.journey, "mood", 5);
    acknowledged(&sam.journey, &sam_link).await;
    let sams_on_alex = find_eventually(&alex.repo, sam.journey.document_id()).await;
    eventually("Alex receives Sam's journey", || {
        get(&sams_on_alex, "mood") == Some(5)
    })
    .await;

    // The tablet is lost, and removed from Alex's phone: its connection ends at once, it gets
    // nothing more, and the server refuses it, saying why.
    let (status, answer) = alex
        .device
        .call(
            reqwest::Method::DELETE,
            &format!("/v1/devices/{}", tablet_device.id()),
            Value::Null,
        )
        .await;
    assert_eq!(status, 204, "{answer}");
    eventually("the removed tablet's connection ends", || {
        !tablet_link.is_connected()
    })
    .await;
    put(&alex.journey, "n", 2);
    acknowledged(&alex.journey, &alex_link).await;
    sleep(Duration::from_millis(500)).await;
    assert_eq!(
        get(&on_tablet, "n"),
        Some(1),
        "the removed tablet got an edit"
    );
    assert_eq!(
        upgrade_with(&server, &tablet_device.token()).await,
        Some((401, "device_removed".to_string()))
    );
    let (status, answer) = tablet_device
        .call(reqwest::Method::GET, "/v1/links", Value::Null)
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (401, Some("device_removed"))
    );

    // Sam erases his account: his connection ends, his device is refused as erased.
    sam.device
        .post("/v1/account/erase", json!({"person_id": sam.person_id}))
        .await;
    eventually("the erased person's connection ends", || {
        !sam_link.is_connected()
    })
    .await;
    assert_eq!(
        upgrade_with(&server, &sam.device.token()).await,
        Some((401, "account_erased".to_string()))
    );
    // Nobody can upload Sam's journey again, not even someone who held a copy.
    let (status, answer) = alex
        .device
        .call(
            reqwest::Method::POST,
            "/v1/documents",
            json!({"doc_id": sam.journey.document_id().to_string(), "kind": "journey"}),
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (410, Some("erased")),
        "{answer}"
    );

    // Everyone else is served: Alex's edits are acknowledged, and a new device of his gets his
    // journey — and nothing of Sam's.
    put(&alex.journey, "n", 3);
    acknowledged(&alex.journey, &alex_link).await;
    let (new_device, new_repo) = alex.second_device().await;
    let _new_link = connected(&new_repo, &new_device).await;
    let on_new = find_eventually(&new_repo, alex.journey.document_id()).await;
    eventually("Alex's new device has his latest edit", || {
        get(&on_new, "n") == Some(3)
    })
    .await;
    assert!(find(&new_repo, sam.journey.document_id()).await.is_none());
}

/// A device that floods the server with messages is slowed — its messages over its allowance
/// are read only as it is allowed more — while everyone else's edits go on arriving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_device_is_slowed_and_the_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(&dir.path().join("server"));
    let server = Server::of(&process).await;
    let OwnerAndTablet {
        owner,
        owner_link: _owner_link,
        _tablet,
        tablet_link: _tablet_link,
        on_tablet,
    } = owner_and_tablet(&process, &server).await;

    // The flooder: well-formed requests for documents that are not there, far over its
    // allowance (tandem_server::limits: a burst of 1,000, then 100 a second).
    let flooder = Person::enrolled(&process, &server, "coach").await;
    let me = peer_id_for(&flooder.device.id());
    let mut ws = raw_socket(&flooder.device).await;
    assert!(handshake(&mut ws, &me).await);
    let first_sync = {
        let mut state = automerge::sync::State::new();
        Automerge::new()
            .generate_sync_message(&mut state)
            .expect("a first sync message")
            .encode()
    };
    let target = format!("server-{}", server.id);
    let flood = tokio::spawn(async move {
        for _ in 0..3000 {
            let request = cbor(&[
                ("type", Field::Text("request")),
                ("senderId", Field::Text(&me)),
                ("targetId", Field::Text(&target)),
                ("documentId", Field::Text(&random_doc_id().to_string())),
                ("data", Field::Bytes(&first_sync)),
            ]);
            if ws.send(Message::Binary(request.into())).await.is_err() {
                break;
            }
        }
        ws
    });

    // Meanwhile the owner's edits reach the tablet, one after another.
    for n in 1..=5 {
        put(&owner.journey, "n", n);
        eventually(
            "the owner's edit reaches the tablet during the flood",
            || get(&on_tablet, "n") == Some(n),
        )
        .await;
    }
    let throttled = || metric(&server, "tandem_messages_throttled_total");
    let start = tokio::time::Instant::now();
    while throttled().await == 0.0 {
        assert!(start.elapsed() < PATIENCE, "the flood was never slowed");
        sleep(Duration::from_millis(100)).await;
    }
    drop(flood);
}
