//! What the sync tests share: the stores' options, one person's phone and tablet on a real
//! server, a one-shot sync that must succeed, a plan to work on, and a bounded wait.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime, Weekday};
use tandem_core::journey::{Journey, LifeArea, Party, PlanInput, Repeat, Schedule, ValueInput};
use tandem_core::sync::service::SyncService;
use tandem_core::sync::SyncState;

use tandem_core::sync::api::InvitationKind;
use tandem_core::sync::session::{enrol, invite, join, join_device, sync_now};
use tandem_core::{OpenOptions, Store};

use crate::server_process::ServerProcess;

/// Enrols `practitioner` and `coach` on `server` and links them: the coach invites, the
/// practitioner joins, and both sync, so each holds their one coaching document.
pub async fn practitioner_and_coach(server: &ServerProcess, practitioner: &Store, coach: &Store) {
    enrol(
        practitioner,
        &server.url,
        &server.enrol_code("practitioner"),
    )
    .await
    .unwrap();
    enrol(coach, &server.url, &server.enrol_code("coach"))
        .await
        .unwrap();
    let code = invite(coach, InvitationKind::Practitioner)
        .await
        .unwrap()
        .code;
    join(practitioner, &server.url, &code).await.unwrap();
    sync(practitioner).await;
    sync(coach).await;
}

/// How the tests open stores: scheduled in London.
pub fn options() -> OpenOptions {
    OpenOptions {
        time_zone: Some("Europe/London".into()),
        ..Default::default()
    }
}

/// A one-shot sync of `store` that must succeed.
pub async fn sync(store: &Store) {
    sync_now(store, &|_| {}).await.expect("sync succeeds");
}

/// A practitioner's phone (`phone.db` in `dir`), enrolled on `server` and synced, and their
/// tablet (`tablet.db`), joined with a device code the phone made.
pub async fn phone_and_tablet(server: &ServerProcess, dir: &Path) -> (Store, Store) {
    let phone = Store::open(dir.join("phone.db"), options()).expect("the phone's store");
    enrol(&phone, &server.url, &server.enrol_code("practitioner"))
        .await
        .expect("the phone enrols");
    let code = invite(&phone, InvitationKind::Device)
        .await
        .expect("a device code")
        .code;
    sync_now(&phone, &|_| {}).await.expect("the phone syncs");
    let (tablet, _) = join_device(dir.join("tablet.db"), &server.url, &code, options())
        .await
        .expect("the tablet joins");
    (phone, tablet)
}

/// Waits (at most a minute, looking every 50 ms) until `check` holds; panics with `what`.
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..1200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen within a minute");
}

/// The tests' walk: Monday, Wednesday and Friday at 08:00 from 2 Nov 2026, agreed by the
/// person and their supporter.
pub fn walk() -> PlanInput {
    PlanInput {
        what: "Walk round the park".into(),
        place: None,
        schedule: Schedule {
            repeat: Repeat::Weekly {
                days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
            },
            times: vec![NaiveTime::from_hms_opt(8, 0, 0).expect("08:00")],
        },
        duration_minutes: Some(20),
        goal_id: None,
        step_id: None,
        barriers: None,
        supports: None,
        agreed_by: vec![Party::Myself, Party::Supporter],
        reminder: true,
        start: NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date"),
        end: None,
    }
}

/// `<name>.db` in `dir`, shared with a sync service.
pub fn live_store(dir: &Path, name: &str) -> Arc<Store> {
    Arc::new(Store::open(dir.join(format!("{name}.db")), options()).unwrap())
}

/// A health value of importance 7.
pub fn value(text: &str) -> ValueInput {
    ValueInput {
        text: text.into(),
        life_area: LifeArea::Health,
        importance: 7,
    }
}

/// Whether `journey` was read and holds a value `text`.
pub fn has_value(journey: Result<Journey, tandem_core::Error>, text: &str) -> bool {
    journey.is_ok_and(|j| j.values.iter().any(|v| v.text == text))
}

/// A store's sync service, online, once it is live.
pub async fn online(store: &Arc<Store>) -> SyncService {
    let service = SyncService::start(store.clone());
    service.set_online(true);
    let status = service.status();
    eventually("the device goes live", || {
        status.borrow().state == SyncState::Live
    })
    .await;
    service
}

/// Whether `words` are anywhere in the bytes of `store`'s files (database, log, shared
/// memory): automerge keeps short strings as they are, so a copy held shows.
pub fn has_words(store: &Store, words: &str) -> bool {
    let path = store.path();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&name))
        })
        .any(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            bytes.windows(words.len()).any(|w| w == words.as_bytes())
        })
}
