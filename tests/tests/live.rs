//! Live sync end to end: real `tandem-server` processes on 127.0.0.1, real stores, each device's
//! `SyncService` online. New links arrive with no poll, a revoked member's open connection
//! stops receiving, a server killed mid-sync loses nothing the device was told it stored, and a
//! connection that stalls is given up and replaced.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tandem_core::coaching::CoachingCondition;
use tandem_core::sync::api::InvitationKind;
use tandem_core::sync::session::{
    enrol, invite, join, join_device, revoke, share_journey_with_coach,
};
use tandem_core::sync::SyncState;
use tandem_tests::devices::{
    eventually, has_value, live_store as store, online, options, phone_and_tablet,
    practitioner_and_coach, sync, value,
};
use tandem_tests::server_process::ServerProcess;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_who_joins_reaches_the_practitioners_online_device_without_a_poll() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let practitioner = store(dir.path(), "practitioner");
    enrol(
        &practitioner,
        &server.url,
        &server.enrol_code("practitioner"),
    )
    .await
    .unwrap();
    let code = invite(&practitioner, InvitationKind::Client)
        .await
        .unwrap()
        .code;
    let live = online(&practitioner).await;

    // The practitioner's device is live; nobody touches it from here on.
    let client = store(dir.path(), "client");
    client
        .add_value(&value("Sleeping before midnight"))
        .unwrap();
    join(&client, &server.url, &code).await.unwrap();
    sync(&client).await;
    let journey = client.identity().journey_id.clone();
    eventually("the client's journey reaches the practitioner", || {
        has_value(
            practitioner
                .linked_journey(&journey)
                .and_then(|j| j.journey()),
            "Sleeping before midnight",
        )
    })
    .await;
    // And from then on the client's edits arrive as they are made.
    client.add_value(&value("A walk at lunch")).unwrap();
    sync(&client).await;
    eventually("the client's next edit reaches the practitioner", || {
        has_value(
            practitioner
                .linked_journey(&journey)
                .and_then(|j| j.journey()),
            "A walk at lunch",
        )
    })
    .await;
    live.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journey_a_practitioner_shares_with_their_coach_reaches_the_coachs_online_device() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let alex = store(dir.path(), "alex");
    let priya = store(dir.path(), "priya");
    practitioner_and_coach(&server, &alex, &priya).await;
    let coaching = alex
        .relationships()
        .unwrap()
        .into_iter()
        .next()
        .expect("the coaching relationship")
        .doc_id;
    alex.add_value(&value("Leaving work at work")).unwrap();
    let live = online(&priya).await;

    // The coach's device is live; nobody touches it from here on.
    let journey = alex.identity().journey_id.clone();
    assert!(
        !has_value(
            priya.linked_journey(&journey).and_then(|j| j.journey()),
            "Leaving work at work",
        ),
        "not shared yet"
    );
    alex.set_coaching_condition(
        &coaching,
        CoachingCondition::Transformational,
        alex.now().date_naive(),
        None,
    )
    .unwrap();
    share_journey_with_coach(&alex, &coaching).await.unwrap();
    sync(&alex).await;
    eventually("the shared journey reaches the coach", || {
        has_value(
            priya.linked_journey(&journey).and_then(|j| j.journey()),
            "Leaving work at work",
        )
    })
    .await;
    live.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_practitioner_stops_receiving_on_their_open_connection() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let practitioner = store(dir.path(), "practitioner");
    enrol(
        &practitioner,
        &server.url,
        &server.enrol_code("practitioner"),
    )
    .await
    .unwrap();
    let mut clients = Vec::new();
    for name in ["sam", "kit"] {
        let code = invite(&practitioner, InvitationKind::Client)
            .await
            .unwrap()
            .code;
        let client = store(dir.path(), name);
        join(&client, &server.url, &code).await.unwrap();
        client
            .add_value(&value(&format!("{name}'s first value")))
            .unwrap();
        sync(&client).await;
        clients.push(client);
    }
    let live = online(&practitioner).await;
    let (sam, kit) = (&clients[0], &clients[1]);
    let (sams, kits) = (
        sam.identity().journey_id.clone(),
        kit.identity().journey_id.clone(),
    );
    let seen = |journey: &str, text: &str| {
        has_value(
            practitioner
                .linked_journey(journey)
                .and_then(|j| j.journey()),
            text,
        )
    };
    eventually("both journeys are on the practitioner's device", || {
        seen(&sams, "sam's first value") && seen(&kits, "kit's first value")
    })
    .await;

    // Sam withdraws the practitioner's access, then writes something; Kit writes after that.
    revoke(sam, &sams, &practitioner.identity().person_id)
        .await
        .unwrap();
    sam.add_value(&value("Only for me now")).unwrap();
    sync(sam).await;
    kit.add_value(&value("Kit's second value")).unwrap();
    sync(kit).await;
    eventually("Kit's later edit arrives", || {
        seen(&kits, "Kit's second value")
    })
    .await;
    assert!(
        !seen(&sams, "Only for me now"),
        "what Sam wrote after revoking never reached the practitioner's open connection"
    );
    // And what was shared before is deleted from the practitioner's device, which is online:
    // no restart, nothing asked (leaving, issue 13).
    eventually(
        "Sam's withdrawn journey leaves the practitioner's device",
        || practitioner.saved_document(&sams).unwrap().is_none(),
    )
    .await;
    live.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_while_a_device_edits_loses_nothing_and_the_device_catches_up_on_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    let server = ServerProcess::start(&data);
    let port = server.port();
    let (phone, tablet) = phone_and_tablet(&server, dir.path()).await;
    let phone = Arc::new(phone);
    let live = online(&phone).await;

    // Edits go out one by one as the phone makes them; the server dies among them.
    for i in 0..20 {
        phone.add_value(&value(&format!("value {i}"))).unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for i in 20..30 {
        phone.add_value(&value(&format!("value {i}"))).unwrap();
    }
    let status = live.status();
    eventually("the phone notices the server is gone", || {
        status.borrow().state == SyncState::Offline
    })
    .await;

    // The server comes back where it was; the phone reconnects on its own and sends the rest.
    let server = ServerProcess::start_on(&data, port);
    eventually("the phone is live again", || {
        status.borrow().state == SyncState::Live
    })
    .await;
    sync(&tablet).await;
    let values: Vec<String> = tablet
        .journey()
        .unwrap()
        .values
        .into_iter()
        .map(|v| v.text)
        .collect();
    for i in 0..30 {
        assert!(
            values.contains(&format!("value {i}")),
            "value {i} reached the tablet: {values:?}"
        );
    }
    assert_eq!(values.len(), 30, "each edit once: {values:?}");
    live.stop();
    drop(server);
}

/// A TCP relay between devices and a server that can be made to stall: it keeps the
/// connections open and stops passing bytes, as a dead network path does.
struct Relay {
    url: String,
    stalled: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(server_port: u16) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stalled = Arc::new(AtomicBool::new(false));
        let flag = stalled.clone();
        let task = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let flag = flag.clone();
                tokio::spawn(async move {
                    let Ok(outbound) =
                        tokio::net::TcpStream::connect(("127.0.0.1", server_port)).await
                    else {
                        return;
                    };
                    let (a_read, a_write) = inbound.into_split();
                    let (b_read, b_write) = outbound.into_split();
                    tokio::join!(
                        pass(a_read, b_write, flag.clone()),
                        pass(b_read, a_write, flag)
                    );
                });
            }
        });
        Relay { url, stalled, task }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Copies bytes one way until either side closes; while `stalled`, holds them (and stops
/// for good: a stalled path never recovers, new connections get through).
async fn pass(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    stalled: Arc<AtomicBool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let started_stalled = stalled.load(Ordering::SeqCst);
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        if stalled.load(Ordering::SeqCst) && !started_stalled {
            std::future::pending::<()>().await;
        }
        let read = tokio::time::timeout(Duration::from_millis(50), from.read(&mut buf)).await;
        let n = match read {
            Err(_) => continue,
            Ok(Ok(0)) | Ok(Err(_)) => return,
            Ok(Ok(n)) => n,
        };
        if stalled.load(Ordering::SeqCst) && !started_stalled {
            std::future::pending::<()>().await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_stalls_is_given_up_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let relay = Relay::start(server.port()).await;
    let phone = store(dir.path(), "phone");
    // The phone knows the server by the relay's address.
    enrol(&phone, &relay.url, &server.enrol_code("practitioner"))
        .await
        .unwrap();
    let code = invite(&phone, InvitationKind::Device).await.unwrap().code;
    sync(&phone).await;
    let (tablet, _) = join_device(dir.path().join("tablet.db"), &server.url, &code, options())
        .await
        .unwrap();
    let live = online(&phone).await;

    // The path stalls: nothing passes, nothing closes. An edit made now waits on the phone.
    relay.stalled.store(true, Ordering::SeqCst);
    phone
        .add_value(&value("Made while the path was dead"))
        .unwrap();
    let status = live.status();
    eventually("the phone gives the silent connection up", || {
        let s = status.borrow();
        s.state == SyncState::Offline
            && s.last_error
                .as_deref()
                .is_some_and(|e| e.contains("silent"))
    })
    .await;
    // New connections get through: the phone reconnects by itself and sends the edit.
    eventually("the phone is live again", || {
        status.borrow().state == SyncState::Live
    })
    .await;
    sync(&tablet).await;
    assert!(has_value(tablet.journey(), "Made while the path was dead"));
    live.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_shot_sync_beside_the_live_connection_leaves_both_working() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let (phone, tablet) = phone_and_tablet(&server, dir.path()).await;
    let phone = Arc::new(phone);
    let tablet = Arc::new(tablet);
    let live = online(&phone).await;
    let tablet_live = online(&tablet).await;
    // A background job (or `syncNow`) syncs the phone while its live connection is open.
    for i in 0..3 {
        phone
            .add_value(&value(&format!("synced by hand {i}")))
            .unwrap();
        sync(&phone).await;
    }
    phone.add_value(&value("sent live")).unwrap();
    eventually("every edit reaches the live tablet", || {
        ["synced by hand 0", "synced by hand 2", "sent live"]
            .iter()
            .all(|t| has_value(tablet.journey(), t))
    })
    .await;
    let status = live.status();
    eventually("the phone is live", || {
        status.borrow().state == SyncState::Live
    })
    .await;
    live.stop();
    tablet_live.stop();
}
