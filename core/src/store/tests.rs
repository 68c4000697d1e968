//! The store's machinery as a person relies on it: durable edits, one device key, compaction,
//! past months' copies, a newer version refused.

use chrono::NaiveDate;

use super::test_support::*;
use super::*;
use crate::journey::*;

fn add_values(store: &Store, from: usize, n: usize) {
    for i in from..from + n {
        store
            .add_value(&ValueInput {
                text: format!("value {i}"),
                life_area: LifeArea::Other,
                importance: 5,
            })
            .unwrap();
    }
}

#[test]
fn a_store_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Store>();
}

#[test]
fn the_device_key_is_made_once_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let first = open(&dir).identity().clone();
    let second = open(&dir).identity().clone();
    assert_eq!(first, second);
    let other = tempfile::tempdir().unwrap();
    assert_ne!(open(&other).identity().device_key, first.device_key);
}

#[test]
fn check_ins_across_months_and_compaction_are_all_found_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let mut daily = walk(None);
    daily.schedule = Schedule {
        repeat: Repeat::EveryNDays { n: 1 },
        times: (8..18).map(|h| at(h, 0)).collect(),
    };
    daily.start = date("2026-01-01");
    let plan = store.add_plan(&daily).unwrap();
    let now = evening("2026-11-06");
    let mut expected = 0;
    let mut day = date("2026-07-01");
    while day <= date("2026-09-30") {
        for time in (8..18).map(|h| at(h, 0)) {
            let mut c = check(&plan, &day.to_string(), Outcome::Done);
            c.time = Some(time);
            store.check_in_at(&c, now).unwrap();
            expected += 1;
        }
        day = day.succ_opt().unwrap();
    }
    let (_, rows) = store.stored_bytes().unwrap();
    assert!(
        rows < expected as u64 / 2,
        "months were compacted into snapshots: {rows} rows for {expected} check-ins"
    );
    drop(store);
    let store = open(&dir);
    let found = store
        .check_ins(date("2026-01-01"), date("2026-12-31"))
        .unwrap();
    assert_eq!(found.len(), expected);
    let listed = store.journey().unwrap();
    assert_eq!(listed.plans.len(), 1);
}

#[test]
fn a_store_whose_journey_was_written_by_a_newer_version_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let id = store.journey_id.clone();
    store
        .edit_doc(&id, DocKind::Journey, None, |tx| {
            use automerge::transaction::Transactable;
            let head = crate::document::fields::map_at(tx, &automerge::ROOT, "tandem").unwrap();
            tx.put(&head, "schema", crate::document::SCHEMA_VERSION + 1)?;
            Ok(())
        })
        .unwrap();
    drop(store);
    let err = Store::open(dir.path().join("store.db"), OpenOptions::default())
        .err()
        .expect("a newer journey is refused");
    assert!(matches!(err, Error::NewerSchema { .. }), "{err}");
}

#[test]
fn compaction_folds_single_changes_into_bundles_then_past_enough_of_them_into_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let journey = store.journey_id.clone();
    let rows_of = |kind: &str| {
        let rows = kv::load_prefix(&store.lock_db(), journey.to_string().as_bytes()).unwrap();
        rows.iter()
            .filter(|(k, _)| std::str::from_utf8(k).unwrap().contains(kind))
            .count()
    };
    let add = |n: usize, from: usize| add_values(&store, from, n);
    add(COMPACT_AFTER + 10, 0);
    // The edits returned before their compaction ran: it happens beside them.
    store.settle_compaction();
    assert_eq!(
        rows_of("/bundle/"),
        1,
        "the first 256 changes are one bundle"
    );
    assert!(rows_of("/incremental/") <= 11);
    add(COMPACT_AFTER, COMPACT_AFTER + 10);
    store.settle_compaction();
    assert_eq!(rows_of("/bundle/"), 2);
    // Past enough bundles (here: one), the next compaction writes a snapshot instead. (Two
    // more single changes first: the compaction above may have folded every single one, if it
    // ran after the last edit, and a compaction with fewer than two singles does nothing.)
    add(2, 2 * COMPACT_AFTER + 10);
    let done = compactor::compact_rows(&store.db, &store.sealer, &journey, 1).unwrap();
    assert!(
        matches!(done, compactor::Compacted::Snapshot(_)),
        "{done:?}"
    );
    assert_eq!(rows_of("/bundle/"), 0, "the snapshot replaced the bundles");
    assert_eq!(rows_of("/incremental/"), 0);
    assert_eq!(rows_of("/snapshot/"), 1);
    drop(store);
    let store = open(&dir);
    assert_eq!(
        store.journey().unwrap().values.len(),
        2 * COMPACT_AFTER + 12
    );
}

#[test]
fn a_past_month_reads_from_its_copy_until_its_rows_change_and_the_copy_goes_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let now = evening("2026-11-06");
    let store = open_with(&dir, Clock::fixed(now));
    let plan = store
        .add_plan(&PlanInput {
            start: date("2026-09-01"),
            ..walk(None)
        })
        .unwrap();
    for day in ["2026-09-02", "2026-09-04", "2026-09-07"] {
        store
            .check_in_at(&check(&plan, day, Outcome::Done), now)
            .unwrap();
    }
    let september = (date("2026-09-01"), date("2026-09-30"));
    let month = crate::document::check_ins::period_doc_id(&store.journey_id.to_string(), "2026-09")
        .to_string();
    let outcomes = |s: &Store| -> Vec<(NaiveDate, Outcome)> {
        s.check_ins(september.0, september.1)
            .unwrap()
            .into_iter()
            .map(|c| (c.date, c.outcome))
            .collect()
    };
    let copies = |s: &Store| -> i64 {
        s.lock_db()
            .query_row(
                "SELECT COUNT(*) FROM month_check_ins WHERE doc_id = ?1",
                [&month],
                |r| r.get(0),
            )
            .unwrap()
    };
    drop(store);

    // Reopened, September is not in memory: the first read makes its copy, the next uses it.
    let store = open_with(&dir, Clock::fixed(now));
    assert_eq!(copies(&store), 0);
    let done = vec![
        (date("2026-09-02"), Outcome::Done),
        (date("2026-09-04"), Outcome::Done),
        (date("2026-09-07"), Outcome::Done),
    ];
    assert_eq!(outcomes(&store), done);
    assert_eq!(copies(&store), 1, "September's copy is made");
    assert!(!store.lock_docs().contains_key(&month.parse().unwrap()));
    assert_eq!(outcomes(&store), done, "and read back the same");
    // Within a range, only the days asked for.
    assert_eq!(
        store
            .check_ins(date("2026-09-03"), date("2026-09-05"))
            .unwrap()
            .len(),
        1
    );

    // A changed answer is a new row: the copy is not used any more, whoever reads next.
    store
        .check_in_at(&check(&plan, "2026-09-04", Outcome::Partly), now)
        .unwrap();
    drop(store);
    let store = open_with(&dir, Clock::fixed(now));
    let changed = vec![
        (date("2026-09-02"), Outcome::Done),
        (date("2026-09-04"), Outcome::Partly),
        (date("2026-09-07"), Outcome::Done),
    ];
    assert_eq!(outcomes(&store), changed);
    assert_eq!(outcomes(&store), changed, "from the new copy too");
    // So is a compaction (same check-ins, new rows).
    store.compact_all().unwrap();
    drop(store);
    let store = open_with(&dir, Clock::fixed(now));
    assert_eq!(outcomes(&store), changed);

    // When the month's rows go (as when a journey stops being shared), its copy goes too.
    kv::delete_prefix(&store.lock_db(), month.as_bytes()).unwrap();
    assert_eq!(copies(&store), 0, "no copy outlives its document");
    assert_eq!(outcomes(&store), vec![]);
}

#[test]
fn edits_made_while_a_compaction_works_are_kept_and_a_compaction_overtaken_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let journey = store.journey_id.clone();
    add_values(&store, 0, 20);
    // The compactor reads the rows; five more edits land before it writes.
    let plan = compactor::Plan::read(&store.db, &store.sealer, &journey, SNAPSHOT_AFTER_BUNDLES)
        .unwrap()
        .unwrap();
    add_values(&store, 20, 5);
    assert_eq!(
        plan.write(&store.db, &store.sealer).unwrap(),
        compactor::Compacted::Bundled(20)
    );
    // Another compaction read the rows, then compact_all rewrote them first: it is skipped.
    add_values(&store, 25, 5);
    let plan = compactor::Plan::read(&store.db, &store.sealer, &journey, SNAPSHOT_AFTER_BUNDLES)
        .unwrap()
        .unwrap();
    store.compact_all().unwrap();
    assert_eq!(
        plan.write(&store.db, &store.sealer).unwrap(),
        compactor::Compacted::Skipped
    );
    let rows = kv::load_prefix(&store.lock_db(), journey.to_string().as_bytes()).unwrap();
    assert_eq!(rows.len(), 1, "one snapshot");
    drop(store);
    let values = open(&dir).journey().unwrap().values;
    let mut texts: Vec<String> = values.into_iter().map(|v| v.text).collect();
    texts.sort_by_key(|t| t[6..].parse::<usize>().unwrap());
    let expected: Vec<String> = (0..30).map(|i| format!("value {i}")).collect();
    assert_eq!(texts, expected, "every value once, none lost");
}
