//! Encryption at rest survives a crash: a process encrypting a store in place, or changing its
//! key, is killed with SIGKILL at random moments; the store then opens — with the new key, or
//! still with the old one when the kill came before the change committed — and holds every
//! check-in and every value it held before.
//!
//! The moments are drawn from a seeded generator; the seed is printed, and `TANDEM_SEED=<seed>`
//! replays the same schedule.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tandem_core::{Error, OpenOptions, Store, StoreKey};
use tandem_tests::five_years::{generate, Options, TIME_ZONE};

const ROUNDS: usize = 12;

fn hex(key: &StoreKey) -> String {
    key.bytes()
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn open(path: &Path, key: Option<&StoreKey>) -> Result<Store, Error> {
    Store::open(
        path,
        OpenOptions {
            time_zone: Some(TIME_ZONE.into()),
            key: key.cloned(),
            ..Default::default()
        },
    )
}

/// What a person would check is all still there: every check-in, every value.
fn contents(store: &Store) -> (usize, Vec<String>) {
    let check_ins = store
        .check_ins(NaiveDate::MIN, NaiveDate::MAX)
        .unwrap()
        .len();
    let values = store
        .journey()
        .unwrap()
        .values
        .into_iter()
        .map(|v| v.text)
        .collect();
    (check_ins, values)
}

/// Runs the rekeying process on `path`, killed after `after` unless it ends first; whether it
/// reported done.
fn rekey_killed(path: &Path, old: Option<&StoreKey>, new: &StoreKey, after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_store_rekey"))
        .arg(path)
        .arg(old.map(hex).unwrap_or_else(|| "plain".into()))
        .arg(hex(new))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the rekeying process starts");
    let started = Instant::now();
    while started.elapsed() < after {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill(); // SIGKILL
    let output = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&output.stdout).contains("done")
}

#[test]
fn a_crash_while_encrypting_or_changing_the_key_loses_nothing() {
    let seed: u64 = std::env::var("TANDEM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    println!("TANDEM_SEED={seed}");
    let mut rng = StdRng::seed_from_u64(seed);

    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original.db");
    let store = open(&original, None).unwrap();
    let today = Utc::now().date_naive();
    generate(
        &store,
        &Options {
            months: 3,
            end: today.checked_sub_days(Days::new(1)).unwrap(),
            seed,
            until: None,
        },
    )
    .unwrap();
    let expected = contents(&store);
    assert!(expected.0 > 1000, "a store big enough to be caught mid-way");
    drop(store);

    // How long an undisturbed run takes, so the kills land before, during and after it.
    let timing = dir.path().join("timing.db");
    std::fs::copy(&original, &timing).unwrap();
    let key = StoreKey::random();
    let started = Instant::now();
    assert!(rekey_killed(&timing, None, &key, Duration::from_secs(600)));
    let whole = started.elapsed();
    println!("encrypting in place took {whole:?} undisturbed");

    let (mut finished, mut cut) = (0, 0);
    for round in 0..ROUNDS {
        let path = dir.path().join(format!("round-{round}.db"));
        std::fs::copy(&original, &path).unwrap();
        let first = StoreKey::random();
        let second = StoreKey::random();
        let kill_at = |rng: &mut StdRng| {
            Duration::from_micros(rng.gen_range(0..=whole.as_micros() as u64 * 3 / 2))
        };
        // Encrypting a plain store in place, killed on the way.
        if rekey_killed(&path, None, &first, kill_at(&mut rng)) {
            finished += 1;
        } else {
            cut += 1;
        }
        // Whatever the kill left, the first key opens it (a store still plain is encrypted
        // now), with everything in it.
        let store = open(&path, Some(&first)).unwrap();
        assert!(store.is_encrypted());
        assert_eq!(
            contents(&store),
            expected,
            "round {round}: encrypting in place"
        );
        drop(store);
        // Changing the key, killed on the way: one key or the other opens it, whole.
        let done = rekey_killed(&path, Some(&first), &second, kill_at(&mut rng));
        let store = match open(&path, Some(&second)) {
            Ok(store) => store,
            Err(Error::WrongKey(_)) => {
                assert!(
                    !done,
                    "round {round}: the change reported done, yet the new key fails"
                );
                open(&path, Some(&first)).unwrap()
            }
            Err(err) => panic!("round {round}: {err}"),
        };
        assert_eq!(
            contents(&store),
            expected,
            "round {round}: changing the key"
        );
        assert!(matches!(open(&path, None), Err(Error::KeyNeeded)));
    }
    println!("{finished} runs finished, {cut} were killed on the way");
    assert!(
        cut > 0,
        "every run finished before its kill: the test checked no crash"
    );
}
