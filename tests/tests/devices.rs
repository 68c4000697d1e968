//! A person's devices, against a real server process: each listed with its name and when it
//! was last seen; a lost tablet removed from the phone is cut off at once — its live
//! connection ends, the server refuses it, it learns that it was removed — and can erase what
//! it holds; the phone goes on syncing.

use std::sync::Arc;

use tandem_core::sync::api::Reason;
use tandem_core::sync::session::{devices, name_device, remove_device, sync_now};
use tandem_tests::devices::{eventually, online, phone_and_tablet, sync, value};
use tandem_tests::server_process::ServerProcess;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_tablet_removed_from_the_phone_is_cut_off_at_once_and_can_erase_itself() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let (phone, tablet) = phone_and_tablet(&server, dir.path()).await;
    name_device(&phone, "Alex's phone").await.unwrap();
    name_device(&tablet, "Alex's tablet").await.unwrap();
    let tablet = Arc::new(tablet);
    let live = online(&tablet).await;

    let listed = devices(&phone).await.unwrap();
    assert_eq!(listed.len(), 2);
    let here = listed.iter().find(|d| d.this_device).unwrap();
    assert_eq!(here.name.as_deref(), Some("Alex's phone"));
    let lost = listed.iter().find(|d| !d.this_device).unwrap().clone();
    assert_eq!(lost.name.as_deref(), Some("Alex's tablet"));
    assert_eq!(lost.device_id, tablet.identity().device_key);
    assert!(lost.last_seen_at.is_some());
    assert!(remove_device(&phone, &phone.identity().device_key)
        .await
        .is_err());

    remove_device(&phone, &lost.device_id).await.unwrap();
    // The tablet's open connection closes, and it hears why, with nothing asked.
    let status = live.status();
    eventually("the tablet hears it was removed", || {
        status.borrow().last_refusal == Some(Reason::DeviceRemoved)
    })
    .await;
    live.stop();
    let refused = sync_now(&tablet, &|_| {}).await.unwrap_err();
    assert_eq!(refused.refusal(), Some(Reason::DeviceRemoved), "{refused}");

    // The phone goes on: one device listed, and its edits sync.
    assert_eq!(devices(&phone).await.unwrap().len(), 1);
    phone
        .add_value(&value("Sleeping with the phone in the kitchen"))
        .unwrap();
    sync(&phone).await;

    // The removed tablet erases what it holds: refused while open, done once closed.
    let path = tablet.path().to_path_buf();
    assert!(
        tandem_core::store::erase_store(&path).is_err(),
        "open: not erased"
    );
    drop(tablet);
    tandem_core::store::erase_store(&path).unwrap();
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("tablet.db"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_reads_when_their_practitioners_device_last_synced_their_journey() {
    use tandem_core::sync::api::InvitationKind;
    use tandem_core::sync::session::{access_log, enrol, invite, join};
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let options = tandem_tests::devices::options;
    let alex = tandem_core::Store::open(dir.path().join("alex.db"), options()).unwrap();
    enrol(&alex, &server.url, &server.enrol_code("practitioner"))
        .await
        .unwrap();
    let code = invite(&alex, InvitationKind::Client).await.unwrap().code;
    let sam = tandem_core::Store::open(dir.path().join("sam.db"), options()).unwrap();
    sam.add_value(&value("Mornings in the garden")).unwrap();
    join(&sam, &server.url, &code).await.unwrap();
    sync(&sam).await;
    // Nobody else has synced Sam's journey yet: Sam's own device does not count.
    assert_eq!(access_log(&sam).await.unwrap(), vec![]);

    sync(&alex).await;
    // Recorded as the server sends, beside the sync: look until it is there.
    let mut seen = Vec::new();
    for _ in 0..200 {
        seen = access_log(&sam).await.unwrap();
        if !seen.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].person_id, alex.identity().person_id);
    assert_eq!(seen[0].device_id, alex.identity().device_key);
    // Sam never received Alex's own journey: Alex's log is empty.
    assert_eq!(access_log(&alex).await.unwrap(), vec![]);
}
