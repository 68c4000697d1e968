//! A practitioner who leaves the service, against a real server process (on SQLite, and on
//! PostgreSQL with `TANDEM_TEST_DATABASE=postgres`):
//!
//! - the operator deactivates Alex with `tandem-server deactivate`, offering her clients Jo;
//! - Alex's phone deletes her clients' journeys on its next sync, keeps her own journey, and
//!   can no longer invite;
//! - Jo learns nothing of any client before that client agrees;
//! - Sam agrees (consenting to the current text): his journey reaches Jo, with the name the
//!   operator gave in Sam's care document; Kim declines: nothing of hers reaches Jo.

use std::path::Path;
use std::process::Output;

use chrono::NaiveDate;
use tandem_core::journey::{CheckInInput, Outcome};
use tandem_core::sync::api::{Access, InvitationKind, Reason};
use tandem_core::sync::session::{
    answer_handover, enrol, handovers, invite, join, sync_now, CONSENT_TEXT_VERSION,
};
use tandem_core::Store;
use tandem_tests::devices::{has_words, options, sync, value, walk};
use tandem_tests::server_process::{database_args, server_binary, ServerProcess};

const SAMS_WORDS: &str = "Evenings with my brother";
const KIMS_WORDS: &str = "Swimming before work";

/// Runs `tandem-server deactivate` with `args` on `server`'s storage.
fn deactivate(server: &ServerProcess, args: &[&str]) -> Output {
    std::process::Command::new(server_binary())
        .args(database_args(&server.data_dir))
        .arg("deactivate")
        .args(args)
        .arg("--data-dir")
        .arg(&server.data_dir)
        .output()
        .unwrap()
}

fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A client of `practitioner` with a value (`words`), a plan and a check-in, synced.
async fn client(
    server: &ServerProcess,
    dir: &Path,
    name: &str,
    practitioner: &Store,
    words: &str,
) -> Store {
    let code = invite(practitioner, InvitationKind::Client)
        .await
        .unwrap()
        .code;
    let store = Store::open(dir.join(format!("{name}.db")), options()).unwrap();
    join(&store, &server.url, &code).await.unwrap();
    store.add_value(&value(words)).unwrap();
    let plan = store.add_plan(&walk()).unwrap();
    store
        .check_in(&CheckInInput {
            plan_id: plan,
            date: NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(),
            time: None,
            outcome: Outcome::Done,
            reasons: vec![],
            reason_text: None,
            note: None,
        })
        .unwrap();
    sync(&store).await;
    store
}

async fn practitioner(server: &ServerProcess, dir: &Path, name: &str) -> Store {
    let store = Store::open(dir.join(format!("{name}.db")), options()).unwrap();
    enrol(&store, &server.url, &server.enrol_code("practitioner"))
        .await
        .unwrap();
    store
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_who_leaves_takes_no_client_with_her_and_each_client_chooses_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let alex = practitioner(&server, dir.path(), "alex").await;
    alex.add_value(&value("My own allotment")).unwrap();
    let sam = client(&server, dir.path(), "sam", &alex, SAMS_WORDS).await;
    let kim = client(&server, dir.path(), "kim", &alex, KIMS_WORDS).await;
    sync(&alex).await;
    assert!(has_words(&alex, SAMS_WORDS) && has_words(&alex, KIMS_WORDS));
    let jo = practitioner(&server, dir.path(), "jo").await;
    sync(&jo).await;
    let alex_id = alex.identity().person_id.clone();
    let jo_id = jo.identity().person_id.clone();
    let sam_id = sam.identity().person_id.clone();

    // The operator's mistakes are refused, and change nothing.
    let of_a_client = deactivate(&server, &["--person", &sam_id]);
    assert!(!of_a_client.status.success());
    assert!(
        said(&of_a_client).contains("erasing their account"),
        "{}",
        said(&of_a_client)
    );
    let to_a_client = deactivate(&server, &["--person", &alex_id, "--hand-over-to", &sam_id]);
    assert!(!to_a_client.status.success());
    assert!(said(&to_a_client).contains("from one practitioner to another"));
    assert!(handovers(&sam).await.unwrap().is_empty());

    let done = deactivate(
        &server,
        &[
            "--person",
            &alex_id,
            "--hand-over-to",
            &jo_id,
            "--name",
            "Jo Rivers",
        ],
    );
    assert!(done.status.success(), "{}", said(&done));
    assert!(
        said(&done).contains("2 clients are offered"),
        "{}",
        said(&done)
    );
    let again = deactivate(&server, &["--person", &alex_id]);
    assert!(!again.status.success());
    assert!(
        said(&again).contains("already deactivated"),
        "{}",
        said(&again)
    );

    // Alex's phone deletes her clients' journeys, keeps her own, and may not invite.
    sync(&alex).await;
    assert!(
        !has_words(&alex, SAMS_WORDS),
        "Sam's words are still on Alex's phone"
    );
    assert!(
        !has_words(&alex, KIMS_WORDS),
        "Kim's words are still on Alex's phone"
    );
    assert!(alex.links().unwrap().is_empty());
    assert_eq!(
        alex.journey().unwrap().values.len(),
        1,
        "Alex keeps her own journey"
    );
    let refused = invite(&alex, InvitationKind::Client).await.unwrap_err();
    assert_eq!(refused.refusal(), Some(Reason::Deactivated), "{refused}");

    // Offered is not shared: Jo learns nothing of Sam or Kim yet.
    sync(&jo).await;
    assert!(jo.links().unwrap().is_empty());
    assert!(!has_words(&jo, SAMS_WORDS) && !has_words(&jo, KIMS_WORDS));
    assert!(jo
        .saved_document(&sam.identity().journey_id)
        .unwrap()
        .is_none());

    // Each client sees the offer, with the name the operator gave.
    let offers = handovers(&sam).await.unwrap();
    assert_eq!(offers.len(), 1, "{offers:?}");
    assert_eq!(offers[0].from_person_id, alex_id);
    assert_eq!(offers[0].to_person_id, jo_id);
    assert_eq!(offers[0].to_name.as_deref(), Some("Jo Rivers"));
    assert_eq!(handovers(&kim).await.unwrap().len(), 1);
    // Nobody else can answer an offer made to Sam.
    let not_hers = answer_handover(&jo, &jo_id, true).await.unwrap_err();
    assert_eq!(not_hers.refusal(), Some(Reason::NoHandover), "{not_hers}");

    // Kim declines: the offer is gone and nothing of hers reaches Jo.
    assert!(answer_handover(&kim, &jo_id, false)
        .await
        .unwrap()
        .is_none());
    assert!(handovers(&kim).await.unwrap().is_empty());
    let twice = answer_handover(&kim, &jo_id, true).await.unwrap_err();
    assert_eq!(twice.refusal(), Some(Reason::NoHandover), "{twice}");

    // Sam agrees: linked to Jo as by Jo's own code.
    let joined = answer_handover(&sam, &jo_id, true)
        .await
        .unwrap()
        .expect("agreeing links Sam to Jo");
    let linked = joined.linked.expect("the answer names Jo");
    assert_eq!(linked.person_id, jo_id);
    assert_eq!(linked.their_access, Some(Access::Write));
    assert!(handovers(&sam).await.unwrap().is_empty());
    sync(&sam).await;
    let people = sam.people(chrono::Utc::now()).unwrap();
    let with_jo = people
        .iter()
        .find(|p| p.person_id == jo_id)
        .expect("Sam's People list Jo");
    assert_eq!(with_jo.name.as_deref(), Some("Jo Rivers"));
    assert_eq!(with_jo.shares_my_journey, Some(Access::Write));
    assert!(
        with_jo
            .consents
            .iter()
            .any(|c| c.text_version == CONSENT_TEXT_VERSION),
        "the care document keeps the consent Sam agreed to: {:?}",
        with_jo.consents
    );
    assert!(people.iter().all(|p| p.person_id != alex_id));

    sync(&jo).await;
    let jos = jo.links().unwrap();
    assert_eq!(jos.len(), 1, "{jos:?}");
    assert_eq!(jos[0].person_id, sam_id);
    assert_eq!(jos[0].access, Some(Access::Write));
    assert!(has_words(&jo, SAMS_WORDS), "Sam's journey reached Jo");
    assert!(
        !has_words(&jo, KIMS_WORDS),
        "Kim declined: nothing of hers on Jo's phone"
    );
    assert!(!has_words(&alex, SAMS_WORDS));

    // Alex's phone keeps working for her own journey.
    sync_now(&alex, &|_| {})
        .await
        .expect("Alex still syncs her own journey");
}
