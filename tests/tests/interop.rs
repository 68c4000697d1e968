//! Tandem and plain JavaScript automerge-repo peers (tests/js, versions pinned there), in real
//! processes on 127.0.0.1:
//!
//! - a JS peer holding a token made by a Tandem device syncs that device's journey through a
//!   real `tandem-server`, both ways; with another server's token or a tampered one it is
//!   refused;
//! - a Tandem store syncs through a plain automerge-repo JS server, and another store reads
//!   the journey from there.
//!
//! The JS dependencies must be installed first: `npm ci --prefix tests/js` (scripts/test does).
//! Every process started here is killed when its guard drops, also when a test fails.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tandem_core::auth::peer_id_for;
use tandem_core::journey::{LifeArea, StrengthInput, Value, ValueInput};
use tandem_core::sync::session::{enrol, sync_now, sync_with_peer};
use tandem_core::{OpenOptions, Store};
use tandem_tests::server_process::ServerProcess;

/// How long a Rust sync or a JS script may take before the test fails.
const STEP: Duration = Duration::from_secs(60);

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

fn quiet(_: tandem_core::sync::SyncStatus) {}

/// Runs `future`, failing the test if it takes longer than [`STEP`].
async fn bounded<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(STEP, future)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer in {} s", STEP.as_secs()))
}

/// tests/js, with its dependencies installed; fails loudly (never skips) when they are not.
fn js_project() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("js");
    let installed = [
        "@automerge/automerge-repo",
        "@automerge/automerge-repo-network-websocket",
    ]
    .iter()
    .all(|package| dir.join("node_modules").join(package).is_dir());
    assert!(
        installed,
        "the JavaScript interop dependencies are not installed in {}: run \
         `npm ci --prefix tests/js --ignore-scripts` from the repository root (scripts/test does it), then \
         run these tests again",
        dir.display()
    );
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => panic!("`node` is not on PATH: install Node.js 20 or newer to run the interop tests"),
    }
    dir
}

/// A child process killed and reaped when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads all of `from` on a thread; the text arrives on the receiver when it closes.
fn collect(mut from: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = from.read_to_string(&mut text);
        let _ = send.send(text);
    });
    receive
}

struct Finished {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs `node <script> <args>` in tests/js and waits for it, at most `limit` (then kills it and
/// fails the test).
fn run_script(script: &str, args: &[String], limit: Duration) -> Finished {
    let dir = js_project();
    let started = Instant::now();
    let mut child = Guard(
        Command::new("node")
            .arg(script)
            .args(args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts"),
    );
    let stdout = collect(child.0.stdout.take().expect("stdout is piped"));
    let stderr = collect(child.0.stderr.take().expect("stderr is piped"));
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("node can be waited for") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.0.kill();
            let _ = child.0.wait();
            let err = stderr
                .recv_timeout(Duration::from_secs(2))
                .unwrap_or_default();
            panic!(
                "node {script} ran longer than {} s; stderr:\n{err}",
                limit.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    let took = started.elapsed();
    let text =
        |r: mpsc::Receiver<String>| r.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    Finished {
        status,
        stdout: text(stdout),
        stderr: text(stderr),
        took,
    }
}

/// tests/js/peer.mjs against a Tandem server's sync endpoint, off the async runtime's threads.
async fn run_peer(sync_url: &str, token: &str, peer_id: &str, doc: &str, text: &str) -> Finished {
    let args: Vec<String> = [sync_url, token, peer_id, doc, text]
        .iter()
        .map(|s| s.to_string())
        .collect();
    tokio::task::spawn_blocking(move || run_script("peer.mjs", &args, STEP))
        .await
        .expect("the script runner does not panic")
}

/// The WebSocket sync endpoint of a Tandem server at `http://HOST:PORT`.
fn sync_endpoint(server_url: &str) -> String {
    let host = server_url
        .strip_prefix("http://")
        .expect("the test server speaks plain http on loopback");
    format!("ws://{}/v1/sync", host.trim_end_matches('/'))
}

/// A device enrolled on a real server, its journey holding one value, synced.
struct Enrolled {
    _dir: tempfile::TempDir,
    server: ServerProcess,
    store: Store,
    server_id: String,
    value: Value,
}

async fn enrolled_device() -> Enrolled {
    js_project();
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let store = store(&dir, "device");
    let code = server.enrol_code("practitioner");
    bounded("enrol", enrol(&store, &server.url, &code))
        .await
        .expect("the device enrols");
    let input = ValueInput {
        text: "Being outdoors".into(),
        life_area: LifeArea::Leisure,
        importance: 7,
    };
    let id = store.add_value(&input).unwrap();
    bounded("sync", sync_now(&store, &quiet))
        .await
        .expect("the journey reaches the server");
    let server_id = store
        .server()
        .unwrap()
        .expect("the store knows its server")
        .server_id;
    Enrolled {
        _dir: dir,
        server,
        store,
        server_id,
        value: Value {
            id,
            text: input.text,
            life_area: input.life_area,
            importance: input.importance,
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_js_peer_with_this_devices_token_syncs_its_journey_through_the_server_both_ways() {
    let Enrolled {
        server,
        store,
        server_id,
        value,
        ..
    } = enrolled_device().await;
    let me = store.identity().clone();

    let js_text = "Walking to the café before work";
    let run = run_peer(
        &sync_endpoint(&server.url),
        &store.token(&server_id),
        &peer_id_for(&me.device_key),
        &me.journey_id,
        js_text,
    )
    .await;
    assert!(
        run.status.success(),
        "peer.mjs failed ({}):\nstdout:\n{}\nstderr:\n{}",
        run.status,
        run.stdout,
        run.stderr
    );

    // The JS peer read the value Rust wrote (peer.mjs prints each value's fields in this order).
    let seen = run
        .stdout
        .lines()
        .find(|l| l.starts_with(r#"{"seen":"#))
        .unwrap_or_else(|| panic!("peer.mjs printed no values:\n{}", run.stdout));
    let expected = format!(
        r#"{{"id":"{}","text":"{}","life_area":"{}","importance":{}}}"#,
        value.id,
        value.text,
        value.life_area.as_str(),
        value.importance
    );
    assert!(
        seen.contains(&expected),
        "the JS peer did not see the Rust-written value {expected}; it saw {seen}"
    );
    let added = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix(r#"{"added":""#)?.strip_suffix(r#""}"#))
        .unwrap_or_else(|| panic!("peer.mjs printed no new value:\n{}", run.stdout))
        .to_string();

    // The value JS wrote (strings as automerge Text, importance a JS number) arrives in Rust.
    bounded("sync", sync_now(&store, &quiet))
        .await
        .expect("the device syncs again");
    let journey = store.journey().unwrap();
    assert!(
        journey.values.contains(&Value {
            id: added.clone(),
            text: js_text.into(),
            life_area: LifeArea::Health,
            importance: 6,
        }),
        "the JS-written value {added} did not arrive as written: {:?}",
        journey.values
    );
    assert!(
        journey.values.contains(&value),
        "the Rust value is still there"
    );
    assert_eq!(journey.values.len(), 2);
}

/// Runs peer.mjs with `token` and checks it was refused, quickly, with `reason` (the error word
/// of the server's 401 answer, docs/SYNC.md).
async fn assert_refused(enrolled: &Enrolled, token: &str, reason: &str) {
    let me = enrolled.store.identity();
    let run = run_peer(
        &sync_endpoint(&enrolled.server.url),
        token,
        &peer_id_for(&me.device_key),
        &me.journey_id,
        "Never written",
    )
    .await;
    assert_eq!(
        run.status.code(),
        Some(2),
        "peer.mjs should report a refusal (exit 2); stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the server refused the connection: HTTP 401")
            && run.stderr.contains(reason),
        "the refusal should say 401 and {reason}: {}",
        run.stderr
    );
    assert!(
        !run.stdout.contains(r#"{"seen":"#),
        "a refused peer saw the journey: {}",
        run.stdout
    );
    assert!(
        run.took < Duration::from_secs(15),
        "the refusal took {:?}",
        run.took
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_js_peer_with_another_servers_token_or_a_tampered_one_is_refused() {
    let enrolled = enrolled_device().await;

    let elsewhere = enrolled.store.token("another-server-id");
    assert_refused(&enrolled, &elsewhere, "wrong_server").await;

    // One character of the signature changed (to another base64url character).
    let token = enrolled.store.token(&enrolled.server_id);
    let (payload, signature) = token.split_once('.').expect("a token has two parts");
    let mut signature = signature.as_bytes().to_vec();
    signature[10] = if signature[10] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{payload}.{}", String::from_utf8(signature).unwrap());
    assert_refused(&enrolled, &tampered, "bad_signature").await;

    // Nothing the refused peers tried reached the journey.
    bounded("sync", sync_now(&enrolled.store, &quiet))
        .await
        .expect("the device still syncs");
    assert_eq!(
        enrolled.store.journey().unwrap().values,
        vec![enrolled.value.clone()]
    );
}

/// tests/js/server.mjs: a plain automerge-repo sync server; killed when dropped (its stdin
/// closing stops it too, should this process die without dropping it).
struct JsServer {
    url: String,
    _stdin: ChildStdin,
    _process: Guard,
}

impl JsServer {
    fn start() -> JsServer {
        let dir = js_project();
        let mut child = Guard(
            Command::new("node")
                .arg("server.mjs")
                .current_dir(&dir)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("node starts"),
        );
        let stdin = child.0.stdin.take().expect("stdin is piped");
        let stdout = child.0.stdout.take().expect("stdout is piped");
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.trim().strip_prefix("listening on ") {
                    let _ = send.send(url.to_string());
                }
            }
        });
        let url = receive
            .recv_timeout(Duration::from_secs(20))
            .expect("server.mjs says where it listens within 20 s");
        JsServer {
            url,
            _stdin: stdin,
            _process: child,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tandem_store_syncs_through_a_plain_js_automerge_repo_server() {
    js_project();
    let server = tokio::task::spawn_blocking(JsServer::start).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    let a = store(&dir, "a");
    a.add_value(&ValueInput {
        text: "Being outdoors".into(),
        life_area: LifeArea::Leisure,
        importance: 7,
    })
    .unwrap();
    a.add_strength(&StrengthInput {
        text: "Patience".into(),
        example: Some("Waited out a hard week".into()),
    })
    .unwrap();
    let journey_id = a.identity().journey_id.clone();
    let docs = std::slice::from_ref(&journey_id);
    let report = bounded("A syncs", sync_with_peer(&a, &server.url, docs))
        .await
        .expect("A syncs with the JS server");
    assert_eq!((report.documents, report.unavailable), (1, 0));

    let b = store(&dir, "b");
    assert_ne!(b.identity().journey_id, journey_id);
    let report = bounded("B syncs", sync_with_peer(&b, &server.url, docs))
        .await
        .expect("B syncs with the JS server");
    assert_eq!((report.documents, report.unavailable), (1, 0));

    let on_a = a.journey().unwrap();
    let on_b = b.linked_journey(&journey_id).unwrap().journey().unwrap();
    assert_eq!(on_b, on_a);
    assert_eq!(on_b.values.len(), 1);
    assert_eq!(on_b.strengths.len(), 1);
}
