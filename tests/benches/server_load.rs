//! The server load benchmark (issue 12): N simulated devices on 127.0.0.1, each editing its own
//! document once a second and waiting for the server's acknowledgement, against tandem-server
//! (SQLite, PostgreSQL) and, in the same run, against the JavaScript automerge-repo sync server
//! (`tests/js/sync-server.mjs`: automerge-repo 2.5.6, its WebSocket server adapter, documents on
//! disk with its Node filesystem adapter). Nothing here asserts on figures; it fails only when no
//! edit is ever acknowledged (then the load measures nothing).
//!
//! ```sh
//! cargo build --release -p tandem-server    # the server binary it starts (`cargo bench -p` does not build it)
//! cargo bench -p tandem-tests --bench server_load
//! cargo bench -p tandem-tests --bench server_load --profile dev -- --quick   # tiny: does it run?
//! ```
//!
//! `TANDEM_LOAD_N=100,1000` chooses the loads, `TANDEM_LOAD_PARTS=js,sqlite,postgres,processes,
//! stored` what runs, `TANDEM_LOAD_CONNECT_SECS` how long devices get to connect. The JS server
//! needs `npm ci --prefix tests/js --ignore-scripts`; PostgreSQL's programs (Debian's
//! `postgresql`) are found as `tandem-testdb` finds them, but the benchmark starts a server of
//! its own with PostgreSQL's default, durable settings.
//!
//! - A device is light: one WebSocket speaking automerge-repo's wire protocol (CBOR `join`,
//!   then `sync` messages), one automerge document and its sync state. On tandem-server each
//!   device is a real enrolled person (an operator's enrolment code, `POST /v1/enrol` with a
//!   token the device signed) syncing their own journey over `/v1/sync?token=…&notices=1`, as
//!   the app connects (the server's notices of stored changes it may see; a device sharing
//!   nothing gets none, but the server still works out who to tell); the JS server has no
//!   authentication and no notices, so its devices just connect.
//! - Acknowledged: the server's sync message says its heads include the device's new change.
//!   tandem-server sends that only once the change is on disk. automerge-repo's sync server
//!   answers at once with the heads it had, then sends its new heads through a 100 ms throttle
//!   (at once when the document was quiet for 100 ms, as here); it saves to disk alongside,
//!   not before it answers.
//! - Each device edits once a second, and not again until the last edit is acknowledged (or
//!   10 s passed: counted as unacknowledged). Edits start spread over the first second.
//! - Per run: warm-up, then a measured window: acknowledged edits per second, p50/p99 of the
//!   time from an edit to its acknowledgement, the server's peak resident memory during the
//!   window (VmHWM reset after the warm-up) and its CPU (share of one core).
//! - The servers (and PostgreSQL) are pinned to CPU 0, the load generator to CPU 1 (`taskset`):
//!   both share a machine of two cores.
//! - With two processes (`processes`), a tenth of the devices (at most 100) also connect a
//!   second time to the other process, where they only receive: the time from an edit on one
//!   process to that second connection holding it is the fan-out between processes as a device
//!   sees it (the issue's ≤ 500 ms p99).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ChangeHash, ROOT};
use futures::{SinkExt, StreamExt};
use samod::storage::StorageKey;
use tandem_core::auth::{device_id, make_token, peer_id_for, DeviceKey, LIFETIME_SECS};
use tandem_core::sync::api::{EnrolRequest, Role, PROTOCOL_HEADER, PROTOCOL_VERSION};
use tandem_server::documents::{DocumentStore, SqliteDocuments};
use tandem_server::Storage;
use tandem_tests::bench::Mode;
use tandem_tests::load::{self, CpuReading, JsSyncServer, Postgres, GENERATOR_CPU, SERVER_CPU};
use tandem_tests::server_process::ServerProcess;
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

/// How long a device waits for one acknowledgement before counting it lost and editing on.
const PATIENCE: Duration = Duration::from_secs(10);
/// The load at which a server counts as saturated: p99 past this.
const SATURATION_P99: Duration = Duration::from_secs(1);
/// … or acknowledged edits per second below this share of those offered.
const SATURATION_SHARE: f64 = 0.9;
/// Open files a run needs beside one socket per device (in the generator and in the server).
const SPARE_FILES: u64 = 200;
/// The loads every server runs (the issue's); the others between them only locate saturation,
/// and a server that saturated at a lighter load skips them.
const REQUIRED: [usize; 2] = [100, 1_000];
/// Devices connecting at once.
const CONNECTING: usize = 16;
/// How long a connecting device waits for the answer to its handshake and its first sync.
const CONNECT_PATIENCE: Duration = Duration::from_secs(60);
/// Devices enrolling at once.
const ENROLLING: usize = 8;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` asks what there is; there is one program.
    }
    let mode = Mode::from_args();
    let setup = Setup::prepare(mode);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    mode.print_heading(
        "Server load (issue 12): N simulated devices on 127.0.0.1, each editing its own \
         document once a second and waiting for the server's acknowledgement",
    );
    setup.print();
    let postgres = if setup.wants("postgres") || setup.wants("processes") {
        match Postgres::start(setup.server_cpu()) {
            Ok(pg) => Some(pg),
            Err(why) => {
                println!("PostgreSQL: not measured ({why})\n");
                None
            }
        }
    } else {
        None
    };
    runtime.block_on(async {
        let mut table = Vec::new();
        for &n in &setup.levels {
            let figures = level(&setup, n, postgres.as_ref(), &table).await;
            table.push(figures);
        }
        saturation_and_budgets(&setup, &table);
        if let (true, Some(pg)) = (setup.wants("processes"), &postgres) {
            processes(&setup, pg, &table).await;
        }
        if setup.wants("stored") {
            stored_documents(&setup).await;
        }
    });
    drop(postgres);
    mode.print_footing();
}

/// What every run shares: sizes, times, pinning, where the JS server lives.
struct Setup {
    mode: Mode,
    levels: Vec<usize>,
    skipped: Vec<usize>,
    warm_up: Duration,
    window: Duration,
    /// Devices not connected (and synced once) by then are given up.
    connect_deadline: Duration,
    /// What to run (`TANDEM_LOAD_PARTS`): js, sqlite, postgres, processes, stored.
    parts: Vec<String>,
    pinned: Result<(), String>,
    open_files: Result<(u64, u64), String>,
    js: Result<PathBuf, String>,
    ticks: u64,
}

impl Setup {
    fn prepare(mode: Mode) -> Setup {
        // Pin this process first: the servers it starts inherit one CPU (so their runtimes size
        // themselves for one core) until they are moved to theirs.
        let pinned = if load::cpus() < 2 {
            Err(format!("only {} CPU here", load::cpus()))
        } else if !load::taskset_available() {
            Err("taskset is not installed (util-linux)".into())
        } else {
            load::pin(std::process::id(), GENERATOR_CPU)
        };
        let open_files = load::raise_open_files();
        let wanted = std::env::var("TANDEM_LOAD_N")
            .ok()
            .map(|list| {
                list.split(',')
                    .map(|n| {
                        n.trim()
                            .parse()
                            .expect("TANDEM_LOAD_N: whole numbers, commas")
                    })
                    .collect()
            })
            // Tandem saturates between 3,000 and 5,000 devices on our 2-core machines (about
            // 4,000 in December 2026), and its throughput falls past that point: without the
            // loads between 1,000 and 5,000 its best would be missed (server/README.md, "Load").
            .unwrap_or_else(|| {
                mode.size(
                    vec![100, 200, 500, 1_000, 2_000, 3_000, 4_000, 5_000],
                    vec![10],
                )
            });
        let parts = std::env::var("TANDEM_LOAD_PARTS")
            .unwrap_or_else(|_| "js,sqlite,postgres,processes,stored".into())
            .split(',')
            .map(|p| p.trim().to_string())
            .collect();
        let soft = open_files.as_ref().map_or(1024, |(soft, _)| *soft);
        let (levels, skipped) = wanted
            .into_iter()
            .partition(|&n| n as u64 + SPARE_FILES <= soft);
        let js_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
        let js = if !js_dir
            .join("node_modules/@automerge/automerge-repo-storage-nodefs")
            .is_dir()
        {
            Err("run `npm ci --prefix tests/js --ignore-scripts` first".to_string())
        } else {
            match std::process::Command::new("node").arg("--version").output() {
                Ok(out) if out.status.success() => Ok(js_dir),
                Ok(_) | Err(_) => Err("node does not run".to_string()),
            }
        };
        Setup {
            mode,
            levels,
            skipped,
            warm_up: Duration::from_secs(mode.size(10, 1)),
            window: Duration::from_secs(mode.size(30, 3)),
            connect_deadline: Duration::from_secs(
                std::env::var("TANDEM_LOAD_CONNECT_SECS")
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(mode.size(180, 30)),
            ),
            parts,
            pinned,
            open_files,
            js,
            ticks: load::clock_ticks_per_second(),
        }
    }

    /// Whether `part` is to run (`TANDEM_LOAD_PARTS`, all by default).
    fn wants(&self, part: &str) -> bool {
        self.parts.iter().any(|p| p == part)
    }

    /// The CPU to pin servers to, when pinning works.
    fn server_cpu(&self) -> Option<&'static str> {
        self.pinned.is_ok().then_some(SERVER_CPU)
    }

    fn print(&self) {
        match &self.pinned {
            Ok(()) => println!(
                "Pinned: servers and PostgreSQL to CPU {SERVER_CPU}, this load generator to CPU \
                 {GENERATOR_CPU} (taskset)."
            ),
            Err(why) => println!("NOT pinned ({why}): servers and generator share the CPUs."),
        }
        match &self.open_files {
            Ok((soft, hard)) => println!(
                "Open files: soft limit {soft}, hard {hard}. N devices need about N + {SPARE_FILES} \
                 in this generator (a socket each) and as many in the server: N = 5,000 needs \
                 {}.",
                5_000 + SPARE_FILES
            ),
            Err(why) => println!("Open files: the limit could not be read or raised ({why})."),
        }
        for n in &self.skipped {
            println!(
                "  N = {n} SKIPPED: the open-file limit is below {} (raise `ulimit -n`).",
                *n as u64 + SPARE_FILES
            );
        }
        println!(
            "Each run: a fresh server; devices enrolled, then connected and synced once, \
             {CONNECTING} at a time (column `connect`; those not in within {} s are given up); \
             {} s warm-up, then {} s measured. Acknowledged = the server's sync message carries \
             the edit in its heads (tandem-server: once it is on disk). An edit unacknowledged \
             after {} s counts as lost and the device edits on; `errors`: devices that failed \
             to connect or lost their connection. Peak RSS: the server's VmHWM over the window \
             (reset after the warm-up); CPU: its share of one core over the window.",
            self.connect_deadline.as_secs(),
            self.warm_up.as_secs(),
            self.window.as_secs(),
            PATIENCE.as_secs()
        );
        println!(
            "Loads: N = {}.{}",
            self.levels
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            if self.levels.len() > 1 {
                " Every server runs N = 100 and 1,000 (the issue's); the others locate \
                 saturation, and a server that saturated at a lighter load skips them."
            } else {
                ""
            }
        );
        if let Err(why) = &self.js {
            println!("JS automerge-repo sync server: not measured ({why}).");
        }
        println!();
    }
}

// ---------------------------------------------------------------------------------------------
// The wire: automerge-repo's CBOR messages.

type Written = Result<Vec<u8>, minicbor::encode::Error<std::convert::Infallible>>;

/// `join`: the first message of a connection.
fn join_message(me: &str) -> Vec<u8> {
    let write = || -> Written {
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(4)?;
        e.str("type")?.str("join")?;
        e.str("senderId")?.str(me)?;
        e.str("supportedProtocolVersions")?.array(1)?.str("1")?;
        e.str("peerMetadata")?
            .map(1)?
            .str("isEphemeral")?
            .bool(true)?;
        Ok(e.into_writer())
    };
    write().expect("CBOR into memory")
}

/// `sync`: one automerge sync message about `document`.
fn sync_message(me: &str, to: &str, document: &str, data: &[u8]) -> Vec<u8> {
    let write = || -> Written {
        let mut e = minicbor::Encoder::new(Vec::with_capacity(data.len() + 160));
        e.map(5)?;
        e.str("type")?.str("sync")?;
        e.str("senderId")?.str(me)?;
        e.str("targetId")?.str(to)?;
        e.str("documentId")?.str(document)?;
        e.str("data")?.bytes(data)?;
        Ok(e.into_writer())
    };
    write().expect("CBOR into memory")
}

/// What a device reads of a message from the server.
#[derive(Default)]
struct Envelope<'a> {
    kind: &'a str,
    sender: Option<&'a str>,
    document: Option<String>,
    data: Option<&'a [u8]>,
    message: Option<&'a str>,
}

fn envelope(bytes: &[u8]) -> Result<Envelope<'_>, String> {
    use minicbor::data::Type;
    let bad = |e: minicbor::decode::Error| format!("a message that is not automerge-repo's: {e}");
    let mut d = minicbor::Decoder::new(bytes);
    let len = d.map().map_err(bad)?.ok_or("an indefinite map")?;
    let mut found = Envelope::default();
    for _ in 0..len {
        match d.str().map_err(bad)? {
            "type" => found.kind = d.str().map_err(bad)?,
            "senderId" => found.sender = Some(d.str().map_err(bad)?),
            "documentId" => {
                found.document = Some(match d.datatype().map_err(bad)? {
                    Type::Bytes => samod::DocumentId::try_from(d.bytes().map_err(bad)?.to_vec())
                        .map_err(|e| e.to_string())?
                        .to_string(),
                    _ => d.str().map_err(bad)?.to_string(),
                })
            }
            "data" if d.datatype().map_err(bad)? == Type::Bytes => {
                found.data = Some(d.bytes().map_err(bad)?)
            }
            "message" if d.datatype().map_err(bad)? == Type::String => {
                found.message = Some(d.str().map_err(bad)?)
            }
            _ => d.skip().map_err(bad)?,
        }
    }
    Ok(found)
}

// ---------------------------------------------------------------------------------------------
// A simulated device.

/// Who a device is before it connects: its key (tandem-server only), peer id and document.
struct Identity {
    key: Option<DeviceKey>,
    peer_id: String,
    doc_id: String,
    doc: Automerge,
}

fn random_doc_id() -> String {
    samod::DocumentId::try_from(rand::random::<[u8; 16]>().to_vec())
        .expect("16 bytes make a document id")
        .to_string()
}

fn journey_document() -> Automerge {
    let mut doc = Automerge::new();
    doc.transact::<_, _, AutomergeError>(|tx| {
        tx.put(ROOT, "kind", "journey")?;
        tx.put(ROOT, "edits", 0)?;
        Ok(())
    })
    .expect("a first change");
    doc
}

impl Identity {
    /// A device of tandem-server: a key of its own and a new journey.
    fn tandem() -> Identity {
        let key = DeviceKey::generate();
        Identity {
            peer_id: peer_id_for(&device_id(&key)),
            key: Some(key),
            doc_id: random_doc_id(),
            doc: journey_document(),
        }
    }

    /// The same device again (its key, its document as it was made), for a second connection.
    fn again(&self) -> Identity {
        Identity {
            key: self.key.as_ref().map(|k| DeviceKey::from_seed(&k.seed())),
            peer_id: self.peer_id.clone(),
            doc_id: self.doc_id.clone(),
            doc: self.doc.clone(),
        }
    }

    /// A device of the JS server: no key, a new document.
    fn js() -> Identity {
        Identity {
            key: None,
            peer_id: format!(
                "device-js-{}",
                bs58::encode(rand::random::<[u8; 12]>()).into_string()
            ),
            doc_id: random_doc_id(),
            doc: journey_document(),
        }
    }
}

/// Where devices connect.
#[derive(Clone)]
enum Endpoint {
    Tandem { url: String, server_id: String },
    Js { url: String },
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

struct Device {
    ws: Socket,
    me: String,
    server: String,
    doc_id: String,
    doc: Automerge,
    state: automerge::sync::State,
    edits: i64,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Device {
    /// Connects (with a fresh token on tandem-server) and completes the handshake.
    async fn connect(endpoint: &Endpoint, id: Identity) -> Result<Device, String> {
        let url = match endpoint {
            Endpoint::Tandem { url, server_id } => {
                let key = id.key.as_ref().ok_or("a tandem device without a key")?;
                let token = make_token(key, server_id, now(), LIFETIME_SECS);
                format!(
                    "{}/v1/sync?token={token}&notices=1",
                    url.replacen("http://", "ws://", 1)
                )
            }
            Endpoint::Js { url } => url.clone(),
        };
        let mut request = url.into_client_request().map_err(|e| e.to_string())?;
        if matches!(endpoint, Endpoint::Tandem { .. }) {
            request.headers_mut().insert(
                PROTOCOL_HEADER,
                HeaderValue::from_str(&PROTOCOL_VERSION.to_string()).expect("a header value"),
            );
        }
        let (mut ws, _) = tokio_tungstenite::connect_async_with_config(request, None, true)
            .await
            .map_err(|e| format!("connecting: {e}"))?;
        ws.send(Message::Binary(join_message(&id.peer_id).into()))
            .await
            .map_err(|e| format!("joining: {e}"))?;
        let server = tokio::time::timeout(CONNECT_PATIENCE, async {
            loop {
                match ws.next().await {
                    Some(Ok(Message::Binary(bytes))) => {
                        let e = envelope(&bytes)?;
                        match e.kind {
                            "peer" => {
                                return e
                                    .sender
                                    .map(str::to_string)
                                    .ok_or_else(|| "a peer message without a sender".to_string())
                            }
                            "error" => return Err(format!("refused: {}", e.message.unwrap_or(""))),
                            _ => {}
                        }
                    }
                    Some(Ok(Message::Close(frame))) => return Err(format!("closed: {frame:?}")),
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(format!("handshake: {e}")),
                    None => return Err("closed during the handshake".to_string()),
                }
            }
        })
        .await
        .map_err(|_| "no answer to the handshake".to_string())??;
        Ok(Device {
            ws,
            me: id.peer_id,
            server,
            doc_id: id.doc_id,
            doc: id.doc,
            state: automerge::sync::State::new(),
            edits: 0,
        })
    }

    /// Sends the sync message automerge has for the server, if any.
    async fn push(&mut self) -> Result<(), String> {
        if let Some(message) = self.doc.generate_sync_message(&mut self.state) {
            let bytes = sync_message(&self.me, &self.server, &self.doc_id, &message.encode());
            self.ws
                .send(Message::Binary(bytes.into()))
                .await
                .map_err(|e| format!("sending: {e}"))?;
        }
        Ok(())
    }

    /// Takes in one message from the server, answering it if automerge says so.
    async fn receive(&mut self, message: Message) -> Result<(), String> {
        let bytes = match message {
            Message::Binary(bytes) => bytes,
            Message::Close(frame) => return Err(format!("the server closed: {frame:?}")),
            _ => return Ok(()),
        };
        let e = envelope(&bytes)?;
        match e.kind {
            "sync" | "request" if e.document.as_deref() == Some(self.doc_id.as_str()) => {
                let data = e.data.ok_or("a sync message without data")?;
                let message =
                    automerge::sync::Message::decode(data).map_err(|e| format!("decoding: {e}"))?;
                self.doc
                    .receive_sync_message(&mut self.state, message)
                    .map_err(|e| format!("applying: {e}"))?;
                self.push().await
            }
            "doc-unavailable" => Err("the server says the document is unavailable".into()),
            "error" => Err(format!("the server: {}", e.message.unwrap_or(""))),
            _ => Ok(()),
        }
    }

    /// Whether the server's last sync message said it has `change`.
    fn acknowledged(&self, change: &ChangeHash) -> bool {
        self.state
            .their_heads
            .as_ref()
            .is_some_and(|heads| heads.contains(change))
    }

    /// One edit; its change.
    fn edit(&mut self) -> ChangeHash {
        self.edits += 1;
        let edits = self.edits;
        self.doc
            .transact::<_, _, AutomergeError>(|tx| {
                tx.put(ROOT, "edits", edits)?;
                Ok(())
            })
            .expect("an edit");
        self.doc.get_heads()[0]
    }

    /// Syncs until the server has everything this device has (the first sync of a connection).
    async fn settle(&mut self) -> Result<(), String> {
        let heads = self.doc.get_heads();
        self.push().await?;
        tokio::time::timeout(CONNECT_PATIENCE, async {
            while !heads.iter().all(|h| self.acknowledged(h)) {
                match self.ws.next().await {
                    Some(Ok(message)) => self.receive(message).await?,
                    Some(Err(e)) => return Err(format!("receiving: {e}")),
                    None => return Err("the server closed".to_string()),
                }
            }
            Ok(())
        })
        .await
        .map_err(|_| "the first sync was not acknowledged in time".to_string())?
    }

    /// Edits once a second from `first`, each time waiting for the acknowledgement, until told
    /// to stop.
    async fn drive(mut self, first: Instant, mut stop: watch::Receiver<bool>, log: Arc<Log>) {
        let mut ticker = tokio::time::interval_at(first, Duration::from_secs(1));
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut pending: Option<(ChangeHash, Instant)> = None;
        loop {
            let give_up = pending.map_or(Instant::now() + PATIENCE, |(_, at)| at + PATIENCE);
            tokio::select! {
                _ = stop.changed() => break,
                _ = ticker.tick(), if pending.is_none() => {
                    let change = self.edit();
                    pending = Some((change, Instant::now()));
                    if log.watched.load(Ordering::Relaxed) {
                        log.edited.lock().expect("the log").insert(change, Instant::now());
                    }
                    if let Err(e) = self.push().await {
                        log.error(e);
                        return;
                    }
                }
                next = self.ws.next() => {
                    if let Err(e) = self.take(next).await {
                        log.error(e);
                        return;
                    }
                    if let Some((change, at)) = pending {
                        if self.acknowledged(&change) {
                            log.acknowledged(at);
                            pending = None;
                        }
                    }
                }
                () = tokio::time::sleep_until(give_up), if pending.is_some() => {
                    log.lost(Instant::now());
                    pending = None;
                }
            }
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), self.ws.close(None)).await;
    }
}

impl Device {
    /// Takes in what the socket gave: a message, an error, or its end (an error too).
    async fn take(
        &mut self,
        next: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    ) -> Result<(), String> {
        match next {
            Some(Ok(message)) => self.receive(message).await,
            Some(Err(e)) => Err(format!("receiving: {e}")),
            None => Err("the server closed the connection".to_string()),
        }
    }

    /// Receives the edits another connection of this device makes (through another process),
    /// recording how long after each edit it held it, until told to stop.
    async fn watch(mut self, mut stop: watch::Receiver<bool>, log: Arc<Log>) {
        let mut last = self.doc.get_heads();
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                next = self.ws.next() => {
                    if let Err(e) = self.take(next).await {
                        log.error(format!("watching: {e}"));
                        return;
                    }
                    let now = Instant::now();
                    let heads = self.doc.get_heads();
                    if heads == last {
                        continue;
                    }
                    let edited = log.edited.lock().expect("the log");
                    for head in &heads {
                        if let Some(at) = edited.get(head) {
                            log.seen_elsewhere
                                .lock()
                                .expect("the log")
                                .push((now, now.duration_since(*at)));
                        }
                    }
                    last = heads;
                }
            }
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), self.ws.close(None)).await;
    }
}

/// What the devices of one run saw.
#[derive(Default)]
struct Log {
    /// Each acknowledgement: when it came, and how long after its edit.
    acks: Mutex<Vec<(Instant, Duration)>>,
    /// When each edit was given up on.
    lost: Mutex<Vec<Instant>>,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
    /// When each edit was made (kept only when watchers run).
    edited: Mutex<HashMap<ChangeHash, Instant>>,
    /// Each edit a watcher on another process saw: when, and how long after it was made.
    seen_elsewhere: Mutex<Vec<(Instant, Duration)>>,
    /// Whether watchers run (edits are then remembered).
    watched: std::sync::atomic::AtomicBool,
}

impl Log {
    fn acknowledged(&self, edited: Instant) {
        let now = Instant::now();
        self.acks
            .lock()
            .expect("the log")
            .push((now, now.duration_since(edited)));
    }

    fn lost(&self, at: Instant) {
        self.lost.lock().expect("the log").push(at);
    }

    fn error(&self, why: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        self.first_error.lock().expect("the log").get_or_insert(why);
    }
}

// ---------------------------------------------------------------------------------------------
// Runs.

/// The figures of one run.
#[derive(Clone, Debug, Default)]
struct Figures {
    server: String,
    n: usize,
    connected: usize,
    /// How long connecting the devices (and their first sync) took.
    connect_time: Duration,
    acked_per_s: f64,
    p50: Option<Duration>,
    p99: Option<Duration>,
    /// Peak resident memory of each server process during the window, kB.
    peak_rss_kb: Vec<u64>,
    /// Whether that peak is the kernel's (VmHWM reset after warm-up) or sampled every 100 ms.
    peak_sampled: bool,
    server_cpu: f64,
    database_cpu: Option<f64>,
    database_pss_kb: Option<u64>,
    generator_cpu: f64,
    lost: usize,
    errors: u64,
    acks_total: usize,
    first_error: Option<String>,
    /// With several processes: how many edits a device's connection to another process
    /// received in the window, and how long after the edit (p50, p99).
    elsewhere: (usize, Option<Duration>, Option<Duration>),
}

impl Figures {
    fn rss_mb(&self) -> f64 {
        self.peak_rss_kb.iter().sum::<u64>() as f64 / 1024.0
    }

    /// Saturated: p99 past a second, or too few edits acknowledged for the load offered (the
    /// devices that could not even connect count as offered load).
    fn saturated(&self) -> bool {
        self.p99.is_none_or(|p| p > SATURATION_P99)
            || self.acked_per_s < SATURATION_SHARE * self.n as f64
    }
}

/// The processes a run watches: the servers' (PostgreSQL's come from `pg`).
struct Watched {
    servers: Vec<u32>,
}

/// Connects `ids` to `endpoints` (device i to endpoint i mod their number), syncs each once,
/// runs the load, and measures it.
async fn run(
    setup: &Setup,
    server: &str,
    endpoints: &[Endpoint],
    ids: Vec<Identity>,
    watched: &Watched,
    pg: Option<&Postgres>,
) -> Figures {
    let n = ids.len();
    let log = Arc::new(Log::default());
    // With several processes, a tenth of the devices (at most 100) is watched from another
    // process: a second connection of the same device there receives each edit.
    let watchers: Vec<(Endpoint, Identity)> = if endpoints.len() > 1 {
        log.watched.store(true, Ordering::Relaxed);
        ids.iter()
            .enumerate()
            .take((n / 10).clamp(1, 100))
            .map(|(i, id)| (endpoints[(i + 1) % endpoints.len()].clone(), id.again()))
            .collect()
    } else {
        Vec::new()
    };
    let connect_from = Instant::now();
    let deadline = connect_from + setup.connect_deadline;
    let mut devices = Vec::new();
    let mut connecting = Box::pin(
        futures::stream::iter(ids.into_iter().enumerate())
            .map(|(i, id)| {
                let endpoint = endpoints[i % endpoints.len()].clone();
                async move {
                    let mut device = Device::connect(&endpoint, id).await?;
                    device.settle().await?;
                    Ok::<_, String>(device)
                }
            })
            .buffer_unordered(CONNECTING)
            .take_until(tokio::time::sleep_until(deadline)),
    );
    let mut progress = Instant::now();
    while let Some(result) = connecting.next().await {
        match result {
            Ok(device) => devices.push(device),
            Err(e) => log.error(format!("connecting: {e}")),
        }
        if progress.elapsed() > Duration::from_secs(30) {
            progress = Instant::now();
            eprintln!(
                "  ({server}: {} of {n} devices connected after {:.0} s)",
                devices.len(),
                connect_from.elapsed().as_secs_f64()
            );
        }
    }
    // Those still connecting at the deadline are given up (their sockets close here).
    drop(connecting);
    let connect_time = connect_from.elapsed();
    let connected = devices.len();
    let (stop, stopped) = watch::channel(false);
    let mut watching = Vec::new();
    for (endpoint, id) in watchers {
        match Device::connect(&endpoint, id).await {
            Ok(mut device) => match device.settle().await {
                Ok(()) => watching.push(tokio::spawn(device.watch(stopped.clone(), log.clone()))),
                Err(e) => log.error(format!("a watcher's first sync: {e}")),
            },
            Err(e) => log.error(format!("connecting a watcher: {e}")),
        }
    }
    let start = Instant::now() + Duration::from_millis(100);
    let tasks: Vec<_> = devices
        .into_iter()
        .enumerate()
        .map(|(i, device)| {
            let first = start + Duration::from_secs(1) * i as u32 / connected.max(1) as u32;
            tokio::spawn(device.drive(first, stopped.clone(), log.clone()))
        })
        .collect();
    tokio::time::sleep_until(start + setup.warm_up).await;

    // The window.
    let kernel_peaks = watched.servers.iter().all(|&p| load::reset_peak_rss(p));
    let database = || pg.map(Postgres::pids);
    let (cpu_from, db_from, me_from) = (
        CpuReading::of(&watched.servers),
        database().map(|pids| CpuReading::of(&pids)),
        CpuReading::of(&[std::process::id()]),
    );
    let window_from = Instant::now();
    let window_to = window_from + setup.window;
    let mut sampled = vec![0u64; watched.servers.len()];
    while Instant::now() < window_to {
        for (peak, &pid) in sampled.iter_mut().zip(&watched.servers) {
            *peak = (*peak).max(load::rss_kb(pid).unwrap_or(0));
        }
        tokio::time::sleep(Duration::from_millis(100).min(window_to - Instant::now())).await;
    }
    let window_to = Instant::now();
    let (cpu_to, me_to) = (
        CpuReading::of(&watched.servers),
        CpuReading::of(&[std::process::id()]),
    );
    let db_pids = database();
    let db_to = db_pids.as_ref().map(|pids| CpuReading::of(pids));
    let peak_rss_kb: Vec<u64> = if kernel_peaks {
        watched
            .servers
            .iter()
            .zip(&sampled)
            .map(|(&pid, &s)| load::peak_rss_kb(pid).unwrap_or(0).max(s))
            .collect()
    } else {
        sampled
    };
    let database_pss_kb = db_pids.map(|pids| pids.iter().filter_map(|&p| load::pss_kb(p)).sum());

    let _ = stop.send(true);
    for task in tasks.into_iter().chain(watching) {
        let _ = task.await;
    }
    let mut elsewhere: Vec<Duration> = log
        .seen_elsewhere
        .lock()
        .expect("the log")
        .iter()
        .filter(|(at, _)| (window_from..window_to).contains(at))
        .map(|(_, took)| *took)
        .collect();
    elsewhere.sort();
    let at_quantile = |times: &[Duration], q: f64| {
        (!times.is_empty()).then(|| times[((times.len() - 1) as f64 * q).round() as usize])
    };
    let acks = std::mem::take(&mut *log.acks.lock().expect("the log"));
    let mut times: Vec<Duration> = acks
        .iter()
        .filter(|(at, _)| (window_from..window_to).contains(at))
        .map(|(_, took)| *took)
        .collect();
    times.sort();
    let quantile = |q: f64| at_quantile(&times, q);
    let lost = log
        .lost
        .lock()
        .expect("the log")
        .iter()
        .filter(|at| (window_from..window_to).contains(at))
        .count();
    let figures = Figures {
        server: server.to_string(),
        n,
        connected,
        connect_time,
        acked_per_s: times.len() as f64 / window_to.duration_since(window_from).as_secs_f64(),
        p50: quantile(0.5),
        p99: quantile(0.99),
        peak_rss_kb,
        peak_sampled: !kernel_peaks,
        server_cpu: cpu_from.share_until(&cpu_to, setup.ticks),
        database_cpu: db_from
            .zip(db_to)
            .map(|(from, to)| from.share_until(&to, setup.ticks)),
        database_pss_kb,
        generator_cpu: me_from.share_until(&me_to, setup.ticks),
        lost,
        errors: log.errors.load(Ordering::Relaxed),
        acks_total: acks.len(),
        first_error: log.first_error.lock().expect("the log").clone(),
        elsewhere: (
            elsewhere.len(),
            at_quantile(&elsewhere, 0.5),
            at_quantile(&elsewhere, 0.99),
        ),
    };
    // Not a timing assertion: a load that never got one edit through measured nothing.
    assert!(
        figures.acks_total > 0,
        "{server}, N = {n}: no edit was ever acknowledged ({} of {n} devices connected; \
         first error: {})",
        figures.connected,
        figures.first_error.as_deref().unwrap_or("none")
    );
    figures
}

/// Pins a server process to the servers' CPU, when pinning works.
fn pin_server(setup: &Setup, pid: u32) {
    if let Some(cpu) = setup.server_cpu() {
        if let Err(e) = load::pin(pid, cpu) {
            println!("  (could not pin process {pid}: {e})");
        }
    }
}

async fn server_id(url: &str) -> String {
    let info: serde_json::Value = reqwest::get(format!("{url}/v1/server"))
        .await
        .expect("GET /v1/server")
        .json()
        .await
        .expect("the server's id");
    info["server_id"].as_str().expect("a server id").to_string()
}

/// `n` new people, each enrolled through `url` from a device of their own with an operator's
/// enrolment code made in `storage` (as `tandem-server enrol` makes them).
async fn enrolled(url: &str, storage: &Storage, n: usize) -> Vec<Identity> {
    let directory = storage.directory().await.expect("the server's directory");
    let (at, until) = (now(), now() + 7 * 24 * 3600);
    let mut codes = Vec::with_capacity(n);
    for _ in 0..n {
        codes.push(
            directory
                .create_enrolment_code(Role::Practitioner, at, until)
                .await
                .expect("an enrolment code"),
        );
    }
    drop(directory);
    let server = server_id(url).await;
    let client = reqwest::Client::new();
    let results = futures::stream::iter(codes)
        .map(|code| {
            let (client, server) = (client.clone(), server.clone());
            async move {
                let id = Identity::tandem();
                let key = id.key.as_ref().expect("a key");
                let body = EnrolRequest {
                    code,
                    person_id: bs58::encode(rand::random::<[u8; 16]>()).into_string(),
                    journey_id: id.doc_id.clone(),
                    private_id: random_doc_id(),
                };
                let response = client
                    .post(format!("{url}/v1/enrol"))
                    .bearer_auth(make_token(key, &server, now(), LIFETIME_SECS))
                    .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                    .json(&body)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    let status = response.status();
                    return Err(format!(
                        "{status}: {}",
                        response.text().await.unwrap_or_default()
                    ));
                }
                Ok(id)
            }
        })
        .buffer_unordered(ENROLLING)
        .collect::<Vec<Result<Identity, String>>>()
        .await;
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("a device could not enrol: {e}")))
        .collect()
}

/// `processes` tandem-server processes (on PostgreSQL if `pg`, else one on SQLite) and `n`
/// devices, spread over them.
async fn tandem(
    setup: &Setup,
    label: &str,
    n: usize,
    processes: usize,
    pg: Option<&Postgres>,
) -> Figures {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = pg.map(Postgres::new_database);
    let servers: Vec<ServerProcess> = (0..processes)
        .map(|i| {
            let data = dir.path().join(format!("server-{i}"));
            match &url {
                Some(url) => ServerProcess::start_on_database(&data, url),
                None => ServerProcess::start(&data),
            }
        })
        .collect();
    for server in &servers {
        pin_server(setup, server.pid());
    }
    let storage = match &url {
        Some(url) => Storage::Postgres(url.clone()),
        None => Storage::Sqlite(servers[0].data_dir.clone()),
    };
    let ids = enrolled(&servers[0].url, &storage, n).await;
    let mut endpoints = Vec::new();
    for server in &servers {
        endpoints.push(Endpoint::Tandem {
            url: server.url.clone(),
            server_id: server_id(&server.url).await,
        });
    }
    let watched = Watched {
        servers: servers.iter().map(ServerProcess::pid).collect(),
    };
    run(setup, label, &endpoints, ids, &watched, pg).await
}

/// The JS automerge-repo sync server and `n` devices.
async fn js(setup: &Setup, js_dir: &Path, n: usize) -> Option<Figures> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let server = match JsSyncServer::start(js_dir, &dir.path().join("js"), setup.server_cpu()) {
        Ok(server) => server,
        Err(why) => {
            println!("  JS automerge-repo: not measured ({why})");
            return None;
        }
    };
    let ids = (0..n).map(|_| Identity::js()).collect();
    let watched = Watched {
        servers: vec![server.pid()],
    };
    let endpoint = Endpoint::Js {
        url: server.url.clone(),
    };
    Some(run(setup, JS, &[endpoint], ids, &watched, None).await)
}

const JS: &str = "JS automerge-repo";
const SQLITE: &str = "Tandem, SQLite";
const POSTGRES: &str = "Tandem, PostgreSQL";

/// The figures of one load.
struct Level {
    n: usize,
    js: Option<Figures>,
    sqlite: Option<Figures>,
    postgres: Option<Figures>,
}

impl Level {
    fn ours(&self) -> impl Iterator<Item = &Figures> {
        self.sqlite.iter().chain(self.postgres.iter())
    }
}

/// The lightest load at which `server` saturated in `table`, if it did.
fn saturated_at(table: &[Level], server: impl Fn(&Level) -> Option<&Figures>) -> Option<usize> {
    table
        .iter()
        .filter_map(|l| server(l).filter(|f| f.saturated()).map(|f| f.n))
        .next()
}

fn ms(d: Option<Duration>) -> String {
    d.map_or_else(|| "-".into(), |d| format!("{:.1}", d.as_secs_f64() * 1e3))
}

fn print_header() {
    println!(
        "  {:<22} {:>9} {:>9} {:>9} {:>10} {:>11} {:>10} {:>6} {:>6} {:>10}",
        "server",
        "acked/s",
        "p50 ms",
        "p99 ms",
        "peak RSS",
        "server CPU",
        "generator",
        "lost",
        "errors",
        "connect"
    );
}

fn print_row(f: &Figures) {
    println!(
        "  {:<22} {:>9.1} {:>9} {:>9} {:>7.1} MB {:>10.0} % {:>8.0} % {:>6} {:>6} {:>8.1} s",
        f.server,
        f.acked_per_s,
        ms(f.p50),
        ms(f.p99),
        f.rss_mb(),
        f.server_cpu * 100.0,
        f.generator_cpu * 100.0,
        f.lost,
        f.errors,
        f.connect_time.as_secs_f64()
    );
    if f.peak_rss_kb.len() > 1 {
        let each: Vec<String> = f
            .peak_rss_kb
            .iter()
            .map(|kb| format!("{:.1} MB", *kb as f64 / 1024.0))
            .collect();
        println!(
            "  {:<22} (peak RSS of each process: {})",
            "",
            each.join(", ")
        );
    }
    if let (Some(cpu), Some(pss)) = (f.database_cpu, f.database_pss_kb) {
        println!(
            "  {:<22} + PostgreSQL itself: {:.0} % CPU, {:.1} MB (PSS of all its processes)",
            "",
            cpu * 100.0,
            pss as f64 / 1024.0
        );
    }
    if f.connected < f.n {
        println!(
            "  {:<22} ONLY {} of {} devices connected (and synced once) within {:.0} s; the \
             others were given up",
            "",
            f.connected,
            f.n,
            f.connect_time.as_secs_f64()
        );
    }
    if let Some(e) = &f.first_error {
        println!("  {:<22} first error: {e}", "");
    }
    if f.peak_sampled {
        println!(
            "  {:<22} (peak RSS sampled every 100 ms: the kernel's peak could not be reset)",
            ""
        );
    }
}

/// One load against every server, printed with the ratios. A server that saturated at a
/// lighter load is run again only at the issue's loads ([`REQUIRED`]): a heavier one only takes
/// longer to say the same.
async fn level(setup: &Setup, n: usize, pg: Option<&Postgres>, before: &[Level]) -> Level {
    println!("N = {n} devices ({n} edits/s offered)");
    print_header();
    let skipped = |name: &str, at: Option<usize>| match at {
        Some(at) if !REQUIRED.contains(&n) => {
            println!("  {name:<22} not run: saturated at N = {at} already");
            true
        }
        _ => false,
    };
    let mut js_figures = None;
    if let (true, Ok(dir)) = (setup.wants("js"), &setup.js) {
        if !skipped(JS, saturated_at(before, |l| l.js.as_ref())) {
            js_figures = js(setup, dir, n).await;
            js_figures.iter().for_each(print_row);
        }
    }
    let mut sqlite = None;
    if setup.wants("sqlite") && !skipped(SQLITE, saturated_at(before, |l| l.sqlite.as_ref())) {
        let f = tandem(setup, SQLITE, n, 1, None).await;
        print_row(&f);
        sqlite = Some(f);
    }
    let mut postgres = None;
    if let (true, Some(pg)) = (setup.wants("postgres"), pg) {
        if !skipped(POSTGRES, saturated_at(before, |l| l.postgres.as_ref())) {
            let f = tandem(setup, POSTGRES, n, 1, Some(pg)).await;
            print_row(&f);
            postgres = Some(f);
        }
    }
    let level = Level {
        n,
        js: js_figures,
        sqlite,
        postgres,
    };
    if let Some(js) = &level.js {
        if level.ours().next().is_some() {
            println!("  Tandem / JS at this load:");
        }
        for ours in level.ours() {
            let memory = ours.rss_mb() / js.rss_mb().max(1e-9);
            println!(
                "    {:<20} throughput {:.2}×   p99 {:.2}×   memory {:.2}× (budget ≤ 0.33×: {})   CPU {:.2}×",
                ours.server,
                ours.acked_per_s / js.acked_per_s.max(1e-9),
                ratio(ours.p99, js.p99),
                memory,
                if memory <= 1.0 / 3.0 { "met" } else { "NOT met" },
                ours.server_cpu / js.server_cpu.max(1e-9),
            );
        }
    }
    println!();
    level
}

fn ratio(a: Option<Duration>, b: Option<Duration>) -> f64 {
    match (a, b) {
        (Some(a), Some(b)) => a.as_secs_f64() / b.as_secs_f64().max(1e-9),
        _ => f64::NAN,
    }
}

/// The first load at which a server saturated, if any, and the best it acknowledged.
fn saturation<'a>(runs: &[&'a Figures]) -> (Option<&'a Figures>, Option<&'a Figures>) {
    let saturated = runs.iter().copied().find(|f| f.saturated());
    let best = runs
        .iter()
        .copied()
        .max_by(|a, b| a.acked_per_s.total_cmp(&b.acked_per_s));
    (saturated, best)
}

fn saturation_and_budgets(setup: &Setup, table: &[Level]) {
    let sizes: Vec<String> = table.iter().map(|l| l.n.to_string()).collect();
    println!(
        "Saturation over N = {}: the first load at which acknowledged edits/s fall below {:.0} % \
         of those offered (they stop growing with the load) or p99 passes {} s",
        sizes.join(", "),
        SATURATION_SHARE * 100.0,
        SATURATION_P99.as_secs()
    );
    let js: Vec<&Figures> = table.iter().filter_map(|l| l.js.as_ref()).collect();
    let sqlite: Vec<&Figures> = table.iter().filter_map(|l| l.sqlite.as_ref()).collect();
    let postgres: Vec<&Figures> = table.iter().filter_map(|l| l.postgres.as_ref()).collect();
    for (name, runs) in [(JS, &js), (SQLITE, &sqlite), (POSTGRES, &postgres)] {
        if runs.is_empty() {
            continue;
        }
        match saturation(runs) {
            (Some(at), _) => println!(
                "  {name:<20} saturated at N = {}: {:.1} edits/s acknowledged, p99 {} ms",
                at.n,
                at.acked_per_s,
                ms(at.p99)
            ),
            (None, Some(best)) => println!(
                "  {name:<20} not saturated up to N = {}: {:.1} edits/s acknowledged, p99 {} ms",
                best.n,
                best.acked_per_s,
                ms(best.p99)
            ),
            (None, None) => {}
        }
    }
    let Some(js_saturation) = (!js.is_empty()).then(|| saturation(&js)) else {
        println!("  (no JS figures: the budgets against it cannot be judged)\n");
        return;
    };
    let (js_at, js_saturated) = match js_saturation {
        (Some(at), _) => (at, true),
        (None, Some(best)) => (best, false),
        (None, None) => return,
    };
    println!(
        "Budget: at least 5× the JS server's throughput at its saturation point ({})",
        if js_saturated {
            format!("N = {}: {:.1} edits/s", js_at.n, js_at.acked_per_s)
        } else {
            format!(
                "the JS server did NOT saturate within these loads; its best, {:.1} edits/s at \
                 N = {}, stands in for it",
                js_at.acked_per_s, js_at.n
            )
        }
    );
    for (name, runs) in [(SQLITE, &sqlite), (POSTGRES, &postgres)] {
        let (saturated, Some(best)) = saturation(runs) else {
            continue;
        };
        let times = best.acked_per_s / js_at.acked_per_s.max(1e-9);
        let verdict = if times >= 5.0 {
            "met".to_string()
        } else if saturated.is_none() {
            format!(
                "not shown: Tandem did not saturate either, its throughput is the load offered \
                 ({} devices × 1 edit/s); more devices are needed to judge it",
                best.n
            )
        } else {
            "NOT met".to_string()
        };
        println!(
            "  {name:<20} best {:.1} edits/s (N = {}) = {:.2}× the JS server's   budget ≥ 5×: {verdict}",
            best.acked_per_s, best.n, times
        );
    }
    println!("Budget: at most ⅓ of the JS server's memory at equal load (peak RSS in the window)");
    for l in table {
        let Some(js) = &l.js else { continue };
        for ours in l.ours() {
            let times = ours.rss_mb() / js.rss_mb().max(1e-9);
            println!(
                "  N = {:<6} {:<20} {:.1} MB vs {:.1} MB = {:.2}×   budget ≤ 0.33×: {}",
                l.n,
                ours.server,
                ours.rss_mb(),
                js.rss_mb(),
                times,
                if times <= 1.0 / 3.0 { "met" } else { "NOT met" }
            );
        }
    }
    if setup.mode == Mode::Quick {
        println!("  (quick mode: tiny loads; these verdicts mean nothing)");
    }
    println!();
}

/// One process against two on one PostgreSQL database, at the same load.
async fn processes(setup: &Setup, pg: &Postgres, table: &[Level]) {
    // The heaviest load one process kept up with (else the lightest tried).
    let kept_up = table
        .iter()
        .filter_map(|l| l.postgres.as_ref())
        .filter(|f| !f.saturated())
        .map(|f| f.n)
        .max();
    let n = kept_up
        .or_else(|| setup.levels.first().copied())
        .unwrap_or(setup.mode.size(1_000, 10));
    println!(
        "1 vs 2 tandem-server processes on one PostgreSQL database, N = {n} ({}; devices split \
         between the processes). Both processes share CPU {SERVER_CPU} with PostgreSQL: on two \
         cores this shows the cost of the fan-out between processes, not scaling.",
        if kept_up.is_some() {
            "the heaviest load one process kept up with"
        } else {
            "the lightest load tried"
        }
    );
    print_header();
    let one = match table
        .iter()
        .find(|l| l.n == n)
        .and_then(|l| l.postgres.clone())
    {
        Some(f) => f,
        None => tandem(setup, POSTGRES, n, 1, Some(pg)).await,
    };
    let mut one = one;
    one.server = "1 process".into();
    print_row(&one);
    let mut two = tandem(setup, "2 processes", n, 2, Some(pg)).await;
    two.server = "2 processes".into();
    print_row(&two);
    let (seen, p50, p99) = two.elsewhere;
    println!(
        "  an edit reaching the other process's device (a second connection of the editing \
         device, there; {} of them): {seen} edits, p50 {} ms, p99 {} ms   budget p99 ≤ 500 ms: {}",
        (n / 10).clamp(1, 100),
        ms(p50),
        ms(p99),
        match p99 {
            Some(p) if p <= Duration::from_millis(500) => "met",
            Some(_) => "not met",
            None => "not measured",
        }
    );
    println!(
        "  2 / 1 processes: throughput {:.2}×, p50 {:.2}×, p99 {:.2}×, memory {:.2}×, server CPU \
         {:.2}×, PostgreSQL CPU {:.2}×\n",
        two.acked_per_s / one.acked_per_s.max(1e-9),
        ratio(two.p50, one.p50),
        ratio(two.p99, one.p99),
        two.rss_mb() / one.rss_mb().max(1e-9),
        two.server_cpu / one.server_cpu.max(1e-9),
        two.database_cpu.unwrap_or(0.0) / one.database_cpu.unwrap_or(0.0).max(1e-9),
    );
}

/// Seeds `stored` people, each with a journey of one change, straight into a server's SQLite
/// file through its storage layer (directory and documents); the identities of the first
/// `in_use`, whose devices will connect.
async fn seed(data_dir: &Path, stored: usize, in_use: usize) -> Vec<Identity> {
    let directory = Storage::Sqlite(data_dir.to_path_buf())
        .directory()
        .await
        .expect("the directory");
    let documents = SqliteDocuments::new(tandem_server::db::open(data_dir).expect("the database"));
    let mut ids = Vec::with_capacity(in_use);
    let (at, until) = (now(), now() + 7 * 24 * 3600);
    for i in 0..stored {
        let id = if i < in_use {
            Identity::tandem()
        } else {
            Identity {
                key: None,
                peer_id: String::new(),
                doc_id: random_doc_id(),
                doc: journey_document(),
            }
        };
        let device = match &id.key {
            Some(key) => device_id(key),
            None => bs58::encode(rand::random::<[u8; 32]>()).into_string(),
        };
        let code = directory
            .create_enrolment_code(Role::Practitioner, at, until)
            .await
            .expect("an enrolment code");
        let request = EnrolRequest {
            code,
            person_id: bs58::encode(rand::random::<[u8; 16]>()).into_string(),
            journey_id: id.doc_id.clone(),
            private_id: random_doc_id(),
        };
        directory
            .enrol(&device, &request, at)
            .await
            .expect("a person enrolled");
        for change in id.doc.get_changes(&[]) {
            let key = StorageKey::from_parts([
                id.doc_id.as_str(),
                "incremental",
                &change.hash().to_string(),
            ])
            .expect("a storage key");
            documents
                .put(&key, change.raw_bytes())
                .await
                .expect("a stored change");
        }
        if i < in_use {
            ids.push(id);
        }
    }
    ids
}

/// The value of the sample `name` (no labels) in the server's `GET /metrics`.
async fn metric(url: &str, name: &str) -> Option<f64> {
    let text = reqwest::get(format!("{url}/metrics"))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines().find_map(|line| {
        line.strip_prefix(name)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

/// A server with `stored` people seeded and the load of the first `in_use` of them: the
/// figures under load, and the resident memory after starting and after the devices left.
async fn with_stored(setup: &Setup, stored: usize, in_use: usize) -> (Figures, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = dir.path().join("server");
    std::fs::create_dir_all(&data).expect("the data directory");
    let seeding = std::time::Instant::now();
    let ids = seed(&data, stored, in_use).await;
    let seeded_in = seeding.elapsed();
    let server = ServerProcess::start(&data);
    pin_server(setup, server.pid());
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_kb = load::rss_kb(server.pid()).unwrap_or(0);
    let idle_tasks = metric(&server.url, "tandem_tasks").await;
    let endpoint = Endpoint::Tandem {
        url: server.url.clone(),
        server_id: server_id(&server.url).await,
    };
    let watched = Watched {
        servers: vec![server.pid()],
    };
    let label = format!("{stored} stored");
    let figures = run(setup, &label, &[endpoint], ids, &watched, None).await;
    // The devices have closed their connections: what stays.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_kb = load::rss_kb(server.pid()).unwrap_or(0);
    let held = metric(&server.url, "tandem_documents_in_memory").await;
    // And once the allocator has had time to give back what was freed.
    let later_secs = setup.mode.size(30, 2);
    tokio::time::sleep(Duration::from_secs(later_secs - 2)).await;
    let later_kb = load::rss_kb(server.pid()).unwrap_or(0);
    let later_tasks = metric(&server.url, "tandem_tasks").await;
    let mb = |kb: u64| kb as f64 / 1024.0;
    let count = |n: Option<f64>| n.map_or_else(|| "?".to_string(), |n| format!("{n:.0}"));
    let note = format!(
        "seeded in {:.1} s; resident after starting {:.1} MB; 2 s after the devices left {:.1} MB \
         ({} documents in memory by /metrics), {later_secs} s after {:.1} MB; tasks alive \
         after starting {}, {later_secs} s after the devices left {}",
        seeded_in.as_secs_f64(),
        mb(idle_kb),
        mb(after_kb),
        count(held),
        mb(later_kb),
        count(idle_tasks),
        count(later_tasks)
    );
    (figures, note)
}

/// The server's memory with many documents stored and some in use, beside the same load with
/// only those in use stored.
async fn stored_documents(setup: &Setup) {
    let (stored, in_use) = setup.mode.size((100_000, 1_000), (1_000, 10));
    println!(
        "Memory with {stored} stored documents and {in_use} in use (tandem-server on SQLite). \
         Stored: a person and their journey each, seeded straight into the server's database \
         through its storage layer (directory and documents) before it starts. In use: the \
         devices of {in_use} of them run the load above (connected, editing once a second). \
         Beside it, the same with only those {in_use} stored."
    );
    print_header();
    let mut runs = Vec::new();
    for count in [in_use, stored] {
        let (figures, note) = with_stored(setup, count, in_use).await;
        print_row(&figures);
        println!("  {:<22} {note}", "");
        runs.push(figures);
    }
    if let [few, many] = &runs[..] {
        println!(
            "  {stored} stored beside {in_use}: peak RSS under the load {:+.1} MB ({:.2}×)",
            many.rss_mb() - few.rss_mb(),
            many.rss_mb() / few.rss_mb().max(1e-9)
        );
    }
    println!();
}
