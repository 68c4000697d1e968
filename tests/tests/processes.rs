//! Two `tandem-server` processes on one PostgreSQL database (a throwaway one this test process
//! starts), as an operator runs several behind one address: a device on each sees what the
//! other's devices write, and a revocation made through one stops the other's stream.
//!
//! The practitioner's device talks only to process A and the clients' devices only to process
//! B, so everything that crosses goes through the database and its notifications.

use tandem_core::sync::api::InvitationKind;
use tandem_core::sync::session::{enrol, invite, join, revoke};
use tandem_tests::devices::{
    eventually, has_value, live_store as store, online, sync, value, walk,
};
use tandem_tests::server_process::ServerProcess;

/// Process A and process B on one new database.
fn two_processes(dir: &std::path::Path) -> (ServerProcess, ServerProcess) {
    let url = tandem_testdb::cluster().new_database();
    (
        ServerProcess::start_on_database(&dir.join("a"), &url),
        ServerProcess::start_on_database(&dir.join("b"), &url),
    )
}

/// A server's `GET /metrics`.
async fn metric_lines(server: &ServerProcess) -> String {
    let response = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap();
    assert!(response.status().is_success());
    response.text().await.unwrap()
}

/// The value of the sample `name` (without labels) in `metrics`.
fn metric(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| {
            line.strip_prefix(name)?
                .strip_prefix(' ')?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no {name} in {metrics}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_on_each_process_sees_what_the_other_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_processes(dir.path());
    let practitioner = store(dir.path(), "practitioner");
    enrol(&practitioner, &a.url, &a.enrol_code("practitioner"))
        .await
        .unwrap();
    let code = invite(&practitioner, InvitationKind::Client)
        .await
        .unwrap()
        .code;
    let client = store(dir.path(), "client");
    client
        .add_value(&value("Sleeping before midnight"))
        .unwrap();
    join(&client, &b.url, &code).await.unwrap();
    sync(&client).await;
    let journey = client.identity().journey_id.clone();
    let seen = |text: &str| {
        has_value(
            practitioner
                .linked_journey(&journey)
                .and_then(|j| j.journey()),
            text,
        )
    };

    let live = online(&practitioner).await;
    eventually(
        "the client's journey reaches the practitioner through A",
        || seen("Sleeping before midnight"),
    )
    .await;
    // Process A holds the journey now; what the client writes through B reaches its copy, and
    // the practitioner's open connection, without the practitioner asking.
    client.add_value(&value("A walk at lunch")).unwrap();
    sync(&client).await;
    eventually(
        "the client's next edit reaches the practitioner's open connection",
        || seen("A walk at lunch"),
    )
    .await;

    // And the other way: the practitioner plans a walk through A, the client syncs through B,
    // whose copy of the journey is older than A's.
    practitioner
        .linked_journey(&journey)
        .unwrap()
        .add_plan(&walk())
        .unwrap();
    let client_sees_the_walk = || {
        client
            .journey()
            .is_ok_and(|j| j.plans.iter().any(|p| p.what == walk().what))
    };
    for _ in 0..100 {
        sync(&client).await;
        if client_sees_the_walk() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        client_sees_the_walk(),
        "the practitioner's plan made through A reached the client through B"
    );

    // What an operator watching A sees: the practitioner's open connection, the documents it
    // holds, the messages it carried, and changes from B merged through the fan-out.
    let seen_by_a = metric_lines(&a).await;
    assert!(
        metric(&seen_by_a, "tandem_connections") >= 1.0,
        "{seen_by_a}"
    );
    assert!(metric(&seen_by_a, "tandem_documents_in_memory") >= 1.0);
    assert!(metric(&seen_by_a, "tandem_messages_received_total") >= 1.0);
    assert!(metric(&seen_by_a, "tandem_bytes_sent_total") >= 1.0);
    assert!(metric(&seen_by_a, "tandem_fanout_lag_seconds_count") >= 1.0);
    assert_eq!(metric(&seen_by_a, "tandem_storage_errors_total"), 0.0);
    live.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_through_one_process_stops_the_stream_on_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_processes(dir.path());
    let practitioner = store(dir.path(), "practitioner");
    enrol(&practitioner, &a.url, &a.enrol_code("practitioner"))
        .await
        .unwrap();
    let mut clients = Vec::new();
    for name in ["sam", "kit"] {
        let code = invite(&practitioner, InvitationKind::Client)
            .await
            .unwrap()
            .code;
        let client = store(dir.path(), name);
        join(&client, &b.url, &code).await.unwrap();
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

    // Sam withdraws the practitioner's access through B, then writes; Kit writes after that.
    revoke(sam, &sams, &practitioner.identity().person_id)
        .await
        .unwrap();
    sam.add_value(&value("Only for me now")).unwrap();
    sync(sam).await;
    kit.add_value(&value("Kit's second value")).unwrap();
    sync(kit).await;
    eventually("Kit's later edit arrives through A", || {
        seen(&kits, "Kit's second value")
    })
    .await;
    assert!(
        !seen(&sams, "Only for me now"),
        "what Sam wrote after revoking never reached the practitioner's connection to A"
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
async fn a_device_removed_through_one_process_is_cut_off_on_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_processes(dir.path());
    let phone = store(dir.path(), "phone");
    enrol(&phone, &a.url, &a.enrol_code("practitioner"))
        .await
        .unwrap();
    let code = invite(&phone, InvitationKind::Device).await.unwrap().code;
    sync(&phone).await;
    let (tablet, _) = tandem_core::sync::session::join_device(
        dir.path().join("tablet.db"),
        &b.url,
        &code,
        tandem_tests::devices::options(),
    )
    .await
    .unwrap();
    let tablet = std::sync::Arc::new(tablet);
    let live = online(&tablet).await;
    tandem_core::sync::session::remove_device(&phone, &tablet.identity().device_key)
        .await
        .unwrap();
    // Process B closes the tablet's connection when the change reaches it, with nothing asked.
    let status = live.status();
    eventually("the tablet on B hears it was removed through A", || {
        status.borrow().last_refusal == Some(tandem_core::sync::api::Reason::DeviceRemoved)
    })
    .await;
    live.stop();
}
