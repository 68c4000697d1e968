//! `tandem export mine` killed with SIGKILL at random moments, before, during and after its
//! writing: the store still opens and holds every check-in, and the export folder holds only
//! whole files — each file there under its own name is complete (they are written beside and
//! renamed), and README.txt, written last, is there only when every file it lists is.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use tandem_core::{OpenOptions, Store};
use tandem_tests::five_years::{generate, Options, TIME_ZONE};

/// The runs' "now": the day after the journey ends.
const NOW: &str = "2026-03-04T19:00:00Z";

fn tandem(store: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tandem"));
    command
        .arg("--store")
        .arg(store)
        .args(args)
        .env("TANDEM_NOW", NOW)
        .env("TANDEM_KEYRING", "off")
        .env_remove("TANDEM_PASSPHRASE")
        .stdin(Stdio::null());
    command
}

/// Runs an export into `out`, killed after `after` unless it ends first; whether it ended.
fn export_killed(store: &Path, out: &Path, after: Duration) -> bool {
    let mut child = tandem(store, &["export", "mine", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the export starts");
    let started = Instant::now();
    while started.elapsed() < after {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "an export left alone succeeds");
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill(); // SIGKILL
    let status = child.wait().unwrap();
    status.success()
}

/// The check-ins an export of the store counts (read from its JSON).
fn exported_check_ins(folder: &Path) -> usize {
    let json = std::fs::read_to_string(folder.join("tandem-export.json")).unwrap();
    let data: serde_json::Value =
        serde_json::from_str(&json).expect("tandem-export.json is whole JSON");
    data["check_ins"].as_array().expect("check_ins").len()
}

/// What a person finds in a folder an export was cut short in: whole files only.
fn only_whole_files(folder: &Path, whole: &Path, check_ins: usize) {
    if !folder.exists() {
        return; // killed before it made the folder
    }
    let names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for name in &names {
        if name.starts_with('.') {
            continue; // a file being written when the kill came: hidden, and replaced next time
        }
        let text = std::fs::read_to_string(folder.join(name)).unwrap();
        match name.as_str() {
            "tandem-export.json" => assert_eq!(exported_check_ins(folder), check_ins),
            "report.html" => assert!(text.trim_end().ends_with("</html>"), "a whole report"),
            "README.txt" => {
                for listed in names.iter().filter(|n| !n.starts_with('.')) {
                    assert!(text.contains(listed.as_str()) || listed == "README.txt");
                }
                for file in ["tandem-export.json", "report.html", "check-ins.csv"] {
                    assert!(
                        names.iter().any(|n| n == file),
                        "README.txt came before {file}"
                    );
                }
            }
            csv if csv.ends_with(".csv") => {
                let whole = std::fs::read_to_string(whole.join(csv)).unwrap();
                assert!(text == whole, "{csv} is the whole file");
            }
            other => panic!("an unexpected file in the export: {other}"),
        }
    }
}

#[test]
fn an_export_killed_at_any_moment_leaves_the_store_whole_and_no_half_written_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let end = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    let generated = {
        let store = Store::open(
            &path,
            OpenOptions {
                time_zone: Some(TIME_ZONE.into()),
                ..OpenOptions::default()
            },
        )
        .unwrap();
        generate(
            &store,
            &Options {
                months: 4,
                end,
                seed: 11,
                until: None,
            },
        )
        .unwrap()
    };
    assert!(generated.check_ins > 200, "enough to take a while");
    assert!(end.checked_add_days(Days::new(1)).is_some());

    // An undisturbed export, timed so that the kills land before, during and after its work.
    // (Twice: the first run also warms the file cache, and the kills should spread over a
    // warm run.)
    let whole = dir.path().join("whole");
    let mut took = Duration::MAX;
    for _ in 0..2 {
        let started = Instant::now();
        assert!(export_killed(&path, &whole, Duration::from_secs(600)));
        took = took.min(started.elapsed());
    }
    assert_eq!(exported_check_ins(&whole), generated.check_ins);
    println!("an undisturbed export took {took:?}");

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    println!("kill moments from seed {seed}");
    let mut finished = 0;
    for round in 0..8u64 {
        // A spread of moments from the start to a little past the undisturbed run.
        let step = (seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(round * 1442695040888963407)
            >> 33)
            % 1000;
        let after = took.mul_f64(step as f64 / 1000.0);
        let out = dir.path().join(format!("cut-{round}"));
        if export_killed(&path, &out, after) {
            finished += 1;
        }
        only_whole_files(&out, &whole, generated.check_ins);
        let left: Vec<String> = std::fs::read_dir(&out)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        println!(
            "round {round}: killed after {after:?}; {} file(s) left",
            left.len()
        );
        // The store opens and holds every check-in: a new export, left alone, says so.
        let again = dir.path().join(format!("again-{round}"));
        assert!(export_killed(&path, &again, Duration::from_secs(600)));
        assert_eq!(
            exported_check_ins(&again),
            generated.check_ins,
            "round {round}"
        );
        // An export into the folder a kill left behind replaces what was there, whole.
        assert!(export_killed(&path, &out, Duration::from_secs(600)));
        only_whole_files(&out, &whole, generated.check_ins);
        assert!(out.join("README.txt").exists());
    }
    println!("{finished} of 8 exports finished before their kill");
}
