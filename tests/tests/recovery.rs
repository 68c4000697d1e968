//! Recovery, against a real server process (on SQLite, and on PostgreSQL with
//! `TANDEM_TEST_DATABASE=postgres`): a person whose every device is lost gets back into their
//! account with the recovery code they were shown when they joined — their journey comes back
//! from the server, the lost phone is removed, the code is used up and a new one replaces it —
//! or with a new code the operator makes (`tandem-server recovery-code`).

use tandem_core::sync::api::{InvitationKind, Reason};
use tandem_core::sync::session::{devices, enrol, invite, join, recover, sync_now};
use tandem_core::Store;
use tandem_tests::devices::{options, sync, value};
use tandem_tests::server_process::{database_args, server_binary, ServerProcess};

const SAMS_WORDS: &str = "Mornings in the garden";

/// Sam, a client of Alex's, with a value synced; Sam's recovery code.
async fn sam(server: &ServerProcess, dir: &std::path::Path) -> (Store, Store, String) {
    let alex = Store::open(dir.join("alex.db"), options()).unwrap();
    let enrolled = enrol(&alex, &server.url, &server.enrol_code("practitioner"))
        .await
        .unwrap();
    assert!(
        enrolled.recovery_code.is_some(),
        "an enrolment gives a recovery code"
    );
    let code = invite(&alex, InvitationKind::Client).await.unwrap().code;
    let sam = Store::open(dir.join("sam.db"), options()).unwrap();
    let joined = join(&sam, &server.url, &code).await.unwrap();
    let recovery = joined
        .recovery_code
        .expect("joining as a new person gives a recovery code");
    sam.add_value(&value(SAMS_WORDS)).unwrap();
    sync(&sam).await;
    (alex, sam, recovery)
}

fn values(store: &Store) -> Vec<String> {
    store
        .journey()
        .map(|j| j.values.into_iter().map(|v| v.text).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_who_lost_every_device_gets_their_journey_back_with_their_recovery_code() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let (alex, lost_phone, code) = sam(&server, dir.path()).await;

    let (new_phone, joined) = recover(dir.path().join("new.db"), &server.url, &code, options())
        .await
        .unwrap();
    assert_eq!(joined.person_id, lost_phone.identity().person_id);
    let fresh_code = joined
        .recovery_code
        .clone()
        .expect("a new code replaces the used one");
    assert_ne!(fresh_code, code);
    sync(&new_phone).await;
    assert_eq!(values(&new_phone), [SAMS_WORDS], "the journey came back");
    // The lost phone is removed from the account: refused, and told why.
    let refused = sync_now(&lost_phone, &|_| {}).await.unwrap_err();
    assert_eq!(refused.refusal(), Some(Reason::DeviceRemoved), "{refused}");
    assert_eq!(devices(&new_phone).await.unwrap().len(), 1);
    // Alex still works with Sam: the new phone's edits reach him.
    new_phone.add_value(&value("Back on my feet")).unwrap();
    sync(&new_phone).await;
    sync(&alex).await;
    let on_alex = alex
        .linked_journey(&joined.journey_id)
        .unwrap()
        .journey()
        .unwrap();
    assert_eq!(on_alex.values.len(), 2);

    // The code used no longer works; a wrong one is refused the same way.
    for (i, used) in [code.as_str(), "0000-0000-0000"].into_iter().enumerate() {
        let path = dir.path().join(format!("other-{i}.db"));
        let refused = recover(path, &server.url, used, options())
            .await
            .map(|_| ())
            .unwrap_err();
        assert_eq!(refused.refusal(), Some(Reason::UnknownCode), "{refused}");
    }
    // A store that already holds a journey of its own cannot take over an account.
    drop(alex);
    let refused = recover(
        dir.path().join("alex.db"),
        &server.url,
        &fresh_code,
        options(),
    )
    .await
    .map(|_| ())
    .unwrap_err();
    assert_eq!(refused.refusal(), None, "refused on the device: {refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_makes_a_new_recovery_code_and_the_old_one_stops_working() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let (_alex, sam, old_code) = sam(&server, dir.path()).await;
    let operator = |person: &str| {
        std::process::Command::new(server_binary())
            .args(database_args(&server.data_dir))
            .args(["recovery-code", "--person", person, "--data-dir"])
            .arg(&server.data_dir)
            .output()
            .unwrap()
    };
    let unknown = operator("NoSuchPerson1111111111");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no person"));
    let made = operator(&sam.identity().person_id);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let new_code = String::from_utf8(made.stdout).unwrap().trim().to_string();

    let refused = recover(dir.path().join("a.db"), &server.url, &old_code, options())
        .await
        .map(|_| ())
        .unwrap_err();
    assert_eq!(refused.refusal(), Some(Reason::UnknownCode), "{refused}");
    let (phone, _) = recover(dir.path().join("b.db"), &server.url, &new_code, options())
        .await
        .unwrap();
    sync(&phone).await;
    assert_eq!(values(&phone), [SAMS_WORDS]);
}
