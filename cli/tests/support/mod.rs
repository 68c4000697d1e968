//! What the command-line tests share: a person's store and the real `tandem` binary pointed at
//! it, on a fixed "now".

// Each test file uses what it needs of this.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// The tests' "now" (TANDEM_NOW): a Wednesday evening.
pub const NOW: &str = "2026-03-04T19:00:00Z";

/// One person's store, and the binary pointed at it.
pub struct Person {
    pub store: PathBuf,
}

impl Person {
    pub fn new(dir: &tempfile::TempDir, name: &str) -> Person {
        Person {
            store: dir.path().join(name),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the tandem binary runs")
    }

    /// The binary pointed at this store, with `args`, not started yet.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tandem"));
        command
            .arg("--store")
            .arg(&self.store)
            .args(["--tz", "Europe/London"])
            .args(args)
            .env("TANDEM_NOW", NOW)
            // A developer's desktop keyring is left alone (tests/keyring.rs has its own).
            .env("TANDEM_KEYRING", "off")
            .env_remove("TANDEM_HOME")
            .env_remove("XDG_DATA_HOME");
        command
    }

    /// Runs `args`, expecting success; stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    /// Runs `args` with `--json`; the parsed answer.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut with_json = vec!["--json"];
        with_json.extend_from_slice(args);
        let out = self.ok(&with_json);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?} printed bad JSON ({e}):\n{out}"))
    }

    /// Runs `args`, expecting failure; the exit code and stderr.
    pub fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should have failed");
        (
            out.status.code().expect("an exit code, not a signal"),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// Whether any file of the folder `dir` (a store's, with its log and journal) holds `word`.
pub fn store_files_hold(dir: &std::path::Path, word: &str) -> bool {
    std::fs::read_dir(dir).unwrap().any(|entry| {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        bytes.windows(word.len()).any(|w| w == word.as_bytes())
    })
}
