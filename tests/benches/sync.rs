//! The sync budgets of docs/DESIGN.md, measured against a real tandem-server on 127.0.0.1 (started
//! in this process through its library, serving over real loopback sockets) and printed beside
//! their targets. Nothing here asserts: run it and read the figures.
//!
//! ```sh
//! cargo bench -p tandem-tests --bench sync
//! cargo bench -p tandem-tests --bench sync --profile dev -- --quick   # small sizes: does it still run?
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Utc};
use tandem_core::coaching::CoachingCondition;
use tandem_core::journey::*;
use tandem_core::sync::api::{InvitationKind, Role};
use tandem_core::sync::session::{
    enrol, invite, join, join_device, share_journey_with_coach, sync_live, sync_now, SyncReport,
};
use tandem_core::sync::SyncState;
use tandem_core::{OpenOptions, Store};
use tandem_tests::bench::Mode;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` asks what there is; there is one program.
    }
    let mode = Mode::from_args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (url, stop) = runtime.block_on(start_server(&dir.path().join("server")));
    mode.print_heading(&format!(
        "Tandem sync budgets (docs/DESIGN.md), against tandem-server at {url}"
    ));
    runtime.block_on(async {
        reconnect_after_a_week_offline(&url, dir.path(), mode).await;
        coach_first_sync(&url, dir.path(), mode.size(18, 2)).await;
        practitioner_with_clients(
            &url,
            dir.path(),
            "reconnect",
            mode.size(60, 6),
            3,
            mode.size(12, 2),
        )
        .await;
        practitioner_with_clients(
            &url,
            dir.path(),
            "fifty",
            12,
            mode.size(50, 3),
            mode.size(12, 2),
        )
        .await;
        let idle = Duration::from_secs(mode.size(60, 6));
        one_edit_between_devices(&url, dir.path(), mode.size(200, 20), idle).await;
    });
    let _ = stop.send(());
    drop(runtime);
    mode.print_footing();
}

async fn start_server(data_dir: &Path) -> (String, tokio::sync::oneshot::Sender<()>) {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (listening, heard) = tokio::sync::oneshot::channel();
    let config = tandem_server::Config {
        bind: "127.0.0.1".parse().expect("an address"),
        port: 0,
        storage: tandem_server::Storage::Sqlite(data_dir.to_path_buf()),
        tls: None,
        min_protocol: tandem_server::MIN_PROTOCOL,
    };
    tokio::spawn(async move {
        let on_listening = move |l: tandem_server::Listening| {
            let _ = listening.send(l.to_string());
        };
        if let Err(e) = tandem_server::serve(config, on_listening, async {
            let _ = stopped.await;
        })
        .await
        {
            eprintln!("server stopped: {e}");
        }
    });
    (heard.await.expect("the server listens"), stop)
}

async fn code(data_dir: &Path, role: Role) -> String {
    let storage = tandem_server::Storage::Sqlite(data_dir.join("server"));
    tandem_server::server::enrolment_code(&storage, role)
        .await
        .expect("an enrolment code")
        .0
}

fn options() -> OpenOptions {
    OpenOptions {
        time_zone: Some("Europe/London".into()),
        ..Default::default()
    }
}

fn open(dir: &Path, name: &str) -> Store {
    Store::open(dir.join(format!("{name}.db")), options()).expect("a store")
}

async fn sync(store: &Store) -> SyncReport {
    sync_now(store, &|_| {}).await.expect("sync succeeds")
}

fn daily(start: NaiveDate, times: usize) -> PlanInput {
    PlanInput {
        what: "Short walk".into(),
        place: None,
        schedule: Schedule {
            repeat: Repeat::EveryNDays { n: 1 },
            times: (0..times)
                .map(|i| NaiveTime::from_hms_opt(8 + i as u32, 0, 0).expect("a time"))
                .collect(),
        },
        duration_minutes: Some(15),
        goal_id: None,
        step_id: None,
        barriers: None,
        supports: None,
        agreed_by: vec![Party::Myself],
        reminder: false,
        start,
        end: None,
    }
}

/// Bytes of the single-change rows a store wrote while `f` ran: the edits' own size.
fn edit_bytes(store: &Store, f: impl FnOnce()) -> u64 {
    let (before, _) = store.stored_bytes().expect("sizes");
    f();
    let (after, _) = store.stored_bytes().expect("sizes");
    after.saturating_sub(before)
}

/// A week offline (one day in quick mode): the client checks in six times a day and keeps
/// notes, the practitioner reviews; ~300 edits each at full size.
async fn reconnect_after_a_week_offline(url: &str, dir: &Path, mode: Mode) {
    let days = mode.size(7u64, 1);
    let steps = mode.size(258, 10);
    let reviews = mode.size(300u32, 10);
    let practitioner = open(dir, "week-practitioner");
    enrol(&practitioner, url, &code(dir, Role::Practitioner).await)
        .await
        .expect("enrol");
    let invitation = invite(&practitioner, InvitationKind::Client)
        .await
        .expect("invite");
    let client = open(dir, "week-client");
    join(&client, url, &invitation.code).await.expect("join");
    let today = Utc::now().date_naive();
    let start = today - Days::new(days);
    let plan = client.add_plan(&daily(start, 6)).expect("a plan");
    let goal = client
        .add_goal(&GoalInput {
            text: "Get out of the house every day".into(),
            value_ids: vec![],
            framing: Framing::Approach,
            proposed_by: ProposedBy::Together,
            target_date: None,
            importance: 8,
            confidence: 5,
            attainment_levels: vec![],
        })
        .expect("a goal");
    sync(&client).await;
    sync(&practitioner).await;
    let journey = client.identity().journey_id.clone();

    let client_bytes = edit_bytes(&client, || {
        for day in 0..days {
            for slot in 0..6u32 {
                let date = start + Days::new(day);
                client
                    .check_in(&CheckInInput {
                        plan_id: plan.clone(),
                        date,
                        time: Some(NaiveTime::from_hms_opt(8 + slot, 0, 0).expect("a time")),
                        outcome: if (day + u64::from(slot)) % 4 == 0 {
                            Outcome::NotDone
                        } else {
                            Outcome::Done
                        },
                        reasons: vec![],
                        reason_text: None,
                        note: None,
                    })
                    .expect("a check-in");
            }
        }
        for i in 0..steps {
            client
                .add_step(&goal, &format!("Small step {i}"))
                .expect("a step");
        }
    });
    let seen = practitioner
        .linked_journey(&journey)
        .expect("the client's journey");
    let practitioner_bytes = edit_bytes(&practitioner, || {
        for i in 0..reviews {
            seen.add_review(&ReviewInput {
                date: today,
                goal_id: Some(goal.clone()),
                motivation: (i % 11) as u8,
                confidence: 5,
                progress: 4,
                attainment: None,
                note: None,
            })
            .expect("a review");
        }
    });
    let first = sync(&client).await;
    let second = sync(&practitioner).await;
    let third = sync(&client).await;
    println!(
        "Reconnect after {} offline ({} edits by the client, {reviews} by the practitioner)",
        mode.size("a week", "a day"),
        days * 6 + steps as u64
    );
    println!(
        "  client uploads {} B of its edits, downloads the practitioner's {} B",
        client_bytes, practitioner_bytes
    );
    for (who, report, own) in [
        ("client sends", &first, client_bytes),
        ("practitioner", &second, practitioner_bytes + client_bytes),
        ("client gets", &third, practitioner_bytes),
    ] {
        let wire = report.wire.sent_bytes + report.wire.received_bytes;
        println!(
            "  {who:13} round trips after connect {:>3}   budget ≤ 2   ({} messages out, {} in, {} documents, {} ms)",
            report.wire.round_trips,
            report.wire.sent_messages,
            report.wire.received_messages,
            report.documents,
            report.duration_ms
        );
        println!(
            "  {who:13} bytes on the wire {:>8} = {:.2} × the edits' own {} B   budget ≤ 1.5×",
            wire,
            wire as f64 / own.max(1) as f64,
            own
        );
    }
    println!();
}

/// A coach's first sync of a practitioner's journey and its `months` months of check-ins.
async fn coach_first_sync(url: &str, dir: &Path, months: u64) {
    let coach = open(dir, "coach");
    enrol(&coach, url, &code(dir, Role::Coach).await)
        .await
        .expect("enrol");
    let practitioner = open(dir, "coached");
    enrol(&practitioner, url, &code(dir, Role::Practitioner).await)
        .await
        .expect("enrol");
    let invitation = invite(&coach, InvitationKind::Practitioner)
        .await
        .expect("invite");
    join(&practitioner, url, &invitation.code)
        .await
        .expect("join");
    // The practitioner's own check-ins: journey + its months + coaching documents.
    let start = Utc::now().date_naive() - Days::new((months - 1) * 31);
    let plan = practitioner
        .add_plan(&daily(start - Days::new(31), 2))
        .expect("a plan");
    let mut date = start;
    while date <= Utc::now().date_naive() {
        for hour in [8, 9] {
            practitioner
                .check_in(&CheckInInput {
                    plan_id: plan.clone(),
                    date,
                    time: Some(NaiveTime::from_hms_opt(hour, 0, 0).expect("a time")),
                    outcome: Outcome::Done,
                    reasons: vec![],
                    reason_text: None,
                    note: None,
                })
                .expect("a check-in");
        }
        date = date + Days::new(1);
    }
    // The first sync lists the practitioner's links, their coaching document among them.
    sync(&practitioner).await;
    let coaching = practitioner
        .relationships()
        .expect("relationships")
        .into_iter()
        .find(|r| r.role == Role::Coach)
        .expect("the coaching document")
        .doc_id;
    // A practitioner shares their journey with their coach in transformational coaching only;
    // sharing the journey shares its months (SYNC.md).
    practitioner
        .set_coaching_condition(&coaching, CoachingCondition::Transformational, start, None)
        .expect("the coaching condition");
    share_journey_with_coach(&practitioner, &coaching)
        .await
        .expect("share");
    sync(&practitioner).await;
    let started = Instant::now();
    let report = sync(&coach).await;
    let took = started.elapsed();
    println!("A coach's first sync of the documents a practitioner shares");
    println!(
        "  {} documents in {:.1} ms (whole session: connect, links, sync)   budget ≤ 1000 ms for 20 (18 months)",
        report.documents,
        took.as_secs_f64() * 1e3
    );
    println!(
        "  {} B received in {} messages, {} round trips\n",
        report.wire.received_bytes, report.wire.received_messages, report.wire.round_trips
    );
}

/// A live connection of `store` in the background, until the returned sender says stop; the
/// receiver says when it is live.
fn go_live(
    store: std::sync::Arc<Store>,
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::sync::watch::Receiver<bool>,
    tokio::task::JoinHandle<SyncReport>,
) {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (live_tx, live) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let on_state = move |state: SyncState| {
            live_tx.send_replace(state == SyncState::Live);
        };
        sync_live(&store, stopped, &on_state, &|_| {})
            .await
            .expect("a live connection")
    });
    (stop, live, task)
}

/// `edits` edits on the phone, each timed until the tablet has stored it, both devices live;
/// then what an idle live connection costs.
async fn one_edit_between_devices(url: &str, dir: &Path, edits: u8, idle: Duration) {
    use std::sync::Arc;
    let phone = open(dir, "phone");
    enrol(&phone, url, &code(dir, Role::Practitioner).await)
        .await
        .expect("enrol");
    let value = phone
        .add_value(&ValueInput {
            text: "Rest".into(),
            life_area: LifeArea::Health,
            importance: 5,
        })
        .expect("a value");
    sync(&phone).await;
    let invitation = invite(&phone, InvitationKind::Device)
        .await
        .expect("invite");
    let (tablet, _) = join_device(dir.join("tablet.db"), url, &invitation.code, options())
        .await
        .expect("join");
    sync(&tablet).await;
    let (phone, tablet) = (Arc::new(phone), Arc::new(tablet));
    let (stop_phone, mut phone_live, phone_task) = go_live(phone.clone());
    let (stop_tablet, mut tablet_live, tablet_task) = go_live(tablet.clone());
    phone_live
        .wait_for(|l| *l)
        .await
        .expect("the phone goes live");
    tablet_live
        .wait_for(|l| *l)
        .await
        .expect("the tablet goes live");
    let mut changes = tablet.watch_changes();
    let mut times = Vec::new();
    for i in 0..edits {
        let importance = i % 11;
        let before = changes.borrow_and_update().remote;
        let started = Instant::now();
        phone
            .update_value(
                &value,
                &ValueInput {
                    text: "Rest".into(),
                    life_area: LifeArea::Health,
                    importance,
                },
            )
            .expect("an edit");
        tokio::time::timeout(
            Duration::from_secs(20),
            changes.wait_for(|c| c.remote > before),
        )
        .await
        .expect("the edit arrives within 20 s")
        .expect("the tablet's store is open");
        times.push(started.elapsed());
        let arrived = tablet.journey().expect("a journey").values[0].importance;
        assert_eq!(arrived, importance, "the edit arrived");
    }
    let _ = stop_phone.send(true);
    let _ = stop_tablet.send(true);
    let _ = phone_task.await;
    let _ = tablet_task.await;
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!("One edit on one device, visible on another (both live, through the server)");
    println!(
        "  p50 {:.2} ms   p99 {:.2} ms   budget ≤ 10 / ≤ 50 ms   over {} edits (from the edit's call to the tablet's store having it)",
        ms(at(0.5)),
        ms(at(0.99)),
        times.len()
    );

    js_edit_latency(edits, at(0.5));

    // Idle: the tablet live with nothing to sync; what crosses once it is up to date.
    let (stop, mut live, task) = go_live(tablet.clone());
    live.wait_for(|l| *l).await.expect("the tablet goes live");
    tokio::time::sleep(idle).await;
    let _ = stop.send(true);
    let idle_wire = task.await.expect("the live task").since_up_to_date;
    let idle_bytes = idle_wire.sent_bytes + idle_wire.received_bytes;
    println!(
        "  an idle live device: {:.0} B per minute   budget ≤ 1024 B   ({idle_bytes} B in {:.0} s: {} frames out, {} in)\n",
        idle_bytes as f64 * 60.0 / idle.as_secs_f64(),
        idle.as_secs_f64(),
        idle_wire.sent_messages,
        idle_wire.received_messages
    );
}

/// The same measurement for JS automerge-repo (tests/js/latency.mjs): two JS peers through a
/// JS sync server, when node and tests/js's packages are there; `ours` is our p50.
fn js_edit_latency(edits: u8, ours: Duration) {
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
    if !js.join("node_modules/@automerge/automerge-repo").is_dir() {
        println!(
            "  JS automerge-repo: not measured (run `npm ci --prefix tests/js --ignore-scripts`)"
        );
        return;
    }
    let out = std::process::Command::new("node")
        .arg("latency.mjs")
        .arg(edits.to_string())
        .current_dir(&js)
        .output();
    match out {
        Ok(out) if out.status.success() => {
            let line = String::from_utf8_lossy(&out.stdout);
            let figures: serde_json::Value = serde_json::from_str(line.trim()).unwrap_or_default();
            let ms = |k: &str| figures[k].as_f64().unwrap_or(f64::NAN);
            println!(
                "  JS automerge-repo, the same edit (JS peers through the JS sync server, documents in memory): p50 {:.2} ms   p99 {:.2} ms   (ours / JS at p50: {:.2})",
                ms("p50_ms"),
                ms("p99_ms"),
                ours.as_secs_f64() * 1e3 / ms("p50_ms")
            );
        }
        Ok(out) => println!(
            "  JS automerge-repo: latency.mjs failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => println!("  JS automerge-repo: node does not run: {e}"),
    }
}

/// A check-in on the 1st of each of the last `months` months (each makes its month's document).
fn check_in_monthly(store: &Store, months: u32) {
    let today = Utc::now().date_naive();
    let first = today
        .with_day(1)
        .expect("the 1st")
        .checked_sub_months(chrono::Months::new(months.saturating_sub(1)))
        .expect("a start");
    let plan = store.add_plan(&daily(first, 1)).expect("a plan");
    for m in 0..months {
        let date = first
            .checked_add_months(chrono::Months::new(m))
            .expect("a month");
        store
            .check_in(&CheckInInput {
                plan_id: plan.clone(),
                date,
                time: NaiveTime::from_hms_opt(8, 0, 0),
                outcome: Outcome::Done,
                reasons: vec![],
                reason_text: None,
                note: None,
            })
            .expect("a check-in");
    }
}

/// A practitioner with `months` months of their own and `clients` clients (`client_months`
/// each), everything synced once; then: the practitioner's first sync on a new device (all of
/// it), and a reconnect with nothing changed.
async fn practitioner_with_clients(
    url: &str,
    dir: &Path,
    name: &str,
    months: u32,
    clients: u32,
    client_months: u32,
) {
    let practitioner = open(dir, &format!("{name}-practitioner"));
    enrol(&practitioner, url, &code(dir, Role::Practitioner).await)
        .await
        .expect("enrol");
    check_in_monthly(&practitioner, months);
    for c in 0..clients {
        let invitation = invite(&practitioner, InvitationKind::Client)
            .await
            .expect("invite");
        let client = open(dir, &format!("{name}-client-{c}"));
        check_in_monthly(&client, client_months);
        join(&client, url, &invitation.code).await.expect("join");
        sync(&client).await;
    }
    let first = sync(&practitioner).await;
    // The first sync uploaded the practitioner's own months, so the server's change feed lists
    // them once more at the next sync; the one after that is the steady state.
    sync(&practitioner).await;
    let again = sync(&practitioner).await;
    let documents = first.documents;
    println!(
        "A practitioner with {months} months of their own and {clients} clients ({client_months} months each)"
    );
    println!(
        "  first sync of everything: {documents} documents in {} ms   ({} B received, {} round trips)",
        first.duration_ms, first.wire.received_bytes, first.wire.round_trips
    );
    println!(
        "  reconnect, nothing changed: {} ms, {} B on the wire   budget ≤ 100 ms, ≤ 20 KB (for 60 months and 3 journeys)   ({} documents exchanged, {} round trips; WebSocket bytes with the handshake, the catch-up HTTP call before it not counted)",
        again.duration_ms,
        again.wire.sent_bytes + again.wire.received_bytes,
        again.documents,
        again.wire.round_trips
    );
    println!();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
