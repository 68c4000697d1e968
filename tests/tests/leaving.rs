//! Leaving and erasing, against a real server process (on SQLite, and on PostgreSQL with
//! `TANDEM_TEST_DATABASE=postgres`):
//!
//! - a client who stops sharing with their practitioner: the practitioner's device deletes its
//!   copy of the journey and every month of it on its next sync — not a word of it is left in
//!   the store's files — and gets it back if the client shares again;
//! - the same on a practitioner's device that is online: no restart, nothing asked;
//! - a client who erases their account: the server keeps nothing of them but the erasure's
//!   record, their devices are refused as erased, the practitioner's device drops what it
//!   held, and nobody can upload the erased journey again;
//! - the operator erasing a person with `tandem-server erase`;
//! - an erasure cut short by a crash of the server: all or nothing.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use tandem_core::journey::{CheckInInput, Outcome};
use tandem_core::sync::api::{Access, DocumentKind, InvitationKind, Reason, RegisterDocument};
use tandem_core::sync::session::{
    enrol, erase_account, invite, join, join_device, revoke, share, sync_now,
};
use tandem_core::Store;
use tandem_tests::devices::{eventually, has_words, online, options, sync, value, walk};
use tandem_tests::server_process::{database_args, server_binary, ServerProcess};

/// A practitioner (Alex) and their client (Sam), who has a value, a plan and a check-in in
/// November 2026, all synced to Alex's device.
struct Care {
    alex: Store,
    sam: Store,
    /// Sam's journey and its month of check-ins.
    journey: String,
    month: String,
}

const SAMS_WORDS: &str = "Mornings in the garden";
const SAMS_NOTE: &str = "Rain but went anyway";

async fn care(server: &ServerProcess, dir: &Path) -> Care {
    let alex = Store::open(dir.join("alex.db"), options()).unwrap();
    enrol(&alex, &server.url, &server.enrol_code("practitioner"))
        .await
        .unwrap();
    let code = invite(&alex, InvitationKind::Client).await.unwrap().code;
    let sam = Store::open(dir.join("sam.db"), options()).unwrap();
    join(&sam, &server.url, &code).await.unwrap();
    sam.add_value(&value(SAMS_WORDS)).unwrap();
    let plan = sam.add_plan(&walk()).unwrap();
    sam.check_in(&CheckInInput {
        plan_id: plan,
        date: NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(),
        time: None,
        outcome: Outcome::Done,
        reasons: vec![],
        reason_text: None,
        note: Some(SAMS_NOTE.into()),
    })
    .unwrap();
    sync(&sam).await;
    sync(&alex).await;
    let journey = sam.identity().journey_id.clone();
    let month = sam
        .own_documents()
        .unwrap()
        .into_iter()
        .find(|d| d.kind == DocumentKind::CheckIns)
        .expect("Sam has a month of check-ins")
        .doc_id;
    let care = Care {
        alex,
        sam,
        journey,
        month,
    };
    assert!(care.alex_holds(&care.journey) && care.alex_holds(&care.month));
    assert!(has_words(&care.alex, SAMS_WORDS));
    care
}

impl Care {
    fn alex_holds(&self, doc: &str) -> bool {
        self.alex.saved_document(doc).unwrap().is_some()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_who_stops_sharing_is_deleted_from_the_practitioners_device_on_its_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let c = care(&server, dir.path()).await;
    let alex_id = c.alex.identity().person_id.clone();

    revoke(&c.sam, &c.journey, &alex_id).await.unwrap();
    // Before Alex's device syncs, it still holds what it had: deletion happens on sync.
    assert!(c.alex_holds(&c.journey));
    sync(&c.alex).await;
    assert!(
        !c.alex_holds(&c.journey),
        "the journey is still on Alex's device"
    );
    assert!(
        !c.alex_holds(&c.month),
        "the month is still on Alex's device"
    );
    assert!(c
        .alex
        .linked_journey(&c.journey)
        .unwrap()
        .journey()
        .is_err());
    for words in [SAMS_WORDS, SAMS_NOTE] {
        assert!(
            !has_words(&c.alex, words),
            "{words:?} is still in the files of Alex's store"
        );
    }
    // The link stays (they may still talk in the care document); the sharing is gone.
    let link = c.alex.links().unwrap();
    assert_eq!(link.len(), 1);
    assert_eq!(link[0].journey_id, None);
    // Sam's own copy is untouched.
    assert_eq!(c.sam.journey().unwrap().values[0].text, SAMS_WORDS);

    // Sam shares again: the journey and its month come back on the next sync.
    share(&c.sam, &c.journey, &alex_id, Access::Read)
        .await
        .unwrap();
    sync(&c.alex).await;
    sync(&c.alex).await;
    assert!(c.alex_holds(&c.journey) && c.alex_holds(&c.month));
    assert!(has_words(&c.alex, SAMS_WORDS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioners_device_that_is_online_deletes_a_journey_the_moment_it_is_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let c = care(&server, dir.path()).await;
    let alex = Arc::new(c.alex);
    let live = online(&alex).await;
    revoke(&c.sam, &c.journey, &alex.identity().person_id)
        .await
        .unwrap();
    eventually(
        "Alex's online device deletes Sam's journey and month",
        || {
            alex.saved_document(&c.journey).unwrap().is_none()
                && alex.saved_document(&c.month).unwrap().is_none()
        },
    )
    .await;
    live.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_who_erases_their_account_leaves_nothing_behind_but_the_record_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let c = care(&server, dir.path()).await;
    // Sam's tablet, a second device of Sam's.
    let code = invite(&c.sam, InvitationKind::Device).await.unwrap().code;
    let (tablet, _) = join_device(dir.path().join("tablet.db"), &server.url, &code, options())
        .await
        .unwrap();
    sync(&tablet).await;
    let sam_id = c.sam.identity().person_id.clone();
    let care_doc = c.alex.links().unwrap()[0]
        .relationship_doc_id
        .clone()
        .expect("the care document");
    assert!(c.alex_holds(&care_doc));
    let alex_server = c.alex.server().unwrap().unwrap();

    erase_account(&c.sam).await.unwrap();

    // Both of Sam's devices are refused, and told why.
    for device in [&c.sam, &tablet] {
        let refused = sync_now(device, &|_| {}).await.unwrap_err();
        assert_eq!(refused.refusal(), Some(Reason::AccountErased), "{refused}");
    }
    // Alex's device drops Sam's journey, month and care document, and Sam from its links.
    sync(&c.alex).await;
    for doc in [&c.journey, &c.month, &care_doc] {
        assert!(!c.alex_holds(doc), "{doc} is still on Alex's device");
    }
    assert!(c.alex.links().unwrap().is_empty());
    assert!(!has_words(&c.alex, SAMS_WORDS));
    // Nobody can upload the erased journey again: the server refuses its id.
    let refused = reqwest::Client::new()
        .post(format!("{}/v1/documents", server.url))
        .bearer_auth(c.alex.token(&alex_server.server_id))
        .json(&RegisterDocument {
            doc_id: c.journey.clone(),
            kind: DocumentKind::Journey,
            journey_id: None,
            with_person: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), reqwest::StatusCode::GONE);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "erased");

    // In the server's database, Sam's id and device appear only in the erasure's record; the
    // ids of Sam's documents there and in the list that tells Alex's devices to delete them.
    for needle in [&sam_id, &c.sam.identity().device_key] {
        let found = tables_holding(&server, needle);
        assert_eq!(found, ["erased"], "{needle} is in {found:?}");
    }
    for doc in [&c.journey, &c.month, &care_doc] {
        let found = tables_holding(&server, doc);
        assert_eq!(found, ["erased", "withdrawn"], "{doc} is in {found:?}");
    }

    // Sam's devices erase what they hold (the app does so when told).
    let paths = [c.sam.path().to_path_buf(), tablet.path().to_path_buf()];
    drop((c.sam, tablet));
    for path in paths {
        tandem_core::store::erase_store(&path).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_erases_a_person_with_tandem_server_erase() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let c = care(&server, dir.path()).await;
    let sam_id = c.sam.identity().person_id.clone();

    let erase = |person: &str| {
        std::process::Command::new(server_binary())
            .args(database_args(&server.data_dir))
            .args(["erase", "--person", person, "--data-dir"])
            .arg(&server.data_dir)
            .output()
            .unwrap()
    };
    let unknown = erase("NoSuchPerson1111111111");
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("no person NoSuchPerson1111111111"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
    let done = erase(&sam_id);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(String::from_utf8_lossy(&done.stderr).contains("1 other people"));

    let refused = sync_now(&c.sam, &|_| {}).await.unwrap_err();
    assert_eq!(refused.refusal(), Some(Reason::AccountErased), "{refused}");
    sync(&c.alex).await;
    assert!(!c.alex_holds(&c.journey) && !c.alex_holds(&c.month));
    assert_eq!(tables_holding(&server, &sam_id), ["erased"]);
}

/// An erasure cut short by a crash (the server killed with SIGKILL a random moment after the
/// request left) is all or nothing: after a restart, either nothing of the person is left but
/// the erasure's record and their device is refused as erased, or all of them is there and
/// syncs as before — never half an account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_cut_short_by_a_crash_is_all_or_nothing() {
    let (mut erased, mut kept) = (0, 0);
    for round in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("server");
        let server = ServerProcess::start(&data);
        let port = server.port();
        let c = care(&server, dir.path()).await;
        let sam_id = c.sam.identity().person_id.clone();
        let token = c.sam.token(&c.sam.server().unwrap().unwrap().server_id);
        let url = format!("{}/v1/account/erase", server.url);
        let body = serde_json::json!({ "person_id": sam_id });
        let request = tokio::spawn(async move {
            // The request and the crash race: either may come first.
            tokio::time::sleep(std::time::Duration::from_micros(rand_micros())).await;
            let _ = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await;
        });
        tokio::time::sleep(std::time::Duration::from_micros(rand_micros())).await;
        server.kill();
        let _ = request.await;
        let server = ServerProcess::start_on(&data, port);
        let holding = tables_holding(&server, &sam_id);
        if holding.contains(&"erased".to_string()) {
            assert_eq!(holding, ["erased"], "round {round}: half an erasure");
            let refused = sync_now(&c.sam, &|_| {}).await.unwrap_err();
            assert_eq!(refused.refusal(), Some(Reason::AccountErased), "{refused}");
            erased += 1;
        } else {
            assert!(
                holding.contains(&"people".to_string()),
                "round {round}: {holding:?}"
            );
            sync(&c.sam).await;
            sync(&c.alex).await;
            assert!(
                c.alex_holds(&c.journey),
                "round {round}: Sam's journey left Alex"
            );
            kept += 1;
        }
    }
    println!("erasures cut short by SIGKILL: {erased} whole, {kept} left the account whole");
}

fn rand_micros() -> u64 {
    use rand::Rng;
    rand::thread_rng().gen_range(0..1_500)
}

/// The tables of the server's database with a row holding `needle` (as text, or as the bytes
/// of a document's stored rows).
fn tables_holding(server: &ServerProcess, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    match std::fs::read_to_string(server.data_dir.join("database-url")) {
        Err(_) => {
            let db = rusqlite::Connection::open(server.data_dir.join("tandem-server.db")).unwrap();
            let tables: Vec<String> = db
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for table in tables {
                let mut rows = db.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
                let columns = rows.column_count();
                let mut rows = rows.query([]).unwrap();
                let mut holds = false;
                while let Some(row) = rows.next().unwrap() {
                    for i in 0..columns {
                        let bytes = match row.get_ref(i).unwrap() {
                            ValueRef::Text(t) | ValueRef::Blob(t) => t.to_vec(),
                            _ => continue,
                        };
                        holds |= bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
                    }
                }
                if holds {
                    found.push(table);
                }
            }
        }
        Ok(url) => {
            let url = url.trim();
            let db = url.rsplit('/').next().unwrap().split('?').next().unwrap();
            let cluster = tandem_testdb::cluster();
            let tables = cluster
                .psql(
                    db,
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
                )
                .unwrap();
            let hex: String = needle.bytes().map(|b| format!("{b:02x}")).collect();
            for table in tables.lines() {
                let rows = cluster
                    .psql(db, &format!("SELECT t::text FROM \"{table}\" t"))
                    .unwrap();
                if rows.contains(needle) || rows.contains(&hex) {
                    found.push(table.to_string());
                }
            }
        }
    }
    found.sort();
    found
}
