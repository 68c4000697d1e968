//! A check-in that returned is on disk: kill the writer with SIGKILL at random moments and check
//! that every check-in it reported saved is in the store when it is opened again.
//!
//! The moments are drawn from a seeded generator; the seed is printed, and `TANDEM_SEED=<seed>`
//! replays the same schedule (the kill lands on the same moments, though not necessarily on the
//! same instruction).

#![cfg(unix)]

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::{Child, ChildStderr, ChildStdout, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tandem_core::{OpenOptions, Store};
use tandem_tests::writer::{occurrence, outcome_of, parse_saved_line};

const ROUNDS: usize = 40;
/// How long a writer runs before it is killed, drawn uniformly from this range.
const RUN_MS: std::ops::RangeInclusive<u64> = 5..=400;

/// A running writer. Dropping it kills and reaps the process, so no writer outlives a failed
/// assertion.
struct Writer {
    child: Child,
    stdout: Option<JoinHandle<Vec<u8>>>,
    stderr: Option<JoinHandle<Vec<u8>>>,
}

/// What a killed writer left behind.
struct Stopped {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

fn read_all(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // A read error can only cut the output short; the test then checks fewer check-ins.
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

impl Writer {
    fn spawn(store: &Path, first: usize, live: bool) -> Writer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_check_in_writer"))
            .arg(store)
            .arg(first.to_string())
            .args(live.then_some("--live"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the writer starts");
        let stdout: ChildStdout = child.stdout.take().expect("piped");
        let stderr: ChildStderr = child.stderr.take().expect("piped");
        Writer {
            child,
            stdout: Some(read_all(stdout)),
            stderr: Some(read_all(stderr)),
        }
    }

    /// Whether the writer ended by itself (it never should: it writes until killed).
    fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// SIGKILLs the writer, reaps it and collects everything it printed.
    fn kill(mut self) -> Stopped {
        let _ = self.child.kill();
        let status = self.child.wait().expect("the writer is reaped");
        let text = |h: Option<JoinHandle<Vec<u8>>>| {
            let bytes = h.map(|h| h.join().unwrap_or_default()).unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        };
        Stopped {
            status,
            stdout: text(self.stdout.take()),
            stderr: text(self.stderr.take()),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn seed() -> u64 {
    match std::env::var("TANDEM_SEED") {
        Ok(s) => s.parse().expect("TANDEM_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_nanos() as u64,
    }
}

fn was_sigkilled(status: &ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(9)
}

#[test]
fn every_check_in_reported_saved_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    survives_sigkill(&dir.path().join("store.db"), ROUNDS, false);
}

#[test]
fn every_check_in_reported_saved_survives_sigkill_with_the_live_engine_running() {
    let dir = tempfile::tempdir().unwrap();
    let server = tandem_tests::server_process::ServerProcess::start(&dir.path().join("server"));
    let path = dir.path().join("store.db");
    {
        let store = Store::open(&path, OpenOptions::default()).unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime
            .block_on(tandem_core::sync::session::enrol(
                &store,
                &server.url,
                &server.enrol_code("practitioner"),
            ))
            .unwrap();
    }
    survives_sigkill(&path, ROUNDS, true);
    // What the killed writers reported saved also reached the server, or reaches it now.
    let store = Store::open(&path, OpenOptions::default()).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime
        .block_on(tandem_core::sync::session::sync_now(&store, &|_| {}))
        .expect("the store syncs after all the kills");
    assert_eq!(report.unavailable, 0, "{report:?}");
}

/// `rounds` writers on the store at `path`, each killed at a random moment (`live`: with the
/// store's sync service online); after each, every check-in ever reported saved is there.
fn survives_sigkill(path: &Path, rounds: usize, live: bool) {
    let seed = seed();
    println!("durability: seed {seed} (replay with TANDEM_SEED={seed}), live: {live}");
    let mut rng = StdRng::seed_from_u64(seed);
    let path = path.to_path_buf();
    let started = Instant::now();

    // Every check-in ever reported saved (its outcome follows from its occurrence).
    let mut confirmed: BTreeSet<(NaiveDate, NaiveTime)> = BTreeSet::new();
    // The next occurrence a writer starts at: the one after the last confirmed. (The one a
    // writer was killed on may have been saved unreported; the next writer checks in on it
    // again, which replaces it.)
    let mut next = 0;
    let mut rows_before = 0u64;
    let mut rounds_compacting = Vec::new();
    let mut rounds_without_check_ins = 0;

    for round in 0..rounds {
        let run_for = Duration::from_millis(rng.gen_range(RUN_MS));
        let context = format!("seed {seed}, round {round}, killed after {run_for:?}");

        let today = Utc::now().date_naive();
        let mut writer = Writer::spawn(&path, next, live);
        let deadline = Instant::now() + run_for;
        while Instant::now() < deadline && !writer.exited() {
            std::thread::sleep(Duration::from_millis(2).min(deadline - Instant::now()));
        }
        let stopped = writer.kill();
        assert!(
            was_sigkilled(&stopped.status),
            "{context}: the writer ended by itself ({}): {}",
            stopped.status,
            stopped.stderr
        );

        // Only whole lines count: the kill may cut the last one short (it never does in
        // practice, a line being one small write).
        let complete = match stopped.stdout.rfind('\n') {
            Some(end) => &stopped.stdout[..end],
            None => "",
        };
        let saved: Vec<(NaiveDate, NaiveTime)> = complete
            .lines()
            .map(|l| {
                parse_saved_line(l).unwrap_or_else(|| panic!("{context}: unexpected line {l:?}"))
            })
            .collect();
        // The writer walks occurrences in order from `next`: what it printed must be that walk
        // (unless the round straddled midnight, which moves the walk by a day).
        if today == Utc::now().date_naive() {
            for (i, s) in saved.iter().enumerate() {
                assert_eq!(*s, occurrence(today, next + i), "{context}: line {i}");
            }
        }
        if saved.is_empty() {
            rounds_without_check_ins += 1;
        }
        next += saved.len();
        confirmed.extend(saved.iter().copied());

        // The store opens, and holds every check-in ever reported saved.
        let store = Store::open(&path, OpenOptions::default())
            .unwrap_or_else(|e| panic!("{context}: the store does not open: {e}"));
        let journey = store.journey().unwrap();
        assert!(
            journey.plans.len() <= 1,
            "{context}: {} plans",
            journey.plans.len()
        );
        if let (Some(first), Some(last)) = (confirmed.first(), confirmed.last()) {
            let plan = &journey.plans[0];
            let stored: BTreeSet<_> = store
                .check_ins(first.0, last.0)
                .unwrap_or_else(|e| panic!("{context}: check-ins do not read: {e}"))
                .into_iter()
                .filter(|c| c.plan_id == plan.id)
                .filter_map(|c| Some((c.date, c.time?, c.outcome)))
                .collect();
            let missing: Vec<_> = confirmed
                .iter()
                .filter(|(d, t)| !stored.contains(&(*d, *t, outcome_of(*d, *t))))
                .collect();
            assert!(
                missing.is_empty(),
                "{context}: {} check-ins reported saved are not in the store (of {}), first {:?}",
                missing.len(),
                confirmed.len(),
                missing.first()
            );
        }

        // Every change adds a row; a compaction swaps a document's 256 rows for one. Fewer rows
        // than before plus this round's check-ins means this round compacted a document.
        let (_, rows) = store.stored_bytes().unwrap();
        if rows < rows_before + saved.len() as u64 {
            rounds_compacting.push(round);
        }
        rows_before = rows;
    }

    println!(
        "durability: {rounds} rounds in {:.1?}; {} check-ins confirmed and found after SIGKILL \
         ({} rounds killed before the first); rounds that crossed a compaction: {:?}",
        started.elapsed(),
        confirmed.len(),
        rounds_without_check_ins,
        rounds_compacting
    );
    assert!(
        !rounds_compacting.is_empty(),
        "seed {seed}: no round crossed a compaction ({} check-ins): run the writers longer",
        confirmed.len()
    );
}
