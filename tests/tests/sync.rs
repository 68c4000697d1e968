//! People on their own devices, working offline, meeting through a real `tandem-server` on
//! 127.0.0.1: a practitioner, their client, their coach, and a second device.

use chrono::{NaiveDate, NaiveTime};
use tandem_core::journey::*;
use tandem_core::sync::api::{InvitationKind, Role};
use tandem_core::sync::session::{enrol, invite, join, join_device, sync_now};
use tandem_core::{OpenOptions, Store};
use tandem_tests::devices::{sync, walk};
use tandem_tests::server_process::ServerProcess;

fn options() -> OpenOptions {
    OpenOptions {
        time_zone: Some("Europe/London".into()),
        ..Default::default()
    }
}

fn store(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(dir.path().join(format!("{name}.db")), options()).unwrap()
}

/// Where a second device's store is made (by joining with a device code).
fn tablet_path(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("tablet.db")
}

fn quiet(_: tandem_core::sync::SyncStatus) {}

/// The walk `plan` done on `date`.
fn walked(plan: &str, date: NaiveDate) -> CheckInInput {
    CheckInInput {
        plan_id: plan.to_string(),
        date,
        time: None,
        outcome: Outcome::Done,
        reasons: vec![],
        reason_text: None,
        note: None,
    }
}

struct People {
    practitioner: Store,
    client: Store,
    coach: Store,
}

/// A coach and a practitioner enrolled by the operator; the practitioner invites a client and
/// the coach invites the practitioner.
async fn people(server: &ServerProcess, dir: &tempfile::TempDir) -> People {
    let practitioner = store(dir, "practitioner");
    let coach = store(dir, "coach");
    let enrolled = enrol(
        &practitioner,
        &server.url,
        &server.enrol_code("practitioner"),
    )
    .await
    .unwrap();
    assert_eq!(enrolled.role, Role::Practitioner);
    enrol(&coach, &server.url, &server.enrol_code("coach"))
        .await
        .unwrap();

    let code = invite(&practitioner, InvitationKind::Client)
        .await
        .unwrap()
        .code;
    let client = store(dir, "client");
    let joined = join(&client, &server.url, &code).await.unwrap();
    assert_eq!(joined.role, Role::Client);
    assert_eq!(
        joined.linked.as_ref().map(|l| l.person_id.as_str()),
        Some(practitioner.identity().person_id.as_str())
    );
    let code = invite(&coach, InvitationKind::Practitioner)
        .await
        .unwrap()
        .code;
    join(&practitioner, &server.url, &code).await.unwrap();
    People {
        practitioner,
        client,
        coach,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_edits_to_one_plan_by_client_and_practitioner_converge_in_either_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let People {
        practitioner,
        client,
        ..
    } = people(&server, &dir).await;

    let plan = client.add_plan(&walk()).unwrap();
    sync(&client).await;
    sync(&practitioner).await;
    let client_journey = client.identity().journey_id.clone();
    let link = practitioner
        .links()
        .unwrap()
        .into_iter()
        .find(|l| l.person_id == client.identity().person_id)
        .expect("the practitioner is linked to the client");
    assert_eq!(link.journey_id.as_deref(), Some(client_journey.as_str()));
    let seen = practitioner.linked_journey(&client_journey).unwrap();
    assert_eq!(
        seen.journey().unwrap().plan(&plan).unwrap().what,
        "Walk round the park"
    );

    // Both offline: the client names a barrier, the practitioner moves the walk to 09:00.
    let mut by_client = walk();
    by_client.barriers = Some("Dark mornings".into());
    client.update_plan(&plan, &by_client).unwrap();
    let mut by_practitioner = walk();
    by_practitioner.schedule.times = vec![NaiveTime::from_hms_opt(9, 0, 0).unwrap()];
    seen.update_plan(&plan, &by_practitioner).unwrap();

    // Practitioner first this time; the other order below.
    sync(&practitioner).await;
    sync(&client).await;
    sync(&practitioner).await;
    let on_client = client.journey().unwrap();
    let on_practitioner = practitioner
        .linked_journey(&client_journey)
        .unwrap()
        .journey()
        .unwrap();
    assert_eq!(on_client, on_practitioner);
    let merged = on_client.plan(&plan).unwrap();
    assert_eq!(merged.barriers.as_deref(), Some("Dark mornings"));
    assert_eq!(
        merged.schedule.times,
        vec![NaiveTime::from_hms_opt(9, 0, 0).unwrap()]
    );

    // Client first: a check-in and a new place, against the practitioner's new duration.
    let mut by_client = PlanInput::from(merged);
    by_client.place = Some("Victoria Park".into());
    client.update_plan(&plan, &by_client).unwrap();
    let check_in = CheckInInput {
        plan_id: plan.clone(),
        date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        time: None,
        outcome: Outcome::Partly,
        reasons: vec![Reason::LowMood],
        reason_text: None,
        note: None,
    };
    client.check_in(&check_in).unwrap();
    let mut by_practitioner = PlanInput::from(merged);
    by_practitioner.duration_minutes = Some(30);
    practitioner
        .linked_journey(&client_journey)
        .unwrap()
        .update_plan(&plan, &by_practitioner)
        .unwrap();
    sync(&client).await;
    sync(&practitioner).await;
    sync(&client).await;
    let on_client = client.journey().unwrap();
    let seen = practitioner.linked_journey(&client_journey).unwrap();
    assert_eq!(on_client, seen.journey().unwrap());
    let merged = on_client.plan(&plan).unwrap();
    assert_eq!(merged.place.as_deref(), Some("Victoria Park"));
    assert_eq!(merged.duration_minutes, Some(30));
    let november = |s: &Store| s.check_ins(check_in.date, check_in.date).unwrap();
    assert_eq!(november(&client).len(), 1);
    let theirs = seen.check_ins(check_in.date, check_in.date).unwrap();
    assert_eq!(
        theirs,
        november(&client),
        "the practitioner sees the client's check-in"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coach_never_receives_the_clients_journey() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let People {
        practitioner,
        client,
        coach,
    } = people(&server, &dir).await;
    client.add_plan(&walk()).unwrap();
    sync(&client).await;
    sync(&practitioner).await;
    sync(&coach).await;
    let client_journey = client.identity().journey_id.clone();
    assert!(coach
        .links()
        .unwrap()
        .iter()
        .all(|l| l.journey_id.as_deref() != Some(client_journey.as_str())));
    assert!(
        coach
            .linked_journey(&client_journey)
            .unwrap()
            .journey()
            .is_err(),
        "the client's journey is not in the coach's store"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_device_catches_up_from_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let phone = store(&dir, "phone");
    enrol(&phone, &server.url, &server.enrol_code("practitioner"))
        .await
        .unwrap();
    phone
        .add_value(&ValueInput {
            text: "Evenings that are mine".into(),
            life_area: LifeArea::Family,
            importance: 9,
        })
        .unwrap();
    let plan = phone.add_plan(&walk()).unwrap();
    phone
        .check_in(&walked(
            &plan,
            NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(),
        ))
        .unwrap();
    sync(&phone).await;
    let code = invite(&phone, InvitationKind::Device).await.unwrap().code;
    let (tablet, joined) = join_device(tablet_path(&dir), &server.url, &code, options())
        .await
        .unwrap();
    assert_eq!(joined.person_id, phone.identity().person_id);
    sync(&tablet).await;
    assert_eq!(tablet.identity().person_id, phone.identity().person_id);
    assert_eq!(tablet.journey().unwrap(), phone.journey().unwrap());
    let day = NaiveDate::from_ymd_opt(2026, 11, 4).unwrap();
    assert_eq!(
        tablet.check_ins(day, day).unwrap(),
        phone.check_ins(day, day).unwrap()
    );
}

/// Waits (bounded) until `check` holds, polling; panics with `what` if it never does.
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..400 {
        if check() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen within 20 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_online_devices_see_each_others_edits_with_no_sync_call_and_report_when_the_server_is_gone(
) {
    use std::sync::Arc;
    use tandem_core::sync::service::SyncService;
    use tandem_core::sync::SyncState;

    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let (phone, tablet) = tandem_tests::devices::phone_and_tablet(&server, dir.path()).await;
    let (phone, tablet) = (Arc::new(phone), Arc::new(tablet));
    let phone_sync = SyncService::start(phone.clone());
    let tablet_sync = SyncService::start(tablet.clone());
    let (status, tablet_status) = (phone_sync.status(), tablet_sync.status());
    assert_eq!(
        status.borrow().state,
        SyncState::Offline,
        "offline until told"
    );
    phone_sync.set_online(true);
    tablet_sync.set_online(true);
    eventually("both devices are live", || {
        status.borrow().state == SyncState::Live && tablet_status.borrow().state == SyncState::Live
    })
    .await;
    assert!(status.borrow().last_synced_at.is_some());
    let has_value = |store: &Store, text: &str| {
        store
            .journey()
            .map(|j| j.values.iter().any(|v| v.text == text))
            .unwrap_or(false)
    };

    // An edit on the phone reaches the tablet with nobody asking for a sync, and the tablet's
    // observers hear of it...
    let mut tablet_changes = tablet.watch_changes();
    let remote_before = tablet_changes.borrow_and_update().remote;
    phone
        .add_value(&ValueInput {
            text: "Quiet mornings".into(),
            life_area: LifeArea::Health,
            importance: 7,
        })
        .unwrap();
    eventually("the phone's edit reaches the tablet", || {
        has_value(&tablet, "Quiet mornings")
    })
    .await;
    // (The store has the edit a moment before its observers are told.)
    eventually("the tablet's observers hear of it", || {
        tablet_changes.borrow().remote > remote_before
    })
    .await;
    // ...and one on the tablet reaches the phone.
    tablet
        .add_value(&ValueInput {
            text: "Tea with Sam".into(),
            life_area: LifeArea::Relationships,
            importance: 8,
        })
        .unwrap();
    eventually("the tablet's edit reaches the phone", || {
        has_value(&phone, "Tea with Sam")
    })
    .await;

    // The server goes away: the phone keeps working and says why it cannot sync.
    server.kill();
    phone
        .add_value(&ValueInput {
            text: "Walks after work".into(),
            life_area: LifeArea::Health,
            importance: 6,
        })
        .unwrap();
    eventually("the phone reports the lost server", || {
        let s = status.borrow();
        s.state == SyncState::Offline && s.last_error.is_some()
    })
    .await;
    assert_eq!(
        phone.journey().unwrap().values.len(),
        3,
        "work goes on offline"
    );
    phone_sync.stop();
    tablet_sync.stop();
}

/// The core's side of a tablet that joins before the phone ever synced: each session asks the
/// server again for what it answered "unavailable" before (a new samod repo per session), so
/// the journey and its months arrive once the phone has sent them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_joined_before_the_first_device_synced_catches_up_later() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let phone = store(&dir, "phone");
    enrol(&phone, &server.url, &server.enrol_code("practitioner"))
        .await
        .unwrap();
    let plan = phone.add_plan(&walk()).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 4).unwrap();
    phone.check_in(&walked(&plan, day)).unwrap();
    let code = invite(&phone, InvitationKind::Device).await.unwrap().code;
    let (tablet, _) = join_device(tablet_path(&dir), &server.url, &code, options())
        .await
        .unwrap();
    let early = sync_now(&tablet, &quiet).await.unwrap();
    assert_eq!((early.documents, early.unavailable), (0, 2));
    assert!(tablet.journey().is_err(), "nothing to show yet");

    sync(&phone).await;
    // Journey, private document and the month of check-ins.
    let late = sync_now(&tablet, &quiet).await.unwrap();
    assert_eq!((late.documents, late.unavailable), (3, 0));
    assert_eq!(tablet.journey().unwrap(), phone.journey().unwrap());
    assert_eq!(
        tablet.check_ins(day, day).unwrap(),
        phone.check_ins(day, day).unwrap()
    );
}
