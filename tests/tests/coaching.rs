//! Coaching and the parallel process, end to end through a real `tandem-server` on 127.0.0.1:
//! practitioner Alex, his coach Priya, and up to four clients, each on their own device (a real
//! SQLite store in a temp dir).
//!
//! 1. Whatever Alex shares, Priya's device never holds a client's document, a client's id or
//!    words, or a figure about fewer than three clients.
//! 2. Withdrawing a reflection, a wellbeing entry, a summary or the journey removes it from
//!    Priya's view after sync, and later edits stay on Alex's side.
//! 3. The parallel view on Alex's device equals a caseload worked out by hand.
//! 4. The research export from Priya's device carries no name, id or unchosen free text, and its
//!    practitioner code changes from one export to the next.
//!
//! Each test starts its own server and stops it when it ends (`ServerProcess` is killed on drop).
//! Nothing waits on time: `sync_now` returns when its session is done.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use automerge::{Automerge, ObjId, ReadDoc, ROOT};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use samod::DocumentId;
use serde_json::Value as Json;
use tandem_core::coaching::{
    AllianceInput, CaseReviewInput, CoachingCondition, Direction, ReflectionInput, WellbeingInput,
    WellbeingMeasures,
};
use tandem_core::journey::insights::{Completion, ReasonCount};
use tandem_core::journey::{
    CheckInInput, LifeArea, Outcome, Party, PlanInput, Reason, Repeat, Schedule, ValueInput,
};
use tandem_core::parallel::export::{ExportNote, ExportRow};
use tandem_core::parallel::{
    ClientCompletion, ClientRuptures, ParallelWeek, PromptKind, SharedSummary, SummaryChoices,
    WellbeingPoint,
};
use tandem_core::relationships::Relationship;
use tandem_core::sync::api::{Access, InvitationKind};
use tandem_core::sync::session::{
    invite, join, share, share_journey_with_coach, withdraw_journey_from_coach,
};
use tandem_core::{OpenOptions, Store};
use tandem_tests::devices::{practitioner_and_coach, sync};
use tandem_tests::server_process::ServerProcess;

use Outcome::{Done, NotDone, Partly};
use Reason::{LowMood, NoTime, TooTired};
use Weekday::{Fri, Mon, Sat, Thu, Tue, Wed};

// ----- dates -----

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The scripted "now" of every check-in and view: Thursday 2026-11-19, noon (UTC; all stores
/// here schedule in UTC). The range is the three ISO weeks W1 = 11-02…11-08, W2 = 11-09…11-15,
/// W3 = 11-16…11-22, so W3 is cut by "now": Friday 11-20 on is in the future, and Thursday
/// 11-19's occurrences count only when answered.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 19, 12, 0, 0).unwrap()
}
const FROM: &str = "2026-11-02";
const TO: &str = "2026-11-22";
const W1: &str = "2026-11-02";
const W2: &str = "2026-11-09";
const W3: &str = "2026-11-16";

// ----- people and their devices -----

fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(
        dir.path().join(format!("{name}.db")),
        OpenOptions {
            time_zone: Some("UTC".into()),
            ..Default::default()
        },
    )
    .unwrap()
}

/// A client's device and what they wrote about the people in their life.
struct Client {
    store: Store,
    /// Their care document with Alex.
    care: String,
    /// A name-like text that appears in their journey, check-ins and care document.
    name: &'static str,
}

/// Alex (practitioner) and Priya (coach), linked through a coaching document, on one server.
/// Fields drop in order: the server is stopped before the temp dir goes.
struct World {
    server: ServerProcess,
    alex: Store,
    priya: Store,
    coaching: String,
    clients: Vec<Client>,
    alex_plan: String,
    dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let alex = open(&dir, "alex");
    let priya = open(&dir, "priya");
    practitioner_and_coach(&server, &alex, &priya).await;
    let coaching = only_relationship(&alex, "coaching").doc_id;
    assert_eq!(
        only_relationship(&priya, "coaching").doc_id,
        coaching,
        "both see one coaching document"
    );
    assert_eq!(
        priya.coaching(&coaching).unwrap().practitioner,
        alex.identity().person_id
    );
    World {
        server,
        alex,
        priya,
        coaching,
        clients: Vec::new(),
        alex_plan: String::new(),
        dir,
    }
}

fn only_relationship(store: &Store, kind: &str) -> Relationship {
    let all: Vec<Relationship> = store
        .relationships()
        .unwrap()
        .into_iter()
        .filter(|r| serde_json::to_value(r.kind).unwrap() == kind)
        .collect();
    assert_eq!(all.len(), 1, "one {kind} relationship: {all:?}");
    all.into_iter().next().unwrap()
}

fn weekly(what: &str, days: &[Weekday], time: &str, start: &str) -> PlanInput {
    PlanInput {
        what: what.into(),
        place: None,
        schedule: Schedule {
            repeat: Repeat::Weekly {
                days: days.to_vec(),
            },
            times: vec![NaiveTime::parse_from_str(time, "%H:%M").unwrap()],
        },
        duration_minutes: Some(30),
        goal_id: None,
        step_id: None,
        barriers: None,
        supports: None,
        agreed_by: vec![Party::Myself, Party::Supporter],
        reminder: true,
        start: d(start),
        end: None,
    }
}

fn check_in(plan: &str, date: &str, outcome: Outcome, reasons: &[Reason]) -> CheckInInput {
    CheckInInput {
        plan_id: plan.into(),
        date: d(date),
        time: None,
        outcome,
        reasons: reasons.to_vec(),
        reason_text: None,
        note: None,
    }
}

fn alliance(date: &str, items: [u8; 3], felt_off: bool, repair: Option<String>) -> AllianceInput {
    AllianceInput {
        date: d(date),
        goals: items[0],
        tasks: items[1],
        bond: items[2],
        felt_off,
        repair_note: repair,
    }
}

type ScriptedCheckIn = (&'static str, Outcome, &'static [Reason]);
type ScriptedAlliance = (&'static str, [u8; 3], bool);

/// One client's script: a weekly plan, check-ins on it, alliance check-ins about Alex.
struct ClientScript {
    label: &'static str,
    name: &'static str,
    plan: &'static str,
    days: &'static [Weekday],
    time: &'static str,
    start: &'static str,
    check_ins: &'static [ScriptedCheckIn],
    alliance: &'static [ScriptedAlliance],
}

/// The caseload worked out by hand in `the_parallel_view_equals_a_caseload_worked_out_by_hand`.
const CLIENTS: [ClientScript; 4] = [
    ClientScript {
        label: "client-1",
        name: "Rosalind Achterberg",
        plan: "Morning walk",
        days: &[Mon, Wed, Fri],
        time: "08:00",
        start: "2026-11-02",
        check_ins: &[
            ("2026-11-02", Done, &[]),
            ("2026-11-04", Done, &[]),
            ("2026-11-06", NotDone, &[LowMood]),
            ("2026-11-09", Done, &[]),
            ("2026-11-11", Done, &[]),
            ("2026-11-13", Done, &[]),
            ("2026-11-16", NotDone, &[TooTired]),
            ("2026-11-18", Partly, &[TooTired]),
        ],
        alliance: &[
            ("2026-11-03", [8, 8, 8], false),
            ("2026-11-10", [8, 8, 7], false),
            ("2026-11-17", [5, 5, 6], false),
        ],
    },
    ClientScript {
        label: "client-2",
        name: "Tomasz Wieczorek",
        plan: "Call a friend",
        days: &[Tue, Thu],
        time: "18:00",
        start: "2026-11-02",
        check_ins: &[
            ("2026-11-03", Done, &[]),
            ("2026-11-05", Partly, &[NoTime]),
            ("2026-11-10", Done, &[]),
            ("2026-11-12", Partly, &[TooTired]),
            ("2026-11-17", NotDone, &[TooTired]),
            // Thursday 11-19 (today) is left unanswered.
        ],
        alliance: &[
            ("2026-11-04", [7, 7, 7], false),
            ("2026-11-11", [6, 7, 7], true),
            ("2026-11-18", [7, 7, 7], false),
        ],
    },
    ClientScript {
        label: "client-3",
        name: "Marguerite Okonkwo",
        plan: "Cook a proper lunch",
        days: &[Mon, Thu],
        time: "12:00",
        start: "2026-11-09",
        check_ins: &[
            ("2026-11-09", Done, &[]),
            ("2026-11-12", NotDone, &[NoTime]),
            ("2026-11-16", Partly, &[TooTired]),
            ("2026-11-19", Done, &[]), // today, answered: counts
        ],
        alliance: &[
            ("2026-11-10", [6, 6, 6], false),
            ("2026-11-17", [6, 6, 6], false),
        ],
    },
    ClientScript {
        label: "client-4",
        name: "Ingeborg Vasquez",
        plan: "Swim at the lido",
        days: &[Sat],
        time: "10:00",
        start: "2026-11-09",
        check_ins: &[], // Saturday 11-14 unanswered; 11-21 is in the future
        alliance: &[("2026-11-12", [9, 9, 9], false)],
    },
];

impl World {
    /// Alex invites the next scripted client; they join on their own device, write their
    /// journey, check-ins and alliance check-ins (their name-like text in each), and sync; then
    /// Alex syncs.
    async fn add_client(&mut self, script: &ClientScript) {
        let code = invite(&self.alex, InvitationKind::Client)
            .await
            .unwrap()
            .code;
        let store = open(&self.dir, script.label);
        join(&store, &self.server.url, &code).await.unwrap();
        sync(&store).await; // the care document reaches the server; links are known
        let name = script.name;
        store
            .add_value(&ValueInput {
                text: format!("Sundays with {name}"),
                life_area: LifeArea::Family,
                importance: 9,
            })
            .unwrap();
        let mut plan = weekly(
            &format!("{} with {name}", script.plan),
            script.days,
            script.time,
            script.start,
        );
        plan.supports = Some(format!("{name} comes along"));
        let plan = store.add_plan(&plan).unwrap();
        for (date, outcome, reasons) in script.check_ins {
            let mut input = check_in(&plan, date, *outcome, reasons);
            input.note = Some(format!("Talked to {name} after"));
            store.check_in_at(&input, now()).unwrap();
        }
        let care = only_relationship(&store, "care").doc_id;
        for (date, items, felt_off) in script.alliance {
            let repair = felt_off.then(|| format!("We talked about {name} and it was better"));
            store
                .add_alliance_check_in(&care, &alliance(date, *items, *felt_off, repair))
                .unwrap();
        }
        sync(&store).await;
        sync(&self.alex).await;
        self.clients.push(Client { store, care, name });
    }

    /// Alex's own side of the caseload: a swim on Mon/Wed/Fri, two wellbeing entries, and three
    /// alliance check-ins about Priya (the last one flagged).
    fn script_alex(&mut self) {
        let alex = &self.alex;
        alex.add_value(&ValueInput {
            text: "Evenings without the laptop".into(),
            life_area: LifeArea::Health,
            importance: 8,
        })
        .unwrap();
        let plan = alex
            .add_plan(&weekly(
                "Swim before work",
                &[Mon, Wed, Fri],
                "07:00",
                "2026-11-02",
            ))
            .unwrap();
        for (date, outcome, reasons) in [
            ("2026-11-02", Done, &[][..]),
            ("2026-11-04", Done, &[]),
            ("2026-11-06", Done, &[]),
            ("2026-11-09", Done, &[]),
            ("2026-11-11", Done, &[]),
            ("2026-11-13", Partly, &[TooTired]),
            ("2026-11-16", Done, &[]),
            ("2026-11-18", NotDone, &[TooTired]),
        ] {
            alex.check_in_at(&check_in(&plan, date, outcome, reasons), now())
                .unwrap();
        }
        alex.add_wellbeing(&WellbeingInput {
            date: d("2026-11-10"),
            who5: Some([4, 4, 4, 4, 4]),
            stress: Some(3),
            burnout: None,
        })
        .unwrap();
        alex.add_wellbeing(&WellbeingInput {
            date: d("2026-11-17"),
            who5: Some([3, 3, 2, 2, 2]),
            stress: Some(7),
            burnout: None,
        })
        .unwrap();
        for (date, items, felt_off) in [
            ("2026-11-05", [8, 8, 8], false),
            ("2026-11-12", [8, 8, 8], false),
            ("2026-11-19", [8, 8, 8], true),
        ] {
            let repair = felt_off.then(|| "Named it at the start of the next session".to_string());
            alex.add_alliance_check_in(&self.coaching, &alliance(date, items, felt_off, repair))
                .unwrap();
        }
        self.alex_plan = plan;
    }

    fn share_summary(
        &self,
        now: DateTime<Utc>,
        from: &str,
        to: &str,
        choices: &SummaryChoices,
    ) -> String {
        self.alex
            .share_summary(&self.coaching, d(from), d(to), now, choices)
            .unwrap()
    }
}

// ----- what a device holds, read from its SQLite files -----

/// The bytes of a store's database files as they are on disk (the database, its WAL).
fn file_bytes(store: &Store) -> Vec<(String, Vec<u8>)> {
    let db = store.path().to_path_buf();
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = PathBuf::from(format!("{}{suffix}", db.display()));
        if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
    assert!(
        !out.is_empty() && !out[0].1.is_empty(),
        "the store is on disk"
    );
    out
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return Vec::new();
    }
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// Every document id that appears as a key of the kv table (`<docId>/incremental/…`,
/// `<docId>/snapshot/…`) anywhere in the files, live rows or not.
fn stored_doc_ids(files: &[(String, Vec<u8>)]) -> BTreeSet<String> {
    const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut out = BTreeSet::new();
    for (_, bytes) in files {
        for marker in [&b"/incremental/"[..], &b"/snapshot/"[..]] {
            for end in find_all(bytes, marker) {
                let mut start = end;
                while start > 0 && end - start < 64 && BASE58.contains(&bytes[start - 1]) {
                    start -= 1;
                }
                // The longest tail that reads back as a document id (a stray byte before a key
                // fails bs58check).
                for s in start..end {
                    let text = std::str::from_utf8(&bytes[s..end]).unwrap();
                    if text
                        .parse::<DocumentId>()
                        .is_ok_and(|id| id.to_string() == text)
                    {
                        out.insert(text.to_string());
                        break;
                    }
                }
            }
        }
    }
    out
}

/// A document as a store holds it on disk, or `None` if it has none of it.
async fn stored_doc(store: &Store, doc_id: &str) -> Option<Automerge> {
    let bytes = store.saved_document(doc_id).unwrap()?;
    Some(Automerge::load(&bytes).unwrap())
}

fn text_at(doc: &Automerge, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (automerge::Value::Scalar(s), _) => s.as_str().map(str::to_owned),
        _ => None,
    }
}

fn entries(doc: &Automerge, collection: &str) -> Vec<ObjId> {
    let Some((_, map)) = doc.get(ROOT, collection).unwrap() else {
        return Vec::new();
    };
    doc.keys(&map)
        .filter_map(|k| doc.get(&map, k).unwrap().map(|(_, obj)| obj))
        .collect()
}

/// Everything a store holds, as bytes to search: its files, and every document it holds saved
/// uncompressed with its whole history (automerge may deflate columns on disk).
async fn everything_in(store: &Store) -> (BTreeSet<String>, Vec<(String, Vec<u8>)>) {
    let files = file_bytes(store);
    let ids = stored_doc_ids(&files);
    let mut haystacks = files;
    for id in &ids {
        if let Some(doc) = stored_doc(store, id).await {
            haystacks.push((format!("document {id}"), doc.save_nocompress()));
        }
    }
    (ids, haystacks)
}

fn found_in<'a>(haystacks: &'a [(String, Vec<u8>)], needle: &str) -> Vec<&'a str> {
    haystacks
        .iter()
        .filter(|(_, bytes)| !find_all(bytes, needle.as_bytes()).is_empty())
        .map(|(name, _)| name.as_str())
        .collect()
}

/// The ids and words of one client, none of which may reach the coach.
fn client_secrets(client: &Client) -> Vec<(String, String)> {
    let me = client.store.identity();
    let mut out = vec![
        ("client person id".to_string(), me.person_id.clone()),
        ("client device key".to_string(), me.device_key.clone()),
        ("client name".to_string(), client.name.to_string()),
        ("care document".to_string(), client.care.clone()),
    ];
    for doc in client.store.own_documents().unwrap() {
        out.push((format!("client document ({:?})", doc.kind), doc.doc_id));
    }
    out
}

/// Priya's device after a sync: it holds only her own documents, the coaching document and
/// (when shared) Alex's journey and its months — never a client's journey, month or care
/// document, nor Alex's private document — and no client id or name anywhere in its bytes.
/// Returns the documents it holds and its bytes, for the caller's own checks.
async fn assert_coach_holds_nothing_of_clients(
    w: &World,
) -> (BTreeSet<String>, Vec<(String, Vec<u8>)>) {
    let priya = &w.priya;
    let alex_private = w.alex.identity().private_id.clone();
    let mut allowed: BTreeSet<String> = priya
        .own_documents()
        .unwrap()
        .into_iter()
        .map(|d| d.doc_id)
        .collect();
    allowed.insert(w.coaching.clone());
    allowed.extend(
        w.alex
            .own_documents()
            .unwrap()
            .into_iter()
            .map(|d| d.doc_id)
            .filter(|id| *id != alex_private),
    );

    let (held, haystacks) = everything_in(priya).await;
    assert!(
        held.contains(&w.coaching) && held.contains(&priya.identity().journey_id),
        "the scan of Priya's kv keys sees her documents: {held:?}"
    );
    let strays: Vec<&String> = held.difference(&allowed).collect();
    assert!(
        strays.is_empty(),
        "Priya's store holds documents she should not: {strays:?}"
    );

    let mut forbidden = vec![("Alex's private document".to_string(), alex_private)];
    for client in &w.clients {
        forbidden.extend(client_secrets(client));
        // By document id, through the kv table and through the store's API.
        for doc in client.store.own_documents().unwrap() {
            assert!(
                stored_doc(priya, &doc.doc_id).await.is_none(),
                "{doc:?} is on Priya's device"
            );
        }
        assert!(
            stored_doc(priya, &client.care).await.is_none(),
            "a care document is on Priya's device"
        );
        assert!(
            priya
                .linked_journey(&client.store.identity().journey_id)
                .unwrap()
                .journey()
                .is_err(),
            "a client's journey reads on Priya's device"
        );
    }
    for (what, secret) in &forbidden {
        let places = found_in(&haystacks, secret);
        assert!(
            places.is_empty(),
            "{what} {secret:?} found on Priya's device in {places:?}"
        );
    }
    // Never mind what the store says about links: the coach is linked to Alex alone.
    let links = priya.links().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].person_id, w.alex.identity().person_id);
    (held, haystacks)
}

/// The summaries in Priya's copy of the coaching document, as their raw JSON bodies (before
/// any reader's guard), by id.
async fn raw_summaries(w: &World) -> BTreeMap<String, Json> {
    let doc = stored_doc(&w.priya, &w.coaching)
        .await
        .expect("the coaching document");
    let Some((_, map)) = doc.get(ROOT, "parallel_summaries").unwrap() else {
        return BTreeMap::new();
    };
    doc.keys(&map)
        .map(|id| {
            let (_, obj) = doc.get(&map, &id).unwrap().unwrap();
            let body = text_at(&doc, &obj, "body").expect("a summary has a body");
            (id, serde_json::from_str(&body).unwrap())
        })
        .collect()
}

/// A week of a summary as the coach reads it: (week, clients, clients' rate, clients answering
/// alliance check-ins, client ruptures).
type ClientFigures = (
    NaiveDate,
    Option<u32>,
    Option<f64>,
    Option<u32>,
    Option<u32>,
);

fn client_figures(summary: &SharedSummary) -> Vec<ClientFigures> {
    summary
        .weeks
        .iter()
        .map(|w| {
            (
                w.week_start,
                w.clients,
                w.clients_rate,
                w.rupture_clients,
                w.client_ruptures,
            )
        })
        .collect()
}

/// Priya reads summary `id`; its raw body says exactly the same about clients (the 3-client rule
/// is kept by what Alex's device writes, not only by the reader's guard), and no week carries a
/// figure about fewer than three clients.
async fn coach_reads_summary(w: &World, id: &str) -> Vec<ClientFigures> {
    let coaching = w.priya.coaching(&w.coaching).unwrap();
    let summary = coaching
        .summaries
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("summary {id} reached Priya"));
    let figures = client_figures(summary);
    let raw = raw_summaries(w).await;
    let raw_weeks = raw[id]["weeks"].as_array().unwrap();
    assert_eq!(raw_weeks.len(), figures.len());
    for (raw, (week, clients, rate, rupture_clients, ruptures)) in raw_weeks.iter().zip(&figures) {
        assert_eq!(raw["week_start"], week.to_string());
        assert_eq!(
            raw["clients"].as_u64().map(|n| n as u32),
            *clients,
            "{week}"
        );
        assert_eq!(raw["clients_rate"].as_f64(), *rate, "{week}");
        assert_eq!(
            raw["rupture_clients"].as_u64().map(|n| n as u32),
            *rupture_clients,
            "{week}"
        );
        assert_eq!(
            raw["client_ruptures"].as_u64().map(|n| n as u32),
            *ruptures,
            "{week}"
        );
        assert!(clients.is_none_or(|n| n >= 3) && rupture_clients.is_none_or(|n| n >= 3));
        assert_eq!(clients.is_some(), rate.is_some(), "{week}");
        assert_eq!(rupture_clients.is_some(), ruptures.is_some(), "{week}");
    }
    figures
}

// ----- 1 -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coach_never_obtains_a_client_document_or_a_figure_about_fewer_than_three_clients() {
    let mut w = world().await;
    let alex = w.alex.identity().clone();
    // Skills acquisition (case reviews) since November; transformational from today, so that
    // Alex may also share his own journey.
    w.alex
        .set_coaching_condition(
            &w.coaching,
            CoachingCondition::SkillsAcquisition,
            d("2026-11-01"),
            None,
        )
        .unwrap();
    w.script_alex();
    w.add_client(&CLIENTS[0]).await;
    w.add_client(&CLIENTS[1]).await;
    // Alex agrees a plan with client 1 in their journey (it starts after the range, so the
    // figures below do not change): the client's words are in a document Alex writes to.
    let (c1_journey, c1_care, c1_name) = {
        let c1 = &w.clients[0];
        (
            c1.store.identity().journey_id.clone(),
            c1.care.clone(),
            c1.name,
        )
    };
    let mut garden = weekly("Garden", &[Sat], "11:00", "2026-11-28");
    garden.what = format!("Garden with {c1_name}");
    w.alex
        .linked_journey(&c1_journey)
        .unwrap()
        .add_plan(&garden)
        .unwrap();

    // Alex shares everything the API lets him share.
    let codes: Vec<String> = w
        .clients
        .iter()
        .map(|c| w.alex.client_code(&c.store.identity().person_id).unwrap())
        .collect();
    w.alex
        .add_case_review(
            &w.coaching,
            &CaseReviewInput {
                date: d("2026-11-12"),
                client_code: codes[0].clone(),
                question: "They stop walking whenever the plan gets harder. How do I stay with it?"
                    .into(),
                notes: Some("Second week in a row".into()),
            },
        )
        .unwrap();
    let reflection = w
        .alex
        .add_reflection(&ReflectionInput {
            date: d("2026-11-13"),
            what_happened: "I skipped my own swim the week my clients skipped their plans".into(),
            my_reaction: "Relief, then guilt".into(),
            pattern: Some("Letting plans slide when tired".into()),
            direction: Some(Direction::ClientToCoaching),
            plan_ids: vec![w.alex_plan.clone()],
            client_codes: codes.clone(),
        })
        .unwrap();
    w.alex.share_reflection(&reflection, &w.coaching).unwrap();
    for entry in w.alex.wellbeing().unwrap() {
        let all = WellbeingMeasures {
            who5: true,
            stress: true,
            burnout: true,
        };
        w.alex.share_wellbeing(&entry.id, &w.coaching, all).unwrap();
    }
    let session = w
        .alex
        .add_coaching_session(&w.coaching, d("2026-11-20"), "The week everything slipped")
        .unwrap();
    let choices = SummaryChoices {
        include_wellbeing: true,
        note: Some("Two clients so far".into()),
        note_for_research: true,
    };
    let two = w.share_summary(now(), FROM, TO, &choices);
    w.alex
        .set_coaching_condition(
            &w.coaching,
            CoachingCondition::Transformational,
            Utc::now().date_naive(),
            None,
        )
        .unwrap();
    assert_eq!(
        share_journey_with_coach(&w.alex, &w.coaching)
            .await
            .unwrap(),
        w.priya.identity().person_id
    );
    // What the API does not let him share is refused: a client's journey or care document, his
    // private document, a client named in a case review.
    let priya_id = w.priya.identity().person_id.clone();
    for (what, doc) in [
        ("a client's journey", c1_journey.clone()),
        ("a care document", c1_care.clone()),
        ("his private document", alex.private_id.clone()),
    ] {
        for access in [Access::Read, Access::Write] {
            let refused = share(&w.alex, &doc, &priya_id, access).await;
            assert!(
                refused.is_err(),
                "sharing {what} with the coach was allowed"
            );
        }
    }
    let named = w.alex.add_case_review(
        &w.coaching,
        &CaseReviewInput {
            date: d("2026-11-12"),
            client_code: c1_name.into(),
            question: "Named".into(),
            notes: None,
        },
    );
    assert!(named.is_err(), "a case review named a client");
    sync(&w.alex).await;
    sync(&w.priya).await;

    // What Priya has: the coaching document with all of it, and Alex's own journey.
    let seen = w.priya.coaching(&w.coaching).unwrap();
    assert_eq!(seen.case_reviews.len(), 1);
    assert_eq!(seen.case_reviews[0].client_code, codes[0]);
    assert_eq!(seen.reflections.len(), 1);
    assert_eq!(seen.wellbeing.len(), 2);
    assert_eq!(seen.sessions.len(), 1);
    assert_eq!(seen.alliance.len(), 3);
    assert!(seen.journey_shared);
    // The coach's own views: Alex under the condition in force today; his check-ins about her,
    // with the flagged one as a rupture.
    let overview = w.priya.coach_overview().unwrap();
    assert_eq!(overview.groups.len(), 1);
    assert_eq!(
        overview.groups[0].condition,
        Some(CoachingCondition::Transformational)
    );
    assert_eq!(overview.groups[0].practitioners, vec![seen.clone()]);
    let ruptures = w.priya.ruptures().unwrap();
    assert_eq!(ruptures.len(), 1);
    assert_eq!(ruptures[0].answered_by, alex.person_id);
    assert_eq!((ruptures[0].check_ins, ruptures[0].ruptures.len()), (3, 1));
    assert!(ruptures[0].ruptures[0].flagged && ruptures[0].ruptures[0].repaired);
    let journey = w
        .priya
        .linked_journey(&alex.journey_id)
        .unwrap()
        .journey()
        .unwrap();
    assert_eq!(journey.plans.len(), 1);
    assert_eq!(journey.plans[0].what, "Swim before work");
    assert_eq!(
        w.priya
            .linked_journey(&alex.journey_id)
            .unwrap()
            .check_ins(d(FROM), d(TO))
            .unwrap()
            .len(),
        8,
        "Alex's months came with his journey"
    );
    w.priya
        .comment_on_session(&w.coaching, &session, "Let's start with the swim")
        .unwrap();
    sync(&w.priya).await;

    let (docs, held) = assert_coach_holds_nothing_of_clients(&w).await;
    assert!(docs.contains(&alex.journey_id), "{docs:?}");
    // The scan does read what Priya holds: the code of the case review, Alex's words and id.
    for shown in [
        codes[0].as_str(),
        "Relief, then guilt",
        alex.person_id.as_str(),
        "Swim before work",
    ] {
        assert!(
            !found_in(&held, shown).is_empty(),
            "{shown:?} should be on Priya's device"
        );
    }
    // The reflection's links to clients stayed in Alex's private document.
    assert!(found_in(&held, &codes[1]).is_empty());

    // Two clients: no week carries a client figure.
    let (w1, w2, w3) = (d(W1), d(W2), d(W3));
    assert_eq!(
        coach_reads_summary(&w, &two).await,
        vec![
            (w1, None, None, None, None),
            (w2, None, None, None, None),
            (w3, None, None, None, None),
        ]
    );

    // A third client (whose plan starts in W2) contributes: W2 and W3 now have three clients
    // with planned occurrences and three answering alliance check-ins; W1 still has two.
    //   W2: client 1 3 done; client 2 1 done, 1 partly; client 3 1 done, 1 not done
    //       → (5 + ½·1) / 7. Alliance: clients 1, 2, 3 answered; client 2 flagged → 1.
    //   W3 is still going ("now" is its Thursday): its client figures are held back until it
    //   ends, whatever they are (the view itself has them: see test 3).
    w.add_client(&CLIENTS[2]).await;
    let three = w.share_summary(now(), FROM, TO, &SummaryChoices::default());
    sync(&w.alex).await;
    sync(&w.priya).await;
    assert_eq!(
        coach_reads_summary(&w, &three).await,
        vec![
            (w1, None, None, None, None),
            (w2, Some(3), Some(5.5 / 7.0), Some(3), Some(1)),
            (w3, None, None, None, None),
        ]
    );
    assert_eq!(
        coach_reads_summary(&w, &two).await[1],
        (w2, None, None, None, None),
        "an earlier summary stays as it was shared"
    );
    assert_coach_holds_nothing_of_clients(&w).await;

    // The fourth joins: in W2 their Saturday went unanswered (planned, not done) and they
    // answered an alliance check-in. Alex's own view now has W2 over 4 clients: (5 + ½·1) / 8,
    // 4 answering, 1 rupture. Shared as such beside the summary over 3, it would tell Priya
    // about the fourth client alone (by subtraction); so W2 keeps the figures first released.
    w.add_client(&CLIENTS[3]).await;
    let view = w.alex.parallel_view(d(FROM), d(TO), now()).unwrap();
    let w2_now = view.weeks[1].clients.as_ref().unwrap();
    assert_eq!(
        (w2_now.clients, w2_now.completion.rate),
        (4, Some(5.5 / 8.0))
    );
    let four = w.share_summary(now(), FROM, TO, &SummaryChoices::default());
    sync(&w.alex).await;
    sync(&w.priya).await;
    assert_eq!(
        coach_reads_summary(&w, &four).await,
        vec![
            (w1, None, None, None, None),
            (w2, Some(3), Some(5.5 / 7.0), Some(3), Some(1)),
            (w3, None, None, None, None),
        ]
    );
    assert_coach_holds_nothing_of_clients(&w).await;
}

// ----- 2 -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawn_reflections_summaries_wellbeing_and_journey_stop_reaching_the_coach() {
    let mut w = world().await;
    let alex_journey = w.alex.identity().journey_id.clone();
    w.alex
        .set_coaching_condition(
            &w.coaching,
            CoachingCondition::Transformational,
            d("2026-11-01"),
            None,
        )
        .unwrap();
    w.script_alex();
    let reflection_input = |text: &str| ReflectionInput {
        date: d("2026-11-13"),
        what_happened: text.into(),
        my_reaction: "Tight chest before the session".into(),
        pattern: None,
        direction: Some(Direction::CoachingToClient),
        plan_ids: vec![],
        client_codes: vec![],
    };
    let reflection = w
        .alex
        .add_reflection(&reflection_input(
            "I cut my coach short, as a client did to me",
        ))
        .unwrap();
    w.alex.share_reflection(&reflection, &w.coaching).unwrap();
    let entry = w.alex.wellbeing().unwrap()[0].id.clone();
    let who5_only = WellbeingMeasures {
        who5: true,
        stress: false,
        burnout: false,
    };
    w.alex
        .share_wellbeing(&entry, &w.coaching, who5_only)
        .unwrap();
    let summary = w.share_summary(now(), FROM, TO, &SummaryChoices::default());
    share_journey_with_coach(&w.alex, &w.coaching)
        .await
        .unwrap();
    sync(&w.alex).await;
    sync(&w.priya).await;

    let seen = w.priya.coaching(&w.coaching).unwrap();
    assert_eq!(seen.reflections.len(), 1);
    assert_eq!(
        seen.reflections[0].what_happened,
        "I cut my coach short, as a client did to me"
    );
    assert_eq!(seen.wellbeing.len(), 1);
    assert_eq!(
        (seen.wellbeing[0].who5_percent, seen.wellbeing[0].stress),
        (Some(80), None),
        "only the measure chosen"
    );
    assert_eq!(seen.summaries.len(), 1);
    assert_eq!(seen.summaries[0].id, summary);
    assert!(seen.journey_shared);
    let journey_on_priya = w
        .priya
        .linked_journey(&alex_journey)
        .unwrap()
        .journey()
        .unwrap();
    assert_eq!(journey_on_priya.values.len(), 1);

    // Alex withdraws all four.
    w.alex
        .withdraw_reflection(&reflection, &w.coaching)
        .unwrap();
    w.alex.withdraw_wellbeing(&entry, &w.coaching).unwrap();
    w.alex.withdraw_summary(&w.coaching, &summary).unwrap();
    withdraw_journey_from_coach(&w.alex, &w.coaching)
        .await
        .unwrap();
    sync(&w.alex).await;
    sync(&w.priya).await;
    let seen = w.priya.coaching(&w.coaching).unwrap();
    assert!(seen.reflections.is_empty(), "{:?}", seen.reflections);
    assert!(seen.wellbeing.is_empty(), "{:?}", seen.wellbeing);
    assert!(seen.summaries.is_empty(), "{:?}", seen.summaries);
    assert!(!seen.journey_shared);
    assert_eq!(w.priya.links().unwrap()[0].journey_id, None);
    // Withdrawn, the journey is deleted from the coach's device on its next sync.
    assert!(
        w.priya.saved_document(&alex_journey).unwrap().is_none(),
        "the withdrawn journey is still on Priya's device"
    );
    assert!(w.alex.reflections().unwrap()[0].shared_in.is_empty());

    // Then Alex edits what he had shared: the reflection, his journey (a value, a check-in, a new
    // wellbeing entry, the data behind the summary and the shared entry).
    w.alex
        .update_reflection(
            &reflection,
            &reflection_input("AFTERWARDS I saw it was about my father"),
        )
        .unwrap();
    w.alex
        .add_value(&ValueInput {
            text: "AFTERWARDS: rest without apology".into(),
            life_area: LifeArea::Health,
            importance: 7,
        })
        .unwrap();
    w.alex
        .check_in_at(&check_in(&w.alex_plan, "2026-11-19", Done, &[]), now())
        .unwrap();
    w.alex
        .add_wellbeing(&WellbeingInput {
            date: d("2026-11-19"),
            who5: Some([5, 5, 5, 5, 5]),
            stress: Some(1),
            burnout: Some(1),
        })
        .unwrap();
    sync(&w.alex).await;
    sync(&w.priya).await;

    let seen = w.priya.coaching(&w.coaching).unwrap();
    assert!(
        seen.reflections.is_empty(),
        "the edit brought the reflection back: {:?}",
        seen.reflections
    );
    assert!(seen.wellbeing.is_empty());
    assert!(seen.summaries.is_empty());
    assert!(
        w.priya.saved_document(&alex_journey).unwrap().is_none(),
        "a journey edit after withdrawal brought the journey back to the coach"
    );
    let (_, held) = everything_in(&w.priya).await;
    for later in ["AFTERWARDS", "about my father"] {
        let places = found_in(&held, later);
        assert!(
            places.is_empty(),
            "{later:?} reached Priya's device in {places:?}"
        );
    }
    // Nor is what Priya synced before: her device deleted the journey (leaving, issue 13).
    let places = found_in(&held, "Evenings without the laptop");
    assert!(
        places.is_empty(),
        "the withdrawn journey's words are still on Priya's device, in {places:?}"
    );
    // And Alex still has all of it.
    assert_eq!(w.alex.journey().unwrap().values.len(), 2);
    assert_eq!(
        w.alex.reflections().unwrap()[0].what_happened,
        "AFTERWARDS I saw it was about my father"
    );
}

/// Wellbeing entries were first kept in the journey document, so a practitioner who shared
/// their journey in transformational coaching also gave their coach every measure of every
/// entry — the stress and burnout they chose not to share, and entries they withdrew. They are
/// now kept in the private document; this test keeps it so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_journey_does_not_give_the_coach_wellbeing_measures_that_were_not_shared() {
    let w = world().await;
    let alex_journey = w.alex.identity().journey_id.clone();
    w.alex
        .set_coaching_condition(
            &w.coaching,
            CoachingCondition::Transformational,
            d("2026-11-01"),
            None,
        )
        .unwrap();
    let entry = w
        .alex
        .add_wellbeing(&WellbeingInput {
            date: d("2026-11-17"),
            who5: Some([2, 2, 2, 2, 2]),
            stress: Some(9),
            burnout: Some(8),
        })
        .unwrap();
    let who5_only = WellbeingMeasures {
        who5: true,
        stress: false,
        burnout: false,
    };
    w.alex
        .share_wellbeing(&entry, &w.coaching, who5_only)
        .unwrap();
    share_journey_with_coach(&w.alex, &w.coaching)
        .await
        .unwrap();
    w.alex.withdraw_wellbeing(&entry, &w.coaching).unwrap();
    sync(&w.alex).await;
    sync(&w.priya).await;

    assert!(
        w.priya.coaching(&w.coaching).unwrap().wellbeing.is_empty(),
        "withdrawn from the coaching document"
    );
    let journey = stored_doc(&w.priya, &alex_journey)
        .await
        .expect("Alex's journey is shared with Priya");
    let carried: Vec<(Option<i64>, Option<i64>)> = entries(&journey, "wellbeing")
        .iter()
        .map(|e| {
            let int = |key| match journey.get(e, key).unwrap() {
                Some((automerge::Value::Scalar(v), _)) => v.as_i64(),
                _ => None,
            };
            (int("stress"), int("burnout"))
        })
        .collect();
    assert!(
        carried.is_empty(),
        "Priya's device holds Alex's withdrawn wellbeing entry, stress and burnout included \
         (never shared): {carried:?}"
    );
}

// ----- 3 -----

fn completion(
    planned: u32,
    done: u32,
    partly: u32,
    not_done: u32,
    rate: Option<f64>,
) -> Completion {
    Completion {
        planned,
        done,
        partly,
        not_done,
        unanswered: planned - done - partly - not_done,
        rate,
    }
}

fn reasons(counts: &[(Reason, u32)]) -> Vec<ReasonCount> {
    counts
        .iter()
        .map(|&(reason, count)| ReasonCount { reason, count })
        .collect()
}

/// Alex, his four clients, their plans, check-ins and alliance check-ins, synced through the
/// server to Alex's device.
async fn caseload() -> World {
    let mut w = world().await;
    w.script_alex();
    for script in &CLIENTS {
        w.add_client(script).await;
    }
    w
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_parallel_view_equals_a_caseload_worked_out_by_hand() {
    let w = caseload().await;
    for client in &w.clients {
        let journey = w
            .alex
            .linked_journey(&client.store.identity().journey_id)
            .unwrap();
        assert_eq!(journey.journey().unwrap(), client.store.journey().unwrap());
        assert_eq!(
            w.alex.alliance_check_ins(&client.care).unwrap(),
            client.store.alliance_check_ins(&client.care).unwrap(),
            "the care document reached Alex"
        );
    }
    let view = w.alex.parallel_view(d(FROM), d(TO), now()).unwrap();

    // Worked by hand. Now is Thursday 11-19 noon: occurrences from Friday 11-20 on are not
    // counted, nor Thursday's unless answered. Rate = (done + ½·partly) / planned.
    //
    // Alex, swim Mon/Wed/Fri:
    //   W1: Mon 2 done, Wed 4 done, Fri 6 done                → 3/3 = 1
    //   W2: Mon 9 done, Wed 11 done, Fri 13 partly (too tired) → 2.5/3
    //   W3: Mon 16 done, Wed 18 not done (too tired), Fri 20 future → 1/2
    //   range: planned 8, done 6, partly 1, not done 1 → 6.5/8; reasons: too tired 2.
    //
    // Clients (planned / done / partly / not done / unanswered):
    //              W1            W2            W3                  range
    //   client 1   3/2/0/1/0     3/3/0/0/0     2/0/1/1/0 (Fri fut)  8/5/1/2/0
    //   client 2   2/1/1/0/0     2/1/1/0/0     1/0/0/1/0 (Thu today unanswered) 5/2/2/1/0
    //   client 3   — (starts W2) 2/1/0/1/0     2/1/1/0/0 (Thu today done)       4/2/1/1/0
    //   client 4   — (starts W2) 1/0/0/0/1     — (Sat 21 future)    1/0/0/0/1
    //   W1: two clients planned → not enough data.
    //   W2: four clients, 8/5/1/1/1 → 5.5/8; reasons: no time 1 (client 3), too tired 1
    //       (client 2) — a tie, kept in the order reasons are declared: no time first.
    //   W3: three clients, 5/1/2/2/0 → 2/5; reasons: too tired 4 (client 1 ×2, 2, 3).
    //   range: four clients, 18/9/4/4/1 → 11/18; reasons: too tired 5, no time 2, low mood 1.
    //
    // Alliance (client check-ins about Alex; score = mean of the three items; a rupture is a
    // flag, or a score ≥ 2 under the mean of the previous (up to 4, at least 2) check-ins):
    //   client 1: 11-03 8, 11-10 7.67, 11-17 5.33 — level (8 + 7.67)/2 = 7.83, drop 2.5 → W3
    //   client 2: 11-04 7, 11-11 6.67 flagged → W2, 11-18 7 (level 6.83, no drop)
    //   client 3: 11-10 6, 11-17 6;  client 4: 11-12 9
    //   W1: clients 1, 2 answered → not enough data. W2: all four answered, 1 rupture.
    //   W3: clients 1, 2, 3 answered, 1 rupture. Range: four answered, 2 ruptures.
    // Coaching (Alex about Priya): 11-05 8, 11-12 8, 11-19 8 flagged → 1 rupture in W3.
    // Wellbeing: W2 WHO-5 (4·5)·4 = 80, stress 3; W3 WHO-5 (3+3+2+2+2)·4 = 48, stress 7.
    let expected_weeks = vec![
        ParallelWeek {
            week_start: d(W1),
            own: completion(3, 3, 0, 0, Some(1.0)),
            own_reasons: vec![],
            clients: None,
            client_ruptures: None,
            coaching_ruptures: 0,
            wellbeing: None,
        },
        ParallelWeek {
            week_start: d(W2),
            own: completion(3, 2, 1, 0, Some(2.5 / 3.0)),
            own_reasons: reasons(&[(TooTired, 1)]),
            clients: Some(ClientCompletion {
                clients: 4,
                completion: completion(8, 5, 1, 1, Some(5.5 / 8.0)),
                reasons: reasons(&[(NoTime, 1), (TooTired, 1)]),
            }),
            client_ruptures: Some(ClientRuptures {
                clients: 4,
                ruptures: 1,
            }),
            coaching_ruptures: 0,
            wellbeing: Some(WellbeingPoint {
                who5_percent: Some(80.0),
                stress: Some(3.0),
                burnout: None,
            }),
        },
        ParallelWeek {
            week_start: d(W3),
            own: completion(2, 1, 0, 1, Some(0.5)),
            own_reasons: reasons(&[(TooTired, 1)]),
            clients: Some(ClientCompletion {
                clients: 3,
                completion: completion(5, 1, 2, 2, Some(2.0 / 5.0)),
                reasons: reasons(&[(TooTired, 4)]),
            }),
            client_ruptures: Some(ClientRuptures {
                clients: 3,
                ruptures: 1,
            }),
            coaching_ruptures: 1,
            wellbeing: Some(WellbeingPoint {
                who5_percent: Some(48.0),
                stress: Some(7.0),
                burnout: None,
            }),
        },
    ];
    assert_eq!(view.weeks, expected_weeks);
    assert_eq!((view.from, view.to), (d(FROM), d(TO)));
    assert_eq!(view.own, completion(8, 6, 1, 1, Some(6.5 / 8.0)));
    assert_eq!(view.own_reasons, reasons(&[(TooTired, 2)]));
    assert_eq!(
        view.clients,
        Some(ClientCompletion {
            clients: 4,
            completion: completion(18, 9, 4, 4, Some(11.0 / 18.0)),
            reasons: reasons(&[(TooTired, 5), (NoTime, 2), (LowMood, 1)]),
        })
    );
    assert_eq!(
        view.client_ruptures,
        Some(ClientRuptures {
            clients: 4,
            ruptures: 2
        })
    );
    assert_eq!(view.coaching_ruptures, 1);
    assert_eq!(view.caseload, 4);

    // Prompts:
    // - W1 → W2: own fell 1 → 0.83 (≥ 15 points) but W1 has no client figure: none.
    // - W2 → W3: own 83% → 50% and clients 69% → 40%: completion fell in both; WHO-5 80 → 48
    //   (≥ 10) in that week: wellbeing fell.
    // - W3: a coaching rupture and a client rupture: ruptures in both (W2 has a client rupture
    //   only).
    // - Over the range, "too tired" is both Alex's and his clients' most frequent reason.
    let kinds: Vec<(PromptKind, Option<NaiveDate>)> = view
        .prompts
        .iter()
        .map(|p| (p.kind, p.week_start))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (PromptKind::CompletionFellInBoth, Some(d(W3))),
            (PromptKind::WellbeingFell, Some(d(W3))),
            (PromptKind::RupturesInBoth, Some(d(W3))),
            (PromptKind::SameReason, None),
        ]
    );
    let fell = &view.prompts[0].text;
    assert!(
        fell.contains("from 83% to 50%") && fell.contains("from 69% to 40%"),
        "{fell}"
    );
    assert!(
        view.prompts[3].text.contains("too tired"),
        "{}",
        view.prompts[3].text
    );
}

// ----- 4 -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_research_export_carries_no_name_id_or_unchosen_text_and_a_fresh_code_each_time() {
    let mut w = world().await;
    // Skills acquisition in W1 and W2, transformational from W3 on.
    w.alex
        .set_coaching_condition(
            &w.coaching,
            CoachingCondition::SkillsAcquisition,
            d("2026-11-01"),
            None,
        )
        .unwrap();
    w.alex
        .set_coaching_condition(
            &w.coaching,
            CoachingCondition::Transformational,
            d(W3),
            Some("Now my own journey"),
        )
        .unwrap();
    w.script_alex();
    for script in &CLIENTS {
        w.add_client(script).await;
    }

    // Free text of every kind in the coaching document.
    let code = w
        .alex
        .client_code(&w.clients[0].store.identity().person_id)
        .unwrap();
    w.alex
        .add_case_review(
            &w.coaching,
            &CaseReviewInput {
                date: d("2026-11-10"),
                client_code: code.clone(),
                question: "CASE QUESTION: how to hold the plan when energy drops".into(),
                notes: Some("CASE NOTES: came late twice".into()),
            },
        )
        .unwrap();
    let reflection = w
        .alex
        .add_reflection(&ReflectionInput {
            date: d("2026-11-18"),
            what_happened: "REFLECTION: tired like them".into(),
            my_reaction: "REACTION: irritation".into(),
            pattern: Some("PATTERN: pushing through".into()),
            direction: None,
            plan_ids: vec![],
            client_codes: vec![code.clone()],
        })
        .unwrap();
    w.alex.share_reflection(&reflection, &w.coaching).unwrap();
    let session = w
        .alex
        .add_coaching_session(&w.coaching, d("2026-11-20"), "AGENDA: tiredness")
        .unwrap();
    // Two summaries: the first (shared on Monday 11-16, over W1–W2) with a note for research,
    // the second (shared "now", over W1–W3, with wellbeing) with a note that stays out. Where
    // they overlap, the later one wins.
    let monday = Utc.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap();
    w.share_summary(
        monday,
        FROM,
        "2026-11-15",
        &SummaryChoices {
            include_wellbeing: false,
            note: Some("Team changes left me with more clients".into()),
            note_for_research: true,
        },
    );
    w.share_summary(
        now(),
        FROM,
        TO,
        &SummaryChoices {
            include_wellbeing: true,
            note: Some("PRIVATE NOTE: my father".into()),
            note_for_research: false,
        },
    );
    sync(&w.alex).await;
    sync(&w.priya).await;
    w.priya
        .comment_on_session(&w.coaching, &session, "COMMENT: bring the week's numbers")
        .unwrap();
    sync(&w.priya).await;
    assert_eq!(w.priya.coaching(&w.coaching).unwrap().summaries.len(), 2);

    let first = w.priya.research_export(d(FROM), d(TO), Utc::now()).unwrap();
    let second = w.priya.research_export(d(FROM), d(TO), Utc::now()).unwrap();

    // The rows, as worked out in the parallel-view test, from the later summary, with the
    // condition in force on each Monday.
    let p = first.rows[0].practitioner.clone();
    let row = |week: &str,
               condition,
               own_planned,
               own_rate,
               clients_rate,
               clients,
               client_ruptures,
               coaching_ruptures,
               who5,
               stress| ExportRow {
        practitioner: p.clone(),
        condition: Some(condition),
        week_start: d(week),
        own_planned,
        own_rate: Some(own_rate),
        clients_rate,
        clients,
        client_ruptures,
        coaching_ruptures,
        who5_percent: who5,
        stress,
        burnout: None,
    };
    use CoachingCondition::{SkillsAcquisition as Skills, Transformational};
    assert_eq!(
        first.rows,
        vec![
            row(W1, Skills, 3, 1.0, None, None, None, 0, None, None),
            row(
                W2,
                Skills,
                3,
                2.5 / 3.0,
                Some(5.5 / 8.0),
                Some(4),
                Some(1),
                0,
                Some(80.0),
                Some(3.0)
            ),
            // W3 was still going when it was shared: no client figures yet.
            row(
                W3,
                Transformational,
                2,
                0.5,
                None,
                None,
                None,
                1,
                Some(48.0),
                Some(7.0)
            ),
        ]
    );
    assert_eq!(
        first.notes,
        vec![ExportNote {
            practitioner: p.clone(),
            from: d(FROM),
            to: d("2026-11-15"),
            note: "Team changes left me with more clients".into(),
        }]
    );
    let csv = first.to_csv();
    assert_eq!(
        csv,
        format!(
            "practitioner,condition,week_start,own_planned,own_rate,clients_rate,clients,client_ruptures,coaching_ruptures,who5_percent,stress,burnout\n\
             {p},skills_acquisition,2026-11-02,3,1.000,,,,0,,,\n\
             {p},skills_acquisition,2026-11-09,3,0.833,0.688,4,1,0,80.000,3.000,\n\
             {p},transformational,2026-11-16,2,0.500,,,,1,48.000,7.000,\n"
        )
    );
    let json_text = first.to_json();
    let json: Json = serde_json::from_str(&json_text).unwrap();
    let groups = json["conditions"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["condition"], "skills_acquisition");
    assert_eq!(groups[1]["condition"], "transformational");
    assert_eq!(groups[0]["practitioners"][0]["practitioner"], p.as_str());
    assert_eq!(
        groups[0]["practitioners"][0]["weeks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        json["notes"][0]["note"],
        "Team changes left me with more clients"
    );

    // The practitioner code: "P-" and 8 characters, a new one each export.
    assert!(p.starts_with("P-") && p.len() == 10, "{p}");
    let q = &second.rows[0].practitioner;
    assert_ne!(&p, q, "two exports can be joined by the practitioner code");
    assert!(second.rows.iter().all(|r| &r.practitioner == q));

    // No id of any kind, no name, no free text but the research note.
    let server_id = w.priya.server().unwrap().unwrap().server_id;
    let mut forbidden: Vec<(String, String)> = vec![
        ("server id".into(), server_id),
        ("coaching document".into(), w.coaching.clone()),
        ("client code".into(), code.clone()),
    ];
    for (who, store) in [("Alex", &w.alex), ("Priya", &w.priya)] {
        let me = store.identity();
        forbidden.push((format!("{who}'s person id"), me.person_id.clone()));
        forbidden.push((format!("{who}'s device key"), me.device_key.clone()));
        for doc in store.own_documents().unwrap() {
            forbidden.push((format!("{who}'s {:?}", doc.kind), doc.doc_id));
        }
    }
    for client in &w.clients {
        forbidden.extend(client_secrets(client));
    }
    for text in [
        "CASE QUESTION",
        "CASE NOTES",
        "REFLECTION",
        "REACTION",
        "PATTERN",
        "AGENDA",
        "COMMENT",
        "PRIVATE NOTE",
        "Now my own journey",
        "Named it at the start",
        "Evenings without the laptop",
        "Swim before work",
    ] {
        forbidden.push(("free text".into(), text.into()));
    }
    for export in [&first, &second] {
        for (format, text) in [("CSV", export.to_csv()), ("JSON", export.to_json())] {
            for (what, secret) in &forbidden {
                assert!(
                    !text.contains(secret.as_str()),
                    "the {format} export holds {what} {secret:?}"
                );
            }
            assert!(text.contains(&export.rows[0].practitioner));
        }
    }
    assert!(json_text.contains("Team changes left me with more clients"));
    assert!(
        !csv.contains("Team changes"),
        "the CSV carries figures only"
    );
}
